using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>The console's coupon queries: the coupons offered for an order are those its payment accepts, and only the operator sees a partner's quotas.</summary>
public class CouponQueryRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T S<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller Owner(string accountId) => new(accountId, accountId, accountId, accountId, true, false);
    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    Task<Order> VmOrderAsync(string customer) => h.InScopeAsync(sp => S<OrderService>(sp).CreateAsync(Owner(customer),
        new NewOrder(null, [new NewOrderLine("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, 1)], Ids.New())));

    Task<Order> PayAsync(string customer, string orderId, string couponId) => h.InScopeAsync(sp => S<OrderService>(sp).PayAsync(Owner(customer),
        new PayRequest(orderId, "YES", "NO", [new PayChoice(couponId, null)], null)));

    Task<IReadOnlyList<CouponChoice>> ChoicesAsync(string customer, string orderId) =>
        h.InScopeAsync(sp => S<CouponQueries>(sp).ForOrderAsync(Owner(customer), orderId));

    [Fact]
    public async Task The_coupons_offered_for_an_order_are_those_its_payment_accepts_and_the_others_say_why_not()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        Task<Coupon> TestCouponAsync(int type, decimal face, decimal? ratio, string? service) => h.InScopeAsync(sp => S<CouponService>(sp)
            .IssueTestCouponAsync(op, partner.AccountId, type, face, ratio, Now.AddDays(30), service is null ? null : [service]));
        var cash = await TestCouponAsync(CouponCodes.Cash, 5m, null, null);
        var disksOnly = await TestCouponAsync(CouponCodes.Cash, 100m, null, "hws.service.type.ebs");
        var discount = await TestCouponAsync(CouponCodes.Discount, 50m, 0.10m, null);
        var first = await VmOrderAsync(partner.AccountId);

        var choices = await ChoicesAsync(partner.AccountId, first.Id);
        Assert.Equal(new[] { cash.Id, discount.Id }.Order().ToList(), choices.Where(c => c.Refusal is null).Select(c => c.Coupon.Id).Order().ToList());
        Assert.Null(choices[0].Refusal); // the usable ones come first
        Assert.Equal("its service and product limits cover nothing in this order.", choices.Single(c => c.Coupon.Id == disksOnly.Id).Refusal);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayAsync(partner.AccountId, first.Id, disksOnly.Id))).Code);

        // The cash coupon does not cover the 7.15 and the account holds no cash: refused, the coupon stays reserved for this order.
        Assert.Equal("CBC.99005003", (await h.FailsAsync(sp => PayAsync(partner.AccountId, first.Id, cash.Id))).Code);
        var second = await VmOrderAsync(partner.AccountId);
        Assert.Equal($"it is reserved by the pending order {first.Id}.", (await ChoicesAsync(partner.AccountId, second.Id)).Single(c => c.Coupon.Id == cash.Id).Refusal);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayAsync(partner.AccountId, second.Id, cash.Id))).Code);
        Assert.Null((await ChoicesAsync(partner.AccountId, first.Id)).Single(c => c.Coupon.Id == cash.Id).Refusal);

        // Another account's order is not revealed.
        var (other, _) = await h.NewPartnerAsync();
        Assert.Equal(Errors.InvalidOrder().Code, (await h.FailsAsync(sp => S<CouponQueries>(sp).ForOrderAsync(other, first.Id))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Only_the_operator_sees_a_partners_coupon_quotas()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var quota = await h.InScopeAsync(sp => S<CouponQuotaService>(sp).GrantAsync(op, partner.AccountId,
            new NewCouponQuota(0, 250m, null, Now.AddDays(30), null, null, null, null)));

        var seen = await h.InScopeAsync(sp => S<CouponQueries>(sp).QuotasOfPartnerAsync(op, partner.AccountId));
        Assert.Equal((quota.Id, 250m, CouponCodes.QuotaNormal), (seen.Single().Quota.Id, seen.Single().Quota.Balance, seen.Single().Status));
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => S<CouponQueries>(sp).QuotasOfPartnerAsync(partner, partner.AccountId))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
