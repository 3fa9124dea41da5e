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
}

/// <summary>Stores a money amount as micro-units in a 64-bit integer column.</summary>
public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => (long)(v * Money.MicrosPerUnit),
    v => v / Money.MicrosPerUnit);
