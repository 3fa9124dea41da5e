using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Exports;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Enterprise;

/// <summary>One account of a consolidated bill: the master itself or a member, what it was charged in the month, and what the master's balance paid of it.</summary>
public sealed record ConsolidatedAccount(string AccountId, string Name, bool IsMaster, bool FinancialCustody, decimal Consume, decimal PaidByMaster);

/// <summary>
/// The organization's monthly statement for its master: one row per account whose bills the master reads (itself, its
/// finance-custody members, the members that granted READ_CONSUME_BILL), largest spend first, and the total.
/// </summary>
public sealed record ConsolidatedBill(BillCycle Cycle, IReadOnlyList<ConsolidatedAccount> Accounts)
{
    public decimal Total => Accounts.Sum(a => a.Consume);

    /// <summary>The chart of each account's spend.</summary>
    public IReadOnlyList<ChartPoint> SpendSeries => Accounts.Select(a => new ChartPoint(a.Name, a.Consume)).ToList();
}

/// <summary>The Enterprise Center's bills for a master (the console's Bills pages), over the customer bills' own reads.</summary>
public sealed class EnterpriseBillService(AppDbContext db, EnterpriseCenter center, CustomerBillService bills, OrderService orders, TimeProvider clock)
{
    public BillCycle Current => BillCycle.Containing(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The consolidated bill of <paramref name="cycle"/>: each account's monthly sum as ShowCustomerMonthlySum answers it
    /// (the master's own with oneself, each member's with sub_customer), so the page and the API never differ.
    /// </summary>
    public async Task<ConsolidatedBill> ConsolidatedAsync(Caller caller, string? cycle, CancellationToken ct = default)
    {
        var month = cycle ?? Current.ToString();
        var members = await db.EnterpriseMembers.AsNoTracking().Where(m => m.MasterAccountId == caller.AccountId).ToDictionaryAsync(m => m.MemberAccountId, ct);
        var visible = await EnterpriseBills.VisibleMembersAsync(db, caller.AccountId, ct);
        var ids = visible.Prepend(caller.AccountId).ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var rows = new List<ConsolidatedAccount>();
        BillCycle? parsed = null;
        foreach (var id in ids)
        {
            var sum = id == caller.AccountId
                ? await bills.MonthlySumAsync(caller, month, null, "oneself", null, 0, 1, ct)
                : await bills.MonthlySumAsync(caller, month, null, "sub_customer", id, 0, 1, ct);
            parsed = sum.Cycle;
            var (start, end) = (sum.Cycle.StartUtc, sum.Cycle.EndUtc);
            // What the master's balance paid of a member's month: the orders it paid for it, less what their refunds gave back to it.
            var paidByMaster = id == caller.AccountId ? 0 : await db.Orders.AsNoTracking()
                .Where(o => o.CustomerAccountId == id && o.PaidByAccountId == caller.AccountId && o.PaidAt >= start && o.PaidAt < end)
                .SumAsync(o => o.OrderType == OrderType.Unsubscribe || o.OrderType == OrderType.ToOnDemand ? -o.AmountAfterDiscount : o.AmountAfterDiscount, ct);
            rows.Add(new ConsolidatedAccount(id, names.GetValueOrDefault(id, id), id == caller.AccountId, members.GetValueOrDefault(id)?.FinancialCustody ?? false,
                sum.Consume, paidByMaster));
        }
        return new ConsolidatedBill(parsed!.Value, rows.OrderByDescending(r => r.Consume).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>One member's month for its master (refused unless the member lets it read its bills): its monthly-sum lines.</summary>
    public Task<MonthlySum> MemberMonthAsync(Caller caller, string memberId, string? cycle, CancellationToken ct = default) =>
        bills.MonthlySumAsync(caller, cycle ?? Current.ToString(), null, "sub_customer", memberId, 0, CustomerBillService.MaxLimit, ct);

    /// <summary>The finance-custody members' orders waiting for payment, which the master may pay (newest first).</summary>
    public async Task<IReadOnlyList<Order>> OrdersToPayAsync(Caller caller, CancellationToken ct = default) =>
        (await orders.ListAsync(caller, new OrderFilter(null, null, null, null, null, OrderStatus.PendingPayment, null, null, null, null, 0, OrderService.MaxPageSize, null, "sub_customer"), ct)).Orders;

    /// <summary>The master pays a custody member's order from its own balance (as PayOrders does, with no coupon or discount).</summary>
    public Task<Order> PayAsync(Caller caller, string orderId, CancellationToken ct = default) =>
        orders.PayAsync(caller, new PayRequest(orderId, "NO", "NO", null, null), ct);

    /// <summary>
    /// The organization's invoice of a month as PDF, for its master only (a member or any other account: CBC.0155): each
    /// account of the consolidated bill with every one of its monthly-sum lines, read as ShowCustomerMonthlySum answers
    /// them, and the organization's total, so the file carries the console's and the API's figures to the cent.
    /// </summary>
    public async Task<ExportFile> InvoiceAsync(Caller caller, string? cycle, CancellationToken ct = default)
    {
        await center.MasterAsync(caller, CustomerBillActions.View, ct);
        var bill = await ConsolidatedAsync(caller, cycle, ct);
        var month = bill.Cycle.ToString();
        var labels = await bills.LabelsAsync([], [caller.AccountId], ct);
        var accounts = new List<OrganizationInvoiceAccount>();
        foreach (var a in bill.Accounts)
        {
            var (method, sub) = a.IsMaster ? ("oneself", (string?)null) : ("sub_customer", a.AccountId);
            var first = await bills.MonthlySumAsync(caller, month, null, method, sub, 0, CustomerBillService.MaxLimit, ct);
            var lines = new List<MonthlySumLine>(first.Lines);
            while (lines.Count < first.TotalCount)
                lines.AddRange((await bills.MonthlySumAsync(caller, month, null, method, sub, lines.Count, CustomerBillService.MaxLimit, ct)).Lines);
            accounts.Add(new OrganizationInvoiceAccount(a.AccountId, a.Name, Role(a), a.Consume, a.PaidByMaster, lines.Select(l => new CustomerStatementLine(
                l.ServiceTypeCode, labels.Catalog.ServiceType(l.ServiceTypeCode), l.ResourceTypeCode, labels.Catalog.ResourceType(l.ResourceTypeCode),
                l.ChargingMode, l.BillType, l.Official, l.Discount, l.Truncated, l.Amount, l.Settlement)).ToList()));
        }
        var export = new OrganizationInvoiceExport($"ORG-{caller.AccountId}-{month}", month, caller.AccountId, labels.Account(caller.AccountId), accounts);
        return new ExportFile($"organization-invoice-{month}.pdf", "application/pdf", PdfExport.OrganizationInvoice(export));
    }

    static string Role(ConsolidatedAccount a) => a.IsMaster ? "master" : a.FinancialCustody ? "finance custody" : "member";

    /// <summary>The organization's statement of the month as CSV (the exports' writer: formula-safe text, plain numbers): one line per account, then the total.</summary>
    public static byte[] Csv(ConsolidatedBill bill) => Exports.CsvExport.Write(bill.Accounts
        .Select(a => new OrganizationRow(bill.Cycle.ToString(), "line", a.AccountId, a.Name, Role(a), "USD", a.Consume, a.PaidByMaster))
        .Append(new OrganizationRow(bill.Cycle.ToString(), "total", null, null, null, "USD", bill.Total, bill.Accounts.Sum(a => a.PaidByMaster))));

    sealed record OrganizationRow(string BillCycle, string RowType, string? AccountId, string? AccountName, string? Role, string Currency, decimal ConsumeAmount, decimal PaidByMaster);
}
