using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Demo;

/// <summary>
/// When the demo's history happens: it starts two days before the end of the month whose bill was made three bill runs
/// ago, so that by the real now three monthly bill runs (the 5th of each month) lie behind it. Every hour of it costs
/// one run of the hourly rating job, so it is no longer than three runs need. All of it is in the past
/// of the server's business clock, which the demo leaves where it found it.
/// </summary>
public sealed record DemoTimeline(DateTime Start, IReadOnlyList<DateTime> BillRuns, DateTime End)
{
    public const int Runs = 3;

    public static DemoTimeline Plan(DateTime now)
    {
        // The last bill run period at or before now: the 5th at its hour, this month or the month before.
        var last = PartnerBillRunJob.PeriodAfter(now.AddMonths(-1).AddDays(-1));
        while (PartnerBillRunJob.PeriodAfter(last) <= now) last = PartnerBillRunJob.PeriodAfter(last);
        var runs = Enumerable.Range(0, Runs).Select(i => last.AddMonths(i - (Runs - 1))).ToList();
        var start = BillCycle.Containing(runs[0]).Previous.EndUtc.AddDays(-2);
        return new DemoTimeline(start, runs, now);
    }
}

/// <summary>
/// Moves the business clock for the demo's history: first back to the history's start (and the job schedule with it, so
/// every job period from there on runs), then forward step by step, running every due job period on the way as the
/// sandbox clock's advance does. The last step sets the offset back to zero.
/// </summary>
public sealed class DemoTimeTravel(AppDbContext db, SandboxClock clock, JobRunner runner)
{
    /// <summary>On a new data dir only: business time and the jobs' schedule start at <paramref name="start"/>.</summary>
    public async Task StartAtAsync(DateTime start, CancellationToken ct)
    {
        var offset = OffsetTo(start);
        await db.ClockStates.ExecuteUpdateAsync(s => s.SetProperty(c => c.OffsetSeconds, offset).SetProperty(c => c.JobsEpoch, start), ct);
        clock.SetOffset(TimeSpan.FromSeconds(offset));
    }

    /// <summary>Business time moves to <paramref name="to"/> (null: real time, offset zero) and every job period due by then runs.</summary>
    public async Task MoveToAsync(DateTime? to, CancellationToken ct)
    {
        var offset = to is { } t ? OffsetTo(t) : 0;
        if (offset < (long)clock.Offset.TotalSeconds) throw new InvalidOperationException("The demo's history only moves forward.");
        await db.ClockStates.ExecuteUpdateAsync(s => s.SetProperty(c => c.OffsetSeconds, offset), ct);
        clock.SetOffset(TimeSpan.FromSeconds(offset));
    }

    public Task RunDueJobsAsync(CancellationToken ct) => runner.RunDueAsync(clock.GetUtcNow().UtcDateTime, ct);

    long OffsetTo(DateTime businessTime) => (long)Math.Floor((businessTime - clock.RealTime.GetUtcNow().UtcDateTime).TotalSeconds);
}

/// <summary>
/// The demo's metering: reports the hourly usage of the demo's pay-per-use resources up to the current hour, as a
/// metering system would after each hour (the hourly rating run charges it). Resale VMs run around the clock; the
/// referral customer's VM and its storage traffic run in the daytime; its stored volume grows by a GB every 4 hours.
/// </summary>
public sealed class DemoUsage(Usage.UsageIngestion ingestion, DateTime from, IReadOnlyList<string> alwaysOnVms, string daytimeVm, string storage)
{
    readonly DateTime start = from;
    DateTime reported = from;

    public async Task ReportUntilAsync(DateTime now, CancellationToken ct)
    {
        var records = new List<Usage.UsageRecordInput>();
        for (; reported.AddHours(1) <= now; reported = reported.AddHours(1))
        {
            var (begin, end) = (reported, reported.AddHours(1));
            var id = begin.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);
            var daytime = begin.Hour is >= 0 and < 12; // 08:00 to 20:00 in Singapore
            foreach (var vm in alwaysOnVms) records.Add(new(Rid(vm, id), vm, "Duration", 1m, 4, begin, end));
            if (daytime) records.Add(new(Rid(daytimeVm, id), daytimeVm, "Duration", 1m, 4, begin, end));
            records.Add(new(Rid(storage, "cap" + id), storage, "capacity", 150m + (decimal)(begin - start).TotalHours / 4m, 10, begin, end));
            if (daytime) records.Add(new(Rid(storage, "up" + id), storage, "upflow", 512m, 11, begin, end));
        }
        foreach (var batch in records.Chunk(Usage.UsageIngestion.MaxBatch)) await ingestion.IngestBatchAsync(batch, ct);
    }

    static string Rid(string resource, string hour) => $"demo-{resource}-{hour}";
}
