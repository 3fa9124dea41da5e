using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Core.Enterprise;

/// <summary>A normal member on the master's Funds page: what it holds of the master's transfers (ListEnterpriseMultiAccount's rows).</summary>
public sealed record MemberFunds(string MemberAccountId, string Name, IReadOnlyList<EnterpriseAmount> Holdings);

public enum EnterpriseMovementKind { Transfer, Retrieve, Expired }

/// <summary>
/// One movement of funds between a master and a member, as the member's side of the entry has it: <see cref="Amount"/> is
/// positive, <see cref="MemberBalanceAfter"/> the member's cash or credit balance once it had moved. <see cref="TransId"/>
/// is the request's trans_id (null for a credit ledger that ended at its expiry).
/// </summary>
public sealed record EnterpriseMovement(long Id, DateTime At, string MemberAccountId, string MemberName, EnterpriseBalanceType Type, EnterpriseMovementKind Kind,
    decimal Amount, string? TransId, decimal MemberBalanceAfter);

/// <summary>What the master's request with a trans_id did: a funds or coupon movement (<see cref="Account"/> says which) with one member.</summary>
public sealed record EnterpriseTransResult(string TransId, string EntryKind, LedgerAccountKind Account, string MemberAccountId, string MemberName, decimal Amount, DateTime At);

/// <summary>A coupon a master gave a member (made from part of one of the master's coupons), with what it has left.</summary>
public sealed record EnterpriseGivenCoupon(EnterpriseSubCoupon Link, string MemberName, Coupon Coupon, bool Retrievable);

/// <summary>
/// A member's view of what its master gave it: the cash the master may still take back (what it gave less what it took,
/// capped at the member's cash), the credit ledgers with their expiry, the coupons and their change records.
/// </summary>
public sealed record ReceivedFunds(string MasterAccountId, string MasterName, decimal Cash, decimal CashBalance, IReadOnlyList<EnterpriseCreditLine> CreditLedgers,
    IReadOnlyList<EnterpriseGivenCoupon> Coupons, IReadOnlyList<CouponChange> CouponChanges);

/// <summary>
/// The console's read side of funds and coupons across an organization: the master's members with their holdings, the
/// movements of each pair read from the ledger (the postings both change-record lists read, so every figure agrees with
/// ListCustomerAccountChangeRecords), the first result of a used trans_id, the coupons given, and the member's side.
/// </summary>
public sealed class EnterpriseFundsView(AppDbContext db, AccessControl access, EnterpriseTransfers transfers, TimeProvider clock)
{
    public const int MaxMembers = 100;

    /// <summary>The master's normal members (by name, at most <see cref="MaxMembers"/>), each with ListEnterpriseMultiAccount's rows.</summary>
    public async Task<IReadOnlyList<MemberFunds>> MembersAsync(Caller caller, CancellationToken ct = default)
    {
        await RequireMasterAsync(caller, ct);
        var members = await (from m in db.EnterpriseMembers.AsNoTracking()
                             join a in db.Accounts.AsNoTracking() on m.MemberAccountId equals a.Id
                             where m.MasterAccountId == caller.AccountId && m.Status == EnterpriseCodes.Normal
                             orderby a.Name
                             select new { m.MemberAccountId, a.Name }).Take(MaxMembers).ToListAsync(ct);
        var result = new List<MemberFunds>(members.Count);
        foreach (var m in members)
            result.Add(new MemberFunds(m.MemberAccountId, m.Name, (await transfers.RetrievableAsync(caller, m.MemberAccountId, null, 0, EnterpriseTransfers.MaxLimit, ct)).Items));
        return result;
    }

    /// <summary>
    /// The movements between the master and its members (one member with <paramref name="memberId"/>), newest first: every
    /// transfer and retrieval posting on a member's cash or credit whose entry also posts to the master's.
    /// </summary>
    public async Task<(IReadOnlyList<EnterpriseMovement> Items, int Total)> MovementsAsync(Caller caller, string? memberId, int offset, int limit, CancellationToken ct = default)
    {
        await RequireMasterAsync(caller, ct);
        Check.MaxLength(memberId, "member", 32);
        if (offset < 0 || limit is < 1 or > EnterpriseTransfers.MaxLimit) throw Check.Invalid($"offset is 0 or more and limit 1 to {EnterpriseTransfers.MaxLimit}.");
        string[] mine = [LedgerBook.CashOf(caller.AccountId), LedgerBook.CreditOf(caller.AccountId)];
        var q = from p in db.Postings.AsNoTracking()
                join a in db.LedgerAccounts.AsNoTracking() on p.AccountId equals a.Id
                where EnterpriseTransferKinds.All.Contains(p.Kind) && !mine.Contains(p.AccountId)
                      && db.Postings.Any(o => o.EntryId == p.EntryId && mine.Contains(o.AccountId))
                select new { p.Id, p.AccountId, p.Amount, p.CreatedAt, p.Kind, p.Reference, Member = a.OwnerAccountId!, AccountKind = a.Kind };
        if (!string.IsNullOrEmpty(memberId)) q = q.Where(x => x.Member == memberId);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var ids = page.Select(x => x.Member).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var result = new List<EnterpriseMovement>(page.Count);
        foreach (var x in page)
        {
            var after = await db.Postings.Where(o => o.AccountId == x.AccountId && o.Id <= x.Id).SumAsync(o => o.Amount, ct);
            var expired = x.Reference?.StartsWith("expired:", StringComparison.Ordinal) == true;
            var kind = x.Kind == EnterpriseTransferKinds.Transfer ? EnterpriseMovementKind.Transfer : expired ? EnterpriseMovementKind.Expired : EnterpriseMovementKind.Retrieve;
            result.Add(new EnterpriseMovement(x.Id, x.CreatedAt, x.Member, names.GetValueOrDefault(x.Member, x.Member),
                x.AccountKind == LedgerAccountKind.CustomerCredit ? EnterpriseBalanceType.Credit : EnterpriseBalanceType.Debit, kind, Math.Abs(x.Amount), expired ? null : x.Reference, after));
        }
        return (result, total);
    }

    /// <summary>
    /// What the caller's request with this trans_id did (null when none did): a form sent again is answered with its first
    /// result, since the trans_id refuses the second (CBC.99007009) and nothing moved twice.
    /// </summary>
    public async Task<EnterpriseTransResult?> TransResultAsync(Caller caller, string transId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.View, ct);
        var entryId = EnterpriseTransfers.EntryId(caller.AccountId, transId);
        var entry = await db.JournalEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null) return null;
        // The member's side: the posting on an account that is a customer's and not the master's.
        var side = await (from p in db.Postings.AsNoTracking()
                          join a in db.LedgerAccounts.AsNoTracking() on p.AccountId equals a.Id
                          join acc in db.Accounts.AsNoTracking() on a.OwnerAccountId equals acc.Id
                          where p.EntryId == entryId && a.OwnerAccountId != caller.AccountId
                          select new { p.Amount, a.Kind, acc.Id, acc.Name }).FirstAsync(ct);
        return new EnterpriseTransResult(transId, entry.Kind, side.Kind, side.Id, side.Name, Math.Abs(side.Amount), entry.CreatedAt);
    }

    /// <summary>The coupons the master gave its members, newest first (at most <paramref name="limit"/>), with what each has left and whether it can come back.</summary>
    public async Task<IReadOnlyList<EnterpriseGivenCoupon>> GivenCouponsAsync(Caller caller, int limit, CancellationToken ct = default)
    {
        await RequireMasterAsync(caller, ct);
        return await CouponsAsync(s => s.MasterAccountId == caller.AccountId, limit, ct);
    }

    /// <summary>
    /// Why a coupon of the master cannot be transferred (null: it can): the rule of ClaimEnterpriseMultiAccountCoupon, in
    /// words for the console. Only the platform's cash coupons that are usable now move between accounts.
    /// </summary>
    public static string? WhyNotTransferable(Coupon c, DateTime now) =>
        c.PartnerAccountId is not null ? "Issued by a partner: a partner's coupon is its deal with your account and stays yours."
        : c.CouponType != CouponCodes.Cash ? "Only cash coupons can be transferred; this is a " + (c.CouponType == CouponCodes.Discount ? "discount" : "flexi-purchase") + " coupon."
        : c.ExpireTime <= now || c.Status == CouponCodes.Expired ? "Expired."
        : c.Status == CouponCodes.NotActivated ? "Not effective yet."
        : c.Status is CouponCodes.Used or CouponCodes.Reclaimed || c.Balance <= 0 ? "Nothing left on it."
        : c.LockOrderId is not null ? $"Reserved for order {c.LockOrderId} until that order is paid or cancelled."
        : c.IsFrozen ? "Frozen."
        : null;

    /// <summary>The member's side: what its current master gave it and may take back (null when the caller is no member).</summary>
    public async Task<ReceivedFunds?> ReceivedAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.ViewBalances, ct);
        var member = caller.AccountId;
        var membership = await db.EnterpriseMembers.AsNoTracking().SingleOrDefaultAsync(m => m.MemberAccountId == member, ct);
        if (membership is null) return null;
        var master = membership.MasterAccountId;
        var masterName = await db.Accounts.Where(a => a.Id == master).Select(a => a.Name).SingleAsync(ct);
        var prefix = EnterpriseTransfers.EntryId(master, "");
        var given = await db.Postings.Where(p => p.AccountId == LedgerBook.CashOf(member) && EnterpriseTransferKinds.All.Contains(p.Kind) && p.EntryId.StartsWith(prefix))
            .SumAsync(p => p.Amount, ct);
        var cash = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.CashOf(member)).Select(a => a.Balance).SingleOrDefaultAsync(ct);
        var ledgers = await db.EnterpriseCreditLines.AsNoTracking().Where(l => l.MasterAccountId == master && l.MemberAccountId == member && !l.Expired && l.Amount > 0).ToListAsync(ct);
        var coupons = await CouponsAsync(s => s.MasterAccountId == master && s.MemberAccountId == member, EnterpriseTransfers.MaxLimit, ct);
        var couponIds = await db.EnterpriseSubCoupons.Where(s => s.MemberAccountId == member).Select(s => s.SubCouponId).ToListAsync(ct);
        var changes = await db.CouponChanges.AsNoTracking().Where(c => c.CustomerAccountId == member && couponIds.Contains(c.CouponId)
                && (c.Kind == CouponChangeKinds.TransferIn || c.Kind == CouponChangeKinds.TransferOut))
            .OrderByDescending(c => c.Id).Take(EnterpriseTransfers.MaxLimit).ToListAsync(ct);
        return new ReceivedFunds(master, masterName, Math.Max(0, Math.Min(given, cash)), cash, ledgers.OrderBy(l => l.ExpiresAt ?? DateTime.MaxValue).ToList(), coupons, changes);
    }

    async Task<IReadOnlyList<EnterpriseGivenCoupon>> CouponsAsync(System.Linq.Expressions.Expression<Func<EnterpriseSubCoupon, bool>> which, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (from s in db.EnterpriseSubCoupons.AsNoTracking().Where(which)
                          join c in db.Coupons.AsNoTracking() on s.SubCouponId equals c.Id
                          join a in db.Accounts.AsNoTracking() on s.MemberAccountId equals a.Id
                          orderby s.CreatedAt descending, s.SubCouponId
                          select new { s, c, a.Name }).Take(limit).ToListAsync(ct);
        // Retrievable exactly as ListMultiAccountRetrieveCoupons lists it: usable, not reserved, value left, not expired.
        return rows.Select(r => new EnterpriseGivenCoupon(r.s, r.Name, r.c,
            r.c.Status == CouponCodes.Usable && r.c.LockOrderId is null && r.c.Balance > 0 && r.c.ExpireTime > now)).ToList();
    }

    async Task RequireMasterAsync(Caller caller, CancellationToken ct)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.View, ct);
        if (!await db.EnterpriseMasters.AnyAsync(m => m.AccountId == caller.AccountId, ct)) throw new ServiceException(EnterpriseTransferErrors.NoRelation());
    }
}
