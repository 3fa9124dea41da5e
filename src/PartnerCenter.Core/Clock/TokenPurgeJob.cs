using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Clock;

/// <summary>Daily at 03:00 UTC: deletes tokens that had expired by then. Deleting is naturally idempotent.</summary>
public sealed class TokenPurgeJob : IScheduledJob
{
    public string Name => "iam.tokens.purge";

    public DateTime NextAfter(DateTime instant) => Schedules.DailyAfter(instant, TimeSpan.FromHours(3));

    public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) => AuthService.PurgeExpiredAsync(db, period, ct);
}
