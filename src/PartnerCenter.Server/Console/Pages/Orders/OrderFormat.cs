using PartnerCenter.Core.Orders;

namespace PartnerCenter.Server.Console.Pages.Orders;

/// <summary>How the order pages show statuses, sources, discounts and periods.</summary>
public static class OrderFormat
{
    public static string Status(int status) => status switch
    {
        OrderStatus.PendingPayment => "Pending payment",
        OrderStatus.Completed => "Completed",
        OrderStatus.Cancelled => "Cancelled",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string StatusBadge(int status) => status switch
    {
        OrderStatus.PendingPayment => "badge-warn",
        OrderStatus.Completed => "badge-good",
        _ => "badge-muted",
    };

    public static string Source(int source) => source switch
    {
        OrderSource.Customer => "Customer",
        OrderSource.Partner => "Partner",
        OrderSource.System => "System",
        _ => source.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An order's discount type, or a rating inquiry's (605 commercial, 606 distributor, 607 partner-set).</summary>
    public static string Discount(int type) => type switch
    {
        OrderDiscountType.Commercial or 605 => "Commercial discount",
        OrderDiscountType.PartnerGranted or 607 => "Partner discount",
        606 => "Distributor discount",
        _ => "Discount",
    };

    /// <summary>A line's period; a pay-per-use line has none (period type and number 0).</summary>
    public static string Period(int periodType, int periodNum) => (periodType, periodNum) switch
    {
        (0, 0) => "Pay-per-use",
        (2, _) => periodNum == 1 ? "1 month" : $"{periodNum} months",
        (3, _) => periodNum == 1 ? "1 year" : $"{periodNum} years",
        _ => $"{periodNum} × period {periodType}",
    };

    public static string Type(int orderType) => orderType switch
    {
        OrderType.NewPurchase => "New purchase",
        OrderType.Renewal => "Renewal",
        OrderType.Change => "Change",
        OrderType.Unsubscribe => "Unsubscribe",
        _ => orderType.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The order statuses a list can be filtered by.</summary>
    public static readonly (int Value, string Name)[] Statuses =
        [(OrderStatus.PendingPayment, "Pending payment"), (OrderStatus.Completed, "Completed"), (OrderStatus.Cancelled, "Cancelled")];
}
