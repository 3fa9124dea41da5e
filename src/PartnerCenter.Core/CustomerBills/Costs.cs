using Microsoft.EntityFrameworkCore;
using System.Globalization;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>
/// How a charge is spread over the months it pays for (amortized cost): a yearly/monthly purchase, renewal or
/// auto-renewal over its term's months starting with the month it was paid (Beijing cycle), in equal 2-decimal shares
/// split by <see cref="Apportion"/> so they add up to what was paid to the cent (the left-over cents go to the first
/// months); a change order, a refund and pay-per-use in the month they were charged.
/// </summary>
public static class Amortization
{
    /// <summary>The longest term spread (5 years); longer terms' last shares land in the 60th month.</summary>
    public const int MaxMonths = 60;

    public static int Months(ResourceCharge r) =>
        r.BillType is BillTypes.NewPurchase or BillTypes.Renewal or BillTypes.AutoRenewal && r.PeriodNum is > 0 and var n
            ? Math.Min(MaxMonths, r.PeriodType switch { 2 => n, 3 => 12 * n, _ => 1 })
            : 1;

    public static List<decimal> Spread(decimal amount, int months) => Apportion.Split(amount, Enumerable.Repeat(1m, months).ToList());

    /// <summary>A month's share split over its days (daily amortized cost), adding up to the share.</summary>
    public static List<decimal> OverDays(decimal share, BillCycle month) =>
        Apportion.Split(share, Enumerable.Repeat(1m, DateTime.DaysInMonth(month.Year, month.Month)).ToList());

    public static int MonthIndex(BillCycle c) => c.Year * 12 + c.Month - 1;
    public static BillCycle MonthAt(int index) => new(index / 12, index % 12 + 1);
}

/// <summary>A charge with the cycle it was charged in and its amortized shares from that month on (list price shares beside).</summary>
public sealed record CostItem(ResourceCharge Charge, BillCycle Charged, IReadOnlyList<decimal> Shares, IReadOnlyList<decimal> OfficialShares)
{
    public static CostItem Of(ResourceCharge r, BillCycle charged)
    {
        var months = Amortization.Months(r);
        return new CostItem(r, charged, Amortization.Spread(r.Amount, months), Amortization.Spread(r.Official, months));
    }

    /// <summary>The share of <paramref name="month"/> (0 outside the months it covers).</summary>
    public decimal ShareIn(BillCycle month) => At(Shares, month);
    public decimal OfficialShareIn(BillCycle month) => At(OfficialShares, month);
    public bool Covers(BillCycle month) => Offset(month) is var i && i >= 0 && i < Shares.Count;

    public decimal Before(BillCycle month) => Shares.Take(Math.Clamp(Offset(month), 0, Shares.Count)).Sum();
    public decimal After(BillCycle month) => Shares.Skip(Math.Clamp(Offset(month) + 1, 0, Shares.Count)).Sum();

    int Offset(BillCycle month) => Amortization.MonthIndex(month) - Amortization.MonthIndex(Charged);
    decimal At(IReadOnlyList<decimal> list, BillCycle month) => Covers(month) ? list[Offset(month)] : 0;
}

/// <summary>ListCustomerBillsMonthlyBreakDown filters.</summary>
public sealed record BreakDownFilter(string? SharedMonth, string? ServiceTypeCode, string? ResourceTypeCode, string? RegionCode, int? ChargingMode, int? BillType,
    string? ResourceId, string? ResourceName, string? Method, string? SubCustomerId, int? Offset, int? Limit);

/// <summary>A ListCosts query: time unit 1 day / 2 month, the range, ORIGINAL_COST or AMORTIZED_COST, dimension keys to group by, include/exclude filters.</summary>
public sealed record CostQuery(int? TimeMeasureId, string? BeginTime, string? EndTime, string? CostType, string? AmountType, IReadOnlyList<(string? Type, string? Key)> GroupBy,
    IReadOnlyList<(int? Operator, string? Key, IReadOnlyList<string>? Values)> Filters, int? Offset, int? Limit);

/// <summary>One group of a ListCosts answer: its dimension values and its cost per day or month in the range.</summary>
public sealed record CostGroup(IReadOnlyList<(string Key, string Value)> Dimensions, IReadOnlyList<(string Time, decimal Amount, decimal Official)> Costs)
{
    public decimal Amount => Costs.Sum(c => c.Amount);
    public decimal Official => Costs.Sum(c => c.Official);
}

public sealed partial class CustomerBillService
{
    /// <summary>The dimension keys (Huawei GroupBy keys) a cost query groups and filters by here.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ResourceCharge, string>> CostDimensions = new Dictionary<string, Func<ResourceCharge, string>>
    {
        ["CLOUD_SERVICE_TYPE"] = r => r.ServiceTypeCode,
        ["RESOURCE_TYPE"] = r => r.ResourceTypeCode,
        ["REGION_CODE"] = r => r.Region,
        ["CHARGING_MODE"] = r => r.ChargingMode.ToString(CultureInfo.InvariantCulture),
        ["RESOURCE_ID"] = r => r.ResourceId,
    };

    /// <summary>
    /// ListCustomerBillsMonthlyBreakDown: every charge with a share in <c>shared_month</c>: the month's pay-per-use, and the
    /// yearly/monthly orders paid in it or in the months before whose term covers it, each with what it cost, and its
    /// shares of past, this and future months.
    /// </summary>
    public async Task<(IReadOnlyList<CostItem> Items, BillCycle Month, int Total)> MonthlyBreakDownAsync(Caller caller, BreakDownFilter f, CancellationToken ct = default)
    {
        var (from, size) = Page(f.Offset, f.Limit, 10);
        var customers = await CustomersForMethodAsync(caller, f.Method, f.SubCustomerId, ct);
        var month = Cycle(f.SharedMonth, "shared_month", PartnerMonthsBack);
        if (f.ChargingMode is not (null or Resources.ChargeMode.Period or Resources.ChargeMode.OnDemand))
            throw Check.Invalid("charging_mode is 1 (yearly/monthly) or 3 (pay-per-use).");
        if (f.BillType is { } bt && !BillTypes.All.Contains(bt)) throw Check.Invalid($"bill_type is one of {string.Join(", ", BillTypes.All)}.");
        foreach (var (value, field) in new[] { (f.ServiceTypeCode, "service_type_code"), (f.ResourceTypeCode, "resource_type_code"), (f.RegionCode, "region_code"), (f.ResourceId, "resource_id") })
            Check.MaxLength(value, field, 64);
        Check.MaxLength(f.ResourceName, "resource_name", 128);
        HashSet<string>? named = null;
        if (!string.IsNullOrEmpty(f.ResourceName))
            named = (await db.CloudResources.AsNoTracking().Where(r => customers.Contains(r.CustomerAccountId) && r.Name == f.ResourceName).Select(r => r.Id)
                .ToListAsync(ct)).ToHashSet();
        var items = new List<CostItem>();
        foreach (var customer in customers)
            items.AddRange(CostItems(await OrderItemsAsync(customer, month, month, ct), [await ChargesAsync(customer, month, ct)]).Where(i => i.Covers(month)));
        var kept = items.Where(i =>
        {
            var r = i.Charge;
            return (string.IsNullOrEmpty(f.ServiceTypeCode) || r.ServiceTypeCode == f.ServiceTypeCode) && (string.IsNullOrEmpty(f.ResourceTypeCode) || r.ResourceTypeCode == f.ResourceTypeCode)
                   && (string.IsNullOrEmpty(f.RegionCode) || r.Region == f.RegionCode) && (f.ChargingMode is null || r.ChargingMode == f.ChargingMode)
                   && (f.BillType is null || r.BillType == f.BillType) && (string.IsNullOrEmpty(f.ResourceId) || r.ResourceId == f.ResourceId)
                   && (named is null || named.Contains(r.ResourceId));
        }).ToList();
        return (kept.Skip(from).Take(size).ToList(), month, kept.Count);
    }

    /// <summary>
    /// ListCosts: the caller's cost per day or month over a range (at most 18 months back), original (as charged) or
    /// amortized (<see cref="Amortization"/>), grouped by the requested dimensions; the groups are paged.
    /// </summary>
    public async Task<(IReadOnlyList<CostGroup> Groups, int Total)> CostsAsync(Caller caller, CostQuery q, CancellationToken ct = default)
    {
        var (from, size) = Page(q.Offset, q.Limit, 10);
        await access.RequireAsync(caller, CustomerBillActions.View, ct);
        if (q.TimeMeasureId is not (null or 1 or 2)) throw Check.Invalid("time_condition.time_measure_id is 1 (day) or 2 (month).");
        var byDay = q.TimeMeasureId is null or 1;
        if (q.CostType is not (null or "" or "ORIGINAL_COST" or "AMORTIZED_COST")) throw Check.Invalid("cost_type is ORIGINAL_COST or AMORTIZED_COST.");
        var amortized = q.CostType == "AMORTIZED_COST";
        if (q.AmountType is not (null or "" or "PAYMENT_AMOUNT" or "NET_AMOUNT")) throw Check.Invalid("amount_type is PAYMENT_AMOUNT or NET_AMOUNT.");
        var (first, last) = byDay ? (Day(q.BeginTime, "time_condition.begin_time"), Day(q.EndTime, "time_condition.end_time"))
            : (MonthStart(q.BeginTime, "time_condition.begin_time"), MonthEnd(q.EndTime, "time_condition.end_time"));
        if (last < first) throw Check.Invalid("time_condition.end_time is not before time_condition.begin_time.");
        var (fromMonth, toMonth) = (new BillCycle(first.Year, first.Month), new BillCycle(last.Year, last.Month));
        Cycle(fromMonth.ToString(), "time_condition.begin_time", PartnerMonthsBack);
        Cycle(toMonth.ToString(), "time_condition.end_time", PartnerMonthsBack);
        if (q.GroupBy.Count > 3) throw Check.Invalid("groupby has at most 3 dimensions.");
        foreach (var g in q.GroupBy)
        {
            if (g.Type is not (null or "" or "dimension")) throw Check.Invalid("groupby[].type is dimension (no cost tags or cost units here).");
            if (g.Key is null || !CostDimensions.ContainsKey(g.Key)) throw Check.Invalid($"groupby[].key is one of {string.Join(", ", CostDimensions.Keys)}.");
        }
        var keys = q.GroupBy.Select(g => g.Key!).Distinct().ToList();
        foreach (var filter in q.Filters)
        {
            if (filter.Operator is not (null or 0 or 1)) throw Check.Invalid("filters[].operator is 0 (only these) or 1 (all but these).");
            if (filter.Key is null || !CostDimensions.ContainsKey(filter.Key)) throw Check.Invalid($"filters[].filter_factor.key is one of {string.Join(", ", CostDimensions.Keys)}.");
            if (filter.Values is null || filter.Values.Count == 0) throw Check.Invalid("filters[].filter_factor.value lists at least one value.");
        }
        bool Kept(ResourceCharge r) => q.Filters.All(f => f.Values!.Contains(CostDimensions[f.Key!](r)) == (f.Operator is null or 0));

        // Each charge's contributions to the days or months of the range.
        var contributions = new List<(ResourceCharge Charge, string Time, decimal Amount, decimal Official)>();
        var customer = caller.AccountId;
        // Each month's charges are read once, for its usage records and (by day) their daily split.
        var months = new List<CycleCharges>();
        for (var m = fromMonth; m <= toMonth; m = m.Next) months.Add(await ChargesAsync(customer, m, ct));
        var items = CostItems(await OrderItemsAsync(customer, fromMonth, toMonth, ct), months).Where(i => Kept(i.Charge)).ToList();
        var usageDays = byDay ? await UsageByDayAsync(months, ct) : [];
        foreach (var item in items)
        {
            var r = item.Charge;
            if (r.BillType == BillTypes.Usage)
            {
                if (!byDay) contributions.Add((r, item.Charged.ToString(), r.Amount, r.Official));
                continue; // by day: the day records below
            }
            if (!amortized)
            {
                var day = CustomerBillService.Day(r.TradeTime);
                if (byDay) { if (day >= first && day <= last) contributions.Add((r, Text(day), r.Amount, r.Official)); }
                else if (item.Charged >= fromMonth && item.Charged <= toMonth) contributions.Add((r, item.Charged.ToString(), r.Amount, r.Official));
                continue;
            }
            for (var m = fromMonth; m <= toMonth; m = m.Next)
            {
                if (!item.Covers(m)) continue;
                if (!byDay)
                {
                    contributions.Add((r, m.ToString(), item.ShareIn(m), item.OfficialShareIn(m)));
                    continue;
                }
                var days = Amortization.OverDays(item.ShareIn(m), m);
                var officialDays = Amortization.OverDays(item.OfficialShareIn(m), m);
                for (var d = 0; d < days.Count; d++)
                {
                    var date = new DateOnly(m.Year, m.Month, d + 1);
                    if (date >= first && date <= last) contributions.Add((r, Text(date), days[d], officialDays[d]));
                }
            }
        }
        foreach (var u in usageDays.Where(u => Kept(u.Charge) && u.BillDate >= first && u.BillDate <= last))
            contributions.Add((u.Charge, Text(u.BillDate), u.Charge.Amount, u.Charge.Official));

        var groups = contributions
            .GroupBy(c => string.Join("\u0001", keys.Select(k => CostDimensions[k](c.Charge))))
            .Select(g => new CostGroup(keys.Select(k => (k, CostDimensions[k](g.First().Charge))).ToList(),
                g.GroupBy(c => c.Time).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Sum(c => c.Amount), t.Sum(c => c.Official))).ToList()))
            .OrderBy(g => string.Join("\u0001", g.Dimensions.Select(d => d.Value)), StringComparer.Ordinal)
            .ToList();
        return (groups.Skip(from).Take(size).ToList(), groups.Count);

        static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A customer's orders that may be amortized into the months <paramref name="from"/>..<paramref name="to"/>: those
    /// paid from <see cref="Amortization.MaxMonths"/> months before on.
    /// </summary>
    async Task<List<CostItem>> OrderItemsAsync(string customer, BillCycle from, BillCycle to, CancellationToken ct)
    {
        var earliest = Amortization.MonthAt(Amortization.MonthIndex(from) - Amortization.MaxMonths + 1);
        return (await reader.ReadOrdersAsync(customer, earliest.StartUtc, to.EndUtc, ct)).Select(r => CostItem.Of(r, BillCycle.Containing(r.TradeTime))).ToList();
    }

    /// <summary>The orders' items and the months' pay-per-use (per resource and factor, the cycle's 2-decimal shares).</summary>
    static IEnumerable<CostItem> CostItems(List<CostItem> orders, List<CycleCharges> months) =>
        orders.Concat(months.SelectMany(m => m.Records.Where(r => r.BillType == BillTypes.Usage).Select(r => CostItem.Of(r, m.Cycle))));

    /// <summary>The months' pay-per-use day by day (the same daily shares as the resource records by day).</summary>
    async Task<List<ResourceRecord>> UsageByDayAsync(List<CycleCharges> months, CancellationToken ct)
    {
        var rows = new List<ResourceRecord>();
        foreach (var charges in months) rows.AddRange((await ByDayAsync(charges, ct)).Where(r => r.Charge.BillType == BillTypes.Usage));
        return rows;
    }

    static DateOnly Day(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) throw Check.Invalid($"{field} is required.");
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw Check.Invalid($"{field} is a date as YYYY-MM-DD (time_measure_id 1).");
        return d;
    }

    static DateOnly MonthStart(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) throw Check.Invalid($"{field} is required.");
        if (!BillCycle.TryParse(text, out var c)) throw Check.Invalid($"{field} is a month as YYYY-MM (time_measure_id 2).");
        return new DateOnly(c.Year, c.Month, 1);
    }

    static DateOnly MonthEnd(string? text, string field)
    {
        var start = MonthStart(text, field);
        return start.AddMonths(1).AddDays(-1);
    }
}
