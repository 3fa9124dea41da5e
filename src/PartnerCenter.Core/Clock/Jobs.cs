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
/// A job most of whose periods can have nothing to do (the hourly jobs through the hours of a sandbox clock's catch-up or
/// of the demo's history). When due periods of such jobs span several instants, the runner asks each, in one
/// transaction, which of its periods are idle, and completes every period before the first one with work at once instead
/// of one claim, run and completion each. The records are the same as if each period had run; the transaction makes the
/// batch all or nothing.
/// </summary>
public interface IIdlePeriodsJob : IScheduledJob
{
    /// <summary>
    /// Inside the runner's transaction: how many of <paramref name="periods"/> (due, unclaimed, in order) have nothing to
    /// do, from the first up to the first that has work (as things stand: the periods of the batch change nothing).
    /// </summary>
    Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct);

    /// <summary>Adds to <paramref name="db"/> what a run of each of these idle periods writes; the runner saves it with their completed <see cref="JobRun"/> rows.</summary>
    void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db);
}

/// <summary>
/// Thrown by a job whose period cannot run yet because work it depends on is unfinished (the bill run waiting for a
/// rating hour): not a failure. The period stays claimed here and is tried again on the next tick.
/// </summary>
public sealed class JobNotReadyException(string reason) : Exception(reason);

/// <summary>For <see cref="IIdlePeriodsJob"/>s: their idle periods are those before the first instant their work is due.</summary>
public static class IdlePeriods
{
    /// <summary>How many of <paramref name="periods"/> (in order) come before the earliest of the instants at which work is due (null: none).</summary>
    public static int Before(IReadOnlyList<DateTime> periods, params DateTime?[] workDue)
    {
        var first = workDue.Min() is { } due ? due : DateTime.MaxValue;
        return periods.TakeWhile(p => p < first).Count();
    }
}

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
            var due = (await DuePeriodsAsync(now, ct)).OrderBy(d => d.Period).ThenBy(d => d.Job.Name, StringComparer.Ordinal).ToList();
            // A job's periods run in order: while one is held elsewhere (another instance, or a crashed one's lease), its
            // later periods wait for the next tick rather than run before it (renewals and expiry depend on the order).
            var waiting = new HashSet<string>(StringComparer.Ordinal);
            var batchAfter = DateTime.MinValue; // no batch is tried again at an instant where one found work
            for (var i = 0; i < due.Count;)
            {
                // A catch-up (due periods at two instants or more): the idle stretch ahead is completed at once.
                if (due[i].Period > batchAfter && IdleWindow(due, i, waiting) is var window && window.Any(d => d.Period != window[0].Period))
                {
                    var (completed, work) = await CompleteIdleAsync(window, now, ct);
                    ran.AddRange(window.Take(completed).Select(d => new JobRunResult(d.Job.Name, d.Period)));
                    i += completed;
                    if (completed == window.Count) continue;
                    batchAfter = work;
                }
                var (job, period, _) = due[i++];
                if (waiting.Contains(job.Name)) continue;
                if (await RunPeriodAsync(job, period, now, ct)) ran.Add(new JobRunResult(job.Name, period));
                else waiting.Add(job.Name);
            }
            return ran;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>At most this many idle periods are completed in one transaction (a sandbox clock jump of months is thousands).</summary>
    const int IdleBatch = 3000;

    /// <summary>The due periods from <paramref name="from"/> on that a batch may complete: of idle-capable jobs, unclaimed, none waiting.</summary>
    static List<(IScheduledJob Job, DateTime Period, bool Claimed)> IdleWindow(List<(IScheduledJob Job, DateTime Period, bool Claimed)> due, int from, HashSet<string> waiting) =>
        due.Skip(from).TakeWhile(d => d.Job is IIdlePeriodsJob && !d.Claimed && !waiting.Contains(d.Job.Name)).Take(IdleBatch).ToList();

    /// <summary>
    /// In one transaction, completes the periods of <paramref name="window"/> before the first instant at which a period
    /// has work or is claimed meanwhile (another instance): each job adds its idle periods' records and each period gets
    /// its completed <see cref="JobRun"/> row. Returns how many periods (a prefix of the window) were completed, and the
    /// instant with work where the batch stopped.
    /// </summary>
    async Task<(int Completed, DateTime Work)> CompleteIdleAsync(List<(IScheduledJob Job, DateTime Period, bool Claimed)> window, DateTime now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (first, last) = (window[0].Period, window[^1].Period);
        var names = window.Select(d => d.Job.Name).Distinct().ToList();
        var rows = (await db.JobRuns.AsNoTracking().Where(r => names.Contains(r.JobName) && r.Period >= first && r.Period <= last)
            .Select(r => new { r.JobName, r.Period }).ToListAsync(ct)).Select(r => (r.JobName, r.Period)).ToHashSet();
        var until = window.Where(d => rows.Contains((d.Job.Name, d.Period))).Select(d => d.Period).DefaultIfEmpty(DateTime.MaxValue).Min();
        var jobs = window.Select(d => d.Job).Distinct().Cast<IIdlePeriodsJob>().ToList();
        foreach (var job in jobs)
        {
            var periods = window.Where(d => d.Job == job && d.Period < until).Select(d => d.Period).ToList();
            if (periods.Count == 0) continue;
            var idle = await job.CountIdleAsync(periods, db, ct);
            if (idle < periods.Count) until = periods[idle];
        }
        var completed = window.TakeWhile(d => d.Period < until).ToList();
        if (completed.Count == 0) return (0, until);
        foreach (var job in jobs) job.AddIdleRecords(completed.Where(d => d.Job == job).Select(d => d.Period).ToList(), db);
        var lease = RealNow + Lease;
        db.JobRuns.AddRange(completed.Select(d => new JobRun
        {
            JobName = d.Job.Name, Period = d.Period, Status = JobRunStatus.Completed, Owner = owner, StartedAt = now, LeaseUntil = lease, CompletedAt = now,
        }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return (0, first); // another instance claimed one of them meanwhile: nothing of the batch stays, the periods go one by one
        }
        await tx.CommitAsync(ct);
        var each = System.Diagnostics.Stopwatch.GetElapsedTime(started) / completed.Count;
        foreach (var d in completed) CoreMetrics.JobRan(d.Job.Name, completed: true, each);
        log.LogDebug("Completed {Count} idle periods from {First:o} to {Last:o}", completed.Count, first, completed[^1].Period);
        return (completed.Count, until);
    }

    async Task<List<(IScheduledJob Job, DateTime Period, bool Claimed)>> DuePeriodsAsync(DateTime now, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var epoch = (await db.ClockStates.AsNoTracking().SingleOrDefaultAsync(ct))?.JobsEpoch ?? now;
        var due = new List<(IScheduledJob, DateTime, bool)>();
        foreach (var job in jobs)
        {
            var completed = await db.JobRuns.AsNoTracking()
                .Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Completed)
                .Select(r => (DateTime?)r.Period).MaxAsync(ct);
            var unfinished = await db.JobRuns.AsNoTracking()
                .Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Running)
                .Select(r => r.Period).ToListAsync(ct);
            due.AddRange(unfinished.Select(p => (job, p, true)));
            for (var p = job.NextAfter(completed ?? epoch); p <= now; p = job.NextAfter(p))
                if (!unfinished.Contains(p)) due.Add((job, p, false));
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
