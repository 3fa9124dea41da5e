using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// Job periods with nothing to do (an hour without usage, nothing owed, no deadline or expiry reached) are completed by
/// the job runner in batches, one transaction each: every period must still be completed once with its records, as if
/// it had run alone, and work due inside a long jump must still happen at its own period.
/// </summary>
public sealed class IdleJobPeriodsTests : IAsyncLifetime
{
    const string Rating = "usage.rating";
    static readonly NewOrderLine Vm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, null, null, 1, ChargeMode.OnDemand);

    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    /// <summary>Business time moves on (with real time) without running any job, as between two ticks of the server.</summary>
    void TimePassesWithoutJobs(TimeSpan by) => h.RealTime.Advance(by);

    static List<DateTime> Hours(DateTime first, int count) => Enumerable.Range(0, count).Select(i => first.AddHours(i)).ToList();

    /// <summary>Asserts that each of <paramref name="hours"/> has one completed rating run and one rating record, and returns the records.</summary>
    async Task<Dictionary<DateTime, UsageRatingPeriod>> AssertEachRatedOnceAsync(List<DateTime> hours)
    {
        await using var db = h.NewDbContext();
        var (first, last) = (hours[0], hours[^1]);
        var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobName == Rating && r.Period >= first && r.Period <= last).ToListAsync();
        Assert.Equal(hours, runs.Select(r => r.Period).Order());
        Assert.All(runs, r => Assert.Equal(JobRunStatus.Completed, r.Status));
        var rated = await db.UsageRatingPeriods.AsNoTracking().Where(p => p.Period >= first && p.Period <= last).ToListAsync();
        Assert.Equal(hours, rated.Select(p => p.Period).Order());
        return rated.ToDictionary(p => p.Period);
    }

    [Fact]
    public async Task A_run_of_hours_without_usage_completes_every_period_once_with_its_rating_record()
    {
        var first = Schedules.HourlyAfter(Now);
        await AdvanceAsync(TimeSpan.FromDays(3));
        var rated = await AssertEachRatedOnceAsync(Hours(first, 72));
        Assert.All(rated.Values, p => Assert.Equal((0, 0), (p.Records, p.Fees)));

        await h.InScopeAsync(sp => sp.GetRequiredService<JobRunner>().RunDueAsync(Now)); // nothing left to run
        await AssertEachRatedOnceAsync(Hours(first, 72));
    }

    [Fact]
    public async Task An_hour_with_usage_among_idle_hours_is_rated_and_charged_while_the_hours_around_it_are_only_marked_rated()
    {
        var (customer, _) = await h.NewAccountAsync("idle");
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.AccountId, 10m, "test funds", Ids.New()));
        var order = await h.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(customer, new NewOrder(null, [Vm], Ids.New())));
        var vm = order.Lines[0].ResourceId;
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var first = Schedules.HourlyAfter(Now);

        // Five hours pass without a tick; a meter reports three hours of the VM, which the sixth hour's run rates.
        TimePassesWithoutJobs(TimeSpan.FromHours(5));
        var hour = new DateTime(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, DateTimeKind.Utc);
        await h.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(op,
            [.. Enumerable.Range(1, 3).Select(i => new UsageRecordInput(Ids.New(), vm, "Duration", 1m, 4, hour.AddHours(-i), hour.AddHours(-i + 1)))]));
        var withUsage = first.AddHours(5);
        await AdvanceAsync(TimeSpan.FromHours(10));

        var rated = await AssertEachRatedOnceAsync(Hours(first, 15));
        Assert.Equal((3, 3), (rated[withUsage].Records, rated[withUsage].Fees));
        Assert.All(rated.Values.Where(p => p.Period != withUsage), p => Assert.Equal((0, 0), (p.Records, p.Fees)));
        await using var db = h.NewDbContext();
        var fees = (await UsageFees.ListAsync(db, db.UsageFeeHours)).Where(f => f.ResourceId == vm).ToList();
        Assert.Equal(3, fees.Count);
        Assert.All(fees, f => Assert.Equal(withUsage, f.RatingPeriod));
        var charged = Math.Truncate(fees.Sum(f => f.Amount) * 100) / 100;
        Assert.True(charged > 0);
        var balances = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesOfAsync(customer.AccountId));
        Assert.Equal(10m - charged, balances.Cash);
        await h.AssertLedgerSoundAsync();
    }

    /// <summary>The rating job, dying once inside a batch of idle hours after its records reached the database, before the commit.</summary>
    sealed class DyingInABatch(UsageRatingJob rating) : IIdlePeriodsJob
    {
        public bool Died;
        public string Name => rating.Name;
        public DateTime NextAfter(DateTime instant) => rating.NextAfter(instant);
        public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) => rating.RunAsync(period, db, ct);

        public Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct) => rating.CountIdleAsync(periods, db, ct);

        public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db)
        {
            rating.AddIdleRecords(periods, db);
            if (Died) return;
            Died = true;
            db.SaveChanges();
            throw new InvalidOperationException("killed mid-batch");
        }
    }

    [Fact]
    public async Task A_crash_inside_a_batch_of_idle_hours_leaves_none_of_it_and_the_next_run_completes_every_period_once()
    {
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var first = Schedules.HourlyAfter(Now);
        TimePassesWithoutJobs(TimeSpan.FromHours(30));
        var dying = new DyingInABatch(h.Services.GetServices<IScheduledJob>().OfType<UsageRatingJob>().Single());
        var runner = new JobRunner(h.Services.GetRequiredService<IServiceScopeFactory>(), [dying], h.Services.GetRequiredService<SandboxClock>(), NullLogger<JobRunner>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunDueAsync(Now));
        await using (var db = h.NewDbContext())
        {
            Assert.False(await db.JobRuns.AnyAsync(r => r.JobName == Rating && r.Period >= first));
            Assert.False(await db.UsageRatingPeriods.AnyAsync(p => p.Period >= first));
        }

        // A restarted instance is another runner over the same database.
        var restarted = new JobRunner(h.Services.GetRequiredService<IServiceScopeFactory>(), [dying], h.Services.GetRequiredService<SandboxClock>(), NullLogger<JobRunner>.Instance);
        await restarted.RunDueAsync(Now);
        await AssertEachRatedOnceAsync(Hours(first, 30));
    }

    [Fact]
    public async Task An_idle_hour_claimed_by_a_crashed_run_ends_the_batch_and_is_retaken_when_its_lease_ends_and_the_rest_follow_in_order()
    {
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var first = Schedules.HourlyAfter(Now);
        var held = first.AddHours(4);
        TimePassesWithoutJobs(TimeSpan.FromHours(12));
        await using (var db = h.NewDbContext())
        {
            db.JobRuns.Add(new JobRun
            {
                JobName = Rating, Period = held, Status = JobRunStatus.Running, Owner = "crashed-instance", StartedAt = held,
                LeaseUntil = h.RealTime.GetUtcNow().UtcDateTime + JobRunner.Lease,
            });
            await db.SaveChangesAsync();
        }
        var runner = h.Services.GetRequiredService<JobRunner>();
        await runner.RunDueAsync(Now);
        await AssertEachRatedOnceAsync(Hours(first, 4));
        await using (var db = h.NewDbContext())
            Assert.False(await db.UsageRatingPeriods.AnyAsync(p => p.Period >= held)); // the later hours wait for the held one

        h.RealTime.Advance(JobRunner.Lease + TimeSpan.FromSeconds(1));
        await runner.RunDueAsync(Now);
        await AssertEachRatedOnceAsync(Hours(first, 12));
    }

    [Fact]
    public async Task Two_runners_over_one_database_complete_a_run_of_idle_hours_once()
    {
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var first = Schedules.HourlyAfter(Now);
        TimePassesWithoutJobs(TimeSpan.FromHours(48));
        var jobs = h.Services.GetServices<IScheduledJob>().ToList();
        var second = new JobRunner(h.Services.GetRequiredService<IServiceScopeFactory>(), jobs, h.Services.GetRequiredService<SandboxClock>(), NullLogger<JobRunner>.Instance);
        var results = await Task.WhenAll(h.Services.GetRequiredService<JobRunner>().RunDueAsync(Now), second.RunDueAsync(Now));
        await AssertEachRatedOnceAsync(Hours(first, 48));
        var ran = results.SelectMany(r => r).Where(r => r.Job == Rating).Select(r => r.Period).ToList();
        Assert.Equal(Hours(first, 48), ran.Order()); // each period reported by the one runner that completed it
    }

    [Fact]
    public async Task A_payment_deadline_inside_a_jump_of_days_cancels_its_order_at_the_first_period_after_it()
    {
        var (customer, _) = await h.NewAccountAsync("deadline");
        var line = new NewOrderLine("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, 1);
        var order = await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(customer, new NewOrder(null, [line], Ids.New())));
        await AdvanceAsync(TimeSpan.FromDays(10));

        await using var db = h.NewDbContext();
        var cancelled = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(Schedules.HourlyAfter(cancelled.PaymentDeadline.AddTicks(-1)), cancelled.CancelledAt);
        var deadlineRuns = await db.JobRuns.AsNoTracking().CountAsync(r => r.JobName == "orders.payment-deadline" && r.Status == JobRunStatus.Completed);
        Assert.Equal(10 * 24, deadlineRuns);
    }
}
