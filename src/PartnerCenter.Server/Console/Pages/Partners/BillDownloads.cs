using PartnerCenter.Core.Common;
using PartnerCenter.Core.Exports;
using PartnerCenter.Core.Revenue;

namespace PartnerCenter.Server.Console.Pages.Partners;

/// <summary>
/// The console's bill and statement downloads. The API's export endpoints take API credentials, not the console's cookie
/// (its path is /console), so the console serves the same Core exports under its own paths for the signed-in user.
/// </summary>
public static class BillDownloads
{
    public const string BillPath = "/console/sales/bills/{bill_id}/export";
    public const string StatementPath = "/console/statements/{bill_cycle}/export";
    public const string RevenuePath = "/console/sales/revenue/{month}/export";
    public const string InvoicePath = "/console/invoices/{month}/export";

    public static string RevenueLink(string month, string format, string? indirectPartnerId = null) =>
        $"console/sales/revenue/{Uri.EscapeDataString(month)}/export?format={format}" + (indirectPartnerId is null ? "" : $"&reseller={Uri.EscapeDataString(indirectPartnerId)}");

    public static string InvoiceLink(string month, string format, string? customerId = null) =>
        $"console/invoices/{Uri.EscapeDataString(month)}/export?format={format}" + (customerId is null ? "" : $"&customer_id={Uri.EscapeDataString(customerId)}");

    public static string BillLink(string billId, string format) => $"console/sales/bills/{Uri.EscapeDataString(billId)}/export?format={format}";

    public static string StatementLink(string cycle, string format, string? customerId = null) =>
        $"console/statements/{Uri.EscapeDataString(cycle)}/export?format={format}" + (customerId is null ? "" : $"&customer_id={Uri.EscapeDataString(customerId)}");

    public static void Map(WebApplication app)
    {
        app.MapGet(BillPath, (HttpContext http, BillExports exports, string bill_id, string? format) =>
            Download(() => exports.PartnerBillAsync(ConsoleAuth.Caller(http), bill_id, format, http.RequestAborted)))
            .RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapGet(StatementPath, (HttpContext http, BillExports exports, string bill_cycle, string? format, string? customer_id) =>
            Download(() => exports.CustomerStatementAsync(ConsoleAuth.Caller(http), bill_cycle, customer_id, format, http.RequestAborted)))
            .RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapGet(RevenuePath, (HttpContext http, RevenueDocuments documents, string month, string? format, string? reseller) =>
            Download(() => documents.StatementAsync(ConsoleAuth.Caller(http), month, format, http.RequestAborted, reseller)))
            .RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapGet(InvoicePath, (HttpContext http, RevenueDocuments documents, string month, string? format, string? customer_id) =>
            Download(() => documents.CustomerInvoiceAsync(ConsoleAuth.Caller(http), month, customer_id, format, http.RequestAborted)))
            .RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
    }

    /// <summary>The file, or the refusal in plain words with its status (a bill or customer that is not the user's is simply not found).</summary>
    static async Task<IResult> Download(Func<Task<ExportFile>> export)
    {
        try
        {
            var file = await export();
            return Results.File(file.Content, file.ContentType, file.FileName);
        }
        catch (ServiceException ex) when (ex.Error.Kind == ErrorKind.Validation)
        {
            return Results.Text(ex.Error.Message, "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (ServiceException)
        {
            return Results.NotFound();
        }
    }
}
