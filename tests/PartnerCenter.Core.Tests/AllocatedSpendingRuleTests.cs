using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.PartnerAccounts;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Revenue;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// A resale customer spends the money its partner allocated to it (the China model) when that covers an order; otherwise
/// its partner's credit pays at the settlement price (the international model). Never both for one order, never overspent.
/// </summary>
public class AllocatedSpendingRuleTests : IAsyncLifetime
{
    const string Service = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Spec = "s6.small.1.linux", Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m, Settlement = 5.72m; // list price of a month, and at a 20 % settlement discount
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    sealed record World(Caller Partner, string Customer)
    {
        public Caller CustomerCaller => new(Customer, Customer, Customer, Customer, true, false);
    }

    /// <summary>A partner with a 20 % settlement discount and a balance, and its resale customer with a budget (unfrozen) and <paramref name="allocated"/> of its money.</summary>
    async Task<World> WorldAsync(decimal allocated, decimal budget = 100m)
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        await h.InScopeAsync(sp => sp.GetRequiredService<PartnerFunds>().TopUpAsync(partner, 500m, GoodCard, "cash"));
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, budget, "MONTHLY", "1", null, null)));
        if (allocated > 0) await h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().AllocateAsync(partner, customer, allocated, null, null));
        return new World(partner, customer);
    }

    Task<Order> OrderAsync(World w, int months = 1) => h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(w.Partner,
        new NewOrder(w.Customer, [new NewOrderLine(Service, Vm, Spec, Region, null, null, 2, months, 1)], Ids.New())));

    Task<Order> PayAsync(World w, string orderId) =>
        h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(w.CustomerCaller, new PayRequest(orderId, "NO", "NO", null, null)));

    Task<decimal> CashAsync(World w) => h.InScopeAsync(async sp => (await sp.GetRequiredService<FundsService>().BalancesOfAsync(w.Customer)).Cash);

    Task<decimal> OwedAsync(World w) => h.InScopeAsync(async sp => (await sp.GetRequiredService<FundsService>().ConsumptionQuotaAsync(w.Partner)).UnbilledAmount);

    Task<decimal> BudgetUsedAsync(World w) => h.InScopeAsync(async sp => (await sp.GetRequiredService<BudgetService>().ShowAsync(w.Partner, w.Customer, null)).UsedAmount);

    Task<RevenueStatement> RevenueAsync(World w) => h.InScopeAsync(sp => sp.GetRequiredService<RevenueService>().StatementAsync(w.Partner,
        sp.GetRequiredService<RevenueService>().Current.ToString()));

    [Fact]
    public async Task A_resale_customer_holding_allocated_cash_pays_its_order_from_it_and_its_partner_is_charged_nothing_more()
    {
        var w = await WorldAsync(allocated: 50m);
        var order = await OrderAsync(w);
        var paid = await PayAsync(w, order.Id);

        Assert.Null(paid.FundingPartnerAccountId);
        Assert.Equal(50m - MonthPrice, await CashAsync(w));
        // The allocation was the partner's payment: no budget spent, nothing owed on its credit, its balance untouched.
        Assert.Equal((0m, 0m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        Assert.Equal(450m, (await h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().BalancesAsync(w.Partner, null))).Cash);
        // The customer's change records show the spending as consumption, with the order as trade id.
        var (records, _) = await h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(w.CustomerCaller,
            new AccountChangeFilter(AccountChangeRecords.Debit, null, "DEDEUCT", null, null, null, null, null)));
        Assert.Equal((order.Id, MonthPrice, 50m - MonthPrice), (records.Single().TradeId, records.Single().Amount, records.Single().BalanceAfter));
        // The partner earns the customer's price less the settlement price on the trade, as on a credit-paid one.
        var line = (await RevenueAsync(w)).Lines.Single(l => l.TradeId == order.Id);
        Assert.Equal((MonthPrice, Settlement, MonthPrice - Settlement), (line.Price, line.Settlement, line.Revenue));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Allocated_cash_that_does_not_cover_the_order_leaves_it_whole_to_the_partners_credit_within_the_budget()
    {
        var w = await WorldAsync(allocated: 5m);
        var paid = await PayAsync(w, (await OrderAsync(w)).Id);
        Assert.Equal(w.Partner.AccountId, paid.FundingPartnerAccountId);
        Assert.Equal((5m, MonthPrice, Settlement), (await CashAsync(w), await BudgetUsedAsync(w), await OwedAsync(w)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_customer_without_allocated_money_keeps_the_international_model()
    {
        var w = await WorldAsync(allocated: 0m);
        var paid = await PayAsync(w, (await OrderAsync(w)).Id);
        Assert.Equal(w.Partner.AccountId, paid.FundingPartnerAccountId);
        Assert.Equal((MonthPrice, Settlement), (await BudgetUsedAsync(w), await OwedAsync(w)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_payments_from_allocated_cash_never_spend_more_than_it_holds()
    {
        // 30.00 allocated pays four orders of 7.15; the budget of 1.00 refuses any order falling to the partner's credit.
        var w = await WorldAsync(allocated: 30m, budget: 1m);
        var orders = new List<Order>();
        for (var i = 0; i < 10; i++) orders.Add(await OrderAsync(w));
        var outcomes = await Task.WhenAll(orders.Select(o => Task.Run(async () =>
        {
            try { await PayAsync(w, o.Id); return "ok"; }
            catch (ServiceException e) { return e.Error.Code; }
        })));
        Assert.Equal(4, outcomes.Count(o => o == "ok"));
        // Refused for the money having gone meanwhile (nothing charged), or by the budget once the cash no longer covers an order.
        Assert.All(outcomes.Where(o => o != "ok"), code => Assert.Contains(code, new[] { Errors.FundsChangedTryAgain().Code, Errors.BudgetExceeded().Code }));
        Assert.Equal(30m - 4 * MonthPrice, await CashAsync(w));
        Assert.Equal((0m, 0m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_frozen_customer_cannot_spend_its_allocated_cash()
    {
        var w = await WorldAsync(allocated: 50m);
        var order = await OrderAsync(w);
        await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(w.Partner, [w.Customer], "unpaid invoice", null, null));
        Assert.Equal(Errors.CustomerFrozen().Code, (await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(w.CustomerCaller,
            new PayRequest(order.Id, "NO", "NO", null, null)))).Code);
        Assert.Equal(50m, await CashAsync(w));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_what_allocated_cash_paid_refunds_the_cash_and_the_revenue_statement_takes_the_trade_back()
    {
        var w = await WorldAsync(allocated: 50m);
        var order = await PayAsync(w, (await OrderAsync(w)).Id);
        var refund = await h.InScopeAsync(sp => sp.GetRequiredService<ResourceService>().UnsubscribeAsync(w.CustomerCaller, [order.Lines[0].ResourceId], 1, null, null));

        // Within 5 days of purchase the whole payment comes back, to the cash it came from; the partner's credit and the budget are untouched.
        Assert.Equal(MonthPrice, refund.Refund);
        Assert.Equal(50m, await CashAsync(w));
        Assert.Equal((0m, 0m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        var (records, _) = await h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(w.CustomerCaller,
            new AccountChangeFilter(AccountChangeRecords.Debit, null, "REFUND", null, null, null, null, null)));
        Assert.Equal((refund.OrderIds.Single(), MonthPrice), (records.Single().TradeId, records.Single().Amount));
        // The refund line takes back the price and the settlement share: the month's revenue nets to zero.
        var statement = await RevenueAsync(w);
        var back = statement.Lines.Single(l => l.TradeId == refund.OrderIds.Single());
        Assert.Equal((-MonthPrice, -Settlement), (back.Price, back.Settlement));
        Assert.Equal(0m, statement.Totals.Revenue);
        await h.AssertLedgerSoundAsync();
    }

    // ------------------------------------------------------------ pay-per-use from allocated cash

    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    /// <summary>A pay-per-use VM of the customer (ordered by its partner) and <paramref name="hours"/> VM-hours reported for the hour just ended, at an hour boundary.</summary>
    async Task<string> UsageAsync(World w, decimal hours)
    {
        var order = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(w.Partner,
            new NewOrder(w.Customer, [new NewOrderLine(Service, Vm, Spec, Region, null, null, null, null, 1, ChargeMode.OnDemand)], Ids.New())));
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        await ReportAsync(order.Lines[0].ResourceId, hours);
        return order.Lines[0].ResourceId;
    }

    async Task ReportAsync(string resource, decimal hours)
    {
        var op = await h.OperatorAsync();
        var result = await h.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(op, [new UsageRecordInput(Ids.New(), resource, "Duration", hours, 4, Now.AddHours(-1), Now)]));
        Assert.Equal(1, result.Accepted);
    }

    const decimal VmHour = 0.01439931m; // s6.small.1.linux per hour, list price; the settlement price is 80 % of it

    [Fact]
    public async Task An_hour_of_pay_per_use_allocated_cash_covers_is_paid_from_it_and_the_revenue_statement_still_shows_the_settlement_share()
    {
        var w = await WorldAsync(allocated: 50m);
        var vm = await UsageAsync(w, 10m); // 0.1439931 at list price, 0.11519448 at settlement price
        await AdvanceAsync(TimeSpan.FromHours(1));

        // The customer's cash paid the hour at its price, truncated to the cent; the budget and the partner's credit did not move.
        Assert.Equal(50m - 0.14m, await CashAsync(w));
        Assert.Equal((0m, 0m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        var (records, _) = await h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(w.CustomerCaller,
            new AccountChangeFilter(AccountChangeRecords.Debit, null, "DEDEUCT", null, null, null, null, null)));
        Assert.Equal(0.14m, records.Single().Amount);
        // The customer's bill shows the hour paid in cash; the partner's statement shows it at the customer's price against the settlement share.
        var sum = await h.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>().MonthlySumAsync(w.CustomerCaller,
            sp.GetRequiredService<RevenueService>().Current.ToString(), null, "oneself", null, null, null));
        Assert.Equal((0.14m, 0.14m), (sum.Consume, sum.Payments.Cash));
        var usage = (await RevenueAsync(w)).Lines.Single(l => l.BillType == BillTypes.Usage);
        Assert.Equal((0.14m, 0.11m, 0.03m), (usage.Price, usage.Settlement, usage.Revenue));

        // A second hour takes only what the accrued total makes due: trunc(0.2879862) − 0.14.
        await ReportAsync(vm, 10m);
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(50m - 0.28m, await CashAsync(w));
        Assert.Equal(0m, await OwedAsync(w));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_hour_allocated_cash_does_not_cover_goes_whole_to_the_partners_credit_within_the_budget()
    {
        var w = await WorldAsync(allocated: 0.1m);
        await UsageAsync(w, 10m);
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(0.1m, await CashAsync(w));
        Assert.Equal((0.14m, 0.11m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        var usage = (await RevenueAsync(w)).Lines.Single(l => l.BillType == BillTypes.Usage);
        Assert.Equal((0.14m, 0.11m), (usage.Price, usage.Settlement));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_frozen_customer_does_not_pay_usage_from_its_allocated_cash_and_its_pay_per_use_is_frozen()
    {
        var w = await WorldAsync(allocated: 50m);
        var vm = await UsageAsync(w, 10m);
        await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(w.Partner, [w.Customer], "unpaid invoice", null, null));
        await AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(50m, await CashAsync(w));
        Assert.Equal((0m, 0m), (await BudgetUsedAsync(w), await OwedAsync(w)));
        Assert.Equal(ResourceStatus.Frozen, (await h.InScopeAsync(sp => sp.GetRequiredService<AppDbContext>().CloudResources.SingleAsync(r => r.Id == vm))).Status);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Orders_racing_the_hourly_charge_for_allocated_cash_never_overspend_it_and_the_hour_is_charged_once()
    {
        // 30.00 pays four orders of 7.15 (28.60); the hour's 1.43 fits beside at most four of them.
        var w = await WorldAsync(allocated: 30m);
        await UsageAsync(w, 100m); // 1.439931 at list price
        var orders = new List<Order>();
        for (var i = 0; i < 5; i++) orders.Add(await OrderAsync(w));
        var period = Schedules.HourlyAfter(Now);
        var charging = Task.Run(async () =>
        {
            await using var scope = h.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UsageCharging>().RunPeriodAsync(period);
            return "run";
        });
        var paying = orders.Select(o => Task.Run(async () =>
        {
            try { return (await PayAsync(w, o.Id)).FundingPartnerAccountId is null ? "cash" : "partner"; }
            catch (ServiceException e) { return e.Error.Code; }
        })).ToList();
        var outcomes = await Task.WhenAll(paying);
        await charging;

        await using var db = h.NewDbContext();
        var fromCash = await db.AllocatedUsageCharges.Where(a => a.CustomerAccountId == w.Customer).SumAsync(a => a.Amount);
        var hourByPartner = fromCash == 0;
        // Every cent of the cash is accounted for: what it paid, orders and the hour, and nothing below zero.
        Assert.Equal(30m - 7.15m * outcomes.Count(o => o == "cash") - fromCash, await CashAsync(w));
        Assert.True(await CashAsync(w) >= 0);
        // The hour was charged exactly once: from the cash, or to the budget and the partner.
        var account = await db.UsageAccounts.SingleAsync(a => a.CustomerAccountId == w.Customer);
        Assert.Equal((1.43m, 1.43m), (account.Deducted, account.SpentOfficial));
        Assert.Equal(hourByPartner ? 1.43m : 0m, await db.BudgetSpends.Where(s => s.CustomerAccountId == w.Customer && s.IdempotencyKey.StartsWith("usage:")).SumAsync(s => s.Amount));
        Assert.Equal(fromCash == 0 ? 0m : 1.43m, fromCash);
        await h.AssertLedgerSoundAsync();
    }

    // ------------------------------------------------------------ refunds after the association ended

    [Fact]
    public async Task A_refund_of_an_allocated_cash_order_after_the_association_ended_goes_back_to_the_partner_with_records_on_both_sides()
    {
        var w = await WorldAsync(allocated: 50m);
        var order = await PayAsync(w, (await OrderAsync(w)).Id);
        Assert.Equal(w.Partner.AccountId, order.AllocatedByPartnerAccountId);
        await h.InScopeAsync(sp => sp.GetRequiredService<AssociationService>().DissolveAsync(w.Partner, w.Customer, null));
        Assert.Equal(0m, await CashAsync(w)); // 42.85 came back on dissolving (BEUNBIND)
        var refund = await h.InScopeAsync(sp => sp.GetRequiredService<ResourceService>().UnsubscribeAsync(w.CustomerCaller, [order.Lines[0].ResourceId], 1, null, null));
        var refundId = refund.OrderIds.Single();

        // Within 5 days the whole 7.15 is refunded: it reaches the customer's cash and goes on to the partner, whose balance is whole again.
        Assert.Equal(MonthPrice, refund.Refund);
        Assert.Equal(0m, await CashAsync(w));
        Assert.Equal(500m, (await h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().BalancesAsync(w.Partner, null))).Cash);
        async Task<(string TradeId, decimal Amount, bool In)> CustomerRecordAsync(string type)
        {
            var (records, _) = await h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(w.CustomerCaller,
                new AccountChangeFilter(AccountChangeRecords.Debit, null, type, null, null, refundId, null, null)));
            var r = records.Single();
            return (r.TradeId, r.Amount, r.Revenue);
        }
        Assert.Equal((refundId, MonthPrice, true), await CustomerRecordAsync("REFUND"));
        Assert.Equal((refundId, MonthPrice, false), await CustomerRecordAsync("BEUNBIND"));
        var (partnerRecords, _) = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountChanges>().ListAsync(w.Partner,
            new PartnerChangeFilter(PartnerAccountChanges.Debit, "BEUNBIND", null, null, null, null, null)));
        var back = partnerRecords.Single(r => r.TradeId == refundId);
        Assert.Equal((MonthPrice, true, w.Customer), (back.Amount, back.Income, back.CustomerId));
        await using (var db = h.NewDbContext())
            Assert.True(await db.PartnerNotifications.AnyAsync(n => n.PartnerAccountId == w.Partner.AccountId && n.Kind == "funds.refund" && n.CustomerAccountId == w.Customer));
        await h.AssertLedgerSoundAsync();
    }
}
