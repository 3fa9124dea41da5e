using System.Globalization;

namespace PartnerCenter.Server.Console.Components;

/// <summary>How the console shows times and durations.</summary>
public static class ConsoleFormat
{
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Duration(long seconds)
    {
        if (seconds <= 0) return "0 s";
        var span = TimeSpan.FromSeconds(seconds);
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days} d");
        if (span.Hours > 0) parts.Add($"{span.Hours} h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes} min");
        if (parts.Count == 0) parts.Add($"{span.Seconds} s");
        return string.Join(" ", parts);
    }
}
