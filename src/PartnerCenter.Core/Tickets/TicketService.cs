using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Tickets;

/// <summary>The IAM actions of service tickets, named as Huawei names them for its ticket service (OSM).</summary>
public static class TicketActions
{
    public const string Create = "osm:case:create";
    public const string List = "osm:case:list";
    public const string Get = "osm:case:get";
    public const string Update = "osm:case:update";
    /// <summary>A partner's users who serve the tickets its customers address to it.</summary>
    public const string Handle = "osm:case:handle";
}

/// <summary>What a ticket is about. <see cref="BankTransfer"/> is how a partner registers a bank-transfer repayment.</summary>
public static class TicketTypes
{
    public const string BankTransfer = "bank_transfer";
    /// <summary>About business information authentication: opening one lifts the block after three rejections in a row.</summary>
    public const string BusinessInformation = "business_information";
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["billing"] = "Billing and payments",
        [BankTransfer] = "Bank transfer repayment",
        ["technical"] = "Technical issue",
        ["account"] = "Account and permissions",
        [BusinessInformation] = "Business information authentication",
        ["other"] = "Other",
    };
}

/// <summary>How the caller stands to a ticket: it opened it (its account did), or it serves it.</summary>
public enum TicketSide { Submitter, Handler }

public sealed record BankTransferDetails(decimal? Amount, string? TransferredOn, string? PayerName, string? BankReference, string? InvoiceNumber, string? ReceiptOwner);

/// <param name="Handler">"platform" (the default) or "partner": a customer's own partner serves it.</param>
public sealed record NewTicket(string? Type, int? Severity, string? Title, string? Description, string? Handler = null,
    string? ContactEmail = null, string? ContactMobile = null, BankTransferDetails? BankTransfer = null);

/// <param name="Side">"submitted" (the caller's account opened them; the default) or "assigned" (the caller serves them).</param>
public sealed record TicketFilter(string? Side = null, int? Status = null, string? Type = null, int? Severity = null,
    DateTime? CreatedFrom = null, DateTime? CreatedTo = null, string? Keyword = null, bool? Overdue = null, int? Offset = null, int? Limit = null);

public sealed record TicketPage(int Total, IReadOnlyList<Ticket> Tickets);

public sealed record TicketView(Ticket Ticket, TicketSide Side, IReadOnlyList<TicketMessage> Messages, IReadOnlyList<TicketAttachment> Attachments);

/// <summary>
/// Service tickets: opened by any account to the platform, or by a customer to its partner; a conversation both ways
/// with attachments; and the status flow pending acceptance → processing → pending confirmation → completed (or
/// cancelled before anyone took it). Every change checks who the caller is to the ticket; a ticket that is not the
/// caller's to see is "not found", so its existence is not revealed.
/// </summary>
public sealed class TicketService(AppDbContext db, AccessControl access, TicketAttachments files, TimeProvider clock)
{
    public const int MaxTitle = 128;
    public const int MaxText = 4000;
    public const int MaxComment = 500;
    public const int ResponseWorkingDays = 3;
    public const decimal MaxTransfer = 100_000_000m;
    static readonly TimeSpan UrgeInterval = TimeSpan.FromHours(1);

    public static bool IsOpen(TicketStatus s) => s is TicketStatus.PendingAcceptance or TicketStatus.Processing or TicketStatus.PendingConfirmation;

    /// <summary>Past its due time and still waiting for the handler (not for the submitter's confirmation).</summary>
    public static bool IsOverdue(Ticket t, DateTime now) => t.Status is TicketStatus.PendingAcceptance or TicketStatus.Processing && now > t.DueBy;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Partners serve their customers' tickets and repay by bank transfer; the console shows them those parts.</summary>
    public Task<bool> IsPartnerAsync(string accountId, CancellationToken ct = default) => db.Partners.AnyAsync(p => p.AccountId == accountId, ct);

    /// <summary>Whether the account has a partner it may address tickets to.</summary>
    public Task<bool> HasPartnerAsync(string accountId, CancellationToken ct = default) => db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == accountId, ct);

    public async Task<Ticket> CreateAsync(Caller caller, NewTicket input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, TicketActions.Create, ct);
        if (caller.IsOperator) throw Check.Invalid("The operator serves tickets; it does not open them.");
        var type = Check.Required(input.Type, "type");
        if (!TicketTypes.Names.ContainsKey(type)) throw Check.Invalid($"type is one of {string.Join(", ", TicketTypes.Names.Keys)}.");
        var severity = input.Severity ?? 3;
        if (severity is < 1 or > 4) throw Check.Invalid("severity is 1 (critical) to 4 (suggestion).");
        var title = Check.MaxLength(Check.Required(input.Title, "title").Trim(), "title", MaxTitle);
        var description = Check.MaxLength(Check.Required(input.Description, "description"), "description", MaxText);
        var email = Check.Email(input.ContactEmail, "contact_email");
        var mobile = Check.Mobile(input.ContactMobile, "contact_mobile");
        var handler = await HandlerOfNewTicketAsync(caller, input.Handler, ct);

        var now = Now;
        var transfer = type == TicketTypes.BankTransfer ? await BankTransferAsync(caller, handler, input.BankTransfer, now, ct) : null;
        if (transfer is null && input.BankTransfer is not null) throw Check.Invalid("bank_transfer belongs to tickets of type bank_transfer only.");

        var ticket = new Ticket
        {
            Id = Ids.New(), AccountId = caller.AccountId, AccountName = caller.AccountName, SubmittedByUserId = caller.UserId,
            SubmittedByName = caller.UserName, HandlerAccountId = handler, Type = type, Severity = severity, Title = title,
            Description = description, Status = TicketStatus.PendingAcceptance, CreatedAt = now, UpdatedAt = now,
            DueBy = WorkingDays.Add(now, ResponseWorkingDays), ContactEmail = email, ContactMobile = mobile,
            TransferAmount = transfer?.Amount, TransferredOn = transfer?.On, PayerName = transfer?.Payer,
            BankReference = transfer?.Reference, InvoiceNumber = transfer?.Invoice, ReceiptOwner = transfer?.Owner,
        };
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    async Task<string?> HandlerOfNewTicketAsync(Caller caller, string? handler, CancellationToken ct)
    {
        switch (handler ?? "platform")
        {
            case "platform":
                return null;
            case "partner":
                return await db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == caller.AccountId)
                           .Select(a => a.PartnerAccountId).FirstOrDefaultAsync(ct)
                       ?? throw new ServiceException(Errors.TicketHandlerUnavailable());
            default:
                throw Check.Invalid("handler is platform or partner.");
        }
    }

    sealed record Transfer(decimal Amount, DateTime On, string Payer, string Reference, string? Invoice, string Owner);

    async Task<Transfer> BankTransferAsync(Caller caller, string? handler, BankTransferDetails? details, DateTime now, CancellationToken ct)
    {
        if (handler is not null || !await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct))
            throw new ServiceException(Errors.BankTransferTicketForPartners());
        var d = details ?? throw Check.Invalid("bank_transfer is required for a ticket of type bank_transfer.");
        var amount = d.Amount ?? throw Check.Invalid("bank_transfer.amount is required.");
        if (amount <= 0 || amount > MaxTransfer || !Money.HasAtMostTwoDecimals(amount))
            throw Check.Invalid($"bank_transfer.amount is more than 0 and at most {MaxTransfer} with at most 2 decimals.");
        if (!DateTime.TryParseExact(d.TransferredOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var on))
            throw Check.Invalid("bank_transfer.transferred_on is a date, yyyy-MM-dd.");
        if (on > now.Date.AddDays(1) || on < now.Date.AddYears(-1))
            throw Check.Invalid("bank_transfer.transferred_on is within the last year and not in the future.");
        var payer = Check.MaxLength(Check.Required(d.PayerName, "bank_transfer.payer_name"), "bank_transfer.payer_name", 128);
        var reference = Check.MaxLength(Check.Required(d.BankReference, "bank_transfer.bank_reference"), "bank_transfer.bank_reference", 64);
        var invoice = string.IsNullOrWhiteSpace(d.InvoiceNumber) ? null : Check.MaxLength(d.InvoiceNumber, "bank_transfer.invoice_number", 64);
        var owner = caller.UserName;
        if (!string.IsNullOrWhiteSpace(d.ReceiptOwner) && d.ReceiptOwner != owner)
        {
            // Another user of the same account may own the receipt; nobody outside it.
            owner = await db.Users.AsNoTracking().Where(u => u.AccountId == caller.AccountId && u.Name == d.ReceiptOwner).Select(u => u.Name).FirstOrDefaultAsync(ct)
                    ?? throw Check.Invalid("bank_transfer.receipt_owner is not a user of this account.");
        }
        return new Transfer(amount, DateTime.SpecifyKind(on, DateTimeKind.Utc), payer, reference, invoice, owner);
    }

    public async Task<TicketPage> ListAsync(Caller caller, TicketFilter filter, CancellationToken ct = default)
    {
        var query = filter.Side switch
        {
            null or "submitted" => await SubmittedAsync(caller, ct),
            "assigned" => await AssignedAsync(caller, ct),
            _ => throw Check.Invalid("side is submitted or assigned."),
        };
        if (filter.Status is { } status)
        {
            if (!Enum.IsDefined((TicketStatus)status)) throw Check.Invalid("status is 0 (pending acceptance) to 4 (cancelled).");
            query = query.Where(t => t.Status == (TicketStatus)status);
        }
        if (filter.Type is { } type)
        {
            if (!TicketTypes.Names.ContainsKey(type)) throw Check.Invalid($"type is one of {string.Join(", ", TicketTypes.Names.Keys)}.");
            query = query.Where(t => t.Type == type);
        }
        if (filter.Severity is { } severity) query = query.Where(t => t.Severity == severity);
        if (filter.CreatedFrom is { } from) query = query.Where(t => t.CreatedAt >= from);
        if (filter.CreatedTo is { } to) query = query.Where(t => t.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(filter.Keyword))
        {
            var keyword = Check.MaxLength(filter.Keyword.Trim(), "keyword", 64);
            query = query.Where(t => t.Title.Contains(keyword) || t.Id == keyword);
        }
        if (filter.Overdue is { } overdue)
        {
            var now = Now;
            query = overdue
                ? query.Where(t => (t.Status == TicketStatus.PendingAcceptance || t.Status == TicketStatus.Processing) && t.DueBy < now)
                : query.Where(t => !((t.Status == TicketStatus.PendingAcceptance || t.Status == TicketStatus.Processing) && t.DueBy < now));
        }
        var offset = filter.Offset ?? 0;
        var limit = filter.Limit ?? 20;
        if (offset < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > 100) throw Check.Invalid("limit is 1 to 100.");
        var total = await query.CountAsync(ct);
        var page = await query.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).Skip(offset).Take(limit).ToListAsync(ct);
        return new TicketPage(total, page);
    }

    async Task<IQueryable<Ticket>> SubmittedAsync(Caller caller, CancellationToken ct)
    {
        await access.RequireAsync(caller, TicketActions.List, ct);
        return db.Tickets.AsNoTracking().Where(t => t.AccountId == caller.AccountId);
    }

    async Task<IQueryable<Ticket>> AssignedAsync(Caller caller, CancellationToken ct)
    {
        if (caller.IsOperator) return db.Tickets.AsNoTracking().Where(t => t.HandlerAccountId == null);
        await access.RequireAsync(caller, TicketActions.Handle, ct);
        return db.Tickets.AsNoTracking().Where(t => t.HandlerAccountId == caller.AccountId);
    }

    public async Task<TicketView> GetAsync(Caller caller, string? ticketId, CancellationToken ct = default)
    {
        var (ticket, side) = await FindAsync(caller, ticketId, TicketActions.Get, track: false, ct);
        var messages = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Id).ToListAsync(ct);
        var attachments = await db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == ticket.Id).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct);
        return new TicketView(ticket, side, messages, attachments);
    }

    /// <summary>
    /// Adds a message. The handler's first word takes the ticket (processing); the submitter's answer to a proposed
    /// solution says it is not solved yet (back to processing).
    /// </summary>
    public async Task<TicketView> AddMessageAsync(Caller caller, string? ticketId, string? body, CancellationToken ct = default)
    {
        var text = Check.MaxLength(Check.Required(body, "message"), "message", MaxText);
        var (ticket, side) = await FindAsync(caller, ticketId, TicketActions.Update, track: true, ct);
        RequireStatus(ticket, "add a message to", TicketStatus.PendingAcceptance, TicketStatus.Processing, TicketStatus.PendingConfirmation);
        var now = Now;
        if (side == TicketSide.Handler && ticket.Status == TicketStatus.PendingAcceptance) Take(ticket, now);
        if (side == TicketSide.Submitter && ticket.Status == TicketStatus.PendingConfirmation) ticket.Status = TicketStatus.Processing;
        db.TicketMessages.Add(new TicketMessage
        {
            TicketId = ticket.Id, AuthorAccountId = caller.AccountId, AuthorName = caller.UserName, FromHandler = side == TicketSide.Handler, Body = text, CreatedAt = now,
        });
        await SaveAsync(ticket, now, ct);
        return await GetAsync(caller, ticket.Id, ct);
    }

    /// <summary>The handler takes the ticket: pending acceptance → processing.</summary>
    public Task<TicketView> AcceptAsync(Caller caller, string? ticketId, CancellationToken ct = default) =>
        ChangeAsync(caller, ticketId, TicketSide.Handler, "accept", [TicketStatus.PendingAcceptance], (t, now) => Take(t, now), ct);

    /// <summary>The handler proposes a solution: the submitter is asked to confirm it.</summary>
    public Task<TicketView> ResolveAsync(Caller caller, string? ticketId, CancellationToken ct = default) =>
        ChangeAsync(caller, ticketId, TicketSide.Handler, "resolve", [TicketStatus.PendingAcceptance, TicketStatus.Processing], (t, now) =>
        {
            t.AcceptedAt ??= now;
            t.Status = TicketStatus.PendingConfirmation;
            t.ResolvedAt = now;
        }, ct);

    /// <summary>
    /// In the caller's transaction, for work the platform finished on a ticket's behalf (a confirmed bank transfer): the
    /// open ticket gets the handler's message and waits for its submitter to confirm. A ticket no longer open is left.
    /// </summary>
    public async Task ResolveOnBehalfAsync(Caller by, string ticketId, string message, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId, ct);
        if (ticket.Status is not (TicketStatus.PendingAcceptance or TicketStatus.Processing)) return;
        var now = Now;
        ticket.AcceptedAt ??= now;
        ticket.Status = TicketStatus.PendingConfirmation;
        ticket.ResolvedAt = now;
        db.TicketMessages.Add(new TicketMessage
        {
            TicketId = ticket.Id, AuthorAccountId = by.AccountId, AuthorName = by.UserName, FromHandler = true, Body = message, CreatedAt = now,
        });
        await SaveAsync(ticket, now, ct);
    }

    /// <summary>The submitter closes the ticket as solved.</summary>
    public Task<TicketView> CloseAsync(Caller caller, string? ticketId, CancellationToken ct = default) =>
        ChangeAsync(caller, ticketId, TicketSide.Submitter, "close", [TicketStatus.Processing, TicketStatus.PendingConfirmation], (t, now) =>
        {
            t.Status = TicketStatus.Completed;
            t.ClosedAt = now;
        }, ct);

    /// <summary>The submitter withdraws a ticket nobody has taken yet.</summary>
    public Task<TicketView> CancelAsync(Caller caller, string? ticketId, CancellationToken ct = default) =>
        ChangeAsync(caller, ticketId, TicketSide.Submitter, "cancel", [TicketStatus.PendingAcceptance], (t, now) =>
        {
            t.Status = TicketStatus.Cancelled;
            t.ClosedAt = now;
        }, ct);

    /// <summary>The submitter urges the handler, at most once an hour; the handler sees how often.</summary>
    public Task<TicketView> UrgeAsync(Caller caller, string? ticketId, CancellationToken ct = default) =>
        ChangeAsync(caller, ticketId, TicketSide.Submitter, "urge", [TicketStatus.PendingAcceptance, TicketStatus.Processing], (t, now) =>
        {
            if (t.LastUrgedAt is { } last && now - last < UrgeInterval) throw new ServiceException(Errors.TicketUrgedRecently(last + UrgeInterval));
            t.UrgeCount++;
            t.LastUrgedAt = now;
        }, ct);

    /// <summary>The submitter scores a completed ticket once: 1 (very dissatisfied) to 5 (very satisfied).</summary>
    public Task<TicketView> RateAsync(Caller caller, string? ticketId, int? score, string? comment, CancellationToken ct = default)
    {
        var value = score ?? throw Check.Invalid("score is required.");
        if (value is < 1 or > 5) throw Check.Invalid("score is 1 to 5.");
        var text = string.IsNullOrWhiteSpace(comment) ? null : Check.MaxLength(comment, "comment", MaxComment);
        return ChangeAsync(caller, ticketId, TicketSide.Submitter, "rate", [TicketStatus.Completed], (t, _) =>
        {
            if (t.Satisfaction is not null) throw new ServiceException(Errors.TicketAlreadyRated());
            t.Satisfaction = value;
            t.SatisfactionComment = text;
        }, ct);
    }

    /// <param name="declaredLength">The length the upload announced, if any: too long is refused before a byte is read.</param>
    public async Task<TicketAttachment> AddAttachmentAsync(Caller caller, string? ticketId, string? fileName, Stream content, long? declaredLength = null, CancellationToken ct = default)
    {
        var contentType = TicketAttachments.ContentTypeOf(fileName);
        if (declaredLength > TicketAttachments.MaxBytes) throw TicketAttachments.TooLarge();
        var (ticket, side) = await FindAsync(caller, ticketId, TicketActions.Update, track: true, ct);
        RequireStatus(ticket, "attach a file to", TicketStatus.PendingAcceptance, TicketStatus.Processing, TicketStatus.PendingConfirmation);
        if (await db.TicketAttachments.CountAsync(a => a.TicketId == ticket.Id, ct) >= TicketAttachments.MaxPerTicket)
            throw new ServiceException(Errors.TicketAttachmentLimit());

        var id = Ids.New();
        var (stored, size) = await files.SaveAsync(ticket.Id, id, contentType, content, ct);
        var now = Now;
        var attachment = new TicketAttachment
        {
            Id = id, TicketId = ticket.Id, FileName = fileName!, ContentType = contentType, Size = size, StoredName = stored,
            UploadedBy = caller.UserName, FromHandler = side == TicketSide.Handler, CreatedAt = now,
        };
        db.TicketAttachments.Add(attachment);
        try
        {
            await SaveAsync(ticket, now, ct);
        }
        catch
        {
            files.Delete(stored); // the row was not written, so neither is the file
            throw;
        }
        return attachment;
    }

    /// <summary>An attachment's bytes, for the ticket's own account and its handler only.</summary>
    public async Task<(TicketAttachment Attachment, Stream Content)> OpenAttachmentAsync(Caller caller, string? ticketId, string? attachmentId, CancellationToken ct = default)
    {
        var (ticket, _) = await FindAsync(caller, ticketId, TicketActions.Get, track: false, ct);
        var attachment = await db.TicketAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.TicketId == ticket.Id && a.Id == attachmentId, ct)
                         ?? throw new ServiceException(Errors.TicketAttachmentNotFound());
        return (attachment, files.Open(attachment.StoredName));
    }

    /// <summary>The kind of the notice a partner gets when its bank-transfer ticket changes status.</summary>
    public const string BankTransferNoticeKind = "ticket.bank_transfer";

    async Task<TicketView> ChangeAsync(Caller caller, string? ticketId, TicketSide who, string verb, TicketStatus[] from, Action<Ticket, DateTime> change, CancellationToken ct)
    {
        var (ticket, side) = await FindAsync(caller, ticketId, TicketActions.Update, track: true, ct);
        if (side != who) throw new ServiceException(Errors.TicketSideOnly(verb, who == TicketSide.Handler ? "whoever serves the ticket" : "the account that opened it"));
        RequireStatus(ticket, verb, from);
        var now = Now;
        change(ticket, now);
        await SaveAsync(ticket, now, ct);
        return await GetAsync(caller, ticket.Id, ct);
    }

    static void Take(Ticket ticket, DateTime now)
    {
        ticket.Status = TicketStatus.Processing;
        ticket.AcceptedAt = now;
    }

    static void RequireStatus(Ticket ticket, string verb, params TicketStatus[] allowed)
    {
        if (!allowed.Contains(ticket.Status)) throw new ServiceException(Errors.TicketStatusForbids(verb, TicketStatusNames.Of(ticket.Status)));
    }

    async Task SaveAsync(Ticket ticket, DateTime now, CancellationToken ct)
    {
        ticket.UpdatedAt = now;
        ticket.Version++;
        // A bank-transfer ticket is the partner's repayment: each move of its status is a notice to the partner, saved
        // with the move (one SaveChanges, or the caller's transaction).
        var status = db.Entry(ticket).Property(t => t.Status);
        if (ticket.Type == TicketTypes.BankTransfer && status.OriginalValue != status.CurrentValue)
            db.PartnerNotifications.Add(new Partners.PartnerNotification
            {
                PartnerAccountId = ticket.AccountId, CustomerAccountId = ticket.AccountId, Kind = BankTransferNoticeKind, CreatedAt = now,
                Message = $"Your bank-transfer ticket {ticket.Id} ({ticket.BankReference}) is now {TicketStatusNames.Of(ticket.Status)}.",
            });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.TicketChanged());
        }
    }

    /// <summary>
    /// The ticket and how the caller stands to it. Its own account's users need <paramref name="submitterAction"/>; a
    /// partner's users serving it need <see cref="TicketActions.Handle"/>; the operator serves the platform's tickets.
    /// </summary>
    async Task<(Ticket, TicketSide)> FindAsync(Caller caller, string? ticketId, string submitterAction, bool track, CancellationToken ct)
    {
        var id = Check.Required(ticketId, "ticket_id");
        var query = track ? db.Tickets : db.Tickets.AsNoTracking();
        var ticket = await query.SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw new ServiceException(Errors.TicketNotFound());
        if (ticket.AccountId == caller.AccountId && !caller.IsOperator)
        {
            await access.RequireAsync(caller, submitterAction, ct);
            return (ticket, TicketSide.Submitter);
        }
        if (ticket.HandlerAccountId is null ? caller.IsOperator : ticket.HandlerAccountId == caller.AccountId && !caller.IsOperator)
        {
            if (!caller.IsOperator) await access.RequireAsync(caller, TicketActions.Handle, ct);
            return (ticket, TicketSide.Handler);
        }
        throw new ServiceException(Errors.TicketNotFound());
    }
}
