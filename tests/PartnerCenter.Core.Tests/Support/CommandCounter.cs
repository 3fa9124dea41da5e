using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PartnerCenter.Core.Tests.Support;

/// <summary>Counts the database commands EF sends, for tests that hold a page to a fixed number of queries.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    int count;

    public int Count => Volatile.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref count);
        return result;
    }
}
