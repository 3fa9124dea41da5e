using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Catalog;

/// <summary>A cloud service type, e.g. <c>hws.service.type.ec2</c> (Elastic Cloud Server).</summary>
public sealed class ServiceType
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public string Abbreviation { get; set; } = "";
}

/// <summary>A resource type, e.g. <c>hws.resource.type.vm</c>. One resource type may be sold under several services.</summary>
public sealed class ResourceType
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
}

/// <summary>A usage factor a resource type is metered by (Duration, upflow, ...), with the unit usage is reported in.</summary>
public sealed class UsageType
{
    public required string Code { get; init; }
    public required string ResourceTypeCode { get; init; }
    public required string ServiceTypeCode { get; set; }
    public required string Name { get; set; }
    public int UsageMeasureId { get; set; }
}

/// <summary>A unit of measure (Huawei's measure_id): currency, time, data size, bandwidth, count.</summary>
public sealed class MeasureUnit
{
    public int MeasureId { get; init; }
    public required string Name { get; set; }
    public required string Abbreviation { get; set; }
    /// <summary>Units convert only within one measure type.</summary>
    public int MeasureType { get; set; }
}

/// <summary>One <see cref="MeasureId"/> equals <see cref="Ratio"/> of <see cref="RefMeasureId"/> (1 GB = 1024 MB).</summary>
public sealed class MeasureConversion
{
    public int MeasureId { get; init; }
    public int RefMeasureId { get; init; }
    public long Ratio { get; set; }
    public int MeasureType { get; set; }
}

public sealed class CatalogRegion
{
    public required string Code { get; init; }
    public required string Name { get; set; }
}

/// <summary>
/// A sellable product: one spec of a resource type of a service in one region. A linear product (disk per GB,
/// bandwidth per Mbps) has a <see cref="SizeMeasureId"/> and is priced per size unit within [min, max].
/// </summary>
public sealed class ResourceSpec
{
    public required string Id { get; init; }
    public required string ServiceTypeCode { get; init; }
    public required string ResourceTypeCode { get; init; }
    public required string SpecCode { get; init; }
    public required string Region { get; init; }
    public string Description { get; set; } = "";
    public int? SizeMeasureId { get; set; }
    public int? MinSize { get; set; }
    public int? MaxSize { get; set; }
    public bool IsLinear => SizeMeasureId is not null;
}

public enum PriceKind { Period, Usage }

/// <summary>
/// One line of a spec's price version. A version is every line of a spec sharing one <see cref="EffectiveFrom"/>: the
/// version in force at an instant is the one with the latest effective date not after it, so a scheduled change applies
/// from its date and older versions stay as history. A period line prices one period (per size unit when linear); a
/// usage line prices one usage unit from <see cref="TierStart"/> up to the next tier's start.
/// </summary>
public sealed class SpecPrice
{
    public long Id { get; init; }
    public required string SpecId { get; init; }
    public DateTime EffectiveFrom { get; init; }
    public PriceKind Kind { get; init; }
    /// <summary>Period lines: 0 day, 2 month, 3 year, 4 hour (Huawei's period_type).</summary>
    public int? PeriodType { get; init; }
    /// <summary>Usage lines: the usage factor (Duration, upflow, ...) and the unit the price is per.</summary>
    public string? UsageFactor { get; init; }
    public int? UsageMeasureId { get; init; }
    public decimal TierStart { get; init; }
    public decimal UnitPrice { get; init; }
}

/// <summary>Huawei's discount_type codes.</summary>
public static class DiscountTypes
{
    /// <summary>A commercial discount the platform grants a customer.</summary>
    public const int Commercial = 605;
    /// <summary>A distributor's commercial discount (not granted by this server yet; rated when present).</summary>
    public const int DistributorCommercial = 606;
    /// <summary>A discount a partner sets for one of its customers.</summary>
    public const int PartnerSet = 607;

    /// <summary>Best-offer ties are broken in this order (commercial first, as Huawei documents).</summary>
    public static int Priority(int type) => type switch { Commercial => 0, DistributorCommercial => 1, _ => 2 };
}

/// <summary>
/// A discount on list price granted to one customer: <see cref="Rate"/> is the share taken off (0.15 = 15 % off), for
/// every product or only one service type, valid from/to. Revoking keeps the row (who, when).
/// </summary>
public sealed class CustomerDiscount
{
    public required string Id { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string GrantedByAccountId { get; init; }
    public int DiscountType { get; init; }
    public decimal Rate { get; init; }
    public string? ServiceTypeCode { get; init; }
    public DateTime ValidFrom { get; init; }
    public DateTime? ValidTo { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

/// <summary>
/// The discount off list price the platform gives a partner on what its resale customers consume: the partner pays
/// list × (1 − <see cref="Rate"/>). Set by the operator; each change is a new row (history kept).
/// </summary>
public sealed class SettlementDiscount
{
    public long Id { get; init; }
    public required string PartnerAccountId { get; init; }
    public decimal Rate { get; init; }
    public DateTime EffectiveFrom { get; init; }
    public required string SetBy { get; init; }
}

sealed class CatalogConfiguration :
    IEntityTypeConfiguration<ServiceType>, IEntityTypeConfiguration<ResourceType>, IEntityTypeConfiguration<UsageType>,
    IEntityTypeConfiguration<MeasureUnit>, IEntityTypeConfiguration<MeasureConversion>, IEntityTypeConfiguration<CatalogRegion>,
    IEntityTypeConfiguration<ResourceSpec>, IEntityTypeConfiguration<SpecPrice>, IEntityTypeConfiguration<CustomerDiscount>,
    IEntityTypeConfiguration<SettlementDiscount>
{
    public void Configure(EntityTypeBuilder<ServiceType> e)
    {
        e.ToTable("catalog_service_types");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(128);
        e.Property(x => x.Abbreviation).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<ResourceType> e)
    {
        e.ToTable("catalog_resource_types");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(128);
        e.Property(x => x.Description).HasMaxLength(512);
    }

    public void Configure(EntityTypeBuilder<UsageType> e)
    {
        e.ToTable("catalog_usage_types");
        e.HasKey(x => new { x.ResourceTypeCode, x.Code });
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.ResourceTypeCode).HasMaxLength(64);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(128);
    }

    public void Configure(EntityTypeBuilder<MeasureUnit> e)
    {
        e.ToTable("catalog_measure_units");
        e.HasKey(x => x.MeasureId);
        e.Property(x => x.MeasureId).ValueGeneratedNever();
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Abbreviation).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<MeasureConversion> e)
    {
        e.ToTable("catalog_measure_conversions");
        e.HasKey(x => new { x.MeasureId, x.RefMeasureId });
    }

    public void Configure(EntityTypeBuilder<CatalogRegion> e)
    {
        e.ToTable("catalog_regions");
        e.HasKey(x => x.Code);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(128);
    }

    public void Configure(EntityTypeBuilder<ResourceSpec> e)
    {
        e.ToTable("catalog_resource_specs");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.ServiceTypeCode, x.ResourceTypeCode, x.SpecCode, x.Region }).IsUnique();
        e.HasIndex(x => new { x.ResourceTypeCode, x.Region });
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.ResourceTypeCode).HasMaxLength(64);
        e.Property(x => x.SpecCode).HasMaxLength(128);
        e.Property(x => x.Region).HasMaxLength(64);
        e.Property(x => x.Description).HasMaxLength(512);
        e.Ignore(x => x.IsLinear);
    }

    public void Configure(EntityTypeBuilder<SpecPrice> e)
    {
        e.ToTable("catalog_spec_prices");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.SpecId, x.EffectiveFrom });
        e.Property(x => x.SpecId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.UsageFactor).HasMaxLength(64);
        // Unit prices and tier bounds carry 8 decimals: micro-units would lose them.
        e.Property(x => x.TierStart).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.UnitPrice).HasConversion<PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<CustomerDiscount> e)
    {
        e.ToTable("customer_discounts");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.DiscountType });
        e.HasIndex(x => new { x.GrantedByAccountId, x.CreatedAt });
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.Rate).HasConversion<PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<SettlementDiscount> e)
    {
        e.ToTable("settlement_discounts");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.PartnerAccountId, x.EffectiveFrom });
        e.Property(x => x.Rate).HasConversion<PreciseAmountConverter>();
    }
}
