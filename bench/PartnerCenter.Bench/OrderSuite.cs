namespace PartnerCenter.Bench;

/// <summary>
/// The orders suite: order create+pay per second through Core against the raw transactions doing the same rows, closed
/// loop at each worker count, over many buyers (uniform) and one buyer (hot: every payment moves the same cash row).
/// </summary>
static class OrderSuite
{
    public static readonly Scenario Uniform = new("orders", false);
    public static readonly Scenario Hot = new("orders-hot", true);

    public static async Task RunAsync(BenchWorld world, BenchOptions options)
    {
        var setup = System.Diagnostics.Stopwatch.StartNew();
        await world.AddBuyersAsync(Math.Min(options.Customers, 200));
        Console.WriteLine();
        Console.WriteLine($"Orders: a direct customer creates a one-month s6.small.1.linux order and pays it from cash (Core: OrderService.CreateAsync + PayAsync, " +
                          $"two scopes; raw: the price lookup and the same inserts and updates in two prepared transactions). {world.Buyers.Count} buyers, setup {setup.Elapsed.TotalSeconds:0.0} s");

        var core = () => Task.FromResult<ISpender>(new CoreOrderSpender(world.Services));
        var steps = await SpendTrace.OfOneAsync(new CoreOrderSpender(world.Services), world.Buyers[^1]);
        var all = steps.Count(x => x.StartsWith("database", StringComparison.Ordinal));
        Console.WriteLine($"One Core order (create + pay): {steps.Count(x => x.StartsWith("command", StringComparison.Ordinal))} SQL commands through EF" +
                          (all > 0 ? $", {all} statements sent to PostgreSQL in all (with the hot statements beside EF)" : " (the hot statements beside EF are not counted on SQLite)") +
                          "; raw: 3 + 9 statements.");
        if (options.Trace)
            foreach (var step in steps) Console.WriteLine("  " + step);
        var raw = () => RawOrderSpender.OpenAsync(world.Settings);
        foreach (var spender in new[] { raw, core })
            await LoadDriver.RunAsync(spender, world.Buyers, Uniform, 2, TimeSpan.FromSeconds(Math.Max(3, options.WarmUp)), TimeSpan.Zero);

        Report.Header();
        foreach (var scenario in new[] { Uniform, Hot })
        foreach (var workers in options.Workers)
        {
            var runs = new List<(Measurement RawBefore, Measurement Core, Measurement RawAfter)>();
            for (var run = 0; run < options.Runs; run++)
            {
                var before = await Measure(raw);
                var measured = await Measure(core);
                var after = await Measure(raw);
                runs.Add((before, measured, after));

                Task<Measurement> Measure(Func<Task<ISpender>> spender) =>
                    LoadDriver.RunAsync(spender, world.Buyers, scenario, workers, TimeSpan.FromSeconds(options.WarmUp), TimeSpan.FromSeconds(options.Seconds));
            }
            Report.Row(scenario, workers, runs);
        }
    }
}
