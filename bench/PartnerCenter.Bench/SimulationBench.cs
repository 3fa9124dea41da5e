using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;
using PartnerCenter.Simulation;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode simulation: the seeded simulation of the money paths (tests/PartnerCenter.Simulation) for many more steps
/// than the suite runs, printing steps per second and the share of time spent checking. There is no raw-database
/// counterpart to compare with: the work is the checking of Core against a model, not a row operation. Every
/// --progress-every steps it prints the window's steps per second, its CPU per step, the load average and where the
/// window's time went by phase (see SimulationProgress), so a long run shows whether it slows as the books grow.
///
///   scripts/bench.sh --mode simulation [--steps 1000000] [--seed N] [--full-check-every 10000] [--progress-every 10000]
/// </summary>
public static class SimulationBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? db = null;
        var pg = Environment.GetEnvironmentVariable("PC_BENCH_PG");
        int steps = 1_000_000, seed = SimulationOptions.DefaultSeed, fullCheckEvery = 10_000, progressEvery = 10_000;
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
                    case "--full-check-every": fullCheckEvery = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--progress-every": progressEvery = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if (steps < 1 || fullCheckEvery < 1 || progressEvery < 1) throw new ArgumentException("--steps, --full-check-every and --progress-every are positive");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: PartnerCenter.Bench --mode simulation [--db sqlite|postgres] [--steps 1000000] [--seed N] [--full-check-every 10000] [--progress-every 10000] [--pg CONNSTR]");
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
                          $"each step checked against the reference model; the full ledger check every {fullCheckEvery} steps)");
        var (settings, sqliteDir, pgName) = await BenchWorld.NewDatabaseAsync(provider.Value, pg);
        try
        {
            var window = new ProgressWindow();
            var options = new SimulationOptions
            {
                Seed = seed, Steps = steps, DatabaseName = name, FullCheckEvery = fullCheckEvery, ProgressEvery = progressEvery,
                Progress = p => Console.WriteLine(window.Line(p)),
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
            Console.WriteLine($"  CPU {ProgressWindow.Cpu().TotalMilliseconds / report.Steps:0.00} ms per step (the whole process, set-up included); by phase: " +
                              ProgressWindow.Shares(report.Phases, report.Elapsed));
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

/// <summary>One progress line per window of steps: its rate, its CPU per step, the load beside it, and its phases.</summary>
sealed class ProgressWindow
{
    SimulationProgress? last;
    TimeSpan lastCpu = Cpu();

    public static TimeSpan Cpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>The 1-minute load average (Linux), or "?" elsewhere: the machine may be shared, and rates move with it.</summary>
    static string Load()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    public static string Shares(IReadOnlyDictionary<string, TimeSpan> phases, TimeSpan elapsed) =>
        string.Join(", ", phases.Select(p => $"{p.Key} {p.Value / elapsed:P0}"));

    public string Line(SimulationProgress p)
    {
        var (steps, elapsed, cpu) = (p.Steps - (last?.Steps ?? 0), p.Elapsed - (last?.Elapsed ?? TimeSpan.Zero), Cpu());
        var phases = p.Phases.ToDictionary(x => x.Key, x => x.Value - (last?.Phases.GetValueOrDefault(x.Key) ?? TimeSpan.Zero));
        var line = $"  {p.Steps} steps ({p.Postings} postings): {steps / elapsed.TotalSeconds:0} steps/s, CPU {(cpu - lastCpu).TotalMilliseconds / steps:0.00} ms per step, " +
                   $"load {Load()}; {Shares(phases, elapsed)}";
        (last, lastCpu) = (p, cpu);
        return line;
    }
}
