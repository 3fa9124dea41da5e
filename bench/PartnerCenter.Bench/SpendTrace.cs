using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Bench;

/// <summary>
/// What one Core spend sends to the database, read from EF Core's diagnostic events (no change to Core needed): every
/// command with its SQL, every transaction and savepoint step, every connection open. Evidence for where time goes.
/// </summary>
public sealed class SpendTrace : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    readonly List<string> steps = [];
    volatile bool recording, timing;
    long commandTicks, openTicks, commands, opens;
    readonly Dictionary<string, int> events = [];
    // Time between consecutive EF events ("A → B"), summed: the largest gaps show where a spend's time goes.
    readonly Dictionary<string, long> gaps = [];
    string lastEvent = "start";
    long lastTicks;

    public static Task<IReadOnlyList<string>> OfOneSpendAsync(BenchWorld world) => OfOneAsync(new CoreSpender(world.Services), world.Customers[^1]);

    /// <summary>The steps of one call of <paramref name="spender"/> (after one unrecorded call that compiles the queries).</summary>
    public static async Task<IReadOnlyList<string>> OfOneAsync(ISpender spender, string customer)
    {
        var trace = new SpendTrace();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(trace);
        // On PostgreSQL every command, EF's and the hot statements beside it, is also an Npgsql activity.
        using var npgsql = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => trace.recording ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
            ActivityStopped = a =>
            {
                if (trace.recording) lock (trace.steps) trace.steps.Add($"database ({a.Duration.TotalMilliseconds:0.00} ms): {OneLine(a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName)}");
            },
        };
        ActivitySource.AddActivityListener(npgsql);
        await spender.SpendAsync(customer, "trace-warm-" + Guid.NewGuid().ToString("N"));
        trace.recording = true;
        await spender.SpendAsync(customer, "trace-" + Guid.NewGuid().ToString("N"));
        trace.recording = false;
        return trace.steps;
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.EntityFrameworkCore") listener.Subscribe(this);
    }

    /// <summary>
    /// Where the time of one spend goes, sequentially (one worker, no contention): the wall time per spend, the part
    /// EF reports as waiting for the database commands and connection opens, and the rest (EF, DI, .NET) — and the
    /// same wall time for a raw spend and for creating the scope and resolving the service alone.
    /// </summary>
    public static async Task<string> ProfileAsync(BenchWorld world, int spends)
    {
        var trace = new SpendTrace();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(trace);
        var core = new CoreSpender(world.Services);
        var customers = world.Customers;
        trace.timing = true;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < spends; i++) await core.SpendAsync(customers[i % customers.Count], "profile-" + Guid.NewGuid().ToString("N"));
        var coreWall = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / spends;
        trace.timing = false;

        t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < spends; i++)
        {
            await using var scope = world.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<BudgetConsumption>();
        }
        var scopeWall = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / spends;

        await using var raw = await RawSpender.OpenAsync(world.Settings);
        t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < spends; i++) await raw.SpendAsync(customers[i % customers.Count], "profile-raw-" + Guid.NewGuid().ToString("N"));
        var rawWall = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / spends;

        var commandUs = Stopwatch.GetElapsedTime(0, trace.commandTicks).TotalMicroseconds / spends;
        var openUs = Stopwatch.GetElapsedTime(0, trace.openTicks).TotalMicroseconds / spends;
        // Query compilations or new internal service providers here would mean EF's caches miss on every call.
        int EventCount(string name) => trace.events.GetValueOrDefault(name);
        return $"Sequential profile of {spends} spends, µs per spend: Core {coreWall:N0} = {trace.commands / (double)spends:0.#} commands {commandUs:N0} " +
               $"+ {trace.opens / (double)spends:0.#} connection opens {openUs:N0} + the rest (EF, DI, transaction, savepoint, .NET) {coreWall - commandUs - openUs:N0}" +
               $" (of which new scope + resolve alone {scopeWall:N0}); raw {rawWall:N0}.\n" +
               $"  EF during the profile: {EventCount("QueryCompilationStarting")} query compilations, {EventCount("ServiceProviderCreated")} service providers created, " +
               $"{EventCount("CreatedTransactionSavepoint") / (double)spends:0.#} savepoints per spend.\n" +
               "  Largest gaps between EF events, µs per spend: " +
               string.Join(", ", trace.gaps.OrderByDescending(x => x.Value).Take(12).Select(x => $"{x.Key} {Stopwatch.GetElapsedTime(0, x.Value).TotalMicroseconds / spends:N0}"));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (timing)
        {
            var ev = e.Key[(e.Key.LastIndexOf('.') + 1)..];
            events[ev] = events.GetValueOrDefault(ev) + 1;
            var now = Stopwatch.GetTimestamp();
            if (lastTicks != 0)
            {
                var key = lastEvent + " → " + ev;
                gaps[key] = gaps.GetValueOrDefault(key) + (now - lastTicks);
            }
            (lastEvent, lastTicks) = (ev, now);
            switch (e.Value)
            {
                case CommandExecutedEventData c:
                    Interlocked.Add(ref commandTicks, (long)(c.Duration.TotalSeconds * Stopwatch.Frequency));
                    Interlocked.Increment(ref commands);
                    break;
                case ConnectionEndEventData o when e.Key.EndsWith("ConnectionOpened", StringComparison.Ordinal):
                    Interlocked.Add(ref openTicks, (long)(o.Duration.TotalSeconds * Stopwatch.Frequency));
                    Interlocked.Increment(ref opens);
                    break;
            }
            return;
        }
        if (!recording) return;
        var name = e.Key[(e.Key.LastIndexOf('.') + 1)..];
        switch (e.Value)
        {
            case CommandExecutedEventData c when name == "CommandExecuted":
                steps.Add($"command ({c.Duration.TotalMilliseconds:0.00} ms): {OneLine(c.Command.CommandText)}");
                break;
            case ConnectionEndEventData when name == "ConnectionOpened":
                steps.Add("ConnectionOpened");
                break;
            default:
                if (name is "TransactionStarted" or "TransactionCommitted" or "CreatedTransactionSavepoint" or "ReleasedTransactionSavepoint"
                    or "TransactionRolledBack" or "ConnectionClosed")
                    steps.Add(name);
                break;
        }
    }

    static string OneLine(string sql) => string.Join(' ', sql.Split((char[])['\r', '\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public void OnCompleted() { }
    public void OnError(Exception error) { }
}
