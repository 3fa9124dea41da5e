using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>Pay-per-use: resources ordered without a period, usage ingested, rated hourly into fee records and charged at 2 decimals.</summary>
public class PayPerUseRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Region = "ap-southeast-1";
    const decimal VmHour = 0.01439931m; // s6.small.1.linux in ap-southeast-1, per hour
    static readonly NewOrderLine Vm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", Region, null, null, null, null, 1, ChargeMode.OnDemand);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task<Caller> FundedCustomerAsync(decimal cash)
    {
        var (customer, _) = await h.NewAccountAsync("ppu");
        var op = await h.OperatorAsync();
        if (cash > 0) await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.AccountId, cash, "test funds", Ids.New()));
        return customer;
    }

    async Task<string> OnDemandVmAsync(Caller caller, string? customerId = null)
    {
        var order = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(caller, new NewOrder(customerId, [Vm], Ids.New())));
        return order.Lines[0].ResourceId;
    }

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    /// <summary>Moves to the next hour boundary, so that whole hours of usage can be reported.</summary>
    async Task ToNextHourAsync() => await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);

    async Task<IngestionResult> ReportAsync(params UsageRecordInput[] records)
    {
        var op = await h.OperatorAsync();
        return await h.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(op, records));
    }

    /// <summary>One hour of VM time for the hour that just ended.</summary>
    UsageRecordInput LastHour(string resource, string? id = null) =>
        new(id ?? Ids.New(), resource, "Duration", 1m, 4, Now.AddHours(-1), Now);

    Task<CustomerBalances> BalancesAsync(string customer) => h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesOfAsync(customer));

    async Task<List<UsageFee>> FeesAsync(string customer)
    {
        await using var db = h.NewDbContext();
        return await UsageFees.ListAsync(db, db.UsageFeeHours.Where(f => f.CustomerAccountId == customer).OrderBy(f => f.Hour).ThenBy(f => f.RatingPeriod));
    }

    async Task<CloudResource> ResourceAsync(string id)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task A_pay_per_use_order_creates_its_resource_at_once_with_a_completed_order_of_zero()
    {
        var customer = await FundedCustomerAsync(0m);
        var order = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(customer, new NewOrder(null, [Vm with { SubscriptionNum = 2 }], "ppu-1")));
        Assert.Equal((OrderStatus.Completed, OrderType.NewPurchase, 0m), (order.Status, order.OrderType, order.OfficialAmount));
        var again = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(customer, new NewOrder(null, [Vm with { SubscriptionNum = 2 }], "ppu-1")));
        Assert.Equal(order.Id, again.Id);
        var changed = await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(customer, new NewOrder(null, [Vm], "ppu-1")));
        Assert.Equal("CBC.99005044", changed.Code); // the same key with another request
        await using var db = h.NewDbContext();
        var resources = await db.CloudResources.Where(r => r.CustomerAccountId == customer.AccountId).ToListAsync();
        Assert.Equal(2, resources.Count);
        Assert.All(resources, r => Assert.Equal((ChargeMode.OnDemand, ResourceStatus.InUse, (DateTime?)null), (r.ChargeMode, r.Status, r.ExpireTime)));

        // A period is not part of a pay-per-use product, and the yearly/monthly path refuses a pay-per-use line.
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(customer,
            new NewOrder(null, [Vm with { PeriodType = 2, PeriodNum = 1 }], Ids.New())))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(customer,
            new NewOrder(null, [Vm with { PeriodType = 2, PeriodNum = 1 }], Ids.New())))).Code);
    }

    [Fact]
    public async Task A_frozen_customer_cannot_order_pay_per_use()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale))); // starts frozen, no budget
        var error = await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(partner, new NewOrder(customer.Id, [Vm], Ids.New())));
        Assert.Equal("CBC.99003656", error.Code);
        await using var db = h.NewDbContext();
        Assert.False(await db.CloudResources.AnyAsync(r => r.CustomerAccountId == customer.Id));
    }

    [Fact]
    public async Task Ingestion_counts_a_record_once_and_refuses_bad_records_one_by_one()
    {
        var customer = await FundedCustomerAsync(10m);
        var vm = await OnDemandVmAsync(customer);
        var period = await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(customer,
            new NewOrder(null, [Vm with { PeriodType = 2, PeriodNum = 1, ChargingMode = null }], Ids.New())));
        await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer, new PayRequest(period.Id, "NO", "NO", null, null)));
        await ToNextHourAsync();
        var good = LastHour(vm, "rec-1");
        var result = await ReportAsync(
            good,
            good, // the same id twice in one batch
            good with { RecordId = "rec-2", ResourceId = "no-such-resource" },
            good with { RecordId = "rec-3", ResourceId = period.Lines[0].ResourceId }, // yearly/monthly
            good with { RecordId = "rec-4", EndTime = Now.AddMinutes(5) }, // in the future
            good with { RecordId = "rec-5", EndTime = good.BeginTime }, // end not after begin
            good with { RecordId = "rec-6", UsageValue = -1m },
            good with { RecordId = "rec-7", UsageMeasureId = 10 }, // GB for a duration
            good with { RecordId = "rec-8", UsageFactor = "upflow" }, // not how a VM is charged
            good with { RecordId = "rec-9", UsageValue = 0.5m });
        Assert.Equal((2, 1, 7), (result.Accepted, result.Duplicates, result.Refused));
        Assert.Equal(["accepted", "duplicate", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "accepted"], result.Results.Select(r => r.Status));
        Assert.Equal(["CBC.99003012", "CBC.0100", "CBC.0100", "CBC.0100", "CBC.0100", "CBC.99006050", "CBC.99006006"],
            result.Results.Where(r => r.Error is not null).Select(r => r.Error!.Code));

        var resent = await ReportAsync(good, good with { RecordId = "rec-9", UsageValue = 0.5m });
        Assert.Equal((0, 2, 0), (resent.Accepted, resent.Duplicates, resent.Refused));
        await using (var db = h.NewDbContext())
            Assert.Equal(1.5m, (await db.UsageRecords.Where(r => r.ResourceId == vm).ToListAsync()).Sum(r => r.UsageValue));

        // A batch over the limit is refused as a whole.
        var tooMany = Enumerable.Range(0, UsageIngestion.MaxBatch + 1).Select(i => good with { RecordId = $"big-{i}" }).ToArray();
        Assert.Equal("CBC.0100", (await Assert.ThrowsAsync<ServiceException>(() => ReportAsync(tooMany))).Error.Code);
        // Only the operator reports usage.
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(customer, [good with { RecordId = "mine" }]))).Code);
        await using (var db = h.NewDbContext())
            Assert.Equal(2, await db.UsageRecords.CountAsync());
    }

    [Fact]
    public async Task Usage_is_rated_hourly_into_8_decimal_fees_and_deducted_at_2_decimals_with_the_remainder_carried()
    {
        var customer = await FundedCustomerAsync(10m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        for (var hour = 1; hour <= 3; hour++)
        {
            await ReportAsync(LastHour(vm));
            await AdvanceAsync(TimeSpan.FromHours(1)); // the run at the next hour rates it
            var fees = await FeesAsync(customer.AccountId);
            Assert.Equal(hour, fees.Count);
            Assert.All(fees, f => Assert.Equal((1m, VmHour, VmHour, VmHour), (f.UsageValue, f.OfficialAmount, f.Amount, f.SettlementAmount)));
            // Deducted: the accumulated 8-decimal total truncated to the cent (0.01439931 → 0.01, 0.02879862 → 0.02, 0.04319793 → 0.04).
            Assert.Equal(10m - Math.Truncate(VmHour * hour * 100) / 100, (await BalancesAsync(customer.AccountId)).Cash);
        }
        // The same quote as price inquiry for the same usage.
        var quote = await h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, "hws.service.type.ec2", "hws.resource.type.vm",
            "s6.small.1.linux", Region, "Duration", 1m, 4, null));
        Assert.Equal(VmHour, quote.Amount);

        // Running an hour's job again changes nothing: the period is done.
        await using (var scope = h.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<UsageCharging>().RunPeriodAsync(Schedules.HourlyAfter(Now.AddHours(-1)));
        Assert.Equal(3, (await FeesAsync(customer.AccountId)).Count);
        Assert.Equal(9.96m, (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_usage_charge_is_booked_at_the_hour_it_rated_even_when_its_run_catches_up_later()
    {
        var customer = await FundedCustomerAsync(10m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(LastHour(vm) with { UsageValue = 2m });
        var rated = Schedules.HourlyAfter(Now).AddHours(-1);
        await AdvanceAsync(TimeSpan.FromHours(5)); // the clock jumps; the run for the next boundary happens after it

        await using var db = h.NewDbContext();
        var charge = await db.JournalEntries.SingleAsync(e => e.Kind == "UsageCharge" && e.Reference == customer.AccountId);
        Assert.Equal(rated, charge.BookedAt);
        Assert.True(charge.CreatedAt > charge.BookedAt.AddHours(4));
        Assert.All(await db.Postings.Where(p => p.EntryId == charge.Id).ToListAsync(), p => Assert.Equal(rated, p.BookedAt));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_hourly_fee_applies_the_customers_best_discount_exactly_as_price_inquiry_does()
    {
        var customer = await FundedCustomerAsync(10m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(op, new DiscountInput(customer.AccountId, 0.15m, "hws.service.type.ec2", null, null)));
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(op, new DiscountInput(customer.AccountId, 0.5m, "hws.service.type.obs", null, null)));
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 7m, 4, Now.AddHours(-1), Now));
        var quote = await h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(customer.AccountId, "hws.service.type.ec2", "hws.resource.type.vm",
            "s6.small.1.linux", Region, "Duration", 7m, 4, null));
        await AdvanceAsync(TimeSpan.FromHours(1));
        var fee = Assert.Single(await FeesAsync(customer.AccountId));
        Assert.Equal((quote.OfficialAmount, quote.Amount, quote.SettlementAmount), (fee.OfficialAmount, fee.Amount, fee.SettlementAmount));
        Assert.Equal(Money.Round8(7 * VmHour) - Money.Round8(Money.Round8(7 * VmHour) * 0.15m), fee.Amount); // the EC2 discount, not the OBS one
    }

    [Fact]
    public async Task A_resale_customers_usage_spends_its_budget_at_list_price_and_charges_the_partner_the_settlement_price()
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, 0.5m, "MONTHLY", "1", null, null)));
        var vm = await OnDemandVmAsync(partner, customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 10m, 4, Now.AddHours(-1), Now)); // 10 VM-hours: 0.1439931
        await AdvanceAsync(TimeSpan.FromHours(1));

        var fee = Assert.Single(await FeesAsync(customer));
        Assert.Equal((0.1439931m, 0.11519448m), (fee.OfficialAmount, fee.SettlementAmount));
        var budget = await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null));
        Assert.Equal(0.14m, budget.UsedAmount);
        await using (var db = h.NewDbContext())
            Assert.Equal(-0.11m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.PayableOf(partner.AccountId))).Balance);

        // Over the budget: nothing is charged, the resource is frozen and the amount stays due; a higher budget lets it through.
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 30m, 4, Now.AddHours(-1), Now)); // 0.4319793 more
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(ResourceStatus.Frozen, (await ResourceAsync(vm)).Status);
        Assert.Equal(0.14m, (await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null))).UsedAmount);
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, 5m, "MONTHLY", "1", null, null)));
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(ResourceStatus.InUse, (await ResourceAsync(vm)).Status);
        Assert.Equal(0.57m, (await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null))).UsedAmount); // trunc(0.5759724)
        await using (var db = h.NewDbContext())
            Assert.Equal(-0.46m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.PayableOf(partner.AccountId))).Balance); // trunc(0.46077792)
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Usage_its_partner_paid_for_is_not_charged_again_to_the_customer_after_the_association_is_dissolved()
    {
        // Found by the simulation: the hourly run charged a dissolved resale customer all its usage since the start.
        var (partner, _) = await h.NewPartnerAsync();
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, 5m, "MONTHLY", "1", null, null)));
        var vm = await OnDemandVmAsync(partner, customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 10m, 4, Now.AddHours(-1), Now)); // 0.1439931
        await AdvanceAsync(TimeSpan.FromHours(1));
        await using (var db = h.NewDbContext())
            Assert.Equal(-0.14m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.PayableOf(partner.AccountId))).Balance);

        await h.InScopeAsync(sp => sp.GetRequiredService<AssociationService>().DissolveAsync(partner, customer, null));
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 10m, 4, Now.AddHours(-1), Now)); // its own from now on
        await AdvanceAsync(TimeSpan.FromHours(1));
        await using (var db = h.NewDbContext())
        {
            var charged = await db.Postings.Where(p => p.AccountId == LedgerBook.Platform(LedgerAccountKind.PlatformRevenue))
                .Join(db.JournalEntries.Where(e => e.Kind == "UsageCharge" && e.Reference == customer), p => p.EntryId, e => e.Id, (p, e) => p.Amount).ToListAsync();
            Assert.Equal(0.28m, charged.Sum()); // trunc(0.2879862): the partner's 0.14, then the customer's own 0.14
            Assert.Equal(-0.14m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer))).Balance);
        }
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_customer_who_cannot_pay_goes_into_arrears_grace_then_retention_and_money_arriving_settles_it_at_once()
    {
        var customer = await FundedCustomerAsync(0.05m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 10m, 4, Now.AddHours(-1), Now)); // 0.14
        await AdvanceAsync(TimeSpan.FromHours(1));
        var balances = await BalancesAsync(customer.AccountId);
        Assert.Equal(0m, balances.Cash);
        await using (var db = h.NewDbContext())
            Assert.Equal(-0.09m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer.AccountId))).Balance);
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm)).Status); // grace: still usable, usage still accepted and rated
        Assert.Equal(1, (await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 1m, 4, Now.AddHours(-1), Now))).Accepted);

        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Equal(ResourceStatus.Frozen, (await ResourceAsync(vm)).Status); // retention

        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.AccountId, 1m, "top-up", Ids.New()));
        // Settled by the adjustment itself, not by the next hourly run: the first hour's 0.09 and the grace hour's
        // 0.01439931 (0.15 accrued in all, truncated, less the 0.14 charged first).
        Assert.Equal(ResourceStatus.InUse, (await ResourceAsync(vm)).Status);
        Assert.Equal(1m - 0.09m - 0.01m, (await BalancesAsync(customer.AccountId)).Cash);
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(1m - 0.09m - 0.01m, (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_card_top_up_pays_arrears_at_once_and_a_top_up_short_of_the_debt_pays_what_it_can()
    {
        var customer = await FundedCustomerAsync(0m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 100m, 4, Now.AddHours(-1), Now)); // 1.439931 → 1.43 owed
        await AdvanceAsync(TimeSpan.FromHours(1));
        var arrears = LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer.AccountId);
        async Task<decimal> DebtAsync()
        {
            await using var db = h.NewDbContext();
            return (await db.LedgerAccounts.SingleAsync(a => a.Id == arrears)).Balance;
        }
        Assert.Equal(-1.43m, await DebtAsync());

        var card = new CardDetails("4242424242424242", 12, Now.Year + 2, "123", "Test");
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 1m, card, "t1"));
        Assert.Equal((-0.43m, 0m), (await DebtAsync(), (await BalancesAsync(customer.AccountId)).Cash));
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm)).Status); // still owing: still in grace
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 1m, card, "t2"));
        Assert.Equal((0m, 0.57m), (await DebtAsync(), (await BalancesAsync(customer.AccountId)).Cash));
        Assert.Equal(ResourceStatus.InUse, (await ResourceAsync(vm)).Status);
        // A retried top-up is the same top-up: nothing is credited or settled twice.
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 1m, card, "t2"));
        Assert.Equal(0.57m, (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_top_ups_pay_arrears_once_and_never_more_than_is_owed()
    {
        var customer = await FundedCustomerAsync(0m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 100m, 4, Now.AddHours(-1), Now)); // 1.43 owed
        await AdvanceAsync(TimeSpan.FromHours(1));
        var card = new CardDetails("4242424242424242", 12, Now.Year + 2, "123", "Test");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 1m, card, $"c{i}"))));

        await using (var db = h.NewDbContext())
            Assert.Equal(0m, (await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer.AccountId))).Balance);
        Assert.Equal(6m - 1.43m, (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_record_arriving_after_the_run_for_its_hour_has_rated_is_rated_by_the_next_run_not_lost()
    {
        var customer = await FundedCustomerAsync(10m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(30));
        var boundary = Schedules.HourlyAfter(Now);
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 0.5m, 4, Now.AddMinutes(-30), Now));
        // The run for the boundary has rated already (as when a batch commits just after the hour) …
        await h.InScopeAsync(sp => sp.GetRequiredService<UsageCharging>().RunPeriodAsync(boundary));
        Assert.Single(await FeesAsync(customer.AccountId));
        // … so a record received now goes to the run after it instead of one that will never read it again.
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 0.25m, 4, Now.AddMinutes(-10), Now));
        await using (var db = h.NewDbContext())
            Assert.Equal([boundary, boundary.AddHours(1)], await db.UsageRecords.Where(r => r.ResourceId == vm).OrderBy(r => r.RatingPeriod).Select(r => r.RatingPeriod).ToListAsync());
        await AdvanceAsync(TimeSpan.FromHours(2));
        var fees = await FeesAsync(customer.AccountId);
        Assert.Equal([0.5m, 0.25m], fees.OrderBy(f => f.RatingPeriod).Select(f => f.UsageValue));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Usage_is_priced_with_the_price_version_in_force_in_its_hour_even_when_rated_after_a_new_one_took_effect()
    {
        var customer = await FundedCustomerAsync(10m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        var op = await h.OperatorAsync();
        await using (var db = h.NewDbContext())
        {
            var spec = await db.CloudResources.Where(r => r.Id == vm).Select(r => r.SpecId).SingleAsync();
            // From the next hour boundary the VM costs 1.00 an hour (and 10 a month).
            await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, spec, new PriceVersionInput(Now.AddHours(1),
                new() { ["month"] = 10m }, [new UsagePriceEntry("Duration", 4, [new TierEntry(0, 1m)])])));
        }
        await AdvanceAsync(TimeSpan.FromMinutes(50));
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 0.75m, 4, Now.AddMinutes(-50), Now)); // rated by the run at the boundary
        await AdvanceAsync(TimeSpan.FromHours(1)); // the new version is in force when that run rates
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 0.5m, 4, Now.AddMinutes(-40), Now.AddMinutes(-10)));
        await AdvanceAsync(TimeSpan.FromHours(1));

        var fees = await FeesAsync(customer.AccountId);
        Assert.Equal([Money.Round8(0.75m * 0.01439931m), 0.5m], fees.Select(f => f.OfficialAmount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unpaid_arrears_end_with_the_resource_released_after_grace_and_retention()
    {
        var customer = await FundedCustomerAsync(0m);
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 10m, 4, Now.AddHours(-1), Now));
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm)).Status);
        await AdvanceAsync(TimeSpan.FromDays(15) - TimeSpan.FromHours(1));
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm)).Status);
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(ResourceStatus.Frozen, (await ResourceAsync(vm)).Status);
        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Equal(ResourceStatus.Closed, (await ResourceAsync(vm)).Status);
        Assert.Equal("CBC.99003012", (await ReportAsync(LastHour(vm))).Results[0].Error!.Code); // released: no more usage
        // The debt keeps the account open.
        Assert.Equal("CBC.30000060", (await h.FailsAsync(sp => sp.GetRequiredService<Accounts.AccountService>().CloseAsync(customer, "Secret#Pass123"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    /// <summary>
    /// On PostgreSQL the hourly run rates in the database (DatabaseRating), everywhere else in memory; whichever rates a
    /// fee, it must be the engine's price of that hour's usage. Random tiers, discounts, settlement rates, sizes and
    /// units (usage in another unit is converted), several records per hour; one customer holds a free package and one
    /// reports a resource's hour in two units, so both are rated in memory in the same run as the others.
    /// </summary>
    [Fact]
    public async Task Every_hourly_fee_is_the_engines_price_of_the_hours_usage_across_random_tiers_discounts_sizes_and_units()
    {
        var random = new Random(20261124);
        decimal Amount(decimal max) => Math.Round((decimal)random.NextDouble() * max, 8);
        List<TierEntry> Tiers(decimal spread, decimal maxPrice)
        {
            var (tiers, count) = (new List<TierEntry> { new(0, Amount(maxPrice)) }, random.Next(1, 5));
            for (var from = 0m; tiers.Count < count;) tiers.Add(new TierEntry(from += Amount(spread) + 0.00000001m, Amount(maxPrice)));
            return tiers;
        }
        const string Obs = "hws.service.type.obs", Bucket = "hws.resource.type.obs", Volume = "hws.resource.type.volume";
        var op = await h.OperatorAsync();
        await using (var db = h.NewDbContext())
        {
            var specs = await db.ResourceSpecs.Where(s => s.Region == Region && (s.SpecCode == "s6.small.1.linux" || s.SpecCode == "obs.standard"))
                .ToDictionaryAsync(s => s.SpecCode, s => s.Id);
            await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, specs["s6.small.1.linux"], new PriceVersionInput(Now.AddHours(1),
                new() { ["month"] = 10m }, [new UsagePriceEntry("Duration", 4, Tiers(2m, 0.5m))])));
            await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, specs["obs.standard"], new PriceVersionInput(Now.AddHours(1),
                null, [new UsagePriceEntry("upflow", 10, Tiers(30m, 0.2m)), new UsagePriceEntry("capacity", 10, Tiers(50m, 0.001m))])));
        }

        var (partner, enrolled) = await h.NewPartnerAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, enrolled.PartnerId, Math.Round(Amount(0.4m), 4)));
        var customers = new List<(string Id, Caller Orderer)>();
        for (var i = 0; i < 4; i++)
        {
            var direct = await FundedCustomerAsync(1000m);
            for (var d = random.Next(0, 3); d > 0; d--)
                await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(op,
                    new DiscountInput(direct.AccountId, Math.Round(Amount(0.6m), 4), d == 1 ? null : Obs, null, null)));
            customers.Add((direct.AccountId, direct));
        }
        for (var i = 0; i < 2; i++)
        {
            var resale = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
                new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
            await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(resale, 1000m, "MONTHLY", "1", null, null)));
            if (i == 0)
                await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(partner, new DiscountInput(resale, Math.Round(Amount(0.3m), 4), null, null, null)));
            customers.Add((resale, partner));
        }
        await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().GrantFreePackageAsync(op, new FreePackageGrant(customers[1].Id, "VM hours",
            "hws.service.type.ec2", "hws.resource.type.vm", Region, "s6.small.1.linux", "Duration", 1.5m, 4, Now, Now.AddMonths(1))));

        // Each customer: a VM, a bucket and a disk of a random size.
        var resources = new List<(string Customer, string Id, string Service, string Type, string Spec, decimal? Size)>();
        foreach (var (customer, orderer) in customers)
        {
            var size = (decimal)random.Next(10, 500);
            var lines = new[]
            {
                Vm, new NewOrderLine(Obs, Bucket, "obs.standard", Region, null, null, null, null, 1, ChargeMode.OnDemand),
                new NewOrderLine("hws.service.type.ebs", Volume, "SAS", Region, size, 17, null, null, 1, ChargeMode.OnDemand),
            };
            var order = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(orderer,
                new NewOrder(orderer.AccountId == customer ? null : customer, lines, Ids.New())));
            resources.Add((customer, order.Lines[0].ResourceId, "hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", null));
            resources.Add((customer, order.Lines[1].ResourceId, Obs, Bucket, "obs.standard", null));
            resources.Add((customer, order.Lines[2].ResourceId, "hws.service.type.ebs", Volume, "SAS", size));
        }

        await AdvanceAsync(TimeSpan.FromHours(1));
        await ToNextHourAsync();
        // Usage of the hour that just ended: the VM in hours or days, the bucket's traffic in GB or MB and its capacity
        // in GB, the disk in hours; one to three records each. The last customer's VM reports in hours and days at once.
        var reported = new List<UsageRecordInput>();
        foreach (var r in resources)
        {
            var factors = r.Type switch { "hws.resource.type.obs" => new[] { "upflow", "capacity" }, _ => ["Duration"] };
            foreach (var factor in factors)
            {
                var mixed = r.Customer == customers[^1].Id && r.Type == "hws.resource.type.vm";
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var (value, measure) = (factor, r.Type) switch
                    {
                        ("Duration", "hws.resource.type.vm") => mixed ? (n % 2 == 0 ? (Amount(0.1m), 5) : (Amount(3m), 4)) : random.Next(2) == 0 ? (Amount(0.2m), 5) : (Amount(3m), 4),
                        ("upflow", _) => random.Next(2) == 0 ? (Amount(40_000m), 11) : (Amount(80m), 10),
                        ("capacity", _) => (Amount(120m), 10),
                        _ => (Amount(1m), 4),
                    };
                    reported.Add(new UsageRecordInput(Ids.New(), r.Id, factor, value, measure, Now.AddHours(-1), Now));
                }
                if (mixed && reported.Where(x => x.ResourceId == r.Id).Select(x => x.UsageMeasureId).Distinct().Count() == 1)
                    reported.Add(reported[^1] with { RecordId = Ids.New(), UsageMeasureId = 9 - reported[^1].UsageMeasureId!.Value }); // hours ↔ days
            }
        }
        Assert.Equal(reported.Count, (await ReportAsync([.. reported])).Accepted);
        await AdvanceAsync(TimeSpan.FromHours(1));

        static decimal ToPriced(int measure) => measure switch { 5 => 24m, 11 => 1m / 1024, _ => 1m };
        await using var check = h.NewDbContext();
        var fees = await UsageFees.ListAsync(check, check.UsageFeeHours);
        Assert.Equal(reported.Select(r => (r.ResourceId, r.UsageFactor)).Distinct().Count(), fees.Count);
        foreach (var fee in fees)
        {
            var r = resources.Single(x => x.Id == fee.ResourceId);
            var usage = Money.Round8(reported.Where(x => x.ResourceId == fee.ResourceId && x.UsageFactor == fee.UsageFactor).Sum(x => x.UsageValue!.Value * ToPriced(x.UsageMeasureId!.Value)));
            Assert.Equal(usage, fee.UsageValue);
            var quote = await h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RateUsageAsync(fee.CustomerAccountId, r.Service, r.Type, r.Spec, Region,
                fee.UsageFactor, fee.UsageValue - fee.FreeResourceUsed, fee.UsageMeasureId, r.Size));
            Assert.Equal((quote.OfficialAmount, quote.Amount, quote.SettlementAmount), (fee.OfficialAmount, fee.Amount, fee.SettlementAmount));
        }
        Assert.Equal(Math.Min(1.5m, fees.Single(f => f.CustomerAccountId == customers[1].Id && f.UsageFactor == "Duration" && f.ResourceId == resources[3].Id).UsageValue),
            fees.Sum(f => f.FreeResourceUsed));
        foreach (var account in await check.UsageAccounts.ToListAsync())
        {
            var own = fees.Where(f => f.CustomerAccountId == account.CustomerAccountId).ToList();
            Assert.Equal((own.Sum(f => f.Amount), own.Sum(f => f.OfficialAmount), own.Sum(f => f.SettlementAmount)),
                (account.Accrued, account.AccruedOfficial, account.AccruedSettlement));
        }
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_free_resource_package_covers_matching_usage_before_it_is_charged()
    {
        var customer = await FundedCustomerAsync(10m);
        var op = await h.OperatorAsync();
        var package = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().GrantFreePackageAsync(op, new FreePackageGrant(customer.AccountId, "VM hours",
            "hws.service.type.ec2", "hws.resource.type.vm", Region, "s6.small.1.linux", "Duration", 5m, 4, Now, Now.AddMonths(1))));
        var vm = await OnDemandVmAsync(customer);
        await ToNextHourAsync();
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 3m, 4, Now.AddHours(-1), Now));
        await AdvanceAsync(TimeSpan.FromHours(1));
        // Reported in another unit (days) that converts to the priced hours.
        await ReportAsync(new UsageRecordInput(Ids.New(), vm, "Duration", 180m, 5, Now.AddHours(-1), Now.AddMinutes(-59)));
        var fees = await FeesAsync(customer.AccountId);
        Assert.Equal((3m, 3m, 0m), (fees[0].UsageValue, fees[0].FreeResourceUsed, fees[0].Amount));
        await AdvanceAsync(TimeSpan.FromHours(1));
        fees = await FeesAsync(customer.AccountId);
        Assert.Equal((4320m, 2m), (fees[1].UsageValue, fees[1].FreeResourceUsed)); // 180 days = 4320 hours, 2 left in the package
        Assert.Equal(Money.Round8(4318m * VmHour), fees[1].Amount);
        var usages = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().FreeResourceUsagesAsync(customer, [package.FreeResourceId]));
        Assert.Equal((0m, 5m, FreeResourceStatus.UsedUp), (usages[0].Remaining, usages[0].OriginalAmount, usages[0].StatusAt(Now)));
        // Another customer sees nothing of it.
        var other = await FundedCustomerAsync(0m);
        Assert.Empty(await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().FreeResourceUsagesAsync(other, [package.FreeResourceId])));
        Assert.Equal(0, (await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().ListFreePackagesAsync(other, new FreePackageFilter(null, null, null, null, null, null, null, null)))).Total);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_partner_lists_its_customers_pay_per_use_resources_and_no_one_elses()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, 10m, "MONTHLY", "1", null, null)));
        var vm = await OnDemandVmAsync(partner, customer);
        var (list, total) = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().ListCustomerResourcesAsync(partner,
            new OnDemandFilter(customer, null, null, null, null, null, 1, null, null, null)));
        Assert.Equal((1, vm), (total, list[0].Id));
        var (other, _) = await h.NewPartnerAsync();
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListCustomerResourcesAsync(other,
            new OnDemandFilter(customer, null, null, null, null, null, null, null, null, null)))).Code);
    }
}
