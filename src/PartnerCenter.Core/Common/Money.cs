using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PartnerCenter.Core.Common;

/// <summary>
/// Money is <c>decimal</c> in code and a whole number of micro-units (10⁻⁶) in the database, so sums, comparisons and
/// conditional updates run in SQL on both providers (EF's SQLite provider cannot compare decimals in SQL).
/// </summary>
public static class Money
{
    public const decimal MicrosPerUnit = 1_000_000m;

    /// <summary>The one rounding rule at every 2-decimal boundary (amounts charged, budgets, bills): half away from zero.</summary>
    public static decimal Round2(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static bool HasAtMostTwoDecimals(decimal amount) => amount == Math.Round(amount, 2);

    /// <summary>
    /// The one rounding rule for rated usage and unit prices, which Huawei carries with 8 decimals: half away from zero,
    /// like <see cref="Round2"/>. Deductions still round to 2 decimals with <see cref="Round2"/> where they are charged.
    /// </summary>
    public static decimal Round8(decimal amount) => Math.Round(amount, 8, MidpointRounding.AwayFromZero);

    public static bool HasAtMostEightDecimals(decimal amount) => amount == Math.Round(amount, 8);

    public const decimal PreciseUnitsPerUnit = 100_000_000m;
}

/// <summary>Stores a money amount as micro-units in a 64-bit integer column.</summary>
public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => (long)(v * Money.MicrosPerUnit),
    v => v / Money.MicrosPerUnit);

/// <summary>
/// Stores an 8-decimal quantity (unit prices, discount rates, usage tier bounds) as 10⁻⁸ units in a 64-bit integer
/// column. Values are validated to at most 8 decimals before they are stored, so nothing is truncated.
/// </summary>
public sealed class PreciseAmountConverter() : ValueConverter<decimal, long>(
    v => (long)(v * Money.PreciseUnitsPerUnit),
    v => v / Money.PreciseUnitsPerUnit);
