using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Clock;

/// <summary>Daily at 03:00 UTC: deletes tokens that had expired by then. Deleting is naturally idempotent.</summary>
public sealed class TokenPurgeJob : IIdlePeriodsJob
{
    public string Name => "iam.tokens.purge";

    public DateTime NextAfter(DateTime instant) => Schedules.DailyAfter(instant, TimeSpan.FromHours(3));

    public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) => AuthService.PurgeExpiredAsync(db, period, ct);

    /// <summary>A period is idle up to the first expiry (what expired strictly before a period is deleted by its run).</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct)
    {
        var key = await db.TemporaryAccessKeys.MinAsync(k => (DateTime?)k.ExpiresAt, ct);
        var token = await db.Tokens.MinAsync(t => (DateTime?)t.ExpiresAt, ct);
        return IdlePeriods.Before(periods, key?.AddTicks(1), token?.AddTicks(1));
    }

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing
}
