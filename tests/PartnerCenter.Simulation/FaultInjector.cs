using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PartnerCenter.Simulation;

/// <summary>The fault the simulation injects: a database command that fails, as a lost connection or a crashed statement would.</summary>
public sealed class InjectedFault(int command) : DbException($"Injected fault at database command {command} of the operation.");

/// <summary>
/// Registered only in the simulation: when armed with k, the k-th EF command of the next operation throws
/// <see cref="InjectedFault"/>. Core's hot statements (ledger postings, budget moves) run on the connection below EF and
/// are not counted, but every money operation also issues EF commands before, between and after them, so a fault lands
/// in the middle of its work.
/// </summary>
public sealed class FaultInjector : DbCommandInterceptor
{
    int armedAt;
    int seen;

    /// <summary>Whether the armed fault fired during the operation.</summary>
    public bool Fired { get; private set; }

    public void Arm(int k) => (armedAt, seen, Fired) = (k, 0, false);

    public void Disarm() => (armedAt, Fired) = (0, false);

    // Thread-safe: a bill run's partners may run side by side in a Core test; exactly one command gets the fault.
    void Count()
    {
        var armed = Volatile.Read(ref armedAt);
        if (armed == 0) return;
        var n = Interlocked.Increment(ref seen);
        if (n < armed || Interlocked.CompareExchange(ref armedAt, 0, armed) != armed) return;
        Fired = true;
        throw new InjectedFault(n);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }
}
