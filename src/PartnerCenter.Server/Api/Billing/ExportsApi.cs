using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json.Serialization;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Exports;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Billing;

/// <summary>ListInvoices (Bssintl ListInvoicesResponse). Its invoice fields are camelCase on the wire, as the SDK model names them.</summary>
public sealed record ListInvoicesResponse(int Count, List<InvoiceInfo> Invoices);

/// <summary>
/// Bssintl InvoiceRequestInfoIntl, from a finalized partner bill. Not answered: cancelReason (never rejected), invoiceType
/// (China VAT kinds), addressInfo and invoiceMode (no paper invoices), srcRequestId (no reversals), salesId.
/// </summary>
public sealed record InvoiceInfo(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("titleType")] int TitleType,
    [property: JsonPropertyName("channelType")] int ChannelType,
    [property: JsonPropertyName("invoiceTitle")] string InvoiceTitle,
    [property: JsonPropertyName("invoiceAmount")] decimal InvoiceAmount,
    [property: JsonPropertyName("invoiceMethod")] int InvoiceMethod,
    [property: JsonPropertyName("invoiceClass")] int InvoiceClass,
    [property: JsonPropertyName("invoiceState")] int InvoiceState,
    [property: JsonPropertyName("applyOpera")] string ApplyOpera,
    [property: JsonPropertyName("applyTime")] string ApplyTime,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("requestMode")] string RequestMode,
    [property: JsonPropertyName("invoiceNo")] string InvoiceNo,
    [property: JsonPropertyName("tradeType")] int TradeType,
    [property: JsonPropertyName("billCycle")] string BillCycle,
    [property: JsonPropertyName("taxList")] List<InvoiceTaxInfo> TaxList);

/// <summary>Bssintl TaxInfo: the bill's output tax, shown apart from the amount due. subTaxClass and the two flags are not answered.</summary>
public sealed record InvoiceTaxInfo(
    [property: JsonPropertyName("taxClass")] string TaxClass,
    [property: JsonPropertyName("taxRate")] string TaxRate,
    [property: JsonPropertyName("taxAmount")] decimal TaxAmount);

/// <summary>Invoices and exports: a partner bill or a customer's statement as a PDF or CSV download, and ListInvoices.</summary>
public static class ExportsApi
{
    public static void MapExportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/partner-bills/{bill_id}/export", async (HttpContext http, BillExports exports, string bill_id, string? format) =>
                File(await exports.PartnerBillAsync(http.Caller(), bill_id, format, http.RequestAborted)))
            .Action(BillingActions.View).WithTags("Bills").WithName("ExportPartnerBill")
            .WithSummary("A finalized bill (the partner's own; the operator any) as a PDF invoice or a CSV file: format=pdf or csv.");

        app.MapGet("/v1/customer-statements/{bill_cycle}/export", async (HttpContext http, BillExports exports, string bill_cycle, string? format, string? customer_id) =>
                File(await exports.CustomerStatementAsync(http.Caller(), bill_cycle, customer_id, format, http.RequestAborted)))
            .Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ExportCustomerStatement")
            .WithSummary("A customer's monthly statement (ShowCustomerMonthlySum's totals and lines) as PDF or CSV: the caller's own, or with customer_id " +
                         "its partner's copy (with the settlement price) of an associated customer.");

        app.MapGet("/v1.0/{domain_id}/payments/intl-invoices", async (HttpContext http, Invoices invoices, string domain_id, string? start_time, string? end_time,
            int? offset, int? limit) =>
        {
            var (list, total) = await invoices.ListAsync(http.Caller(), domain_id, start_time, end_time, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListInvoicesResponse(total, list.Select(Info).ToList()));
        }).Action(BillingActions.View).WithTags("Bills").WithName("ListInvoices")
            .WithSummary("The partner's invoices: one per finalized monthly bill, issued with it (applyTime between start_time and end_time, UTC); " +
                         "invoiceNo is the number to quote in a bank transfer. offset is the page number from 1, limit 1-100.");
    }

    static FileContentHttpResult File(ExportFile f) => TypedResults.File(f.Content, f.ContentType, f.FileName);

    // titleType 1 enterprise, channelType 0 the platform, invoiceMethod 0 by bill cycle, invoiceClass 1 commercial,
    // invoiceState 8 completed, requestMode "0" an invoice request, tradeType 6 the partner's monthly bill.
    static InvoiceInfo Info(Invoice i) => new(i.InvoiceNo, 1, 0, i.Title, i.Amount, 0, 1, 8, "bill-run",
        i.IssuedAt.ToString(Invoices.TimeFormat, CultureInfo.InvariantCulture), i.Email, "0", i.InvoiceNo, 6, i.BillCycle,
        [new InvoiceTaxInfo("output_tax", i.TaxRate.ToString("0.####", CultureInfo.InvariantCulture), i.TaxAmount)]);
}
