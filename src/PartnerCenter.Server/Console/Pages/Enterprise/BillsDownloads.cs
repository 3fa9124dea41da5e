using PartnerCenter.Core.Common;
using PartnerCenter.Core.Enterprise;

namespace PartnerCenter.Server.Console.Pages.Enterprise;

/// <summary>
/// The organization's monthly statement as CSV and its invoice as PDF for the signed-in master (the console's own paths,
/// as the bill downloads). An account that is not a master gets 404.
/// </summary>
public static class BillsDownloads
{
    public const string Path = "/console/enterprise/bills/{bill_cycle}/export";
    public const string InvoicePath = "/console/enterprise/bills/{bill_cycle}/invoice";

    public static string Link(string cycle) => $"console/enterprise/bills/{Uri.EscapeDataString(cycle)}/export";

    public static string InvoiceLink(string cycle) => $"console/enterprise/bills/{Uri.EscapeDataString(cycle)}/invoice";

    public static void Map(WebApplication app)
    {
        app.MapGet(Path, (HttpContext http, EnterpriseBillService bills, string bill_cycle) => FileAsync(async () =>
        {
            var bill = await bills.ConsolidatedAsync(ConsoleAuth.Caller(http), bill_cycle, http.RequestAborted);
            return Results.File(EnterpriseBillService.Csv(bill), "text/csv", $"organization-statement-{bill.Cycle}.csv");
        })).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
        app.MapGet(InvoicePath, (HttpContext http, EnterpriseBillService bills, string bill_cycle) => FileAsync(async () =>
        {
            var file = await bills.InvoiceAsync(ConsoleAuth.Caller(http), bill_cycle, http.RequestAborted);
            return Results.File(file.Content, file.ContentType, file.FileName);
        })).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
    }

    /// <summary>A bad month is a 400 saying why; anything else refused (not a master, a member's bills not shared) is not found.</summary>
    static async Task<IResult> FileAsync(Func<Task<IResult>> file)
    {
        try
        {
            return await file();
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
