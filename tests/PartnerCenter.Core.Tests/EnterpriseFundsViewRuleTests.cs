using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// The Enterprise Center console's read side of funds and coupons: the master's movements with each member agree with the
/// member's own change records, a used trans_id is answered with its first result, the transferable-coupon reasons follow
/// the transfer rule, and a member sees only what its master gave it.
/// </summary>
public class EnterpriseFundsViewRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<(Caller Master, Caller A, Caller B)> OrganizationAsync(decimal cash)
    {
        var (master, _) = await h.NewAccountAsync("master");
        var (a, _) = await h.NewAccountAsync("alpha");
        var (b, _) = await h.NewAccountAsync("beta");
        await EnterpriseTestRows.MakeMasterAsync(h.NewDbContext(), master.AccountId);
        await EnterpriseTestRows.AddMemberAsync(h.NewDbContext(), master.AccountId, a.AccountId);
        await EnterpriseTestRows.AddMemberAsync(h.NewDbContext(), master.AccountId, b.AccountId);
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(master, cash, GoodCard, "cash"));
        return (master, a, b);
    }

    Task Move(Caller master, string member, string amount, string transId, bool retrieve = false, string? type = null) => h.InScopeAsync(sp =>
    {
        var s = sp.GetRequiredService<EnterpriseTransfers>();
        var r = new EnterpriseFundsRequest(member, amount, transId, type, null);
        return retrieve ? s.RetrieveAsync(master, r) : s.TransferAsync(master, r);
    });

    Task<T> View<T>(Func<EnterpriseFundsView, Task<T>> read) => h.InScopeAsync(sp => read(sp.GetRequiredService<EnterpriseFundsView>()));

    [Fact]
    public async Task The_masters_movements_per_member_carry_the_members_balance_after_as_its_own_change_records_do()
    {
        var (master, a, b) = await OrganizationAsync(500m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, master.AccountId, 100m));
        await Move(master, a.AccountId, "100.00", "to-a");
        await Move(master, b.AccountId, "50.00", "to-b");
        await Move(master, a.AccountId, "40.00", "back-a", retrieve: true);
        await Move(master, a.AccountId, "20.00", "credit-a", type: "BALANCE_TYPE_CREDIT");

        var (all, total) = await View(v => v.MovementsAsync(master, null, 0, 10));
        Assert.Equal(4, total);
        Assert.Equal(new[] { "credit-a", "back-a", "to-b", "to-a" }, all.Select(m => m.TransId));
        var (ofA, totalA) = await View(v => v.MovementsAsync(master, a.AccountId, 0, 10));
        Assert.Equal(3, totalA);
        Assert.Equal(new[] { (EnterpriseMovementKind.Transfer, EnterpriseBalanceType.Credit, 20m, 20m), (EnterpriseMovementKind.Retrieve, EnterpriseBalanceType.Debit, 40m, 60m),
            (EnterpriseMovementKind.Transfer, EnterpriseBalanceType.Debit, 100m, 100m) }, ofA.Select(m => (m.Kind, m.Type, m.Amount, m.MemberBalanceAfter)));
        // The member's own TRANS records say the same, movement for movement.
        var (records, _) = await h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(a, new AccountChangeFilter(AccountChangeRecords.Debit, null, "TRANS", null, null, null, null, null)));
        Assert.Equal(records.Select(r => (r.TradeId, r.Amount, r.BalanceAfter)), ofA.Where(m => m.Type == EnterpriseBalanceType.Debit).Select(m => (m.TransId!, m.Amount, m.MemberBalanceAfter)));

        var members = await View(v => v.MembersAsync(master));
        var holdings = members.Single(m => m.MemberAccountId == a.AccountId).Holdings;
        Assert.Equal(new[] { (EnterpriseBalanceType.Debit, 60m), (EnterpriseBalanceType.Credit, 20m) }, holdings.Select(x => (x.Type, x.Available)));
        Assert.Equal(50m, members.Single(m => m.MemberAccountId == b.AccountId).Holdings.Single().Available);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_used_trans_id_is_answered_with_its_first_result_and_is_the_callers_own()
    {
        var (master, a, _) = await OrganizationAsync(300m);
        await Move(master, a.AccountId, "100.00", "form-1");
        var error = await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseTransfers>().TransferAsync(master, new EnterpriseFundsRequest(a.AccountId, "100.00", "form-1", null, null)));
        Assert.Equal("CBC.99007009", error.Code);

        var first = await View(v => v.TransResultAsync(master, "form-1"));
        Assert.Equal((EnterpriseTransferKinds.Transfer, LedgerAccountKind.CustomerCash, a.AccountId, a.AccountName, 100m),
            (first!.EntryKind, first.Account, first.MemberAccountId, first.MemberName, first.Amount));
        // Another master's trans_id space is its own; an unused id has no result.
        var (other, _, _) = await OrganizationAsync(10m);
        Assert.Null(await View(v => v.TransResultAsync(other, "form-1")));
        Assert.Null(await View(v => v.TransResultAsync(master, "form-2")));
        Assert.Equal(200m, (await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesOfAsync(master.AccountId))).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Only_usable_platform_cash_coupons_read_as_transferable_exactly_as_the_transfer_rule_lists_them()
    {
        var (master, a, _) = await OrganizationAsync(10m);
        var op = await h.OperatorAsync();
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        Task<Coupon> Issue(int type, decimal face, decimal? ratio) =>
            h.InScopeAsync(sp => sp.GetRequiredService<CouponService>().IssueTestCouponAsync(op, master.AccountId, type, face, ratio, now.AddDays(30), null));
        var cash = await Issue(CouponCodes.Cash, 50m, null);
        var discount = await Issue(CouponCodes.Discount, 20m, 0.1m);
        var partnerCoupon = await Issue(CouponCodes.Cash, 10m, null);
        var (partner, _) = await h.NewPartnerAsync();
        await using (var db = h.NewDbContext())
            await db.Coupons.Where(c => c.Id == partnerCoupon.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.PartnerAccountId, partner.AccountId));

        now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var (mine, _) = await h.InScopeAsync(sp => sp.GetRequiredService<CouponService>().MineAsync(master, new MyCouponFilter(null, null, null, null, null, null, null, 0, 100)));
        var (listed, _) = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferableAsync(master, null, null));
        Assert.Equal(listed.Select(c => c.CouponId).Order(), mine.Where(c => EnterpriseFundsView.WhyNotTransferable(c.Coupon, now) is null).Select(c => c.Coupon.Id).Order());
        Assert.Equal(cash.Id, listed.Single().CouponId);
        Assert.Contains("partner", EnterpriseFundsView.WhyNotTransferable(mine.Single(c => c.Coupon.Id == partnerCoupon.Id).Coupon, now));
        Assert.Contains("discount", EnterpriseFundsView.WhyNotTransferable(mine.Single(c => c.Coupon.Id == discount.Id).Coupon, now));

        // A coupon given away in full has nothing left to give; the member's coupon is listed as given and retrievable.
        var sub = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, a.AccountId, cash.Id, "50", "all-of-it"));
        await using (var db = h.NewDbContext())
            Assert.Equal("Nothing left on it.", EnterpriseFundsView.WhyNotTransferable(await db.Coupons.SingleAsync(c => c.Id == cash.Id), now));
        var given = await View(v => v.GivenCouponsAsync(master, 10));
        Assert.Equal((sub, cash.Id, a.AccountName, 50m, true), (given.Single().Coupon.Id, given.Single().Link.CouponId, given.Single().MemberName, given.Single().Coupon.Balance, given.Single().Retrievable));
        var result = await View(v => v.TransResultAsync(master, "all-of-it"));
        Assert.Equal((EnterpriseCouponKinds.Transfer, LedgerAccountKind.CustomerCoupons, 50m), (result!.EntryKind, result.Account, result.Amount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_member_sees_what_its_master_gave_it_and_may_take_back_never_its_own_top_ups()
    {
        var (master, a, b) = await OrganizationAsync(300m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, master.AccountId, 100m));
        await Move(master, a.AccountId, "100.00", "to-a");
        await Move(master, a.AccountId, "40.00", "back-a", retrieve: true);
        await Move(master, a.AccountId, "25.00", "credit-a", type: "BALANCE_TYPE_CREDIT");
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(a, 30m, GoodCard, "own"));
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var coupon = await h.InScopeAsync(sp => sp.GetRequiredService<CouponService>().IssueTestCouponAsync(op, master.AccountId, CouponCodes.Cash, 40m, null, now.AddDays(30), null));
        var sub = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, a.AccountId, coupon.Id, "15", "coupon-a"));

        var received = await View(v => v.ReceivedAsync(a));
        Assert.NotNull(received);
        Assert.Equal((master.AccountId, 60m, 90m, 25m), (received.MasterAccountId, received.Cash, received.CashBalance, received.CreditLedgers.Sum(l => l.Amount)));
        Assert.Equal((sub, 15m), (received.Coupons.Single().Coupon.Id, received.Coupons.Single().Coupon.Balance));
        Assert.Equal(("coupon-a", 15m), (received.CouponChanges.Single().Reference, received.CouponChanges.Single().Amount));

        // A member the master gave nothing holds nothing of it; an account in no organization has no such side.
        var ofB = await View(v => v.ReceivedAsync(b));
        Assert.Equal((0m, 0, 0), (ofB!.Cash, ofB.CreditLedgers.Count, ofB.Coupons.Count));
        var (stranger, _) = await h.NewAccountAsync("stranger");
        Assert.Null(await View(v => v.ReceivedAsync(stranger)));
        // Neither a member nor a stranger reads a master's side.
        Assert.Equal("CBC.7001", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseFundsView>().MovementsAsync(a, null, 0, 10))).Code);
        Assert.Equal("CBC.7001", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseFundsView>().MembersAsync(stranger))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
