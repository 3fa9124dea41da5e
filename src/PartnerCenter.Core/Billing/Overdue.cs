using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Mail;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Billing;

/// <summary>
/// A partner is overdue while one of its finalized bills is unpaid past its due date: its resale customers cannot buy,
/// renew or pay orders until it is paid (the check is read at the moment of purchase, so paying lifts it at once).
/// </summary>
public static class Overdue
{
    static readonly Func<AppDbContext, string, DateTime, Task<bool>> OverdueQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string partner, DateTime now) => db.PartnerBills.Any(b => b.PartnerAccountId == partner && b.Status == BillStatus.Finalized
            && b.Paid < b.InitialAmountDue && b.DueAt <= now));

    public static Task<bool> IsOverdueAsync(AppDbContext db, string partner, DateTime now) => OverdueQuery(db, partner, now);

    /// <summary>The refusal for a new order of <paramref name="customer"/> when it is a resale customer of an overdue partner; null otherwise.</summary>
    public static async Task<Common.Error?> RefusalForCustomerAsync(AppDbContext db, string customer, DateTime now, CancellationToken ct)
    {
        var partner = await db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == customer && a.AssociationType == AssociationTypes.Resale)
            .Select(a => a.PartnerAccountId).FirstOrDefaultAsync(ct);
        return partner is not null && await IsOverdueAsync(db, partner, now) ? Common.Errors.PartnerOverdue() : null;
    }

    /// <summary>Partners with an overdue bill now, with what they have overdue (the operator's Overdue partners).</summary>
    public static async Task<IReadOnlyList<(string Partner, decimal Overdue, DateTime OldestDueAt)>> PartnersAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var bills = await db.PartnerBills.AsNoTracking().Where(b => b.Status == BillStatus.Finalized && b.Paid < b.InitialAmountDue && b.DueAt <= now)
            .Select(b => new { b.PartnerAccountId, b.InitialAmountDue, b.Paid, b.DueAt }).ToListAsync(ct);
        return bills.GroupBy(b => b.PartnerAccountId)
            .Select(g => (g.Key, g.Sum(b => b.InitialAmountDue - b.Paid), g.Min(b => b.DueAt)))
            .OrderBy(x => x.Item3).ToList();
    }
}

/// <summary>
/// Daily at 16:00 UTC (midnight in Beijing): tells each partner once that a bill became overdue, in its console and
/// by e-mail through the outbox, in the transaction that marks the bill notified.
/// </summary>
public sealed class OverdueNoticeJob(ILogger<OverdueNoticeJob> log) : IIdlePeriodsJob
{
    public string Name => "billing.overdue-notices";

    public DateTime NextAfter(DateTime instant) => Schedules.DailyAfter(instant, TimeSpan.FromHours(16));

    static IQueryable<PartnerBill> Unannounced(AppDbContext db) =>
        db.PartnerBills.AsNoTracking().Where(b => b.Status == BillStatus.Finalized && b.Paid < b.InitialAmountDue && b.OverdueNotifiedAt == null);

    /// <summary>A period is idle until the first unpaid bill not yet announced falls due.</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct) =>
        IdlePeriods.Before(periods, await Unannounced(db).MinAsync(b => (DateTime?)b.DueAt, ct));

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        var bills = await Unannounced(db).Where(b => b.DueAt <= period).OrderBy(b => b.Cycle).ToListAsync(ct);
        foreach (var bill in bills)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The conditional update is the claim: a bill is announced once, whichever run gets there.
            if (await db.PartnerBills.Where(b => b.Id == bill.Id && b.OverdueNotifiedAt == null).ExecuteUpdateAsync(s => s.SetProperty(b => b.OverdueNotifiedAt, period), ct) == 0)
                continue;
            var message = $"Your {bill.Cycle} bill is overdue: {bill.AmountDue:0.00} USD was due on {bill.DueAt:yyyy-MM-dd}. " +
                          "Your resale customers cannot buy or renew until it is repaid (Partner Bills > Amount Due > Repay).";
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = bill.PartnerAccountId, CustomerAccountId = bill.PartnerAccountId, Kind = "bill.overdue", Message = message, CreatedAt = period,
            });
            if (await db.Accounts.AsNoTracking().Where(a => a.Id == bill.PartnerAccountId).Select(a => a.Email).SingleOrDefaultAsync(ct) is { } email)
                db.OutboxMessages.Add(new OutboxMessage { To = email, Subject = $"Your {bill.Cycle} partner bill is overdue", Body = message, CreatedAt = period });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            log.LogInformation("Partner {Partner} notified: the {Cycle} bill is overdue", bill.PartnerAccountId, bill.Cycle);
        }
    }
}
