using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.CustomerBills;

public static class CustomerBillActions
{
    /// <summary>One's own bills, and a partner's views of its customers' bills (Huawei's billing reads need bss:bill:view).</summary>
    public const string View = "bss:bill:view";
}

/// <summary>A line of a customer's monthly sum: its charges of one service, resource type, charging mode and kind (1 consumption, 2 refund).</summary>
public sealed record MonthlySumLine(string CustomerId, string ServiceTypeCode, string ResourceTypeCode, int ChargingMode, int BillType,
    decimal Official, decimal Discount, decimal Truncated, decimal Amount, decimal Settlement);

/// <summary>ShowCustomerMonthlySum: one page of lines, their count, and the totals of every customer the query covered.</summary>
public sealed record MonthlySum(BillCycle Cycle, IReadOnlyList<MonthlySumLine> Lines, int TotalCount, decimal Consume, CyclePayments Payments);

/// <summary>ListCustomerselfResourceRecords filters; <see cref="StatisticType"/> 1 by cycle, 2 by day, 3 detailed.</summary>
public sealed record ResourceRecordFilter(string? Cycle, string? ServiceTypeCode, string? Region, string? ChargeMode, int? BillType, string? ResourceId,
    string? TradeId, bool? IncludeZeroRecord, string? Method, string? SubCustomerId, int? StatisticType, string? BillDateBegin, string? BillDateEnd,
    int? Offset, int? Limit, string? ResourceTypeCode = null);

/// <summary>A resource fee record with the day it is for (by cycle: the day of its last charge).</summary>
public sealed record ResourceRecord(ResourceCharge Charge, DateOnly BillDate);

/// <summary>ListSubCustomerBillDetail filters (China partner API); <see cref="BillDetailType"/> takes the resource record bill_type codes.</summary>
public sealed record SubCustomerRecordFilter(string? BillCycle, string? CustomerId, string? ServiceTypeCode, string? RegionCode, int? ChargingMode,
    int? BillDetailType, string? ResourceId, string? ResourceName, string? TradeId, string? AccountManagerId, string? AssociationType,
    string? IndirectPartnerId, string? BillDateBegin, string? BillDateEnd, int? Offset, int? Limit);

/// <summary>ListSubcustomerMonthlyBills filters (China partner API).</summary>
public sealed record SubCustomerSumFilter(string? CustomerId, string? Cycle, string? ServiceTypeCode, string? ChargeMode, string? BillType,
    string? IndirectPartnerId, int? Offset, int? Limit);

/// <summary>
/// Customers' bills and their partner's views of them, read from what is recorded (<see cref="CycleChargeReader"/>):
/// the customer itself, its partner (for its current customers, or a distributor for its reseller's) and the operator
/// read a customer's bills. The current cycle is open and shows everything charged so far (orders when paid, usage up to
/// the last hourly run).
/// </summary>
public sealed partial class CustomerBillService(AppDbContext db, CycleChargeReader reader, AccessControl access, PartnerScope partners, TimeProvider clock)
{
    public const int MaxLimit = 1000;
    /// <summary>How far back a customer reads its own bills (Huawei: about 3 years) and a partner its customers' (18 months).</summary>
    public const int OwnMonthsBack = 36, PartnerMonthsBack = 18;

    public async Task<MonthlySum> MonthlySumAsync(Caller caller, string? billCycle, string? serviceTypeCode, string? method, string? subCustomerId,
        int? offset, int? limit, CancellationToken ct = default)
    {
        var (from, size) = Page(offset, limit, 10);
        var customers = await CustomersForMethodAsync(caller, method, subCustomerId, ct);
        var cycle = Cycle(billCycle, "bill_cycle", OwnMonthsBack);
        Check.MaxLength(serviceTypeCode, "service_type_code", 64);
        var lines = new List<MonthlySumLine>();
        decimal consume = 0, cash = 0, credit = 0, debt = 0;
        foreach (var customer in customers)
        {
            var charges = await ChargesAsync(customer, cycle, ct);
            consume += charges.Total;
            (cash, credit, debt) = (cash + charges.Payments.Cash, credit + charges.Payments.Credit, debt + charges.Payments.Debt);
            lines.AddRange(SumLines(charges.Records.Where(r => string.IsNullOrEmpty(serviceTypeCode) || r.ServiceTypeCode == serviceTypeCode)));
        }
        return new MonthlySum(cycle, lines.Skip(from).Take(size).ToList(), lines.Count, consume, new CyclePayments(cash, credit, debt));
    }

    /// <summary>The records of one customer's cycle grouped into monthly-sum lines, in a stable order.</summary>
    public static IEnumerable<MonthlySumLine> SumLines(IEnumerable<ResourceCharge> records) => records
        .GroupBy(r => (r.CustomerId, r.ServiceTypeCode, r.ResourceTypeCode, r.ChargingMode, Kind: BillTypes.IsRefund(r.BillType) ? 2 : 1))
        .OrderBy(g => g.Key.CustomerId, StringComparer.Ordinal).ThenBy(g => g.Key.ServiceTypeCode, StringComparer.Ordinal)
        .ThenBy(g => g.Key.ResourceTypeCode, StringComparer.Ordinal).ThenBy(g => g.Key.ChargingMode).ThenBy(g => g.Key.Kind)
        .Select(g => new MonthlySumLine(g.Key.CustomerId, g.Key.ServiceTypeCode, g.Key.ResourceTypeCode, g.Key.ChargingMode, g.Key.Kind,
            g.Sum(r => r.Official), g.Sum(r => r.Discount), g.Sum(r => r.Truncated), g.Sum(r => r.Amount), g.Sum(r => r.Settlement)));

    /// <summary>ListCustomerselfResourceRecords: the caller's (or, by method, its customer's) resource fee records of a cycle.</summary>
    public async Task<(IReadOnlyList<ResourceRecord> Records, int Total)> ResourceRecordsAsync(Caller caller, ResourceRecordFilter f, CancellationToken ct = default)
    {
        var customers = await CustomersForMethodAsync(caller, f.Method, f.SubCustomerId, ct);
        var cycle = Cycle(f.Cycle, "cycle", OwnMonthsBack);
        if (f.StatisticType is null or 3) return await DetailRecordsAsync(customers, cycle, f, ct);
        var records = await FilteredRecordsAsync(customers, cycle, f, null, ct);
        var (from, size) = Page(f.Offset, f.Limit, 10);
        return (records.Skip(from).Take(size).ToList(), records.Count);
    }

    /// <summary>
    /// Detailed records (statistic_type 3, Huawei's default): each order line, and each hourly fee record with its
    /// 2-decimal share of its resource's cycle charge (<see cref="Apportion"/> over the resource's fees in hour order, so
    /// the hours add up to the cycle record). Two reads of the cycle's fees (<see cref="DetailedFees"/>, in SQL on
    /// PostgreSQL): the wanted fees counted per resource and factor, then every fee of the page's resources and factors, which split their charge.
    /// </summary>
    static readonly Comparer<(string ResourceId, string Factor)> ResourceFactorOrder = Comparer<(string ResourceId, string Factor)>.Create((a, b) =>
        string.CompareOrdinal(a.ResourceId, b.ResourceId) is var c and not 0 ? c : string.CompareOrdinal(a.Factor, b.Factor));

    async Task<(IReadOnlyList<ResourceRecord> Records, int Total)> DetailRecordsAsync(IReadOnlyList<string> customers, BillCycle cycle, ResourceRecordFilter f, CancellationToken ct)
    {
        var (from, size) = Page(f.Offset, f.Limit, 10);
        var keep = Criteria(cycle, f, null);
        var (firstRun, lastRun) = (cycle.StartUtc, cycle.EndUtc); // runs in (firstRun, lastRun]
        var inDatabase = db.Database.IsNpgsql();
        if (Date(f.BillDateBegin, "bill_date_begin", cycle) is { } b) firstRun = DateTime.SpecifyKind(b.ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset, DateTimeKind.Utc);
        if (Date(f.BillDateEnd, "bill_date_end", cycle) is { } e) lastRun = DateTime.SpecifyKind(e.AddDays(1).ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset, DateTimeKind.Utc);
        var page = new List<ResourceRecord>();
        var total = 0;
        foreach (var customer in customers)
        {
            var charges = await ChargesAsync(customer, cycle, ct);
            var orders = charges.Records.Where(r => r.BillType != BillTypes.Usage).Select(r => new ResourceRecord(r, Day(r.TradeTime))).Where(keep).ToList();
            var usageTradeId = $"{customer}:{cycle}";
            var wanted = new DetailedFeeFilter(firstRun, lastRun, f.ServiceTypeCode, f.Region, f.ResourceTypeCode, f.ResourceId, f.IncludeZeroRecord == true);
            var usageWanted = f.BillType is null or BillTypes.Usage && f.ChargeMode is null or "" or "3" && (string.IsNullOrEmpty(f.TradeId) || f.TradeId == usageTradeId);
            // First pass: how many wanted fees each resource and factor has (the fees sort by resource, factor and hour).
            var counts = new SortedDictionary<(string ResourceId, string Factor), int>(ResourceFactorOrder);
            if (usageWanted)
                foreach (var (resource, factor, count) in await DetailedFees.CountsAsync(db, customer, cycle, wanted, inDatabase, ct)) counts[(resource, factor)] = count;
            var usageCount = counts.Values.Sum();

            // This customer's slice of the requested page: its order records first, then its fees.
            var skip = Math.Max(0, from - total);
            var take = Math.Max(0, Math.Min(size - page.Count, orders.Count + usageCount - skip));
            total += orders.Count + usageCount;
            if (take == 0) continue;
            var fromOrders = orders.Skip(skip).Take(take).ToList();
            page.AddRange(fromOrders);
            var feeSkip = Math.Max(0, skip - orders.Count);
            var feeTake = take - fromOrders.Count;
            if (feeTake == 0) continue;

            // Second pass: every fee of the cycle of the resources and factors the page shows, to split their charge.
            var shown = new HashSet<(string, string)>();
            var passed = 0;
            foreach (var (key, count) in counts)
            {
                if (passed + count > feeSkip && passed < feeSkip + feeTake) shown.Add(key);
                passed += count;
            }
            var groups = (await DetailedFees.OfAsync(db, customer, cycle, shown, inDatabase, ct)).ToLookup(x => (x.ResourceId, x.UsageFactor));
            var cycleRecords = charges.Records.Where(r => r.BillType == BillTypes.Usage).ToDictionary(r => (r.ResourceId, r.UsageFactor!));
            var rows = new List<(UsageFee Fee, decimal Amount, decimal Settlement)>();
            foreach (var key in shown.Order(ResourceFactorOrder))
            {
                var list = groups[key].ToList();
                var record = cycleRecords[key];
                var amounts = Apportion.Split(record.Amount, list.Select(x => charges.Resale ? x.OfficialAmount : x.Amount).ToList());
                var settlements = Apportion.Split(record.Settlement, list.Select(x => x.SettlementAmount).ToList());
                for (var i = 0; i < list.Count; i++)
                    if (wanted.Wants(list[i])) rows.Add((list[i], amounts[i], settlements[i]));
            }
            var before = counts.TakeWhile(c => !shown.Contains(c.Key)).Sum(c => c.Value);
            foreach (var (x, amount, settlement) in rows.Skip(feeSkip - before).Take(feeTake))
            {
                var discount = charges.Resale ? 0 : x.OfficialAmount - x.Amount;
                page.Add(new ResourceRecord(cycleRecords[(x.ResourceId, x.UsageFactor)] with
                {
                    Usage = x.UsageValue, FreeUsage = x.FreeResourceUsed, Official = x.OfficialAmount, Discount = discount,
                    Truncated = x.OfficialAmount - discount - amount, Amount = amount, Settlement = settlement, TradeTime = x.Hour,
                }, Day(x.RatingPeriod.AddHours(-1))));
            }
        }
        return (page, total);
    }

    /// <summary>
    /// ListSubCustomerBillDetail: the fee records (by day) of the partner's customers in a cycle up to 18 months back, one
    /// customer's or every customer it answered for in the cycle (a distributor's reseller's with indirect_partner_id).
    /// </summary>
    public async Task<(IReadOnlyList<(ResourceRecord Record, CustomerAssociation? Association)> Records, int Total, Partner Partner)> SubCustomerRecordsAsync(
        Caller caller, SubCustomerRecordFilter f, CancellationToken ct = default)
    {
        var partner = await partners.ActingPartnerAsync(caller, CustomerBillActions.View, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var cycle = Cycle(f.BillCycle, "bill_cycle", PartnerMonthsBack);
        if (f.AssociationType is not (null or "" or "1" or "2")) throw Check.Invalid("association_type is 1 (referral) or 2 (resale).");
        Check.MaxLength(f.AccountManagerId, "account_manager_id", 64);
        Check.MaxLength(f.ResourceName, "resource_name", 128);
        Check.MaxLength(f.CustomerId, "customer_id", 64);
        var answered = await CustomersInCycleAsync(partner.AccountId, cycle, ct);
        if (!string.IsNullOrEmpty(f.CustomerId))
            answered = answered.Contains(f.CustomerId) ? [f.CustomerId] : throw new ServiceException(Errors.NotYourCustomer());
        var associations = await db.CustomerAssociations.AsNoTracking().Where(a => a.PartnerAccountId == partner.AccountId && answered.Contains(a.CustomerAccountId))
            .ToDictionaryAsync(a => a.CustomerAccountId, ct);
        var wantedType = f.AssociationType switch { "1" => AssociationTypes.Referral, "2" => AssociationTypes.Resale, _ => null };
        var customers = answered.Where(c => (wantedType is null || associations.GetValueOrDefault(c)?.AssociationType == wantedType)
                                            && (string.IsNullOrEmpty(f.AccountManagerId) || associations.GetValueOrDefault(c)?.AccountManagerUserId == f.AccountManagerId)).ToList();
        HashSet<string>? named = null;
        if (!string.IsNullOrEmpty(f.ResourceName))
            named = (await db.CloudResources.AsNoTracking().Where(r => customers.Contains(r.CustomerAccountId) && r.Name == f.ResourceName).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var filter = new ResourceRecordFilter(f.BillCycle, f.ServiceTypeCode, f.RegionCode, f.ChargingMode?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            f.BillDetailType, f.ResourceId, f.TradeId, null, null, null, 2, f.BillDateBegin, f.BillDateEnd, f.Offset, f.Limit);
        var records = await FilteredRecordsAsync(customers, cycle, filter, named, ct);
        var (from, size) = Page(f.Offset, f.Limit, 10);
        return (records.Skip(from).Take(size).Select(r => (r, associations.GetValueOrDefault(r.Charge.CustomerId))).ToList(), records.Count, partner);
    }

    async Task<List<ResourceRecord>> FilteredRecordsAsync(IEnumerable<string> customers, BillCycle cycle, ResourceRecordFilter f, HashSet<string>? resourceIds, CancellationToken ct)
    {
        var keep = Criteria(cycle, f, resourceIds);
        var records = new List<ResourceRecord>();
        foreach (var customer in customers)
        {
            var charges = await ChargesAsync(customer, cycle, ct);
            var rows = f.StatisticType == 1 ? charges.Records.Select(r => new ResourceRecord(r, Day(r.TradeTime))).ToList() : await ByDayAsync(charges, ct);
            records.AddRange(rows.Where(keep));
        }
        return records;
    }

    /// <summary>Checks a record query's filters and answers the test a record must pass.</summary>
    static Func<ResourceRecord, bool> Criteria(BillCycle cycle, ResourceRecordFilter f, HashSet<string>? resourceIds)
    {
        Page(f.Offset, f.Limit, 10);
        if (f.StatisticType is not (null or 1 or 2 or 3)) throw Check.Invalid("statistic_type is 1 (by cycle), 2 (by day) or 3 (detailed).");
        if (f.BillType is { } bt && !BillTypes.All.Contains(bt)) throw Check.Invalid($"bill_type is one of {string.Join(", ", BillTypes.All)}.");
        int? chargeMode = f.ChargeMode switch
        {
            null or "" => null,
            "1" => Resources.ChargeMode.Period,
            "3" => Resources.ChargeMode.OnDemand,
            _ => throw Check.Invalid("charge_mode is 1 (yearly/monthly) or 3 (pay-per-use)."),
        };
        foreach (var (value, field) in new[] { (f.ServiceTypeCode, "cloud_service_type"), (f.Region, "region"), (f.ResourceId, "resource_id"), (f.TradeId, "trade_id"),
                     (f.ResourceTypeCode, "resource_type") })
            Check.MaxLength(value, field, 64);
        var begin = Date(f.BillDateBegin, "bill_date_begin", cycle);
        var end = Date(f.BillDateEnd, "bill_date_end", cycle);
        return x =>
        {
            var r = x.Charge;
            return (string.IsNullOrEmpty(f.ServiceTypeCode) || r.ServiceTypeCode == f.ServiceTypeCode) && (string.IsNullOrEmpty(f.Region) || r.Region == f.Region)
                   && (chargeMode is null || r.ChargingMode == chargeMode) && (f.BillType is null || r.BillType == f.BillType)
                   && (string.IsNullOrEmpty(f.ResourceId) || r.ResourceId == f.ResourceId) && (string.IsNullOrEmpty(f.TradeId) || r.TradeId == f.TradeId)
                   && (string.IsNullOrEmpty(f.ResourceTypeCode) || r.ResourceTypeCode == f.ResourceTypeCode)
                   && (resourceIds is null || resourceIds.Contains(r.ResourceId))
                   && (f.IncludeZeroRecord == true || r.Amount != 0 || r.Official != 0)
                   && (begin is null || x.BillDate >= begin) && (end is null || x.BillDate <= end);
        };
    }

    /// <summary>
    /// The cycle's records day by day (Beijing time): an order line on the day it was paid; a resource's pay-per-use split
    /// over the days its hourly runs rated, each day's 2-decimal share of the resource's cycle charge by <see cref="Apportion"/>
    /// so the days add up to the cycle record.
    /// </summary>
    async Task<List<ResourceRecord>> ByDayAsync(CycleCharges charges, CancellationToken ct)
    {
        var rows = charges.Records.Where(r => r.BillType != BillTypes.Usage).Select(r => new ResourceRecord(r, Day(r.TradeTime))).ToList();
        var usage = charges.Records.Where(r => r.BillType == BillTypes.Usage).ToDictionary(r => (r.ResourceId, r.UsageFactor!));
        if (usage.Count == 0) return rows;
        // The sums per resource, factor and Beijing day (in SQL on PostgreSQL).
        var days = await DailyFees.PerResourceAsync(db, charges.CustomerId, charges.Cycle, db.Database.IsNpgsql(), ct);
        foreach (var perResource in days.GroupBy(d => (d.ResourceId, d.UsageFactor)).OrderBy(g => g.Key.ResourceId, StringComparer.Ordinal).ThenBy(g => g.Key.UsageFactor, StringComparer.Ordinal))
        {
            var cycleRecord = usage[perResource.Key];
            var list = perResource.OrderBy(d => d.Day).ToList();
            var amounts = Apportion.Split(cycleRecord.Amount, list.Select(d => charges.Resale ? d.Official : d.Amount).ToList());
            var settlements = Apportion.Split(cycleRecord.Settlement, list.Select(d => d.Settlement).ToList());
            for (var i = 0; i < list.Count; i++)
            {
                var d = list[i];
                var discount = charges.Resale ? 0 : d.Official - d.Amount;
                rows.Add(new ResourceRecord(cycleRecord with
                {
                    Usage = d.Usage, FreeUsage = d.Free, Official = d.Official, Discount = discount, Truncated = d.Official - discount - amounts[i],
                    Amount = amounts[i], Settlement = settlements[i], TradeTime = d.Day.ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset,
                }, d.Day));
            }
        }
        return rows.OrderBy(r => r.BillDate).ThenBy(r => r.Charge.TradeId, StringComparer.Ordinal).ThenBy(r => r.Charge.ResourceId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// ListSubcustomerMonthlyBills: the partner's customers' monthly sums (one customer, or all it answered for in the cycle),
    /// with what the partner is charged at settlement price for its resale customers.
    /// </summary>
    public async Task<(IReadOnlyList<MonthlySumLine> Lines, int Total)> SubCustomerSumsAsync(Caller caller, SubCustomerSumFilter f, CancellationToken ct = default)
    {
        var (from, size) = Page(f.Offset, f.Limit, 10);
        var partner = await partners.ActingPartnerAsync(caller, CustomerBillActions.View, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var cycle = Cycle(f.Cycle, "cycle", PartnerMonthsBack);
        Check.MaxLength(f.ServiceTypeCode, "cloud_service_type", 64);
        if (f.ChargeMode is not (null or "" or "1" or "3")) throw Check.Invalid("charge_mode is 1 (yearly/monthly) or 3 (pay-per-use).");
        // The China partner API's kinds: 0 consumption, 1 unsubscribe refund (2 Huawei write-off never happens here).
        if (f.BillType is not (null or "" or "0" or "1" or "2")) throw Check.Invalid("bill_type is 0 (consumption), 1 (unsubscribe) or 2 (write-off).");
        Check.MaxLength(f.CustomerId, "customer_id", 64);
        // One customer's months are those the partner answered for it, also after the association was dissolved (the
        // lines of the partner's own bill of such a month name it), as the fee records of ListSubCustomerBillDetail are.
        var answered = await CustomersInCycleAsync(partner.AccountId, cycle, ct);
        var customers = string.IsNullOrEmpty(f.CustomerId) ? answered
            : answered.Contains(f.CustomerId) ? [f.CustomerId] : throw new ServiceException(Errors.NotYourCustomer());
        var lines = new List<MonthlySumLine>();
        foreach (var charges in await ChargesAsync(customers, cycle, ct))
        {
            lines.AddRange(SumLines(charges.Records).Where(l =>
                (string.IsNullOrEmpty(f.ServiceTypeCode) || l.ServiceTypeCode == f.ServiceTypeCode)
                && (string.IsNullOrEmpty(f.ChargeMode) || l.ChargingMode.ToString(System.Globalization.CultureInfo.InvariantCulture) == f.ChargeMode)
                && (string.IsNullOrEmpty(f.BillType) || (f.BillType == "0" && l.BillType == 1) || (f.BillType == "1" && l.BillType == 2))));
        }
        return (lines.Skip(from).Take(size).ToList(), lines.Count);
    }

    /// <summary>ListConsumeSubCustomers: the partner's customers with charges in the cycle, including those it is no longer associated with.</summary>
    public async Task<(IReadOnlyList<string> Customers, int Total)> ConsumingCustomersAsync(Caller caller, string? billCycle, int? offset, int? limit, CancellationToken ct = default)
    {
        var (from, size) = Page(offset, limit, 10);
        var partner = await partners.ActingPartnerAsync(caller, CustomerBillActions.View, null, PartnerNeed.Customers, ct);
        var cycle = Cycle(billCycle, "bill_cycle", PartnerMonthsBack);
        var spending = (await ChargesAsync(await CustomersInCycleAsync(partner.AccountId, cycle, ct), cycle, ct))
            .Where(c => c.Records.Any(r => r.Amount != 0 || r.Settlement != 0)).Select(c => c.CustomerId).ToList();
        return (spending.Skip(from).Take(size).ToList(), spending.Count);
    }

    /// <summary>
    /// What every customer the calling partner answered for in the cycle was charged (the console's expenditure pages):
    /// the same customers and records as <see cref="SubCustomerSumsAsync"/>, whole, for a report to sum.
    /// </summary>
    public async Task<IReadOnlyList<CycleCharges>> PartnerCustomersChargesAsync(Caller caller, BillCycle cycle, CancellationToken ct = default)
    {
        var partner = await partners.ActingPartnerAsync(caller, CustomerBillActions.View, null, PartnerNeed.Customers, ct);
        return await PartnerCustomersChargesAsync(partner, cycle, ct);
    }

    /// <summary>The same for a partner the caller already acts as (a distributor's reseller included).</summary>
    public async Task<IReadOnlyList<CycleCharges>> PartnerCustomersChargesAsync(Partner partner, BillCycle cycle, CancellationToken ct = default) =>
        await ChargesAsync(await CustomersInCycleAsync(partner.AccountId, cycle, ct), cycle, ct);

    /// <summary>
    /// The customers a partner answered for in a cycle: its current customers, and those whose orders or pay-per-use it
    /// paid in the cycle (a resale customer since unbound). There is no association history table: the money trail is it.
    /// </summary>
    async Task<List<string>> CustomersInCycleAsync(string partnerAccountId, BillCycle cycle, CancellationToken ct)
    {
        var (start, end) = (cycle.StartUtc, cycle.EndUtc);
        var current = await db.CustomerAssociations.AsNoTracking().Where(a => a.PartnerAccountId == partnerAccountId).Select(a => a.CustomerAccountId).ToListAsync(ct);
        var funded = await db.Orders.AsNoTracking().Where(o => o.FundingPartnerAccountId == partnerAccountId && o.PaidAt >= start && o.PaidAt < end)
            .Select(o => o.CustomerAccountId).Distinct().ToListAsync(ct);
        var payable = Ledger.LedgerBook.PayableOf(partnerAccountId);
        // A resale customer's hourly charges are posted to its partner's payable under the customer's reference.
        var fromUsage = await db.Postings.AsNoTracking().Where(p => p.AccountId == payable && p.BookedAt >= start && p.BookedAt < end && p.Kind == "UsageCharge")
            .Select(p => p.Reference!).Distinct().ToListAsync(ct);
        // Hours a resale customer paid from the cash this partner allocated are the partner's trades too.
        var fromAllocated = await db.AllocatedUsageCharges.AsNoTracking().Where(a => a.PartnerAccountId == partnerAccountId && a.BookedAt >= start && a.BookedAt < end)
            .Select(a => a.CustomerAccountId).Distinct().ToListAsync(ct);
        return current.Concat(funded).Concat(fromUsage).Concat(fromAllocated).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The names the answers show beside the records' codes and ids.</summary>
    public Task<BillLabels> LabelsAsync(IReadOnlyCollection<ResourceCharge> records, IEnumerable<string>? customers = null, CancellationToken ct = default) =>
        BillLabels.LoadAsync(db, records.Select(r => r.CustomerId).Concat(customers ?? []), records.Select(r => r.ResourceId), records.Select(r => r.SpecId), ct);

    async Task<CycleCharges> ChargesAsync(string customer, BillCycle cycle, CancellationToken ct) => (await ChargesAsync([customer], cycle, ct))[0];

    /// <summary>Many customers' charges in a fixed number of statements (a partner's pages list every customer it answered for).</summary>
    async Task<IReadOnlyList<CycleCharges>> ChargesAsync(IReadOnlyList<string> customers, BillCycle cycle, CancellationToken ct)
    {
        var resale = new HashSet<string>();
        foreach (var chunk in customers.Chunk(500))
            resale.UnionWith(await db.CustomerAssociations.AsNoTracking().Where(a => chunk.Contains(a.CustomerAccountId) && a.AssociationType == AssociationTypes.Resale)
                .Select(a => a.CustomerAccountId).ToListAsync(ct));
        return await reader.ReadManyAsync(customers.Select(c => (c, resale.Contains(c))).ToList(), cycle, ct);
    }

    /// <summary>
    /// The customers a customer-bill query covers: <c>oneself</c> the caller; <c>sub_customer</c> the caller's customer
    /// <paramref name="subCustomerId"/> (required; the caller must be its partner, or its enterprise master with the
    /// member's leave to read its bills); <c>all</c> (the default) both, and a master's members that let it read their bills
    /// (<see cref="Enterprise.EnterpriseBills"/>): its consolidated bill.
    /// </summary>
    async Task<List<string>> CustomersForMethodAsync(Caller caller, string? method, string? subCustomerId, CancellationToken ct)
    {
        if (method is not (null or "" or "oneself" or "sub_customer" or "all")) throw Check.Invalid("method is oneself, sub_customer or all.");
        Check.MaxLength(subCustomerId, "sub_customer_id", 64);
        if (method == "sub_customer" && string.IsNullOrEmpty(subCustomerId)) throw Check.Invalid("sub_customer_id is required when method is sub_customer.");
        var list = new List<string>();
        if (method is not "sub_customer")
        {
            await access.RequireAsync(caller, CustomerBillActions.View, ct);
            list.Add(caller.AccountId);
            if (method is not "oneself") list.AddRange(await Enterprise.EnterpriseBills.VisibleMembersAsync(db, caller.AccountId, ct));
        }
        if (method is "oneself" || string.IsNullOrEmpty(subCustomerId) || list.Contains(subCustomerId)) return list;
        if (caller.IsOperator)
        {
            // The operator reads any customer's bills.
            await access.RequireAsync(caller, CustomerBillActions.View, ct);
            list.Add(await db.Accounts.AsNoTracking().Where(a => a.Id == subCustomerId).Select(a => a.Id).SingleOrDefaultAsync(ct)
                     ?? throw new ServiceException(Errors.NotYourCustomer()));
        }
        else if (await Enterprise.EnterpriseBills.VisibleMemberAsync(db, caller.AccountId, subCustomerId, ct) is { } member)
        {
            await access.RequireAsync(caller, CustomerBillActions.View, ct);
            list.Add(member);
        }
        else
        {
            var partner = await partners.ActingPartnerAsync(caller, CustomerBillActions.View, null, PartnerNeed.Customers, ct);
            list.Add((await partners.CustomerOfAsync(partner, subCustomerId, ct)).CustomerAccountId);
        }
        return list;
    }

    BillCycle Cycle(string? text, string field, int monthsBack)
    {
        if (string.IsNullOrEmpty(text)) throw Check.Invalid($"{field} is required (YYYY-MM).");
        if (!BillCycle.TryParse(text, out var cycle)) throw Check.Invalid($"{field} is a month as YYYY-MM.");
        var current = BillCycle.Containing(clock.GetUtcNow().UtcDateTime);
        if (cycle > current) throw Check.Invalid($"{field} is not after the current month ({current}).");
        var oldest = current;
        for (var i = 0; i < monthsBack; i++) oldest = oldest.Previous;
        if (cycle < oldest) throw Check.Invalid($"{field} is at most {monthsBack} months back ({oldest} or later).");
        return cycle;
    }

    static DateOnly? Date(string? text, string field, BillCycle cycle)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            throw Check.Invalid($"{field} is a date as YYYY-MM-DD.");
        if (d.Year != cycle.Year || d.Month != cycle.Month) throw Check.Invalid($"{field} is a day of the cycle {cycle}.");
        return d;
    }

    /// <summary>The Beijing-time day of an instant (bill dates count like bill cycles).</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc + BillCycle.BeijingOffset);

    static (int Offset, int Limit) Page(int? offset, int? limit, int defaultLimit)
    {
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
        return (offset ?? 0, limit ?? defaultLimit);
    }
}

/// <summary>The names an answer shows beside codes and ids: catalog types, regions, resources, customers' account names, specs.</summary>
public sealed record BillLabels(Orders.CatalogNames Catalog, IReadOnlyDictionary<string, string> Regions, IReadOnlyDictionary<string, string> Resources,
    IReadOnlyDictionary<string, string> Accounts, IReadOnlyDictionary<string, string> Specs)
{
    public string Region(string code) => Regions.GetValueOrDefault(code, code);
    public string Resource(string id) => Resources.GetValueOrDefault(id, id);
    public string Account(string id) => Accounts.GetValueOrDefault(id, id);
    public string Spec(string id) => Specs.GetValueOrDefault(id, id);

    public static async Task<BillLabels> LoadAsync(AppDbContext db, IEnumerable<string> customers, IEnumerable<string> resources, IEnumerable<string> specs, CancellationToken ct)
    {
        var customerIds = customers.Distinct().ToList();
        var resourceIds = resources.Distinct().ToList();
        var specIds = specs.Distinct().ToList();
        return new BillLabels(await Orders.CatalogNames.LoadAsync(db, ct),
            await db.CatalogRegions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct),
            await db.CloudResources.AsNoTracking().Where(r => resourceIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct),
            await db.Accounts.AsNoTracking().Where(a => customerIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct),
            await db.ResourceSpecs.AsNoTracking().Where(s => specIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SpecCode, ct));
    }
}
