using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>Coupon quotas, partner coupons and coupons at payment: every limit refuses with its code and charges nothing.</summary>
public class CouponRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Service = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Spec = "s6.small.1.linux", Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T S<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller Owner(string accountId) => new(accountId, accountId, accountId, accountId, true, false);
    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task<CouponQuota> QuotaAsync(Caller partner, decimal value, decimal max = 500m)
    {
        var op = await h.OperatorAsync();
        return await h.InScopeAsync(sp => S<CouponQuotaService>(sp).GrantAsync(op, partner.AccountId,
            new NewCouponQuota(0, value, null, Now.AddDays(90), 1m, max, null, null)));
    }

    async Task<string> CustomerAsync(Caller partner, string type, bool budget = true)
    {
        var id = await h.InScopeAsync(async sp => (await S<SubCustomerService>(sp).CreateAsync(partner, new NewSubCustomer(null, null, null, "SG", null, null, null, type))).Id);
        // A resale customer buys within the budget its partner set.
        if (type == AssociationTypes.Resale && budget) await h.InScopeAsync(sp => S<BudgetService>(sp).SetAsync(partner, new BudgetInput(id, 1000m, "MONTHLY", "1", null, null)));
        return id;
    }

    Task<(IReadOnlyList<(string CustomerId, string CouponId)> Issued, IReadOnlyList<BatchError> Errors)> IssueAsync(Caller partner, string quota, decimal face,
        params string[] customers) =>
        h.InScopeAsync(sp => S<CouponService>(sp).IssueAsync(partner, new NewPartnerCoupons(quota, customers, face, null, null, null, null, null, null, null)));

    Task<Order> OrderAsync(string customer, int months) => h.InScopeAsync(sp => S<OrderService>(sp).CreateAsync(Owner(customer),
        new NewOrder(null, [new NewOrderLine(Service, Vm, Spec, Region, null, null, 2, months, 1)], Ids.New())));

    Task<Order> PayAsync(string customer, string orderId, params (string Id, int? Type)[] coupons) => h.InScopeAsync(sp => S<OrderService>(sp).PayAsync(Owner(customer),
        new PayRequest(orderId, coupons.Length > 0 ? "YES" : "NO", "NO", coupons.Length > 0 ? coupons.Select(c => new PayChoice(c.Id, c.Type)).ToList() : null, null)));

    async Task<Coupon> CouponAsync(string id)
    {
        await using var db = h.NewDbContext();
        return await db.Coupons.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    async Task<decimal> PayableAsync(string partner)
    {
        await using var db = h.NewDbContext();
        return await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => a.Balance).SingleOrDefaultAsync();
    }

    async Task<(Caller Partner, string Customer, CouponQuota Quota)> ResaleSetupAsync(decimal quota = 1000m)
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(partner, AssociationTypes.Resale);
        return (partner, customer, await QuotaAsync(partner, quota));
    }

    [Fact]
    public async Task Issuing_answers_each_customer_alone_and_takes_only_the_issued_value_from_the_quota()
    {
        var (partner, customer, quota) = await ResaleSetupAsync(100m);
        var referral = await CustomerAsync(partner, AssociationTypes.Referral);
        var (other, _) = await h.NewPartnerAsync();
        var stranger = await CustomerAsync(other, AssociationTypes.Resale);
        var second = await CustomerAsync(partner, AssociationTypes.Resale);
        var third = await CustomerAsync(partner, AssociationTypes.Resale);

        var (issued, errors) = await IssueAsync(partner, quota.Id, 40m, customer, referral, stranger, second, third);
        // 100.00 covers two coupons of 40.00: the third resale customer is refused for the quota's balance.
        Assert.Equal([customer, second], issued.Select(i => i.CustomerId).ToList());
        Assert.Equal(new Dictionary<string, string> { [referral] = "CBC.99000014", [stranger] = "CBC.99000035", [third] = "CBC.99000013" },
            errors.ToDictionary(e => e.Id, e => e.Error.Code));
        var (quotas, _) = await h.InScopeAsync(sp => S<CouponQuotaService>(sp).ListAsync(partner, new QuotaFilter(null, null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal(20m, quotas.Single().Quota.Balance);
        Assert.Equal("CBC.99000019", (await h.FailsAsync(sp => S<CouponService>(sp).IssueAsync(partner,
            new NewPartnerCoupons(quota.Id, [customer], 600m, null, null, null, null, null, null, null)))).Code);
        Assert.Equal("CBC.99000012", (await h.FailsAsync(sp => S<CouponService>(sp).IssueAsync(other,
            new NewPartnerCoupons(quota.Id, [stranger], 10m, null, null, null, null, null, null, null)))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_coupon_worth_more_than_the_order_pays_it_all_and_keeps_the_rest_and_the_partner_pays_settlement_less_the_coupon()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var couponId = (await IssueAsync(partner, quota.Id, 30m, customer)).Issued.Single().CouponId;
        var order = await OrderAsync(customer, 2); // 14.30
        var paid = await PayAsync(customer, order.Id, (couponId, 301));
        Assert.Equal((OrderStatus.Completed, 2 * MonthPrice), (paid.Status, paid.CouponAmount));
        var coupon = await CouponAsync(couponId);
        Assert.Equal((30m - 2 * MonthPrice, CouponCodes.Usable), (coupon.Balance, coupon.Status));
        // The coupon paid more than the settlement price: the partner owes nothing for this order.
        Assert.Equal(0m, await PayableAsync(partner.AccountId));
        var used = await h.InScopeAsync(sp => S<CouponPayment>(sp).OfOrderAsync(customer, order.Id, CancellationToken.None));
        Assert.Equal(2 * MonthPrice, used.Single().Amount);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_issues_never_take_more_than_the_quota_holds()
    {
        var (partner, customer, quota) = await ResaleSetupAsync(100m);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => IssueAsync(partner, quota.Id, 30m, customer)));

        // 100.00 holds three coupons of 30.00; every other issue is refused for the quota's balance.
        Assert.Equal(3, results.Sum(r => r.Issued.Count));
        Assert.All(results.SelectMany(r => r.Errors), e => Assert.Equal("CBC.99000013", e.Error.Code));
        var (quotas, _) = await h.InScopeAsync(sp => S<CouponQuotaService>(sp).ListAsync(partner, new QuotaFilter(null, null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal(10m, quotas.Single().Quota.Balance);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_payments_with_one_coupon_never_take_more_than_its_face_value()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var couponId = (await IssueAsync(partner, quota.Id, 30m, customer)).Issued.Single().CouponId;
        var orders = new List<Order>();
        for (var i = 0; i < 8; i++) orders.Add(await OrderAsync(customer, 3)); // 21.45 each: the coupon covers one and a part

        var results = await Task.WhenAll(orders.Select(async o =>
        {
            try { return (Paid: await PayAsync(customer, o.Id, (couponId, 301)), Code: (string?)null); }
            catch (ServiceException e) { return (Paid: (Order?)null, Code: e.Error.Code); }
        }));

        // A payment whose coupon changed under it is refused whole; the others together took at most the face value.
        Assert.All(results.Where(r => r.Code != null), r => Assert.Equal("CBC.99003112", r.Code));
        var paid = results.Where(r => r.Paid != null).Select(r => r.Paid!).ToList();
        Assert.NotEmpty(paid);
        var coupon = await CouponAsync(couponId);
        Assert.True(coupon.Balance >= 0m);
        Assert.Equal(30m, coupon.Balance + paid.Sum(o => o.CouponAmount));
        var uses = new List<decimal>();
        foreach (var o in paid) uses.AddRange((await h.InScopeAsync(sp => S<CouponPayment>(sp).OfOrderAsync(customer, o.Id, CancellationToken.None))).Select(u => u.Amount));
        Assert.Equal(30m - coupon.Balance, uses.Sum());
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Every_refused_coupon_choice_answers_its_code_and_charges_nothing()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var ids = (await IssueAsync(partner, quota.Id, 5m, customer)).Issued.Select(i => i.CouponId).ToList();
        var more = (await IssueAsync(partner, quota.Id, 5m, customer)).Issued.Single().CouponId;
        var three = (await IssueAsync(partner, quota.Id, 5m, customer)).Issued.Single().CouponId;
        var four = (await IssueAsync(partner, quota.Id, 5m, customer)).Issued.Single().CouponId;
        var (other, _) = await h.NewPartnerAsync();
        var stranger = await CustomerAsync(other, AssociationTypes.Resale);
        var strangersCoupon = (await IssueAsync(other, (await QuotaAsync(other, 100m)).Id, 5m, stranger)).Issued.Single().CouponId;
        var order = await OrderAsync(customer, 1);

        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => PayWith(sp, customer, order.Id, ids[0], more, three, four))).Code);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayWith(sp, customer, order.Id, strangersCoupon))).Code);
        await using (var db = h.NewDbContext())
            Assert.Equal((OrderStatus.PendingPayment, 0), (await db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync(), await db.OrderCoupons.CountAsync()));
        Assert.Equal(0m, await PayableAsync(partner.AccountId));
        Assert.Equal(5m, (await CouponAsync(ids[0])).Balance);

        // A coupon past its expire time is expired by the hourly job and refused.
        var shortLived = await h.InScopeAsync(sp => S<CouponService>(sp).IssueAsync(partner, new NewPartnerCoupons(quota.Id, [customer], 5m, null, Now.AddHours(2), null, null, null, null, null)));
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, 3 * 3600, null));
        var expired = await CouponAsync(shortLived.Issued.Single().CouponId);
        Assert.Equal((CouponCodes.Expired, 0m), (expired.Status, expired.Balance));
        var late = await OrderAsync(customer, 1);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayWith(sp, customer, late.Id, expired.Id))).Code);
        await h.AssertLedgerSoundAsync();
    }

    static Task PayWith(IServiceProvider sp, string customer, string orderId, params string[] coupons) =>
        S<OrderService>(sp).PayAsync(Owner(customer), new PayRequest(orderId, "YES", "NO", coupons.Select(c => new PayChoice(c, null)).ToList(), null));

    [Fact]
    public async Task A_cash_coupon_never_combines_with_a_discount_coupon_and_a_discount_coupon_takes_its_share_once()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var cash = await h.InScopeAsync(sp => S<CouponService>(sp).IssueTestCouponAsync(op, partner.AccountId, 1, 3m, null, Now.AddDays(30), null));
        var discount = await h.InScopeAsync(sp => S<CouponService>(sp).IssueTestCouponAsync(op, partner.AccountId, 2, 100m, 0.2m, Now.AddDays(30), null));
        await h.InScopeAsync(sp => S<FundsService>(sp).AdjustAsync(op, partner.AccountId, 50m, "test funds", Ids.New()));
        var order = await OrderAsync(partner.AccountId, 2); // 14.30
        Assert.Equal("CBC.99003147", (await h.FailsAsync(sp => PayWith(sp, partner.AccountId, order.Id, cash.Id, discount.Id))).Code);
        var paid = await PayAsync(partner.AccountId, order.Id, (discount.Id, 300));
        Assert.Equal(Money.Round2(2 * MonthPrice * 0.2m), paid.CouponAmount);
        Assert.Equal(CouponCodes.Used, (await CouponAsync(discount.Id)).Status);
        Assert.Equal(50m - (2 * MonthPrice - paid.CouponAmount), (await h.InScopeAsync(sp => S<FundsService>(sp).BalancesOfAsync(partner.AccountId))).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_coupon_reserved_by_an_unpaid_order_is_refused_elsewhere_until_that_order_is_cancelled()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var cash = await h.InScopeAsync(sp => S<CouponService>(sp).IssueTestCouponAsync(op, partner.AccountId, 1, 3m, null, Now.AddDays(30), null));
        var first = await OrderAsync(partner.AccountId, 1);
        // No cash to pay the rest: refused, and the coupon stays reserved for this order.
        Assert.Equal("CBC.99005003", (await h.FailsAsync(sp => PayWith(sp, partner.AccountId, first.Id, cash.Id))).Code);
        Assert.Equal((first.Id, 3m), ((await CouponAsync(cash.Id)).LockOrderId, (await CouponAsync(cash.Id)).Balance));
        var second = await OrderAsync(partner.AccountId, 1);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayWith(sp, partner.AccountId, second.Id, cash.Id))).Code);
        await h.InScopeAsync(sp => S<OrderService>(sp).CancelAsync(Owner(partner.AccountId), first.Id));
        Assert.Null((await CouponAsync(cash.Id)).LockOrderId);
        await h.InScopeAsync(sp => S<FundsService>(sp).AdjustAsync(op, partner.AccountId, 10m, "test funds", Ids.New()));
        var paid = await PayAsync(partner.AccountId, second.Id, (cash.Id, 301));
        Assert.Equal(3m, paid.CouponAmount);
        // The same payment again is answered as paid; other coupons under the same order are a changed request.
        Assert.Equal(OrderStatus.Completed, (await PayAsync(partner.AccountId, second.Id, (cash.Id, 301))).Status);
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => PayWith(sp, partner.AccountId, second.Id, "another"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Reclaiming_a_coupon_returns_its_balance_to_the_quota_and_dissolving_the_association_reclaims_the_rest()
    {
        var (partner, customer, quota) = await ResaleSetupAsync(100m);
        var issued = (await IssueAsync(partner, quota.Id, 10m, customer)).Issued.Single().CouponId;
        var kept = (await IssueAsync(partner, quota.Id, 15m, customer)).Issued.Single().CouponId;
        await h.InScopeAsync(sp => S<CouponService>(sp).ReclaimAsync(partner, issued, null));
        Assert.Equal((CouponCodes.Reclaimed, 0m), ((await CouponAsync(issued)).Status, (await CouponAsync(issued)).Balance));
        await using (var db = h.NewDbContext()) Assert.Equal(85m, await db.CouponQuotas.Where(q => q.Id == quota.Id).Select(q => q.Balance).SingleAsync());
        await h.InScopeAsync(sp => S<AssociationService>(sp).DissolveAsync(partner, customer, null));
        Assert.Equal(CouponCodes.Reclaimed, (await CouponAsync(kept)).Status);
        var (records, _) = await h.InScopeAsync(sp => S<CouponService>(sp).RecordsAsync(partner, new CouponRecordFilter(null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal(["3", "2", "1", "1"], records.Select(r => CouponChangeKinds.OperationType(r.Kind)).ToList());
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_distributor_delegates_quota_to_its_reseller_and_reclaims_what_is_left()
    {
        var distributor = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var reseller = await h.NewPartnerAsync(PartnerProgram.Reseller, distributor);
        var (stranger, strangerPartner) = await h.NewPartnerAsync();
        var quota = await QuotaAsync(distributor.Caller, 100m);
        var (done, errors) = await h.InScopeAsync(sp => S<CouponQuotaService>(sp).DelegateAsync(distributor.Caller, quota.Id,
            [reseller.Partner.PartnerId, strangerPartner.PartnerId], 60m));
        Assert.Equal("CBC.99000037", errors.Single().Error.Code);
        var child = done.Single().QuotaId;
        var customer = await CustomerAsync(reseller.Caller, AssociationTypes.Resale, budget: false);
        Assert.Single((await IssueAsync(reseller.Caller, child, 25m, customer)).Issued);
        var (back, _) = await h.InScopeAsync(sp => S<CouponQuotaService>(sp).ReclaimAsync(distributor.Caller, [child], "end of campaign"));
        Assert.Equal(35m, back.Single().Reclaimed);
        await using var db = h.NewDbContext();
        Assert.Equal(75m, await db.CouponQuotas.Where(q => q.Id == quota.Id).Select(q => q.Balance).SingleAsync());
        Assert.Equal(["11", "10"], await db.CouponQuotaRecords.OrderByDescending(r => r.Id).Select(r => r.OperationType).ToListAsync());
        await h.AssertLedgerSoundAsync();
    }

    async Task<string> ResourceOfAsync(string orderId)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.Where(r => r.OrderId == orderId && r.IsMain).Select(r => r.Id).SingleAsync();
    }

    Task<UnsubscribeResult> UnsubscribeAsync(string customer, string resourceId) =>
        h.InScopeAsync(sp => S<ResourceService>(sp).UnsubscribeAsync(Owner(customer), [resourceId], 1, null, null));

    async Task<List<CouponChange>> ChangesOfAsync(string couponId)
    {
        await using var db = h.NewDbContext();
        return await db.CouponChanges.AsNoTracking().Where(c => c.CouponId == couponId).OrderBy(c => c.Id).ToListAsync();
    }

    [Fact]
    public async Task Unsubscribing_within_five_days_gives_the_used_cash_coupon_back_and_the_partner_its_settlement()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var couponId = (await IssueAsync(partner, quota.Id, 10m, customer)).Issued.Single().CouponId;
        var order = await OrderAsync(customer, 2); // 14.30: the coupon pays 10.00 of it
        await PayAsync(customer, order.Id, (couponId, 301));
        Assert.Equal((CouponCodes.Used, 0m), ((await CouponAsync(couponId)).Status, (await CouponAsync(couponId)).Balance));
        var owedAfterPayment = await PayableAsync(partner.AccountId);
        Assert.True(owedAfterPayment < 0m);

        var refund = await UnsubscribeAsync(customer, await ResourceOfAsync(order.Id));

        // The whole payment comes back: the coupon usable again with its 10.00, the partner what it paid at settlement price.
        var coupon = await CouponAsync(couponId);
        Assert.Equal((CouponCodes.Usable, 10m), (coupon.Status, coupon.Balance));
        Assert.Equal(0m, await PayableAsync(partner.AccountId));
        var returned = (await ChangesOfAsync(couponId)).Last();
        Assert.Equal((CouponChangeKinds.Return, 10m, 10m, refund.OrderIds.Single()), (returned.Kind, returned.Amount, returned.BalanceAfter, returned.Reference));
        Assert.Equal(("REFUND", "6"), (CouponChangeKinds.TradeType(returned.Kind), CouponChangeKinds.OperationType(returned.Kind)));
        var (records, _) = await h.InScopeAsync(sp => S<CouponService>(sp).RecordsAsync(partner, new CouponRecordFilter(["6"], null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal(10m, records.Single().Amount);
        await using (var db = h.NewDbContext())
            Assert.Equal(10m, await db.Orders.Where(o => o.Id == refund.OrderIds[0]).Select(o => o.CouponAmount).SingleAsync());

        // Given back once: the coupon pays again, as any usable coupon.
        var next = await OrderAsync(customer, 1);
        Assert.Equal(MonthPrice, (await PayAsync(customer, next.Id, (couponId, 301))).CouponAmount);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_after_five_days_refunds_only_what_was_paid_and_keeps_the_coupon_spent()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var cash = await h.InScopeAsync(sp => S<CouponService>(sp).IssueTestCouponAsync(op, partner.AccountId, 1, 5m, null, Now.AddDays(60), null));
        await h.InScopeAsync(sp => S<FundsService>(sp).AdjustAsync(op, partner.AccountId, 50m, "test funds", Ids.New()));
        var order = await OrderAsync(partner.AccountId, 2); // 14.30: 5.00 by the coupon, 9.30 cash
        await PayAsync(partner.AccountId, order.Id, (cash.Id, 301));
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, 6 * 86400, null));

        var refund = await UnsubscribeAsync(partner.AccountId, await ResourceOfAsync(order.Id));

        Assert.True(refund.Refund is > 0m and < 9.30m);
        Assert.Equal(50m - 9.30m + refund.Refund, (await h.InScopeAsync(sp => S<FundsService>(sp).BalancesOfAsync(partner.AccountId))).Cash);
        Assert.Equal((CouponCodes.Used, 0m), ((await CouponAsync(cash.Id)).Status, (await CouponAsync(cash.Id)).Balance));
        Assert.DoesNotContain(await ChangesOfAsync(cash.Id), c => c.Kind == CouponChangeKinds.Return);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_discount_coupon_is_not_given_back_even_by_the_five_day_unsubscription()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var discount = await h.InScopeAsync(sp => S<CouponService>(sp).IssueTestCouponAsync(op, partner.AccountId, 2, 100m, 0.2m, Now.AddDays(30), null));
        await h.InScopeAsync(sp => S<FundsService>(sp).AdjustAsync(op, partner.AccountId, 50m, "test funds", Ids.New()));
        var order = await OrderAsync(partner.AccountId, 2);
        var paid = await PayAsync(partner.AccountId, order.Id, (discount.Id, 300));

        var refund = await UnsubscribeAsync(partner.AccountId, await ResourceOfAsync(order.Id));

        // The cash paid comes back whole; the discount coupon stays used.
        Assert.Equal(2 * MonthPrice - paid.CouponAmount, refund.Refund);
        Assert.Equal(50m, (await h.InScopeAsync(sp => S<FundsService>(sp).BalancesOfAsync(partner.AccountId))).Cash);
        Assert.Equal(CouponCodes.Used, (await CouponAsync(discount.Id)).Status);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_coupon_given_back_after_its_expiry_stays_unusable_and_its_value_goes_back_to_the_platform()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var couponId = (await IssueAsync(partner, quota.Id, 30m, customer)).Issued.Single().CouponId;
        var shortLived = (await h.InScopeAsync(sp => S<CouponService>(sp).IssueAsync(partner,
            new NewPartnerCoupons(quota.Id, [customer], 4m, null, Now.AddHours(2), null, null, null, null, null)))).Issued.Single().CouponId;
        var order = await OrderAsync(customer, 2); // 14.30: 4.00 by the short-lived coupon, 10.30 by the other
        await PayAsync(customer, order.Id, (shortLived, 301), (couponId, 301));
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, 3 * 3600, null));

        await UnsubscribeAsync(customer, await ResourceOfAsync(order.Id));

        Assert.Equal((CouponCodes.Usable, 30m), ((await CouponAsync(couponId)).Status, (await CouponAsync(couponId)).Balance));
        Assert.Equal((CouponCodes.Expired, 0m), ((await CouponAsync(shortLived)).Status, (await CouponAsync(shortLived)).Balance));
        Assert.Equal([CouponChangeKinds.Issue, CouponChangeKinds.Use, CouponChangeKinds.Return, CouponChangeKinds.Expire], (await ChangesOfAsync(shortLived)).Select(c => c.Kind).ToList());
        var late = await OrderAsync(customer, 1);
        Assert.Equal("CBC.99003112", (await h.FailsAsync(sp => PayWith(sp, customer, late.Id, shortLived))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_one_of_an_orders_resources_gives_back_only_its_share_of_the_coupons()
    {
        var (partner, customer, quota) = await ResaleSetupAsync();
        var couponId = (await IssueAsync(partner, quota.Id, 20m, customer)).Issued.Single().CouponId;
        var order = await h.InScopeAsync(sp => S<OrderService>(sp).CreateAsync(Owner(customer),
            new NewOrder(null, [new NewOrderLine(Service, Vm, Spec, Region, null, null, 2, 2, 2)], Ids.New()))); // two VMs, 28.60
        await PayAsync(customer, order.Id, (couponId, 301));
        List<string> vms;
        await using (var db = h.NewDbContext()) vms = await db.CloudResources.Where(r => r.OrderId == order.Id).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();

        await UnsubscribeAsync(customer, vms[0]);
        Assert.Equal(10m, (await CouponAsync(couponId)).Balance);
        await UnsubscribeAsync(customer, vms[1]);
        Assert.Equal(20m, (await CouponAsync(couponId)).Balance);
        await using (var db = h.NewDbContext())
            Assert.Equal(20m, await db.OrderCoupons.Where(u => u.OrderId == order.Id).Select(u => u.ReturnedAmount).SingleAsync());
        await h.AssertLedgerSoundAsync();
    }
}
