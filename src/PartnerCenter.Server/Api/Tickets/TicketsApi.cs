using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Tickets;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Tickets;

public sealed record BankTransferRequest(decimal? Amount, string? TransferredOn, string? PayerName, string? BankReference, string? InvoiceNumber, string? ReceiptOwner);
public sealed record CreateTicketRequest(string? Type, int? Severity, string? Title, string? Description, string? Handler, string? ContactEmail,
    string? ContactMobile, BankTransferRequest? BankTransfer);
public sealed record TicketMessageRequest(string? Message);
public sealed record TicketRatingRequest(int? Score, string? Comment);

public sealed record BankTransferInfo(decimal Amount, string TransferredOn, string PayerName, string BankReference, string? InvoiceNumber, string ReceiptOwner);

/// <param name="Handler">"platform" or "partner"; <paramref name="HandlerAccountId"/> names the partner.</param>
/// <param name="Overdue">Past <paramref name="DueBy"/> and still waiting for the handler.</param>
public sealed record TicketInfo(string TicketId, string Type, string TypeName, int Severity, string Title, string Description, int Status, string StatusName,
    string AccountId, string AccountName, string SubmittedBy, string Handler, string? HandlerAccountId, string CreateTime, string UpdateTime, string DueBy,
    bool Overdue, string? AcceptTime, string? ResolveTime, string? CloseTime, int UrgeCount, int? Satisfaction, string? SatisfactionComment,
    string? ContactEmail, string? ContactMobile, BankTransferInfo? BankTransfer);

public sealed record TicketMessageInfo(long MessageId, string Author, bool FromHandler, string Message, string CreateTime);
public sealed record TicketAttachmentInfo(string AttachmentId, string FileName, string ContentType, long Size, string UploadedBy, bool FromHandler, string CreateTime);

/// <param name="Side">How the caller stands to the ticket: submitter or handler.</param>
public sealed record TicketDetailResponse(TicketInfo Ticket, string Side, List<TicketMessageInfo> Messages, List<TicketAttachmentInfo> Attachments);
public sealed record ListTicketsResponse(int TotalCount, List<TicketInfo> Tickets);

/// <summary>Service tickets (our /v1: Huawei's ticket service is not part of the BSS API).</summary>
public static class TicketsApi
{
    public static void MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/tickets").WithTags("Tickets");

        api.MapPost("", async (HttpContext http, TicketService tickets, CreateTicketRequest body) =>
        {
            var transfer = body.BankTransfer is { } b ? new BankTransferDetails(b.Amount, b.TransferredOn, b.PayerName, b.BankReference, b.InvoiceNumber, b.ReceiptOwner) : null;
            var ticket = await tickets.CreateAsync(http.Caller(), new NewTicket(body.Type, body.Severity, body.Title, body.Description, body.Handler,
                body.ContactEmail, body.ContactMobile, transfer), http.RequestAborted);
            return TypedResults.Created($"/v1/tickets/{ticket.Id}", Info(ticket, tickets.Now));
        }).Action(TicketActions.Create).WithName("CreateTicket")
            .WithSummary("Opens a ticket to the platform, or (handler partner) to the customer's own partner. type: billing, bank_transfer (a partner's " +
                         "bank-transfer repayment, with bank_transfer details), technical, account, other; severity 1 critical to 4 suggestion (default 3). " +
                         "The handler is due to answer within three working days (Monday to Friday, Beijing time).");

        api.MapGet("", async (HttpContext http, TicketService tickets, string? side, int? status, string? type, int? severity, string? created_from,
            string? created_to, string? keyword, bool? overdue, int? offset, int? limit) =>
        {
            var page = await tickets.ListAsync(http.Caller(), new TicketFilter(side, status, type, severity, Utc(created_from, "created_from"),
                Utc(created_to, "created_to"), keyword, overdue, offset, limit), http.RequestAborted);
            var now = tickets.Now;
            return TypedResults.Ok(new ListTicketsResponse(page.Total, page.Tickets.Select(t => Info(t, now)).ToList()));
        }).Action(TicketActions.List).WithName("ListTickets")
            .WithSummary("side submitted (the caller's account opened them; the default) or assigned (the caller serves them: the operator the platform's, " +
                         "a partner its customers'); filters status (0 pending acceptance, 1 processing, 2 pending confirmation, 3 completed, 4 cancelled), " +
                         "type, severity, created_from/created_to (yyyy-MM-ddTHH:mm:ssZ), keyword (title or ticket id), overdue; newest first, offset/limit (1-100, default 20).");

        api.MapGet("/{ticket_id}", async (HttpContext http, TicketService tickets, string ticket_id) =>
            Detail(await tickets.GetAsync(http.Caller(), ticket_id, http.RequestAborted), tickets.Now))
            .Action(TicketActions.Get).WithName("ShowTicket");

        api.MapPost("/{ticket_id}/messages", async (HttpContext http, TicketService tickets, string ticket_id, TicketMessageRequest body) =>
            Detail(await tickets.AddMessageAsync(http.Caller(), ticket_id, body.Message, http.RequestAborted), tickets.Now))
            .Action(TicketActions.Update).WithName("AddTicketMessage")
            .WithSummary("The handler's first message takes the ticket (processing); the submitter's message on a proposed solution puts it back in processing.");

        Transition(api, "accept", "AcceptTicket", "The handler takes the ticket: pending acceptance → processing.", (t, c, id, ct) => t.AcceptAsync(c, id, ct));
        Transition(api, "resolve", "ResolveTicket", "The handler proposes a solution: → pending confirmation.", (t, c, id, ct) => t.ResolveAsync(c, id, ct));
        Transition(api, "close", "CloseTicket", "The submitter confirms it is solved: → completed.", (t, c, id, ct) => t.CloseAsync(c, id, ct));
        Transition(api, "cancel", "CancelTicket", "The submitter withdraws a ticket nobody has taken: → cancelled.", (t, c, id, ct) => t.CancelAsync(c, id, ct));
        Transition(api, "urge", "UrgeTicket", "The submitter urges the handler (at most once an hour) while the ticket waits for it.", (t, c, id, ct) => t.UrgeAsync(c, id, ct));

        api.MapPost("/{ticket_id}/rating", async (HttpContext http, TicketService tickets, string ticket_id, TicketRatingRequest body) =>
            Detail(await tickets.RateAsync(http.Caller(), ticket_id, body.Score, body.Comment, http.RequestAborted), tickets.Now))
            .Action(TicketActions.Update).WithName("RateTicket").WithSummary("Satisfaction with a completed ticket, once: score 1 to 5 and an optional comment.");

        api.MapPost("/{ticket_id}/attachments", async (HttpContext http, TicketService tickets, string ticket_id, string? file_name) =>
        {
            var a = await tickets.AddAttachmentAsync(http.Caller(), ticket_id, file_name, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
            return TypedResults.Created($"/v1/tickets/{ticket_id}/attachments/{a.Id}", AttachmentInfo(a));
        }).Action(TicketActions.Update).WithName("AddTicketAttachment")
            .WithSummary($"The file's bytes as the request body (any Content-Type; application/octet-stream will do), its name in file_name: {TicketAttachments.AllowedKinds}; at most " +
                         $"{TicketAttachments.MaxBytes / (1024 * 1024)} MB, {TicketAttachments.MaxPerTicket} a ticket. The content must match the extension.");

        api.MapGet("/{ticket_id}/attachments/{attachment_id}", async (HttpContext http, TicketService tickets, string ticket_id, string attachment_id) =>
        {
            var (a, content) = await tickets.OpenAttachmentAsync(http.Caller(), ticket_id, attachment_id, http.RequestAborted);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(content, a.ContentType, a.FileName);
        }).Action(TicketActions.Get).WithName("DownloadTicketAttachment");
    }

    static void Transition(RouteGroupBuilder api, string verb, string name, string summary, Func<TicketService, Core.Common.Caller, string, CancellationToken, Task<TicketView>> change) =>
        api.MapPost($"/{{ticket_id}}/{verb}", async (HttpContext http, TicketService tickets, string ticket_id) =>
                Detail(await change(tickets, http.Caller(), ticket_id, http.RequestAborted), tickets.Now))
            .Action(TicketActions.Update).WithName(name).WithSummary(summary);

    static Ok<TicketDetailResponse> Detail(TicketView v, DateTime now) => TypedResults.Ok(new TicketDetailResponse(Info(v.Ticket, now),
        v.Side == TicketSide.Handler ? "handler" : "submitter",
        v.Messages.Select(m => new TicketMessageInfo(m.Id, m.AuthorName, m.FromHandler, m.Body, UtcText(m.CreatedAt))).ToList(),
        v.Attachments.Select(AttachmentInfo).ToList()));

    static TicketAttachmentInfo AttachmentInfo(TicketAttachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedBy, a.FromHandler, UtcText(a.CreatedAt));

    public static TicketInfo Info(Ticket t, DateTime now) => new(t.Id, t.Type, TicketTypes.Names[t.Type], t.Severity, t.Title, t.Description, (int)t.Status,
        TicketStatusNames.Of(t.Status), t.AccountId, t.AccountName, t.SubmittedByName, t.HandlerAccountId is null ? "platform" : "partner", t.HandlerAccountId,
        UtcText(t.CreatedAt), UtcText(t.UpdatedAt), UtcText(t.DueBy), TicketService.IsOverdue(t, now), Text(t.AcceptedAt), Text(t.ResolvedAt), Text(t.ClosedAt),
        t.UrgeCount, t.Satisfaction, t.SatisfactionComment, t.ContactEmail, t.ContactMobile,
        t.TransferAmount is { } amount ? new BankTransferInfo(amount, t.TransferredOn!.Value.ToString("yyyy-MM-dd"), t.PayerName!, t.BankReference!, t.InvoiceNumber, t.ReceiptOwner!) : null);


    static string? Text(DateTime? t) => t is { } v ? UtcText(v) : null;
}
