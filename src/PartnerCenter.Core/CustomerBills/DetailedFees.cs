using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>Which of a cycle's fees the detailed records show: runs in (<see cref="After"/>, <see cref="UpTo"/>], the place and resource filters, zero fees or not.</summary>
public sealed record DetailedFeeFilter(DateTime After, DateTime UpTo, string? ServiceTypeCode, string? Region, string? ResourceTypeCode, string? ResourceId, bool IncludeZero)
{
    public bool Wants(UsageFee x) => x.RatingPeriod > After && x.RatingPeriod <= UpTo
                                     && (string.IsNullOrEmpty(ServiceTypeCode) || x.ServiceTypeCode == ServiceTypeCode)
                                     && (string.IsNullOrEmpty(Region) || x.Region == Region) && (string.IsNullOrEmpty(ResourceId) || x.ResourceId == ResourceId)
                                     && (string.IsNullOrEmpty(ResourceTypeCode) || x.ResourceTypeCode == ResourceTypeCode)
                                     && (IncludeZero || x.OfficialAmount != 0);
}

/// <summary>
/// The two reads of a customer's cycle fees behind the detailed records: how many fees each resource and factor shows,
/// and every fee of the page's resources and factors (their charge is split over all their fees). On PostgreSQL each is
/// one statement over the unnested customer-hour rows, so only counts and the page's fees leave the database; elsewhere
/// the rows are expanded in .NET as they stream (<paramref name="inDatabase"/> picks, so a test can compare both).
/// </summary>
public static class DetailedFees
{
    public static async Task<List<(string ResourceId, string UsageFactor, int Count)>> CountsAsync(AppDbContext db, string customer, BillCycle cycle,
        DetailedFeeFilter f, bool inDatabase, CancellationToken ct = default)
    {
        if (!inDatabase)
        {
            var counts = new Dictionary<(string, string), int>();
            await foreach (var x in UsageFees.ReadAsync(db, UsageFees.InCycle(db, customer, cycle.StartUtc, cycle.EndUtc), [customer], ct).WithCancellation(ct))
                if (f.Wants(x)) counts[(x.ResourceId, x.UsageFactor)] = counts.GetValueOrDefault((x.ResourceId, x.UsageFactor)) + 1;
            return counts.Select(c => (c.Key.Item1, c.Key.Item2, c.Value)).ToList();
        }
        var (after, upTo) = (Later(cycle.StartUtc, f.After), Earlier(cycle.EndUtc, f.UpTo));
        var rows = await db.Database.SqlQuery<FeeCount>($"""
            SELECT f.resource AS "ResourceId", f.factor AS "UsageFactor", count(*)::int AS "Count"
            FROM usage_fee_hours h
            CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors", h."OfficialAmounts") AS f(resource, spec, factor, official)
            JOIN catalog_resource_specs s ON s."Id" = f.spec
            WHERE h."CustomerAccountId" = {customer} AND h."Hour" < {cycle.EndUtc} AND h."RatingPeriod" > {after} AND h."RatingPeriod" <= {upTo}
              AND ({Blank(f.ServiceTypeCode)}::text IS NULL OR s."ServiceTypeCode" = {Blank(f.ServiceTypeCode)})
              AND ({Blank(f.Region)}::text IS NULL OR s."Region" = {Blank(f.Region)})
              AND ({Blank(f.ResourceTypeCode)}::text IS NULL OR s."ResourceTypeCode" = {Blank(f.ResourceTypeCode)})
              AND ({Blank(f.ResourceId)}::text IS NULL OR f.resource = {Blank(f.ResourceId)})
              AND ({f.IncludeZero} OR f.official <> 0)
            GROUP BY 1, 2
            """).ToListAsync(ct);
        return rows.Select(r => (r.ResourceId, r.UsageFactor, r.Count)).ToList();
    }

    /// <summary>Every fee of the cycle of the given resources and factors, each group in hour order (then run).</summary>
    public static async Task<List<UsageFee>> OfAsync(AppDbContext db, string customer, BillCycle cycle, IReadOnlyCollection<(string ResourceId, string UsageFactor)> groups,
        bool inDatabase, CancellationToken ct = default)
    {
        List<UsageFee> fees;
        if (!inDatabase)
        {
            var wanted = groups.ToHashSet();
            fees = [];
            await foreach (var x in UsageFees.ReadAsync(db, UsageFees.InCycle(db, customer, cycle.StartUtc, cycle.EndUtc), [customer], ct).WithCancellation(ct))
                if (wanted.Contains((x.ResourceId, x.UsageFactor))) fees.Add(x);
        }
        else
        {
            var resources = groups.Select(g => g.ResourceId).ToArray();
            var factors = groups.Select(g => g.UsageFactor).ToArray();
            var rows = await db.Database.SqlQuery<FeeUnits>($"""
                SELECT h."Hour", h."RatingPeriod", f.resource AS "ResourceId", f.spec AS "SpecId", s."ServiceTypeCode", s."ResourceTypeCode", s."Region",
                       f.factor AS "UsageFactor", f.usage AS "UsageValue", f.measure AS "UsageMeasureId", f.free AS "FreeResourceUsed",
                       f.official AS "OfficialAmount", f.amount AS "Amount", f.settlement AS "SettlementAmount"
                FROM usage_fee_hours h
                CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors", h."UsageValues", h."UsageMeasureIds", h."FreeResourceUsed",
                                          h."OfficialAmounts", h."Amounts", h."SettlementAmounts") AS f(resource, spec, factor, usage, measure, free, official, amount, settlement)
                JOIN catalog_resource_specs s ON s."Id" = f.spec
                WHERE h."CustomerAccountId" = {customer} AND h."Hour" < {cycle.EndUtc} AND h."RatingPeriod" > {cycle.StartUtc} AND h."RatingPeriod" <= {cycle.EndUtc}
                  AND (f.resource, f.factor) IN (SELECT * FROM unnest({resources}::text[], {factors}::text[]))
                """).ToListAsync(ct);
            static decimal D(long units) => units / Money.PreciseUnitsPerUnit;
            fees = rows.Select(r => new UsageFee(customer, r.Hour, r.RatingPeriod, r.ResourceId, r.SpecId, r.ServiceTypeCode, r.ResourceTypeCode, r.Region,
                r.UsageFactor, D(r.UsageValue), r.UsageMeasureId, D(r.FreeResourceUsed), D(r.OfficialAmount), D(r.Amount), D(r.SettlementAmount))).ToList();
        }
        // Hour then run: a resource's charge is split over its fees in this order (one fee per resource, factor, hour and run).
        return fees.OrderBy(x => x.Hour).ThenBy(x => x.RatingPeriod).ToList();
    }

    static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
    static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
    static DateTime Earlier(DateTime a, DateTime b) => a < b ? a : b;

    sealed class FeeCount
    {
        public required string ResourceId { get; init; }
        public required string UsageFactor { get; init; }
        public int Count { get; init; }
    }

    /// <summary>A <see cref="UsageFee"/> as PostgreSQL unnests it, quantities and amounts in 10⁻⁸ units.</summary>
    sealed class FeeUnits
    {
        public DateTime Hour { get; init; }
        public DateTime RatingPeriod { get; init; }
        public required string ResourceId { get; init; }
        public required string SpecId { get; init; }
        public required string ServiceTypeCode { get; init; }
        public required string ResourceTypeCode { get; init; }
        public required string Region { get; init; }
        public required string UsageFactor { get; init; }
        public long UsageValue { get; init; }
        public int UsageMeasureId { get; init; }
        public long FreeResourceUsed { get; init; }
        public long OfficialAmount { get; init; }
        public long Amount { get; init; }
        public long SettlementAmount { get; init; }
    }
}
