using PartnerCenter.Simulation;
using PartnerCenter.Tests.Support;
using Xunit.Abstractions;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// The seeded simulation of the money paths (tests/PartnerCenter.Simulation): random operations, faults and restarts
/// against a reference model, on the database of the run (PC_TEST_DB). PC_SIM_SEED and PC_SIM_STEPS replay another run.
/// </summary>
public class SimulationTests(ITestOutputHelper output)
{
    static string DatabaseName => TestDatabase.Provider == Data.DatabaseProvider.Postgres ? "postgres" : "sqlite";

    async Task<SimulationReport> RunAsync(SimulationOptions options)
    {
        await using var database = await TestDatabase.CreateAsync();
        return await SimulationDriver.RunAsync(database.Settings, options with { DatabaseName = DatabaseName });
    }

    [Fact]
    public async Task Ten_thousand_steps_of_the_money_paths_agree_with_the_model()
    {
        var options = SimulationOptions.FromEnvironment(steps: 10_000);
        var report = await RunAsync(options);
        output.WriteLine($"seed {options.Seed}, {report.Steps} steps in {report.Elapsed.TotalSeconds:0.0} s ({report.Checking.TotalSeconds:0.0} s checking), " +
                         $"{report.FaultsFired} faults, {report.Restarts} restarts, {report.FullChecks} full checks; " +
                         string.Join(", ", report.Operations.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value} ({report.OperationTimes[o.Key].TotalSeconds:0.0} s)")));
        Assert.Equal(options.Steps, report.Steps);
    }

    [Fact]
    public async Task The_same_seed_makes_the_same_run()
    {
        var options = new SimulationOptions { Seed = 7, Steps = 300 };
        var first = await RunAsync(options);
        var second = await RunAsync(options);
        Assert.Equal(first.TraceDigest, second.TraceDigest);
        var other = await RunAsync(options with { Seed = 8 });
        Assert.NotEqual(first.TraceDigest, other.TraceDigest);
    }

    [Fact]
    public async Task How_often_the_full_check_runs_does_not_change_the_run()
    {
        // The bench checks the whole ledger less often than the suite; the run it checks must be the same one.
        var options = new SimulationOptions { Seed = 7, Steps = 300 };
        var often = await RunAsync(options with { FullCheckEvery = 25 });
        var rarely = await RunAsync(options with { FullCheckEvery = 10_000 });
        Assert.Equal(often.TraceDigest, rarely.TraceDigest);
        Assert.Equal(14, often.FullChecks); // after the set-up, 12 on the way, and at the end
        Assert.Equal(2, rarely.FullChecks);
    }

    [Fact]
    public async Task The_checker_catches_a_balance_changed_behind_the_models_back()
    {
        var failure = await Assert.ThrowsAsync<SimulationFailure>(() => RunAsync(new SimulationOptions { Seed = 3, Steps = 200, PlantDiscrepancyAtStep = 120 }));
        Assert.Equal(120, failure.Step);
        Assert.Contains("the database holds", failure.Message);
        Assert.Contains("PC_SIM_SEED=3 PC_SIM_STEPS=120", failure.Message);
        Assert.Contains("scripts/bench.sh --mode simulation --seed 3 --steps 120", failure.Message);
    }

    [Fact]
    public async Task A_corrupted_old_posting_the_step_checks_cannot_see_is_caught_by_the_next_full_check()
    {
        // The per-step check reads only the step's own postings; an old one changed behind it waits for the full check.
        var failure = await Assert.ThrowsAsync<SimulationFailure>(() => RunAsync(new SimulationOptions { Seed = 3, Steps = 300, FullCheckEvery = 100, CorruptPostingAtStep = 120 }));
        Assert.Equal(200, failure.Step);
        Assert.Contains("ledger invariants", failure.Message);
        Assert.Contains("postings sum to", failure.Message);
    }
}
