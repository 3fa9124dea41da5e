using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Resources;

/// <summary>Huawei's resource status codes (ListPayPerUseCustomerResources status_list).</summary>
public static class ResourceStatus
{
    public const int InUse = 2;
    /// <summary>Released at the end of retention (hidden in the console).</summary>
    public const int Closed = 3;
    /// <summary>In the retention period: not usable, data kept.</summary>
    public const int Frozen = 4;
    /// <summary>Past its expiry, in the grace period: still usable.</summary>
    public const int Expired = 5;
}

/// <summary>Huawei's expire_policy codes. Only <see cref="AutoRenew"/> renews by itself.</summary>
public static class ExpirePolicy
{
    public const int EnterGrace = 0;
    public const int ToOnDemand = 1;
    public const int DeleteOnExpiry = 2;
    public const int AutoRenew = 3;
}

/// <summary>How a resource is charged (Huawei charge_mode).</summary>
public static class ChargeMode
{
    public const int Period = 1;
    public const int OnDemand = 3;
}

/// <summary>
/// A customer's cloud resource, created when its order is paid (yearly/monthly) or when a pay-per-use order is placed.
/// A main resource may carry attached ones (a VM's disks, a bandwidth's IPs) that renew and unsubscribe with it.
/// </summary>
public sealed class CloudResource
{
    /// <summary>Huawei resource_id.</summary>
    public required string Id { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string Name { get; set; }
    public required string Region { get; init; }
    public required string ServiceTypeCode { get; init; }
    public required string ResourceTypeCode { get; init; }
    public required string SpecCode { get; set; }
    public required string SpecId { get; set; }
    public decimal? SpecSize { get; set; }
    public int? SpecSizeMeasureId { get; set; }
    public bool IsMain { get; init; }
    public string? ParentResourceId { get; init; }
    /// <summary>The order that created it, and the last order that renewed or changed it.</summary>
    public required string OrderId { get; init; }
    public required string LastOrderId { get; set; }
    public int ChargeMode { get; set; }
    /// <summary>2 month or 3 year: the cycle of its purchase, which auto-renewal repeats.</summary>
    public int PeriodType { get; set; }
    public int PeriodNum { get; set; }
    public int Status { get; set; }
    public int ExpirePolicy { get; set; }
    /// <summary>Auto-renewals left (null: unlimited).</summary>
    public int? AutoRenewTimesLeft { get; set; }
    /// <summary>The period type auto-renewal uses (null: the resource's own).</summary>
    public int? AutoRenewPeriodType { get; set; }
    public DateTime EffectiveTime { get; init; }
    /// <summary>When the paid time ends (yearly/monthly); null for pay-per-use.</summary>
    public DateTime? ExpireTime { get; set; }
    /// <summary>When it entered grace, retention or was released, for the lifecycle jobs.</summary>
    public DateTime? StatusChangedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One paid stretch of a yearly/monthly resource: the purchase or a renewal, what was paid for it and by which order.
/// Unsubscribing refunds from these: the stretch in use by the formula, stretches not started in full.
/// </summary>
public sealed class ResourcePeriod
{
    public long Id { get; init; }
    public required string ResourceId { get; init; }
    public required string OrderId { get; init; }
    public DateTime Start { get; init; }
    public DateTime End { get; set; }
    public int PeriodType { get; init; }
    public int PeriodNum { get; init; }
    /// <summary>What the customer paid for this stretch (after its discount), 2 decimals.</summary>
    public decimal PaidAmount { get; init; }
    /// <summary>
    /// What the partner was charged for it (resale customers), 2 decimals; for a resale customer's stretch paid from its
    /// allocated cash, the settlement price it carries (the partner's revenue is reckoned against it; nobody was charged it).
    /// </summary>
    public decimal SettlementAmount { get; init; }
    /// <summary>What the customer's cash and flexi-purchase coupons paid for it, 2 decimals: given back to them when the whole stretch is refunded.</summary>
    public decimal CouponAmount { get; init; }
    public DateTime PaidAt { get; init; }
    /// <summary>Set when the stretch was unsubscribed and refunded.</summary>
    public DateTime? RefundedAt { get; set; }
}

sealed class ResourceConfiguration : IEntityTypeConfiguration<CloudResource>, IEntityTypeConfiguration<ResourcePeriod>
{
    public void Configure(EntityTypeBuilder<CloudResource> e)
    {
        e.ToTable("cloud_resources");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.HasIndex(x => new { x.CustomerAccountId, x.Status });
        e.HasIndex(x => new { x.Status, x.ExpireTime });
        e.HasIndex(x => x.ParentResourceId);
        e.HasIndex(x => x.OrderId);
        e.Property(x => x.Name).HasMaxLength(128);
        e.Property(x => x.Region).HasMaxLength(64);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.ResourceTypeCode).HasMaxLength(64);
        e.Property(x => x.SpecCode).HasMaxLength(64);
        e.Property(x => x.SpecId).HasMaxLength(64);
        e.Property(x => x.ParentResourceId).HasMaxLength(64);
        e.Property(x => x.OrderId).HasMaxLength(32);
        e.Property(x => x.LastOrderId).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<ResourcePeriod> e)
    {
        e.ToTable("resource_periods");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.ResourceId, x.Start });
        e.HasIndex(x => x.OrderId);
        e.Property(x => x.ResourceId).HasMaxLength(64);
        e.Property(x => x.OrderId).HasMaxLength(32);
    }
}
