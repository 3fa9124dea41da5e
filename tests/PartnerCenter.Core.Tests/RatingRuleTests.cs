using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>Prices from the default catalog (Bangkok, ap-southeast-2, has the base prices) through the one rating engine.</summary>
public sealed class RatingRuleTests : IAsyncLifetime
{
    const string Ecs = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Evs = "hws.service.type.ebs", Volume = "hws.resource.type.volume";
    const string Vpc = "hws.service.type.vpc", Bandwidth = "hws.resource.type.bandwidth", Bangkok = "ap-southeast-2";
    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static PeriodProduct Vm1(int periodType = 2, int periodNum = 1, int count = 1, string region = Bangkok) =>
        new(Ecs, Vm, "s6.small.1.linux", region, null, null, periodType, periodNum, count);

    Task<PeriodQuote> RateAsync(string customer, PeriodProduct p) => h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer, p));

    Task<UsageQuote> UsageAsync(string customer, string service, string resource, string spec, string factor, decimal value, int measure, decimal? size = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer, service, resource, spec, Bangkok, factor, value, measure, size));

    async Task<string> CustomerOfAsync(Caller partner, string type = AssociationTypes.Resale) =>
        (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, "Cust#Pass123", "SG", null, null, null, type)))).Id;

    Task<CustomerDiscount> PartnerDiscountAsync(Caller partner, string customer, decimal rate, string? service = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(partner, new DiscountInput(customer, rate, service, null, null)));

    async Task<CustomerDiscount> CommercialDiscountAsync(string customer, decimal rate, string? service = null)
    {
        var op = await h.OperatorAsync();
        return await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(op, new DiscountInput(customer, rate, service, null, null)));
    }

    [Fact]
    public async Task Monthly_and_yearly_prices_are_separate_lines_times_periods_and_quantity()
    {
        var (customer, _) = await h.NewAccountAsync();
        var month = await RateAsync(customer.AccountId, Vm1());
        Assert.Equal(6.50m, month.OfficialAmount);
        Assert.Equal(6.50m, month.SettlementAmount);
        Assert.Empty(month.Discounts);
        Assert.Equal(39.00m, (await RateAsync(customer.AccountId, Vm1(periodNum: 3, count: 2))).OfficialAmount);
        // A year costs ten months, less than twelve monthly periods.
        Assert.Equal(65.00m, (await RateAsync(customer.AccountId, Vm1(periodType: 3))).OfficialAmount);
        Assert.Equal(71.50m, (await RateAsync(customer.AccountId, Vm1(periodNum: 11))).OfficialAmount);
        // Hong Kong is priced higher than Bangkok.
        Assert.Equal(7.15m, (await RateAsync(customer.AccountId, Vm1(region: "ap-southeast-1"))).OfficialAmount);
    }

    [Fact]
    public async Task Unknown_products_periods_and_bad_counts_are_refused_with_documented_codes()
    {
        var (customer, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.99006006", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1() with { ResourceSpec = "s6.small.1" }))).Code);
        Assert.Equal("CBC.99006006", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(region: "eu-west-0")))).Code);
        // The default catalog sells VMs by month and year, not by day.
        Assert.Equal("CBC.99006006", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(periodType: 0)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(periodType: 7)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(periodNum: 12)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(periodType: 3, periodNum: 4)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, Vm1(count: 0)))).Code);
    }

    [Fact]
    public async Task Linear_products_are_priced_per_size_unit_within_their_range_and_unit()
    {
        var (customer, _) = await h.NewAccountAsync();
        var disk = new PeriodProduct(Evs, Volume, "SAS", Bangkok, 100, 17, 2, 1, 1);
        Assert.Equal(7.00m, (await RateAsync(customer.AccountId, disk)).OfficialAmount);
        Assert.Equal(70.00m, (await RateAsync(customer.AccountId, disk with { PeriodType = 3 })).OfficialAmount);
        var bandwidth = new PeriodProduct(Vpc, Bandwidth, "19_bgp", Bangkok, 5, 15, 2, 2, 1);
        Assert.Equal(220.00m, (await RateAsync(customer.AccountId, bandwidth)).OfficialAmount);
        foreach (var bad in new[] { disk with { ResourceSize = null }, disk with { ResourceSize = 5 }, disk with { ResourceSize = 40000 }, disk with { ResourceSize = 10.5m }, disk with { SizeMeasureId = 15 } })
            Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId, bad))).Code);
    }

    [Fact]
    public async Task Usage_is_rated_across_tiers_in_the_priced_unit_with_8_decimals()
    {
        var (customer, _) = await h.NewAccountAsync();
        // Outbound traffic: the first 10 TB at 0.12, the next 40 TB at 0.10, beyond at 0.08 per GB.
        var traffic = await UsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", "upflow", 20480m, 10);
        Assert.Equal(10240m * 0.12m + 10240m * 0.10m, traffic.OfficialAmount);
        Assert.Equal(traffic.OfficialAmount, traffic.Amount);
        var far = await UsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", "upflow", 60000m, 10);
        Assert.Equal(10240m * 0.12m + 40960m * 0.10m + 8800m * 0.08m, far.OfficialAmount);
        // Reported in MB, priced per GB.
        Assert.Equal(0.12m, (await UsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", "upflow", 1024m, 11)).OfficialAmount);
        // An hour of the smallest VM: 6.50 / 720 × 1.45 per hour, kept at 8 decimals.
        Assert.Equal(0.03927084m, (await UsageAsync(customer.AccountId, Ecs, Vm, "s6.small.1.linux", "Duration", 3m, 4)).OfficialAmount);
        // A day converts to 24 hours.
        Assert.Equal(24 * 0.01309028m, (await UsageAsync(customer.AccountId, Ecs, Vm, "s6.small.1.linux", "Duration", 1m, 5)).OfficialAmount);
        // A linear on-demand disk: per GB-hour.
        Assert.Equal(Money.Round8(100 * 2 * 0.00011667m), (await UsageAsync(customer.AccountId, Evs, Volume, "SAS", "Duration", 2m, 4, 100)).OfficialAmount);

        Assert.Equal("CBC.99006050", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", Bangkok, "upflow", 1m, 4, null))).Code);
        Assert.Equal("CBC.99006006", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", Bangkok, "Duration", 1m, 4, null))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, Vpc, Bandwidth, "19_bgp.traffic", Bangkok, "upflow", -1m, 10, null))).Code);
    }

    [Fact]
    public void Rounding_is_half_away_from_zero_at_2_and_8_decimals()
    {
        Assert.Equal(0.13m, Money.Round2(0.125m));
        Assert.Equal(-0.13m, Money.Round2(-0.125m));
        Assert.Equal(0.00000001m, Money.Round8(0.000000005m));
        Assert.Equal(0.12345679m, Money.Round8(0.123456785m));
    }

    [Fact]
    public async Task A_scheduled_price_version_applies_from_its_date_and_the_history_is_kept()
    {
        var op = await h.OperatorAsync();
        var (customer, _) = await h.NewAccountAsync();
        var spec = await SpecIdAsync("s6.small.1.linux");
        var from = (await h.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime))).AddDays(10);
        await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, spec,
            new PriceVersionInput(from, new() { ["month"] = 8.00m, ["year"] = 80.00m }, null)));

        Assert.Equal(6.50m, (await RateAsync(customer.AccountId, Vm1())).OfficialAmount);
        h.RealTime.Advance(TimeSpan.FromDays(10));
        Assert.Equal(8.00m, (await RateAsync(customer.AccountId, Vm1())).OfficialAmount);
        // The new version sells no hours: pay-per-use is no longer offered for this spec from then on.
        Assert.Equal("CBC.99006006", (await h.FailsAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, Ecs, Vm, "s6.small.1.linux", Bangkok, "Duration", 1m, 4, null))).Code);
        await using var db = h.NewDbContext();
        Assert.Equal(2, await db.SpecPrices.Where(p => p.SpecId == spec).Select(p => p.EffectiveFrom).Distinct().CountAsync());

        // The past is never rewritten, and one date holds one version.
        var past = from.AddDays(-1);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, spec, new PriceVersionInput(past, new() { ["month"] = 1m }, null)))).Code);
        var (someone, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(someone, spec, new PriceVersionInput(from.AddDays(30), new() { ["month"] = 1m }, null)))).Code);
    }

    async Task<string> SpecIdAsync(string specCode, string region = Bangkok)
    {
        await using var db = h.NewDbContext();
        return await db.ResourceSpecs.Where(s => s.SpecCode == specCode && s.Region == region).Select(s => s.Id).SingleAsync();
    }

    [Fact]
    public async Task The_best_offer_is_the_largest_saving_and_commercial_wins_a_tie()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerOfAsync(csp);
        var partnerDiscount = await PartnerDiscountAsync(csp, customer, 0.15m);
        var quote = await RateAsync(customer, Vm1());
        var only = Assert.Single(quote.Discounts);
        // 6.50 × 0.15 = 0.975, rounded half away from zero.
        Assert.Equal((partnerDiscount.Id, DiscountTypes.PartnerSet, 0.98m, 5.52m, true), (only.DiscountId, only.DiscountType, only.DiscountAmount, only.Amount, only.BestOffer));

        var commercial = await CommercialDiscountAsync(customer, 0.15m);
        quote = await RateAsync(customer, Vm1());
        Assert.Equal(2, quote.Discounts.Count);
        Assert.Equal(commercial.Id, quote.Discounts.Single(d => d.BestOffer).DiscountId);

        // A larger partner discount replaces the earlier one and becomes the best offer.
        var larger = await PartnerDiscountAsync(csp, customer, 0.2m);
        quote = await RateAsync(customer, Vm1());
        Assert.Equal(2, quote.Discounts.Count);
        Assert.Equal((larger.Id, 1.30m), quote.Discounts.Where(d => d.BestOffer).Select(d => (d.DiscountId, d.DiscountAmount)).Single());
        Assert.DoesNotContain(quote.Discounts, d => d.DiscountId == partnerDiscount.Id);

        // A discount for another service does not apply to a VM; on usage the best discount sets the amount.
        await CommercialDiscountAsync(customer, 0.5m, "hws.service.type.obs");
        Assert.Equal(2, (await RateAsync(customer, Vm1())).Discounts.Count);
        var usage = await UsageAsync(customer, Ecs, Vm, "s6.small.1.linux", "Duration", 10m, 4);
        Assert.Equal(0.1309028m, usage.OfficialAmount);
        Assert.Equal(usage.OfficialAmount - Money.Round8(usage.OfficialAmount * 0.2m), usage.Amount);
    }

    [Fact]
    public async Task Partners_discount_only_their_own_customers_and_revoked_discounts_stop_applying()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        var customer = await CustomerOfAsync(csp);
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(other, new DiscountInput(customer, 0.1m, null, null, null)))).Code);
        var (notPartner, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(notPartner, new DiscountInput(customer, 0.1m, null, null, null)))).Code);
        foreach (var rate in new[] { 0m, 1m, 1.5m, 0.12345m, -0.1m })
            Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(csp, new DiscountInput(customer, rate, null, null, null)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(csp, new DiscountInput(customer, 0.1m, "hws.service.type.nope", null, null)))).Code);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(csp, new DiscountInput(customer, 0.1m, null, null, null)))).Code);
        await using (var db = h.NewDbContext()) Assert.Equal(0, await db.CustomerDiscounts.CountAsync(d => d.CustomerAccountId == customer));

        var discount = await PartnerDiscountAsync(csp, customer, 0.1m);
        Assert.Equal("CBC.5030", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().RevokeAsync(other, discount.Id))).Code);
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().RevokeAsync(csp, discount.Id));
        Assert.Empty((await RateAsync(customer, Vm1())).Discounts);
    }

    [Fact]
    public async Task A_resale_customer_settles_at_list_less_the_partners_settlement_discount()
    {
        var op = await h.OperatorAsync();
        var (csp, partner) = await h.NewPartnerAsync();
        var resale = await CustomerOfAsync(csp);
        var referral = await CustomerOfAsync(csp, AssociationTypes.Referral);
        Assert.Equal(6.50m, (await RateAsync(resale, Vm1())).SettlementAmount);

        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, partner.PartnerId, 0.2m));
        // The partner's own price to its customer (a 607 discount) does not change what it owes the platform.
        await PartnerDiscountAsync(csp, resale, 0.3m);
        var quote = await RateAsync(resale, Vm1());
        Assert.Equal((6.50m, 5.20m), (quote.OfficialAmount, quote.SettlementAmount));
        Assert.Equal(6.50m, (await RateAsync(referral, Vm1())).SettlementAmount);
        var usage = await UsageAsync(resale, Ecs, Vm, "s6.small.1.linux", "Duration", 1m, 4);
        Assert.Equal(Money.Round8(0.01309028m * 0.8m), usage.SettlementAmount);

        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(csp, partner.PartnerId, 0.5m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, partner.PartnerId, 1m))).Code);
    }

    [Fact]
    public async Task Import_checks_the_whole_file_first_and_merge_or_replace_keep_the_catalog_consistent()
    {
        var op = await h.OperatorAsync();
        await using var db = h.NewDbContext();
        var specs = await db.ResourceSpecs.CountAsync();
        var broken = new CatalogDocument(Specs: [new SpecEntry(Ecs, Vm, "x1.new", null, null, null, null,
            [new PriceVersionEntry(["ap-southeast-2"], new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new() { ["month"] = 1m }, null),
             new PriceVersionEntry(["mars-1"], new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new() { ["month"] = 1m }, null)])]);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<CatalogService>().ImportAsync(op, broken, replace: false))).Code);
        Assert.Equal(specs, await db.ResourceSpecs.CountAsync());
        var (someone, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => sp.GetRequiredService<CatalogService>().ImportAsync(someone, DefaultCatalog.Load(), replace: true))).Code);

        var merged = new CatalogDocument(Specs: [new SpecEntry(Ecs, Vm, "x1.new", "new flavor", null, null, null,
            [new PriceVersionEntry(["ap-southeast-2", "ap-southeast-3"], new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new() { ["month"] = 12.34m }, null)])]);
        var summary = await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().ImportAsync(op, merged, replace: false));
        Assert.Equal(2, summary.Specs);
        Assert.Equal(specs + 2, await db.ResourceSpecs.CountAsync());
        var (customer, _) = await h.NewAccountAsync();
        Assert.Equal(12.34m, (await RateAsync(customer.AccountId, Vm1() with { ResourceSpec = "x1.new" })).OfficialAmount);

        // Export then replace with the export: the same catalog, prices included.
        var exported = await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().ExportAsync(op));
        await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().ImportAsync(op, CatalogDocument.Parse(exported.ToJson()), replace: true));
        Assert.Equal(specs + 2, await db.ResourceSpecs.CountAsync());
        Assert.Equal(12.34m, (await RateAsync(customer.AccountId, Vm1() with { ResourceSpec = "x1.new" })).OfficialAmount);
        Assert.Equal(6.50m, (await RateAsync(customer.AccountId, Vm1())).OfficialAmount);
    }
}
