using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>A resource's fees of one usage factor on one Beijing day, summed.</summary>
public sealed record DailyFeeSum(string ResourceId, string UsageFactor, DateOnly Day, decimal Usage, decimal Free, decimal Official, decimal Amount, decimal Settlement);

/// <summary>Usage of one factor and measure on one Beijing day.</summary>
public sealed record DailyUsageSum(DateOnly Day, string UsageFactor, int UsageMeasureId, decimal Usage);

/// <summary>
/// A customer's cycle fees summed per Beijing day (a run at period P rated the hour before it, whose day is the date of
/// P + 7 hours). On PostgreSQL one <c>GROUP BY</c> over the unnested customer-hour rows, so only the sums leave the
/// database; elsewhere the rows are expanded in .NET as they stream (<c>inDatabase</c> picks, so a test can compare both).
/// </summary>
public static class DailyFees
{
    public static DateOnly Day(UsageFee fee) => DateOnly.FromDateTime(fee.RatingPeriod.AddHours(7));

    /// <summary>The sums per resource, usage factor and day, for the daily records' split of each resource's cycle charge.</summary>
    public static async Task<List<DailyFeeSum>> PerResourceAsync(AppDbContext db, string customer, BillCycle cycle, bool inDatabase, CancellationToken ct = default)
    {
        if (!inDatabase)
        {
            var sums = new Dictionary<(string, string, DateOnly), (decimal Usage, decimal Free, decimal Official, decimal Amount, decimal Settlement)>();
            await foreach (var x in UsageFees.ReadAsync(db, UsageFees.InCycle(db, customer, cycle.StartUtc, cycle.EndUtc), [customer], ct).WithCancellation(ct))
            {
                var key = (x.ResourceId, x.UsageFactor, Day(x));
                var s = sums.GetValueOrDefault(key);
                sums[key] = (s.Usage + x.UsageValue, s.Free + x.FreeResourceUsed, s.Official + x.OfficialAmount, s.Amount + x.Amount, s.Settlement + x.SettlementAmount);
            }
            return sums.Select(s => new DailyFeeSum(s.Key.Item1, s.Key.Item2, s.Key.Item3, s.Value.Usage, s.Value.Free, s.Value.Official, s.Value.Amount, s.Value.Settlement)).ToList();
        }
        var rows = await db.Database.SqlQuery<ResourceDayUnits>($"""
            SELECT f.resource AS "ResourceId", f.factor AS "UsageFactor", h.day AS "Day", sum(f.usage)::bigint AS "Usage", sum(f.free)::bigint AS "Free",
                   sum(f.official)::bigint AS "Official", sum(f.amount)::bigint AS "Amount", sum(f.settlement)::bigint AS "Settlement"
            FROM (SELECT *, (("RatingPeriod" AT TIME ZONE 'UTC') + interval '7 hours')::date AS day FROM usage_fee_hours
                  WHERE "CustomerAccountId" = {customer} AND "Hour" < {cycle.EndUtc} AND "RatingPeriod" > {cycle.StartUtc} AND "RatingPeriod" <= {cycle.EndUtc}) h
            CROSS JOIN LATERAL unnest(h."ResourceIds", h."UsageFactors", h."UsageValues", h."FreeResourceUsed", h."OfficialAmounts", h."Amounts", h."SettlementAmounts")
                AS f(resource, factor, usage, free, official, amount, settlement)
            GROUP BY 1, 2, 3
            """).ToListAsync(ct);
        return rows.Select(r => new DailyFeeSum(r.ResourceId, r.UsageFactor, r.Day, D(r.Usage), D(r.Free), D(r.Official), D(r.Amount), D(r.Settlement))).ToList();
    }

    /// <summary>Usage per day, factor and measure of the fees of a service, resource type, factor and resource (each filter optional).</summary>
    public static async Task<List<DailyUsageSum>> UsageAsync(AppDbContext db, string customer, BillCycle cycle, string? serviceTypeCode, string? resourceTypeCode,
        string? usageFactor, string? resourceId, bool inDatabase, CancellationToken ct = default)
    {
        (serviceTypeCode, resourceTypeCode, usageFactor, resourceId) = (Blank(serviceTypeCode), Blank(resourceTypeCode), Blank(usageFactor), Blank(resourceId));
        if (!inDatabase)
        {
            var days = new Dictionary<(DateOnly, string, int), decimal>();
            await foreach (var x in UsageFees.ReadAsync(db, UsageFees.InCycle(db, customer, cycle.StartUtc, cycle.EndUtc), [customer], ct).WithCancellation(ct))
            {
                if ((serviceTypeCode ?? x.ServiceTypeCode) != x.ServiceTypeCode || (resourceTypeCode ?? x.ResourceTypeCode) != x.ResourceTypeCode
                    || (usageFactor ?? x.UsageFactor) != x.UsageFactor || (resourceId ?? x.ResourceId) != x.ResourceId) continue;
                var key = (Day(x), x.UsageFactor, x.UsageMeasureId);
                days[key] = days.GetValueOrDefault(key) + x.UsageValue;
            }
            return days.Select(d => new DailyUsageSum(d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value)).ToList();
        }
        var rows = await db.Database.SqlQuery<UsageDayUnits>($"""
            SELECT h.day AS "Day", f.factor AS "UsageFactor", f.measure AS "UsageMeasureId", sum(f.usage)::bigint AS "Usage"
            FROM (SELECT *, (("RatingPeriod" AT TIME ZONE 'UTC') + interval '7 hours')::date AS day FROM usage_fee_hours
                  WHERE "CustomerAccountId" = {customer} AND "Hour" < {cycle.EndUtc} AND "RatingPeriod" > {cycle.StartUtc} AND "RatingPeriod" <= {cycle.EndUtc}) h
            CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors", h."UsageMeasureIds", h."UsageValues") AS f(resource, spec, factor, measure, usage)
            JOIN catalog_resource_specs s ON s."Id" = f.spec
            WHERE ({serviceTypeCode}::text IS NULL OR s."ServiceTypeCode" = {serviceTypeCode})
              AND ({resourceTypeCode}::text IS NULL OR s."ResourceTypeCode" = {resourceTypeCode})
              AND ({usageFactor}::text IS NULL OR f.factor = {usageFactor}) AND ({resourceId}::text IS NULL OR f.resource = {resourceId})
            GROUP BY 1, 2, 3
            """).ToListAsync(ct);
        return rows.Select(r => new DailyUsageSum(r.Day, r.UsageFactor, r.UsageMeasureId, D(r.Usage))).ToList();
    }

    /// <summary>Per resource with fees of a service, resource type and factor (each filter optional): on how many Beijing days it had them.</summary>
    public static async Task<List<(string ResourceId, int Days)>> ResourceDaysAsync(AppDbContext db, string customer, BillCycle cycle, string? serviceTypeCode,
        string? resourceTypeCode, string? usageFactor, bool inDatabase, CancellationToken ct = default)
    {
        (serviceTypeCode, resourceTypeCode, usageFactor) = (Blank(serviceTypeCode), Blank(resourceTypeCode), Blank(usageFactor));
        if (!inDatabase)
        {
            var days = new Dictionary<string, HashSet<DateOnly>>(StringComparer.Ordinal);
            await foreach (var x in UsageFees.ReadAsync(db, UsageFees.InCycle(db, customer, cycle.StartUtc, cycle.EndUtc), [customer], ct).WithCancellation(ct))
            {
                if ((serviceTypeCode ?? x.ServiceTypeCode) != x.ServiceTypeCode || (resourceTypeCode ?? x.ResourceTypeCode) != x.ResourceTypeCode
                    || (usageFactor ?? x.UsageFactor) != x.UsageFactor) continue;
                (days.TryGetValue(x.ResourceId, out var set) ? set : days[x.ResourceId] = []).Add(Day(x));
            }
            return days.Select(d => (d.Key, d.Value.Count)).ToList();
        }
        var rows = await db.Database.SqlQuery<ResourceDays>($"""
            SELECT f.resource AS "ResourceId", count(DISTINCT h.day)::int AS "Days"
            FROM (SELECT *, (("RatingPeriod" AT TIME ZONE 'UTC') + interval '7 hours')::date AS day FROM usage_fee_hours
                  WHERE "CustomerAccountId" = {customer} AND "Hour" < {cycle.EndUtc} AND "RatingPeriod" > {cycle.StartUtc} AND "RatingPeriod" <= {cycle.EndUtc}) h
            CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors") AS f(resource, spec, factor)
            JOIN catalog_resource_specs s ON s."Id" = f.spec
            WHERE ({serviceTypeCode}::text IS NULL OR s."ServiceTypeCode" = {serviceTypeCode})
              AND ({resourceTypeCode}::text IS NULL OR s."ResourceTypeCode" = {resourceTypeCode})
              AND ({usageFactor}::text IS NULL OR f.factor = {usageFactor})
            GROUP BY 1
            """).ToListAsync(ct);
        return rows.Select(r => (r.ResourceId, r.Days)).ToList();
    }

    static decimal D(long units) => units / Money.PreciseUnitsPerUnit;
    static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;

    sealed class ResourceDayUnits
    {
        public required string ResourceId { get; init; }
        public required string UsageFactor { get; init; }
        public DateOnly Day { get; init; }
        public long Usage { get; init; }
        public long Free { get; init; }
        public long Official { get; init; }
        public long Amount { get; init; }
        public long Settlement { get; init; }
    }

    sealed class ResourceDays
    {
        public required string ResourceId { get; init; }
        public int Days { get; init; }
    }

    sealed class UsageDayUnits
    {
        public DateOnly Day { get; init; }
        public required string UsageFactor { get; init; }
        public int UsageMeasureId { get; init; }
        public long Usage { get; init; }
    }
}
