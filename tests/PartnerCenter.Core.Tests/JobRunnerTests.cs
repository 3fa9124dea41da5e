using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

public sealed class JobRunnerTests : IAsyncLifetime
{
    /// <summary>An hourly job that records each period it finishes, and can be told to crash once.</summary>
    sealed class RecordingJob : IScheduledJob
    {
        public readonly ConcurrentQueue<DateTime> Finished = new();
        public int CrashesLeft;
        public string Name => "test.hourly";
        public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

        public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
        {
            if (Interlocked.Decrement(ref CrashesLeft) >= 0) throw new InvalidOperationException("crash mid-period");
            Finished.Enqueue(period);
            return Task.CompletedTask;
        }
    }

    readonly RecordingJob job = new();
    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(s => s.AddSingleton<IScheduledJob>(job));
    public async Task DisposeAsync() => await h.DisposeAsync();

    SandboxClock Clock => h.Services.GetRequiredService<SandboxClock>();

    async Task<ClockAdvanceResult> AdvanceAsync(TimeSpan by) =>
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(OperatorCaller(), (long)by.TotalSeconds, null));

    static Caller OperatorCaller() => new("op", "operator", "op", "operator", true, true);

    [Fact]
    public async Task Advancing_the_clock_runs_every_due_period_once_in_order()
    {
        var start = Clock.GetUtcNow().UtcDateTime;
        var result = await AdvanceAsync(TimeSpan.FromHours(5));
        var periods = job.Finished.ToList();
        Assert.Equal(5, periods.Count);
        Assert.Equal(periods.OrderBy(p => p), periods);
        Assert.Equal(Schedules.HourlyAfter(start), periods[0]);
        Assert.Contains(result.JobsRun, r => r.Job == "test.hourly");

        await h.InScopeAsync(sp => sp.GetRequiredService<JobRunner>().RunDueAsync(Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(5, job.Finished.Count);
    }

    [Fact]
    public async Task A_period_that_crashed_is_resumed_and_finished_exactly_once()
    {
        job.CrashesLeft = 1;
        await Assert.ThrowsAsync<InvalidOperationException>(() => AdvanceAsync(TimeSpan.FromHours(1)));
        Assert.Empty(job.Finished);
        await using (var failed = h.NewDbContext())
        {
            var run = await failed.JobRuns.SingleAsync(r => r.JobName == job.Name && r.Status == JobRunStatus.Running);
            Assert.Equal((1, "InvalidOperationException: crash mid-period"), (run.Failures, run.LastError));
            var status = await h.InScopeAsync(sp => sp.GetRequiredService<JobRunner>().StatusAsync(OperatorCaller()));
            Assert.Equal(run.Period, Assert.Single(status.Single(j => j.Job == job.Name).Unfinished).Period);
        }
        await h.InScopeAsync(sp => sp.GetRequiredService<JobRunner>().RunDueAsync(Clock.GetUtcNow().UtcDateTime));
        Assert.Single(job.Finished);
        await using var db = h.NewDbContext();
        Assert.All(await db.JobRuns.Where(r => r.JobName == job.Name).ToListAsync(), r => Assert.Equal(JobRunStatus.Completed, r.Status));
    }

    /// <summary>A crashed instance claimed the next hour after a sandbox jump of days and died: its row says Running.</summary>
    async Task<DateTime> HeldByACrashedInstanceAsync()
    {
        await AdvanceAsync(TimeSpan.FromDays(2));
        var period = Schedules.HourlyAfter(Clock.GetUtcNow().UtcDateTime);
        await using var db = h.NewDbContext();
        db.JobRuns.Add(new JobRun
        {
            JobName = job.Name, Period = period, Status = JobRunStatus.Running, Owner = "crashed-instance", StartedAt = period,
            LeaseUntil = h.RealTime.GetUtcNow().UtcDateTime + JobRunner.Lease,
        });
        await db.SaveChangesAsync();
        job.Finished.Clear(); // the hours the jump ran
        return period;
    }

    [Fact]
    public async Task A_period_held_by_a_crashed_instance_is_retaken_when_its_real_time_lease_ends_however_far_the_sandbox_clock_moved()
    {
        var period = await HeldByACrashedInstanceAsync();
        var runner = h.Services.GetRequiredService<JobRunner>();
        await runner.RunDueAsync(period);
        Assert.DoesNotContain(period, job.Finished); // still held: the lease has not ended

        h.RealTime.Advance(JobRunner.Lease + TimeSpan.FromSeconds(1)); // well within a minute of real time, no business time passed
        await runner.RunDueAsync(period);
        await runner.RunDueAsync(period);
        Assert.Single(job.Finished, p => p == period);
        await using var check = h.NewDbContext();
        Assert.Equal(JobRunStatus.Completed, (await check.JobRuns.SingleAsync(r => r.JobName == job.Name && r.Period == period)).Status);
    }

    [Fact]
    public async Task Later_periods_wait_for_an_earlier_period_held_elsewhere_so_a_job_runs_in_order()
    {
        var period = await HeldByACrashedInstanceAsync();
        var runner = h.Services.GetRequiredService<JobRunner>();
        await runner.RunDueAsync(period.AddHours(3));
        Assert.Empty(job.Finished);

        h.RealTime.Advance(JobRunner.Lease + TimeSpan.FromSeconds(1));
        await runner.RunDueAsync(period.AddHours(3));
        Assert.Equal([period, period.AddHours(1), period.AddHours(2), period.AddHours(3)], job.Finished);
    }

    [Fact]
    public async Task Two_runners_over_one_database_run_a_period_once()
    {
        // A second runner is another server instance: its own owner id, the same database.
        var second = new JobRunner(h.Services.GetRequiredService<IServiceScopeFactory>(), [job], Clock, NullLogger<JobRunner>.Instance);
        var first = h.Services.GetRequiredService<JobRunner>();
        h.Services.GetRequiredService<SandboxClock>();
        var later = Clock.GetUtcNow().UtcDateTime.AddHours(3);
        await Task.WhenAll(first.RunDueAsync(later), second.RunDueAsync(later));
        Assert.Equal(3, job.Finished.Count);
        Assert.Equal(3, job.Finished.Distinct().Count());
    }

    [Fact]
    public async Task The_sandbox_clock_only_moves_forward_and_only_for_the_operator()
    {
        var backwards = await h.FailsAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(OperatorCaller(), -60, null));
        Assert.Equal(ErrorKind.Validation, backwards.Kind);
        var (owner, _) = await h.NewAccountAsync();
        var notOperator = await h.FailsAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(owner, 60, null));
        Assert.Equal(ErrorKind.Forbidden, notOperator.Kind);
    }

    [Fact]
    public async Task The_clock_offset_survives_a_restart()
    {
        await AdvanceAsync(TimeSpan.FromDays(3));
        var fresh = new SandboxClock(h.RealTime);
        await using var scope = h.Services.CreateAsyncScope();
        var service = new SandboxClockService(scope.ServiceProvider.GetRequiredService<AppDbContext>(), fresh,
            h.Services.GetRequiredService<JobRunner>(), new SandboxOptions(true));
        await service.LoadAsync();
        Assert.Equal(TimeSpan.FromDays(3), fresh.Offset);
    }

    [Fact]
    public async Task The_token_purge_job_deletes_only_expired_tokens()
    {
        var (owner, password) = await h.NewAccountAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<Iam.AuthService>().IssuePasswordTokenAsync(owner.AccountName, owner.UserName, password, new Iam.TokenScope()));
        await AdvanceAsync(TimeSpan.FromDays(2));
        await using var db = h.NewDbContext();
        Assert.Equal(0, await db.Tokens.CountAsync());
    }
}

public class ScheduleTests
{
    static DateTime T(string s) => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    [Theory]
    [InlineData("2026-11-23 02:59:59", "2026-11-23 03:00:00")]
    [InlineData("2026-11-23 03:00:00", "2026-11-24 03:00:00")]
    [InlineData("2026-12-31 23:00:00", "2027-01-01 03:00:00")]
    public void Daily_at_three(string from, string next) => Assert.Equal(T(next), Schedules.DailyAfter(T(from), TimeSpan.FromHours(3)));

    [Theory]
    [InlineData("2026-11-23 10:15:00", "2026-12-01 00:00:00")]
    [InlineData("2026-12-01 00:00:00", "2027-01-01 00:00:00")]
    public void Monthly_on_the_first(string from, string next) => Assert.Equal(T(next), Schedules.MonthlyAfter(T(from), 1, TimeSpan.Zero));
}
