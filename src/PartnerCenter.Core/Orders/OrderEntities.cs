using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Orders;

/// <summary>Huawei's order status codes (the ones this product reaches).</summary>
public static class OrderStatus
{
    public const int Cancelled = 4;
    public const int Completed = 5;
    public const int PendingPayment = 6;
}

/// <summary>Huawei's order type codes.</summary>
public static class OrderType
{
    public const int NewPurchase = 1;
    public const int Renewal = 2;
    public const int Change = 3;
    public const int Unsubscribe = 4;
    /// <summary>A yearly/monthly resource turned into pay-per-use at once (its unused time refunded).</summary>
    public const int ToOnDemand = 10;
}

/// <summary>Huawei's order source codes: who placed it.</summary>
public static class OrderSource
{
    public const int Customer = 1;
    /// <summary>The customer's partner placed it on the customer's behalf.</summary>
    public const int Partner = 2;
    public const int System = 8;
}

/// <summary>Huawei's discount type codes on orders (PayOrders, ListOrderDiscounts).</summary>
public static class OrderDiscountType
{
    public const int Commercial = 2;
    public const int PartnerGranted = 3;

    /// <summary>The rating engine's inquiry codes (605 commercial, 607 partner-set) as order discount codes.</summary>
    public static int FromRating(int ratingType) => ratingType == 607 ? PartnerGranted : Commercial;
}

/// <summary>
/// A yearly/monthly order of one customer. Prices are fixed when the order is created (list price, the discounts it
/// may use, the partner's settlement price), so what was quoted is what is paid.
/// </summary>
public sealed class Order
{
    public required string Id { get; init; }
    public required string CustomerAccountId { get; init; }
    /// <summary>The client token of the request that created it: a retried creation answers this order.</summary>
    public required string ClientToken { get; init; }
    public int OrderType { get; init; }
    public int SourceType { get; init; }
    public int Status { get; set; }
    public required string ServiceTypeCode { get; init; }
    /// <summary>List price of all lines (Huawei official_amount), 2 decimals.</summary>
    public decimal OfficialAmount { get; init; }
    /// <summary>What the customer pays after the discount used (Huawei amount_after_discount); the list price until paid.</summary>
    public decimal AmountAfterDiscount { get; set; }
    /// <summary>What the platform charges a resale customer's partner.</summary>
    public decimal SettlementAmount { get; init; }
    /// <summary>
    /// The partner funding a resale customer's order when it was created (null: the customer pays itself); cleared when
    /// the customer pays it from the money its partner allocated to it (<see cref="AllocatedFunds"/>).
    /// </summary>
    public string? FundingPartnerAccountId { get; set; }
    /// <summary>
    /// The partner whose allocated money paid this resale customer's order (<see cref="AllocatedFunds"/>); null otherwise.
    /// A refund after that association ended goes back to this partner.
    /// </summary>
    public string? AllocatedByPartnerAccountId { get; set; }
    /// <summary>
    /// The enterprise master that paid this finance-custody member's order from its own balance (Huawei agent_pay_info
    /// paying_agent_id); null when the customer or its partner paid. Refunds go back to it, and a refund order names the
    /// master it gave money back to.
    /// </summary>
    public string? PaidByAccountId { get; set; }
    public string? DiscountId { get; set; }
    public int? DiscountType { get; set; }
    /// <summary>What coupons paid of <see cref="AmountAfterDiscount"/> (Huawei amount_info coupon_amount); 0 without coupons.</summary>
    public decimal CouponAmount { get; set; }
    public required string CreatedByUserName { get; init; }
    /// <summary>The partner account that placed it on the customer's behalf (null when the customer did).</summary>
    public string? PlacedByPartnerAccountId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime PaymentDeadline { get; init; }
    public DateTime? PaidAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    public List<OrderLine> Lines { get; init; } = [];
    public List<OrderDiscountOption> DiscountOptions { get; init; } = [];
}

/// <summary>One product of an order, priced by the rating engine.</summary>
public sealed class OrderLine
{
    public required string Id { get; init; }
    public required string OrderId { get; init; }
    public required string SpecId { get; init; }
    /// <summary>The resource the line buys (its id is chosen when a purchase is ordered) or renews.</summary>
    public required string ResourceId { get; init; }
    public bool IsMainResource { get; init; } = true;
    /// <summary>For an attached resource (a disk of a VM, a bandwidth of an IP): its main resource.</summary>
    public string? ParentResourceId { get; init; }
    public required string CloudServiceType { get; init; }
    public required string ResourceType { get; init; }
    public required string ResourceSpec { get; init; }
    public required string Region { get; init; }
    public decimal? ResourceSize { get; init; }
    public int? SizeMeasureId { get; init; }
    public int PeriodType { get; init; }
    public int PeriodNum { get; init; }
    public int SubscriptionNum { get; init; }
    /// <summary>
    /// A renewal stretched to the customer's unified renewal date: the days added after the period (priced in
    /// <see cref="OfficialAmount"/>), so the renewed resource ends on that date. Null: none.
    /// </summary>
    public int? ExtraDays { get; init; }
    public decimal OfficialAmount { get; init; }
    public decimal SettlementAmount { get; init; }
}

/// <summary>A discount the order may be paid with (exactly one is used), fixed at creation.</summary>
public sealed class OrderDiscountOption
{
    public required string OrderId { get; init; }
    public required string DiscountId { get; init; }
    public int DiscountType { get; init; }
    public decimal DiscountAmount { get; init; }
    public decimal AmountAfterDiscount { get; init; }
    public bool BestOffer { get; init; }
}

sealed class OrderConfiguration : IEntityTypeConfiguration<Order>, IEntityTypeConfiguration<OrderLine>, IEntityTypeConfiguration<OrderDiscountOption>
{
    public void Configure(EntityTypeBuilder<Order> e)
    {
        e.ToTable("orders");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.HasIndex(x => new { x.CustomerAccountId, x.ClientToken }).IsUnique();
        e.HasIndex(x => new { x.CustomerAccountId, x.CreatedAt });
        e.HasIndex(x => new { x.FundingPartnerAccountId, x.CreatedAt });
        e.HasIndex(x => new { x.Status, x.PaymentDeadline });
        e.HasIndex(x => new { x.PaidByAccountId, x.CreatedAt });
        e.Property(x => x.PaidByAccountId).HasMaxLength(32);
        e.Property(x => x.AllocatedByPartnerAccountId).HasMaxLength(64);
        e.Property(x => x.ClientToken).HasMaxLength(64);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.DiscountId).HasMaxLength(64);
        e.Property(x => x.CreatedByUserName).HasMaxLength(64);
        e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OrderId);
        e.HasMany(x => x.DiscountOptions).WithOne().HasForeignKey(d => d.OrderId);
    }

    public void Configure(EntityTypeBuilder<OrderLine> e)
    {
        e.ToTable("order_lines");
        e.HasKey(x => x.Id);
        e.Property(x => x.SpecId).HasMaxLength(64);
        e.Property(x => x.ResourceId).HasMaxLength(64);
        e.Property(x => x.ParentResourceId).HasMaxLength(64);
        e.HasIndex(x => x.ResourceId);
        e.Property(x => x.CloudServiceType).HasMaxLength(64);
        e.Property(x => x.ResourceType).HasMaxLength(64);
        e.Property(x => x.ResourceSpec).HasMaxLength(64);
        e.Property(x => x.Region).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<OrderDiscountOption> e)
    {
        e.ToTable("order_discount_options");
        e.HasKey(x => new { x.OrderId, x.DiscountId });
        e.Property(x => x.DiscountId).HasMaxLength(64);
    }
}
