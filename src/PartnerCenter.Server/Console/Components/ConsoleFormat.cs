using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PartnerCenter.Server.Console.Components;

/// <summary>How the console shows times and durations, and which form a POST was for.</summary>
public static class ConsoleFormat
{
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Duration(long seconds)
    {
        if (seconds == 0) return "none (real time)";
        var span = TimeSpan.FromSeconds(seconds);
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days} d");
        if (span.Hours > 0) parts.Add($"{span.Hours} h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes} min");
        if (parts.Count == 0) parts.Add($"{span.Seconds} s");
        return string.Join(" ", parts);
    }

    /// <summary>Whether this request is the POST of the named form (Blazor sends the form name as <c>_handler</c>).</summary>
    public static bool IsPostOf(HttpContext http, string formName) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && http.Request.Form["_handler"] == formName;
}
