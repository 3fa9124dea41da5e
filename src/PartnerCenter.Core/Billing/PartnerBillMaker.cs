using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Billing;

/// <summary>What the run knows of one partner's bill before reading its postings.</summary>
public sealed record PartnerBillPlan(string Partner, BillCycle Cycle, bool Draft, DateTime CoversFrom, DateTime BilledAt, int DueDays, decimal TaxRate);

/// <summary>
/// One partner's bill of a run, in a scope of its own so that partners can be billed side by side: its postings read
/// in one statement, then the bill, its lines, the deduction and the partner's notice in one transaction.
/// </summary>
public sealed class PartnerBillMaker(AppDbContext db, LedgerBook ledger, TimeProvider clock)
{
    /// <summary>Bills the partner; <paramref name="writer"/>, when given, is held while writing (SQLite's single writer).</summary>
    public async Task BillAsync(PartnerBillPlan plan, SemaphoreSlim? writer, CancellationToken ct)
    {
        var bill = await ComputeAsync(plan, ct);
        if (writer is not null) await writer.WaitAsync(ct);
        try { await WriteAsync(plan, bill, ct); }
        finally { writer?.Release(); }
    }

    /// <summary>
    /// A bill covers the payable movements booked from the end of the partner's last finalized bill to the end of the
    /// cycle, so every movement lands in exactly one bill, also a partner's first after months without one.
    /// </summary>
    async Task<PartnerBill> ComputeAsync(PartnerBillPlan plan, CancellationToken ct)
    {
        var payable = LedgerBook.PayableOf(plan.Partner);
        var (from, to) = (plan.CoversFrom, plan.Cycle.EndUtc);
        // The month's payable movements by entry kind and reference, from the postings alone (they carry both): one index
        // range of one partner, whatever the number of customers' hourly charges in it.
        var sums = await db.Postings.AsNoTracking()
            .Where(p => p.AccountId == payable && p.BookedAt >= from && p.BookedAt < to && BillRuns.BillableKinds.Contains(p.Kind))
            .GroupBy(p => new { p.Kind, p.Reference })
            .Select(g => new { g.Key.Kind, g.Key.Reference, Sum = g.Sum(p => p.Amount), Count = g.Count() }).ToListAsync(ct);
        // An hourly charge references its customer; order payments and refunds reference their order.
        var orderIds = sums.Where(g => g.Kind is "OrderPayment" or "Refund").Select(g => g.Reference!).Distinct().ToList();
        var orders = new Dictionary<string, (string Customer, int Type)>();
        foreach (var chunk in orderIds.Chunk(500))
            foreach (var o in await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.Id)).Select(o => new { o.Id, o.CustomerAccountId, o.OrderType }).ToListAsync(ct))
                orders[o.Id] = (o.CustomerAccountId, o.OrderType);
        var groups = sums.Select(g => g.Kind == "UsageCharge"
            ? new { g.Kind, Customer = g.Reference, OrderType = (int?)null, g.Sum, g.Count }
            : orders.TryGetValue(g.Reference ?? "", out var o)
                ? new { g.Kind, Customer = (string?)o.Customer, OrderType = (int?)o.Type, g.Sum, g.Count }
                : new { g.Kind, Customer = (string?)null, OrderType = (int?)null, g.Sum, g.Count }).ToList();

        var id = Ids.New();
        // One line per customer and kind (order payments and renewals of one customer are two kinds of one entry kind).
        // A charge lowers the payable; on the bill it is a positive amount.
        var lines = groups.Select(g => (Customer: g.Kind == "PartnerAdjustment" ? null : g.Customer, Kind: LineKind(g.Kind, g.OrderType), Amount: -g.Sum, g.Count))
            .GroupBy(l => (l.Customer, l.Kind))
            .Select(l => new PartnerBillLine { BillId = id, CustomerAccountId = l.Key.Customer, Kind = l.Key.Kind, Amount = l.Sum(x => x.Amount), Movements = l.Sum(x => x.Count) })
            .OrderBy(l => l.CustomerAccountId, StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal).ToList();
        decimal Sum(params string[] kinds) => lines.Where(l => kinds.Contains(l.Kind)).Sum(l => l.Amount);
        var (consume, refunds, adjustments) = (Sum(BillLineKinds.OrderPayment, BillLineKinds.Renewal, BillLineKinds.PayPerUse), Sum(BillLineKinds.Refund), Sum(BillLineKinds.Adjustment));
        var initial = consume + refunds + adjustments;
        return new PartnerBill
        {
            Id = id, PartnerAccountId = plan.Partner, Cycle = plan.Cycle.ToString(), Status = plan.Draft ? BillStatus.Draft : BillStatus.Finalized,
            CoversFrom = from, CoversTo = to, CreatedAt = plan.BilledAt, DueAt = plan.BilledAt.AddDays(plan.DueDays),
            ConsumeAmount = consume, Refunds = refunds, Adjustments = adjustments, InitialAmountDue = initial,
            TaxRate = plan.TaxRate, TaxAmount = Money.Round2(Math.Max(0, initial) * plan.TaxRate), Lines = lines,
        };
    }

    /// <summary>The bill with its lines, its deduction and the partner's notice, in one transaction.</summary>
    async Task WriteAsync(PartnerBillPlan plan, PartnerBill bill, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!plan.Draft) await db.PartnerBills.Where(b => b.PartnerAccountId == bill.PartnerAccountId && b.Cycle == bill.Cycle && b.Status == BillStatus.Draft).ExecuteDeleteAsync(ct);
        db.PartnerBills.Add(bill);
        await db.SaveChangesAsync(ct);
        if (!plan.Draft)
        {
            var deducted = await SettleFromBalanceAsync(bill, ct);
            // The partner hears of its bill in the transaction that makes it, like every change it cares about.
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = bill.PartnerAccountId, CustomerAccountId = bill.PartnerAccountId, Kind = NoticeKind, CreatedAt = now,
                Message = $"Your {bill.Cycle} bill {bill.Id} is out: {Money.Round2(bill.InitialAmountDue):0.00} USD, {deducted:0.00} USD deducted from your balance, " +
                          $"{Money.Round2(Math.Max(0, bill.InitialAmountDue) - deducted):0.00} USD due by {bill.DueAt:yyyy-MM-dd}.",
            });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The kind of the notice a partner gets when its bill is finalized.</summary>
    public const string NoticeKind = "bill.finalized";

    /// <summary>
    /// The bill is deducted from the partner's balance as far as it goes (the rest is the amount due); a credit bill
    /// (refunds above consumption) is paid into the balance, so no bill is left owing the partner. Answers what was deducted.
    /// </summary>
    async Task<decimal> SettleFromBalanceAsync(PartnerBill bill, CancellationToken ct)
    {
        var partner = bill.PartnerAccountId;
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        if (bill.InitialAmountDue < 0)
        {
            await ledger.PostAsync($"billcredit:{bill.Id}", "BillCredit", bill.Id, $"Credit of the {bill.Cycle} bill", "system",
                [new Movement(LedgerBook.PayableOf(partner), LedgerBook.PartnerBalanceOf(partner), -bill.InitialAmountDue)], ct);
            return 0;
        }
        var balance = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PartnerBalanceOf(partner)).Select(a => a.Balance).SingleAsync(ct);
        var deduct = Math.Min(balance, bill.InitialAmountDue);
        if (deduct <= 0) return 0;
        var entry = $"deduct:{bill.Id}";
        await ledger.PostAsync(entry, "BillDeduction", bill.Id, $"The {bill.Cycle} bill deducted from the balance", "system",
            [new Movement(LedgerBook.PartnerBalanceOf(partner), LedgerBook.PayableOf(partner), deduct)], ct);
        await db.PartnerBills.Where(b => b.Id == bill.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.Deducted, deduct).SetProperty(b => b.Paid, deduct), ct);
        db.BillPayments.Add(new BillPayment
        {
            Id = entry, BillId = bill.Id, PartnerAccountId = partner, Amount = deduct, Method = BillPaymentMethods.Balance, SourceId = bill.Id,
            CreatedBy = "system", CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return deduct;
    }

    static string LineKind(string entryKind, int? orderType) => entryKind switch
    {
        "UsageCharge" => BillLineKinds.PayPerUse,
        "Refund" => BillLineKinds.Refund,
        "PartnerAdjustment" => BillLineKinds.Adjustment,
        _ => orderType == OrderType.Renewal ? BillLineKinds.Renewal : BillLineKinds.OrderPayment,
    };
}
