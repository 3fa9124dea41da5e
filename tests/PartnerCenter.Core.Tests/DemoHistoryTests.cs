using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Demo;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// The demo's history is anchored to the day the demo is created: whatever that day, three closed months lie behind
/// it, the reseller is overdue and the CSP is not. The days tested are the edges of the payment terms: just after a
/// bill run, and just before the next one after a 31-day month.
/// </summary>
public sealed class DemoHistoryTests
{
    [Theory]
    [InlineData("2027-01-05T02:30:00Z")]
    [InlineData("2027-02-05T01:00:00Z")]
    public async Task The_demo_created_on_any_day_has_three_closed_months_an_overdue_reseller_and_a_usable_csp(string day)
    {
        await using var h = await CoreHarness.StartAsync(s => s.AddScoped<DemoWorld>());
        h.RealTime.SetUtcNow(DateTimeOffset.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
        var world = await h.InScopeAsync(sp => sp.GetRequiredService<DemoWorld>().CreateAsync(h.OperatorPassword));
        var now = h.RealTime.GetUtcNow().UtcDateTime;

        await using (var db = h.NewDbContext())
        {
            Assert.Equal(0, (await db.ClockStates.SingleAsync()).OffsetSeconds); // the business clock is back at the real time
            foreach (var partner in world.Where(a => a.Role is "csp" or "distributor" or "reseller"))
            {
                var bills = await db.PartnerBills.Where(b => b.PartnerAccountId == partner.DomainId && b.Status == BillStatus.Finalized).ToListAsync();
                Assert.Equal(DemoTimeline.Runs, bills.Count);
                Assert.All(bills, b => Assert.True(b.CreatedAt <= now && b.CoversTo <= b.CreatedAt));
                Assert.Contains(bills, b => b.InitialAmountDue > 0 && b.Paid == b.InitialAmountDue);
                Assert.Contains(bills, b => b.Paid > 0 && b.Paid < b.InitialAmountDue);
                var summary = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerFunds>().SummaryOfAsync(partner.DomainId));
                Assert.Equal(partner.Role == "reseller", summary.Overdue);
                // Every demo partner is in the partner network, master of its company, with its business information approved.
                var member = await db.NetworkMembers.SingleAsync(m => m.AccountId == partner.DomainId);
                Assert.Equal(partner.DomainId, (await db.Companies.SingleAsync(c => c.Id == member.CompanyId)).MasterAccountId);
                Assert.True(await db.BusinessInfoSubmissions.AnyAsync(b => b.AccountId == partner.DomainId && b.Status == PartnerCenter.Core.PartnerNetwork.BusinessInfoStatus.Approved));
            }
        }

        var error = await h.FailsAsync(async sp =>
        {
            var customer = world.Single(a => a.DomainName == "demo-reseller-customer1");
            var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(customer.DomainName, customer.DomainName, customer.Password);
            await sp.GetRequiredService<OrderService>().CreateAsync(AuthService.CallerOf(user, account, null, null),
                new NewOrder(null, [new NewOrderLine("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, 1)], "after-the-demo"));
        });
        Assert.Equal("CBC.99005046", error.Code);
        await h.AssertLedgerSoundAsync();
    }
}
