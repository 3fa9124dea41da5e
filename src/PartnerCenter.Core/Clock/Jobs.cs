using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Clock;

public enum JobRunStatus { Running, Completed }

/// <summary>One period of one job: its row is the claim that lets exactly one instance run that period, once.</summary>
public sealed class JobRun
{
    public required string JobName { get; init; }
    /// <summary>The scheduled instant this run is for (UTC).</summary>
    public DateTime Period { get; init; }
    public JobRunStatus Status { get; set; }
    public required string Owner { get; set; }
    public DateTime StartedAt { get; set; }
    /// <summary>
    /// Until when the owner holds the period, in real time (never business time: a sandbox clock advanced by days must
    /// not leave a crashed run's period held for days); after that a crashed run is taken over and resumed.
    /// </summary>
    public DateTime LeaseUntil { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>How many runs of this period failed; the period is retried when its lease ends.</summary>
    public int Failures { get; set; }
    /// <summary>What the last failed run said (the exception's kind and message), for the operator's console.</summary>
    public string? LastError { get; set; }
    /// <summary>When (real time) the last run failed.</summary>
    public DateTime? LastFailedAt { get; set; }
}

/// <summary>
/// A scheduled job. <see cref="RunAsync"/> must be idempotent for its period: after a crash the period is run again
/// and must finish the work exactly once.
/// </summary>
public interface IScheduledJob
{
    string Name { get; }
    /// <summary>The first scheduled instant strictly after <paramref name="instant"/>.</summary>
    DateTime NextAfter(DateTime instant);
    Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct);
}

/// <summary>
/// A job most of whose periods can have nothing to do (the hourly rating through hours without usage, as in a sandbox
/// clock's catch-up or the demo's history). When several of its periods are due in a row, the runner asks it, in one
/// transaction, which of them from the first on are idle, and completes those at once instead of one claim, run and
/// completion each. The records are the same as if each had run; the transaction makes the batch all or nothing.
/// </summary>
public interface IIdlePeriodsJob : IScheduledJob
{
    /// <summary>
    /// Inside the runner's transaction: counts how many of <paramref name="periods"/> (due in a row, unclaimed, in order)
    /// have nothing to do, from the first up to the first that has work, and adds to <paramref name="db"/> for each of them
    /// what running it would have written. The runner saves that with their completed <see cref="JobRun"/> rows.
    /// </summary>
    Task<int> CompleteIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct);
}

/// <summary>
/// Thrown by a job whose period cannot run yet because work it depends on is unfinished (the bill run waiting for a
/// rating hour): not a failure. The period stays claimed here and is tried again on the next tick.
/// </summary>
public sealed class JobNotReadyException(string reason) : Exception(reason);

/// <summary>Common schedules.</summary>
public static class Schedules
{
    public static DateTime HourlyAfter(DateTime t) => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);

    public static DateTime DailyAfter(DateTime t, TimeSpan at)
    {
        var today = new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc) + at;
        return today > t ? today : today.AddDays(1);
    }

    public static DateTime MonthlyAfter(DateTime t, int day, TimeSpan at)
    {
        var thisMonth = new DateTime(t.Year, t.Month, day, 0, 0, 0, DateTimeKind.Utc) + at;
        return thisMonth > t ? thisMonth : thisMonth.AddMonths(1);
    }
}

public sealed record JobRunResult(string Job, DateTime Period);

/// <summary>A job as the operator sees it: its last completed period, the next one due, and its periods not completed.</summary>
public sealed record JobStatus(string Job, DateTime? LastPeriod, DateTime? LastCompletedAt, DateTime NextPeriod, IReadOnlyList<JobRun> Unfinished);

/// <summary>
/// Runs every due period of every job in time order. A period is claimed by inserting its <see cref="JobRun"/> row,
/// so two instances over one database never both run it; a claim whose lease ran out (a crash) is taken over. The lease
/// is short and in real time, renewed while the run is alive, so a crashed instance's period is retaken within a minute.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, IEnumerable<IScheduledJob> jobs, SandboxClock clock, ILogger<JobRunner> log)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);
    readonly string owner = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
    readonly SemaphoreSlim oneAtATime = new(1, 1);

    /// <summary>Runs every period due up to <paramref name="now"/>; returns what ran here.</summary>
    public async Task<IReadOnlyList<JobRunResult>> RunDueAsync(DateTime now, CancellationToken ct = default)
    {
        await oneAtATime.WaitAsync(ct);
        try
        {
            var ran = new List<JobRunResult>();
            var due = await DuePeriodsAsync(now, ct);
            // A job's periods run in order: while one is held elsewhere (another instance, or a crashed one's lease), its
            // later periods wait for the next tick rather than run before it (renewals and expiry depend on the order).
            var waiting = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (job, periods) in InRows(due.OrderBy(d => d.Period).ThenBy(d => d.Job.Name, StringComparer.Ordinal)))
                if (!waiting.Contains(job.Name) && !await RunInOrderAsync(job, periods, now, ran, ct)) waiting.Add(job.Name);
            return ran;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>The due periods in their order, each row of consecutive periods of one job together.</summary>
    static IEnumerable<(IScheduledJob Job, List<DateTime> Periods)> InRows(IEnumerable<(IScheduledJob Job, DateTime Period)> ordered)
    {
        (IScheduledJob Job, List<DateTime> Periods)? row = null;
        foreach (var (job, period) in ordered)
        {
            if (row is { } r && r.Job == job) { r.Periods.Add(period); continue; }
            if (row is { } done) yield return done;
            row = (job, [period]);
        }
        if (row is { } last) yield return last;
    }

    /// <summary>At most this many idle periods are completed in one transaction (a sandbox clock jump of months is thousands).</summary>
    const int IdleBatch = 1000;

    /// <summary>
    /// Runs a job's consecutive due periods in order, those a <see cref="IIdlePeriodsJob"/> finds idle in batches, the others
    /// one by one; adds what ran to <paramref name="ran"/>. False when a period could not run here (the rest must wait).
    /// </summary>
    async Task<bool> RunInOrderAsync(IScheduledJob job, List<DateTime> periods, DateTime now, List<JobRunResult> ran, CancellationToken ct)
    {
        for (var i = 0; i < periods.Count;)
        {
            // A single due period (a live server's hourly tick) runs as it always did: a batch would only add a transaction.
            if (job is IIdlePeriodsJob idleJob && periods.Count - i >= 2)
            {
                var batch = periods.GetRange(i, Math.Min(IdleBatch, periods.Count - i));
                var completed = await CompleteIdleAsync(idleJob, batch, now, ct);
                ran.AddRange(batch.Take(completed).Select(p => new JobRunResult(job.Name, p)));
                i += completed;
                if (completed == batch.Count) continue;
            }
            if (!await RunPeriodAsync(job, periods[i], now, ct)) return false;
            ran.Add(new JobRunResult(job.Name, periods[i]));
            i++;
        }
        return true;
    }

    /// <summary>
    /// Completes the idle periods at the start of <paramref name="periods"/> in one transaction: the job writes each one's
    /// records and each gets its completed <see cref="JobRun"/> row. Periods already claimed (a crashed run, another
    /// instance) end the batch and go the usual way. Returns how many were completed.
    /// </summary>
    async Task<int> CompleteIdleAsync(IIdlePeriodsJob job, List<DateTime> periods, DateTime now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (first, last) = (periods[0], periods[^1]);
        var claimed = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name && r.Period >= first && r.Period <= last)
            .Select(r => (DateTime?)r.Period).MinAsync(ct);
        var unclaimed = claimed is { } c ? periods.TakeWhile(p => p < c).ToList() : periods;
        if (unclaimed.Count == 0) return 0;
        var idle = await job.CompleteIdleAsync(unclaimed, db, ct);
        if (idle == 0) return 0;
        var lease = RealNow + Lease;
        db.JobRuns.AddRange(unclaimed.Take(idle).Select(p => new JobRun
        {
            JobName = job.Name, Period = p, Status = JobRunStatus.Completed, Owner = owner, StartedAt = now, LeaseUntil = lease, CompletedAt = now,
        }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return 0; // another instance claimed one of them meanwhile: nothing of the batch stays, the periods go one by one
        }
        await tx.CommitAsync(ct);
        var each = System.Diagnostics.Stopwatch.GetElapsedTime(started) / idle;
        for (var i = 0; i < idle; i++) CoreMetrics.JobRan(job.Name, completed: true, each);
        log.LogDebug("Completed {Count} idle periods of job {Job} from {First:o}", idle, job.Name, first);
        return idle;
    }

    async Task<List<(IScheduledJob Job, DateTime Period)>> DuePeriodsAsync(DateTime now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var epoch = (await db.ClockStates.AsNoTracking().SingleOrDefaultAsync(ct))?.JobsEpoch ?? now;
        var due = new List<(IScheduledJob, DateTime)>();
        foreach (var job in jobs)
        {
            var completed = await db.JobRuns.AsNoTracking()
                .Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Completed)
                .Select(r => (DateTime?)r.Period).MaxAsync(ct);
            var unfinished = await db.JobRuns.AsNoTracking()
                .Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Running)
                .Select(r => r.Period).ToListAsync(ct);
            due.AddRange(unfinished.Select(p => (job, p)));
            for (var p = job.NextAfter(completed ?? epoch); p <= now; p = job.NextAfter(p))
                if (!unfinished.Contains(p)) due.Add((job, p));
        }
        return due;
    }

    async Task<bool> RunPeriodAsync(IScheduledJob job, DateTime period, DateTime now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!await ClaimAsync(db, job.Name, period, now, ct)) return false;

        log.LogDebug("Running job {Job} for period {Period:o}", job.Name, period);
        db.ChangeTracker.Clear();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var alive = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var renewing = RenewLeaseAsync(job.Name, period, alive.Token);
            try
            {
                await job.RunAsync(period, db, ct);
            }
            catch (JobNotReadyException wait)
            {
                log.LogInformation("Job {Job} for period {Period:o} waits: {Reason}", job.Name, period, wait.Message);
                return false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CoreMetrics.JobRan(job.Name, completed: false, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                await RecordFailureAsync(job.Name, period, e);
                throw;
            }
            finally
            {
                await alive.CancelAsync();
                await renewing;
            }
        }
        CoreMetrics.JobRan(job.Name, completed: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        db.ChangeTracker.Clear();
        await db.JobRuns.Where(r => r.JobName == job.Name && r.Period == period && r.Owner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Completed).SetProperty(r => r.CompletedAt, now), ct);
        return true;
    }

    DateTime RealNow => clock.RealTime.GetUtcNow().UtcDateTime;

    /// <summary>Notes a failed run on its period's row, on a connection of its own (the run's transaction is lost).</summary>
    async Task RecordFailureAsync(string jobName, DateTime period, Exception e)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var what = $"{e.GetType().Name}: {e.Message}";
            what = what.Length <= 500 ? what : what[..500];
            await db.JobRuns.Where(r => r.JobName == jobName && r.Period == period && r.Owner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Failures, r => r.Failures + 1).SetProperty(r => r.LastError, what).SetProperty(r => r.LastFailedAt, RealNow));
        }
        catch (Exception inner)
        {
            log.LogWarning(inner, "Could not record the failure of {Job} {Period:o}", jobName, period);
        }
    }

    /// <summary>Every job with its last completed period and the periods not completed (running, or failed and waiting to be retried).</summary>
    public async Task<IReadOnlyList<JobStatus>> StatusAsync(Caller caller, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.NoPermission("jobs:status"));
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var statuses = new List<JobStatus>();
        foreach (var job in jobs.OrderBy(j => j.Name, StringComparer.Ordinal))
        {
            var last = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Completed)
                .OrderByDescending(r => r.Period).FirstOrDefaultAsync(ct);
            var open = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Running)
                .OrderBy(r => r.Period).Take(50).ToListAsync(ct);
            statuses.Add(new JobStatus(job.Name, last?.Period, last?.CompletedAt, job.NextAfter(last?.Period ?? clock.GetUtcNow().UtcDateTime), open));
        }
        return statuses;
    }

    /// <summary>Keeps the claim while the run is alive, on a connection of its own (a run can outlast one lease).</summary>
    async Task RenewLeaseAsync(string jobName, DateTime period, CancellationToken alive)
    {
        try
        {
            using var timer = new PeriodicTimer(Renewal, clock.RealTime);
            while (await timer.WaitForNextTickAsync(alive))
            {
                try
                {
                    using var scope = scopes.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    await db.JobRuns.Where(r => r.JobName == jobName && r.Period == period && r.Owner == owner)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, RealNow + Lease), alive);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The run's own transaction may hold the database (SQLite has one writer); the next tick tries again.
                    log.LogDebug(e, "Could not renew the lease of {Job} {Period:o}", jobName, period);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task<bool> ClaimAsync(AppDbContext db, string jobName, DateTime period, DateTime now, CancellationToken ct)
    {
        var existing = await db.JobRuns.SingleOrDefaultAsync(r => r.JobName == jobName && r.Period == period, ct);
        if (existing is null)
        {
            db.JobRuns.Add(new JobRun { JobName = jobName, Period = period, Status = JobRunStatus.Running, Owner = owner, StartedAt = now, LeaseUntil = RealNow + Lease });
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                return false; // another instance claimed it first
            }
        }
        if (existing.Status == JobRunStatus.Completed) return false;
        if (existing.Owner == owner) return true; // our own run died mid-way in this process: resume it
        // Take over an abandoned claim only if it is still the same abandoned claim (a conditional update is the lock).
        var taken = await db.JobRuns
            .Where(r => r.JobName == jobName && r.Period == period && r.Status == JobRunStatus.Running && r.Owner == existing.Owner && r.LeaseUntil < RealNow)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Owner, owner).SetProperty(r => r.LeaseUntil, RealNow + Lease), ct);
        return taken == 1;
    }
}
