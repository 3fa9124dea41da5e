using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Coupons;

public sealed record NewPartnerCoupons(string? QuotaId, IReadOnlyList<string?>? CustomerIds, decimal? FaceValue, DateTime? ValidTime, DateTime? ExpireTime,
    IReadOnlyList<string?>? CloudServiceTypes, IReadOnlyList<string?>? ProductIds, string? Memo, string? IndirectPartnerId, string? ClientToken);

public sealed record IssuedCouponFilter(string? CouponId, string? CustomerId, string? OrderId, int? CouponType, int? Status, DateTime? CreateBegin, DateTime? CreateEnd,
    DateTime? EffectiveBegin, DateTime? EffectiveEnd, DateTime? ExpireBegin, DateTime? ExpireEnd, int? Offset, int? Limit, string? IndirectPartnerId);

public sealed record CouponRecordFilter(IReadOnlyList<string?>? OperationTypes, string? QuotaId, int? QuotaType, IReadOnlyList<string?>? CouponIds, string? CustomerId,
    DateTime? Begin, DateTime? End, string? Result, int? Offset, int? Limit, string? IndirectPartnerId);

public sealed record MyCouponFilter(string? CouponId, string? OrderId, string? PromotionPlanId, int? CouponType, int? Status, DateTime? ActiveBegin, DateTime? ActiveEnd,
    int? Offset, int? Limit);

public sealed record CouponChangeFilter(string? BalanceType, string? RevenueExpenseType, string? TradeType, string? TradeId, string? TradeTimeBegin, string? TradeTimeEnd,
    string? CouponId, int? Offset, int? Limit);

/// <summary>A coupon as shown: with its status as of now (not activated before its effective time).</summary>
public sealed record CouponView(Coupon Coupon, int Status);

/// <summary>
/// Partners' coupons for their resale customers, issued from a quota; the operator's test coupons for a partner's proof
/// of concept; the customer's own coupons and their change records. A cash or flexi-purchase coupon's value is ledger
/// money from the moment it is issued: the platform's coupon expense pays it into the customer's coupon account, and a
/// reclaim or expiry pays what is left back (docs/decisions.md "Coupons on the ledger").
/// </summary>
public sealed class CouponService(AppDbContext db, PartnerScope scope, AccessControl access, LedgerBook ledger, Idempotency keys, TimeProvider clock)
{
    /// <summary>Our limits behind CBC.99000020 / CBC.99000021: what one customer may hold of one partner's usable coupons.</summary>
    public const int MaxUsableCouponsPerCustomer = 100;
    public const decimal MaxUsableValuePerCustomer = 1_000_000m;

    /// <summary>
    /// CreatePartnerCoupons: one coupon of <c>face_value</c> per customer out of the quota. Request-wide mistakes refuse
    /// the whole request; each customer then succeeds or fails alone (HTTP 200 with error_details). With a client token
    /// the request is idempotent: a retry answers the coupons the first one issued, the token with another request is 409.
    /// </summary>
    public async Task<(IReadOnlyList<(string CustomerId, string CouponId)> Issued, IReadOnlyList<BatchError> Errors)> IssueAsync(
        Caller caller, NewPartnerCoupons r, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, CouponActions.Issue, r.IndirectPartnerId, PartnerNeed.Customers, ct);
        var quotaId = Check.Required(r.QuotaId, "quota_id");
        Check.MaxLength(quotaId, "quota_id", 64);
        if (r.CustomerIds is not { Count: > 0 and <= CouponQuotaService.MaxBatch }) throw Check.Invalid($"customer_ids holds 1 to {CouponQuotaService.MaxBatch} customers.");
        if (r.CustomerIds.Any(c => string.IsNullOrEmpty(c) || c.Length > 64)) throw Check.Invalid("Every customer id is 1 to 64 characters.");
        var face = CouponQuotaService.Amount(r.FaceValue, "face_value", CouponQuotaService.MaxQuotaValue);
        var memo = Check.MaxLength(r.Memo, "memo", 512);
        var token = string.IsNullOrEmpty(r.ClientToken) ? null : Check.MaxLength(r.ClientToken, "client_token", 64);
        var now = clock.GetUtcNow().UtcDateTime;

        var quota = await db.CouponQuotas.AsNoTracking().SingleOrDefaultAsync(q => q.Id == quotaId && q.PartnerAccountId == partner.AccountId, ct);
        if (quota is null || quota.Status != CouponCodes.QuotaNormal) throw new ServiceException(Errors.CouponQuotaUnusable());
        if (now < quota.EffectiveTime || quota.ExpireTime <= now) throw new ServiceException(Errors.CouponQuotaNotEffective());
        if (face < quota.MinFaceValue) throw new ServiceException(Errors.FaceValueBelowMinimum(quota.MinFaceValue));
        if (face > quota.MaxFaceValue) throw new ServiceException(Errors.FaceValueAboveMaximum(quota.MaxFaceValue));
        var valid = r.ValidTime ?? (quota.EffectiveTime > now ? quota.EffectiveTime : now);
        var expire = r.ExpireTime ?? quota.ExpireTime;
        if (valid < quota.EffectiveTime || expire > quota.ExpireTime) throw Check.Invalid("valid_time and expire_time lie within the quota's effective and expire times.");
        if (expire <= valid || expire <= now) throw Check.Invalid("expire_time is in the future and after valid_time.");
        var services = await CouponLimits.ServiceTypesAsync(db, r.CloudServiceTypes, ct);
        var products = await CouponLimits.ProductsAsync(db, r.ProductIds, ct);
        // A coupon's limits are the quota's, or a narrower subset of them.
        if (services.Count == 0) services = [.. CouponLimits.Split(quota.ServiceTypes)];
        else if (quota.ServiceTypes.Length > 0 && services.Except(CouponLimits.Split(quota.ServiceTypes)).Any()) throw new ServiceException(Errors.CouponLimitsOutsideQuota());
        if (products.Count == 0) products = [.. CouponLimits.Split(quota.ProductIds)];
        else if (quota.ProductIds.Length > 0 && products.Except(CouponLimits.Split(quota.ProductIds)).Any()) throw new ServiceException(Errors.CouponLimitsOutsideQuota());

        var customers = r.CustomerIds.Select(c => c!).Distinct().ToList();
        if (token is not null)
        {
            await using var keyTx = await db.Database.BeginTransactionAsync(ct);
            var fingerprint = Idempotency.Fingerprint(new { quotaId, customers, face, valid, expire, services, products, memo });
            if (!await keys.TakeAsync($"coupons:{partner.AccountId}", token, fingerprint, ct))
            {
                var ids = customers.Select(c => KeyedCouponId(partner.AccountId, token, c)).ToList();
                var earlier = await db.Coupons.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.CustomerAccountId, c.Id }).ToListAsync(ct);
                return (earlier.Select(e => (e.CustomerAccountId, e.Id)).ToList(), []);
            }
            await keyTx.CommitAsync(ct);
        }

        var associations = await db.CustomerAssociations.AsNoTracking().Where(a => a.PartnerAccountId == partner.AccountId && customers.Contains(a.CustomerAccountId))
            .ToDictionaryAsync(a => a.CustomerAccountId, ct);
        var issued = new List<(string, string)>();
        var errors = new List<BatchError>();
        foreach (var customer in customers)
        {
            if (customer == partner.AccountId) { errors.Add(new(customer, Errors.CannotIssueToSelf())); continue; }
            if (!associations.TryGetValue(customer, out var association)) { errors.Add(new(customer, Errors.NotYourCustomer())); continue; }
            if (association.AssociationType != AssociationTypes.Resale) { errors.Add(new(customer, Errors.CouponNotForCooperationType())); continue; }
            var held = await db.Coupons.Where(c => c.CustomerAccountId == customer && c.PartnerAccountId == partner.AccountId && c.Status == CouponCodes.Usable)
                .GroupBy(c => 1).Select(g => new { Count = g.Count(), Value = g.Sum(c => c.Balance) }).SingleOrDefaultAsync(ct);
            if (held?.Count >= MaxUsableCouponsPerCustomer) { errors.Add(new(customer, Errors.TooManyCoupons(MaxUsableCouponsPerCustomer))); continue; }
            if ((held?.Value ?? 0) + face > MaxUsableValuePerCustomer) { errors.Add(new(customer, Errors.CouponTotalExceeded(MaxUsableValuePerCustomer))); continue; }

            var coupon = new Coupon
            {
                Id = token is null ? Ids.New() : KeyedCouponId(partner.AccountId, token, customer), CustomerAccountId = customer, PartnerAccountId = partner.AccountId,
                QuotaId = quota.Id, QuotaType = quota.QuotaType, CouponType = CouponCodes.CouponTypeOf(quota.QuotaType), FaceValue = face, Balance = face,
                EffectiveTime = valid, ExpireTime = expire, ServiceTypes = CouponLimits.Join(services), ProductIds = CouponLimits.Join(products),
                Status = CouponCodes.Usable, Memo = memo, CreatedAt = now,
            };
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await db.CouponQuotas.Where(q => q.Id == quota.Id && q.Balance >= face && q.Status == CouponCodes.QuotaNormal)
                    .ExecuteUpdateAsync(s => s.SetProperty(q => q.Balance, q => q.Balance - face).SetProperty(q => q.UpdatedAt, now), ct) == 0)
            {
                errors.Add(new(customer, Errors.CouponQuotaInsufficient()));
                continue;
            }
            await FundAsync(coupon, caller.UserName, $"Coupon {coupon.Id} issued by partner {partner.AccountId}", ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            issued.Add((customer, coupon.Id));
        }
        if (issued.Count > 0)
        {
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = partner.AccountId, CustomerAccountId = partner.AccountId, Kind = "coupons.issued", CreatedAt = now,
                Message = $"{issued.Count} coupon(s) of {CouponQuotaService.Text(face)} USD issued from quota {quota.Id}" + (errors.Count > 0 ? $"; {errors.Count} customer(s) refused." : "."),
            });
            await db.SaveChangesAsync(ct);
        }
        return (issued, errors);
    }

    /// <summary>The operator's test coupon for a partner's proof of concept (or an enterprise master): to the account itself, cash (with a value) or discount (a share off, at most face_value).</summary>
    public async Task<Coupon> IssueTestCouponAsync(Caller caller, string? partnerAccountId, int? couponType, decimal? faceValue, decimal? discountRatio,
        DateTime? expireTime, IReadOnlyList<string?>? cloudServiceTypes, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("issue test coupons"));
        var partner = Check.Required(partnerAccountId, "partner_account_id");
        // A partner's proof of concept, or an enterprise master's platform coupon to share with its members (Enterprise/EnterpriseCoupons).
        var isPartner = await db.Partners.AnyAsync(p => p.AccountId == partner, ct);
        if (!isPartner && !await Enterprise.EnterpriseCenter.IsMasterAsync(db, partner, ct)) throw new ServiceException(Errors.NotAPartner());
        var type = couponType ?? CouponCodes.Cash;
        if (type is not (CouponCodes.Cash or CouponCodes.Discount)) throw Check.Invalid("coupon_type is 1 (cash) or 2 (discount).");
        var face = CouponQuotaService.Amount(faceValue, "face_value", CouponQuotaService.MaxQuotaValue);
        decimal? ratio = null;
        if (type == CouponCodes.Discount)
            ratio = discountRatio is > 0 and < 1 && discountRatio == Math.Round(discountRatio.Value, 2) ? discountRatio : throw Check.Invalid("discount_ratio is more than 0 and less than 1 with at most 2 decimals.");
        else if (discountRatio is not null) throw Check.Invalid("discount_ratio is only for a discount coupon (coupon_type 2).");
        var now = clock.GetUtcNow().UtcDateTime;
        var expire = expireTime ?? throw Check.Invalid("expire_time is required.");
        if (expire <= now) throw Check.Invalid("expire_time is in the future.");
        var services = await CouponLimits.ServiceTypesAsync(db, cloudServiceTypes, ct);
        var coupon = new Coupon
        {
            Id = Ids.New(), CustomerAccountId = partner, CouponType = type, FaceValue = face, Balance = type == CouponCodes.Discount ? 0 : face, DiscountRatio = ratio,
            EffectiveTime = now, ExpireTime = expire, ServiceTypes = CouponLimits.Join(services), Status = CouponCodes.Usable, Memo = "Test coupon", CreatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await FundAsync(coupon, caller.UserName, $"Test coupon {coupon.Id}", ct);
        if (isPartner) db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partner, CustomerAccountId = partner, Kind = "coupons.test", CreatedAt = now,
            Message = $"The operator gave you a test coupon of {CouponQuotaService.Text(face)} USD until {expire:yyyy-MM-dd HH:mm} UTC.",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return coupon;
    }

    /// <summary>Saves a new coupon with its issue record; a value coupon's face value moves from the platform's coupon expense to the customer's coupon account.</summary>
    async Task FundAsync(Coupon coupon, string by, string description, CancellationToken ct)
    {
        db.Coupons.Add(coupon);
        db.CouponChanges.Add(Change(coupon, CouponChangeKinds.Issue, coupon.Balance, coupon.Balance, null, coupon.CreatedAt, coupon.Memo));
        await db.SaveChangesAsync(ct);
        if (coupon.Balance == 0) return; // a discount coupon holds no value until an order uses it
        await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCoupons, coupon.CustomerAccountId, ct);
        await ledger.PostAsync($"coupon:{coupon.Id}", "CouponIssue", coupon.Id, description, by,
            [new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), LedgerBook.CouponsOf(coupon.CustomerAccountId), coupon.Balance)], ct);
    }

    /// <summary>ListIssuedPartnerCoupons: the coupons the acting partner issued (coupons expired over a year ago are no longer shown).</summary>
    public async Task<(IReadOnlyList<CouponView> Coupons, int Total)> IssuedAsync(Caller caller, IssuedCouponFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, CouponActions.View, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        Check.MaxLength(f.CouponId, "coupon_id", 64);
        Check.MaxLength(f.CustomerId, "customer_id", 64);
        Check.MaxLength(f.OrderId, "order_id", 64);
        if (f.CouponType is not (null or CouponCodes.Cash or CouponCodes.FlexiPurchase)) throw Check.Invalid("coupon_type is 1 (cash coupon) or 4 (flexi-purchase coupon).");
        if (f.Status is not (null or >= 1 and <= 5)) throw Check.Invalid("status is 1 to 5.");
        CouponQuotaService.Page(f.Offset, f.Limit);
        var now = clock.GetUtcNow().UtcDateTime;
        var shownSince = now.AddYears(-1);
        var q = db.Coupons.AsNoTracking().Where(c => c.PartnerAccountId == partner.AccountId && c.ExpireTime > shownSince);
        if (!string.IsNullOrEmpty(f.CouponId)) q = q.Where(c => c.Id == f.CouponId);
        if (!string.IsNullOrEmpty(f.CustomerId)) q = q.Where(c => c.CustomerAccountId == f.CustomerId);
        if (!string.IsNullOrEmpty(f.OrderId)) q = q.Where(c => db.OrderCoupons.Any(o => o.CouponId == c.Id && o.OrderId == f.OrderId));
        if (f.CouponType is { } t) q = q.Where(c => c.CouponType == t);
        q = ByStatus(q, f.Status, now);
        if (f.CreateBegin is { } cb) q = q.Where(c => c.CreatedAt >= cb);
        if (f.CreateEnd is { } ce) q = q.Where(c => c.CreatedAt <= ce);
        if (f.EffectiveBegin is { } eb) q = q.Where(c => c.EffectiveTime >= eb);
        if (f.EffectiveEnd is { } ee) q = q.Where(c => c.EffectiveTime <= ee);
        if (f.ExpireBegin is { } xb) q = q.Where(c => c.ExpireTime >= xb);
        if (f.ExpireEnd is { } xe) q = q.Where(c => c.ExpireTime <= xe);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct);
        return (page.Select(c => new CouponView(c, StatusOf(c, now))).ToList(), total);
    }

    /// <summary>
    /// ReclaimPartnerCoupons: the partner takes back a coupon it issued; what is left of it goes back to the quota (if the
    /// quota still runs) and, on the ledger, to the platform's coupon expense. A coupon reserved by a pending order is refused.
    /// </summary>
    public async Task ReclaimAsync(Caller caller, string? couponId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, CouponActions.Reclaim, indirectPartnerId, PartnerNeed.Customers, ct);
        var id = Check.Required(couponId, "coupon_id");
        Check.MaxLength(id, "coupon_id", 64);
        var coupon = await db.Coupons.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.PartnerAccountId == partner.AccountId, ct)
                     ?? throw new ServiceException(Errors.CouponNotFound());
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == coupon.CustomerAccountId && a.PartnerAccountId == partner.AccountId, ct);
        if (association?.AssociationType != AssociationTypes.Resale) throw new ServiceException(Errors.NotYourCustomer());
        if (coupon.Status != CouponCodes.Usable) throw new ServiceException(Errors.CouponNotUsable(id, "only a usable coupon can be reclaimed."));
        if (coupon.LockOrderId is not null) throw new ServiceException(Errors.CouponNotUsable(id, $"it is reserved by the pending order {coupon.LockOrderId}."));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await EndAsync(coupon, CouponCodes.Reclaimed, CouponChangeKinds.Reclaim, caller.UserName, "Reclaimed by the partner", returnToQuota: true, ct))
            throw new ServiceException(Errors.FundsChangedTryAgain());
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Ends a usable coupon (reclaimed or expired) in the caller's transaction: zeroes it by a conditional update on the
    /// balance it was read with, pays that balance back to the platform's coupon expense and writes the record. False
    /// when the coupon changed meanwhile (nothing written).
    /// </summary>
    async Task<bool> EndAsync(Coupon coupon, int status, string kind, string by, string remark, bool returnToQuota, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var left = coupon.Balance;
        if (await db.Coupons.Where(c => c.Id == coupon.Id && c.Status == CouponCodes.Usable && c.Balance == left && c.LockOrderId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.Balance, 0m), ct) == 0) return false;
        if (left > 0)
            await ledger.PostAsync($"coupon-{kind.ToLowerInvariant()}:{coupon.Id}", "Coupon" + kind, coupon.Id, $"{remark}: coupon {coupon.Id}", by,
                [new Movement(LedgerBook.CouponsOf(coupon.CustomerAccountId), LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), left)], ct);
        if (returnToQuota && left > 0 && coupon.QuotaId is { } quota)
            await db.CouponQuotas.Where(q => q.Id == quota && q.Status == CouponCodes.QuotaNormal && q.ExpireTime > now)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Balance, q => q.Balance + left).SetProperty(q => q.UpdatedAt, now), ct);
        db.CouponChanges.Add(Change(coupon, kind, -left, 0, null, now, remark));
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>ListPartnerCouponsRecord: the acting partner's issue and reclaim records (uses are the customer's, not listed here), newest first.</summary>
    public async Task<(IReadOnlyList<CouponChange> Records, int Total)> RecordsAsync(Caller caller, CouponRecordFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, CouponActions.View, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        if (f.OperationTypes is { Count: > 8 }) throw Check.Invalid("operation_types holds at most 8 types.");
        if (f.OperationTypes?.Any(o => o is not ("1" or "2" or "3" or "4" or "5" or "6" or "7" or "8" or "9")) == true) throw Check.Invalid("operation_types holds 1 to 9.");
        if (f.CouponIds is { Count: > CouponQuotaService.MaxBatch }) throw Check.Invalid($"coupon_ids holds at most {CouponQuotaService.MaxBatch} ids.");
        if (f.CouponIds?.Any(c => c is null || c.Length > 64) == true) throw Check.Invalid("Every coupon id is at most 64 characters.");
        Check.MaxLength(f.QuotaId, "quota_id", 64);
        Check.MaxLength(f.CustomerId, "customer_id", 64);
        if (f.QuotaType is not (null or 0 or 1)) throw Check.Invalid("quota_type is 0 or 1.");
        if (f.Result is not (null or "" or "0" or "-1")) throw Check.Invalid("result is 0 (success) or -1 (failure).");
        if (f.Begin > f.End) throw Check.Invalid("operation_time_begin is not after operation_time_end.");
        CouponQuotaService.Page(f.Offset, f.Limit);
        var kinds = CouponChangeKinds.All.Where(k => CouponChangeKinds.OperationType(k) is { } op && (f.OperationTypes is null || f.OperationTypes.Contains(op))).ToList();
        // Every record kept is a success: a failed issue is answered in error_details and changes nothing.
        if (f.Result == "-1") kinds = [];
        var q = db.CouponChanges.AsNoTracking().Where(c => c.PartnerAccountId == partner.AccountId && kinds.Contains(c.Kind));
        if (f.QuotaId is not null) q = q.Where(c => c.QuotaId == f.QuotaId);
        if (f.QuotaType is { } t) q = q.Where(c => c.QuotaType == t);
        if (f.CouponIds is not null) q = q.Where(c => f.CouponIds.Contains(c.CouponId));
        if (!string.IsNullOrEmpty(f.CustomerId)) q = q.Where(c => c.CustomerAccountId == f.CustomerId);
        if (f.Begin is { } b) q = q.Where(c => c.At >= b);
        if (f.End is { } e) q = q.Where(c => c.At <= e);
        var total = await q.CountAsync(ct);
        return (await q.OrderByDescending(c => c.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct), total);
    }

    /// <summary>ListSubCustomerCoupons: the caller's own coupons, newest first.</summary>
    public async Task<(IReadOnlyList<CouponView> Coupons, int Total)> MineAsync(Caller caller, MyCouponFilter f, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, CouponActions.View, ct);
        Check.MaxLength(f.CouponId, "coupon_id", 64);
        Check.MaxLength(f.OrderId, "order_id", 64);
        Check.MaxLength(f.PromotionPlanId, "promotion_plan_id", 64);
        if (f.CouponType is not (null or CouponCodes.Cash or CouponCodes.Discount or 3 or CouponCodes.FlexiPurchase)) throw Check.Invalid("coupon_type is 1 to 4.");
        if (f.Status is not (null or >= 1 and <= 5)) throw Check.Invalid("status is 1 to 5.");
        if (f.ActiveBegin > f.ActiveEnd) throw Check.Invalid("active_start_time is not after active_end_time.");
        CouponQuotaService.Page(f.Offset, f.Limit);
        var now = clock.GetUtcNow().UtcDateTime;
        var q = db.Coupons.AsNoTracking().Where(c => c.CustomerAccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(f.CouponId)) q = q.Where(c => c.Id == f.CouponId);
        if (!string.IsNullOrEmpty(f.OrderId)) q = q.Where(c => db.OrderCoupons.Any(o => o.CouponId == c.Id && o.OrderId == f.OrderId));
        // A partner coupon's promotion plan is the quota it came from.
        if (!string.IsNullOrEmpty(f.PromotionPlanId)) q = q.Where(c => c.QuotaId == f.PromotionPlanId);
        if (f.CouponType is { } t) q = q.Where(c => c.CouponType == t);
        q = ByStatus(q, f.Status, now);
        if (f.ActiveBegin is { } ab) q = q.Where(c => c.EffectiveTime >= ab);
        if (f.ActiveEnd is { } ae) q = q.Where(c => c.EffectiveTime <= ae);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct);
        return (page.Select(c => new CouponView(c, StatusOf(c, now))).ToList(), total);
    }

    /// <summary>The trade types of ListCustomerCouponChangeRecords (Huawei's spellings); ADJUST (activation) and RFROZEN have no movement here and answer nothing.</summary>
    public static readonly string[] TradeTypes = ["ADJUST", "DEDEUCT", "EXPIRED", "REFUND", "RFROZEN", "COUPONADJUST", "COUPONCANCEL"];

    /// <summary>ListCustomerCouponChangeRecords: every change of the caller's coupons, newest first; dates are Beijing days, at most a year apart.</summary>
    public async Task<(IReadOnlyList<CouponChange> Records, int Total)> ChangesAsync(Caller caller, CouponChangeFilter f, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, CouponActions.View, ct);
        if (f.BalanceType is not (null or "" or "BALANCE_TYPE_COUPON")) throw Check.Invalid("balance_type is BALANCE_TYPE_COUPON.");
        if (f.RevenueExpenseType is not (null or "REVENUE" or "EXPENSE")) throw Check.Invalid("revenue_expense_type is REVENUE or EXPENSE.");
        if (f.TradeType is not null && !TradeTypes.Contains(f.TradeType)) throw Check.Invalid("trade_type is one of " + string.Join(", ", TradeTypes) + ".");
        Check.MaxLength(f.TradeId, "trade_id", 128);
        Check.MaxLength(f.CouponId, "coupon_id", 64);
        CouponQuotaService.Page(f.Offset, f.Limit);
        var today = CustomerBills.CustomerBillService.Day(clock.GetUtcNow().UtcDateTime);
        var end = Date(f.TradeTimeEnd, "trade_time_end") ?? today;
        var begin = Date(f.TradeTimeBegin, "trade_time_begin") ?? end.AddYears(-1);
        if (begin > end || begin < end.AddYears(-1)) throw Check.Invalid("trade_time_begin is not after trade_time_end and at most a year before it.");
        var from = DateTime.SpecifyKind(begin.ToDateTime(TimeOnly.MinValue) - Billing.BillCycle.BeijingOffset, DateTimeKind.Utc);
        var to = DateTime.SpecifyKind(end.AddDays(1).ToDateTime(TimeOnly.MinValue) - Billing.BillCycle.BeijingOffset, DateTimeKind.Utc);
        var q = db.CouponChanges.AsNoTracking().Where(c => c.CustomerAccountId == caller.AccountId && c.At >= from && c.At < to);
        if (f.TradeType is not null)
        {
            var kinds = CouponChangeKinds.All.Where(k => CouponChangeKinds.TradeType(k) == f.TradeType).ToList();
            q = q.Where(c => kinds.Contains(c.Kind));
        }
        if (f.RevenueExpenseType == "REVENUE") q = q.Where(c => c.Amount > 0);
        if (f.RevenueExpenseType == "EXPENSE") q = q.Where(c => c.Amount < 0);
        if (!string.IsNullOrEmpty(f.TradeId)) q = q.Where(c => c.Reference == f.TradeId || c.CouponId == f.TradeId);
        if (!string.IsNullOrEmpty(f.CouponId)) q = q.Where(c => c.CouponId == f.CouponId);
        var total = await q.CountAsync(ct);
        return (await q.OrderByDescending(c => c.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct), total);
    }

    /// <summary>
    /// In the caller's transaction, when a resale association ends: the usable coupons this partner issued to the
    /// customer are reclaimed (operation type 3), their value back to the platform's coupon expense. Coupons reserved by
    /// a pending order are released first: the order can no longer use a former partner's coupon.
    /// </summary>
    public async Task ReclaimOnUnbindAsync(CustomerAssociation association, CancellationToken ct = default)
    {
        if (association.AssociationType != AssociationTypes.Resale) return;
        var (partner, customer) = (association.PartnerAccountId, association.CustomerAccountId);
        await db.Coupons.Where(c => c.CustomerAccountId == customer && c.PartnerAccountId == partner && c.Status == CouponCodes.Usable && c.LockOrderId != null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LockOrderId, (string?)null), ct);
        var coupons = await db.Coupons.AsNoTracking().Where(c => c.CustomerAccountId == customer && c.PartnerAccountId == partner && c.Status == CouponCodes.Usable).ToListAsync(ct);
        foreach (var coupon in coupons)
            if (!await EndAsync(coupon, CouponCodes.Reclaimed, CouponChangeKinds.UnbindReclaim, "system", "Reclaimed when the association ended", returnToQuota: false, ct))
                throw new ServiceException(Errors.FundsChangedTryAgain()); // an order used it meanwhile: the whole change rolls back
    }

    /// <summary>Ends every usable coupon whose expire time has come by <paramref name="period"/>, each in its own transaction (operation type 4, trade type EXPIRED).</summary>
    public async Task ExpireDueAsync(DateTime period, CancellationToken ct = default)
    {
        var due = await db.Coupons.AsNoTracking().Where(c => c.Status == CouponCodes.Usable && c.ExpireTime <= period).ToListAsync(ct);
        foreach (var coupon in due)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // A coupon reserved by a pending order expires too: the order pays without it.
            await db.Coupons.Where(c => c.Id == coupon.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LockOrderId, (string?)null), ct);
            if (!await EndAsync(coupon, CouponCodes.Expired, CouponChangeKinds.Expire, "system", "Expired", returnToQuota: false, ct)) continue;
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    static IQueryable<Coupon> ByStatus(IQueryable<Coupon> q, int? status, DateTime now) => status switch
    {
        null => q,
        CouponCodes.NotActivated => q.Where(c => c.Status == CouponCodes.Usable && c.EffectiveTime > now),
        CouponCodes.Usable => q.Where(c => c.Status == CouponCodes.Usable && c.EffectiveTime <= now),
        { } s => q.Where(c => c.Status == s),
    };

    public static int StatusOf(Coupon c, DateTime now) => c.Status == CouponCodes.Usable && c.EffectiveTime > now ? CouponCodes.NotActivated : c.Status;

    internal static CouponChange Change(Coupon c, string kind, decimal amount, decimal balanceAfter, string? reference, DateTime at, string remark) => new()
    {
        CouponId = c.Id, CustomerAccountId = c.CustomerAccountId, PartnerAccountId = c.PartnerAccountId, QuotaId = c.QuotaId, QuotaType = c.QuotaType, Kind = kind,
        Amount = amount, BalanceAfter = balanceAfter, Reference = reference, At = at, Remark = remark,
    };

    /// <summary>A keyed issue's coupon id is derived from the key and the customer, so a retry finds what the first request issued.</summary>
    static string KeyedCouponId(string partner, string token, string customer) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{partner}\n{token}\n{customer}")))[..32].ToLowerInvariant();

    static DateOnly? Date(string? text, string field)
    {
        if (text is null) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Check.Invalid($"{field} is a date as YYYY-MM-DD.");
    }
}

/// <summary>Hourly: usable coupons whose expire time has come expire, their value back to the platform.</summary>
public sealed class CouponExpiryJob(IServiceScopeFactory scopes) : IIdlePeriodsJob
{
    public string Name => "coupons.expire";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CouponService>().ExpireDueAsync(period, ct);
    }

    /// <summary>A period is idle until the first usable coupon's expire time.</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct) =>
        IdlePeriods.Before(periods, await db.Coupons.Where(c => c.Status == CouponCodes.Usable).MinAsync(c => (DateTime?)c.ExpireTime, ct));

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing
}
