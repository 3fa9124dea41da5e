// Budget-checked spends per second through Core, against a raw ADO.NET transaction doing the same row work on the
// same database in the same run (../shared benchmarks.md: the ratio is what we judge; target ≥ 0.5 of raw).
//
//   dotnet run -c Release --project bench/PartnerCenter.Bench -- [--db sqlite|postgres|both] [--seconds N]
//       [--warmup N] [--workers 1,4,32] [--customers N] [--runs N] [--pg "Host=..."] [--trace] [--rate N | --no-open-loop]
//       [--mode spends|orders|coupons|http|usage|bills|billrun|simulation]
//
// Modes: spends (budget-checked spends; the default), orders (a direct customer's order created and paid, against the
// same rows by hand), coupons (a resale customer's order created and paid with its partner coupon, against the same
// rows by hand, see CouponOrderSuite.cs), http (the same order over HTTP against the server as a process, see HttpBench.cs), usage
// (pay-per-use ingestion and hourly rating, see UsageBench.cs), bills (a customer's month of fee records read as its
// monthly sum and resource records, see BillsBench.cs), billrun (the monthly bill run over 10,000 resale customers' month
// of 10 M fee records and their hourly charges, see BillRunBench.cs), simulation (the seeded simulation of the money paths for
// --steps steps, default 1,000,000, with --seed; see SimulationBench.cs).
//
// After the closed-loop table, an open-loop run sends spends at a fixed arrival rate (--rate, default half of raw's
// closed-loop rate) to Core and to raw with as many connections as the largest worker count, and prints p50/p99/max.
//
// --trace prints the SQL of one Core spend and a sequential profile of where its time goes.
//
// PostgreSQL needs --pg or PC_BENCH_PG: a server this may create and drop a database on (scripts/bench.sh starts one).

using System.Globalization;
using PartnerCenter.Bench;
using PartnerCenter.Core.Data;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// EF's compiled queries belong to the first model they run with, and each database has its own model: with both
// databases, each runs in a process of its own.
var d = Array.IndexOf(args, "--db");
var both = d >= 0 ? d + 1 < args.Length && args[d + 1] == "both"
                  : !string.IsNullOrEmpty(args.SkipWhile(a => a != "--pg").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("PC_BENCH_PG"));
if (both)
{
    var rest = d >= 0 ? [.. args[..d], .. args[(d + 2)..]] : args;
    // Started as `dotnet bench.dll` the child needs the dll; started by its own executable (dotnet run), it does not.
    var host = Environment.ProcessPath!;
    string[] dll = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(BenchOptions).Assembly.Location] : [];
    foreach (var db in new[] { "sqlite", "postgres" })
    {
        using var child = System.Diagnostics.Process.Start(host, [.. dll, "--db", db, .. rest]);
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) return child.ExitCode;
    }
    return 0;
}

// --mode may come anywhere (scripts/bench.sh puts --db first).
var m = Array.IndexOf(args, "--mode");
var mode = m >= 0 && m + 1 < args.Length ? args[m + 1] : "spends";
if (m >= 0) args = [.. args[..m], .. args[Math.Min(args.Length, m + 2)..]];
if (mode == "usage")
{
    var usage = UsageOptions.Parse(args);
    return usage is null ? 2 : await UsageBench.RunAsync(usage);
}
if (mode == "bills")
{
    // The usage options' --resources and --hours (one customer's month); the rest is unused.
    var usage = UsageOptions.Parse(args);
    return usage is null ? 2 : await BillsBench.RunAsync(new BillsBench.Options(usage.Databases, usage.PgAdmin, usage.Resources, usage.Hours));
}
if (mode == "simulation") return await SimulationBench.RunAsync(args);
if (mode == "billrun") return await BillRunBench.RunAsync(args);
if (mode is not ("spends" or "orders" or "coupons" or "http")) { Console.Error.WriteLine("--mode is spends (default), orders, coupons, http, usage, bills, billrun or simulation"); return 2; }

var options = BenchOptions.Parse(args, mode);
if (options is null) return 2;

// Workers await the database; SQLite calls block a thread (busy waits included), so give the pool a thread per worker
// up front rather than letting its slow injection throttle the first seconds of a 32-worker run.
var threads = options.Workers.Max() * 2 + 8;
ThreadPool.GetMinThreads(out var minWorker, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorker, threads), Math.Max(minIo, threads));
if (mode == "http") return await HttpBench.RunAsync(options);

Console.WriteLine($"Budget consumption benchmark: {options.Seconds} s per measurement after {options.WarmUp} s warm-up, " +
                  $"{options.Runs} run(s) (median), workers {string.Join(",", options.Workers)}, {options.Customers} customers");
Console.WriteLine("Closed loop: each worker spends 0.01, waits for the answer, spends again. Core = BudgetConsumption.SpendAsync in a " +
                  "new DI scope per call; raw = BEGIN; UPDATE budget; INSERT spend; COMMIT by hand (prepared, connection per worker).");

var environment = new List<string> { BenchEnvironment.Machine() };
var failed = false;
foreach (var provider in options.Databases)
{
    Console.WriteLine();
    Console.WriteLine($"== {provider} ==");
    var setup = System.Diagnostics.Stopwatch.StartNew();
    await using var world = await BenchWorld.CreateAsync(provider, options.PgAdmin, options.Customers);
    var dbInfo = await BenchEnvironment.DatabaseAsync(world);
    environment.Add(dbInfo);
    Console.WriteLine($"{dbInfo}; setup {setup.Elapsed.TotalSeconds:0.0} s");

    if (options.Suites.Contains("spends"))
    {
    var trace = await SpendTrace.OfOneSpendAsync(world);
    var commands = trace.Count(s => s.StartsWith("command", StringComparison.Ordinal));
    var opens = trace.Count(s => s == "ConnectionOpened");
    Console.WriteLine($"One Core spend: {commands} SQL commands, {opens} connection opens" +
                      (provider == DatabaseProvider.Sqlite ? $" (each runs Core's PRAGMA batch: +{opens} statements)" : "") +
                      ", one transaction. Raw: 2 commands (+ BEGIN/COMMIT).");
    if (options.Trace)
        foreach (var step in trace) Console.WriteLine("  " + step);

    // Tiered JIT and PGO need a few seconds of calls before code is final; do it once here, unmeasured, for both.
    foreach (var spender in new Func<Task<ISpender>>[] { () => RawSpender.OpenAsync(world.Settings), () => Task.FromResult<ISpender>(new CoreSpender(world.Services)) })
        await LoadDriver.RunAsync(spender, world.Customers, Scenario.Uniform, 2, TimeSpan.FromSeconds(Math.Max(3, options.WarmUp)), TimeSpan.Zero);
    if (options.Trace) Console.WriteLine(await SpendTrace.ProfileAsync(world, 2000));

    Console.WriteLine();
    Report.Header();
    var rawRates = new Dictionary<Scenario, double>();
    foreach (var scenario in new[] { Scenario.Uniform, Scenario.HotCustomer })
    foreach (var workers in options.Workers)
    {
        var runs = new List<(Measurement RawBefore, Measurement Core, Measurement RawAfter)>();
        for (var run = 0; run < options.Runs; run++)
        {
            // Raw before and after Core: a drift between them means the machine or the database changed under us.
            var before = await Measure(() => RawSpender.OpenAsync(world.Settings));
            var core = await Measure(() => Task.FromResult<ISpender>(new CoreSpender(world.Services)));
            var after = await Measure(() => RawSpender.OpenAsync(world.Settings));
            runs.Add((before, core, after));

            Task<Measurement> Measure(Func<Task<ISpender>> spender) =>
                LoadDriver.RunAsync(spender, world.Customers, scenario, workers, TimeSpan.FromSeconds(options.WarmUp), TimeSpan.FromSeconds(options.Seconds));
        }
        Report.Row(scenario, workers, runs);
        rawRates[scenario] = Math.Max(rawRates.GetValueOrDefault(scenario), runs.Max(r => Math.Min(r.RawBefore.PerSecond, r.RawAfter.PerSecond)));
    }

    // Open loop at the largest worker count: the same fixed arrival rate for Core and raw, latencies from due time.
    if (options.OpenLoop)
    {
        var servers = options.Workers.Max();
        Report.OpenLoopHeader(options.Rate, servers);
        foreach (var scenario in new[] { Scenario.Uniform, Scenario.HotCustomer })
        {
            var rate = options.Rate > 0 ? options.Rate : Math.Round(rawRates[scenario] / 20) * 10;
            Task<Measurement> Measure(Func<Task<ISpender>> spender) => LoadDriver.RunOpenLoopAsync(spender, world.Customers, scenario, servers, rate,
                TimeSpan.FromSeconds(options.WarmUp), TimeSpan.FromSeconds(options.Seconds));
            var core = await Measure(() => Task.FromResult<ISpender>(new CoreSpender(world.Services)));
            var raw = await Measure(() => RawSpender.OpenAsync(world.Settings));
            Report.OpenLoopRow(scenario, rate, core, raw);
        }
    }

    }

    if (options.Suites.Contains("orders")) await OrderSuite.RunAsync(world, options);
    if (options.Suites.Contains("coupons")) await CouponOrderSuite.RunAsync(world, options);

    if (await world.CheckInvariantsAsync() is { } broken)
    {
        Console.WriteLine(broken);
        failed = true;
    }
}

Console.WriteLine();
Console.WriteLine("Environment");
foreach (var line in environment) Console.WriteLine("  " + line);
return failed ? 1 : 0;

/// <summary>--mode usage: ingestion and hourly rating of pay-per-use usage (see UsageBench).</summary>
static class UsageOptions
{
    public static UsageBench.Options? Parse(string[] args)
    {
        string? db = null;
        var pg = Environment.GetEnvironmentVariable("PC_BENCH_PG");
        int resources = 10_000, hours = 720, records = 200_000, customers = 100, workers = 2;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--db": db = Next(); break;
                    case "--pg": pg = Next(); break;
                    case "--resources": resources = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--hours": hours = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--records": records = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--customers": customers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--workers": workers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if (resources < 1 || hours < 1 || records < 1 || customers < 1 || workers < 1 || customers > resources)
                throw new ArgumentException("--resources, --hours, --records, --customers and --workers are positive, customers at most resources");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: PartnerCenter.Bench --mode usage [--db sqlite|postgres|both] [--resources 10000] [--hours 720] [--records 200000] [--customers 100] [--workers 2] [--pg CONNSTR]");
            return null;
        }
        db ??= string.IsNullOrEmpty(pg) ? "sqlite" : "both";
        DatabaseProvider[] dbs = db switch
        {
            "sqlite" => [DatabaseProvider.Sqlite],
            "postgres" => [DatabaseProvider.Postgres],
            "both" => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
            _ => [],
        };
        if (dbs.Length == 0 || (dbs.Contains(DatabaseProvider.Postgres) && string.IsNullOrEmpty(pg)))
        {
            Console.Error.WriteLine("--db is sqlite, postgres or both; PostgreSQL needs --pg or PC_BENCH_PG (scripts/bench.sh starts one).");
            return null;
        }
        return new UsageBench.Options(dbs, pg, resources, hours, records, customers, workers);
    }
}

/// <summary>The command line, with the defaults the brief asks for.</summary>
sealed record BenchOptions(IReadOnlyList<DatabaseProvider> Databases, double Seconds, double WarmUp, IReadOnlyList<int> Workers,
    int Customers, int Runs, string? PgAdmin, bool Trace, double Rate, bool OpenLoop, IReadOnlyList<string> Suites)
{
    public static BenchOptions? Parse(string[] args, string mode)
    {
        string? db = null;
        double seconds = 10, warmUp = 2;
        int[] workers = [1, 4, 32];
        int customers = 1000, runs = 1;
        var pg = Environment.GetEnvironmentVariable("PC_BENCH_PG");
        var trace = false;
        var openLoop = true;
        double rate = 0;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--db": db = Next(); break;
                    case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--warmup": warmUp = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--workers": workers = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); break;
                    case "--customers": customers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--pg": pg = Next(); break;
                    case "--trace": trace = true; break;
                    case "--rate": rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--no-open-loop": openLoop = false; break;
                    case "-h" or "--help": Usage(); return null;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if (seconds <= 0 || warmUp < 0 || workers.Length == 0 || workers.Any(w => w < 1) || customers < 1 || runs < 1 || rate < 0)
                throw new ArgumentException("--seconds, --workers, --customers and --runs must be positive");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Usage();
            return null;
        }

        // Without a PostgreSQL server to use, the default is SQLite alone rather than an error.
        db ??= string.IsNullOrEmpty(pg) ? "sqlite" : "both";
        DatabaseProvider[] dbs = db switch
        {
            "sqlite" => [DatabaseProvider.Sqlite],
            "postgres" => [DatabaseProvider.Postgres],
            "both" => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
            _ => [],
        };
        if (dbs.Length == 0) { Console.Error.WriteLine("--db is sqlite, postgres or both"); return null; }
        if (dbs.Contains(DatabaseProvider.Postgres) && string.IsNullOrEmpty(pg))
        {
            Console.Error.WriteLine("PostgreSQL needs --pg \"Host=...;Username=...;Database=postgres\" or PC_BENCH_PG (scripts/bench.sh starts one).");
            return null;
        }
        return new BenchOptions(dbs, seconds, warmUp, workers, customers, runs, pg, trace, rate, openLoop, [mode]);
    }

    static void Usage() => Console.Error.WriteLine(
        "usage: PartnerCenter.Bench [--db sqlite|postgres|both] [--seconds N] [--warmup N] [--workers 1,4,32] [--customers N] [--runs N] [--pg CONNSTR] [--trace] [--rate N | --no-open-loop] [--mode spends|orders|coupons|http|usage]");
}
