using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Coupons;

/// <summary>
/// The answer a keyed UpdateCouponQuotas or ReclaimCouponQuotas gave, beside its idempotency key (same scope and key).
/// A batch answers per item; the rows it wrote cannot tell which refusals it answered, so the same request again reads
/// its answer here instead of working it out anew.
/// </summary>
public sealed class CouponQuotaAnswer
{
    public required string Scope { get; init; }
    public required string Key { get; init; }
    public required string Json { get; init; }
}

sealed class CouponQuotaAnswerConfiguration : IEntityTypeConfiguration<CouponQuotaAnswer>
{
    public void Configure(EntityTypeBuilder<CouponQuotaAnswer> e)
    {
        e.ToTable("coupon_quota_answers");
        e.HasKey(x => new { x.Scope, x.Key });
        e.Property(x => x.Scope).HasMaxLength(128);
        e.Property(x => x.Key).HasMaxLength(128);
    }
}

/// <summary>A batch's answer as kept: what was done, and each refused item with its error.</summary>
sealed record KeptAnswer<T>(List<T> Done, List<BatchError> Errors)
{
    public static void Keep(AppDbContext db, string scope, string key, List<T> done, List<BatchError> errors) =>
        db.Set<CouponQuotaAnswer>().Add(new CouponQuotaAnswer { Scope = scope, Key = key, Json = JsonSerializer.Serialize(new KeptAnswer<T>(done, errors)) });

    public static async Task<KeptAnswer<T>> ReadAsync(AppDbContext db, string scope, string key, CancellationToken ct) =>
        JsonSerializer.Deserialize<KeptAnswer<T>>(await db.Set<CouponQuotaAnswer>().AsNoTracking()
            .Where(a => a.Scope == scope && a.Key == key).Select(a => a.Json).SingleAsync(ct))!;
}
