using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Orders;

/// <summary>
/// Which of Huawei's two partner models pays a resale customer's order (docs/decisions.md, "Resale customers spend
/// allocated money"). The China model, when the customer's cash — money its partner allocated to it — covers what the
/// order costs the customer after coupons: the customer pays that from its cash, at its own price (after the discount it
/// chose), as a direct customer pays, and the partner is charged nothing more (it paid when it allocated). Otherwise the
/// international model: the budget at list price and the partner's payable at the settlement price.
/// </summary>
public static class AllocatedFunds
{
    /// <summary>The whole amount or nothing: one order is never split between the customer's cash and its partner's credit.</summary>
    public static bool Pays(decimal cash, decimal due) => due > 0 && cash >= due;

    /// <summary>
    /// Pays the order from the customer's cash in the payment's transaction (with the coupon movements already planned)
    /// and makes it the customer's own payment: <see cref="Order.FundingPartnerAccountId"/> is cleared, so a refund goes
    /// back to the cash it came from and the bills show what the customer paid, and the partner is kept in
    /// <see cref="Order.AllocatedByPartnerAccountId"/> (a refund after the association ended goes back to it). A frozen
    /// customer cannot pay either way.
    /// Returns the settlement price the trade carries (less what coupons paid), which its resources' stretches keep so a
    /// refund can show its share in the partner's revenue statement.
    /// </summary>
    public static async Task<decimal> PayAsync(AppDbContext db, LedgerBook ledger, BudgetConsumption budgets, Order order, decimal due, decimal couponTotal,
        List<Movement> movements, string by, CancellationToken ct)
    {
        if (await budgets.CannotTransactAsync(order.CustomerAccountId, ct) is { } frozen) throw new ServiceException(frozen);
        movements.Add(new Movement(LedgerBook.CashOf(order.CustomerAccountId), LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), due));
        try
        {
            await ledger.PostAsync($"order:{order.Id}", "OrderPayment", order.Id, $"Order {order.Id} of resale customer {order.CustomerAccountId} from its allocated balance",
                by, movements, ct);
        }
        catch (InsufficientFundsException)
        {
            // Another payment took the cash after it was read: nothing is charged, and a retry pays on the partner's credit.
            throw new ServiceException(Errors.FundsChangedTryAgain());
        }
        var partner = order.FundingPartnerAccountId;
        await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.FundingPartnerAccountId, (string?)null)
            .SetProperty(o => o.AllocatedByPartnerAccountId, partner), ct);
        (order.FundingPartnerAccountId, order.AllocatedByPartnerAccountId) = (null, partner);
        return Math.Max(0, order.SettlementAmount - couponTotal);
    }

    /// <summary>
    /// In the refund's transaction, after the refund reached the customer's cash: what a former partner's allocated money
    /// paid of the refunded stretches goes on to that partner's balance (Huawei returns a refund to the partner once the
    /// association has ended). One BEUNBIND entry, trade id the refund order, so both sides' change records show the
    /// refund coming in and going back; each partner is told.
    /// </summary>
    public static async Task ReturnRefundAsync(AppDbContext db, LedgerBook ledger, string customer, string refundOrderId, IReadOnlyDictionary<string, decimal> toPartners,
        DateTime now, CancellationToken ct)
    {
        var back = toPartners.Where(x => x.Value > 0).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();
        if (back.Count == 0) return;
        foreach (var (partner, _) in back) await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        await ledger.PostAsync($"{PartnerAccounts.AllocationKinds.Unbind}:{refundOrderId}", PartnerAccounts.AllocationKinds.Unbind, customer,
            $"Refund of order {refundOrderId} returned to the partner whose allocation paid it", "system",
            back.Select(x => new Movement(LedgerBook.CashOf(customer), LedgerBook.PartnerBalanceOf(x.Key), x.Value)).ToList(), ct);
        var name = await db.Accounts.AsNoTracking().Where(a => a.Id == customer).Select(a => a.Name).SingleAsync(ct);
        foreach (var (partner, amount) in back)
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = partner, CustomerAccountId = customer, Kind = "funds.refund", CreatedAt = now,
                Message = $"{amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} USD refunded to your former customer {name} "
                          + $"(unsubscribe order {refundOrderId}) came back to your balance: your allocation paid it.",
            });
        await db.SaveChangesAsync(ct);
    }
}
