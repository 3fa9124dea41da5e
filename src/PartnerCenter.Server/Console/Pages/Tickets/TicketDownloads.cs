using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Server.Console.Pages.Tickets;

/// <summary>The console's attachment download: the signed-in user's own tickets and those it serves, as the API decides.</summary>
public static class TicketDownloads
{
    public static void Map(WebApplication app) =>
        app.MapGet("/console/tickets/{ticket_id}/attachments/{attachment_id}", async (HttpContext http, TicketService tickets, string ticket_id, string attachment_id) =>
        {
            try
            {
                var (a, content) = await tickets.OpenAttachmentAsync(ConsoleAuth.Caller(http), ticket_id, attachment_id, http.RequestAborted);
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(content, a.ContentType, a.FileName);
            }
            catch (Core.Common.ServiceException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription();
}
