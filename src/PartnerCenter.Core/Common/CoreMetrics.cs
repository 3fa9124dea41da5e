using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PartnerCenter.Core.Common;

/// <summary>
/// The business's own metrics (meter "PartnerCenter"), exported at /metrics by the server: job runs by job and outcome
/// with their duration, and money moved through the ledger by entry kind. Ledger entries are counted when their
/// transaction commits, so a payment that rolls back moves nothing here either.
/// </summary>
public static class CoreMetrics
{
    public const string MeterName = "PartnerCenter";
    static readonly Meter Meter = new(MeterName);

    static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("partner_center.job.duration", "s",
        "How long one job period took, by job and outcome (completed or failed).");
    static readonly Counter<long> LedgerEntries = Meter.CreateCounter<long>("partner_center.ledger.entries", "{entry}",
        "Journal entries committed, by kind.");
    static readonly Counter<double> MoneyMoved = Meter.CreateCounter<double>("partner_center.ledger.money_moved", "USD",
        "Money moved by committed journal entries (the sum of their movements), by entry kind.");

    static readonly ConditionalWeakTable<DbTransaction, List<(string Kind, decimal Amount)>> Pending = new();

    public static void JobRan(string job, bool completed, TimeSpan took) =>
        JobDuration.Record(took.TotalSeconds, new("job", job), new("outcome", completed ? "completed" : "failed"));

    /// <summary>Notes an entry posted in a transaction; it is counted if and when that transaction commits.</summary>
    internal static void EntryPosted(DbTransaction transaction, string kind, decimal amount) =>
        Pending.GetOrCreateValue(transaction).Add((kind, amount));

    static void Committed(DbTransaction transaction)
    {
        if (!Pending.TryGetValue(transaction, out var entries)) return;
        Pending.Remove(transaction);
        foreach (var (kind, amount) in entries)
        {
            LedgerEntries.Add(1, new KeyValuePair<string, object?>("kind", kind));
            MoneyMoved.Add((double)amount, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    /// <summary>Counts a transaction's ledger entries when it commits; drops them when it rolls back.</summary>
    internal sealed class CommitCounter : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        {
            Committed(transaction);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Pending.Remove(transaction);

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
        {
            Pending.Remove(transaction);
            return Task.CompletedTask;
        }
    }
}
