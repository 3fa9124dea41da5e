using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Coupons;

/// <summary>Huawei's codes of coupons and quotas, in one place.</summary>
public static class CouponCodes
{
    /// <summary>Coupon types: 1 cash coupon, 2 discount coupon, 4 flexi-purchase coupon (3 product coupons are not sold here).</summary>
    public const int Cash = 1, Discount = 2, FlexiPurchase = 4;
    /// <summary>Coupon status: 1 not activated (effective later), 2 usable, 3 used up, 4 expired, 5 reclaimed.</summary>
    public const int NotActivated = 1, Usable = 2, Used = 3, Expired = 4, Reclaimed = 5;
    /// <summary>Quota types: 0 cash-coupon quota (issues cash coupons), 1 flexi-purchase coupon quota.</summary>
    public const int CashQuota = 0, FlexiQuota = 1;
    /// <summary>Quota status: 0 normal, 3 invalid (expired or disabled), 4 adjusting, 5 frozen.</summary>
    public const int QuotaNormal = 0, QuotaInvalid = 3;

    /// <summary>The coupon type a quota type issues.</summary>
    public static int CouponTypeOf(int quotaType) => quotaType == FlexiQuota ? FlexiPurchase : Cash;

    /// <summary>PayOrders' coupon_infos type of a coupon type: 300 discount, 301 cash, 302 flexi-purchase.</summary>
    public static int PayTypeOf(int couponType) => couponType switch { Discount => 300, FlexiPurchase => 302, _ => 301 };
}

/// <summary>
/// A coupon quota: how much coupon value a partner may issue (not ledger money: a promise the operator funds when a
/// coupon is issued from it). The operator grants quotas to partners; a distributor delegates part of one to a reseller
/// as a child quota (<see cref="ParentQuotaId"/>), whose balance came out of the parent's.
/// </summary>
public sealed class CouponQuota
{
    public required string Id { get; init; }
    public required string PartnerAccountId { get; init; }
    public string? ParentQuotaId { get; init; }
    public int QuotaType { get; init; }
    public decimal QuotaValue { get; set; }
    public decimal Balance { get; set; }
    public int Status { get; set; }
    public DateTime EffectiveTime { get; init; }
    public DateTime ExpireTime { get; init; }
    /// <summary>The smallest and largest face value of one coupon issued from it.</summary>
    public decimal MinFaceValue { get; init; }
    public decimal MaxFaceValue { get; init; }
    /// <summary>Comma-separated cloud service type codes and product (resource spec) ids its coupons are limited to; empty: any.</summary>
    public string ServiceTypes { get; init; } = "";
    public string ProductIds { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A customer's coupon. A cash or flexi-purchase coupon holds value (<see cref="Balance"/>, on the ledger too: the
/// customer's coupon account); a discount coupon takes <see cref="DiscountRatio"/> off an order, at most
/// <see cref="FaceValue"/>, once. <see cref="LockOrderId"/>: the pending order it is reserved for.
/// </summary>
public sealed class Coupon
{
    public required string Id { get; init; }
    public required string CustomerAccountId { get; init; }
    /// <summary>The partner that issued it from a quota; null for the operator's test coupons.</summary>
    public string? PartnerAccountId { get; init; }
    public string? QuotaId { get; init; }
    public int QuotaType { get; init; }
    public int CouponType { get; init; }
    public decimal FaceValue { get; init; }
    public decimal Balance { get; set; }
    /// <summary>A discount coupon's share taken off (0.20 = 20 % off); null for value coupons.</summary>
    public decimal? DiscountRatio { get; init; }
    public DateTime EffectiveTime { get; init; }
    public DateTime ExpireTime { get; init; }
    public string ServiceTypes { get; init; } = "";
    public string ProductIds { get; init; } = "";
    public int Status { get; set; }
    public string? LockOrderId { get; set; }
    public bool IsFrozen { get; set; }
    public string Memo { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedTime { get; set; }
    /// <summary>The last order it paid.</summary>
    public string? OrderId { get; set; }
}

/// <summary>What happened to a coupon, each with the coupon's balance after it: the customer's change records and the partner's issue/reclaim records.</summary>
public static class CouponChangeKinds
{
    public const string Issue = "Issue", Use = "Use", Return = "Return", Reclaim = "Reclaim", UnbindReclaim = "UnbindReclaim", Expire = "Expire";
    /// <summary>Value moved between an enterprise master's coupon and its member's (see Enterprise/EnterpriseCoupons): out of one coupon, into the other.</summary>
    public const string TransferOut = "TransferOut", TransferIn = "TransferIn";
    public static readonly string[] All = [Issue, Use, Return, Reclaim, UnbindReclaim, Expire, TransferOut, TransferIn];

    /// <summary>ListPartnerCouponsRecord's operation_type; null for kinds that are not the partner's (a use).</summary>
    public static string? OperationType(string kind) => kind switch
    {
        Issue => "1", Reclaim => "2", UnbindReclaim => "3", Expire => "4", Return => "6", _ => null,
    };

    /// <summary>ListCustomerCouponChangeRecords' trade_type (Huawei's "DEDEUCT" spelling kept).</summary>
    public static string TradeType(string kind) => kind switch
    {
        Issue or TransferIn => "COUPONADJUST", Use => "DEDEUCT", Return => "REFUND", Expire => "EXPIRED", _ => "COUPONCANCEL",
    };
}

public sealed class CouponChange
{
    public long Id { get; init; }
    public required string CouponId { get; init; }
    public required string CustomerAccountId { get; init; }
    public string? PartnerAccountId { get; init; }
    public string? QuotaId { get; init; }
    public int QuotaType { get; init; }
    public required string Kind { get; init; }
    /// <summary>The change of the coupon's balance: positive when it gained, negative when it lost.</summary>
    public decimal Amount { get; init; }
    public decimal BalanceAfter { get; init; }
    /// <summary>The order a use or return was for.</summary>
    public string? Reference { get; init; }
    public DateTime At { get; init; }
    public string Remark { get; init; } = "";
}

/// <summary>A distributor's delegation (10) or reclaim (11) of coupon quota to or from a reseller.</summary>
public sealed class CouponQuotaRecord
{
    public long Id { get; init; }
    public required string DistributorAccountId { get; init; }
    public required string ResellerAccountId { get; init; }
    public required string QuotaId { get; init; }
    public required string ParentQuotaId { get; init; }
    public required string OperationType { get; init; }
    public decimal Amount { get; init; }
    public DateTime At { get; init; }
    public required string Operator { get; init; }
    public string Remark { get; init; } = "";
}

/// <summary>A coupon used by an order's payment, with the value it took off.</summary>
public sealed class OrderCoupon
{
    public required string OrderId { get; init; }
    public required string CouponId { get; init; }
    public int CouponType { get; init; }
    public decimal Amount { get; init; }
    /// <summary>How much of <see cref="Amount"/> refunds gave back to the coupon so far.</summary>
    public decimal ReturnedAmount { get; set; }
}

sealed class CouponConfiguration : IEntityTypeConfiguration<CouponQuota>, IEntityTypeConfiguration<Coupon>, IEntityTypeConfiguration<CouponChange>,
    IEntityTypeConfiguration<CouponQuotaRecord>, IEntityTypeConfiguration<OrderCoupon>
{
    public void Configure(EntityTypeBuilder<CouponQuota> e)
    {
        e.ToTable("coupon_quotas");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.ParentQuotaId).HasMaxLength(64);
        e.Property(x => x.ServiceTypes).HasMaxLength(1024);
        e.Property(x => x.ProductIds).HasMaxLength(1024);
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.HasIndex(x => x.ParentQuotaId);
    }

    public void Configure(EntityTypeBuilder<Coupon> e)
    {
        e.ToTable("coupons");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.QuotaId).HasMaxLength(64);
        e.Property(x => x.ServiceTypes).HasMaxLength(1024);
        e.Property(x => x.ProductIds).HasMaxLength(1024);
        e.Property(x => x.LockOrderId).HasMaxLength(64);
        e.Property(x => x.OrderId).HasMaxLength(64);
        e.Property(x => x.Memo).HasMaxLength(512);
        e.HasIndex(x => new { x.CustomerAccountId, x.Status });
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.HasIndex(x => new { x.Status, x.ExpireTime });
        e.HasIndex(x => x.LockOrderId);
    }

    public void Configure(EntityTypeBuilder<CouponChange> e)
    {
        e.ToTable("coupon_changes");
        e.HasKey(x => x.Id);
        e.Property(x => x.CouponId).HasMaxLength(64);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.QuotaId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Reference).HasMaxLength(64);
        e.Property(x => x.Remark).HasMaxLength(512);
        e.HasIndex(x => new { x.CustomerAccountId, x.Id });
        e.HasIndex(x => new { x.PartnerAccountId, x.Id });
        e.HasIndex(x => x.CouponId);
    }

    public void Configure(EntityTypeBuilder<CouponQuotaRecord> e)
    {
        e.ToTable("coupon_quota_records");
        e.HasKey(x => x.Id);
        e.Property(x => x.DistributorAccountId).HasMaxLength(64);
        e.Property(x => x.ResellerAccountId).HasMaxLength(64);
        e.Property(x => x.QuotaId).HasMaxLength(64);
        e.Property(x => x.ParentQuotaId).HasMaxLength(64);
        e.Property(x => x.OperationType).HasMaxLength(4);
        e.Property(x => x.Operator).HasMaxLength(64);
        e.Property(x => x.Remark).HasMaxLength(512);
        e.HasIndex(x => new { x.DistributorAccountId, x.Id });
    }

    public void Configure(EntityTypeBuilder<OrderCoupon> e)
    {
        e.ToTable("order_coupons");
        e.HasKey(x => new { x.OrderId, x.CouponId });
        e.Property(x => x.OrderId).HasMaxLength(64);
        e.Property(x => x.CouponId).HasMaxLength(64);
        e.HasIndex(x => x.CouponId);
    }
}
