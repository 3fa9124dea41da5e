namespace PartnerCenter.Core.Resources;

/// <summary>
/// Huawei's unified renewal date (SetResourcesRenewConfig <c>EXPIRE_DATE</c>, the Billing Center's "Renewal Date"): a day
/// of the month, 1 to 28, or −1 for the month's last day. A renewal first adds the chosen months or years to the expiry,
/// as always, and is then stretched to the first occurrence of that day on or after it, so the interval to the new
/// expiry is never less than what was chosen; the extra days are charged by the day (<see cref="Catalog.RatingEngine"/>).
/// The new expiry keeps the time of day of the old one, so the extra is a whole number of days. Dates are UTC here
/// (GMT+8 at Huawei), like the auto-renewal deduction date.
/// </summary>
public static class UnifiedRenewalDate
{
    public const int LastDayOfMonth = -1;

    public static bool IsValidDay(int? day) => day is (>= 1 and <= 28) or LastDayOfMonth;

    /// <summary>The first instant on or after <paramref name="end"/> that falls on <paramref name="day"/> of a month, at <paramref name="end"/>'s time of day.</summary>
    public static DateTime Align(DateTime end, int day)
    {
        if (!IsValidDay(day)) throw new ArgumentOutOfRangeException(nameof(day), day, "A unified renewal date is 1 to 28, or -1.");
        var month = new DateTime(end.Year, end.Month, 1, 0, 0, 0, end.Kind) + end.TimeOfDay;
        if (day == LastDayOfMonth) return month.AddDays(DateTime.DaysInMonth(end.Year, end.Month) - 1);
        return end.Day <= day ? month.AddDays(day - 1) : month.AddMonths(1).AddDays(day - 1);
    }

    /// <summary>How many days a renewal from <paramref name="from"/> for the period is stretched by (0 with no unified date).</summary>
    public static int ExtraDays(DateTime from, int periodType, int periodNum, int? day)
    {
        if (day is not { } d) return 0;
        var end = ResourceFulfilment.AddPeriod(from, periodType, periodNum);
        return (Align(end, d) - end).Days;
    }
}
