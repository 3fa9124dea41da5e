using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// Resale customers' resources: a refund gives the partner its settlement charge back and the customer's budget its
/// list price back (within the budget period); a distributor acts on its resellers' customers' resources.
/// </summary>
public class ResourcePartnerRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const decimal MonthPrice = 7.15m;
    static NewOrderLine Vm(int months = 1) => new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, months, 1);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T Service<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller CustomerCaller(string accountId) => new(accountId, accountId, accountId, accountId, true, false);
    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    /// <summary>A CSP (settlement discount 20 %) with a resale customer holding a budget.</summary>
    async Task<(Caller Partner, string Customer)> ResaleCustomerAsync(decimal budget = 100m, string budgetType = "MONTHLY")
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<DiscountService>(sp).SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        var customer = await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)));
        await h.InScopeAsync(sp => Service<BudgetService>(sp).SetAsync(partner, new BudgetInput(customer.Id, budget, budgetType, "1", null, null)));
        return (partner, customer.Id);
    }

    /// <summary>The partner orders on the customer's behalf; the customer pays, with the best discount when there is one.</summary>
    async Task<Order> BuyAsync(Caller placedBy, string customer, NewOrderLine line, string? indirectPartnerId = null)
    {
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).CreateAsync(placedBy, new NewOrder(customer, [line], Ids.New(), indirectPartnerId)));
        var best = order.DiscountOptions.FirstOrDefault(d => d.BestOffer);
        return await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(CustomerCaller(customer),
            new PayRequest(order.Id, "NO", best is null ? "NO" : "YES", null, best is null ? null : [new PayChoice(best.DiscountId, best.DiscountType)])));
    }

    async Task<CloudResource> MainOfAsync(Order order)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.SingleAsync(r => r.OrderId == order.Id && r.IsMain);
    }

    Task<decimal> UsedBudgetAsync(Caller partner, string customer, string? indirect = null) =>
        h.InScopeAsync(async sp => (await Service<BudgetService>(sp).ShowAsync(partner, customer, indirect)).UsedAmount);

    Task<decimal> UnbilledAsync(Caller partner) => h.InScopeAsync(async sp => (await Service<FundsService>(sp).ConsumptionQuotaAsync(partner)).UnbilledAmount);

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<SandboxClockService>(sp).AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    [Fact]
    public async Task Unsubscribing_within_five_days_gives_the_whole_list_price_back_to_the_budget_and_the_settlement_charge_to_the_partner()
    {
        var (partner, customer) = await ResaleCustomerAsync();
        await h.InScopeAsync(sp => Service<DiscountService>(sp).GrantPartnerDiscountAsync(partner, new DiscountInput(customer, 0.1m, null, null, null)));
        var order = await BuyAsync(partner, customer, Vm());
        Assert.Equal(MonthPrice - 0.72m, order.AmountAfterDiscount); // the customer's price after the partner's discount
        Assert.Equal(MonthPrice, await UsedBudgetAsync(partner, customer)); // the budget counts list price
        Assert.Equal(5.72m, await UnbilledAsync(partner));                   // the partner owes the settlement price
        var vm = await MainOfAsync(order);

        await AdvanceAsync(TimeSpan.FromDays(2));
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(CustomerCaller(customer), [vm.Id], 1, null, null));
        Assert.Equal(MonthPrice - 0.72m, result.Refund);
        Assert.Equal(0m, await UsedBudgetAsync(partner, customer));
        Assert.Equal(0m, await UnbilledAsync(partner));
        Assert.Equal(0m, (await h.InScopeAsync(sp => Service<FundsService>(sp).BalancesOfAsync(customer))).Cash); // nothing to the customer: the partner paid
        await using var db = h.NewDbContext();
        var refund = await db.Orders.SingleAsync(o => o.Id == result.OrderIds[0]);
        Assert.Equal((OrderType.Unsubscribe, partner.AccountId, 5.72m), (refund.OrderType, refund.FundingPartnerAccountId, refund.SettlementAmount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_refund_by_the_formula_gives_back_the_list_price_refunded_by_the_same_formula()
    {
        var (partner, customer) = await ResaleCustomerAsync();
        var order = await BuyAsync(partner, customer, Vm(months: 2));
        var vm = await MainOfAsync(order);
        await AdvanceAsync(TimeSpan.FromDays(6) + TimeSpan.FromMinutes(20)); // past the 5-day window, still in November
        await using (var db = h.NewDbContext())
        {
            var stretch = await db.ResourcePeriods.SingleAsync(p => p.ResourceId == vm.Id);
            var listRefund = RefundRules.ForStretch(2 * MonthPrice, stretch.Start, stretch.End, 2, 2, stretch.PaidAt, Now).Refund;
            Assert.True(listRefund is > 0 and < 2 * MonthPrice);
            await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(CustomerCaller(customer), [vm.Id], 1, null, null));
            Assert.Equal(2 * MonthPrice - listRefund, await UsedBudgetAsync(partner, customer));
        }
        await h.AssertLedgerSoundAsync();
    }

    [Theory]
    [InlineData("MONTHLY")]
    [InlineData("PACKAGE")]
    public async Task Only_a_spend_still_in_the_budget_period_is_given_back(string budgetType)
    {
        // Bought on 23 November, unsubscribed on 3 December after a December purchase.
        var (partner, customer) = await ResaleCustomerAsync(100m, budgetType);
        var november = await BuyAsync(partner, customer, Vm(months: 3));
        var vm = await MainOfAsync(november);
        await AdvanceAsync(TimeSpan.FromDays(10));
        Assert.Equal(12, Now.Month);
        await BuyAsync(partner, customer, Vm());
        ResourcePeriod stretch;
        await using (var db = h.NewDbContext()) stretch = await db.ResourcePeriods.SingleAsync(p => p.ResourceId == vm.Id);
        var listRefund = RefundRules.ForStretch(3 * MonthPrice, stretch.Start, stretch.End, 2, 3, stretch.PaidAt, Now).Refund;

        await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(CustomerCaller(customer), [vm.Id], 1, null, null));
        var expected = budgetType == "MONTHLY"
            ? MonthPrice                                  // November's spend is not in December's budget: nothing comes back
            : 3 * MonthPrice + MonthPrice - listRefund;   // a one-time budget still counts it
        Assert.Equal(expected, await UsedBudgetAsync(partner, customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_give_back_is_idempotent_by_key_and_capped_at_the_spend()
    {
        var (partner, customer) = await ResaleCustomerAsync();
        var order = await BuyAsync(partner, customer, Vm(months: 2));
        async Task<decimal> GiveBackAsync(string key, decimal amount, string? spendKey = null) => await h.InScopeAsync(async sp =>
        {
            var db = Service<AppDbContext>(sp);
            await using var tx = await db.Database.BeginTransactionAsync();
            var back = await Service<BudgetConsumption>(sp).GiveBackAsync(customer, spendKey ?? $"order:{order.Id}", amount, key);
            await tx.CommitAsync();
            return back;
        });
        Assert.Equal(1.00m, await GiveBackAsync("k1", 1.00m));
        Assert.Equal(0m, await GiveBackAsync("k1", 1.00m));
        Assert.Equal(2 * MonthPrice, await GiveBackAsync("k2", 100m)); // capped at the spend
        Assert.Equal(0m, await UsedBudgetAsync(partner, customer));    // and the used amount never below zero
        Assert.Equal(0m, await GiveBackAsync("k3", 1m, "order:none")); // no such spend
        await using var db = h.NewDbContext();
        Assert.Equal(-1.00m - 2 * MonthPrice, await db.BudgetSpends.Where(s => s.CustomerAccountId == customer && s.Amount < 0).SumAsync(s => s.Amount));
    }

    [Fact]
    public async Task Concurrent_unsubscribes_of_a_resale_resource_give_back_once()
    {
        var (partner, customer) = await ResaleCustomerAsync();
        var order = await BuyAsync(partner, customer, Vm());
        var vm = await MainOfAsync(order);
        await BuyAsync(partner, customer, Vm()); // a second spend that stays
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(CustomerCaller(customer), [vm.Id], 1, null, null)); return true; }
            catch (ServiceException e) when (e.Error.Code is "CBC.99003651" or "CBC.99003012") { return false; }
        })));
        Assert.Equal(1, results.Count(ok => ok));
        Assert.Equal(MonthPrice, await UsedBudgetAsync(partner, customer));
        Assert.Equal(5.72m, await UnbilledAsync(partner));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_distributor_acts_on_its_resellers_customers_resources_and_on_nobody_elses()
    {
        var (distributor, dist) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (resellerCaller, reseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, (distributor, dist));
        var otherDistributor = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (_, foreignReseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, otherDistributor);
        var customer = (await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(distributor,
            new NewSubCustomer(null, null, null, "SG", null, null, reseller.PartnerId, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => Service<BudgetService>(sp).SetAsync(distributor, new BudgetInput(customer, 100m, null, "1", null, reseller.PartnerId)));
        var order = await BuyAsync(distributor, customer, Vm(), reseller.PartnerId);
        var vm = await MainOfAsync(order);

        var (listed, total) = await h.InScopeAsync(sp => Service<ResourceService>(sp).ListAsync(distributor,
            new ResourceFilter(null, null, null, null, null, null, null, customer, null, null, reseller.PartnerId)));
        Assert.Equal((1, vm.Id), (total, listed[0].Id));
        var renewal = await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(distributor, [vm.Id], 2, 1, 1, customer, default, reseller.PartnerId));
        await using (var db = h.NewDbContext())
        {
            var renewalOrder = await db.Orders.SingleAsync(o => o.Id == renewal[0]);
            Assert.Equal((OrderSource.Partner, distributor.AccountId, OrderStatus.Completed), (renewalOrder.SourceType, renewalOrder.PlacedByPartnerAccountId, renewalOrder.Status));
        }
        await h.InScopeAsync(sp => Service<ResourceService>(sp).EnableAutoRenewAsync(distributor, vm.Id, "MONTH", 2, customer, default, reseller.PartnerId));
        Assert.Equal(ExpirePolicy.AutoRenew, (await MainOfAsync(order)).ExpirePolicy);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).CancelAutoRenewAsync(distributor, vm.Id, customer, default, reseller.PartnerId));

        // Refusals: another distributor's reseller, the reseller's customer without indirect_partner_id, and another
        // distributor aiming at this reseller. Nothing changes.
        var errors = new List<string>
        {
            (await h.FailsAsync(sp => Service<ResourceService>(sp).ListAsync(distributor, new ResourceFilter(null, null, null, null, null, null, null, customer, null, null, foreignReseller.PartnerId)))).Code,
            (await h.FailsAsync(sp => Service<ResourceService>(sp).RenewAsync(distributor, [vm.Id], 2, 1, 1, customer))).Code,
            (await h.FailsAsync(sp => Service<ResourceService>(sp).RenewAsync(otherDistributor.Caller, [vm.Id], 2, 1, 1, customer, default, reseller.PartnerId))).Code,
            (await h.FailsAsync(sp => Service<ResourceService>(sp).EnableAutoRenewAsync(otherDistributor.Caller, vm.Id, null, null, customer, default, reseller.PartnerId))).Code,
            (await h.FailsAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(otherDistributor.Caller, [vm.Id], 1, null, null, default, customer, reseller.PartnerId))).Code,
            (await h.FailsAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(resellerCaller, [vm.Id], 1, null, null, default, customer, reseller.PartnerId))).Code,
        };
        Assert.Equal(["CBC.99000037", "CBC.99000035", "CBC.99000037", "CBC.99000037", "CBC.99000037", "CBC.99000037"], errors);
        var before = await MainOfAsync(order);
        Assert.Equal(ResourceStatus.InUse, before.Status);

        // The distributor unsubscribes on the customer's behalf: the renewal comes back whole, the reseller (which the
        // customer's money came from) gets its settlement back and the budget its list price.
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(distributor, [vm.Id], 2, null, null, default, customer, reseller.PartnerId));
        Assert.Equal(MonthPrice, result.Refund);
        Assert.Equal(MonthPrice, await UsedBudgetAsync(distributor, customer, reseller.PartnerId));
        Assert.Equal(before.ExpireTime!.Value.AddMonths(-1), (await MainOfAsync(order)).ExpireTime);
        await using (var db = h.NewDbContext())
        {
            var refundOrder = await db.Orders.SingleAsync(o => o.Id == result.OrderIds[0]);
            Assert.Equal((OrderSource.Partner, distributor.AccountId, reseller.AccountId), (refundOrder.SourceType, refundOrder.PlacedByPartnerAccountId, refundOrder.FundingPartnerAccountId));
        }
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_partner_cannot_unsubscribe_a_referral_customers_resources()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var (customer, _) = await h.NewAccountAsync("ref");
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, customer.AccountId, 20m, "funds", Ids.New()));
        await using (var db = h.NewDbContext())
        {
            db.CustomerAssociations.Add(new CustomerAssociation { CustomerAccountId = customer.AccountId, PartnerAccountId = partner.AccountId, AssociationType = AssociationTypes.Referral });
            await db.SaveChangesAsync();
        }
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).CreateAsync(customer, new NewOrder(null, [Vm()], Ids.New())));
        await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(customer, new PayRequest(order.Id, "NO", "NO", null, null)));
        var vm = await MainOfAsync(order);
        var e = await h.FailsAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(partner, [vm.Id], 1, null, null, default, customer.AccountId));
        Assert.Equal("CBC.5023", e.Code);
        Assert.Equal(ResourceStatus.InUse, (await MainOfAsync(order)).Status);
        // The customer itself still can, and its refund goes to its own cash.
        await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 1, null, null));
        Assert.Equal(20m, (await h.InScopeAsync(sp => Service<FundsService>(sp).BalancesOfAsync(customer.AccountId))).Cash);
        await h.AssertLedgerSoundAsync();
    }
}
