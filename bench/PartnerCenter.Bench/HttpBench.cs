using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode http: the orders suite's create + pay over real HTTP against the server as a process of its own, signed with
/// AK/SK and with a token, against in-process Core (<see cref="CoreOrderSpender"/>) and the raw rows
/// (<see cref="RawOrderSpender"/>) on the same database in the same run. Closed loop at each worker count, then an open
/// loop at half the fastest closed-loop HTTP rate; then the server's own request counts from /metrics.
/// </summary>
static partial class HttpBench
{
    const double TargetOfRaw = 0.3, TargetP99Ms = 25;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        Console.WriteLine($"HTTP orders benchmark: {options.Seconds} s per measurement after {options.WarmUp} s warm-up, {options.Runs} run(s) (median), " +
                          $"workers {string.Join(",", options.Workers)}");
        Console.WriteLine("One order = a direct customer's POST /v1/orders (one-month s6.small.1.linux) then POST /v3/orders/customer-orders/pay, " +
                          "each signed with the buyer's access key as the Huawei .NET SDK signs (aksk) or sent with its IAM token (token); " +
                          "core = the same two calls to OrderService in process; raw = the same rows by hand (see --mode orders). " +
                          "The server, the bench and the database share the machine's cores.");
        var environment = new List<string> { BenchEnvironment.Machine() };
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false, AllowAutoRedirect = false, UseProxy = false,
        });
        var failed = false;
        foreach (var provider in options.Databases)
        {
            Console.WriteLine();
            Console.WriteLine($"== {provider} ==");
            var setup = Stopwatch.StartNew();
            await using var world = await BenchWorld.CreateAsync(provider, options.PgAdmin, 1);
            var dbInfo = await BenchEnvironment.DatabaseAsync(world);
            environment.Add(dbInfo);
            await world.AddBuyersAsync(Math.Min(options.Customers, 200));
            await using var server = await ServerProcess.StartAsync(world.Settings, http);
            var buyers = await HttpOrderSpender.SetUpBuyersAsync(http, server.BaseUrl, world.Buyers, world.BuyerNames);
            Console.WriteLine($"{dbInfo}; server {server.BaseUrl} (its defaults: request log at Information, rate limits, background jobs); " +
                              $"{buyers.Count} buyers, each with an access key and a token made through the API; setup {setup.Elapsed.TotalSeconds:0.0} s");

            var suite = new Suite(world, server, options,
                Raw: () => RawOrderSpender.OpenAsync(world.Settings),
                Core: () => Task.FromResult<ISpender>(new CoreOrderSpender(world.Services)),
                AkSk: () => Task.FromResult<ISpender>(new HttpOrderSpender(http, server.BaseUrl, buyers, HttpAuth.AkSk)),
                Token: () => Task.FromResult<ISpender>(new HttpOrderSpender(http, server.BaseUrl, buyers, HttpAuth.Token)));
            var fastest = await suite.ClosedLoopAsync();
            if (options.OpenLoop) await suite.OpenLoopAsync(options.Rate > 0 ? options.Rate : Math.Max(1, Math.Round(fastest / 2)), provider);
            PrintMetrics(await server.MetricsAsync(http));

            while (HttpOrderSpender.Refusals.TryDequeue(out var refusal)) Console.WriteLine("  refused: " + refusal);
            await using var db = DatabaseRegistration.CreateContext(world.Settings);
            var broken = await LedgerInvariants.CheckAsync(db);
            Console.WriteLine(broken.Count == 0 ? "Ledger invariants hold after the run." : "LEDGER INVARIANTS BROKEN:\n  " + string.Join("\n  ", broken.Take(10)));
            failed |= broken.Count > 0;
            HttpOrderSpender.Sent.Clear();
        }

        Console.WriteLine();
        Console.WriteLine("Environment");
        foreach (var line in environment) Console.WriteLine("  " + line);
        return failed ? 1 : 0;
    }

    /// <summary>One HTTP measurement with the server's CPU per order beside the bench's own (the client's).</summary>
    sealed record HttpMeasurement(Measurement Load, double ServerCpuMicrosPerOp);

    sealed record Suite(BenchWorld World, ServerProcess Server, BenchOptions Options,
        Func<Task<ISpender>> Raw, Func<Task<ISpender>> Core, Func<Task<ISpender>> AkSk, Func<Task<ISpender>> Token)
    {
        /// <summary>Prints the closed-loop table; returns the fastest median AK/SK rate.</summary>
        public async Task<double> ClosedLoopAsync()
        {
            // Tiered JIT, pools and caches on both sides of the wire, unmeasured. The server's code paths see only these
            // calls before the first HTTP measurement, so they get longer: a profile showed its JIT still busy after 3 s.
            foreach (var (spender, seconds) in new[] { (Raw, 3.0), (Core, 3.0), (AkSk, 10.0), (Token, 10.0) })
                await LoadDriver.RunAsync(spender, World.Buyers, OrderSuite.Uniform, 2, TimeSpan.FromSeconds(Math.Max(seconds, Options.WarmUp)), TimeSpan.Zero);

            Console.WriteLine();
            Console.WriteLine("Closed loop (orders/s, median of the runs; raw = mean of a run before and one after; cpu = µs per order: core in process, " +
                              "and the server | the bench as client):");
            Console.WriteLine($"{"W",3} {"raw/s",7} {"core/s",7} {"aksk/s",7} {"token/s",7}  {"aksk/raw",8} {"token/raw",9} {"aksk/core",9}  " +
                              $"{"aksk p50/p99/max ms",-20} {"token p50/p99/max ms",-20} {"cpu core",8} {"cpu aksk",-11} {"cpu token",-11} note");
            double fastest = 0;
            foreach (var workers in Options.Workers)
            {
                var raw = new List<double>();
                var core = new List<Measurement>();
                var (aksk, token) = (new List<HttpMeasurement>(), new List<HttpMeasurement>());
                var (notes, drifts) = (new List<string>(), new List<double>());
                long refused = 0;
                for (var run = 0; run < Options.Runs; run++)
                {
                    var before = await Closed(Raw, workers);
                    core.Add(await Closed(Core, workers));
                    aksk.Add(await ClosedHttp(AkSk, workers));
                    token.Add(await ClosedHttp(Token, workers));
                    var after = await Closed(Raw, workers);
                    raw.Add((before.PerSecond + after.PerSecond) / 2);
                    var drift = Math.Abs(before.PerSecond - after.PerSecond) / Math.Max(1, Math.Max(before.PerSecond, after.PerSecond));
                    if (drift > 0.10) drifts.Add(drift);
                    refused += before.Refused + after.Refused + core[^1].Refused + aksk[^1].Load.Refused + token[^1].Load.Refused;
                }
                if (drifts.Count > 0) notes.Add($"raw before/after differ {string.Join(", ", drifts.Select(d => d.ToString("P0", CultureInfo.InvariantCulture)))}");
                if (refused > 0) notes.Add($"{refused} refused");
                var (rawRate, akskRate, tokenRate) = (Median(raw), Median(aksk.Select(m => m.Load.PerSecond)), Median(token.Select(m => m.Load.PerSecond)));
                var coreRate = Median(core.Select(m => m.PerSecond));
                if (akskRate / rawRate < TargetOfRaw || tokenRate / rawRate < TargetOfRaw) notes.Insert(0, $"below {TargetOfRaw} of raw");
                Console.WriteLine($"{workers,3} {rawRate,7:N0} {coreRate,7:N0} {akskRate,7:N0} {tokenRate,7:N0}  {akskRate / rawRate,8:0.00} {tokenRate / rawRate,9:0.00} " +
                                  $"{akskRate / coreRate,9:0.00}  {Latency(aksk.Select(m => m.Load)),-20} {Latency(token.Select(m => m.Load)),-20} " +
                                  $"{Median(core.Select(m => m.CpuMicrosPerOp)),8:0} {Cpu(aksk),-11} {Cpu(token),-11} {string.Join("; ", notes)}");
                fastest = Math.Max(fastest, akskRate);
            }
            return fastest;
        }

        /// <summary>
        /// Both HTTP variants at the same fixed arrival rate, as many connections as the largest worker count, and raw at
        /// that rate: the latency the machine and the database alone give, which the HTTP latencies stand on.
        /// </summary>
        public async Task OpenLoopAsync(double rate, DatabaseProvider provider)
        {
            var connections = Options.Workers.Max();
            Console.WriteLine();
            Console.WriteLine($"Open loop: {rate:N0} orders/s arriving at a fixed rate (half the fastest closed-loop aksk rate unless --rate), " +
                              $"up to {connections} connections; latency of the whole order (2 requests) from when it was due.");
            Console.WriteLine($"{"",-6} {"rate/s",7} {"done/s",7}  {"p50/p99/max ms",-20} {"cpu",-11} note");
            foreach (var (name, spender) in new[] { ("aksk", AkSk), ("token", Token), ("raw", Raw) })
            {
                var m = await Measure(spender, () => LoadDriver.RunOpenLoopAsync(spender, World.Buyers, OrderSuite.Uniform, connections, rate,
                    TimeSpan.FromSeconds(Options.WarmUp), TimeSpan.FromSeconds(Options.Seconds)));
                var notes = new List<string>();
                if (m.Load.PerSecond < rate * 0.95) notes.Add("fell behind the arrivals");
                if (provider == DatabaseProvider.Postgres && name != "raw" && m.Load.Latency.PercentileMs(99) > TargetP99Ms) notes.Add($"p99 above the {TargetP99Ms} ms target");
                if (m.Load.Refused > 0) notes.Add($"{m.Load.Refused} refused");
                var cpu = name == "raw" ? $"-|{m.Load.CpuMicrosPerOp:0}" : Cpu([m]);
                Console.WriteLine($"{name,-6} {rate,7:N0} {m.Load.PerSecond,7:N0}  {Latency([m.Load]),-20} {cpu,-11} {string.Join("; ", notes)}");
            }
        }

        Task<Measurement> Closed(Func<Task<ISpender>> spender, int workers) =>
            LoadDriver.RunAsync(spender, World.Buyers, OrderSuite.Uniform, workers, TimeSpan.FromSeconds(Options.WarmUp), TimeSpan.FromSeconds(Options.Seconds));

        Task<HttpMeasurement> ClosedHttp(Func<Task<ISpender>> spender, int workers) => Measure(spender, () => Closed(spender, workers));

        /// <summary>
        /// The server's CPU over the whole call (warm-up included) divided by the orders of the whole call at the measured
        /// rate: the server's cost per order, as far as a process's CPU time tells it.
        /// </summary>
        async Task<HttpMeasurement> Measure(Func<Task<ISpender>> spender, Func<Task<Measurement>> run)
        {
            var cpu0 = Server.CpuTime;
            var t0 = Stopwatch.GetTimestamp();
            var load = await run();
            var cpu = Server.CpuTime - cpu0;
            var orders = load.PerSecond * Stopwatch.GetElapsedTime(t0).TotalSeconds;
            return new HttpMeasurement(load, orders == 0 ? 0 : cpu.TotalMicroseconds / orders);
        }
    }

    static string Latency(IEnumerable<Measurement> ms)
    {
        var list = ms.ToList();
        return $"{Median(list.Select(m => m.Latency.PercentileMs(50))):0.00}/{Median(list.Select(m => m.Latency.PercentileMs(99))):0.00}/{Median(list.Select(m => m.Latency.MaxMs)):0.0}";
    }

    static string Cpu(IEnumerable<HttpMeasurement> ms)
    {
        var list = ms.ToList();
        return $"{Median(list.Select(m => m.ServerCpuMicrosPerOp)):0}|{Median(list.Select(m => m.Load.CpuMicrosPerOp)):0}";
    }

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>The server's request counts and mean durations for the two operations, beside what the bench sent.</summary>
    static void PrintMetrics(string prometheus)
    {
        var seen = new Dictionary<(string Operation, int Status), (double Count, double Sum)>();
        foreach (var line in prometheus.Split('\n'))
        {
            var m = DurationLine().Match(line);
            if (!m.Success) continue;
            var labels = m.Groups["labels"].Value;
            var operation = Label(labels, "operation");
            if (operation is not ("CreateCustomerOrder" or "PayOrders") || !int.TryParse(Label(labels, "http_response_status_code"), out var status)) continue;
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            var key = (operation, status);
            var (count, sum) = seen.GetValueOrDefault(key);
            seen[key] = m.Groups["part"].Value == "count" ? (count + value, sum) : (count, sum + value);
        }
        Console.WriteLine();
        Console.WriteLine("/metrics at the end (http_server_request_duration_seconds, warm-ups included): operation, status, requests the server recorded, " +
                          "requests the bench sent, mean time inside the server");
        foreach (var key in seen.Keys.Union(HttpOrderSpender.Sent.Keys).Order())
        {
            var (count, sum) = seen.GetValueOrDefault(key);
            Console.WriteLine($"  {key.Operation,-20} {key.Status} {count,9:N0} {HttpOrderSpender.Sent.GetValueOrDefault(key),9:N0} {(count == 0 ? 0 : sum / count * 1000),7:0.00} ms");
        }

        static string? Label(string labels, string name) =>
            Regex.Match(labels, $"(?:^|,){name}=\"(?<v>[^\"]*)\"") is { Success: true } l ? l.Groups["v"].Value : null;
    }

    [GeneratedRegex("""^http_server_request_duration_seconds_(?<part>count|sum)\{(?<labels>[^}]*)\} (?<value>\S+)""")]
    private static partial Regex DurationLine();
}
