using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>Orders: one price from inquiry to payment, the funding rules, idempotency and the payment deadline.</summary>
public class OrderRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Service = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Spec = "s6.small.1.linux", Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m; // the default catalog's list price of the spec in the region

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static NewOrderLine Line(int months = 1, int count = 1, string spec = Spec) => new(Service, Vm, spec, Region, null, null, 2, months, count);

    Task<Order> CreateAsync(Caller caller, NewOrderLine line, string? customerId = null, string? token = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(caller, new NewOrder(customerId, [line], token ?? Ids.New())));

    Task<Order> PayAsync(Caller customer, string orderId, PayChoice? discount = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer,
            new PayRequest(orderId, "NO", discount is null ? "NO" : "YES", null, discount is null ? null : [discount])));

    async Task<Caller> FundedCustomerAsync(decimal cash)
    {
        var (customer, _) = await h.NewAccountAsync("buyer");
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.AccountId, cash, "test funds", Ids.New()));
        return customer;
    }

    async Task<(Caller Partner, string Customer)> ResaleCustomerAsync(decimal monthlyBudget) => (await ResaleCustomerOfAsync(monthlyBudget)) is var r ? (r.Partner, r.Customer) : default;

    async Task<(Caller Partner, Partner Enrolled, string Customer)> ResaleCustomerOfAsync(decimal monthlyBudget)
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var customer = await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)));
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner,
            new BudgetInput(customer.Id, monthlyBudget, "MONTHLY", "1", null, null)));
        return (partner, enrolled, customer.Id);
    }

    Caller CustomerCaller(string accountId) => new(accountId, accountId, accountId, accountId, true, false);

    Task<CustomerBalances> BalancesAsync(string customer) => h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesOfAsync(customer));

    [Fact]
    public async Task The_quoted_list_price_is_what_the_order_charges()
    {
        var customer = await FundedCustomerAsync(100m);
        var quote = await h.InScopeAsync(sp => sp.GetRequiredService<RatingEngine>().RatePeriodAsync(customer.AccountId,
            new PeriodProduct(Service, Vm, Spec, Region, null, null, 2, 3, 2)));
        var order = await CreateAsync(customer, Line(months: 3, count: 2));
        Assert.Equal((quote.OfficialAmount, MonthPrice * 6, OrderStatus.PendingPayment, OrderSource.Customer),
            (order.OfficialAmount, order.OfficialAmount, order.Status, order.SourceType));
        var paid = await PayAsync(customer, order.Id);
        Assert.Equal((OrderStatus.Completed, quote.OfficialAmount), (paid.Status, paid.AmountAfterDiscount));
        Assert.Equal(100m - quote.OfficialAmount, (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_partner_granted_discount_is_chosen_at_payment_and_exactly_one_discount_applies()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = await FundedCustomerAsync(50m);
        // Associate the funded account with the partner by referral, the way an invitation does.
        await using (var db = h.NewDbContext())
        {
            db.CustomerAssociations.Add(new CustomerAssociation { CustomerAccountId = customer.AccountId, PartnerAccountId = partner.AccountId, AssociationType = AssociationTypes.Referral });
            await db.SaveChangesAsync();
        }
        var discount = await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(partner,
            new DiscountInput(customer.AccountId, 0.1m, null, null, null)));
        var order = await CreateAsync(customer, Line());
        var option = Assert.Single(order.DiscountOptions);
        Assert.Equal((OrderDiscountType.PartnerGranted, 0.72m, true), (option.DiscountType, option.DiscountAmount, option.BestOffer));

        var wrong = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer,
            new PayRequest(order.Id, "NO", "YES", null, [new PayChoice("not-a-discount", 3)])));
        Assert.Equal("CBC.99003108", wrong.Code);
        var both = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer,
            new PayRequest(order.Id, "NO", "YES", null, [new PayChoice(option.DiscountId, 3), new PayChoice(option.DiscountId, 3)])));
        Assert.Equal("CBC.0100", both.Code);

        var paid = await PayAsync(customer, order.Id, new PayChoice(option.DiscountId, OrderDiscountType.PartnerGranted));
        Assert.Equal((MonthPrice - 0.72m, discount.Id), (paid.AmountAfterDiscount, paid.DiscountId));
        Assert.Equal(50m - (MonthPrice - 0.72m), (await BalancesAsync(customer.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_resale_customers_order_is_held_to_its_budget_and_charged_to_the_partner_at_settlement_price()
    {
        var (partner, enrolled, customer) = await ResaleCustomerOfAsync(100m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));

        // The partner places it on the customer's behalf; 8 months cost 57.20 at list price.
        var first = await CreateAsync(partner, Line(months: 8), customerId: customer);
        Assert.Equal((OrderSource.Partner, partner.AccountId, 57.20m, 45.76m), (first.SourceType, first.PlacedByPartnerAccountId, first.OfficialAmount, first.SettlementAmount));
        await PayAsync(CustomerCaller(customer), first.Id);
        var second = await CreateAsync(partner, Line(months: 8), customerId: customer);
        var refused = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(CustomerCaller(customer), new PayRequest(second.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99005041", refused.Code);

        var budget = await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null));
        Assert.Equal(57.20m, budget.UsedAmount);
        var quota = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().ConsumptionQuotaAsync(partner));
        Assert.Equal(45.76m, quota.UnbilledAmount);
        await using var db = h.NewDbContext();
        Assert.Equal(OrderStatus.PendingPayment, (await db.Orders.SingleAsync(o => o.Id == second.Id)).Status);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_frozen_customer_cannot_order_or_pay()
    {
        var (partner, customer) = await ResaleCustomerAsync(100m);
        var order = await CreateAsync(partner, Line(), customerId: customer);
        await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(partner, [customer], "overdue", null, null));
        var create = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(partner, new NewOrder(customer, [Line()], "t2")));
        Assert.Equal("CBC.99003656", create.Code);
        var pay = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(CustomerCaller(customer), new PayRequest(order.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99003656", pay.Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_retried_order_creation_answers_the_first_order_even_after_the_customer_was_frozen()
    {
        // Found by the simulation: the freeze check came before the idempotency key, so a retry was refused.
        var (partner, customer) = await ResaleCustomerAsync(100m);
        var order = await CreateAsync(partner, Line(), customerId: customer, token: "retry-1");
        await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(partner, [customer], "overdue", null, null));
        var again = await CreateAsync(partner, Line(), customerId: customer, token: "retry-1");
        Assert.Equal(order.Id, again.Id);
        var changed = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(partner, new NewOrder(customer, [Line(months: 2)], "retry-1")));
        Assert.Equal("CBC.99005044", changed.Code);
        var fresh = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(partner, new NewOrder(customer, [Line()], "retry-2")));
        Assert.Equal("CBC.99003656", fresh.Code);
        await using var db = h.NewDbContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerAccountId == customer));
    }

    [Fact]
    public async Task A_partner_over_its_consumption_quota_cannot_fund_a_purchase()
    {
        var (partner, customer) = await ResaleCustomerAsync(1000m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 10m));
        var order = await CreateAsync(partner, Line(months: 2), customerId: customer);
        var e = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(CustomerCaller(customer), new PayRequest(order.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99005043", e.Code);
        var budget = await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null));
        Assert.Equal(0m, budget.UsedAmount); // the budget spend rolled back with the payment
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_payments_against_a_budget_accept_exactly_what_fits()
    {
        var (partner, customer) = await ResaleCustomerAsync(50m);
        var op = await h.OperatorAsync();
        var specId = await h.InScopeAsync(sp => sp.GetRequiredService<Data.AppDbContext>().ResourceSpecs.Where(s => s.SpecCode == "s6.medium.2.linux" && s.Region == Region).Select(s => s.Id).SingleAsync());
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await h.InScopeAsync(sp => sp.GetRequiredService<CatalogService>().AddPriceVersionAsync(op, specId,
            new PriceVersionInput(now, new Dictionary<string, decimal> { ["month"] = 1.00m }, null)));
        var orders = new List<Order>();
        for (var i = 0; i < 100; i++) orders.Add(await CreateAsync(partner, Line(spec: "s6.medium.2.linux"), customerId: customer));
        Assert.All(orders, o => Assert.Equal(1.00m, o.OfficialAmount));

        var results = await Task.WhenAll(orders.Select(o => Task.Run(async () =>
        {
            try { await PayAsync(CustomerCaller(customer), o.Id); return true; }
            catch (ServiceException e) when (e.Error.Code == "CBC.99005041") { return false; }
        })));
        Assert.Equal(50, results.Count(ok => ok));
        var budget = await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null));
        Assert.Equal(50m, budget.UsedAmount);
        await using var db = h.NewDbContext();
        Assert.Equal(50, await db.Orders.CountAsync(o => o.CustomerAccountId == customer && o.Status == OrderStatus.Completed));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Paying_an_order_twice_charges_once_and_a_paid_order_cannot_be_cancelled()
    {
        var customer = await FundedCustomerAsync(20m);
        var order = await CreateAsync(customer, Line());
        await PayAsync(customer, order.Id);
        var again = await PayAsync(customer, order.Id);
        Assert.Equal(OrderStatus.Completed, again.Status);
        Assert.Equal(20m - MonthPrice, (await BalancesAsync(customer.AccountId)).Cash);
        var cancel = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CancelAsync(customer, order.Id));
        Assert.Equal("CBC.99005010", cancel.Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_retried_creation_with_the_same_client_token_answers_the_same_order()
    {
        var customer = await FundedCustomerAsync(20m);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => CreateAsync(customer, Line(), token: "create-once"))));
        Assert.Single(results.Select(o => o.Id).Distinct());
    }

    [Fact]
    public async Task Cash_is_used_before_credit_and_a_shortfall_is_refused()
    {
        var customer = await FundedCustomerAsync(5m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, customer.AccountId, 10m));
        var order = await CreateAsync(customer, Line());
        await PayAsync(customer, order.Id);
        var b = await BalancesAsync(customer.AccountId);
        Assert.Equal((0m, 10m - (MonthPrice - 5m)), (b.Cash, b.CreditAvailable));
        var big = await CreateAsync(customer, Line(months: 2));
        var e = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer, new PayRequest(big.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99005003", e.Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_unpaid_order_cancels_itself_at_its_payment_deadline()
    {
        var customer = await FundedCustomerAsync(20m);
        var order = await CreateAsync(customer, Line());
        var cancelled = await CreateAsync(customer, Line());
        await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CancelAsync(customer, cancelled.Id));
        var payCancelled = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer, new PayRequest(cancelled.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99003106", payCancelled.Code);

        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, (long)OrderService.PaymentWindow.TotalSeconds + 3600, null));
        await using var db = h.NewDbContext();
        Assert.Equal(OrderStatus.Cancelled, (await db.Orders.SingleAsync(o => o.Id == order.Id)).Status);
        var late = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(customer, new PayRequest(order.Id, "NO", "NO", null, null)));
        Assert.Equal("CBC.99003106", late.Code);
        Assert.Equal(20m, (await BalancesAsync(customer.AccountId)).Cash);
    }

    [Theory]
    [InlineData("s9.unknown.linux", 2, 1, "CBC.99006006")]
    [InlineData(Spec, 2, 12, "CBC.0100")]
    [InlineData(Spec, 3, 4, "CBC.0100")]
    [InlineData(Spec, 1, 1, "CBC.0100")]
    public async Task Bad_order_lines_are_refused_and_nothing_is_written(string spec, int periodType, int periodNum, string code)
    {
        var customer = await FundedCustomerAsync(20m);
        var e = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(customer,
            new NewOrder(null, [Line(), new NewOrderLine(Service, Vm, spec, Region, null, null, periodType, periodNum, 1)], "bad")));
        Assert.Equal(code, e.Code);
        await using var db = h.NewDbContext();
        Assert.False(await db.Orders.AnyAsync(o => o.CustomerAccountId == customer.AccountId));
    }

    [Fact]
    public async Task Another_partners_customer_is_neither_ordered_for_nor_listed()
    {
        var (_, customer) = await ResaleCustomerAsync(100m);
        var (stranger, _) = await h.NewPartnerAsync();
        var e = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(stranger, new NewOrder(customer, [Line()], "x")));
        Assert.Equal("CBC.99000035", e.Code);
        var list = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().ListAsync(stranger,
            new OrderFilter(null, customer, null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal("CBC.99000035", list.Code);
    }
}
