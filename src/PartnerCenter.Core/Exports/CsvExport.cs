using System.Globalization;
using CsvHelper;

namespace PartnerCenter.Core.Exports;

/// <summary>
/// The CSV exports (CsvHelper, RFC 4180, invariant culture, UTF-8): one rectangular table per file so that a spreadsheet
/// or a script reads it as it is. Each row repeats the document's identity; <c>row_type</c> tells the lines from the
/// totals, and amounts are written exactly as the API answers them.
/// </summary>
public static class CsvExport
{
    /// <summary>One row of a partner bill export: a line (row_type "line", item = its kind) or a total (row_type "total", item = the figure).</summary>
    public sealed record PartnerBillRow(string InvoiceNumber, string BillCycle, string PartnerId, string PartnerName, string CreateDate, string DueDate,
        string Currency, string RowType, string? CustomerId, string? CustomerName, string Item, decimal Amount, int? Movements);

    /// <summary>One row of a customer statement export: a monthly-sum line, or a total with only item and amount.</summary>
    public sealed record StatementRow(string BillCycle, string CustomerId, string CustomerName, string Currency, string RowType, string Item,
        string? ServiceTypeCode, string? ServiceTypeName, string? ResourceTypeCode, string? ResourceTypeName, int? ChargingMode, int? BillType,
        decimal? OfficialAmount, decimal? DiscountAmount, decimal? TruncatedAmount, decimal Amount, decimal? SettlementAmount);

    /// <summary>The totals of a bill, in the order of the PDF's header.</summary>
    public static IEnumerable<(string Item, decimal Amount)> Totals(PartnerBillExport b) =>
    [
        ("consume_amount", b.ConsumeAmount), ("refunds", b.Refunds), ("adjustments", b.Adjustments), ("initial_amount_due", b.InitialAmountDue),
        ("tax_rate", b.TaxRate), ("tax_amount", b.TaxAmount), ("deducted", b.Deducted), ("paid", b.Paid), ("amount_due", b.AmountDue),
    ];

    public static IEnumerable<(string Item, decimal Amount)> Totals(CustomerStatementExport s) =>
        [("consume_amount", s.ConsumeAmount), ("cash_amount", s.CashAmount), ("credit_amount", s.CreditAmount), ("debt_amount", s.DebtAmount)];

    public static byte[] PartnerBill(PartnerBillExport b)
    {
        var (created, due) = (b.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.DueAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var rows = b.Lines.Select(l => new PartnerBillRow(b.InvoiceNumber, b.Cycle, b.PartnerId, b.PartnerName, created, due, PartnerBillExport.Currency,
                "line", l.CustomerId, l.CustomerName, l.Kind, l.Amount, l.Movements))
            .Concat(Totals(b).Select(t => new PartnerBillRow(b.InvoiceNumber, b.Cycle, b.PartnerId, b.PartnerName, created, due, PartnerBillExport.Currency,
                "total", null, null, t.Item, t.Amount, null)));
        return Write(rows);
    }

    public static byte[] Statement(CustomerStatementExport s)
    {
        var rows = s.Lines.Select(l => new StatementRow(s.Cycle, s.CustomerId, s.CustomerName, CustomerStatementExport.Currency, "line",
                l.BillType == 2 ? "refund" : "consumption", l.ServiceTypeCode, l.ServiceTypeName, l.ResourceTypeCode, l.ResourceTypeName, l.ChargingMode,
                l.BillType, l.Official, l.Discount, l.Truncated, l.Amount, s.ShowSettlement ? l.Settlement : null))
            .Concat(Totals(s).Select(t => new StatementRow(s.Cycle, s.CustomerId, s.CustomerName, CustomerStatementExport.Currency, "total", t.Item,
                null, null, null, null, null, null, null, null, null, t.Amount, null)));
        return Write(rows);
    }

    /// <summary>
    /// Writes the records with their property names in snake_case as the header. Text is escaped against spreadsheet
    /// formulas (a customer name starting with "=" stays text); numbers are written as numbers, so "-5.00" stays -5.00.
    /// </summary>
    internal static byte[] Write<T>(IEnumerable<T> rows)
    {
        var properties = typeof(T).GetProperties();
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
        {
            csv.WriteHeader(properties.Select(p => SnakeCase(p.Name)).ToArray());
            foreach (var row in rows)
            {
                foreach (var p in properties)
                {
                    switch (p.GetValue(row))
                    {
                        case decimal d: csv.WriteField(d, ""); break;
                        case int i: csv.WriteField(i, ""); break;
                        case string text: csv.WriteField(text); break;
                        default: csv.WriteField(""); break;
                    }
                }
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }

    public static string SnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
