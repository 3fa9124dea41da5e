namespace PartnerCenter.Bench;

/// <summary>The printed table: one row per case, medians over the runs, the ratio Core/raw, and a drift warning.</summary>
public static class Report
{
    /// <summary>benchmarks.md: if the baselines before and after differ by more than this, the run is suspect.</summary>
    const double MaxDrift = 0.10;

    public static void Header()
    {
        Console.WriteLine($"{"case",-8} {"W",3} {"core/s",9} {"raw/s",9} {"ratio",6}  {"core p50/p99/max ms",-22} {"raw p50/p99/max ms",-22} {"cpu µs/op core|raw",-19} note");
    }

    public static void Row(Scenario scenario, int workers, IReadOnlyList<(Measurement RawBefore, Measurement Core, Measurement RawAfter)> runs)
    {
        // Raw per run is the mean of before and after; the row shows the median run of each figure.
        var core = runs.Select(r => r.Core).ToList();
        var raw = runs.SelectMany(r => new[] { r.RawBefore, r.RawAfter }).ToList();
        var coreRate = Median(core.Select(m => m.PerSecond));
        var rawRate = Median(runs.Select(r => (r.RawBefore.PerSecond + r.RawAfter.PerSecond) / 2));

        var notes = new List<string>();
        foreach (var (before, _, after) in runs)
        {
            var drift = Math.Abs(before.PerSecond - after.PerSecond) / Math.Max(1, Math.Max(before.PerSecond, after.PerSecond));
            if (drift > MaxDrift) notes.Add($"raw before/after differ {drift:P0} ({before.PerSecond:N0} vs {after.PerSecond:N0}): run again");
        }
        var refused = core.Sum(m => m.Refused) + raw.Sum(m => m.Refused);
        if (refused > 0) notes.Add($"{refused} spends refused");
        var ratio = rawRate == 0 ? 0 : coreRate / rawRate;
        if (ratio < 0.5) notes.Insert(0, "below 0.5");

        Console.WriteLine($"{scenario.Name,-8} {workers,3} {coreRate,9:N0} {rawRate,9:N0} {ratio,6:0.00}  {Latency(core),-22} {Latency(raw),-22} " +
                          $"{Median(core.Select(m => m.CpuMicrosPerOp)),6:N0} | {Median(raw.Select(m => m.CpuMicrosPerOp)),-10:N0} {string.Join("; ", notes)}");
    }

    static string Latency(List<Measurement> ms) =>
        $"{Median(ms.Select(m => m.Latency.PercentileMs(50))):0.00}/{Median(ms.Select(m => m.Latency.PercentileMs(99))):0.00}/{Median(ms.Select(m => m.Latency.MaxMs)):0.0}";

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    public static void OpenLoopHeader(double rate, int workers)
    {
        Console.WriteLine();
        Console.WriteLine($"Open loop: {(rate > 0 ? $"{rate:N0}" : "half the raw closed-loop rate of each case")} spends/s arriving at a fixed rate, " +
                          $"{workers} connections serving them; latency counted from when each spend was due.");
        Console.WriteLine($"{"case",-8} {"rate/s",9} {"core done/s",11} {"raw done/s",10}  {"core p50/p99/max ms",-22} {"raw p50/p99/max ms",-22}");
    }

    public static void OpenLoopRow(Scenario scenario, double rate, Measurement core, Measurement raw) =>
        Console.WriteLine($"{scenario.Name,-8} {rate,9:N0} {core.PerSecond,11:N0} {raw.PerSecond,10:N0}  {Latency([core]),-22} {Latency([raw]),-22}" +
                          (core.PerSecond < rate * 0.95 ? " core fell behind the arrivals" : ""));
}
