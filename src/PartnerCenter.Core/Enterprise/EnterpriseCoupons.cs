using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Core.Enterprise;

/// <summary>The journal entry kinds of coupon value moving between a master and a member.</summary>
public static class EnterpriseCouponKinds
{
    public const string Transfer = "EntCouponTransfer", Retrieve = "EntCouponRetrieve";
}

/// <summary>A coupon as the transfer lists show it: <see cref="CouponId"/> the master's coupon, <see cref="SubCouponId"/> the member's made from it (retrieve list only).</summary>
public sealed record EnterpriseCouponView(string CouponId, string? SubCouponId, Coupon Coupon);

/// <summary>
/// Coupons across a master's organization. Only the master's own cash coupons issued by the platform (no partner issued
/// them: <see cref="Coupon.PartnerAccountId"/> null) can be shared: part or all of one's balance becomes a new coupon of
/// the member with the same limits and validity, and a retrieval brings what that coupon has left back to the master's
/// coupon. Each is one journal entry between the two coupon accounts keyed by the master's trans_id, as the funds are,
/// under the same pair lock, with a coupon change record on each side.
/// </summary>
public sealed class EnterpriseCoupons(AppDbContext db, LedgerBook ledger, AccessControl access, EnterpriseCenter center, EnterpriseTransfers transfers, TimeProvider clock)
{
    /// <summary>ClaimEnterpriseMultiAccountCoupon: <paramref name="amount"/> of the master's coupon to the member; returns the member's new coupon id.</summary>
    public async Task<string> TransferAsync(Caller caller, string? customerId, string? couponId, string? amount, string? transId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.Transfer, ct);
        var member = Check.MaxLength(Check.Required(customerId, "customer_id"), "customer_id", 32);
        var source = Check.MaxLength(Check.Required(couponId, "coupon_id"), "coupon_id", 64);
        var value = EnterpriseTransfers.ParseAmount(amount);
        var trans = EnterpriseTransfers.TransId(transId);
        var master = caller.AccountId;
        await transfers.RequireMemberAsync(master, member, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await transfers.LockPairAsync(master, member, ct);
        await transfers.RefuseUsedTransIdAsync(master, trans, ct);
        var coupon = await db.Coupons.AsNoTracking().SingleOrDefaultAsync(c => c.Id == source && c.CustomerAccountId == master, ct);
        if (coupon is null || !Transferable(coupon, now)) throw new ServiceException(EnterpriseTransferErrors.NotTransferable());
        // The master's coupon gives the value by a conditional update: never below 0, whatever runs beside it.
        if (await db.Coupons.Where(c => c.Id == source && c.Status == CouponCodes.Usable && c.LockOrderId == null && c.Balance >= value)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Balance, c => c.Balance - value)
                    .SetProperty(c => c.Status, c => c.Balance - value == 0 ? CouponCodes.Used : CouponCodes.Usable), ct) == 0)
            throw new ServiceException(Errors.InsufficientBalance());
        var sub = new Coupon
        {
            Id = Ids.New(), CustomerAccountId = member, QuotaType = coupon.QuotaType, CouponType = CouponCodes.Cash, FaceValue = value, Balance = value,
            EffectiveTime = coupon.EffectiveTime, ExpireTime = coupon.ExpireTime, ServiceTypes = coupon.ServiceTypes, ProductIds = coupon.ProductIds,
            Status = CouponCodes.Usable, Memo = $"From coupon {coupon.Id} of the enterprise master", CreatedAt = now,
        };
        db.Coupons.Add(sub);
        db.EnterpriseSubCoupons.Add(new EnterpriseSubCoupon { SubCouponId = sub.Id, CouponId = coupon.Id, MasterAccountId = master, MemberAccountId = member, CreatedAt = now });
        db.CouponChanges.Add(CouponService.Change(coupon, CouponChangeKinds.TransferOut, -value, coupon.Balance - value, trans, now, $"Transferred to member {member} as coupon {sub.Id}"));
        db.CouponChanges.Add(CouponService.Change(sub, CouponChangeKinds.TransferIn, value, value, trans, now, $"Transferred from coupon {coupon.Id} of the enterprise master"));
        await db.SaveChangesAsync(ct);
        await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCoupons, member, ct);
        if (!await ledger.PostAsync(EnterpriseTransfers.EntryId(master, trans), EnterpriseCouponKinds.Transfer, trans, $"Coupon {coupon.Id} to member {member}", caller.UserName,
                [new Movement(LedgerBook.CouponsOf(master), LedgerBook.CouponsOf(member), value)], ct))
            throw new ServiceException(EnterpriseTransferErrors.DuplicateTransId());
        await tx.CommitAsync(ct);
        return sub.Id;
    }

    /// <summary>
    /// ReclaimEnterpriseMultiAccountCoupon: what the member's coupon has left goes back to the master's coupon it came from
    /// (to the platform instead when that coupon has ended meanwhile); the member's coupon is reclaimed. Returns the amount.
    /// </summary>
    public async Task<decimal> RetrieveAsync(Caller caller, string? customerId, string? couponId, string? subCouponId, string? transId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.Retrieve, ct);
        var member = Check.MaxLength(Check.Required(customerId, "customer_id"), "customer_id", 32);
        var source = Check.MaxLength(Check.Required(couponId, "coupon_id"), "coupon_id", 64);
        var subId = Check.MaxLength(Check.Required(subCouponId, "sub_coupon_id"), "sub_coupon_id", 64);
        var trans = EnterpriseTransfers.TransId(transId);
        var master = caller.AccountId;
        await transfers.RequireMemberAsync(master, member, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await transfers.LockPairAsync(master, member, ct);
        await transfers.RefuseUsedTransIdAsync(master, trans, ct);
        if (!await db.EnterpriseSubCoupons.AnyAsync(s => s.SubCouponId == subId && s.CouponId == source && s.MasterAccountId == master && s.MemberAccountId == member, ct))
            throw new ServiceException(EnterpriseTransferErrors.NotTransferable());
        var sub = await db.Coupons.AsNoTracking().SingleAsync(c => c.Id == subId, ct);
        // A coupon reserved for an order, used up, expired or already reclaimed has nothing to give back.
        if (sub.Balance <= 0 || sub.LockOrderId is not null || sub.Status != CouponCodes.Usable || sub.ExpireTime <= now
            || await db.Coupons.Where(c => c.Id == subId && c.Status == CouponCodes.Usable && c.LockOrderId == null && c.Balance == sub.Balance)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Balance, 0m).SetProperty(c => c.Status, CouponCodes.Reclaimed), ct) == 0)
            throw new ServiceException(Errors.InsufficientBalance());
        var back = sub.Balance;
        var original = await db.Coupons.AsNoTracking().SingleAsync(c => c.Id == source, ct);
        var restored = await db.Coupons.Where(c => c.Id == source && (c.Status == CouponCodes.Usable || c.Status == CouponCodes.Used) && c.ExpireTime > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Balance, c => c.Balance + back).SetProperty(c => c.Status, CouponCodes.Usable), ct) == 1;
        db.CouponChanges.Add(CouponService.Change(sub, CouponChangeKinds.TransferOut, -back, 0, trans, now, $"Retrieved by the enterprise master to coupon {source}"));
        if (restored)
            db.CouponChanges.Add(CouponService.Change(original, CouponChangeKinds.TransferIn, back, original.Balance + back, trans, now, $"Retrieved from member {member}'s coupon {subId}"));
        await db.SaveChangesAsync(ct);
        var to = restored ? LedgerBook.CouponsOf(master) : LedgerBook.Platform(LedgerAccountKind.PlatformCoupons);
        if (!await ledger.PostAsync(EnterpriseTransfers.EntryId(master, trans), EnterpriseCouponKinds.Retrieve, trans, $"Coupon {subId} of member {member} back", caller.UserName,
                [new Movement(LedgerBook.CouponsOf(member), to, back)], ct))
            throw new ServiceException(EnterpriseTransferErrors.DuplicateTransId());
        await tx.CommitAsync(ct);
        return back;
    }

    /// <summary>ListMultiAccountTransferCoupons: the master's coupons it may transfer now, newest first.</summary>
    public async Task<(IReadOnlyList<EnterpriseCouponView> Items, int Total)> TransferableAsync(Caller caller, int? offset, int? limit, CancellationToken ct = default)
    {
        await center.MasterAsync(caller, EnterpriseTransferActions.View, ct, EnterpriseTransferErrors.NoRelation);
        var (skip, take) = Page(offset, limit);
        var now = clock.GetUtcNow().UtcDateTime;
        var q = db.Coupons.AsNoTracking().Where(c => c.CustomerAccountId == caller.AccountId && c.PartnerAccountId == null && c.CouponType == CouponCodes.Cash
            && c.Status == CouponCodes.Usable && c.LockOrderId == null && !c.IsFrozen && c.Balance > 0 && c.ExpireTime > now);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (page.Select(c => new EnterpriseCouponView(c.Id, null, c)).ToList(), total);
    }

    /// <summary>ListMultiAccountRetrieveCoupons: the member's coupons made from the master's that still hold value, with the master's coupon id.</summary>
    public async Task<(IReadOnlyList<EnterpriseCouponView> Items, int Total)> RetrievableAsync(Caller caller, string? subCustomerId, int? offset, int? limit, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.View, ct);
        var member = Check.MaxLength(Check.Required(subCustomerId, "sub_customer_id"), "sub_customer_id", 32);
        var (skip, take) = Page(offset, limit);
        await transfers.RequireMemberAsync(caller.AccountId, member, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var q = from s in db.EnterpriseSubCoupons.AsNoTracking()
                join c in db.Coupons.AsNoTracking() on s.SubCouponId equals c.Id
                where s.MasterAccountId == caller.AccountId && s.MemberAccountId == member && c.Status == CouponCodes.Usable && c.LockOrderId == null && c.Balance > 0 && c.ExpireTime > now
                select new { s.CouponId, Coupon = c };
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.Coupon.CreatedAt).ThenBy(x => x.Coupon.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (page.Select(x => new EnterpriseCouponView(x.CouponId, x.Coupon.Id, x.Coupon)).ToList(), total);
    }

    static bool Transferable(Coupon c, DateTime now) =>
        c.PartnerAccountId is null && c.CouponType == CouponCodes.Cash && c.Status == CouponCodes.Usable && c.LockOrderId is null && !c.IsFrozen && c.ExpireTime > now;

    static (int Skip, int Take) Page(int? offset, int? limit)
    {
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > EnterpriseTransfers.MaxLimit) throw Check.Invalid($"limit is 1 to {EnterpriseTransfers.MaxLimit}.");
        return (offset ?? 0, limit ?? 10);
    }
}
