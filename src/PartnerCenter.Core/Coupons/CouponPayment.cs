using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Coupons;

/// <summary>One coupon's part in a payment: what it takes off the order.</summary>
public sealed record CouponTake(Coupon Coupon, decimal Amount);

/// <summary>
/// The coupons a payment chose, checked and priced before anything is written: <see cref="ValueAmount"/> is what cash
/// and flexi-purchase coupons pay (out of the customer's coupon account), <see cref="DiscountAmount"/> what a discount
/// coupon takes off (paid by the platform's coupon expense).
/// </summary>
public sealed record CouponPlan(IReadOnlyList<CouponTake> Takes)
{
    public static readonly CouponPlan None = new([]);
    public decimal ValueAmount => Takes.Where(t => t.Coupon.CouponType != CouponCodes.Discount).Sum(t => t.Amount);
    public decimal DiscountAmount => Takes.Where(t => t.Coupon.CouponType == CouponCodes.Discount).Sum(t => t.Amount);
    public decimal Total => ValueAmount + DiscountAmount;
}

/// <summary>
/// Coupons at payment (PayOrders with use_coupon YES): at most 3, at most one discount coupon and never with a cash
/// coupon (CBC.99003147), each the customer's own, usable, effective and not expired, not reserved by another order,
/// and within its service and product limits (it pays only for the order's lines it covers). A discount coupon is used
/// once; a value coupon gives what the order needs and keeps the rest. A payment refused for want of money reserves its
/// coupons for the order (lock_order_id) until it is paid or cancelled.
/// </summary>
public sealed class CouponPayment(AppDbContext db)
{
    public const int MaxCoupons = 3;

    /// <summary>Checks the chosen coupons against the order and prices them; writes nothing.</summary>
    public async Task<CouponPlan> PlanAsync(Order order, IReadOnlyList<PayChoice> choices, decimal toPay, DateTime now, CancellationToken ct)
    {
        if (choices.Any(c => string.IsNullOrEmpty(c.Id) || c.Id.Length > 64)) throw Check.Invalid("Every coupon_infos id is 1 to 64 characters.");
        if (choices.Any(c => c.Type is not (null or 300 or 301 or 302 or 303))) throw Check.Invalid("coupon_infos type is 300, 301, 302 or 303.");
        var ids = choices.Select(c => c.Id!).ToList();
        if (ids.Distinct().Count() != ids.Count) throw Check.Invalid("coupon_infos names each coupon once.");
        var found = await db.Coupons.AsNoTracking().Where(c => ids.Contains(c.Id) && c.CustomerAccountId == order.CustomerAccountId).ToDictionaryAsync(c => c.Id, ct);
        var coupons = new List<Coupon>();
        foreach (var choice in choices)
        {
            // Another customer's coupon is answered as a missing one: its existence is not revealed.
            var c = found.GetValueOrDefault(choice.Id!) ?? throw new ServiceException(Errors.CouponNotUsable(choice.Id!, "it is not one of your coupons."));
            if (choice.Type is { } t && t != CouponCodes.PayTypeOf(c.CouponType)) throw new ServiceException(Errors.CouponNotUsable(c.Id, $"its type is {CouponCodes.PayTypeOf(c.CouponType)}."));
            coupons.Add(c);
        }
        var discounts = coupons.Count(c => c.CouponType == CouponCodes.Discount);
        if (discounts > 1) throw new ServiceException(Errors.CouponCombination("At most one discount coupon can be used."));
        if (discounts == 1 && coupons.Any(c => c.CouponType == CouponCodes.Cash)) throw new ServiceException(Errors.CouponCombination("A cash coupon and a discount coupon cannot be used together."));
        foreach (var c in coupons)
        {
            var why = c.Status switch
            {
                CouponCodes.Used => "it is used up.",
                CouponCodes.Expired => "it has expired.",
                CouponCodes.Reclaimed => "it was reclaimed.",
                _ => c.IsFrozen ? "it is frozen."
                    : c.EffectiveTime > now ? "it is not effective yet."
                    : c.ExpireTime <= now ? "it has expired."
                    : c.LockOrderId is { } other && other != order.Id ? $"it is reserved by the pending order {other}."
                    : null,
            };
            if (why is not null) throw new ServiceException(Errors.CouponNotUsable(c.Id, why));
        }

        // What each coupon may pay for: the lines it covers, at the share of the list price the order is paid at.
        var ratio = order.OfficialAmount == 0 ? 0 : toPay / order.OfficialAmount;
        decimal Covered(Coupon c) => Money.Round2(order.Lines.Where(l => CouponLimits.Covers(c.ServiceTypes, c.ProductIds, l.CloudServiceType, l.SpecId)).Sum(l => l.OfficialAmount) * ratio);
        var takes = new List<CouponTake>();
        var left = toPay;
        // The discount coupon first (it takes a share of the price), then the value coupons in the order given.
        foreach (var c in coupons.OrderBy(c => c.CouponType == CouponCodes.Discount ? 0 : 1))
        {
            var covered = Math.Min(Covered(c), left);
            if (covered <= 0) throw new ServiceException(Errors.CouponNotUsable(c.Id, "its service and product limits cover nothing left to pay in this order."));
            var take = c.CouponType == CouponCodes.Discount ? Math.Min(c.FaceValue, Money.Round2(covered * c.DiscountRatio!.Value)) : Math.Min(c.Balance, covered);
            if (take <= 0) throw new ServiceException(Errors.CouponNotUsable(c.Id, "it has no value left for this order."));
            takes.Add(new CouponTake(c, take));
            left -= take;
        }
        return new CouponPlan(takes);
    }

    /// <summary>
    /// In the payment's transaction: takes each coupon's amount by a conditional update (a concurrent payment that took
    /// it first makes this one refuse and roll back), records the uses and returns the ledger movements of the coupons'
    /// value to the platform's revenue. A value coupon's take, use and change are hot statements (every coupon payment
    /// writes them); its coupon account exists since the coupon was issued.
    /// </summary>
    public async Task<IReadOnlyList<Movement>> UseAsync(Order order, CouponPlan plan, DateTime now, CancellationToken ct)
    {
        var movements = new List<Movement>();
        var (connection, transaction) = (db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction());
        foreach (var (c, amount) in plan.Takes)
        {
            var discount = c.CouponType == CouponCodes.Discount;
            decimal after = 0;
            if (discount)
            {
                if (await db.Coupons.Where(x => x.Id == c.Id && x.Status == CouponCodes.Usable && (x.LockOrderId == null || x.LockOrderId == order.Id))
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CouponCodes.Used).SetProperty(x => x.LockOrderId, (string?)null)
                            .SetProperty(x => x.LastUsedTime, now).SetProperty(x => x.OrderId, order.Id), ct) == 0)
                    throw new ServiceException(Errors.CouponNotUsable(c.Id, "it changed meanwhile; choose your coupons again."));
            }
            else
            {
                var taken = await HotStatements.RunAsync(connection, transaction, TakeValueSql,
                    [("id", c.Id), ("order", order.Id), ("amount", (long)(amount * Money.MicrosPerUnit)), ("now", now)], ct);
                if (taken.Row is not { } row) throw new ServiceException(Errors.CouponNotUsable(c.Id, "it changed meanwhile; choose your coupons again."));
                after = row[0] / (decimal)Money.MicrosPerUnit;
            }
            await HotInsert.AddAsync(db, new OrderCoupon { OrderId = order.Id, CouponId = c.Id, CouponType = c.CouponType, Amount = amount }, ct: ct);
            await HotInsert.AddAsync(db, CouponService.Change(c, CouponChangeKinds.Use, discount ? 0 : -amount, after, order.Id, now, $"Order {order.Id}"), ct: ct);
            movements.Add(discount
                ? new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), amount)
                : new Movement(LedgerBook.CouponsOf(order.CustomerAccountId), LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), amount));
        }
        return movements;
    }

    /// <summary>A value coupon's take: only while usable, holding the amount and not reserved by another order; used up at 0.</summary>
    const string TakeValueSql = """
        UPDATE coupons SET "Balance" = "Balance" - @amount, "Status" = CASE WHEN "Balance" - @amount = 0 THEN 3 ELSE 2 END, "LockOrderId" = NULL,
            "LastUsedTime" = @now, "OrderId" = @order
        WHERE "Id" = @id AND "Status" = 2 AND "Balance" >= @amount AND ("LockOrderId" IS NULL OR "LockOrderId" = @order)
        RETURNING "Balance"
        """;

    /// <summary>After a payment refused for want of money: its coupons stay reserved for the order until it is paid or cancelled.</summary>
    public async Task LockAsync(Order order, CouponPlan plan, CancellationToken ct)
    {
        var ids = plan.Takes.Select(t => t.Coupon.Id).ToList();
        await db.Coupons.Where(c => ids.Contains(c.Id) && c.Status == CouponCodes.Usable && c.LockOrderId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LockOrderId, order.Id), ct);
    }

    /// <summary>When an order is cancelled (by its customer or its payment deadline): the coupons it reserved are free again.</summary>
    public static Task ReleaseAsync(AppDbContext db, IQueryable<string> orderIds, CancellationToken ct) =>
        db.Coupons.Where(c => c.LockOrderId != null && orderIds.Contains(c.LockOrderId)).ExecuteUpdateAsync(s => s.SetProperty(c => c.LockOrderId, (string?)null), ct);

    /// <summary>
    /// In a refund's transaction: gives back <paramref name="amount"/> of what the cash and flexi-purchase coupons paid
    /// for order <paramref name="baseOrderId"/> (a stretch refunded whole), coupon by coupon up to what each paid and
    /// was not given back yet. A coupon still valid gets its balance back (usable again, change type REFUND, partner
    /// operation type 6); one that has expired or was reclaimed meanwhile stays unusable: the value goes back to the
    /// platform's coupon expense, recorded as returned and expired at once. Returns the ledger movements, out of the
    /// platform's revenue, for the refund's entry.
    /// </summary>
    public async Task<IReadOnlyList<Movement>> ReturnAsync(string baseOrderId, decimal amount, string refundOrderId, DateTime now, CancellationToken ct)
    {
        var revenue = LedgerBook.Platform(LedgerAccountKind.PlatformRevenue);
        var movements = new List<Movement>();
        var uses = await db.OrderCoupons.Where(u => u.OrderId == baseOrderId && u.CouponType != CouponCodes.Discount).OrderBy(u => u.CouponId).ToListAsync(ct);
        var left = amount;
        foreach (var use in uses)
        {
            var give = Math.Min(left, use.Amount - use.ReturnedAmount);
            if (give <= 0) continue;
            left -= give;
            // Each unit of a use is given back once: a concurrent refund of another stretch of the order adds up, never past what was used.
            if (await db.OrderCoupons.Where(u => u.OrderId == use.OrderId && u.CouponId == use.CouponId && u.ReturnedAmount + give <= u.Amount)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.ReturnedAmount, u => u.ReturnedAmount + give), ct) == 0)
                throw new ServiceException(Errors.FundsChangedTryAgain());
            var coupon = await db.Coupons.AsNoTracking().SingleAsync(c => c.Id == use.CouponId, ct);
            var restored = await db.Coupons.Where(c => c.Id == coupon.Id && (c.Status == CouponCodes.Usable || c.Status == CouponCodes.Used) && c.ExpireTime > now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Balance, c => c.Balance + give).SetProperty(c => c.Status, CouponCodes.Usable), ct);
            var remark = $"Refund order {refundOrderId}";
            if (restored == 1)
            {
                var after = await db.Coupons.Where(c => c.Id == coupon.Id).Select(c => c.Balance).SingleAsync(ct);
                db.CouponChanges.Add(CouponService.Change(coupon, CouponChangeKinds.Return, give, after, refundOrderId, now, remark));
                movements.Add(new Movement(revenue, LedgerBook.CouponsOf(coupon.CustomerAccountId), give));
            }
            else
            {
                // Used up and past its expiry: it ends now as expired coupons do.
                await db.Coupons.Where(c => c.Id == coupon.Id && c.Status == CouponCodes.Used).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CouponCodes.Expired), ct);
                var balance = await db.Coupons.Where(c => c.Id == coupon.Id).Select(c => c.Balance).SingleAsync(ct);
                db.CouponChanges.Add(CouponService.Change(coupon, CouponChangeKinds.Return, give, balance + give, refundOrderId, now, remark));
                db.CouponChanges.Add(CouponService.Change(coupon, CouponChangeKinds.Expire, -give, balance, refundOrderId, now, remark + ": the coupon is no longer valid, its value goes back"));
                movements.Add(new Movement(revenue, LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), give));
            }
        }
        if (left > 0) throw new InvalidOperationException($"Order {baseOrderId}'s coupons paid less than the {amount} a refund gives back to them.");
        await db.SaveChangesAsync(ct);
        return movements;
    }

    /// <summary>ListOrderCouponsByOrderId: the coupons the caller's own order was paid with.</summary>
    public async Task<IReadOnlyList<(Coupon Coupon, decimal Amount)>> OfOrderAsync(string customer, string orderId, CancellationToken ct)
    {
        var rows = await (from u in db.OrderCoupons.AsNoTracking()
                          join c in db.Coupons.AsNoTracking() on u.CouponId equals c.Id
                          where u.OrderId == orderId && c.CustomerAccountId == customer
                          orderby c.Id
                          select new { c, u.Amount }).ToListAsync(ct);
        return rows.Select(r => (r.c, r.Amount)).ToList();
    }
}
