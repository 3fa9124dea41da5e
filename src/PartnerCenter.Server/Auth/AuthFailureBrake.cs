using System.Net;
using System.Threading.RateLimiting;

namespace PartnerCenter.Server.Auth;

/// <summary>
/// Slows down guessing: failed authentications are counted per client address and per access key in token buckets
/// (<c>--auth-brake:burst</c> failures at once, then <c>--auth-brake:per-second</c>). An address that used up its
/// bucket is answered 429 before its credentials are even checked; a key that did gets 429 instead of 401 for a failed
/// signature, while correct signatures with it still pass, so a stranger cannot lock its owner out. A request that
/// authenticates costs one lookup.
/// </summary>
public sealed class AuthFailureBrake(int burst, double perSecond) : IDisposable
{
    readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, (int)Math.Round(perSecond)) / perSecond),
            QueueLimit = 0,
        }));

    static string Address(IPAddress? address) => "ip:" + (address?.ToString() ?? "unknown");

    /// <summary>Whether this address has no failures left (checked before its credentials are).</summary>
    public bool IsBlocked(IPAddress? address) => failures.GetStatistics(Address(address))?.CurrentAvailablePermits <= 0;

    /// <summary>Counts a failed authentication; true when the address or the key has now failed too often.</summary>
    public bool Fail(IPAddress? address, string? accessKey)
    {
        var addressOk = failures.AttemptAcquire(Address(address)).IsAcquired;
        var keyOk = accessKey is null || failures.AttemptAcquire("ak:" + accessKey).IsAcquired;
        return !(addressOk && keyOk);
    }

    public void Dispose() => failures.Dispose();
}
