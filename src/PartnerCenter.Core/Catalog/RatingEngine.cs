using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Catalog;

/// <summary>A yearly/monthly product to rate, located by service type + resource type + spec + region.</summary>
public sealed record PeriodProduct(string CloudServiceType, string ResourceType, string ResourceSpec, string Region,
    decimal? ResourceSize, int? SizeMeasureId, int PeriodType /*2 month, 3 year (0 day, 4 hour accepted where priced)*/, int PeriodNum, int SubscriptionNum);

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
    const decimal MaxUsageValue = 1_000_000_000_000m;

    /// <exception cref="ServiceException">CBC.0100 bad input; CBC.99006006 no such product, or the period is not sold for it.</exception>
    public async Task<PeriodQuote> RatePeriodAsync(string customerAccountId, PeriodProduct product, CancellationToken ct = default)
    {
        var (min, max) = product.PeriodType switch
        {
            0 => (1, 31), 2 => (1, 11), 3 => (1, 3), 4 => (1, 24),
            _ => throw Check.Invalid("period_type must be 2 (month) or 3 (year); 0 (day) and 4 (hour) where priced."),
        };
        if (product.PeriodNum < min || product.PeriodNum > max) throw Check.Invalid($"period_num must be {min} to {max} for period_type {product.PeriodType}.");
        if (product.SubscriptionNum is < 1 or > MaxSubscriptionNum) throw Check.Invalid($"subscription_num must be 1 to {MaxSubscriptionNum}.");
        var now = clock.GetUtcNow().UtcDateTime;
        var spec = await FindSpecAsync(product.CloudServiceType, product.ResourceType, product.ResourceSpec, product.Region, ct);
        var size = Size(spec, product.ResourceSize, product.SizeMeasureId, sizeMeasureRequired: true);
        var lines = await PricesInForceAsync(spec.Id, now, ct);
        var line = lines.SingleOrDefault(p => p.Kind == PriceKind.Period && p.PeriodType == product.PeriodType)
                   ?? throw new ServiceException(Errors.ProductNotFound($"{spec.SpecCode} in {spec.Region} is not sold by the {CatalogService.PeriodKey(product.PeriodType)}."));
        var official = Money.Round2(line.UnitPrice * size * product.PeriodNum * product.SubscriptionNum);
        var partner = await PartnerOfAsync(customerAccountId, ct);
        var discounts = await DiscountOptionsAsync(customerAccountId, partner, spec.ServiceTypeCode, official, Money.Round2, now, ct);
        var settlement = await SettlementAmountAsync(partner, official, Money.Round2, now, ct);
        return new PeriodQuote(spec.Id, official, discounts, settlement);
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
        var spec = await FindSpecAsync(cloudServiceType, resourceType, resourceSpec, region, ct);
        var size = Size(spec, resourceSize, null, sizeMeasureRequired: false);
        var tiers = (await PricesInForceAsync(spec.Id, now, ct)).Where(p => p.Kind == PriceKind.Usage && p.UsageFactor == usageFactor).OrderBy(p => p.TierStart).ToList();
        if (tiers.Count == 0) throw new ServiceException(Errors.ProductNotFound($"{spec.SpecCode} in {spec.Region} is not charged by {usageFactor}."));
        var ratio = await ConversionFactorAsync(usageMeasureId, tiers[0].UsageMeasureId!.Value, ct)
                    ?? throw new ServiceException(Errors.WrongUsageUnit($"usage_measure_id {usageMeasureId} does not convert to the unit {usageFactor} is priced in (measure {tiers[0].UsageMeasureId})."));
        var quantity = usageValue * ratio;
        var sum = 0m;
        for (var i = 0; i < tiers.Count; i++)
        {
            var upper = i + 1 < tiers.Count ? tiers[i + 1].TierStart : decimal.MaxValue;
            if (quantity <= tiers[i].TierStart) break;
            sum += (Math.Min(quantity, upper) - tiers[i].TierStart) * tiers[i].UnitPrice;
        }
        var official = Money.Round8(sum * size);
        var partner = await PartnerOfAsync(customerAccountId, ct);
        var discounts = await DiscountOptionsAsync(customerAccountId, partner, spec.ServiceTypeCode, official, Money.Round8, now, ct);
        var settlement = await SettlementAmountAsync(partner, official, Money.Round8, now, ct);
        var best = discounts.FirstOrDefault(d => d.BestOffer);
        return new UsageQuote(spec.Id, official, best?.Amount ?? official, settlement, discounts);
    }

    async Task<ResourceSpec> FindSpecAsync(string service, string resourceType, string specCode, string region, CancellationToken ct)
    {
        Check.MaxLength(Check.Required(service, "cloud_service_type"), "cloud_service_type", 64);
        Check.MaxLength(Check.Required(resourceType, "resource_type"), "resource_type", 64);
        Check.MaxLength(Check.Required(specCode, "resource_spec"), "resource_spec", 128);
        Check.MaxLength(Check.Required(region, "region"), "region", 64);
        return await SpecQuery(db, service, resourceType, specCode, region)
               ?? throw new ServiceException(Errors.ProductNotFound($"{service} / {resourceType} / {specCode} in {region}."));
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
        var lines = await PricesQuery(db, specId, at).ToListAsync(ct);
        if (lines.Count == 0) return [];
        var version = lines.Max(p => p.EffectiveFrom);
        return lines.Where(p => p.EffectiveFrom == version).ToList();
    }

    /// <summary>How many <paramref name="to"/> units one <paramref name="from"/> unit is, through the conversion table (either direction, chained); null when they do not convert.</summary>
    async Task<decimal?> ConversionFactorAsync(int from, int to, CancellationToken ct)
    {
        if (from == to) return 1m;
        var conversions = await db.MeasureConversions.AsNoTracking().ToListAsync(ct);
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
    /// (ties: commercial 605, then 606, then partner-set 607). A partner-set discount applies only while its partner is
    /// still the customer's partner.
    /// </summary>
    async Task<List<DiscountOption>> DiscountOptionsAsync(string customer, CustomerPartner? association, string service, decimal official, Func<decimal, decimal> round,
        DateTime now, CancellationToken ct)
    {
        var partner = association?.PartnerAccountId;
        var discounts = await DiscountsQuery(db, customer, service, now).ToListAsync(ct);
        var options = discounts
            .Where(d => d.DiscountType != DiscountTypes.PartnerSet || d.GrantedByAccountId == partner)
            .Select(d => (d, Off: round(official * d.Rate)))
            .OrderByDescending(x => x.Off).ThenBy(x => DiscountTypes.Priority(x.d.DiscountType)).ThenBy(x => x.d.CreatedAt)
            .ToList();
        return options.Select((x, i) => new DiscountOption(x.d.Id, x.d.DiscountType, x.Off, official - x.Off, i == 0 && x.Off > 0)).ToList();
    }

    /// <summary>
    /// What the partner pays the platform for this amount when the customer is its resale customer: list × (1 − the
    /// partner's settlement discount; a reseller without one of its own uses its distributor's). Otherwise the list price.
    /// </summary>
    async Task<decimal> SettlementAmountAsync(CustomerPartner? association, decimal official, Func<decimal, decimal> round, DateTime now, CancellationToken ct)
    {
        if (association is not { AssociationType: AssociationTypes.Resale } resale) return official;
        var rate = await SettlementRateAsync(resale.PartnerAccountId, now, ct);
        if (rate is null && await db.Partners.AsNoTracking().Where(p => p.AccountId == resale.PartnerAccountId).Select(p => p.DistributorAccountId).SingleOrDefaultAsync(ct) is { } distributor)
            rate = await SettlementRateAsync(distributor, now, ct);
        return rate is { } r ? round(official * (1 - r)) : official;
    }

    /// <summary>The customer's partner and how it is associated (null: no partner); read once per rating.</summary>
    sealed record CustomerPartner(string PartnerAccountId, string AssociationType);

    Task<CustomerPartner?> PartnerOfAsync(string customer, CancellationToken ct) => PartnerQuery(db, customer);

    // Rating runs for every order, renewal and hour of usage: its queries are compiled once (no expression tree to build
    // and look up per call, which cost more than the queries themselves on SQLite).
    static readonly Func<AppDbContext, string, string, string, string, Task<ResourceSpec?>> SpecQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string service, string resourceType, string specCode, string region) => db.ResourceSpecs.AsNoTracking()
            .SingleOrDefault(s => s.ServiceTypeCode == service && s.ResourceTypeCode == resourceType && s.SpecCode == specCode && s.Region == region));

    static readonly Func<AppDbContext, string, DateTime, IAsyncEnumerable<SpecPrice>> PricesQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string specId, DateTime at) => db.SpecPrices.AsNoTracking().Where(p => p.SpecId == specId && p.EffectiveFrom <= at));

    static readonly Func<AppDbContext, string, string, DateTime, IAsyncEnumerable<CustomerDiscount>> DiscountsQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer, string service, DateTime now) => db.CustomerDiscounts.AsNoTracking()
            .Where(d => d.CustomerAccountId == customer && d.RevokedAt == null && d.ValidFrom <= now && (d.ValidTo == null || d.ValidTo > now)
                        && (d.ServiceTypeCode == null || d.ServiceTypeCode == service)));

    static readonly Func<AppDbContext, string, Task<CustomerPartner?>> PartnerQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer) => db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == customer)
            .Select(a => new CustomerPartner(a.PartnerAccountId, a.AssociationType)).SingleOrDefault());

    internal async Task<decimal?> SettlementRateAsync(string partnerAccountId, DateTime now, CancellationToken ct) =>
        await db.SettlementDiscounts.AsNoTracking().Where(s => s.PartnerAccountId == partnerAccountId && s.EffectiveFrom <= now)
            .OrderByDescending(s => s.EffectiveFrom).ThenByDescending(s => s.Id).Select(s => (decimal?)s.Rate).FirstOrDefaultAsync(ct);
}
