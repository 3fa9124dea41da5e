using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Exports;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

/// <summary>One line of a partner's invoice to its resale customer: the month's charges of one service, resource type and kind.</summary>
public sealed record CustomerInvoiceLine(string ServiceTypeName, string ResourceTypeName, string Kind, decimal Amount);

/// <summary>
/// The invoice a partner issues its resale customer for a closed month, at the customer's price (what the customer was
/// charged; the settlement price is the partner's business and is not on it).
/// </summary>
public sealed record CustomerInvoice(string InvoiceNumber, string Cycle, DateTime IssuedAt, string PartnerId, string PartnerName, string CustomerId, string CustomerName,
    IReadOnlyList<CustomerInvoiceLine> Lines)
{
    public const string Currency = "USD";
    public decimal Total => Lines.Sum(l => l.Amount);
}

/// <summary>
/// The revenue documents: the partner's monthly revenue statement and its invoices to its resale customers, as PDF
/// (PDFsharp) or CSV (CsvHelper) with the writers of <see cref="PdfExport"/> and <see cref="CsvExport"/>. They carry
/// the figures of <see cref="RevenueService"/> and of the customers' bills to the cent.
/// </summary>
public sealed class RevenueDocuments(AppDbContext db, RevenueService revenue, PartnerScope scope, AccessControl access, CycleChargeReader charges)
{
    public async Task<ExportFile> StatementAsync(Caller caller, string? month, string? format, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        var kind = BillExports.ParseFormat(format);
        var s = await revenue.StatementAsync(caller, month, ct, indirectPartnerId);
        var name = $"revenue-statement-{s.Cycle}-{s.PartnerId}";
        return kind == ExportFormat.Pdf
            ? new ExportFile(name + ".pdf", "application/pdf", StatementPdf(s))
            : new ExportFile(name + ".csv", "text/csv", StatementCsv(s));
    }

    /// <summary>
    /// The invoice of a closed month: a partner's to one of its resale customers (<paramref name="customerId"/>), or a
    /// resale customer's own from its partner (without it). A referral customer pays the platform and gets no partner invoice.
    /// </summary>
    public async Task<ExportFile> CustomerInvoiceAsync(Caller caller, string? month, string? customerId, string? format, CancellationToken ct = default)
    {
        var kind = BillExports.ParseFormat(format);
        var cycle = revenue.ParseMonth(month);
        if (cycle >= revenue.Current) throw Check.Invalid($"month {cycle} is not over yet; a customer is invoiced for a closed month.");
        CustomerAssociation association;
        if (string.IsNullOrEmpty(customerId) || customerId == caller.AccountId)
        {
            await access.RequireAsync(caller, RevenueActions.View, ct);
            association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == caller.AccountId, ct)
                          ?? throw new ServiceException(Errors.WrongAssociationType());
        }
        else
        {
            var partner = await scope.ActingPartnerAsync(caller, RevenueActions.View, null, PartnerNeed.Customers, ct);
            association = await scope.CustomerOfAsync(partner, customerId, ct);
        }
        if (association.AssociationType != AssociationTypes.Resale) throw new ServiceException(Errors.WrongAssociationType());

        var invoice = await InvoiceOfAsync(association, cycle, ct);
        var name = $"invoice-{invoice.InvoiceNumber}";
        return kind == ExportFormat.Pdf
            ? new ExportFile(name + ".pdf", "application/pdf", InvoicePdf(invoice))
            : new ExportFile(name + ".csv", "text/csv", InvoiceCsv(invoice));
    }

    async Task<CustomerInvoice> InvoiceOfAsync(CustomerAssociation association, BillCycle cycle, CancellationToken ct)
    {
        var month = await charges.ReadAsync(association.CustomerAccountId, cycle, resale: true, ct);
        var labels = await BillLabels.LoadAsync(db, [association.CustomerAccountId, association.PartnerAccountId], [], [], ct);
        var partnerId = await db.Partners.AsNoTracking().Where(p => p.AccountId == association.PartnerAccountId).Select(p => p.PartnerId).SingleAsync(ct);
        var lines = month.Records.GroupBy(r => (r.ServiceTypeCode, r.ResourceTypeCode, Kind: KindOf(r.BillType)))
            .Select(g => new CustomerInvoiceLine(labels.Catalog.ServiceType(g.Key.ServiceTypeCode), labels.Catalog.ResourceType(g.Key.ResourceTypeCode), g.Key.Kind,
                g.Sum(r => r.Amount)))
            .Where(l => l.Amount != 0)
            .OrderBy(l => l.ServiceTypeName, StringComparer.Ordinal).ThenBy(l => l.ResourceTypeName, StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal)
            .ToList();
        // One invoice per partner, customer and month: its number is made of them, so a download twice is the same invoice.
        var number = $"{partnerId}-{cycle.Year:D4}{cycle.Month:D2}-{association.CustomerAccountId}";
        return new CustomerInvoice(number, cycle.ToString(), cycle.EndUtc, partnerId, labels.Account(association.PartnerAccountId),
            association.CustomerAccountId, labels.Account(association.CustomerAccountId), lines);
    }

    /// <summary>The statement's names of Huawei's bill types.</summary>
    public static string KindOf(int billType) => billType switch
    {
        BillTypes.NewPurchase => "new_purchase",
        BillTypes.Renewal => "renewal",
        BillTypes.Change => "change",
        BillTypes.UnsubscribeRefund => "unsubscribe_refund",
        BillTypes.Usage => "pay_per_use",
        BillTypes.AutoRenewal => "auto_renewal",
        BillTypes.ToOnDemandRefund => "to_pay_per_use_refund",
        _ => "other",
    };

    static string Type(bool resale) => resale ? "resale" : "referral";

    static string Percent(decimal? rate) => rate is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "not set";

    public static byte[] StatementPdf(RevenueStatement s)
    {
        var a = PdfExport.Amount;
        var pdf = new PdfExport.Writer($"Revenue statement {s.Cycle}");
        pdf.Title($"Revenue statement {s.Cycle}");
        var t = s.Totals;
        pdf.Pairs(
        [
            ("Partner", $"{s.PartnerName} ({s.PartnerId})"), ("Month", s.Cycle + (s.Closed ? "" : " (so far: the month is not over)")),
            ("Currency", CustomerInvoice.Currency),
            ("Resale customers at their price", a(t.ResalePrice)), ("Settlement price", a(t.Settlement)), ("Resale revenue", a(t.Revenue)),
            ("Referral customers' consumption", a(t.ReferralConsumption)), ("Referral incentive rate", Percent(s.DefaultIncentiveRate)),
            ("Referral incentive", a(t.Incentive)), ("Earnings", a(t.Earnings)),
        ]);
        pdf.Table(["Customer", "Customer ID", "Type", "Price", "Settlement", "Revenue", "Incentive"], [0, 95, 245, 290, 345, 400, 455],
            [false, false, false, true, true, true, true],
            s.Customers.Select(c => new[] { c.CustomerName, c.CustomerId, Type(c.Resale), a(c.Price), a(c.Settlement), a(c.Revenue), a(c.Incentive) }));
        pdf.Gap();
        pdf.Table(["Customer ID", "Trade", "Kind", "Price", "Settlement", "Revenue", "Incentive"], [0, 150, 270, 330, 375, 420, 465],
            [false, false, false, true, true, true, true],
            s.Lines.Select(l => new[] { l.CustomerId, l.TradeId, KindOf(l.BillType), a(l.Price), a(l.Settlement), a(l.Revenue), a(l.Incentive) }));
        return pdf.Save();
    }

    /// <summary>One row of the statement CSV: a trade (row_type "line") or a total (row_type "total": only item and amount).</summary>
    public sealed record StatementRow(string BillCycle, string PartnerId, string PartnerName, string Currency, string RowType, string? CustomerId, string? CustomerName,
        string? AssociationType, string? TradeId, string? TradeTime, string Item, decimal? Price, decimal? Settlement, decimal? Revenue, decimal? Incentive, decimal? Amount);

    public static IEnumerable<(string Item, decimal Amount)> Totals(RevenueTotals t) =>
    [
        ("resale_price", t.ResalePrice), ("settlement", t.Settlement), ("revenue", t.Revenue), ("referral_consumption", t.ReferralConsumption),
        ("incentive", t.Incentive), ("earnings", t.Earnings),
    ];

    public static byte[] StatementCsv(RevenueStatement s)
    {
        var names = s.Customers.ToDictionary(c => c.CustomerId, c => c.CustomerName);
        var (cycle, currency) = (s.Cycle.ToString(), CustomerInvoice.Currency);
        var rows = s.Lines.Select(l => new StatementRow(cycle, s.PartnerId, s.PartnerName, currency, "line", l.CustomerId, names.GetValueOrDefault(l.CustomerId),
                Type(l.Resale), l.TradeId, l.TradeTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), KindOf(l.BillType), l.Price, l.Settlement,
                l.Revenue, l.Incentive, null))
            .Concat(Totals(s.Totals).Select(t => new StatementRow(cycle, s.PartnerId, s.PartnerName, currency, "total", null, null, null, null, null, t.Item,
                null, null, null, null, t.Amount)));
        return CsvExport.Write(rows);
    }

    public static byte[] InvoicePdf(CustomerInvoice i)
    {
        var pdf = new PdfExport.Writer($"Invoice {i.InvoiceNumber}");
        pdf.Title($"Invoice {i.Cycle}");
        pdf.Pairs(
        [
            ("Invoice number", i.InvoiceNumber), ("Issued by", $"{i.PartnerName} ({i.PartnerId})"), ("Bill to", $"{i.CustomerName} ({i.CustomerId})"),
            ("Month", i.Cycle), ("Invoice date", PdfExport.Day(i.IssuedAt.Add(BillCycle.BeijingOffset))), ("Currency", CustomerInvoice.Currency),
            ("Total", PdfExport.Amount(i.Total)),
        ]);
        pdf.Table(["Service", "Resource type", "Kind", "Amount"], [0, 150, 300, 420], [false, false, false, true],
            i.Lines.Select(l => new[] { l.ServiceTypeName, l.ResourceTypeName, l.Kind, PdfExport.Amount(l.Amount) }));
        return pdf.Save();
    }

    /// <summary>One row of the invoice CSV: a line, or the total (row_type "total").</summary>
    public sealed record InvoiceRow(string InvoiceNumber, string BillCycle, string PartnerId, string PartnerName, string CustomerId, string CustomerName, string Currency,
        string RowType, string? ServiceTypeName, string? ResourceTypeName, string Item, decimal Amount);

    public static byte[] InvoiceCsv(CustomerInvoice i) => CsvExport.Write(i.Lines
        .Select(l => new InvoiceRow(i.InvoiceNumber, i.Cycle, i.PartnerId, i.PartnerName, i.CustomerId, i.CustomerName, CustomerInvoice.Currency, "line",
            l.ServiceTypeName, l.ResourceTypeName, l.Kind, l.Amount))
        .Append(new InvoiceRow(i.InvoiceNumber, i.Cycle, i.PartnerId, i.PartnerName, i.CustomerId, i.CustomerName, CustomerInvoice.Currency, "total", null, null,
            "total", i.Total)));
}
