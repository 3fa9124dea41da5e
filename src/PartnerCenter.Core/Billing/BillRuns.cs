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
/// bill, lines and the deduction from its balance commit together), so a run killed midway and
/// started again skips the partners already billed and makes the same bills once. A draft run computes the same bills
/// without touching the ledger and replaces the cycle's earlier drafts; finalized bills never change. Partners are
/// billed concurrently, each in its own scope (context, connection, transaction); SQLite has one writer, so there only
/// the reading overlaps and the bills are written one at a time.
/// </summary>
public sealed class BillRuns(AppDbContext db, IServiceScopeFactory scopes, PartnerFunds funds, TimeProvider clock, SandboxClock sandboxClock, BillRunOptions options,
    ILogger<BillRuns> log)
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

        var status = draft ? BillStatus.Draft : BillStatus.Finalized;
        var billed = (await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycleText && b.Status == status).Select(b => b.PartnerAccountId).ToListAsync(ct)).ToHashSet();
        // What every partner's bill needs besides its postings, read once for the run rather than once per partner: where
        // its last finalized bill ended, its country's tax rate, the due days.
        var settings = await db.BillingSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new BillingSettings();
        var taxes = await db.TaxRates.AsNoTracking().ToDictionaryAsync(t => t.Country, t => t.Rate, ct);
        var billedTo = await db.PartnerBills.AsNoTracking().Where(b => b.Status == BillStatus.Finalized)
            .GroupBy(b => b.PartnerAccountId).Select(g => new { Partner = g.Key, To = g.Max(b => b.CoversTo) }).ToDictionaryAsync(x => x.Partner, x => x.To, ct);
        var countries = await db.Accounts.AsNoTracking().Where(a => db.LedgerAccounts.Any(l => l.Kind == LedgerAccountKind.PartnerPayable && l.OwnerAccountId == a.Id))
            .Select(a => new { a.Id, a.Country }).ToDictionaryAsync(a => a.Id, a => a.Country, ct);

        var done = billed.Count;
        // SQLite takes one writer at a time: bills are written behind this gate while other partners' postings are read.
        using var writer = db.Database.IsSqlite() ? new SemaphoreSlim(1) : null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.PartnersAtOnce, CancellationToken = ct };
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var reporter = ReportProgressAsync(run.Id, () => Volatile.Read(ref done), stop.Token);
            try
            {
                await Parallel.ForEachAsync(partners.Where(p => !billed.Contains(p)), parallel, async (partner, token) =>
                {
                    var rate = countries.GetValueOrDefault(partner) is { } country && taxes.TryGetValue(country, out var r) ? r : 0m;
                    var plan = new PartnerBillPlan(partner, cycle, draft, billedTo.GetValueOrDefault(partner, Beginning), at, settings.DueDays, rate);
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<PartnerBillMaker>().BillAsync(plan, writer, token);
                    var count = Interlocked.Increment(ref done);
                    if (count % 100 == 0 || count == partners.Count)
                        log.LogInformation("Bill run {Cycle} ({Kind}): {Done}/{Total} partners", cycleText, draft ? "draft" : "final", count, partners.Count);
                });
            }
            finally
            {
                await stop.CancelAsync();
                await reporter;
            }
        }
        await SetProgressAsync(db, run.Id, done, ct);

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

    /// <summary>
    /// The run's progress (partners done), written once a second while partners are billed rather than in each partner's
    /// transaction: one row updated by every partner's transaction made their commits wait for one another. The bills
    /// themselves are what a resumed run goes by; this is what the operator and the log watch.
    /// </summary>
    async Task ReportProgressAsync(string runId, Func<int> done, CancellationToken ct)
    {
        // The machine's clock, not the business one: a sandbox jump must not fire it, and a simulation's fake clock never does.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), sandboxClock.RealTime);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await using var scope = scopes.CreateAsyncScope();
                await SetProgressAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), runId, done(), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    Task SetProgressAsync(AppDbContext context, string runId, int done, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return context.BillRuns.Where(r => r.Id == runId && r.PartnersDone < done)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.PartnersDone, done).SetProperty(r => r.UpdatedAt, now), ct);
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

/// <summary>
/// How many partners a bill run bills at once. Twice the cores by default: a partner waiting for its commit or a round
/// trip leaves the core to another partner's reading. The seeded simulation bills one at a time, so that a fault
/// injected at the k-th database command lands on the same command in every replay.
/// </summary>
public sealed record BillRunOptions(int PartnersAtOnce)
{
    public static BillRunOptions Default => new(2 * Environment.ProcessorCount);
}
