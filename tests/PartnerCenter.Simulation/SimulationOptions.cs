namespace PartnerCenter.Simulation;

/// <summary>How a simulation runs. The same seed and steps always make the same run (see docs/decisions.md, "Simulation").</summary>
public sealed record SimulationOptions
{
    public const int DefaultSeed = 20261116;

    public int Seed { get; init; } = DefaultSeed;
    public int Steps { get; init; } = 10_000;
    /// <summary>The full ledger check (O(ledger)) runs every this many steps and at the end; every step gets the incremental one.</summary>
    public int FullCheckEvery { get; init; } = 1_000;
    /// <summary>Chance that a request step runs with a mid-transaction fault armed.</summary>
    public double FaultRate { get; init; } = 0.05;
    /// <summary>Chance of a process restart after a step.</summary>
    public double RestartRate { get; init; } = 0.002;
    /// <summary>For the test that the checker can fail: after this step, a balance is changed behind the model's back.</summary>
    public int? PlantDiscrepancyAtStep { get; init; }
    /// <summary>
    /// For the test that the periodic full check still catches what the per-step check cannot see: after this step, the
    /// amount of the ledger's first posting (long behind the watermark) is changed, no balance with it.
    /// </summary>
    public int? CorruptPostingAtStep { get; init; }
    /// <summary>Called every <see cref="ProgressEvery"/> steps with where the run stands (long runs report as they go).</summary>
    public Action<SimulationProgress>? Progress { get; init; }
    public int ProgressEvery { get; init; } = 10_000;
    /// <summary>What a failure prints to replay the run (the suite's test filter, the bench's database).</summary>
    public string DatabaseName { get; init; } = "sqlite";

    /// <summary>The defaults with PC_SIM_SEED and PC_SIM_STEPS applied when set.</summary>
    public static SimulationOptions FromEnvironment(int steps)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PC_SIM_SEED"), out var s) ? s : DefaultSeed;
        var n = int.TryParse(Environment.GetEnvironmentVariable("PC_SIM_STEPS"), out var k) ? k : steps;
        return new SimulationOptions { Seed = seed, Steps = n };
    }
}

/// <summary>What a run did: its steps, the digest of its trace (equal for equal seeds), and where its time went.</summary>
public sealed record SimulationReport(int Steps, string TraceDigest, TimeSpan Elapsed, TimeSpan Checking, IReadOnlyDictionary<string, int> Operations, IReadOnlyDictionary<string, TimeSpan> OperationTimes,
    int FaultsFired, int Restarts, int FullChecks, IReadOnlyDictionary<string, TimeSpan> Phases);

/// <summary>
/// Where a run stands: the steps done and the wall time spent so far in each phase of a step — the requests
/// ("operations"), the clock moves with the jobs they run ("clock"), the incremental check after every step
/// ("step checks"), the full checks ("full checks") and the restarts with their jobs ("restarts") — and the ledger's size.
/// </summary>
public sealed record SimulationProgress(int Steps, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Phases, long Postings);

/// <summary>A run that found the books or the world disagreeing with the model; the message says how to replay it.</summary>
public sealed class SimulationFailure(string message, int step) : Exception(message)
{
    public int Step { get; } = step;
}
