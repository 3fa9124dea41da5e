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
    /// back to the cash it came from and the bills show what the customer paid. A frozen customer cannot pay either way.
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
        await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.FundingPartnerAccountId, (string?)null), ct);
        order.FundingPartnerAccountId = null;
        return Math.Max(0, order.SettlementAmount - couponTotal);
    }
}
