using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Usage;

/// <summary>
/// One usage record reported by a cloud service's metering for a pay-per-use resource. Its <see cref="RecordId"/> is
/// the idempotency key: a record sent again is not counted twice. It is rated by the hourly run after it arrived
/// (<see cref="RatingPeriod"/>), for the hour its usage began in (<see cref="Hour"/>).
/// </summary>
public sealed class UsageRecord
{
    public required string RecordId { get; init; }
    public required string ResourceId { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string UsageFactor { get; init; }
    /// <summary>8 decimals, in <see cref="UsageMeasureId"/>.</summary>
    public decimal UsageValue { get; init; }
    public int UsageMeasureId { get; init; }
    public DateTime BeginTime { get; init; }
    public DateTime EndTime { get; init; }
    /// <summary>The start of the hour <see cref="BeginTime"/> falls in: the hour the usage is billed for.</summary>
    public DateTime Hour { get; init; }
    /// <summary>The hourly rating run that rates it: the first hour boundary after it was received.</summary>
    public DateTime RatingPeriod { get; init; }
    public DateTime ReceivedAt { get; init; }
}

/// <summary>
/// One fee record: the usage of one factor of one resource in one hour, rated in one run, with Huawei's 8-decimal
/// resource-level amounts. Deductions are made from the accumulated amounts at 2 decimals (<see cref="UsageAccount"/>).
/// Stored inside its customer's <see cref="UsageFeeHour"/>; read with <see cref="UsageFees"/>.
/// </summary>
/// <param name="UsageValue">The usage in the unit the price is per (<paramref name="UsageMeasureId"/>), before free resources.</param>
/// <param name="FreeResourceUsed">How much of the usage free-resource packages covered (same unit); only the rest is rated.</param>
/// <param name="OfficialAmount">List price, 8 decimals.</param>
/// <param name="Amount">After the customer's best discount, 8 decimals: what a direct customer pays.</param>
/// <param name="SettlementAmount">What the partner pays the platform for a resale customer, 8 decimals (= official otherwise).</param>
public sealed record UsageFee(string CustomerAccountId, DateTime Hour, DateTime RatingPeriod, string ResourceId, string SpecId, string ServiceTypeCode,
    string ResourceTypeCode, string Region, string UsageFactor, decimal UsageValue, int UsageMeasureId, decimal FreeResourceUsed, decimal OfficialAmount,
    decimal Amount, decimal SettlementAmount);

/// <summary>
/// The fees one rating run wrote for one customer and one hour of usage: their totals, and the fees themselves as
/// parallel arrays (element i of each array is fee i). One row per customer-hour instead of one per resource-hour cuts
/// the durable write of an hourly run several times over while every fee keeps its exact amounts; a fee's service,
/// resource type and region are its spec's, which the catalog fixes. Quantities and amounts are in 10⁻⁸ units, as
/// <see cref="PreciseAmountConverter"/> stores them elsewhere.
/// </summary>
public sealed class UsageFeeHour
{
    public required string CustomerAccountId { get; init; }
    public DateTime Hour { get; init; }
    public DateTime RatingPeriod { get; init; }
    public int Fees { get; init; }
    public decimal OfficialAmount { get; init; }
    public decimal Amount { get; init; }
    public decimal SettlementAmount { get; init; }
    public DateTime CreatedAt { get; init; }
    public required string[] ResourceIds { get; init; }
    public required string[] SpecIds { get; init; }
    public required string[] UsageFactors { get; init; }
    public required long[] UsageValues { get; init; }
    public required int[] UsageMeasureIds { get; init; }
    public required long[] FreeResourceUsed { get; init; }
    public required long[] OfficialAmounts { get; init; }
    public required long[] Amounts { get; init; }
    public required long[] SettlementAmounts { get; init; }

    /// <summary>The hour row of <paramref name="fees"/>, all of one customer, hour and run.</summary>
    public static UsageFeeHour Of(IReadOnlyList<UsageFee> fees, DateTime createdAt)
    {
        static long Units(decimal v) => (long)(v * Money.PreciseUnitsPerUnit);
        var first = fees[0];
        return new UsageFeeHour
        {
            CustomerAccountId = first.CustomerAccountId, Hour = first.Hour, RatingPeriod = first.RatingPeriod, Fees = fees.Count,
            OfficialAmount = fees.Sum(f => f.OfficialAmount), Amount = fees.Sum(f => f.Amount), SettlementAmount = fees.Sum(f => f.SettlementAmount), CreatedAt = createdAt,
            ResourceIds = [.. fees.Select(f => f.ResourceId)], SpecIds = [.. fees.Select(f => f.SpecId)], UsageFactors = [.. fees.Select(f => f.UsageFactor)],
            UsageValues = [.. fees.Select(f => Units(f.UsageValue))], UsageMeasureIds = [.. fees.Select(f => f.UsageMeasureId)],
            FreeResourceUsed = [.. fees.Select(f => Units(f.FreeResourceUsed))], OfficialAmounts = [.. fees.Select(f => Units(f.OfficialAmount))],
            Amounts = [.. fees.Select(f => Units(f.Amount))], SettlementAmounts = [.. fees.Select(f => Units(f.SettlementAmount))],
        };
    }

    /// <summary>Fee <paramref name="i"/> of the row, with its spec's service, resource type and region.</summary>
    public UsageFee Fee(int i, (string Service, string ResourceType, string Region) spec)
    {
        static decimal Amount(long units) => units / Money.PreciseUnitsPerUnit;
        return new UsageFee(CustomerAccountId, Hour, RatingPeriod, ResourceIds[i], SpecIds[i], spec.Service, spec.ResourceType, spec.Region, UsageFactors[i],
            Amount(UsageValues[i]), UsageMeasureIds[i], Amount(FreeResourceUsed[i]), Amount(OfficialAmounts[i]), Amount(Amounts[i]), Amount(SettlementAmounts[i]));
    }
}

/// <summary>
/// One hourly rating run that wrote its fees: inserted in the same transaction as the fees, its key lets a period's
/// fees be written once only (a unique index over every fee did the same at several times the cost of the write).
/// </summary>
public sealed class UsageRatingPeriod
{
    public DateTime Period { get; init; }
    public int Fees { get; init; }
    public int Records { get; init; }
}

/// <summary>
/// A customer's running pay-per-use totals: what was rated (8 decimals) and what has been deducted (2 decimals). Each
/// run deducts the accumulated amount truncated to the cent minus what was already deducted, so sub-cent remainders
/// carry over and nothing is lost or charged twice.
/// </summary>
public sealed class UsageAccount
{
    public required string CustomerAccountId { get; init; }
    /// <summary>Sum of fee amounts after discount (what a direct customer owes).</summary>
    public decimal Accrued { get; set; }
    public decimal Deducted { get; set; }
    /// <summary>Sum of fee list amounts (a resale customer's budget is spent at list price).</summary>
    public decimal AccruedOfficial { get; set; }
    public decimal SpentOfficial { get; set; }
    /// <summary>Sum of fee settlement amounts (what the resale partner is charged).</summary>
    public decimal AccruedSettlement { get; set; }
    public decimal ChargedSettlement { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Free-resource package statuses (Huawei): 0 not yet effective, 1 effective, 2 used up, 3 expired, 4 unsubscribed.</summary>
public static class FreeResourceStatus
{
    public const int NotEffective = 0;
    public const int Effective = 1;
    public const int UsedUp = 2;
    public const int Expired = 3;
}

/// <summary>
/// A free-resource package granted to a customer, holding one free resource item: an amount of one usage factor of
/// one resource type in one region (optionally one spec), consumed by matching usage before it is rated.
/// </summary>
public sealed class FreeResourcePackage
{
    /// <summary>Huawei order_instance_id; the item's free_resource_id is <see cref="FreeResourceId"/>.</summary>
    public required string Id { get; init; }
    public required string FreeResourceId { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string ProductName { get; init; }
    public required string ServiceTypeCode { get; init; }
    public required string ResourceTypeCode { get; init; }
    public required string Region { get; init; }
    /// <summary>Null: any spec of the resource type.</summary>
    public string? SpecCode { get; init; }
    public required string UsageFactor { get; init; }
    /// <summary>The unit <see cref="OriginalAmount"/> and <see cref="Remaining"/> are in (the unit the usage is priced in).</summary>
    public int MeasureId { get; init; }
    public decimal OriginalAmount { get; init; }
    public decimal Remaining { get; set; }
    public DateTime EffectiveTime { get; init; }
    public DateTime ExpireTime { get; init; }
    public required string GrantedBy { get; init; }
    public DateTime CreatedAt { get; init; }

    public int StatusAt(DateTime now) =>
        now < EffectiveTime ? FreeResourceStatus.NotEffective : now >= ExpireTime ? FreeResourceStatus.Expired
        : Remaining <= 0 ? FreeResourceStatus.UsedUp : FreeResourceStatus.Effective;
}

/// <summary>
/// What one rating run took from one free-resource package for one resource's usage of one hour (in the package's
/// unit), and what the package had left after it: written with the fees, it answers which usage used a package.
/// </summary>
public sealed class FreeResourceDeduction
{
    public long Id { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string PackageId { get; init; }
    public required string FreeResourceId { get; init; }
    public required string ResourceId { get; init; }
    public required string ResourceTypeCode { get; init; }
    public required string UsageFactor { get; init; }
    /// <summary>The hour the usage was for (the deduction time), and the run that rated it.</summary>
    public DateTime Hour { get; init; }
    public DateTime RatingPeriod { get; init; }
    public decimal Used { get; init; }
    public decimal RemainingAfter { get; init; }
    public int MeasureId { get; init; }
}

sealed class UsageConfiguration : IEntityTypeConfiguration<UsageRecord>, IEntityTypeConfiguration<UsageFeeHour>, IEntityTypeConfiguration<UsageAccount>,
    IEntityTypeConfiguration<FreeResourcePackage>, IEntityTypeConfiguration<UsageRatingPeriod>, IEntityTypeConfiguration<FreeResourceDeduction>
{
    public void Configure(EntityTypeBuilder<FreeResourceDeduction> e)
    {
        e.ToTable("free_resource_deductions");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.Hour });
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.PackageId).HasMaxLength(64);
        e.Property(x => x.FreeResourceId).HasMaxLength(64);
        e.Property(x => x.ResourceId).HasMaxLength(64);
        e.Property(x => x.ResourceTypeCode).HasMaxLength(64);
        e.Property(x => x.UsageFactor).HasMaxLength(32);
        e.Property(x => x.Used).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.RemainingAfter).HasConversion<PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<UsageRatingPeriod> e)
    {
        e.ToTable("usage_rating_periods");
        e.HasKey(x => x.Period);
    }

    public void Configure(EntityTypeBuilder<UsageRecord> e)
    {
        e.ToTable("usage_records");
        e.HasKey(x => x.RecordId);
        e.Property(x => x.RecordId).HasMaxLength(64);
        e.Property(x => x.ResourceId).HasMaxLength(64);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.UsageFactor).HasMaxLength(32);
        e.Property(x => x.UsageValue).HasConversion<PreciseAmountConverter>();
        e.HasIndex(x => new { x.RatingPeriod, x.CustomerAccountId });
    }

    public void Configure(EntityTypeBuilder<UsageFeeHour> e)
    {
        e.ToTable("usage_fee_hours");
        // The one index: the key serves every read (a customer's hours of a range, its runs within the range).
        e.HasKey(x => new { x.CustomerAccountId, x.Hour, x.RatingPeriod });
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.OfficialAmount).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.Amount).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.SettlementAmount).HasConversion<PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<UsageAccount> e)
    {
        e.ToTable("usage_accounts");
        e.HasKey(x => x.CustomerAccountId);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.Accrued).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.AccruedOfficial).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.AccruedSettlement).HasConversion<PreciseAmountConverter>();
        // All six in 10⁻⁸ units, so SQL can compare what was accrued with what was charged.
        e.Property(x => x.Deducted).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.SpentOfficial).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.ChargedSettlement).HasConversion<PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<FreeResourcePackage> e)
    {
        e.ToTable("free_resource_packages");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.FreeResourceId).HasMaxLength(64);
        e.HasIndex(x => x.FreeResourceId).IsUnique();
        e.HasIndex(x => new { x.CustomerAccountId, x.ExpireTime });
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.ProductName).HasMaxLength(128);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.ResourceTypeCode).HasMaxLength(64);
        e.Property(x => x.Region).HasMaxLength(64);
        e.Property(x => x.SpecCode).HasMaxLength(64);
        e.Property(x => x.UsageFactor).HasMaxLength(32);
        e.Property(x => x.GrantedBy).HasMaxLength(64);
        e.Property(x => x.OriginalAmount).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.Remaining).HasConversion<PreciseAmountConverter>();
    }
}
