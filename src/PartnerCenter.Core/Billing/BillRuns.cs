using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Billing;

/// <summary>
/// The monthly bill run: closes a cycle for every partner with a payable account, one partner per transaction (its
/// bill, lines, the deduction from its balance and the run's progress commit together), so a run killed midway and
/// started again skips the partners already billed and makes the same bills once. A draft run computes the same bills
/// without touching the ledger and replaces the cycle's earlier drafts; finalized bills never change.
/// </summary>
public sealed class BillRuns(AppDbContext db, LedgerBook ledger, PartnerFunds funds, TimeProvider clock, ILogger<BillRuns> log)
{
    /// <summary>Where every partner's first bill starts: movements booked before it belong to that first bill.</summary>
    static readonly DateTime Beginning = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The ledger entry kinds that move a partner's payable for its customers' consumption: each lands in a bill line.</summary>
    public static readonly string[] BillableKinds = ["OrderPayment", "UsageCharge", "Refund", "PartnerAdjustment"];

    /// <summary>
    /// Whether every pay-per-use hour of the cycle is rated and charged: none still running, and the cycle's last hour
    /// (rated by the period at its end; hours run in order) completed, unless the server's jobs began after it. An hour
    /// rated later would book into the cycle after its bill.
    /// </summary>
    async Task<bool> RatingFinishedAsync(BillCycle cycle, CancellationToken ct)
    {
        if (await db.JobRuns.AnyAsync(r => r.JobName == RatingJobName && r.Status == JobRunStatus.Running && r.Period <= cycle.EndUtc, ct)) return false;
        var epoch = (await db.ClockStates.AsNoTracking().SingleOrDefaultAsync(ct))?.JobsEpoch;
        return epoch is null || epoch >= cycle.EndUtc
            || await db.JobRuns.AnyAsync(r => r.JobName == RatingJobName && r.Period == cycle.EndUtc && r.Status == JobRunStatus.Completed, ct);
    }

    /// <summary>The entry kinds that settle bills (deduction, repayment, a credit bill paid into the balance): never billed.</summary>
    public static readonly string[] SettlementKinds = ["BillDeduction", "Repayment", "BillCredit"];

    public const string RatingJobName = "usage.rating";

    /// <summary>
    /// Runs (or resumes) the run of <paramref name="cycle"/>; a draft run replaces the cycle's drafts. Bills are dated
    /// <paramref name="billedAt"/> (the job's period: a run that catches up late still dates its bills the 5th, and
    /// their due dates count from then), now by default.
    /// </summary>
    public async Task<BillRun> RunAsync(BillCycle cycle, bool draft, CancellationToken ct = default, DateTime? billedAt = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var at = billedAt ?? now;
        if (now < cycle.EndUtc) throw new ServiceException(Errors.BillCycleNotClosed(cycle.ToString()));
        var cycleText = cycle.ToString();
        var final = await db.BillRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == BillRun.IdOf(cycle, false), ct);
        if (draft && final is not null) throw new ServiceException(Errors.BillCycleFinalized(cycleText));
        if (final is { CompletedAt: not null }) return final;
        if (!await RatingFinishedAsync(cycle, ct)) throw new ServiceException(Errors.RatingUnfinished(cycleText));

        var partners = await db.LedgerAccounts.AsNoTracking().Where(a => a.Kind == LedgerAccountKind.PartnerPayable)
            .Select(a => a.OwnerAccountId!).OrderBy(a => a).ToListAsync(ct);
        var run = await StartAsync(cycle, draft, partners.Count, now, ct);
        log.LogInformation("Bill run {Cycle} ({Kind}): {Done}/{Total} partners done at start", cycleText, draft ? "draft" : "final", run.PartnersDone, partners.Count);

        var settings = await db.BillingSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new BillingSettings();
        var taxes = await db.TaxRates.AsNoTracking().ToDictionaryAsync(t => t.Country, t => t.Rate, ct);
        var status = draft ? BillStatus.Draft : BillStatus.Finalized;
        var billed = (await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycleText && b.Status == status).Select(b => b.PartnerAccountId).ToListAsync(ct)).ToHashSet();
        var done = billed.Count;
        foreach (var partner in partners)
        {
            if (billed.Contains(partner)) continue; // billed before a restart
            await BillPartnerAsync(run.Id, partner, cycle, draft, at, settings.DueDays, taxes, ct);
            done++;
            if (done % 100 == 0 || done == partners.Count)
                log.LogInformation("Bill run {Cycle} ({Kind}): {Done}/{Total} partners", cycleText, draft ? "draft" : "final", done, partners.Count);
        }

        if (!draft)
        {
            // Partners with a card on file are charged their amount due (after the bills, so a crash between the two
            // cannot skip it: a resumed run comes back here, and each charge is keyed by its bill).
            var due = await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycleText && b.Status == BillStatus.Finalized && b.Paid < b.InitialAmountDue
                && db.PartnerCards.Any(c => c.PartnerAccountId == b.PartnerAccountId)).ToListAsync(ct);
            foreach (var bill in due) await funds.ChargeCardOnFileAsync(bill, ct);
        }
        await db.BillRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletedAt, clock.GetUtcNow().UtcDateTime), ct);
        return await db.BillRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id, ct);
    }

    async Task<BillRun> StartAsync(BillCycle cycle, bool draft, int total, DateTime now, CancellationToken ct)
    {
        var id = BillRun.IdOf(cycle, draft);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (draft)
        {
            // A draft run starts over: the cycle's earlier drafts are replaced.
            await db.PartnerBills.Where(b => b.Cycle == cycle.ToString() && b.Status == BillStatus.Draft).ExecuteDeleteAsync(ct);
            await db.BillRuns.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        }
        var run = await db.BillRuns.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) db.BillRuns.Add(run = new BillRun { Id = id, Cycle = cycle.ToString(), Draft = draft, StartedAt = now });
        (run.PartnersTotal, run.UpdatedAt) = (total, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return run;
    }

    /// <summary>One partner's bill, in one transaction with its lines, its deduction and the run's progress.</summary>
    async Task BillPartnerAsync(string runId, string partner, BillCycle cycle, bool draft, DateTime at, int dueDays, Dictionary<string, decimal> taxes, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var payable = LedgerBook.PayableOf(partner);
        // A bill covers the payable movements booked from the end of the partner's last finalized bill to the end of the
        // cycle, so every movement lands in exactly one bill, also a partner's first after months without one.
        var start = await db.PartnerBills.Where(b => b.PartnerAccountId == partner && b.Status == BillStatus.Finalized)
            .MaxAsync(b => (DateTime?)b.CoversTo, ct) ?? Beginning;
        var to = cycle.EndUtc;
        // The month's payable movements by entry kind and reference, from the postings alone (they carry both): one index
        // range of one partner, whatever the number of customers' hourly charges in it.
        var sums = await db.Postings.AsNoTracking()
            .Where(p => p.AccountId == payable && p.BookedAt >= start && p.BookedAt < to && BillableKinds.Contains(p.Kind))
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
        var country = await db.Accounts.AsNoTracking().Where(a => a.Id == partner).Select(a => a.Country).SingleOrDefaultAsync(ct);
        var rate = country is not null && taxes.TryGetValue(country, out var r) ? r : 0m;
        var initial = consume + refunds + adjustments;
        var bill = new PartnerBill
        {
            Id = id, PartnerAccountId = partner, Cycle = cycle.ToString(), Status = draft ? BillStatus.Draft : BillStatus.Finalized,
            CoversFrom = start, CoversTo = to, CreatedAt = at, DueAt = at.AddDays(dueDays),
            ConsumeAmount = consume, Refunds = refunds, Adjustments = adjustments, InitialAmountDue = initial,
            TaxRate = rate, TaxAmount = Money.Round2(Math.Max(0, initial) * rate), Lines = lines,
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!draft) await db.PartnerBills.Where(b => b.PartnerAccountId == partner && b.Cycle == bill.Cycle && b.Status == BillStatus.Draft).ExecuteDeleteAsync(ct);
        db.PartnerBills.Add(bill);
        await db.SaveChangesAsync(ct);
        if (!draft) await SettleFromBalanceAsync(bill, ct);
        await db.BillRuns.Where(x => x.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(x => x.PartnersDone, x => x.PartnersDone + 1).SetProperty(x => x.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The bill is deducted from the partner's balance as far as it goes (the rest is the amount due); a credit bill
    /// (refunds above consumption) is paid into the balance, so no bill is left owing the partner.
    /// </summary>
    async Task SettleFromBalanceAsync(PartnerBill bill, CancellationToken ct)
    {
        var partner = bill.PartnerAccountId;
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        if (bill.InitialAmountDue < 0)
        {
            await ledger.PostAsync($"billcredit:{bill.Id}", "BillCredit", bill.Id, $"Credit of the {bill.Cycle} bill", "system",
                [new Movement(LedgerBook.PayableOf(partner), LedgerBook.PartnerBalanceOf(partner), -bill.InitialAmountDue)], ct);
            return;
        }
        var balance = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PartnerBalanceOf(partner)).Select(a => a.Balance).SingleAsync(ct);
        var deduct = Math.Min(balance, bill.InitialAmountDue);
        if (deduct <= 0) return;
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
    }

    static string LineKind(string entryKind, int? orderType) => entryKind switch
    {
        "UsageCharge" => BillLineKinds.PayPerUse,
        "Refund" => BillLineKinds.Refund,
        "PartnerAdjustment" => BillLineKinds.Adjustment,
        _ => orderType == OrderType.Renewal ? BillLineKinds.Renewal : BillLineKinds.OrderPayment,
    };

    /// <summary>
    /// The invariant that ties bills to the ledger, per partner: what its finalized bills still have due, plus its
    /// payable movements not yet in a finalized bill, is what its payable says it owes. Empty when it holds.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(AppDbContext db, CancellationToken ct = default)
    {
        var broken = new List<string>();
        var payables = await db.LedgerAccounts.AsNoTracking().Where(a => a.Kind == LedgerAccountKind.PartnerPayable)
            .Select(a => new { Partner = a.OwnerAccountId!, a.Id, a.Balance }).ToListAsync(ct);
        foreach (var p in payables)
        {
            var bills = await db.PartnerBills.AsNoTracking().Where(b => b.PartnerAccountId == p.Partner && b.Status == BillStatus.Finalized)
                .Select(b => new { b.InitialAmountDue, b.Paid, b.CoversTo }).ToListAsync(ct);
            var billedTo = bills.Count == 0 ? Beginning : bills.Max(b => b.CoversTo);
            var due = bills.Sum(b => Math.Max(0, b.InitialAmountDue) - b.Paid);
            var kinds = await (from q in db.Postings where q.AccountId == p.Id
                               group q.Amount by new { q.Kind, Unbilled = q.BookedAt >= billedTo } into g
                               select new { g.Key.Kind, g.Key.Unbilled, Sum = g.Sum() }).ToListAsync(ct);
            foreach (var k in kinds.Where(k => !BillableKinds.Contains(k.Kind) && !SettlementKinds.Contains(k.Kind)))
                broken.Add($"payable {p.Id}: movements of kind {k.Kind}, which no bill line takes");
            var unbilled = -kinds.Where(k => k.Unbilled && BillableKinds.Contains(k.Kind)).Sum(k => k.Sum);
            if (bills.Any(b => b.Paid < 0 || b.Paid > Math.Max(0, b.InitialAmountDue))) broken.Add($"payable {p.Id}: a bill paid below 0 or above its amount");
            if (due + unbilled != -p.Balance)
                broken.Add($"payable {p.Id}: bills due {due} + unbilled {unbilled} != owed {-p.Balance}");
        }
        return broken;
    }
}

/// <summary>
/// On the 5th at 02:00 UTC (10:00 Beijing, before the documented 12:00): the final bill run of the month before. While
/// a rating hour of that month is unfinished the run waits (not a failure), and the job runner tries it on each tick.
/// </summary>
public sealed class PartnerBillRunJob(IServiceScopeFactory scopes) : IScheduledJob
{
    public string Name => "billing.partner-bills";
    public static readonly TimeSpan At = TimeSpan.FromHours(2);

    public DateTime NextAfter(DateTime instant) => PeriodAfter(instant);

    public static DateTime PeriodAfter(DateTime instant) => Schedules.MonthlyAfter(instant, 5, At);

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<BillRuns>().RunAsync(BillCycle.Containing(period).Previous, draft: false, ct, billedAt: period);
        }
        catch (ServiceException e) when (e.Error.Code == Errors.RatingUnfinished("").Code)
        {
            throw new JobNotReadyException(e.Message);
        }
    }
}
