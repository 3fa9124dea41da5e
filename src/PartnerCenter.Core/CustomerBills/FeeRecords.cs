using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>ListCustomerBillsFeeRecords filters (as the Bss request names them).</summary>
public sealed record FeeRecordFilter(string? BillCycle, int? ProviderType, string? ServiceTypeCode, string? ResourceTypeCode, string? RegionCode,
    int? ChargingMode, int? BillType, string? TradeId, bool? IncludeZeroRecord, int? Status, string? Method, string? SubCustomerId,
    string? BillDateBegin, string? BillDateEnd, int? Offset, int? Limit);

/// <summary>Fee record payment status (Huawei): 1 paid, 2 not settled (the customer's cycle left arrears).</summary>
public static class FeeStatus
{
    public const int Paid = 1, Unsettled = 2;
}

/// <summary>
/// A fee record (one transaction): an order's charge for one service, resource type and region, or one day's pay-per-use
/// of one service, resource type and region. Amounts at 2 decimals, the customer's price.
/// </summary>
public sealed record FeeRecord(string Id, string CustomerId, DateOnly BillDate, DateTime TradeTime, int BillType, int ChargingMode, string ServiceTypeCode,
    string ResourceTypeCode, string Region, string TradeId, int Status, decimal Official, decimal Discount, decimal Truncated, decimal Amount);

/// <summary>One day's usage of one factor (ListResourceUsage) and one resource's usage over a cycle (ListResourceUsageSummary).</summary>
public sealed record DailyUsage(DateOnly Day, string UsageFactor, decimal Usage, int MeasureId);
public sealed record ResourceUsage(string ResourceId, int ActualDays);

public sealed partial class CustomerBillService
{
    /// <summary>
    /// ListCustomerBillsFeeRecords: the cycle's transactions. Built from the day-by-day resource records (the same
    /// 2-decimal shares), grouped per order or per day of pay-per-use, so they add up to the monthly sum to the cent.
    /// </summary>
    public async Task<(IReadOnlyList<FeeRecord> Records, int Total)> FeeRecordsAsync(Caller caller, FeeRecordFilter f, CancellationToken ct = default)
    {
        var (from, size) = Page(f.Offset, f.Limit, 10);
        var customers = await CustomersForMethodAsync(caller, f.Method, f.SubCustomerId, ct);
        var cycle = Cycle(f.BillCycle, "bill_cycle", OwnMonthsBack);
        if (f.ProviderType is not (null or 1 or 2)) throw Check.Invalid("provider_type is 1 (Huawei Cloud) or 2 (KooGallery).");
        if (f.ChargingMode is not (null or Resources.ChargeMode.Period or Resources.ChargeMode.OnDemand))
            throw Check.Invalid("charging_mode is 1 (yearly/monthly) or 3 (pay-per-use).");
        if (f.BillType is { } bt && !BillTypes.All.Contains(bt)) throw Check.Invalid($"bill_type is one of {string.Join(", ", BillTypes.All)}.");
        if (f.Status is not (null or 1 or 2 or 3)) throw Check.Invalid("status is 1 (paid), 2 (not settled) or 3 (not billed).");
        foreach (var (value, field) in new[] { (f.ServiceTypeCode, "service_type_code"), (f.ResourceTypeCode, "resource_type_code"), (f.RegionCode, "region_code"), (f.TradeId, "trade_id") })
            Check.MaxLength(value, field, 64);
        var begin = Date(f.BillDateBegin, "bill_date_begin", cycle);
        var end = Date(f.BillDateEnd, "bill_date_end", cycle);
        // Huawei filters by day only when both ends are given.
        if (begin is null || end is null) (begin, end) = (null, null);

        var all = new List<FeeRecord>();
        foreach (var customer in customers)
        {
            var charges = await ChargesAsync(customer, cycle, ct);
            all.AddRange(FeeRecordsOf(charges, await ByDayAsync(charges, ct)));
        }
        // No marketplace (provider 2) purchases and nothing left unbilled (status 3) here: those filters answer nothing.
        var records = all.Where(r => f.Status is null || f.Status == r.Status)
            .Where(r => (string.IsNullOrEmpty(f.ServiceTypeCode) || r.ServiceTypeCode == f.ServiceTypeCode)
                        && (string.IsNullOrEmpty(f.ResourceTypeCode) || r.ResourceTypeCode == f.ResourceTypeCode)
                        && (string.IsNullOrEmpty(f.RegionCode) || r.Region == f.RegionCode) && (f.ChargingMode is null || r.ChargingMode == f.ChargingMode)
                        && (f.BillType is null || r.BillType == f.BillType) && (string.IsNullOrEmpty(f.TradeId) || r.TradeId == f.TradeId)
                        && (f.IncludeZeroRecord != false || r.Amount != 0) && (begin is null || (r.BillDate >= begin && r.BillDate <= end)))
            .ToList();
        if (f.ProviderType == 2) records.Clear();
        return (records.Skip(from).Take(size).ToList(), records.Count);
    }

    /// <summary>
    /// A customer's cycle as fee records: each order's lines summed per service, resource type and region; each day's
    /// pay-per-use summed the same way. Pay-per-use of a cycle that ended in arrears is not settled.
    /// </summary>
    public static IEnumerable<FeeRecord> FeeRecordsOf(CycleCharges charges, IEnumerable<ResourceRecord> byDay)
    {
        var usageStatus = charges.Payments.Debt > 0 ? FeeStatus.Unsettled : FeeStatus.Paid;
        return byDay
            .GroupBy(r => (r.Charge.TradeId, r.Charge.BillType, r.Charge.ChargingMode, r.Charge.ServiceTypeCode, r.Charge.ResourceTypeCode, r.Charge.Region,
                Day: r.Charge.BillType == BillTypes.Usage ? r.BillDate : default))
            .Select(g =>
            {
                var k = g.Key;
                var usage = k.BillType == BillTypes.Usage;
                var day = g.Min(r => r.BillDate);
                var id = usage ? $"{k.TradeId}:{day:yyyyMMdd}:{k.ResourceTypeCode}:{k.Region}" : $"{k.TradeId}:{k.ResourceTypeCode}:{k.Region}";
                return new FeeRecord(id, charges.CustomerId, day, g.Min(r => r.Charge.TradeTime), k.BillType, k.ChargingMode, k.ServiceTypeCode, k.ResourceTypeCode,
                    k.Region, k.TradeId, usage ? usageStatus : FeeStatus.Paid, g.Sum(r => r.Charge.Official), g.Sum(r => r.Charge.Discount),
                    g.Sum(r => r.Charge.Truncated), g.Sum(r => r.Charge.Amount));
            })
            .OrderBy(r => r.BillDate).ThenBy(r => r.TradeTime).ThenBy(r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// ListResourceUsage: the caller's usage of one resource (or all of a service and resource type) day by day (Beijing
    /// time) in a cycle, per usage factor: the cycle's fee records summed per day (<see cref="DailyFees"/>), then paged.
    /// </summary>
    public async Task<(IReadOnlyList<DailyUsage> Days, int Total, int ActualDays)> ResourceUsageAsync(Caller caller, string? billCycle, string? serviceTypeCode,
        string? resourceTypeCode, string? usageType, string? resourceId, int? offset, int? limit, CancellationToken ct = default)
    {
        var (from, size) = Page(offset, limit, 10);
        var cycle = await CallerCycleAsync(caller, billCycle, serviceTypeCode, resourceTypeCode, usageType, ct);
        Check.MaxLength(resourceId, "resource_id", 64);
        // Summed per day, factor and measure in SQL on PostgreSQL, as the fees stream elsewhere.
        var days = (await DailyFees.UsageAsync(db, caller.AccountId, cycle, serviceTypeCode, resourceTypeCode, usageType, resourceId, db.Database.IsNpgsql(), ct))
            .ToDictionary(d => (d.Day, Factor: d.UsageFactor, Measure: d.UsageMeasureId), d => d.Usage);
        var actual = days.Keys.Select(k => k.Day).Distinct().Count();
        var page = days.OrderBy(d => d.Key.Day).ThenBy(d => d.Key.Factor, StringComparer.Ordinal).ThenBy(d => d.Key.Measure).Skip(from).Take(size);
        return (page.Select(d => new DailyUsage(d.Key.Day, d.Key.Factor, d.Value, d.Key.Measure)).ToList(), days.Count, actual);
    }

    /// <summary>ListResourceUsageSummary: the caller's resources with usage in a cycle, each with the number of days it had usage; paged by resource.</summary>
    public async Task<(IReadOnlyList<ResourceUsage> Resources, int Total)> ResourceUsageSummaryAsync(Caller caller, string? billCycle, string? serviceTypeCode,
        string? resourceTypeCode, string? usageType, int? offset, int? limit, CancellationToken ct = default)
    {
        var (from, size) = Page(offset, limit, 10);
        var cycle = await CallerCycleAsync(caller, billCycle, serviceTypeCode, resourceTypeCode, usageType, ct);
        // Counted per resource in SQL on PostgreSQL, as the fees stream elsewhere.
        var days = await DailyFees.ResourceDaysAsync(db, caller.AccountId, cycle, serviceTypeCode, resourceTypeCode, usageType, db.Database.IsNpgsql(), ct);
        var page = days.OrderBy(d => d.ResourceId, StringComparer.Ordinal).Skip(from).Take(size);
        return (page.Select(d => new ResourceUsage(d.ResourceId, d.Days)).ToList(), days.Count);
    }

    /// <summary>The cycle of a usage read of the caller's own fees, after its access and filters are checked.</summary>
    async Task<BillCycle> CallerCycleAsync(Caller caller, string? billCycle, string? serviceTypeCode, string? resourceTypeCode, string? usageType, CancellationToken ct)
    {
        await access.RequireAsync(caller, CustomerBillActions.View, ct);
        var cycle = Cycle(billCycle, "bill_cycle", OwnMonthsBack);
        Check.MaxLength(serviceTypeCode, "service_type_code", 64);
        Check.MaxLength(resourceTypeCode, "resource_type_code", 64);
        Check.MaxLength(usageType, "usage_type", 32);
        return cycle;
    }
}
