using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

/// <summary>
/// One setting of the referral incentive by the operator: partners of <see cref="Program"/> earn <see cref="Rate"/> of
/// their referral customers' consumption (of <see cref="ServiceTypeCode"/>, or of every service when null) from the
/// month <see cref="EffectiveFrom"/> on. Rows are never changed: the newest row in force for a month wins, so the
/// rows are the history and a past month's statement keeps the rate it had.
/// </summary>
public sealed class IncentiveRate
{
    public long Id { get; init; }
    public PartnerProgram Program { get; init; }
    public string? ServiceTypeCode { get; init; }
    /// <summary>The share of consumption paid as incentive: 0 to 1, at most 4 decimals.</summary>
    public decimal Rate { get; init; }
    /// <summary>Whether partners of the program may grant their customers discounts on the service (ListIncentiveDiscountPolicies' allow_discount).</summary>
    public bool AllowDiscount { get; init; }
    /// <summary>"YYYY-MM": the first bill cycle the rate applies to.</summary>
    public required string EffectiveFrom { get; init; }
    public required string SetBy { get; init; }
    public DateTime SetAt { get; init; }
}

/// <summary>A partner's revenue goal for one calendar year (Beijing months), which the partner sets and changes.</summary>
public sealed class RevenueGoal
{
    public required string PartnerAccountId { get; init; }
    public int Year { get; init; }
    public decimal Amount { get; set; }
    public DateTime UpdatedAt { get; set; }
}

sealed class RevenueConfiguration : IEntityTypeConfiguration<IncentiveRate>, IEntityTypeConfiguration<RevenueGoal>
{
    public void Configure(EntityTypeBuilder<IncentiveRate> e)
    {
        e.ToTable("incentive_rates");
        e.HasKey(x => x.Id);
        e.Property(x => x.Program).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.ServiceTypeCode).HasMaxLength(64);
        e.Property(x => x.Rate).HasConversion<PreciseAmountConverter>();
        e.Property(x => x.EffectiveFrom).HasMaxLength(7);
        e.Property(x => x.SetBy).HasMaxLength(64);
        e.HasIndex(x => new { x.Program, x.EffectiveFrom });
    }

    public void Configure(EntityTypeBuilder<RevenueGoal> e)
    {
        e.ToTable("revenue_goals");
        e.HasKey(x => new { x.PartnerAccountId, x.Year });
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.Amount).HasConversion<MoneyConverter>();
    }
}
