using System.Globalization;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.CustomerBills;

namespace PartnerCenter.Server.Console.Pages.BillingCenter;

/// <summary>How the bill pages show record kinds, charging modes and cycles.</summary>
public static class BillFormat
{
    public static string RecordType(int billType) => billType switch
    {
        BillTypes.NewPurchase => "New purchase",
        BillTypes.Renewal => "Renewal",
        BillTypes.Change => "Change",
        BillTypes.UnsubscribeRefund => "Unsubscribe refund",
        BillTypes.Usage => "Pay-per-use",
        BillTypes.AutoRenewal => "Auto-renewal",
        BillTypes.ToOnDemandRefund => "Switch to pay-per-use refund",
        _ => billType.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A monthly-sum line's kind: 1 consumption, 2 refund.</summary>
    public static string LineKind(int kind) => kind == 2 ? "Refund" : "Consumption";

    public static string ChargingMode(int mode) => mode == Core.Resources.ChargeMode.OnDemand ? "Pay-per-use" : "Yearly/Monthly";

    public static readonly (int Value, string Name)[] StatisticTypes = [(1, "By cycle"), (2, "Daily"), (3, "Detailed")];

    /// <summary>The cycles a picker offers: the current one (open) and the <paramref name="back"/> before it, newest first.</summary>
    public static IReadOnlyList<BillCycle> RecentCycles(DateTime nowUtc, int back)
    {
        var list = new List<BillCycle> { BillCycle.Containing(nowUtc) };
        for (var i = 0; i < back; i++) list.Add(list[^1].Previous);
        return list;
    }

    /// <summary>The cycle asked for, or <paramref name="fallback"/> when none (or a malformed one) is given.</summary>
    public static BillCycle CycleOr(string? text, BillCycle fallback) => BillCycle.TryParse(text, out var c) ? c : fallback;
}
