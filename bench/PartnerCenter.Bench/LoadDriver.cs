using System.Diagnostics;

namespace PartnerCenter.Bench;

/// <summary>One worker's way to make a spend; true when the spend was accepted. Created once per worker.</summary>
public interface ISpender : IAsyncDisposable
{
    Task<bool> SpendAsync(string customerId, string idempotencyKey);
}

/// <summary>What one timed measurement saw.</summary>
public sealed record Measurement(long Ops, long Refused, double Seconds, double CpuSeconds, LatencyHistogram Latency)
{
    public double PerSecond => Ops / Seconds;
    public double CpuMicrosPerOp => Ops == 0 ? 0 : CpuSeconds * 1e6 / Ops;
}

/// <summary>Which customers the workers spend for: uniformly over all of them, or all on the first (the hot one).</summary>
public sealed record Scenario(string Name, bool Hot)
{
    public static readonly Scenario Uniform = new("uniform", false);
    public static readonly Scenario HotCustomer = new("hot", true);
}

/// <summary>
/// Closed-loop load: W workers each spend, wait for the answer, and spend again, for a warm-up and then a timed window.
/// Only calls that start and finish inside the window count, so the warm-up (JIT, pools, caches) and the stragglers
/// at the end do not. The customer sequence is seeded per worker, so Core and raw see the same choice of customers.
/// </summary>
public static class LoadDriver
{
    const int WarmUp = 0, Measuring = 1, Stopped = 2;
    static int measurementCounter;

    public static async Task<Measurement> RunAsync(Func<Task<ISpender>> newSpender, IReadOnlyList<string> customers, Scenario scenario,
        int workers, TimeSpan warmUp, TimeSpan duration)
    {
        // Every key is unique across all measurements of the process: budget_spends is keyed by it.
        var tag = "b" + Interlocked.Increment(ref measurementCounter) + "-" + Guid.NewGuid().ToString("N")[..8];
        var phase = WarmUp;
        var spenders = new ISpender[workers];
        for (var i = 0; i < workers; i++) spenders[i] = await newSpender();

        var results = new (long Ops, long Refused, LatencyHistogram Latency)[workers];
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w * 7919 + 17);
            var latency = new LatencyHistogram();
            long ops = 0, refused = 0, seq = 0;
            while (true)
            {
                var started = Volatile.Read(ref phase);
                if (started == Stopped) break;
                var customer = scenario.Hot ? customers[0] : customers[random.Next(customers.Count)];
                var t0 = Stopwatch.GetTimestamp();
                var accepted = await spenders[w].SpendAsync(customer, $"{tag}-{w}-{seq++}");
                var elapsed = Stopwatch.GetTimestamp() - t0;
                if (started == Measuring && Volatile.Read(ref phase) == Measuring)
                {
                    latency.RecordTicks(elapsed);
                    if (accepted) ops++; else refused++;
                }
            }
            results[w] = (ops, refused, latency);
        })).ToArray();

        await Task.Delay(warmUp);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        Volatile.Write(ref phase, Measuring);
        await Task.Delay(duration);
        Volatile.Write(ref phase, Stopped);
        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        await Task.WhenAll(tasks);
        foreach (var s in spenders) await s.DisposeAsync();

        var all = new LatencyHistogram();
        foreach (var r in results) all.Add(r.Latency);
        return new Measurement(results.Sum(r => r.Ops), results.Sum(r => r.Refused), seconds, cpu, all);
    }

    /// <summary>
    /// Open-loop load at a fixed arrival rate: spend number i is due at start + i / rate, whatever happened to the ones
    /// before. W workers (connections) serve the arrivals in order; a latency runs from when the spend was due, not
    /// from when a worker got to it, so a backlog shows up as latency (no coordinated omission). Spends due during the
    /// warm-up are not counted.
    /// </summary>
    public static async Task<Measurement> RunOpenLoopAsync(Func<Task<ISpender>> newSpender, IReadOnlyList<string> customers, Scenario scenario,
        int workers, double rate, TimeSpan warmUp, TimeSpan duration)
    {
        var tag = "o" + Interlocked.Increment(ref measurementCounter) + "-" + Guid.NewGuid().ToString("N")[..8];
        var spenders = new ISpender[workers];
        for (var i = 0; i < workers; i++) spenders[i] = await newSpender();

        long next = -1;
        var warmUpCount = (long)(warmUp.TotalSeconds * rate);
        var total = warmUpCount + (long)(duration.TotalSeconds * rate);
        var ticksPerArrival = Stopwatch.Frequency / rate;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var results = new (long Ops, long Refused, LatencyHistogram Latency)[workers];
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w * 7919 + 17);
            var latency = new LatencyHistogram();
            long ops = 0, refused = 0;
            long i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var due = start + (long)(i * ticksPerArrival);
                var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (early > TimeSpan.FromMilliseconds(2)) await Task.Delay(early - TimeSpan.FromMilliseconds(1));
                while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(20);
                var customer = scenario.Hot ? customers[0] : customers[random.Next(customers.Count)];
                var accepted = await spenders[w].SpendAsync(customer, $"{tag}-{i}");
                if (i < warmUpCount) continue;
                latency.RecordTicks(Stopwatch.GetTimestamp() - due);
                if (accepted) ops++; else refused++;
            }
            results[w] = (ops, refused, latency);
        })).ToArray();
        await Task.WhenAll(tasks);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds - warmUp.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        foreach (var sp in spenders) await sp.DisposeAsync();

        var all = new LatencyHistogram();
        foreach (var r in results) all.Add(r.Latency);
        return new Measurement(results.Sum(r => r.Ops), results.Sum(r => r.Refused), seconds, cpu * seconds / (seconds + warmUp.TotalSeconds), all);
    }
}
