using System.Globalization;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Server.Console.Pages.Resources;

/// <summary>How the resource pages show statuses, expiry policies, periods and refund lines.</summary>
public static class ResourceFormat
{
    public static string Status(int status) => status switch
    {
        ResourceStatus.InUse => "In use",
        ResourceStatus.Expired => "Grace period",
        ResourceStatus.Frozen => "Frozen",
        ResourceStatus.Closed => "Released",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    public static string StatusBadge(int status) => status switch
    {
        ResourceStatus.InUse => "badge-good",
        ResourceStatus.Expired => "badge-warn",
        ResourceStatus.Frozen => "badge-bad",
        _ => "badge-muted",
    };

    /// <summary>What happens at expiry.</summary>
    public static string Policy(CloudResource r) => r.ExpirePolicy switch
    {
        ExpirePolicy.AutoRenew => "Auto-renew" + (r.AutoRenewTimesLeft is { } left ? $" ({left} {(left == 1 ? "time" : "times")} left)" : ""),
        ExpirePolicy.ToOnDemand => "Turns pay-per-use",
        ExpirePolicy.DeleteOnExpiry => "Deleted",
        _ => "Grace period",
    };

    /// <summary>The statuses a list can be filtered by; the console hides released resources unless asked.</summary>
    public static readonly (string Value, string Name, int[] Statuses)[] Filters =
    [
        ("", "Not released", [ResourceStatus.InUse, ResourceStatus.Expired, ResourceStatus.Frozen]),
        ("in-use", "In use", [ResourceStatus.InUse]),
        ("grace", "Grace period", [ResourceStatus.Expired]),
        ("frozen", "Frozen", [ResourceStatus.Frozen]),
        ("released", "Released", [ResourceStatus.Closed]),
    ];

    public static int[] FilterStatuses(string? value) =>
        Filters.FirstOrDefault(f => f.Value == (value ?? "")).Statuses ?? Filters[0].Statuses;

    /// <summary>The renewal periods offered: 1–11 months, 1–3 years, as "month-N" / "year-N".</summary>
    public static readonly (string Value, string Name)[] Periods =
        [.. Enumerable.Range(1, 11).Select(n => ($"month-{n}", n == 1 ? "1 month" : $"{n} months")),
         .. Enumerable.Range(1, 3).Select(n => ($"year-{n}", n == 1 ? "1 year" : $"{n} years"))];

    /// <summary>Parses a <see cref="Periods"/> value into Huawei's period type (2 month, 3 year) and count; null when it is not one.</summary>
    public static (int Type, int Num)? Period(string? value) => Periods.Any(p => p.Value == value) && value!.Split('-') is [var unit, var n]
        ? (unit == "year" ? 3 : 2, int.Parse(n, CultureInfo.InvariantCulture))
        : null;

    public static string RefundKind(string kind) => kind switch
    {
        RefundKinds.Refund => "Refund",
        RefundKinds.Consumed => "Consumed",
        RefundKinds.Fee => "Handling fee",
        RefundKinds.Paid => "Paid",
        _ => kind,
    };

    /// <summary>The console's names for unsubscribe_reason_type 1 to 5 (5 is "other").</summary>
    public static readonly (int Value, string Name)[] Reasons =
    [
        (1, "The product is hard to use"), (2, "The product does not meet my needs"), (3, "Poor service"),
        (4, "Bought by mistake"), (5, "Other"),
    ];
}
