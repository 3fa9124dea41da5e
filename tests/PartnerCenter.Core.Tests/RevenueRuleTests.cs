using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Demo;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Revenue;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>A partner's revenue: its resale customers' price less the settlement price, and the referral incentive at the operator's rate.</summary>
public sealed class RevenueRuleTests
{
    const string Day = "2027-01-05T02:30:00Z";

    static async Task<Caller> SignInAsync(CoreHarness h, DemoAccount account) => await h.InScopeAsync(async sp =>
    {
        var (user, a) = await sp.GetRequiredService<AuthService>().SignInAsync(account.DomainName, account.DomainName, account.Password);
        return AuthService.CallerOf(user, a, null, null);
    });

    [Fact]
    public async Task A_month_of_demo_activity_the_revenue_statements_revenue_equals_customers_price_minus_settlement_order_by_order()
    {
        await using var h = await CoreHarness.StartAsync(s => s.AddScoped<DemoWorld>());
        h.RealTime.SetUtcNow(DateTimeOffset.Parse(Day, CultureInfo.InvariantCulture));
        var world = await h.InScopeAsync(sp => sp.GetRequiredService<DemoWorld>().CreateAsync(h.OperatorPassword));
        var cspAccount = world.Single(a => a.Role == "csp");
        var csp = await SignInAsync(h, cspAccount);
        var resale = world.Where(a => a.Partner == cspAccount.DomainId && a.AssociationType == AssociationTypes.Resale).Select(a => a.DomainId).ToHashSet();
        Assert.Equal(2, resale.Count);
        var referral = world.Single(a => a.DomainName == "demo-csp-referral1").DomainId;

        var cycle = BillCycle.Containing(h.RealTime.GetUtcNow().UtcDateTime);
        var checkedOrders = 0;
        for (var month = 0; month < DemoTimeline.Runs; month++)
        {
            cycle = cycle.Previous;
            var s = await h.InScopeAsync(sp => sp.GetRequiredService<RevenueService>().StatementAsync(csp, cycle.ToString()));
            Assert.True(s.Closed);
            await using var db = h.NewDbContext();

            // Order by order: each completed order of a resale customer is a line at the customer's price (list price, or
            // what was refunded) and the settlement price the partner paid; the revenue is the difference.
            var orders = await db.Orders.AsNoTracking().Where(o => resale.Contains(o.CustomerAccountId) && o.Status == OrderStatus.Completed
                && o.PaidAt >= cycle.StartUtc && o.PaidAt < cycle.EndUtc && o.OfficialAmount != 0).ToListAsync();
            foreach (var o in orders)
            {
                var refund = o.OrderType is OrderType.Unsubscribe or OrderType.ToOnDemand;
                var line = Assert.Single(s.Lines, l => l.TradeId == o.Id);
                Assert.True(line.Resale);
                Assert.Equal(refund ? -o.AmountAfterDiscount : o.OfficialAmount, line.Price);
                Assert.Equal(refund ? -o.SettlementAmount : o.SettlementAmount, line.Settlement);
                Assert.Equal(line.Price - line.Settlement, line.Revenue);
                checkedOrders++;
            }
            Assert.All(s.Lines.Where(l => l.Resale), l => Assert.Equal(l.Price - l.Settlement, l.Revenue));

            // The settlement side is what the platform billed the partner for each resale customer, to the cent.
            var bill = await db.PartnerBills.AsNoTracking().Include(b => b.Lines)
                .SingleAsync(b => b.PartnerAccountId == csp.AccountId && b.Cycle == cycle.ToString() && b.Status == BillStatus.Finalized);
            foreach (var customer in resale)
                Assert.Equal(bill.Lines.Where(l => l.CustomerAccountId == customer).Sum(l => l.Amount),
                    s.Lines.Where(l => l.CustomerId == customer).Sum(l => l.Settlement));

            // The referral customer's consumption earns the demo's rate, rounded once per line.
            var referralLines = s.Lines.Where(l => l.CustomerId == referral).ToList();
            Assert.NotEmpty(referralLines);
            Assert.All(referralLines, l => Assert.Equal(Money.Round2(l.Price * DemoWorld.DemoIncentiveRate), l.Incentive));

            Assert.Equal(s.Totals.ResalePrice - s.Totals.Settlement, s.Totals.Revenue);
            Assert.Equal(s.Lines.Sum(l => l.Revenue), s.Totals.Revenue);
            Assert.Equal(s.Customers.Sum(c => c.Earnings), s.Totals.Earnings);
            Assert.True(s.Totals.Revenue > 0, $"the CSP's settlement discount leaves it a margin in {cycle}");
        }
        Assert.True(checkedOrders > 0);

        // The statement's files carry the same figures: the CSV's revenue total is the statement's.
        var last = BillCycle.Containing(h.RealTime.GetUtcNow().UtcDateTime).Previous;
        var statement = await h.InScopeAsync(sp => sp.GetRequiredService<RevenueService>().StatementAsync(csp, last.ToString()));
        var csv = Encoding.UTF8.GetString((await h.InScopeAsync(sp => sp.GetRequiredService<RevenueDocuments>().StatementAsync(csp, last.ToString(), "csv"))).Content);
        Assert.Contains($"total,,,,,,revenue,,,,,{statement.Totals.Revenue.ToString(CultureInfo.InvariantCulture)}", csv);

        // The CSP's invoice to its resale customer is at the customer's price: the statement's price for that customer.
        var customer1 = world.Single(a => a.DomainName == "demo-csp-customer1");
        var invoiceCsv = Encoding.UTF8.GetString((await h.InScopeAsync(sp => sp.GetRequiredService<RevenueDocuments>()
            .CustomerInvoiceAsync(csp, last.ToString(), customer1.DomainId, "csv"))).Content);
        var price = statement.Customers.Single(c => c.CustomerId == customer1.DomainId).Price;
        Assert.Contains($",total,,,total,{price.ToString(CultureInfo.InvariantCulture)}", invoiceCsv);
        // ... which the customer downloads too; the referral customer has no partner invoice.
        var customerCaller = await SignInAsync(h, customer1);
        var own = await h.InScopeAsync(sp => sp.GetRequiredService<RevenueDocuments>().CustomerInvoiceAsync(customerCaller, last.ToString(), null, "pdf"));
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(own.Content, 0, 4));
        var referralCaller = await SignInAsync(h, world.Single(a => a.DomainName == "demo-csp-referral1"));
        Assert.Equal("CBC.5023", (await h.FailsAsync(sp => sp.GetRequiredService<RevenueDocuments>().CustomerInvoiceAsync(referralCaller, last.ToString(), null, "csv"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_incentive_rate_starts_from_a_month_keeps_its_history_and_never_rewrites_a_past_month()
    {
        await using var h = await CoreHarness.StartAsync();
        var op = await h.OperatorAsync();
        var (partner, _) = await h.NewPartnerAsync();
        var now = BillCycle.Containing(h.RealTime.GetUtcNow().UtcDateTime);
        Task<IncentiveRate> Set(decimal rate, string? service = null, string? from = null, bool allow = true) =>
            h.InScopeAsync(sp => sp.GetRequiredService<IncentiveRates>().SetAsync(op, new IncentiveRateInput("CloudSolutionProvider", service, rate, allow, from)));

        await Set(0.05m);
        await Set(0.08m, from: now.Next.ToString());
        await Set(0.1m, "hws.service.type.ec2");
        Task<RatesInForce> InForce(BillCycle c) => h.InScopeAsync(sp => sp.GetRequiredService<IncentiveRates>().InForceAsync(PartnerProgram.CloudSolutionProvider, c));
        Assert.Equal(0.05m, (await InForce(now)).RateFor("hws.service.type.obs"));
        Assert.Equal(0.1m, (await InForce(now)).RateFor("hws.service.type.ec2"));
        Assert.Equal(0.08m, (await InForce(now.Next)).RateFor("hws.service.type.obs"));
        Assert.Equal(0m, (await InForce(now.Previous)).RateFor("hws.service.type.obs"));
        Assert.Equal(3, (await h.InScopeAsync(sp => sp.GetRequiredService<IncentiveRates>().HistoryAsync(op))).Count);

        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Set(0.05m, from: now.Previous.ToString()))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Set(1.5m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Set(0.12345m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Set(0.1m, "hws.service.type.nothing"))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<IncentiveRates>().SetAsync(op, new IncentiveRateInput("Gold", null, 0.1m, null, null)))).Code);
        var notOperator = await h.FailsAsync(sp => sp.GetRequiredService<IncentiveRates>().SetAsync(partner, new IncentiveRateInput("CloudSolutionProvider", null, 0.5m, null, null)));
        Assert.Equal(ErrorKind.Forbidden, notOperator.Kind);

        // The partner hears of each setting of its program.
        await using var db = h.NewDbContext();
        Assert.Equal(3, await db.PartnerNotifications.CountAsync(n => n.PartnerAccountId == partner.AccountId && n.Kind == "incentive.rate"));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_incentive_policy_of_each_service_follows_the_rates_and_a_service_without_discounts_refuses_a_partner_discount()
    {
        await using var h = await CoreHarness.StartAsync();
        var op = await h.OperatorAsync();
        var (partner, _) = await h.NewPartnerAsync();
        Task<IReadOnlyList<IncentivePolicy>> Policies() => h.InScopeAsync(async sp =>
            (await sp.GetRequiredService<IncentivePolicies>().ListAsync(partner, null, null, 0, 100)).Policies);
        Assert.All(await Policies(), p => Assert.Equal(IncentivePolicyCodes.NoPerformanceNoRebate, p.IncentivePolicyCode));

        Task Set(decimal rate, string? service, bool allow) =>
            h.InScopeAsync(sp => sp.GetRequiredService<IncentiveRates>().SetAsync(op, new IncentiveRateInput("CloudSolutionProvider", service, rate, allow, null)));
        await Set(0.05m, null, true);
        await Set(0.1m, "hws.service.type.ec2", false);
        await Set(0m, "hws.service.type.obs", true);
        var policies = (await Policies()).ToDictionary(p => p.ServiceTypeCode);
        Assert.Equal(IncentivePolicyCodes.SpecificProduct, policies["hws.service.type.ec2"].IncentivePolicyCode);
        Assert.False(policies["hws.service.type.ec2"].AllowDiscount);
        Assert.Equal(IncentivePolicyCodes.PerformanceNoRebate, policies["hws.service.type.obs"].IncentivePolicyCode);
        Assert.Contains(policies.Values, p => p.IncentivePolicyCode == IncentivePolicyCodes.NonSpecificProduct && p.AllowDiscount);

        var customer = await h.InScopeAsync(async sp => (await sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, "Cust#Pass123", "SG", null, null, null, AssociationTypes.Resale))).Id);
        var refused = await h.FailsAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(partner,
            new DiscountInput(customer, 0.1m, "hws.service.type.ec2", null, null)));
        Assert.Equal("CBC.99005070", refused.Code);
        await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantPartnerDiscountAsync(partner, new DiscountInput(customer, 0.1m, "hws.service.type.obs", null, null)));

        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<IncentivePolicies>().ListAsync(partner, "2027-13", null, 0, 10))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<IncentivePolicies>().ListAsync(partner, null, null, 0, 101))).Code);
        var (stranger, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => sp.GetRequiredService<IncentivePolicies>().ListAsync(stranger, null, null, 0, 10))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_revenue_goal_is_the_partners_own_for_this_year_or_later_and_shows_the_years_earnings()
    {
        await using var h = await CoreHarness.StartAsync();
        var (partner, _) = await h.NewPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        var year = BillCycle.Containing(h.RealTime.GetUtcNow().UtcDateTime).Year;
        RevenueService Revenue(IServiceProvider sp) => sp.GetRequiredService<RevenueService>();

        var none = await h.InScopeAsync(sp => Revenue(sp).GoalAsync(partner, null));
        Assert.Null(none.Goal);
        Assert.Equal(0m, none.Achieved);
        var set = await h.InScopeAsync(sp => Revenue(sp).SetGoalAsync(partner, year, 120_000m));
        Assert.Equal(120_000m, set.Goal);
        Assert.Equal(0m, set.Percent);
        await h.InScopeAsync(sp => Revenue(sp).SetGoalAsync(partner, year, 150_000.5m));
        Assert.Equal(150_000.5m, (await h.InScopeAsync(sp => Revenue(sp).GoalAsync(partner, year))).Goal);
        Assert.Null((await h.InScopeAsync(sp => Revenue(sp).GoalAsync(other, year))).Goal);

        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).SetGoalAsync(partner, year - 1, 1m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).SetGoalAsync(partner, year, 0m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).SetGoalAsync(partner, year, 1.005m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).SetGoalAsync(partner, year, null))).Code);
        var (stranger, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => Revenue(sp).SetGoalAsync(stranger, year, 1m))).Code);

        await using var db = h.NewDbContext();
        Assert.Equal(2, await db.PartnerNotifications.CountAsync(n => n.PartnerAccountId == partner.AccountId && n.Kind == "revenue.goal"));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).StatementAsync(partner, BillCycle.Containing(h.RealTime.GetUtcNow().UtcDateTime).Next.ToString()))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Revenue(sp).StatementAsync(partner, "2027/01"))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
