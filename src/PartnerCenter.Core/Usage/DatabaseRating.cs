using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Usage;

/// <summary>
/// On PostgreSQL the hourly run rates usage inside the database: reading the sums out and copying the fee rows back in
/// cost more than the pricing in between (one hour of 10,000 resources: ≈ 28 ms out, 45 ms back, 17 ms to price), so the
/// rows never leave the database (the whole hourly run went from ≈ 170 ms to ≈ 110 ms). The prices are
/// still worked out by <see cref="RatingEngine"/>: it builds every pricer the customers' usage could need (one per
/// customer, spec, size, usage factor and price version) and hands them over as <see cref="UsagePricer.Terms"/>; one
/// statement then sums the period's usage, converts it to the priced unit, applies the tier, size, best discount and
/// settlement rate with the same 8-decimal rounding as <see cref="UsagePricer.Rate"/>, writes the fees (one
/// <see cref="UsageFeeHour"/> per customer and hour) and adds them to
/// the customers' <see cref="UsageAccount"/>s. Customers whose usage it cannot rate in full (a factor or a unit the
/// prices do not take) are left to the in-memory rating, which rates them or fails as it always has.
/// </summary>
static class DatabaseRating
{
    /// <summary>Rates the usage of <paramref name="customers"/> received for <paramref name="period"/>; returns, per customer rated, its fees and records.</summary>
    public static async Task<Dictionary<string, (int Fees, int Records)>> RateAsync(AppDbContext db, RatingEngine.UsageRatingContext context, DateTime period,
        IReadOnlyCollection<string> customers, CancellationToken ct)
    {
        var keys = await db.CloudResources.AsNoTracking().Where(r => customers.Contains(r.CustomerAccountId))
            .Select(r => new { r.CustomerAccountId, r.SpecId, r.SpecSize }).Distinct().ToListAsync(ct);
        var specIds = keys.Select(k => k.SpecId).Distinct().ToList();
        var specs = await db.ResourceSpecs.AsNoTracking().Where(s => specIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var conversions = await db.MeasureConversions.AsNoTracking().ToListAsync(ct);

        var pricers = new Columns();
        foreach (var key in keys)
            foreach (var hourly in await context.PricersByHoursAsync(key.CustomerAccountId, specs[key.SpecId], key.SpecSize, ct))
                pricers.Add(key.CustomerAccountId, specs[key.SpecId], key.SpecSize, hourly);

        // Every unit usage may come in, to every unit a price is per, with how many of the one make one of the other.
        var priced = pricers.Measures.Distinct().ToList();
        var ratios = conversions.SelectMany(c => new[] { c.MeasureId, c.RefMeasureId }).Concat(priced).Distinct()
            .SelectMany(from => priced.Select(to => (From: from, To: to, Ratio: RatingEngine.ConversionFactor(conversions, from, to))))
            .Where(r => r.Ratio is not null).ToList();

        await using var command = new NpgsqlCommand(Statement, (NpgsqlConnection)db.Database.GetDbConnection());
        var p = command.Parameters;
        p.AddWithValue("period", NpgsqlDbType.TimestampTz, period);
        p.AddWithValue("pk", NpgsqlDbType.Array | NpgsqlDbType.Integer, Enumerable.Range(0, pricers.Measures.Count).ToArray());
        p.AddWithValue("pcustomer", NpgsqlDbType.Array | NpgsqlDbType.Text, pricers.Customers.ToArray());
        p.AddWithValue("pspec", NpgsqlDbType.Array | NpgsqlDbType.Text, pricers.Specs.ToArray());
        p.AddWithValue("psizekey", NpgsqlDbType.Array | NpgsqlDbType.Bigint, pricers.SizeKeys.ToArray());
        p.AddWithValue("pfactor", NpgsqlDbType.Array | NpgsqlDbType.Text, pricers.Factors.ToArray());
        p.AddWithValue("pfrom", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, pricers.From.ToArray());
        p.AddWithValue("puntil", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, pricers.Until.ToArray());
        p.AddWithValue("pmeasure", NpgsqlDbType.Array | NpgsqlDbType.Integer, pricers.Measures.ToArray());
        p.AddWithValue("psize", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.Sizes.ToArray());
        p.AddWithValue("pdiscount", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.Discounts.ToArray());
        p.AddWithValue("psettlement", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.Settlements.ToArray());
        p.AddWithValue("tk", NpgsqlDbType.Array | NpgsqlDbType.Integer, pricers.TierPricers.ToArray());
        p.AddWithValue("tstart", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.TierStarts.ToArray());
        p.AddWithValue("tend", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.TierEnds.ToArray());
        p.AddWithValue("tprice", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.TierPrices.ToArray());
        p.AddWithValue("tbelow", NpgsqlDbType.Array | NpgsqlDbType.Numeric, pricers.TierBelow.ToArray());
        p.AddWithValue("rfrom", NpgsqlDbType.Array | NpgsqlDbType.Integer, ratios.Select(r => r.From).ToArray());
        p.AddWithValue("rto", NpgsqlDbType.Array | NpgsqlDbType.Integer, ratios.Select(r => r.To).ToArray());
        p.AddWithValue("rratio", NpgsqlDbType.Array | NpgsqlDbType.Numeric, ratios.Select(r => r.Ratio!.Value).ToArray());
        command.Transaction = (NpgsqlTransaction)(db.Database.CurrentTransaction ?? throw new InvalidOperationException("Rating runs inside the run's transaction.")).GetDbTransaction();

        var rated = new Dictionary<string, (int, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rated[reader.GetString(0)] = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
        return rated;
    }

    /// <summary>
    /// The pricers as parallel arrays, one element per pricer (tiers: one per tier, with its pricer's index). Quantities
    /// and amounts are in the 10⁻⁸ units they are stored in: a tier's start and end, and the price below it, × 10⁸.
    /// </summary>
    sealed class Columns
    {
        public readonly List<string> Customers = [], Specs = [], Factors = [];
        public readonly List<long> SizeKeys = [];
        public readonly List<DateTime> From = [], Until = [];
        public readonly List<int> Measures = [], TierPricers = [];
        public readonly List<decimal> Sizes = [], Discounts = [], Settlements = [], TierStarts = [], TierEnds = [], TierPrices = [], TierBelow = [];

        public void Add(string customer, ResourceSpec spec, decimal? specSize, HourlyPricer hourly)
        {
            var (tiers, size, discount, settlement) = hourly.Pricer.Terms();
            foreach (var tier in tiers)
            {
                TierPricers.Add(Measures.Count);
                TierStarts.Add(tier.Start * Money.PreciseUnitsPerUnit);
                TierEnds.Add(tier.End == decimal.MaxValue ? decimal.MaxValue : tier.End * Money.PreciseUnitsPerUnit);
                TierPrices.Add(tier.UnitPrice);
                TierBelow.Add(tier.Below * Money.PreciseUnitsPerUnit);
            }
            Customers.Add(customer);
            Specs.Add(spec.Id);
            SizeKeys.Add(SizeKey(specSize));
            Factors.Add(hourly.UsageFactor);
            From.Add(DateTime.SpecifyKind(hourly.From, DateTimeKind.Utc));
            Until.Add(DateTime.SpecifyKind(hourly.Until, DateTimeKind.Utc));
            Measures.Add(hourly.Pricer.MeasureId);
            Sizes.Add(size);
            Discounts.Add(discount);
            Settlements.Add(settlement);
        }

        /// <summary>The resource's size as stored (micro-units, <see cref="MoneyConverter"/>), −1 for none, so the join is an equality.</summary>
        static long SizeKey(decimal? size) => size is { } s ? (long)(s * Money.MicrosPerUnit) : -1;
    }

    // Quantities and amounts stay in the 10⁻⁸ units they are stored in (PreciseAmountConverter), so rounding to 8
    // decimals is rounding to a whole number of units, and round(numeric) rounds half away from zero as Money.Round8
    // does: official = (price below the tier + (quantity − tier start) × unit price) × size; amount = official − official
    // × best discount rate; settlement = official × (1 − settlement rate), each rounded once.
    //
    // The planner cannot know how many rows the unnested pricers and a period's usage give (a period just ingested has no
    // statistics yet) and guesses one, which makes it loop over the pricers for every usage sum; every join here is of
    // whole sets, so it hashes them.
    const string Statement = """
        SET LOCAL enable_nestloop = off;
        WITH pricers AS (
            SELECT * FROM unnest(@pk, @pcustomer, @pspec, @psizekey, @pfactor, @pfrom, @puntil, @pmeasure,
                                 @psize, @pdiscount, @psettlement)
                AS p(k, customer, spec, size_key, factor, hours_from, hours_until, measure, size, discount, settlement)),
        tiers AS (
            SELECT * FROM unnest(@tk, @tstart, @tend, @tprice, @tbelow) AS t(k, tier_start, tier_end, unit_price, below)),
        ratios AS (
            SELECT * FROM unnest(@rfrom, @rto, @rratio) AS r(from_measure, to_measure, ratio)),
        sums AS (
            SELECT u."CustomerAccountId" AS customer, u."ResourceId" AS resource, u."UsageFactor" AS factor, u."Hour" AS hour,
                   min(u."UsageMeasureId") AS measure, sum(u."UsageValue") AS units, count(*) AS records
            FROM usage_records u
            WHERE u."RatingPeriod" = @period
            GROUP BY 1, 2, 3, 4
            HAVING min(u."UsageMeasureId") = max(u."UsageMeasureId")),
        quantities AS MATERIALIZED (
            SELECT s.customer, s.resource, s.factor, s.hour, s.records, p.k,
                   CASE WHEN r.ratio = 1 THEN s.units ELSE round(s.units * r.ratio) END AS quantity
            FROM sums s
            JOIN cloud_resources c ON c."Id" = s.resource
            JOIN pricers p ON p.customer = s.customer AND p.spec = c."SpecId" AND p.size_key = coalesce(c."SpecSize", -1) AND p.factor = s.factor
                          AND s.hour >= p.hours_from AND s.hour < p.hours_until
            JOIN ratios r ON r.from_measure = s.measure AND r.to_measure = p.measure),
        -- Each pricer prices each distinct quantity once (an hour of a VM is the same quantity every hour).
        prices AS (
            SELECT p.k, d.quantity, p.spec, p.measure, o.official,
                   o.official - round(o.official * p.discount) AS amount, round(o.official * (1 - p.settlement)) AS settlement
            FROM (SELECT DISTINCT k, quantity FROM quantities) d
            JOIN pricers p ON p.k = d.k
            LEFT JOIN tiers t ON t.k = d.k AND d.quantity > t.tier_start AND d.quantity <= t.tier_end
            CROSS JOIN LATERAL (SELECT coalesce(round((t.below + (d.quantity - t.tier_start) * t.unit_price) * p.size), 0) AS official) o),
        -- One row per customer and hour, its fees as parallel arrays (array_agg over the same rows keeps them aligned).
        hours AS (
            INSERT INTO usage_fee_hours ("CustomerAccountId", "Hour", "RatingPeriod", "Fees", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt",
                                         "ResourceIds", "SpecIds", "UsageFactors", "UsageValues", "UsageMeasureIds", "FreeResourceUsed",
                                         "OfficialAmounts", "Amounts", "SettlementAmounts")
            SELECT q.customer, q.hour, @period, count(*), sum(a.official), sum(a.amount), sum(a.settlement), @period,
                   array_agg(q.resource), array_agg(a.spec), array_agg(q.factor), array_agg(q.quantity::bigint), array_agg(a.measure),
                   array_agg(0::bigint), array_agg(a.official::bigint), array_agg(a.amount::bigint), array_agg(a.settlement::bigint)
            FROM quantities q JOIN prices a ON a.k = q.k AND a.quantity = q.quantity
            GROUP BY q.customer, q.hour
            RETURNING "CustomerAccountId", "OfficialAmount", "Amount", "SettlementAmount"),
        accrued AS (
            INSERT INTO usage_accounts ("CustomerAccountId", "Accrued", "Deducted", "AccruedOfficial", "SpentOfficial", "AccruedSettlement", "ChargedSettlement", "UpdatedAt")
            SELECT "CustomerAccountId", sum("Amount"), 0, sum("OfficialAmount"), 0, sum("SettlementAmount"), 0, @period FROM hours GROUP BY "CustomerAccountId"
            ON CONFLICT ("CustomerAccountId") DO UPDATE SET
                "Accrued" = usage_accounts."Accrued" + excluded."Accrued",
                "AccruedOfficial" = usage_accounts."AccruedOfficial" + excluded."AccruedOfficial",
                "AccruedSettlement" = usage_accounts."AccruedSettlement" + excluded."AccruedSettlement",
                "UpdatedAt" = excluded."UpdatedAt")
        SELECT customer, count(*), sum(records)::bigint FROM quantities GROUP BY customer;
        RESET enable_nestloop;
        """;
}
