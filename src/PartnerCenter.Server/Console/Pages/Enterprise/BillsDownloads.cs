using PartnerCenter.Core.Common;
using PartnerCenter.Core.Enterprise;

namespace PartnerCenter.Server.Console.Pages.Enterprise;

/// <summary>The organization's monthly statement as CSV for the signed-in master (the console's own path, as the bill downloads).</summary>
public static class BillsDownloads
{
    public const string Path = "/console/enterprise/bills/{bill_cycle}/export";

    public static string Link(string cycle) => $"console/enterprise/bills/{Uri.EscapeDataString(cycle)}/export";

    public static void Map(WebApplication app) =>
        app.MapGet(Path, async (HttpContext http, EnterpriseBillService bills, string bill_cycle) =>
        {
            try
            {
                var bill = await bills.ConsolidatedAsync(ConsoleAuth.Caller(http), bill_cycle, http.RequestAborted);
                return Results.File(EnterpriseBillService.Csv(bill), "text/csv", $"organization-statement-{bill.Cycle}.csv");
            }
            catch (ServiceException ex) when (ex.Error.Kind == ErrorKind.Validation)
            {
                return Results.Text(ex.Error.Message, "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }
            catch (ServiceException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
}
