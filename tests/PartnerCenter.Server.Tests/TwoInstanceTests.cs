using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Data;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Two server instances over one database: a job period runs on exactly one of them, once.</summary>
public sealed class TwoInstanceTests(TwoInstanceTests.Cluster s) : IClassFixture<TwoInstanceTests.Cluster>
{
    /// <summary>An hourly job that records which periods ran; shared by both instances of this process.</summary>
    public sealed class CountingJob : IScheduledJob
    {
        public static readonly ConcurrentBag<DateTime> Runs = [];
        public string Name => "test.counting";
        public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

        public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
        {
            await Task.Delay(50, ct); // long enough for the other instance to try the same period meanwhile
            Runs.Add(period);
        }
    }

    public sealed class Cluster : ServerFixture
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IScheduledJob, CountingJob>();
    }

    [Fact]
    public async Task A_job_period_runs_once_across_two_instances()
    {
        await using var second = await s.StartSecondInstanceAsync();
        var secondServices = ((ServerFixture.Factory)second).Services;
        var later = s.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddHours(6);

        var one = s.Services.GetRequiredService<JobRunner>().RunDueAsync(later);
        var two = secondServices.GetRequiredService<JobRunner>().RunDueAsync(later);
        var ran = (await one).Concat(await two).Where(r => r.Job == "test.counting").ToList();

        Assert.Equal(6, CountingJob.Runs.Count);
        Assert.Equal(6, CountingJob.Runs.Distinct().Count());
        Assert.Equal(6, ran.Count);
    }
}
