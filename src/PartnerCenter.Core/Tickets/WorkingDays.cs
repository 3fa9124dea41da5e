namespace PartnerCenter.Core.Tickets;

/// <summary>
/// Working days as the platform counts them for its service promises: Monday to Friday in Beijing time (UTC+8), where
/// Huawei's support runs. A ticket opened on a weekend starts counting on Monday at 00:00.
/// </summary>
public static class WorkingDays
{
    static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static DateTime Add(DateTime utc, int days)
    {
        var local = utc + Beijing;
        if (IsWeekend(local)) local = NextMonday(local);
        for (var i = 0; i < days; i++)
        {
            local = local.AddDays(1);
            while (IsWeekend(local)) local = local.AddDays(1);
        }
        return DateTime.SpecifyKind(local - Beijing, DateTimeKind.Utc);
    }

    static bool IsWeekend(DateTime local) => local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    static DateTime NextMonday(DateTime local)
    {
        var day = local.Date;
        while (IsWeekend(day)) day = day.AddDays(1);
        return day;
    }
}
