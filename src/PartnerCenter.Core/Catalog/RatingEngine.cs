using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Catalog;

/// <summary>
/// A yearly/monthly product to rate, located by service type + resource type + spec + region. <see cref="ExtraDays"/>:
/// days added to the period (a renewal stretched to the customer's unified renewal date), priced by the day from the
/// monthly price (<see cref="RatingEngine.DaysPerMonth"/>).
/// </summary>
public sealed record PeriodProduct(string CloudServiceType, string ResourceType, string ResourceSpec, string Region,
    decimal? ResourceSize, int? SizeMeasureId, int PeriodType /*2 month, 3 year (0 day, 4 hour accepted where priced)*/, int PeriodNum, int SubscriptionNum,
    int ExtraDays = 0);

/// <summary>One discount the customer may use: <see cref="Amount"/> = list − <see cref="DiscountAmount"/>.</summary>
public sealed record DiscountOption(string DiscountId, int DiscountType /*605 commercial, 606 distributor, 607 partner-set*/, decimal DiscountAmount, decimal Amount /*list - discount*/, bool BestOffer);

/// <summary>
/// The price of a yearly/monthly product. <see cref="SettlementAmount"/> is what the partner pays the platform when the
/// customer is its resale customer; it equals <see cref="OfficialAmount"/> when the customer has no resale partner.
/// </summary>
public sealed record PeriodQuote(string SpecId, decimal OfficialAmount /*list price, 2 decimals*/, IReadOnlyList<DiscountOption> Discounts, decimal SettlementAmount /*what the partner pays the platform for a resale customer; = OfficialAmount when no partner*/);

/// <summary>The price of some usage of a pay-per-use product, every amount with 8 decimals.</summary>
public sealed record UsageQuote(string SpecId, decimal OfficialAmount /*8 decimals*/, decimal Amount /*after the best discount, 8 decimals*/, decimal SettlementAmount, IReadOnlyList<DiscountOption> Discounts);

/// <summary>
/// The one place a price is worked out: price inquiry now, and orders, renewals and usage charging later, so that a
/// quoted price is the price charged. Rates at the business time of the call with the price version in force then.
/// Yearly/monthly amounts round once to 2 decimals (<see cref="Money.Round2"/>), usage amounts to 8 (<see cref="Money.Round8"/>).
/// </summary>
public sealed class RatingEngine(AppDbContext db, TimeProvider clock)
{
    public const int MaxSubscriptionNum = 500;
    /// <summary>
    /// A day of a yearly/monthly product costs its monthly price / 30 (a spec sold only by the year: its yearly price / 360),
    /// whatever the month's length; the day's price is not rounded on its own, the whole amount is rounded once.
    /// </summary>
    public const int DaysPerMonth = 30;
    public const int MaxExtraDays = 31;
    const decimal MaxUsageValue = 1_000_000_000_000m;

    /// <exception cref="ServiceException">CBC.0100 bad input; CBC.99006006 no such product, or the period is not sold for it.</exception>
    public async Task<PeriodQuote> RatePeriodAsync(string customerAccountId, PeriodProduct product, CancellationToken ct = default) =>
        await RatePeriodAsync(customerAccountId, await PartnerQuery(db, customerAccountId), product, ct);

    /// <summary>As above, for a caller that has read the customer's association already (an order checks it first).</summary>
    public Task<PeriodQuote> RatePeriodAsync(string customerAccountId, CustomerAssociation? association, PeriodProduct product, CancellationToken ct = default) =>
        RatePeriodAsync(customerAccountId, association is null ? null : new CustomerPartner(association.PartnerAccountId, association.AssociationType), product, ct);

    async Task<PeriodQuote> RatePeriodAsync(string customerAccountId, CustomerPartner? partner, PeriodProduct product, CancellationToken ct)
    {
        var (min, max) = product.PeriodType switch
        {
            0 => (1, 31), 2 => (1, 11), 3 => (1, 3), 4 => (1, 24),
            _ => throw Check.Invalid("period_type must be 2 (month) or 3 (year); 0 (day) and 4 (hour) where priced."),
        };
        if (product.PeriodNum < min || product.PeriodNum > max) throw Check.Invalid($"period_num must be {min} to {max} for period_type {product.PeriodType}.");
        if (product.SubscriptionNum is < 1 or > MaxSubscriptionNum) throw Check.Invalid($"subscription_num must be 1 to {MaxSubscriptionNum}.");
        var now = clock.GetUtcNow().UtcDateTime;
        var (spec, lines) = await FindSpecWithPricesAsync(product.CloudServiceType, product.ResourceType, product.ResourceSpec, product.Region, now, ct);
        var size = Size(spec, product.ResourceSize, product.SizeMeasureId, sizeMeasureRequired: true);
        var line = lines.SingleOrDefault(p => p.Kind == PriceKind.Period && p.PeriodType == product.PeriodType)
                   ?? throw new ServiceException(Errors.ProductNotFound($"{spec.SpecCode} in {spec.Region} is not sold by the {CatalogService.PeriodKey(product.PeriodType)}."));
        if (product.ExtraDays is < 0 or > MaxExtraDays) throw Check.Invalid($"Extra days are 0 to {MaxExtraDays}.");
        var perUnit = line.UnitPrice * product.PeriodNum;
        if (product.ExtraDays > 0) perUnit += DayPrice(lines, spec) * product.ExtraDays;
        var official = Money.Round2(perUnit * size * product.SubscriptionNum);
        var discounts = DiscountOptions(await DiscountsInForceAsync(customerAccountId, partner, spec.ServiceTypeCode, now, ct), official, Money.Round2);
        var settlement = await SettlementRateOfCustomerAsync(partner, now, ct) is { } rate ? Money.Round2(official * (1 - rate)) : official;
        return new PeriodQuote(spec.Id, official, discounts, settlement);
    }

    /// <summary>The unrounded price of one day of a yearly/monthly spec (<see cref="DaysPerMonth"/>).</summary>
    static decimal DayPrice(List<SpecPrice> lines, ResourceSpec spec)
    {
        if (lines.SingleOrDefault(p => p.Kind == PriceKind.Period && p.PeriodType == 2) is { } month) return month.UnitPrice / DaysPerMonth;
        if (lines.SingleOrDefault(p => p.Kind == PriceKind.Period && p.PeriodType == 3) is { } year) return year.UnitPrice / (12 * DaysPerMonth);
        throw new ServiceException(Errors.ProductNotFound($"{spec.SpecCode} in {spec.Region} has no monthly or yearly price to price days by."));
    }

    /// <summary>
    /// Rates <paramref name="usageValue"/> (in <paramref name="usageMeasureId"/>, converted to the unit the price is per)
    /// across the price tiers of the usage factor; a linear spec multiplies by <paramref name="resourceSize"/>.
    /// Tiers apply within the quantity rated in one call.
    /// </summary>
    /// <exception cref="ServiceException">CBC.0100 bad input; CBC.99006006 no such product or usage factor; CBC.99006050 a unit that does not convert.</exception>
    public async Task<UsageQuote> RateUsageAsync(string customerAccountId, string cloudServiceType, string resourceType, string resourceSpec, string region,
        string usageFactor, decimal usageValue, int usageMeasureId, decimal? resourceSize, CancellationToken ct = default)
    {
        Check.Required(usageFactor, "usage_factor");
        if (usageValue < 0 || usageValue > MaxUsageValue || !Money.HasAtMostEightDecimals(usageValue))
            throw Check.Invalid($"usage_value must be 0 to {MaxUsageValue} with at most 8 decimal places.");
        var now = clock.GetUtcNow().UtcDateTime;
        var (spec, prices) = await FindSpecWithPricesAsync(cloudServiceType, resourceType, resourceSpec, region, now, ct);
        var pricer = await UsagePricerAsync(customerAccountId, spec, prices, usageFactor, resourceSize, now, ct);
        var ratio = await ConversionFactorAsync(usageMeasureId, pricer.MeasureId, ct)
                    ?? throw new ServiceException(Errors.WrongUsageUnit($"usage_measure_id {usageMeasureId} does not convert to the unit {usageFactor} is priced in (measure {pricer.MeasureId})."));
        return pricer.Rate(usageValue * ratio);
    }

    /// <summary>
    /// Everything needed to rate usage of one factor of one spec for one customer, read once at the business time of
    /// the call: the price tiers in force, the customer's discounts and its partner's settlement rate. Rating usage
    /// through a pricer is exactly <see cref="RateUsageAsync"/>; the hourly usage rating uses it to rate many quantities
    /// without reading the same prices again.
    /// </summary>
    /// <exception cref="ServiceException">CBC.0100 a linear spec without a valid size; CBC.99006006 the spec is not charged by this factor.</exception>
    async Task<UsagePricer> UsagePricerAsync(string customerAccountId, ResourceSpec spec, List<SpecPrice> pricesInForce, string usageFactor, decimal? resourceSize,
        DateTime now, CancellationToken ct)
    {
        var partner = await PartnerQuery(db, customerAccountId);
        return Build(spec, usageFactor, resourceSize, pricesInForce,
            await DiscountsInForceAsync(customerAccountId, partner, spec.ServiceTypeCode, now, ct), await SettlementRateOfCustomerAsync(partner, now, ct));
    }

    /// <summary>
    /// A context for rating many customers' usage at once (the hourly run): price versions are read once per spec,
    /// discounts and settlement rates once per customer, then every pricer is what <see cref="UsagePricerAsync"/> builds.
    /// </summary>
    public UsageRatingContext NewUsageContext() => new(this);

    DateTime BusinessNow => clock.GetUtcNow().UtcDateTime;
    AppDbContext Db => db;

    public sealed class UsageRatingContext
    {
        readonly RatingEngine engine;
        readonly DateTime now;
        readonly Dictionary<string, List<SpecPrice>> priceVersions = [];
        readonly Dictionary<(string, string), List<CustomerDiscount>> discounts = [];
        readonly Dictionary<string, decimal?> settlementRates = [];
        readonly Dictionary<(string, string, string, decimal?, DateTime), UsagePricer> pricers = [];

        internal UsageRatingContext(RatingEngine engine)
        {
            this.engine = engine;
            now = engine.BusinessNow;
        }

        /// <summary>
        /// Reads the discounts in force and the settlement rates of many customers with a few queries instead of three
        /// per customer; the result is the same as reading them one by one.
        /// </summary>
        public async Task PrefetchAsync(IReadOnlyCollection<string> customers, CancellationToken ct = default)
        {
            var db = engine.Db;
            var associations = await db.CustomerAssociations.AsNoTracking().Where(a => customers.Contains(a.CustomerAccountId))
                .Select(a => new { a.CustomerAccountId, a.PartnerAccountId, a.AssociationType }).ToDictionaryAsync(a => a.CustomerAccountId, ct);
            var all = (await db.CustomerDiscounts.AsNoTracking()
                    .Where(d => customers.Contains(d.CustomerAccountId) && d.RevokedAt == null && d.ValidFrom <= now && (d.ValidTo == null || d.ValidTo > now))
                    .ToListAsync(ct)).ToLookup(d => d.CustomerAccountId);
            // Enterprise members sharing their master's commercial discounts, and those discounts.
            var sharing = await db.EnterpriseMembers.AsNoTracking().Where(m => customers.Contains(m.MemberAccountId) && m.Status == Enterprise.EnterpriseCodes.Normal
                    && (m.FinancialCustody || m.Permissions.Contains(Enterprise.EnterpriseBills.ShareDiscount)))
                .ToDictionaryAsync(m => m.MemberAccountId, m => m.MasterAccountId, ct);
            var masters = sharing.Values.Distinct().ToList();
            var shared = (masters.Count == 0 ? [] : await db.CustomerDiscounts.AsNoTracking()
                    .Where(d => masters.Contains(d.CustomerAccountId) && d.DiscountType == DiscountTypes.Commercial && d.RevokedAt == null && d.ValidFrom <= now
                                && (d.ValidTo == null || d.ValidTo > now))
                    .ToListAsync(ct)).ToLookup(d => d.CustomerAccountId);
            var resalePartners = associations.Values.Where(a => a.AssociationType == AssociationTypes.Resale).Select(a => a.PartnerAccountId).Distinct().ToList();
            var distributors = await db.Partners.AsNoTracking().Where(p => resalePartners.Contains(p.AccountId))
                .ToDictionaryAsync(p => p.AccountId, p => p.DistributorAccountId, ct);
            var rated = resalePartners.Concat(distributors.Values.OfType<string>()).Distinct().ToList();
            var rates = (await db.SettlementDiscounts.AsNoTracking().Where(d => rated.Contains(d.PartnerAccountId) && d.EffectiveFrom <= now).ToListAsync(ct))
                .GroupBy(d => d.PartnerAccountId)
                .ToDictionary(g => g.Key, g => (decimal?)g.OrderByDescending(d => d.EffectiveFrom).ThenByDescending(d => d.Id).First().Rate);
            foreach (var customer in customers)
            {
                var association = associations.GetValueOrDefault(customer);
                prefetchedDiscounts[customer] = all[customer].Where(d => d.DiscountType != DiscountTypes.PartnerSet || d.GrantedByAccountId == association?.PartnerAccountId)
                    .Concat(sharing.TryGetValue(customer, out var master) ? shared[master] : []).ToList();
                settlementRates[customer] = association?.AssociationType != AssociationTypes.Resale ? null
                    : rates.GetValueOrDefault(association.PartnerAccountId)
                      ?? (distributors.GetValueOrDefault(association.PartnerAccountId) is { } distributor ? rates.GetValueOrDefault(distributor) : null);
            }
        }

        readonly Dictionary<string, List<CustomerDiscount>> prefetchedDiscounts = [];

        /// <summary>
        /// The pricer for usage in <paramref name="hour"/>: with the spec's price version in force then (usage rated in
        /// the run after a new version took effect is still priced as it was when it was used), and the customer's
        /// discounts and settlement rate as they are at the run.
        /// </summary>
        /// <exception cref="ServiceException">As <see cref="UsagePricerAsync"/>.</exception>
        public async Task<UsagePricer> PricerAsync(string customer, ResourceSpec spec, string usageFactor, decimal? resourceSize, DateTime hour, CancellationToken ct = default)
        {
            var versions = await VersionsAsync(spec, ct);
            // Usage from before the spec's first price version (the catalog loaded within that hour) takes the first.
            var version = versions.Where(p => p.EffectiveFrom <= hour).Select(p => (DateTime?)p.EffectiveFrom).Max() ?? versions.Select(p => (DateTime?)p.EffectiveFrom).Min();
            if (pricers.TryGetValue((customer, spec.Id, usageFactor, resourceSize, version ?? DateTime.MinValue), out var cached)) return cached;
            var lines = versions.Where(p => p.EffectiveFrom == version).ToList();
            if (!discounts.TryGetValue((customer, spec.ServiceTypeCode), out var own))
                discounts[(customer, spec.ServiceTypeCode)] = own = prefetchedDiscounts.TryGetValue(customer, out var prefetched)
                    ? prefetched.Where(d => d.ServiceTypeCode == null || d.ServiceTypeCode == spec.ServiceTypeCode).ToList()
                    : await engine.DiscountsInForceAsync(customer, await PartnerQuery(engine.Db, customer), spec.ServiceTypeCode, now, ct);
            if (!settlementRates.TryGetValue(customer, out var rate))
                settlementRates[customer] = rate = await engine.SettlementRateOfCustomerAsync(await PartnerQuery(engine.Db, customer), now, ct);
            var pricer = Build(spec, usageFactor, resourceSize, lines, own, rate);
            pricers[(customer, spec.Id, usageFactor, resourceSize, version ?? DateTime.MinValue)] = pricer;
            return pricer;
        }

        /// <summary>Every price line of the spec up to the run, all versions, read once per run.</summary>
        async Task<List<SpecPrice>> VersionsAsync(ResourceSpec spec, CancellationToken ct)
        {
            if (!priceVersions.TryGetValue(spec.Id, out var versions)) priceVersions[spec.Id] = versions = await PricesQuery(engine.Db, spec.Id, now).ToListAsync(ct);
            return versions;
        }

        /// <summary>
        /// Every pricer the customer's usage of the spec could need, with the hours each prices: one per usage factor
        /// and price version, exactly as <see cref="PricerAsync"/> picks them (the first version also prices the hours
        /// before it). A version that does not charge a factor has no pricer for it, and a size the spec does not take
        /// has none at all: usage there is not rated by these.
        /// </summary>
        public async Task<List<HourlyPricer>> PricersByHoursAsync(string customer, ResourceSpec spec, decimal? resourceSize, CancellationToken ct = default)
        {
            var versions = await VersionsAsync(spec, ct);
            var starts = versions.Select(p => p.EffectiveFrom).Distinct().Order().ToList();
            var result = new List<HourlyPricer>();
            for (var i = 0; i < starts.Count; i++)
            {
                var from = i == 0 ? DateTime.MinValue : starts[i];
                var until = i + 1 < starts.Count ? starts[i + 1] : DateTime.MaxValue;
                foreach (var factor in versions.Where(p => p.EffectiveFrom == starts[i] && p.Kind == PriceKind.Usage).Select(p => p.UsageFactor!).Distinct())
                {
                    try
                    {
                        result.Add(new HourlyPricer(factor, from, until, await PricerAsync(customer, spec, factor, resourceSize, starts[i], ct)));
                    }
                    catch (ServiceException)
                    {
                        return []; // a size the spec does not take: rating its usage must fail as PricerAsync does
                    }
                }
            }
            return result;
        }
    }

    static UsagePricer Build(ResourceSpec spec, string usageFactor, decimal? resourceSize, List<SpecPrice> pricesInForce, List<CustomerDiscount> discounts, decimal? settlementRate)
    {
        var size = Size(spec, resourceSize, null, sizeMeasureRequired: false);
        var tiers = pricesInForce.Where(p => p.Kind == PriceKind.Usage && p.UsageFactor == usageFactor).OrderBy(p => p.TierStart).ToList();
        if (tiers.Count == 0) throw new ServiceException(Errors.ProductNotFound($"{spec.SpecCode} in {spec.Region} is not charged by {usageFactor}."));
        return new UsagePricer(spec.Id, tiers[0].UsageMeasureId!.Value, tiers.Select(t => (t.TierStart, t.UnitPrice)).ToList(), size, discounts, settlementRate);
    }

    /// <summary>The spec of a product, or null when there is none.</summary>
    public Task<ResourceSpec?> SpecAsync(string service, string resourceType, string specCode, string region, CancellationToken ct = default) =>
        db.ResourceSpecs.AsNoTracking().SingleOrDefaultAsync(s => s.ServiceTypeCode == service && s.ResourceTypeCode == resourceType && s.SpecCode == specCode && s.Region == region, ct);

    /// <summary>The usage factors a spec is charged by now, each with the unit its price is per.</summary>
    public async Task<IReadOnlyDictionary<string, int>> UsageFactorsAsync(string specId, CancellationToken ct = default) =>
        (await PricesInForceAsync(specId, clock.GetUtcNow().UtcDateTime, ct)).Where(p => p.Kind == PriceKind.Usage)
            .GroupBy(p => p.UsageFactor!).ToDictionary(g => g.Key, g => g.OrderBy(p => p.TierStart).First().UsageMeasureId!.Value);

    /// <summary>The spec of a product with the lines of its price version in force at <paramref name="at"/>, in one query.</summary>
    async Task<(ResourceSpec Spec, List<SpecPrice> Prices)> FindSpecWithPricesAsync(string service, string resourceType, string specCode, string region, DateTime at, CancellationToken ct)
    {
        Check.MaxLength(Check.Required(service, "cloud_service_type"), "cloud_service_type", 64);
        Check.MaxLength(Check.Required(resourceType, "resource_type"), "resource_type", 64);
        Check.MaxLength(Check.Required(specCode, "resource_spec"), "resource_spec", 128);
        Check.MaxLength(Check.Required(region, "region"), "region", 64);
        var rows = await SpecWithPricesQuery(db, service, resourceType, specCode, region, at).ToListAsync(ct);
        if (rows.Count == 0) throw new ServiceException(Errors.ProductNotFound($"{service} / {resourceType} / {specCode} in {region}."));
        return (rows[0].Spec, InForce(rows.Where(r => r.Price is not null).Select(r => r.Price!).ToList()));
    }

    /// <summary>The size a linear spec is priced by (checked against its range and unit); 1 for any other spec.</summary>
    static decimal Size(ResourceSpec spec, decimal? size, int? measureId, bool sizeMeasureRequired)
    {
        if (!spec.IsLinear) return 1m;
        if (size is not { } s || s != decimal.Truncate(s) || s < spec.MinSize || s > spec.MaxSize)
            throw Check.Invalid($"resource_size must be a whole number from {spec.MinSize} to {spec.MaxSize} for {spec.SpecCode}.");
        if (sizeMeasureRequired && measureId != spec.SizeMeasureId) throw Check.Invalid($"size_measure_id must be {spec.SizeMeasureId} for {spec.SpecCode}.");
        return s;
    }

    /// <summary>The lines of the spec's price version in force at <paramref name="at"/> (the latest effective date not after it).</summary>
    async Task<List<SpecPrice>> PricesInForceAsync(string specId, DateTime at, CancellationToken ct)
    {
        // One query for every version up to now (a spec has few), the latest picked here.
        return InForce(await PricesQuery(db, specId, at).ToListAsync(ct));
    }

    static List<SpecPrice> InForce(List<SpecPrice> lines)
    {
        if (lines.Count == 0) return [];
        var version = lines.Max(p => p.EffectiveFrom);
        return lines.Where(p => p.EffectiveFrom == version).ToList();
    }

    /// <summary>How many <paramref name="to"/> units one <paramref name="from"/> unit is, through the conversion table (either direction, chained); null when they do not convert.</summary>
    async Task<decimal?> ConversionFactorAsync(int from, int to, CancellationToken ct) =>
        from == to ? 1m : ConversionFactor(await db.MeasureConversions.AsNoTracking().ToListAsync(ct), from, to);

    /// <summary>How many <paramref name="to"/> units one <paramref name="from"/> unit is, through <paramref name="conversions"/> (either direction, chained); null when they do not convert.</summary>
    public static decimal? ConversionFactor(IReadOnlyList<MeasureConversion> conversions, int from, int to)
    {
        if (from == to) return 1m;
        var edges = conversions.Select(c => (c.MeasureId, c.RefMeasureId, Factor: (decimal)c.Ratio))
            .Concat(conversions.Select(c => (MeasureId: c.RefMeasureId, RefMeasureId: c.MeasureId, Factor: 1m / c.Ratio))).ToList();
        var seen = new Dictionary<int, decimal> { [from] = 1m };
        var queue = new Queue<int>([from]);
        while (queue.TryDequeue(out var unit))
        {
            foreach (var e in edges.Where(e => e.MeasureId == unit && !seen.ContainsKey(e.RefMeasureId)))
            {
                seen[e.RefMeasureId] = seen[unit] * e.Factor;
                if (e.RefMeasureId == to) return seen[e.RefMeasureId];
                queue.Enqueue(e.RefMeasureId);
            }
        }
        return null;
    }

    /// <summary>
    /// The customer's discounts that apply to the service now, each as an option; the best offer is the largest saving
    /// (ties: commercial 605, then 606, then partner-set 607).
    /// </summary>
    internal static List<DiscountOption> DiscountOptions(IReadOnlyList<CustomerDiscount> discounts, decimal official, Func<decimal, decimal> round)
    {
        var options = discounts
            .Select(d => (d, Off: round(official * d.Rate)))
            .OrderByDescending(x => x.Off).ThenBy(x => DiscountTypes.Priority(x.d.DiscountType)).ThenBy(x => x.d.CreatedAt)
            .ToList();
        return options.Select((x, i) => new DiscountOption(x.d.Id, x.d.DiscountType, x.Off, official - x.Off, i == 0 && x.Off > 0)).ToList();
    }

    /// <summary>
    /// The customer's discounts in force for the service; a partner-set one only while its partner is still the customer's
    /// partner. An enterprise member that shares its master's commercial discounts (SHARE-BIZ-DISCOUNT-TO-SUB, fixed for
    /// finance custody) also gets the master's commercial discounts in force.
    /// </summary>
    async Task<List<CustomerDiscount>> DiscountsInForceAsync(string customer, CustomerPartner? partner, string service, DateTime now, CancellationToken ct)
    {
        var discounts = (await DiscountsQuery(db, customer, service, now).ToListAsync(ct))
            .Where(d => d.DiscountType != DiscountTypes.PartnerSet || d.GrantedByAccountId == partner?.PartnerAccountId).ToList();
        if (await SharingMasterQuery(db, customer) is { } master)
            discounts.AddRange((await DiscountsQuery(db, master, service, now).ToListAsync(ct)).Where(d => d.DiscountType == DiscountTypes.Commercial));
        return discounts;
    }

    /// <summary>The master whose commercial discounts a normal enterprise member shares (null: none).</summary>
    static readonly Func<AppDbContext, string, Task<string?>> SharingMasterQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer) => db.EnterpriseMembers.AsNoTracking()
            .Where(m => m.MemberAccountId == customer && m.Status == Enterprise.EnterpriseCodes.Normal
                        && (m.FinancialCustody || m.Permissions.Contains(Enterprise.EnterpriseBills.ShareDiscount)))
            .Select(m => m.MasterAccountId).SingleOrDefault());

    /// <summary>
    /// The settlement discount rate of the customer's resale partner: what the partner pays the platform is list × (1 −
    /// rate); a reseller without a rate of its own uses its distributor's. Null: not a resale customer, or no rate.
    /// </summary>
    async Task<decimal?> SettlementRateOfCustomerAsync(CustomerPartner? partner, DateTime now, CancellationToken ct)
    {
        if (partner is not { AssociationType: AssociationTypes.Resale } resale) return null;
        var rate = await SettlementRateAsync(resale.PartnerAccountId, now, ct);
        if (rate is null && await db.Partners.AsNoTracking().Where(p => p.AccountId == resale.PartnerAccountId).Select(p => p.DistributorAccountId).SingleOrDefaultAsync(ct) is { } distributor)
            rate = await SettlementRateAsync(distributor, now, ct);
        return rate;
    }

    /// <summary>The customer's partner and how it is associated (null: no partner).</summary>
    internal sealed record CustomerPartner(string PartnerAccountId, string AssociationType);

    // Rating runs for every order, renewal and hour of usage: its queries are compiled once (no expression tree to build
    // and look up per call, which cost more than the queries themselves on SQLite).
    sealed record SpecAndPrice(ResourceSpec Spec, SpecPrice? Price);

    static readonly Func<AppDbContext, string, string, string, string, DateTime, IAsyncEnumerable<SpecAndPrice>> SpecWithPricesQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string service, string resourceType, string specCode, string region, DateTime at) =>
            from s in db.ResourceSpecs.AsNoTracking()
            where s.ServiceTypeCode == service && s.ResourceTypeCode == resourceType && s.SpecCode == specCode && s.Region == region
            from p in db.SpecPrices.AsNoTracking().Where(p => p.SpecId == s.Id && p.EffectiveFrom <= at).DefaultIfEmpty()
            select new SpecAndPrice(s, p));

    static readonly Func<AppDbContext, string, DateTime, IAsyncEnumerable<SpecPrice>> PricesQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string specId, DateTime at) => db.SpecPrices.AsNoTracking().Where(p => p.SpecId == specId && p.EffectiveFrom <= at));

    static readonly Func<AppDbContext, string, string, DateTime, IAsyncEnumerable<CustomerDiscount>> DiscountsQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer, string service, DateTime now) => db.CustomerDiscounts.AsNoTracking()
            .Where(d => d.CustomerAccountId == customer && d.RevokedAt == null && d.ValidFrom <= now && (d.ValidTo == null || d.ValidTo > now)
                        && (d.ServiceTypeCode == null || d.ServiceTypeCode == service)));

    static readonly Func<AppDbContext, string, Task<CustomerPartner?>> PartnerQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer) => db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == customer)
            .Select(a => new CustomerPartner(a.PartnerAccountId, a.AssociationType)).SingleOrDefault());

    internal Task<decimal?> SettlementRateAsync(string partnerAccountId, DateTime now, CancellationToken ct) => SettlementRateQuery(db, partnerAccountId, now);

    static readonly Func<AppDbContext, string, DateTime, Task<decimal?>> SettlementRateQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string partner, DateTime now) => db.SettlementDiscounts.AsNoTracking().Where(s => s.PartnerAccountId == partner && s.EffectiveFrom <= now)
            .OrderByDescending(s => s.EffectiveFrom).ThenByDescending(s => s.Id).Select(s => (decimal?)s.Rate).FirstOrDefault());
}

/// <summary>A pricer with the usage factor and the hours [<see cref="From"/>, <see cref="Until"/>) whose usage it prices.</summary>
public sealed record HourlyPricer(string UsageFactor, DateTime From, DateTime Until, UsagePricer Pricer);

/// <summary>
/// Rates quantities of one usage factor of one spec for one customer, in memory, with the prices, discounts and
/// settlement rate read by <see cref="RatingEngine.UsagePricerAsync"/>. Tiers apply within the quantity rated in one call.
/// </summary>
public sealed class UsagePricer
{
    readonly IReadOnlyList<(decimal Start, decimal UnitPrice)> tiers;
    readonly decimal size;
    readonly IReadOnlyList<CustomerDiscount> discounts;
    readonly decimal? settlementRate;

    internal UsagePricer(string specId, int measureId, IReadOnlyList<(decimal Start, decimal UnitPrice)> tiers, decimal size,
        IReadOnlyList<CustomerDiscount> discounts, decimal? settlementRate)
    {
        (SpecId, MeasureId, this.tiers, this.size, this.discounts, this.settlementRate) = (specId, measureId, tiers, size, discounts, settlementRate);
    }

    public string SpecId { get; }
    /// <summary>The unit the price is per; quantities passed to <see cref="Rate"/> are in it.</summary>
    public int MeasureId { get; }

    /// <summary>
    /// The same price as terms SQL can apply (the hourly run rates in the database on PostgreSQL): per tier, its start,
    /// its end (<see cref="decimal.MaxValue"/> for the last), its unit price and the price of everything below its start;
    /// the size multiplied by; the best discount's rate (the largest rate takes off the most after rounding, as rounding
    /// keeps order; 0: none); the settlement rate (0 when there is none: list × 1 is list).
    /// </summary>
    internal (IReadOnlyList<(decimal Start, decimal End, decimal UnitPrice, decimal Below)> Tiers, decimal Size, decimal BestDiscountRate, decimal SettlementRate) Terms()
    {
        var result = new List<(decimal, decimal, decimal, decimal)>(tiers.Count);
        var below = 0m;
        for (var i = 0; i < tiers.Count; i++)
        {
            var end = i + 1 < tiers.Count ? tiers[i + 1].Start : decimal.MaxValue;
            result.Add((tiers[i].Start, end, tiers[i].UnitPrice, below));
            if (i + 1 < tiers.Count) below += (end - tiers[i].Start) * tiers[i].UnitPrice;
        }
        return (result, size, discounts.Count == 0 ? 0m : discounts.Max(d => d.Rate), settlementRate ?? 0m);
    }

    /// <summary>The price of <paramref name="quantity"/> (in <see cref="MeasureId"/>), every amount with 8 decimals.</summary>
    public UsageQuote Rate(decimal quantity)
    {
        var sum = 0m;
        for (var i = 0; i < tiers.Count; i++)
        {
            var upper = i + 1 < tiers.Count ? tiers[i + 1].Start : decimal.MaxValue;
            if (quantity <= tiers[i].Start) break;
            sum += (Math.Min(quantity, upper) - tiers[i].Start) * tiers[i].UnitPrice;
        }
        var official = Money.Round8(sum * size);
        var options = discounts.Count == 0 ? [] : RatingEngine.DiscountOptions(discounts, official, Money.Round8);
        var settlement = settlementRate is { } r ? Money.Round8(official * (1 - r)) : official;
        var best = options.FirstOrDefault(d => d.BestOffer);
        return new UsageQuote(SpecId, official, best?.Amount ?? official, settlement, options);
    }
}
