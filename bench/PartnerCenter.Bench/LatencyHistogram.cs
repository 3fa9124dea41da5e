namespace PartnerCenter.Bench;

/// <summary>
/// Latencies in log-linear buckets (HDR style: 1 µs buckets below 64 µs, then 32 buckets per power of two, so any
/// percentile is within ~3 %). Fixed memory however long the run; one per worker, merged at the end, so recording takes no lock.
/// </summary>
public sealed class LatencyHistogram
{
    const int SubBits = 6;                      // exact below 2^6 µs, 2^5 buckets per power of two above
    const int SubCount = 1 << SubBits;
    const int Powers = 40;                      // up to 2^40 µs: far beyond any run
    readonly long[] counts = new long[Powers * SubCount];
    long maxMicros;

    public long Count { get; private set; }

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        counts[Index(micros)]++;
        Count++;
        if (micros > maxMicros) maxMicros = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++) counts[i] += other.counts[i];
        Count += other.Count;
        maxMicros = Math.Max(maxMicros, other.maxMicros);
    }

    public double MaxMs => maxMicros / 1000.0;

    /// <summary>The latency (ms) at or below which <paramref name="percentile"/> % of the recorded calls finished.</summary>
    public double PercentileMs(double percentile)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return Math.Min(UpperMicros(i), maxMicros) / 1000.0;
        }
        return MaxMs;
    }

    // Values below 64 µs get one bucket each; above, bucket width doubles with every power of two.
    static int Index(long v)
    {
        if (v < SubCount) return (int)v;
        var power = 63 - (int)long.LeadingZeroCount(v) - SubBits + 1; // 1 for [64,128), 2 for [128,256), …
        var sub = (int)(v >> power) - SubCount / 2;               // 0..31 within the upper half
        return Math.Min(SubCount + (power - 1) * (SubCount / 2) + sub, Powers * SubCount - 1);
    }

    static long UpperMicros(int index)
    {
        if (index < SubCount) return index;
        var power = (index - SubCount) / (SubCount / 2) + 1;
        var sub = (index - SubCount) % (SubCount / 2) + SubCount / 2;
        return ((long)(sub + 1) << power) - 1;
    }
}
