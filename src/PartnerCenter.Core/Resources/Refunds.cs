using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Resources;

/// <summary>One line of an unsubscribe order (ShowRefundOrderDetails): a refund is negative, what was consumed or charged as a fee positive.</summary>
public sealed class RefundLine
{
    public long Id { get; init; }
    public required string OrderId { get; init; }
    public required string ResourceId { get; init; }
    /// <summary>The order that bought the refunded stretch.</summary>
    public required string BaseOrderId { get; init; }
    public required string Kind { get; init; }
    public decimal Amount { get; init; }
}

public static class RefundKinds
{
    public const string Paid = "paid";
    public const string Consumed = "consumed";
    public const string Fee = "fee";
    public const string Refund = "refund";
}

/// <summary>What unsubscribing one paid stretch gives back; <paramref name="Whole"/>: refunded whole, the cash and flexi-purchase coupons it used with it.</summary>
public sealed record StretchRefund(decimal Paid, decimal Consumed, decimal Fee, decimal Refund, bool Whole = false);

/// <summary>
/// The refund rules for unsubscribing yearly/monthly resources, as the Partner Center documents them:
/// <list type="bullet">
/// <item>within 5 days of purchase, the whole payment comes back, and the cash coupons it used;</item>
/// <item>a stretch not started yet (an unused renewal) comes back whole, without fee, its coupons too;</item>
/// <item>the stretch in use: refund = paid − consumed − fee, never negative, where consumed = paid × used hours / ordered
/// hours (both whole hours, rounded down) and the fee is 10 % for monthly and 1-year terms, 15/10 % for 2-year terms
/// (used ≤ 1 year / more), 15/10/5 % for 3-year terms (used ≤ 1 year / ≤ 2 years / more), of the paid amount; the
/// coupons it used are not given back.</item>
/// </list>
/// All amounts at 2 decimals, half away from zero.
/// </summary>
public static class RefundRules
{
    public static readonly TimeSpan UnconditionalWindow = TimeSpan.FromDays(5);

    public static StretchRefund ForStretch(decimal paid, DateTime start, DateTime end, int periodType, int periodNum, DateTime purchasedAt, DateTime now)
    {
        if (now - purchasedAt <= UnconditionalWindow || now <= start) return new StretchRefund(paid, 0, 0, paid, Whole: true);
        if (now >= end) return new StretchRefund(paid, paid, 0, 0);
        var usedHours = Math.Floor((now - start).TotalHours);
        var orderedHours = Math.Floor((end - start).TotalHours);
        var consumed = Money.Round2(paid * (decimal)usedHours / (decimal)orderedHours);
        var fee = Money.Round2(paid * FeeRate(periodType, periodNum, now - start));
        return new StretchRefund(paid, consumed, fee, Math.Max(0, paid - consumed - fee));
    }

    public static decimal FeeRate(int periodType, int periodNum, TimeSpan used)
    {
        var years = periodType == 3 ? periodNum : 0;
        var usedYears = used.TotalDays / 365;
        return years switch
        {
            3 => usedYears <= 1 ? 0.15m : usedYears <= 2 ? 0.10m : 0.05m,
            2 => usedYears <= 1 ? 0.15m : 0.10m,
            _ => 0.10m,
        };
    }
}

sealed class RefundLineConfiguration : IEntityTypeConfiguration<RefundLine>
{
    public void Configure(EntityTypeBuilder<RefundLine> e)
    {
        e.ToTable("refund_lines");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.OrderId);
        e.Property(x => x.OrderId).HasMaxLength(32);
        e.Property(x => x.BaseOrderId).HasMaxLength(32);
        e.Property(x => x.ResourceId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
    }
}
