using System.Globalization;

namespace PartnerCenter.Core.Billing;

/// <summary>
/// A billing cycle: one calendar month in Beijing time (UTC+8), which is how Huawei's bills count a <c>bill_cycle</c>
/// ("YYYY-MM"). Every charge belongs to exactly one cycle: the one containing the instant it was booked (for a
/// pay-per-use fee, the hour it was rated for: <see cref="OfRatingPeriod"/>). Beijing has no daylight saving and its
/// offset is whole hours, so a cycle always starts and ends on an hour boundary in UTC.
/// </summary>
public readonly record struct BillCycle(int Year, int Month) : IComparable<BillCycle>
{
    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>The first instant of the cycle, in UTC (the last day of the previous month, 16:00).</summary>
    public DateTime StartUtc => DateTime.SpecifyKind(new DateTime(Year, Month, 1) - BeijingOffset, DateTimeKind.Utc);

    /// <summary>The first instant after the cycle, in UTC (exclusive end).</summary>
    public DateTime EndUtc => Next.StartUtc;

    public BillCycle Next => Month == 12 ? new BillCycle(Year + 1, 1) : new BillCycle(Year, Month + 1);
    public BillCycle Previous => Month == 1 ? new BillCycle(Year - 1, 12) : new BillCycle(Year, Month - 1);

    /// <summary>The cycle an instant (UTC) falls in.</summary>
    public static BillCycle Containing(DateTime utc)
    {
        var beijing = utc + BeijingOffset;
        return new BillCycle(beijing.Year, beijing.Month);
    }

    /// <summary>
    /// The cycle a pay-per-use fee is billed in: the hour its rating run covered, which ends at the run's period (a run
    /// at 00:00 on the 1st, Beijing time, rates the last hour of the month before).
    /// </summary>
    public static BillCycle OfRatingPeriod(DateTime ratingPeriodUtc) => Containing(ratingPeriodUtc.AddHours(-1));

    /// <summary>Parses "YYYY-MM" exactly (the API's <c>bill_cycle</c>); anything else is false.</summary>
    public static bool TryParse(string? text, out BillCycle cycle)
    {
        cycle = default;
        if (text is not { Length: 7 } || !DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            return false;
        cycle = new BillCycle(month.Year, month.Month);
        return true;
    }

    public int CompareTo(BillCycle other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);
    public static bool operator <(BillCycle a, BillCycle b) => a.CompareTo(b) < 0;
    public static bool operator >(BillCycle a, BillCycle b) => a.CompareTo(b) > 0;
    public static bool operator <=(BillCycle a, BillCycle b) => a.CompareTo(b) <= 0;
    public static bool operator >=(BillCycle a, BillCycle b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
