using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Simulation;

/// <summary>
/// The seeded simulation of the money paths, in the spirit of FoundationDB's and TigerBeetle's simulation testing: one
/// <see cref="Random"/> seeded from <see cref="SimulationOptions.Seed"/> picks every operation, every parameter and
/// every fault, so the same seed makes the same run. Operations go through the Core services (not HTTP) one at a time,
/// each in its own scope as a request would; after every step the database is compared with <see cref="SimModel"/>.
/// <para>
/// Per-step checking stays cheap as the ledger grows: <see cref="LedgerInvariants.CheckAsync"/> reads the whole ledger
/// (O(ledger)), so after each step only the incremental check runs — the step's own postings (those above a watermark)
/// balance per entry and match the movements the model predicted, and the accounts, orders, resources and budgets the
/// step touched equal the model and respect their floors — and the full check (the invariants plus every account and
/// entity against the model) runs every <see cref="SimulationOptions.FullCheckEvery"/> steps and at the end.
/// </para>
/// Cross-customer order is kept out of the outcome on purpose: Core's ids are random, and jobs visit customers in id
/// order, so each partner funds at most one resale customer (a shared consumption quota would make the winner depend on
/// ids), and the trace names entities by the driver's handles, never by their ids.
/// </summary>
public sealed partial class SimulationDriver : IAsyncDisposable
{
    readonly SimulationOptions options;
    readonly Random rng;
    readonly SimModel model = new();
    readonly SimHost host;
    /// <summary>The driver's own reads (predictions, checks): one context for the run, never tracking, never faulted.</summary>
    readonly AppDbContext reader;
    readonly List<string> trace = [];
    readonly IncrementalHash digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    readonly Dictionary<string, TimeSpan> times = new(StringComparer.Ordinal);
    long postingWatermark;
    int step, handles, faultsFired, restarts, fullChecks;
    /// <summary>Wall time by phase of a step (see <see cref="SimulationProgress"/>): where a long run's time goes.</summary>
    readonly Dictionary<string, TimeSpan> phases = new(StringComparer.Ordinal)
    {
        [Operations] = TimeSpan.Zero, [Clock] = TimeSpan.Zero, [StepChecks] = TimeSpan.Zero, [FullChecks] = TimeSpan.Zero, [Restarts] = TimeSpan.Zero,
    };
    const string Operations = "operations", Clock = "clock", StepChecks = "step checks", FullChecks = "full checks", Restarts = "restarts";

    // What the current step expects; filled by the operation, read by the checker.
    readonly List<(Dictionary<string, decimal> Deltas, Action? Apply)> outcomes = [];
    bool clockStep;
    DateTime stepStart;
    readonly HashSet<MCustomer> touchedCustomers = [];
    readonly HashSet<MOrder> touchedOrders = [];
    readonly HashSet<MResource> touchedResources = [];

    SimulationDriver(SimulationOptions options, SimHost host)
    {
        this.options = options;
        this.host = host;
        reader = host.NewDbContext();
        rng = new Random(options.Seed);
    }

    /// <summary>Runs the simulation over an empty database; throws <see cref="SimulationFailure"/> at the first disagreement.</summary>
    public static async Task<SimulationReport> RunAsync(DatabaseSettings database, SimulationOptions options)
    {
        var watch = Stopwatch.StartNew();
        await using var driver = new SimulationDriver(options, await SimHost.StartAsync(database));
        await driver.reader.Database.OpenConnectionAsync(); // one connection for every check of the run
        driver.times["boot"] = watch.Elapsed;
        await driver.SetUpAsync();
        driver.times["set-up"] = watch.Elapsed;
        driver.counts["set-up"] = 1;
        for (driver.step = 1; driver.step <= options.Steps; driver.step++)
        {
            await driver.StepAsync();
            if (driver.step % options.ProgressEvery == 0)
                options.Progress?.Invoke(new SimulationProgress(driver.step, watch.Elapsed, new Dictionary<string, TimeSpan>(driver.phases), driver.postingWatermark));
        }
        driver.step = options.Steps;
        await driver.TimedAsync(FullChecks, driver.FullCheckAsync);
        return new SimulationReport(options.Steps, Convert.ToHexStringLower(driver.digest.GetHashAndReset()), watch.Elapsed,
            driver.phases[StepChecks] + driver.phases[FullChecks], driver.counts, driver.times, driver.faultsFired, driver.restarts, driver.fullChecks, driver.phases);
    }

    public async ValueTask DisposeAsync()
    {
        digest.Dispose();
        await reader.DisposeAsync();
        await host.DisposeAsync();
    }

    string NextHandle(string prefix) => prefix + ++handles;

    DateTime Now => host.Now;

    /// <summary>One line of the trace: what was done and what came of it, in the driver's names only.</summary>
    void Trace(string line)
    {
        var text = $"{step}: {line}";
        trace.Add(text);
        if (trace.Count > 200) trace.RemoveRange(0, 100);
        digest.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
    }

    async Task StepAsync()
    {
        BeginStep();
        var op = PickOperation();
        counts[op.Name] = counts.GetValueOrDefault(op.Name) + 1;
        var started = Stopwatch.GetTimestamp();
        if (!op.Clock && rng.NextDouble() < options.FaultRate) host.Faults.Arm(rng.Next(1, 8));
        try
        {
            await op.Run();
        }
        finally
        {
            host.Faults.Disarm();
            var spent = Stopwatch.GetElapsedTime(started);
            times[op.Name] = times.GetValueOrDefault(op.Name) + spent;
            phases[op.Clock ? Clock : Operations] += spent;
        }
        if (options.PlantDiscrepancyAtStep == step) await PlantAsync();
        if (options.CorruptPostingAtStep == step) await CorruptPostingAsync();
        await TimedAsync(StepChecks, CheckStepAsync);
        if (step % options.FullCheckEvery == 0 || options.PlantDiscrepancyAtStep == step) await TimedAsync(FullChecks, FullCheckAsync);

        if (rng.NextDouble() < options.RestartRate)
        {
            BeginStep();
            clockStep = true;
            restarts++;
            Trace("restart");
            var restarting = Stopwatch.GetTimestamp();
            await host.RestartAsync();
            var spent = Stopwatch.GetElapsedTime(restarting);
            times["restart"] = times.GetValueOrDefault("restart") + spent;
            phases[Restarts] += spent;
            counts["restart"] = restarts;
            AfterClockMoved();
            await TimedAsync(StepChecks, CheckStepAsync);
        }
    }

    async Task TimedAsync(string phase, Func<Task> check)
    {
        var started = Stopwatch.GetTimestamp();
        await check();
        phases[phase] += Stopwatch.GetElapsedTime(started);
    }

    void BeginStep()
    {
        outcomes.Clear();
        touchedCustomers.Clear();
        touchedOrders.Clear();
        touchedResources.Clear();
        clockStep = false;
        stepStart = Now;
    }

    /// <summary>The step succeeds with these movements (and, once the database agrees, <paramref name="apply"/> updates the model).</summary>
    void Expect(Dictionary<string, decimal> deltas, Action? apply = null) => outcomes.Add((deltas, apply));

    static Dictionary<string, decimal> Nothing() => new(StringComparer.Ordinal);

    /// <summary>
    /// Runs one request. A refusal must be the one the model predicted (null: success). When the armed fault fires
    /// and the request fails, the request must have failed as a whole: the model expects nothing written.
    /// </summary>
    async Task<(bool Ok, T? Value)> CallAsync<T>(string what, string? expected, Func<IServiceProvider, Task<T>> work)
    {
        try
        {
            var value = await host.InScopeAsync(work);
            if (expected is not null && !host.Faults.Fired) Fail($"{what}: the model expected {expected}, Core succeeded");
            Trace($"{what} -> ok");
            return (true, value);
        }
        catch (Exception e) when (host.Faults.Fired)
        {
            faultsFired++;
            Trace($"{what} -> fault ({e.GetType().Name})");
            Expect(Nothing());
            return (false, default);
        }
        catch (ServiceException e)
        {
            if (e.Error.Code != expected) Fail($"{what}: the model expected {expected ?? "success"}, Core answered {e.Error.Code} {e.Error.Message}");
            Trace($"{what} -> {e.Error.Code}");
            Expect(Nothing());
            return (false, default);
        }
    }

    Task<(bool Ok, int Value)> CallAsync(string what, string? expected, Func<IServiceProvider, Task> work) =>
        CallAsync(what, expected, async sp => { await work(sp); return 0; });

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    void Fail(string why)
    {
        var tail = string.Join("\n  ", trace.TakeLast(25));
        var filter = "FullyQualifiedName~SimulationTests.Ten_thousand_steps_of_the_money_paths_agree_with_the_model";
        throw new SimulationFailure($"""
            The simulation disagrees with its model at step {step} (seed {options.Seed}, {options.Steps} steps, {options.DatabaseName}):
              {why}
            Last operations:
              {tail}
            Replay:
              PC_TEST_DB={options.DatabaseName} PC_SIM_SEED={options.Seed} PC_SIM_STEPS={step} dotnet test tests/PartnerCenter.Core.Tests -c Release --filter "{filter}"
              PC_BENCH_DB={options.DatabaseName} scripts/bench.sh --mode simulation --seed {options.Seed} --steps {step}
            """, step);
    }

    /// <summary>For the test that the checker can fail: a balance changed behind the model's back, as a lost posting would.</summary>
    async Task PlantAsync()
    {
        // A customer with a cash account (funded at set-up; a former resale customer may have none).
        var customer = model.Customers.First(c => c.Partner is null && model.Balances.ContainsKey(LedgerBook.CashOf(c.Id)));
        var db = reader;
        var account = LedgerBook.CashOf(customer.Id);
        await db.Database.ExecuteSqlAsync($"UPDATE ledger_accounts SET \"Balance\" = \"Balance\" + 10000 WHERE \"Id\" = {account}"); // 0.01 in micro-units
        touchedCustomers.Add(customer); // the step's check compares it, before the full check's invariants
        Trace("planted a discrepancy");
    }

    /// <summary>For the test that the full check reads the whole ledger: an old posting's amount changed, as a corrupted row would be.</summary>
    async Task CorruptPostingAsync()
    {
        var first = await reader.Postings.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        await reader.Database.ExecuteSqlAsync($"UPDATE postings SET \"Amount\" = \"Amount\" + 10000 WHERE \"Id\" = {first}"); // 0.01 in micro-units
        Trace("corrupted a posting");
    }
}
