using System.Globalization;
using PartnerCenter.Core.Coupons;

namespace PartnerCenter.Server.Console.Pages.Coupons;

/// <summary>How the coupon pages name coupon and quota types, statuses, records and limits.</summary>
public static class CouponFormat
{
    public static string CouponType(int type) => type switch
    {
        CouponCodes.Cash => "Cash coupon",
        CouponCodes.Discount => "Discount coupon",
        CouponCodes.FlexiPurchase => "Flexi-purchase coupon",
        _ => "Coupon",
    };

    public static string QuotaType(int type) => type == CouponCodes.FlexiQuota ? "Flexi-purchase coupon quota" : "Cash coupon quota";

    public static string Status(int status) => status switch
    {
        CouponCodes.NotActivated => "Not effective yet",
        CouponCodes.Usable => "Usable",
        CouponCodes.Used => "Used up",
        CouponCodes.Expired => "Expired",
        CouponCodes.Reclaimed => "Reclaimed",
        _ => "Unknown",
    };

    public static readonly (int Value, string Name)[] Statuses =
        [(CouponCodes.Usable, "Usable"), (CouponCodes.NotActivated, "Not effective yet"), (CouponCodes.Used, "Used up"), (CouponCodes.Expired, "Expired"), (CouponCodes.Reclaimed, "Reclaimed")];

    public static string StatusBadge(int status) => status switch
    {
        CouponCodes.Usable => "badge-good",
        CouponCodes.NotActivated => "badge-info",
        _ => "badge-muted",
    };

    public static string QuotaStatus(int status) => status switch
    {
        CouponCodes.QuotaNormal => "Valid",
        CouponCodes.QuotaInvalid => "Invalid",
        4 => "Adjusting",
        5 => "Frozen",
        _ => "Unknown",
    };

    /// <summary>A record's kind as the partner and the customer read it.</summary>
    public static string Change(string kind) => kind switch
    {
        CouponChangeKinds.Issue => "Issued",
        CouponChangeKinds.Use => "Used by an order",
        CouponChangeKinds.Return => "Returned by a refund",
        CouponChangeKinds.Reclaim => "Reclaimed by the partner",
        CouponChangeKinds.UnbindReclaim => "Reclaimed when the association ended",
        CouponChangeKinds.Expire => "Expired",
        _ => kind,
    };

    public static string QuotaRecord(string operationType) => operationType == "11" ? "Reclaimed" : "Issued";

    /// <summary>Service and product limits in words; empty lists: every service and product.</summary>
    public static string Limits(string services, string products)
    {
        var parts = new List<string>();
        if (services.Length > 0) parts.Add("services: " + string.Join(", ", CouponLimits.Split(services)));
        if (products.Length > 0) parts.Add("products: " + string.Join(", ", CouponLimits.Split(products)));
        return parts.Count == 0 ? "Any service" : string.Join("; ", parts);
    }

    public static string Ratio(decimal ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + " % off";

    /// <summary>A comma- or space-separated list typed in a form, as the items it names (empty: none).</summary>
    public static List<string?> Items(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => (string?)s).ToList();

    /// <summary>A date typed in a form (YYYY-MM-DD, UTC), as the start of that day; null when empty.</summary>
    public static DateTime? Date(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d : throw Core.Common.Check.Invalid($"Pick the {what} as a date (YYYY-MM-DD).");
    }

    /// <summary>An amount typed in a form; words when it is not one.</summary>
    public static decimal Amount(string? text, string what) =>
        decimal.TryParse(text?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : throw Core.Common.Check.Invalid($"Enter the {what} in USD, e.g. 50.00.");
}
