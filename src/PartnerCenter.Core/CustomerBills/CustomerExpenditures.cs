using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>
/// What customers spent: <see cref="List"/> at list price, <see cref="Spend"/> what they were charged (a resale
/// customer's is its list price less the sub-cent remainders, a referral customer's after its discounts) and
/// <see cref="Settlement"/> what the partner was charged for them (resale customers only).
/// </summary>
public sealed record SpendFigures(decimal List, decimal Spend, decimal Settlement)
{
    public static readonly SpendFigures Zero = new(0, 0, 0);

    public static SpendFigures Of(IEnumerable<ResourceCharge> records)
    {
        decimal list = 0, spend = 0, settlement = 0;
        foreach (var r in records) (list, spend, settlement) = (list + r.Official, spend + r.Amount, settlement + r.Settlement);
        return new SpendFigures(list, spend, settlement);
    }
}

/// <summary>One row of an expenditure table: a month, a customer or a service, with its figures.</summary>
public sealed record ExpenditureRow(string Key, string Name, SpendFigures Figures);

/// <summary>
/// A partner's customers' spend over <see cref="Cycles"/> (oldest first): per month (every cycle, zero when nothing was
/// spent), per customer and per service (largest spend first), and the total. Every table sums the same records.
/// <see cref="LastCycleOf"/> is the newest month each customer was charged in.
/// </summary>
public sealed record ExpenditureReport(IReadOnlyList<BillCycle> Cycles, IReadOnlyList<ExpenditureRow> Months, IReadOnlyList<ExpenditureRow> Customers,
    IReadOnlyList<ExpenditureRow> Services, SpendFigures Total, IReadOnlyDictionary<string, BillCycle> LastCycleOf)
{
    /// <summary>The chart of spend per month: one point per cycle, its value the month's row.</summary>
    public IReadOnlyList<ChartPoint> MonthSeries => Series(Months, f => f.Spend);

    /// <summary>The chart of the partner's settlement per month (the line over the spend bars).</summary>
    public IReadOnlyList<ChartPoint> MonthSettlementSeries => Series(Months, f => f.Settlement);

    public IReadOnlyList<ChartPoint> TopCustomerSeries(int top) => Series(Customers.Take(top), f => f.Spend);

    public IReadOnlyList<ChartPoint> ServiceSeries => Series(Services, f => f.Spend);

    static List<ChartPoint> Series(IEnumerable<ExpenditureRow> rows, Func<SpendFigures, decimal> value) =>
        rows.Select(r => new ChartPoint(r.Name, value(r.Figures))).ToList();

    /// <summary>
    /// Sums each customer's cycle charges into the report. <paramref name="customerName"/> and <paramref name="serviceName"/>
    /// give the names shown beside the ids and codes.
    /// </summary>
    public static ExpenditureReport Summarize(IReadOnlyList<BillCycle> cycles, IReadOnlyList<CycleCharges> charges, Func<string, string> customerName,
        Func<string, string> serviceName)
    {
        var months = cycles.Select(c => new ExpenditureRow(c.ToString(), c.ToString(), SpendFigures.Of(charges.Where(x => x.Cycle == c).SelectMany(x => x.Records)))).ToList();
        var records = charges.Where(x => cycles.Contains(x.Cycle)).SelectMany(x => x.Records).ToList();
        var customers = Rows(records.GroupBy(r => r.CustomerId), customerName);
        var services = Rows(records.GroupBy(r => r.ServiceTypeCode), serviceName);
        // The newest month each customer was charged in, where a link to its bill opens.
        var last = charges.Where(x => cycles.Contains(x.Cycle) && x.Records.Count > 0).GroupBy(x => x.CustomerId).ToDictionary(g => g.Key, g => g.Max(x => x.Cycle));
        return new ExpenditureReport(cycles, months, customers, services, SpendFigures.Of(records), last);
    }

    /// <summary>Rows with something charged, largest spend first (ties by key, so the order is stable).</summary>
    static List<ExpenditureRow> Rows(IEnumerable<IGrouping<string, ResourceCharge>> groups, Func<string, string> name) => groups
        .Select(g => new ExpenditureRow(g.Key, name(g.Key), SpendFigures.Of(g)))
        .Where(r => r.Figures != SpendFigures.Zero)
        .OrderByDescending(r => r.Figures.Spend).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
}

/// <summary>
/// A partner's customer expenditures over the last closed months (the console's Customer expenditures page), read
/// through <see cref="CustomerBillService"/> so the figures are those of the customers' bills.
/// </summary>
public sealed class CustomerExpenditures(CustomerBillService bills, AppDbContext db, TimeProvider clock)
{
    /// <summary>How many closed months the report covers (the current month is still open and left out).</summary>
    public const int ClosedMonths = 12;

    public async Task<ExpenditureReport> LastClosedMonthsAsync(Caller caller, CancellationToken ct = default)
    {
        var cycles = new List<BillCycle>();
        var cycle = BillCycle.Containing(clock.GetUtcNow().UtcDateTime);
        for (var i = 0; i < ClosedMonths; i++) cycles.Insert(0, cycle = cycle.Previous);
        var charges = new List<CycleCharges>();
        foreach (var c in cycles) charges.AddRange(await bills.PartnerCustomersChargesAsync(caller, c, ct));
        var labels = await BillLabels.LoadAsync(db, charges.Select(c => c.CustomerId), [], [], ct);
        return ExpenditureReport.Summarize(cycles, charges, labels.Account, labels.Catalog.ServiceType);
    }
}
