using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Coupons;

/// <summary>One of the customer's usable coupons as a choice for an order: null <see cref="Refusal"/> when the order can use it, else why not, in words.</summary>
public sealed record CouponChoice(Coupon Coupon, string? Refusal);

/// <summary>The console's coupon questions that the API does not ask: which coupons fit an order, and a partner's quotas as the operator sees them.</summary>
public sealed class CouponQueries(AppDbContext db, AccessControl access, TimeProvider clock)
{
    /// <summary>
    /// The caller's usable coupons for its own pending order, those the order can use first. A coupon is refused for the
    /// reasons <see cref="CouponPayment.PlanAsync"/> refuses it with CBC.99003112 (frozen, not effective yet, expired,
    /// reserved by another order, limits covering none of the order's lines); the combination rules (at most 3, one
    /// discount coupon, never with a cash coupon) depend on the choice and are answered when paying.
    /// </summary>
    public async Task<IReadOnlyList<CouponChoice>> ForOrderAsync(Caller caller, string? orderId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, OrderActions.Pay, ct);
        var id = Check.MaxLength(Check.Required(orderId, "order_id"), "order_id", 64);
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id && o.CustomerAccountId == caller.AccountId, ct)
                    ?? throw new ServiceException(Errors.InvalidOrder());
        if (order.Status != OrderStatus.PendingPayment) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var coupons = await db.Coupons.AsNoTracking().Where(c => c.CustomerAccountId == caller.AccountId && c.Status == CouponCodes.Usable)
            .OrderBy(c => c.ExpireTime).ThenBy(c => c.Id).ToListAsync(ct);
        return coupons.Select(c => new CouponChoice(c, Refusal(c, order, now))).OrderBy(c => c.Refusal is null ? 0 : 1).ToList();
    }

    static string? Refusal(Coupon c, Order order, DateTime now) =>
        c.IsFrozen ? "it is frozen."
        : c.EffectiveTime > now ? "it is not effective yet."
        : c.ExpireTime <= now ? "it has expired."
        : c.LockOrderId is { } other && other != order.Id ? $"it is reserved by the pending order {other}."
        : !order.Lines.Any(l => l.OfficialAmount > 0 && CouponLimits.Covers(c.ServiceTypes, c.ProductIds, l.CloudServiceType, l.SpecId))
            ? "its service and product limits cover nothing in this order."
        : c.CouponType != CouponCodes.Discount && c.Balance <= 0 ? "it has no value left."
        : null;

    /// <summary>The operator's view of a partner's coupon quotas (granted and delegated to it), newest first.</summary>
    public async Task<IReadOnlyList<QuotaView>> QuotasOfPartnerAsync(Caller caller, string? partnerAccountId, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("see partners' coupon quotas"));
        var partner = Check.MaxLength(Check.Required(partnerAccountId, "partner_account_id"), "partner_account_id", 64);
        var now = clock.GetUtcNow().UtcDateTime;
        var quotas = await db.CouponQuotas.AsNoTracking().Where(q => q.PartnerAccountId == partner)
            .OrderByDescending(q => q.CreatedAt).ThenBy(q => q.Id).Take(CouponQuotaService.MaxLimit).ToListAsync(ct);
        return quotas.Select(q => new QuotaView(q, CouponQuotaService.StatusOf(q, now), null, null, null)).ToList();
    }
}
