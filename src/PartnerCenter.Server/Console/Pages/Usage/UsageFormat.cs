using System.Globalization;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Usage;
using PartnerCenter.Server.Console.Pages.Partners;
using PartnerCenter.Server.Console.Pages.Resources;

namespace PartnerCenter.Server.Console.Pages.Usage;

/// <summary>How the pay-per-use pages show fee amounts, hours, months, usage, arrears and free-resource packages.</summary>
public static class UsageFormat
{
    /// <summary>Fee amounts carry up to 8 decimals (Huawei's resource-level precision); at least 2 are shown.</summary>
    public static string Precise(decimal amount) => amount.ToString("#,0.00######", CultureInfo.InvariantCulture) + " " + PartnerFormat.Currency;

    /// <summary>The hour a fee is for: "2026-05-01 13:00–14:00 UTC".</summary>
    public static string Hour(DateTime hour) =>
        hour.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "–" + hour.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A usage value in its unit (the measure's abbreviation, e.g. "10 hour").</summary>
    public static string Quantity(decimal value, int measureId, IReadOnlyDictionary<int, string> units) =>
        value.ToString("#,0.########", CultureInfo.InvariantCulture) + " " + (units.GetValueOrDefault(measureId) ?? $"(measure {measureId})");

    /// <summary>The first instant of the month asked for as "yyyy-MM", or of the current month when none (or a malformed one) is given.</summary>
    public static DateTime MonthStart(string? month, DateTime now) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var m)
            ? DateTime.SpecifyKind(m, DateTimeKind.Utc)
            : new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string MonthValue(DateTime monthStart) => monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string MonthName(DateTime monthStart) => monthStart.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Standing(UsageStanding standing, bool partnerPays) => standing switch
    {
        UsageStanding.Grace => "Grace period",
        UsageStanding.Retention => partnerPays ? "Frozen" : "Retention period (frozen)",
        UsageStanding.Owed => "Arrears owed",
        _ => "No arrears",
    };

    public static string StandingBadge(UsageStanding standing) => standing switch
    {
        UsageStanding.Grace => "badge-warn",
        UsageStanding.Retention or UsageStanding.Owed => "badge-bad",
        _ => "badge-good",
    };

    public static string PackageStatus(int status) => status switch
    {
        FreeResourceStatus.NotEffective => "Not yet effective",
        FreeResourceStatus.Effective => "Effective",
        FreeResourceStatus.UsedUp => "Used up",
        FreeResourceStatus.Expired => "Expired",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    public static string PackageBadge(int status) => status switch
    {
        FreeResourceStatus.Effective => "badge-good",
        FreeResourceStatus.NotEffective => "badge-info",
        _ => "badge-muted",
    };

    /// <summary>The pay-per-use status filter, ListCustomerOnDemandResources' values: 1 normal, 2 grace, 3 frozen, 6 closed (released).</summary>
    public static readonly (int Value, string Name)[] Statuses =
        [(1, ResourceFormat.Status(ResourceStatus.InUse)), (2, ResourceFormat.Status(ResourceStatus.Expired)), (3, ResourceFormat.Status(ResourceStatus.Frozen)),
         (6, ResourceFormat.Status(ResourceStatus.Closed))];

    /// <summary>A console path with the query parameters that have a value.</summary>
    public static string Link(string path, params (string Key, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value!)).ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join("&", parts);
    }
}
