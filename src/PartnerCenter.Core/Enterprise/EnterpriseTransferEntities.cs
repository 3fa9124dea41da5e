using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Enterprise;

/// <summary>
/// A credit ledger a master gave one member: the credit the member still holds of the master's transfers with one
/// expiry (<see cref="ExpiresAt"/> null: no expiry). The member's credit itself is its ledger credit account; this row
/// says how much of it the master may take back and until when. At expiry what is left returns to the master.
/// </summary>
public sealed class EnterpriseCreditLine
{
    /// <summary>The member and the expiry: one row per ledger (see <see cref="EnterpriseTransfers.CreditLineId"/>).</summary>
    public required string Id { get; init; }
    public required string MasterAccountId { get; init; }
    public required string MemberAccountId { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public decimal Amount { get; set; }
    public bool Expired { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A member's coupon made from part of a master's platform coupon: which coupon it came from, so its balance can go back there.</summary>
public sealed class EnterpriseSubCoupon
{
    public required string SubCouponId { get; init; }
    public required string CouponId { get; init; }
    public required string MasterAccountId { get; init; }
    public required string MemberAccountId { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class EnterpriseTransferConfiguration : IEntityTypeConfiguration<EnterpriseCreditLine>, IEntityTypeConfiguration<EnterpriseSubCoupon>
{
    public void Configure(EntityTypeBuilder<EnterpriseCreditLine> e)
    {
        e.ToTable("enterprise_credit_lines");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.MemberAccountId).HasMaxLength(32);
        e.HasIndex(x => new { x.MemberAccountId, x.Expired });
        e.HasIndex(x => new { x.Expired, x.ExpiresAt });
    }

    public void Configure(EntityTypeBuilder<EnterpriseSubCoupon> e)
    {
        e.ToTable("enterprise_sub_coupons");
        e.HasKey(x => x.SubCouponId);
        e.Property(x => x.SubCouponId).HasMaxLength(64);
        e.Property(x => x.CouponId).HasMaxLength(64);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.MemberAccountId).HasMaxLength(32);
        e.HasIndex(x => new { x.MemberAccountId, x.MasterAccountId });
    }
}
