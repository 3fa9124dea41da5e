using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Exports;

/// <summary>A downloadable file: its name (for Content-Disposition), media type and bytes.</summary>
public sealed record ExportFile(string FileName, string ContentType, byte[] Content);

/// <summary>The two export formats; anything else is refused naming the field.</summary>
public enum ExportFormat { Pdf, Csv }

/// <summary>A partner's monthly bill as exported: its header figures and its lines with the customers' names.</summary>
/// <param name="InvoiceNumber">The bill id: the number the Bank Transfer tab asks the partner to quote.</param>
public sealed record PartnerBillExport(string InvoiceNumber, string Cycle, string PartnerId, string PartnerName, DateTime CreatedAt, DateTime DueAt,
    decimal ConsumeAmount, decimal Refunds, decimal Adjustments, decimal InitialAmountDue, decimal TaxRate, decimal TaxAmount,
    decimal Deducted, decimal Paid, decimal AmountDue, IReadOnlyList<PartnerBillExportLine> Lines)
{
    public const string Currency = "USD";
}

public sealed record PartnerBillExportLine(string? CustomerId, string CustomerName, string Kind, decimal Amount, int Movements);

/// <summary>A customer's monthly statement as exported: the ShowCustomerMonthlySum totals and every one of its lines.</summary>
/// <param name="ShowSettlement">The partner's (or operator's) copy shows what the partner was charged; the customer's does not.</param>
public sealed record CustomerStatementExport(string Cycle, string CustomerId, string CustomerName, decimal ConsumeAmount, decimal CashAmount,
    decimal CreditAmount, decimal DebtAmount, bool ShowSettlement, IReadOnlyList<CustomerStatementLine> Lines)
{
    public const string Currency = "USD";
}

/// <param name="BillType">1 consumption, 2 refund, as ShowCustomerMonthlySum codes it.</param>
/// <param name="Official">The list price; a resale customer's amount is this list price (no discount).</param>
public sealed record CustomerStatementLine(string ServiceTypeCode, string ServiceTypeName, string ResourceTypeCode, string ResourceTypeName,
    int ChargingMode, int BillType, decimal Official, decimal Discount, decimal Truncated, decimal Amount, decimal Settlement);

/// <summary>An enterprise organization's month as its master's invoice: each account's lines and spend, and the total.</summary>
/// <param name="Reference">The master and the month: one invoice per organization and month.</param>
public sealed record OrganizationInvoiceExport(string Reference, string Cycle, string MasterId, string MasterName, IReadOnlyList<OrganizationInvoiceAccount> Accounts)
{
    public const string Currency = "USD";
    public decimal Total => Accounts.Sum(a => a.Consume);
}

/// <param name="Role">master, finance custody or member.</param>
public sealed record OrganizationInvoiceAccount(string AccountId, string Name, string Role, decimal Consume, decimal PaidByMaster, IReadOnlyList<CustomerStatementLine> Lines);

/// <summary>
/// Invoices and exports: a partner's finalized bill and a customer's monthly statement as PDF or CSV. Both read the
/// same records, through the same access rules, as the API answers them (<see cref="PartnerBills"/> and
/// <see cref="CustomerBillService.MonthlySumAsync"/>), so the files carry the API's figures to the cent.
/// </summary>
public sealed class BillExports(AppDbContext db, PartnerBills bills, CustomerBillService customerBills)
{
    public static ExportFormat ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        "pdf" => ExportFormat.Pdf,
        "csv" => ExportFormat.Csv,
        _ => throw Check.Invalid("format is pdf or csv."),
    };

    /// <summary>One of the partner's own finalized bills; the operator exports any partner's. Another partner's is not found.</summary>
    public async Task<ExportFile> PartnerBillAsync(Caller caller, string? billId, string? format, CancellationToken ct = default)
    {
        var kind = ParseFormat(format);
        var bill = caller.IsOperator ? await AnyFinalizedBillAsync(billId, ct) : await bills.GetAsync(caller, billId, ct);
        var export = await PartnerBillExportAsync(bill, ct);
        var name = $"partner-bill-{bill.Cycle}-{bill.Id}";
        return kind == ExportFormat.Pdf
            ? new ExportFile(name + ".pdf", "application/pdf", PdfExport.PartnerBill(export))
            : new ExportFile(name + ".csv", "text/csv", CsvExport.PartnerBill(export));
    }

    /// <summary>
    /// A customer's statement of a cycle: its own without <paramref name="customerId"/> (or with its own id); a partner's
    /// customer's, or for the operator any customer's, with it — refused as ShowCustomerMonthlySum refuses it.
    /// </summary>
    public async Task<ExportFile> CustomerStatementAsync(Caller caller, string? billCycle, string? customerId, string? format, CancellationToken ct = default)
    {
        var kind = ParseFormat(format);
        var own = string.IsNullOrEmpty(customerId) || customerId == caller.AccountId;
        var (method, sub) = own ? ("oneself", (string?)null) : ("sub_customer", customerId);
        var first = await customerBills.MonthlySumAsync(caller, billCycle, null, method, sub, 0, CustomerBillService.MaxLimit, ct);
        var lines = new List<MonthlySumLine>(first.Lines);
        while (lines.Count < first.TotalCount)
            lines.AddRange((await customerBills.MonthlySumAsync(caller, billCycle, null, method, sub, lines.Count, CustomerBillService.MaxLimit, ct)).Lines);

        var customer = own ? caller.AccountId : customerId!;
        var labels = await customerBills.LabelsAsync([], [customer], ct);
        var export = new CustomerStatementExport(first.Cycle.ToString(), customer, labels.Account(customer), first.Consume, first.Payments.Cash,
            first.Payments.Credit, first.Payments.Debt, ShowSettlement: !own,
            lines.Select(l => new CustomerStatementLine(l.ServiceTypeCode, labels.Catalog.ServiceType(l.ServiceTypeCode), l.ResourceTypeCode,
                labels.Catalog.ResourceType(l.ResourceTypeCode), l.ChargingMode, l.BillType, l.Official, l.Discount, l.Truncated, l.Amount, l.Settlement)).ToList());
        var name = $"statement-{export.Cycle}-{customer}";
        return kind == ExportFormat.Pdf
            ? new ExportFile(name + ".pdf", "application/pdf", PdfExport.Statement(export))
            : new ExportFile(name + ".csv", "text/csv", CsvExport.Statement(export));
    }

    async Task<PartnerBill> AnyFinalizedBillAsync(string? billId, CancellationToken ct)
    {
        var id = Check.MaxLength(Check.Required(billId, "bill_id"), "bill_id", 64);
        return await db.PartnerBills.AsNoTracking().Include(b => b.Lines).SingleOrDefaultAsync(b => b.Id == id && b.Status == BillStatus.Finalized, ct)
               ?? throw new ServiceException(Errors.BillNotFound());
    }

    async Task<PartnerBillExport> PartnerBillExportAsync(PartnerBill bill, CancellationToken ct)
    {
        var ids = bill.Lines.Select(l => l.CustomerAccountId).OfType<string>().Append(bill.PartnerAccountId).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var lines = bill.Lines.OrderBy(l => l.CustomerAccountId, StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal)
            .Select(l => new PartnerBillExportLine(l.CustomerAccountId, l.CustomerAccountId is { } c ? names.GetValueOrDefault(c, c) : "(partner)", l.Kind, l.Amount, l.Movements))
            .ToList();
        return new PartnerBillExport(bill.Id, bill.Cycle, bill.PartnerAccountId, names.GetValueOrDefault(bill.PartnerAccountId, bill.PartnerAccountId),
            bill.CreatedAt, bill.DueAt, bill.ConsumeAmount, bill.Refunds, bill.Adjustments, bill.InitialAmountDue, bill.TaxRate, bill.TaxAmount,
            bill.Deducted, bill.Paid, bill.AmountDue, lines);
    }
}
