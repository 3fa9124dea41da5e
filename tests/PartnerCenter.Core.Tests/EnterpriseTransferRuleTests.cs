using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// Funds between an enterprise master and its members: one journal entry per request keyed by trans_id, never more back
/// than was given and is still held, credit moving with its line and ending at its expiry, concurrency without lost updates.
/// </summary>
public class EnterpriseTransferRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    /// <summary>A master with <paramref name="cash"/> on its cash balance and one member in status normal (rows inserted directly).</summary>
    async Task<(Caller Master, Caller Member)> OrganizationAsync(decimal cash, int memberStatus = EnterpriseCodes.Normal)
    {
        var (master, _) = await h.NewAccountAsync("master");
        var (member, _) = await h.NewAccountAsync("member");
        await EnterpriseTestRows.MakeMasterAsync(h.NewDbContext(), master.AccountId);
        await EnterpriseTestRows.AddMemberAsync(h.NewDbContext(), master.AccountId, member.AccountId, memberStatus);
        if (cash > 0) await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(master, cash, GoodCard, "cash"));
        return (master, member);
    }

    Task<string> TransferAsync(Caller master, string member, string amount, string? transId = null, string? type = null, string? expire = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseTransfers>().TransferAsync(master, new EnterpriseFundsRequest(member, amount, transId, type, expire)));

    Task<string> RetrieveAsync(Caller master, string member, string amount, string? transId = null, string? type = null, string? expire = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseTransfers>().RetrieveAsync(master, new EnterpriseFundsRequest(member, amount, transId, type, expire)));

    Task<Error> FailsAsync(Func<EnterpriseTransfers, Task> work) => h.FailsAsync(sp => work(sp.GetRequiredService<EnterpriseTransfers>()));

    Task<CustomerBalances> BalancesAsync(string account) => h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesOfAsync(account));

    Task<(IReadOnlyList<AccountChange> Records, int Total)> RecordsAsync(Caller c, string balanceType = AccountChangeRecords.Debit) =>
        h.InScopeAsync(sp => sp.GetRequiredService<AccountChangeRecords>().ListAsync(c, new AccountChangeFilter(balanceType, null, "TRANS", null, null, null, null, null)));

    [Fact]
    public async Task Transferring_100_and_retrieving_40_moves_cash_both_ways_and_both_sides_records_agree()
    {
        var (master, member) = await OrganizationAsync(500m);
        var sent = await TransferAsync(master, member.AccountId, "100.00", "t-100");
        var back = await RetrieveAsync(master, member.AccountId, "40", "r-40");

        Assert.Equal((440m, 60m), ((await BalancesAsync(master.AccountId)).Cash, (await BalancesAsync(member.AccountId)).Cash));
        var (mine, _) = await RecordsAsync(master);
        var (theirs, _) = await RecordsAsync(member);
        // Newest first: the retrieval, then the transfer; each side sees the other's movement with the same trade id.
        Assert.Equal(new[] { ("r-40", 40m, true, 440m), ("t-100", 100m, false, 400m) }, mine.Select(r => (r.TradeId, r.Amount, r.Revenue, r.BalanceAfter)));
        Assert.Equal(new[] { ("r-40", 40m, false, 60m), ("t-100", 100m, true, 100m) }, theirs.Select(r => (r.TradeId, r.Amount, r.Revenue, r.BalanceAfter)));
        Assert.Equal(("t-100", "r-40"), (sent, back));
        await using (var db = h.NewDbContext())
            Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.To == member.AccountName + "@example.com"));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_same_trans_id_again_is_CBC_99007009_and_moves_nothing_whatever_the_body()
    {
        var (master, member) = await OrganizationAsync(300m);
        await TransferAsync(master, member.AccountId, "100.00", "same");
        Assert.Equal("CBC.99007009", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, "100.00", "same", null, null)))).Code);
        Assert.Equal("CBC.99007009", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, "7.00", "same", null, null)))).Code);
        // A retrieval shares the master's trans_id space.
        Assert.Equal("CBC.99007009", (await FailsAsync(s => s.RetrieveAsync(master, new EnterpriseFundsRequest(member.AccountId, "1.00", "same", null, null)))).Code);
        Assert.Equal((200m, 100m), ((await BalancesAsync(master.AccountId)).Cash, (await BalancesAsync(member.AccountId)).Cash));
        // Without a trans_id each request gets its own.
        Assert.NotEqual(await TransferAsync(master, member.AccountId, "1.00"), await TransferAsync(master, member.AccountId, "1.00"));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Retrieving_more_than_the_member_holds_or_than_the_master_gave_is_refused_and_nothing_moves()
    {
        var (master, member) = await OrganizationAsync(100m);
        await TransferAsync(master, member.AccountId, "50.00");
        Assert.Equal("CBC.99005003", (await FailsAsync(s => s.RetrieveAsync(master, new EnterpriseFundsRequest(member.AccountId, "50.01", null, null, null)))).Code);
        // The member's own top-up is not the master's to take: only what it gave comes back.
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(member, 30m, GoodCard, "own"));
        Assert.Equal("CBC.99005003", (await FailsAsync(s => s.RetrieveAsync(master, new EnterpriseFundsRequest(member.AccountId, "60.00", null, null, null)))).Code);
        // Transferring more than the master has is refused the same way.
        Assert.Equal("CBC.99005003", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, "50.01", null, null, null)))).Code);
        Assert.Equal((50m, 80m), ((await BalancesAsync(master.AccountId)).Cash, (await BalancesAsync(member.AccountId)).Cash));
        var (items, _) = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseTransfers>().RetrievableAsync(master, member.AccountId, "BALANCE_TYPE_DEBIT", null, null));
        Assert.Equal((50m, 80m), (items.Single().Available, items.Single().Amount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Only_a_normal_member_of_the_callers_organization_receives_funds()
    {
        var (master, member) = await OrganizationAsync(100m);
        var (_, closing) = await OrganizationAsync(0m, EnterpriseCodes.Closing);
        var (stranger, _) = await h.NewAccountAsync("other");
        Assert.Equal("CBC.7001", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(stranger.AccountId, "1", null, null, null)))).Code);
        Assert.Equal("CBC.7001", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(closing.AccountId, "1", null, null, null)))).Code);
        Assert.Equal("CBC.99000047", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest("nosuchaccount", "1", null, null, null)))).Code);
        // A member cannot act as the master of its master, and a member's funds are not another master's.
        Assert.Equal("CBC.7001", (await FailsAsync(s => s.TransferAsync(member, new EnterpriseFundsRequest(master.AccountId, "1", null, null, null)))).Code);
        foreach (var amount in new[] { "0", "-1", "1.001", "abc", "1e3", "" })
            Assert.Equal("CBC.0100", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, amount, null, null, null)))).Code);
        Assert.Equal("CBC.0100", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, "1", null, "BALANCE_TYPE_BONUS", null)))).Code);
        Assert.Equal("CBC.0100", (await FailsAsync(s => s.TransferAsync(master, new EnterpriseFundsRequest(member.AccountId, "1", null, null, "2100-01-01T00:00:00Z")))).Code);
        Assert.Equal(100m, (await BalancesAsync(master.AccountId)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_transfers_and_retrievals_of_one_pair_are_refused_as_busy_or_applied_never_lost()
    {
        var (master, member) = await OrganizationAsync(60m);
        await TransferAsync(master, member.AccountId, "20.00");
        // 16 transfers of 5.00 (80.00 asked of 40.00 left) and 8 retrievals of 5.00 at once.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            try
            {
                if (i % 3 == 2) await RetrieveAsync(master, member.AccountId, "5.00");
                else await TransferAsync(master, member.AccountId, "5.00");
                return (Transfer: i % 3 != 2, Code: "ok");
            }
            catch (ServiceException e) { return (Transfer: i % 3 != 2, Code: e.Error.Code); }
        })));
        Assert.All(outcomes, o => Assert.Contains(o.Code, new[] { "ok", "CBC.99007461", "CBC.99005003" }));
        var (sent, taken) = (outcomes.Count(o => o.Transfer && o.Code == "ok"), outcomes.Count(o => !o.Transfer && o.Code == "ok"));
        Assert.True(sent > 0);
        // Whatever applied is exactly what moved: the two balances follow the applied requests, and nothing else.
        Assert.Equal(20m + 5m * (sent - taken), (await BalancesAsync(member.AccountId)).Cash);
        Assert.Equal(40m - 5m * (sent - taken), (await BalancesAsync(master.AccountId)).Cash);
        await using (var db = h.NewDbContext())
            Assert.Equal(1 + sent + taken, await db.JournalEntries.CountAsync(e => e.Id.StartsWith("ent:" + master.AccountId + ":")));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Credit_moves_with_its_line_and_a_ledger_with_an_expiry_comes_back_to_the_master_at_its_end()
    {
        var (master, member) = await OrganizationAsync(0m);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, master.AccountId, 1000m));
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var until = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(3);
        var expire = until.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        await TransferAsync(master, member.AccountId, "300", type: "BALANCE_TYPE_CREDIT", expire: expire);
        await TransferAsync(master, member.AccountId, "100", type: "BALANCE_TYPE_CREDIT");

        var (m, s) = (await BalancesAsync(master.AccountId), await BalancesAsync(member.AccountId));
        Assert.Equal((600m, 600m, 400m, 400m), (m.CreditAvailable, m.CreditLimit, s.CreditAvailable, s.CreditLimit));
        var (ledgers, total) = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseTransfers>().RetrievableAsync(master, member.AccountId, "BALANCE_TYPE_CREDIT", 1, 1));
        Assert.Equal((2, 100m, (DateTime?)null), (total, ledgers.Single().Amount, ledgers.Single().ExpireTime));
        // Retrieving from a ledger beyond what it holds is refused, though the member's credit holds more.
        Assert.Equal("CBC.99005003", (await FailsAsync(sv => sv.RetrieveAsync(master, new EnterpriseFundsRequest(member.AccountId, "150", null, "BALANCE_TYPE_CREDIT", null)))).Code);
        await RetrieveAsync(master, member.AccountId, "50", type: "BALANCE_TYPE_CREDIT", expire: expire);

        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, 4 * 3600, null));
        (m, s) = (await BalancesAsync(master.AccountId), await BalancesAsync(member.AccountId));
        Assert.Equal((900m, 900m, 100m, 100m), (m.CreditAvailable, m.CreditLimit, s.CreditAvailable, s.CreditLimit));
        Assert.Equal("CBC.99007181", (await FailsAsync(sv => sv.RetrieveAsync(master, new EnterpriseFundsRequest(member.AccountId, "1", null, "BALANCE_TYPE_CREDIT", expire)))).Code);
        var (records, _) = await RecordsAsync(member, AccountChangeRecords.Credit);
        Assert.Equal(new[] { 250m, 50m, 100m, 300m }, records.Select(r => r.Amount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Part_of_a_platform_coupon_becomes_the_members_and_what_it_has_left_goes_back_partner_coupons_never_move()
    {
        var (master, member) = await OrganizationAsync(0m);
        var op = await h.OperatorAsync();
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var coupon = await h.InScopeAsync(sp => sp.GetRequiredService<Coupons.CouponService>().IssueTestCouponAsync(op, master.AccountId, 1, 80m, null, now.AddDays(30), null));
        Task<string> Give(string amount, string? trans = null) =>
            h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, member.AccountId, coupon.Id, amount, trans));

        var sub = await Give("30", "give-30");
        Assert.Equal("CBC.99007009", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, member.AccountId, coupon.Id, "1", "give-30"))).Code);
        Assert.Equal("CBC.99005003", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, member.AccountId, coupon.Id, "50.01", null))).Code);
        await Give("50");
        await using (var db = h.NewDbContext())
        {
            var original = await db.Coupons.SingleAsync(c => c.Id == coupon.Id);
            Assert.Equal((0m, Coupons.CouponCodes.Used), (original.Balance, original.Status));
            var given = await db.Coupons.SingleAsync(c => c.Id == sub);
            Assert.Equal((30m, Coupons.CouponCodes.Usable, original.ExpireTime, (string?)null), (given.Balance, given.Status, given.ExpireTime, given.PartnerAccountId));
        }
        // The member's coupon back: what it has left returns to the master's coupon, usable again; once only.
        Assert.Equal(30m, await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().RetrieveAsync(master, member.AccountId, coupon.Id, sub, "back-30")));
        Assert.Equal("CBC.99005003", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().RetrieveAsync(master, member.AccountId, coupon.Id, sub, null))).Code);
        var (transferable, _) = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferableAsync(master, null, null));
        Assert.Equal(30m, transferable.Single().Coupon.Balance);
        var (retrievable, _) = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().RetrievableAsync(master, member.AccountId, null, null));
        Assert.Equal(50m, retrievable.Single().Coupon.Balance);

        // A coupon a partner issued is its customer's deal with that partner: never shared.
        var (partner, _) = await h.NewPartnerAsync();
        var partnerCoupon = await h.InScopeAsync(sp => sp.GetRequiredService<Coupons.CouponService>().IssueTestCouponAsync(op, master.AccountId, 1, 10m, null, now.AddDays(30), null));
        await using (var db = h.NewDbContext())
        {
            // Marked by hand as issued by a partner (no operation gives a master a partner's coupon today).
            await db.Coupons.Where(c => c.Id == partnerCoupon.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.PartnerAccountId, partner.AccountId));
        }
        Assert.Equal("CBC.99007004", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master, member.AccountId, partnerCoupon.Id, "1", null))).Code);
        await using (var db = h.NewDbContext())
            Assert.Equal(2, await db.CouponChanges.CountAsync(c => c.CustomerAccountId == member.AccountId && c.CouponId == sub));
        await h.AssertLedgerSoundAsync();
    }
}

/// <summary>Masters and members as rows, until the organization's own operations exist in this branch's tests.</summary>
public static class EnterpriseTestRows
{
    public static async Task MakeMasterAsync(AppDbContext db, string master)
    {
        await using var _ = db;
        var root = Ids.New()[..16];
        db.EnterpriseMasters.Add(new EnterpriseMaster { AccountId = master, RootUnitId = root, EnabledAt = DateTime.UtcNow });
        db.EnterpriseUnits.Add(new EnterpriseUnit { Id = root, MasterAccountId = master, Name = "Root", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>A member of an existing master, in its root unit.</summary>
    public static async Task AddMemberAsync(AppDbContext db, string master, string member, int status = EnterpriseCodes.Normal)
    {
        await using var _ = db;
        var root = await db.EnterpriseMasters.Where(m => m.AccountId == master).Select(m => m.RootUnitId).SingleAsync();
        db.EnterpriseMembers.Add(new EnterpriseMember { MemberAccountId = member, MasterAccountId = master, UnitId = root, Status = status, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }
}
