using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;
using PartnerCenter.Simulation;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode simulation: the seeded simulation of the money paths (tests/PartnerCenter.Simulation) for many more steps
/// than the suite runs, printing steps per second and the share of time spent checking. There is no raw-database
/// counterpart to compare with: the work is the checking of Core against a model, not a row operation.
///
///   scripts/bench.sh --mode simulation [--steps 1000000] [--seed N]
/// </summary>
public static class SimulationBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? db = null;
        var pg = Environment.GetEnvironmentVariable("PC_BENCH_PG");
        int steps = 1_000_000, seed = SimulationOptions.DefaultSeed;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--db": db = Next(); break;
                    case "--pg": pg = Next(); break;
                    case "--steps": steps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if (steps < 1) throw new ArgumentException("--steps is positive");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: PartnerCenter.Bench --mode simulation [--db sqlite|postgres] [--steps 1000000] [--seed N] [--pg CONNSTR]");
            return 2;
        }
        var provider = (db ?? "sqlite") switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" when !string.IsNullOrEmpty(pg) => DatabaseProvider.Postgres,
            _ => (DatabaseProvider?)null,
        };
        if (provider is null)
        {
            Console.Error.WriteLine("--db is sqlite or postgres (both runs each in a process of its own); PostgreSQL needs --pg or PC_BENCH_PG.");
            return 2;
        }

        var name = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        Console.WriteLine($"Simulation benchmark: seed {seed}, {steps} steps on {name} (random money operations, injected faults and restarts, " +
                          "each step checked against the reference model; the full ledger check every 1000 steps)");
        var (settings, sqliteDir, pgName) = await BenchWorld.NewDatabaseAsync(provider.Value, pg);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var options = new SimulationOptions
            {
                Seed = seed, Steps = steps, DatabaseName = name,
                Progress = done => Console.WriteLine($"  {done} steps, {done / started.Elapsed.TotalSeconds:0} steps/s so far"),
            };
            SimulationReport report;
            try
            {
                report = await SimulationDriver.RunAsync(settings, options);
            }
            catch (SimulationFailure failure)
            {
                Console.WriteLine(failure.Message);
                return 1;
            }
            var perSecond = report.Steps / report.Elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine($"{name}: {report.Steps} steps in {report.Elapsed.TotalSeconds:0.0} s = {perSecond:0} steps/s; " +
                              $"checking {report.Checking.TotalSeconds / report.Elapsed.TotalSeconds:P0} of the time; " +
                              $"{report.FaultsFired} faults fired, {report.Restarts} restarts, {report.FullChecks} full checks; trace digest {report.TraceDigest[..16]}");
            Console.WriteLine("  " + string.Join(", ", report.Operations.OrderBy(o => o.Key, StringComparer.Ordinal)
                .Select(o => $"{o.Key} {o.Value} ({report.OperationTimes.GetValueOrDefault(o.Key).TotalSeconds:0.0} s)")));

            var services = new ServiceCollection().AddPartnerCenterDatabase(settings).BuildServiceProvider();
            await using (services)
            {
                Console.WriteLine();
                Console.WriteLine("Environment");
                Console.WriteLine("  " + BenchEnvironment.Machine());
                Console.WriteLine("  " + await BenchEnvironment.DatabaseAsync(services, settings));
            }
            return 0;
        }
        finally
        {
            await BenchWorld.DropDatabaseAsync(sqliteDir, pg, pgName);
        }
    }
}
