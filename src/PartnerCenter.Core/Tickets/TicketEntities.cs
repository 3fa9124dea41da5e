using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Tickets;

/// <summary>A ticket's status, numbered as Huawei's service-ticket (OSM) API numbers them.</summary>
public enum TicketStatus
{
    PendingAcceptance = 0,
    Processing = 1,
    PendingConfirmation = 2,
    Completed = 3,
    Cancelled = 4,
}

public static class TicketStatusNames
{
    /// <summary>The status in words, as the API answers it (status_name), errors say it, and the console shows it.</summary>
    public static string Of(TicketStatus s) => s switch
    {
        TicketStatus.PendingAcceptance => "pending acceptance",
        TicketStatus.Processing => "processing",
        TicketStatus.PendingConfirmation => "pending confirmation",
        TicketStatus.Completed => "completed",
        _ => "cancelled",
    };
}

/// <summary>
/// A service ticket: a question or request from an account to whoever serves it: the platform (the operator) or, for a
/// customer that chose so, its partner. The handler is fixed when the ticket is opened.
/// </summary>
public sealed class Ticket
{
    public required string Id { get; init; }
    /// <summary>The account that opened it; every user of that account with the ticket permissions may follow it.</summary>
    public required string AccountId { get; init; }
    public required string AccountName { get; init; }
    public required string SubmittedByUserId { get; init; }
    public required string SubmittedByName { get; init; }
    /// <summary>The partner account that serves this ticket; null when the platform (the operator) serves it.</summary>
    public string? HandlerAccountId { get; init; }
    public required string Type { get; init; }
    public int Severity { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public TicketStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When the handler must have answered: three working days after submission (see <see cref="WorkingDays"/>).</summary>
    public DateTime DueBy { get; init; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public int UrgeCount { get; set; }
    public DateTime? LastUrgedAt { get; set; }
    public int? Satisfaction { get; set; }
    public string? SatisfactionComment { get; set; }
    public string? ContactEmail { get; init; }
    public string? ContactMobile { get; init; }

    // Bank-transfer repayment: what the partner says it transferred (the operator checks it against the bank).
    public decimal? TransferAmount { get; init; }
    public DateTime? TransferredOn { get; init; }
    public string? PayerName { get; init; }
    public string? BankReference { get; init; }
    public string? InvoiceNumber { get; init; }
    /// <summary>Whose receipt this is: the signed-in user unless the ticket names another.</summary>
    public string? ReceiptOwner { get; init; }

    /// <summary>Moves on every change, so two concurrent changes cannot both apply.</summary>
    public int Version { get; set; }
}

/// <summary>One message in a ticket's conversation, from the submitter's side or the handler's.</summary>
public sealed class TicketMessage
{
    public long Id { get; init; }
    public required string TicketId { get; init; }
    public required string AuthorAccountId { get; init; }
    public required string AuthorName { get; init; }
    public bool FromHandler { get; init; }
    public required string Body { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A file attached to a ticket. The bytes live under the data directory by <see cref="StoredName"/>, never by the uploaded name.</summary>
public sealed class TicketAttachment
{
    public required string Id { get; init; }
    public required string TicketId { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required string StoredName { get; init; }
    public required string UploadedBy { get; init; }
    public bool FromHandler { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>, IEntityTypeConfiguration<TicketMessage>, IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<Ticket> e)
    {
        e.ToTable("tickets");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.CreatedAt });
        e.HasIndex(x => new { x.HandlerAccountId, x.Status });
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.AccountId).HasMaxLength(64);
        e.Property(x => x.AccountName).HasMaxLength(64);
        e.Property(x => x.SubmittedByUserId).HasMaxLength(64);
        e.Property(x => x.SubmittedByName).HasMaxLength(64);
        e.Property(x => x.HandlerAccountId).HasMaxLength(64);
        e.Property(x => x.Type).HasMaxLength(32);
        e.Property(x => x.Title).HasMaxLength(TicketService.MaxTitle);
        e.Property(x => x.Description).HasMaxLength(TicketService.MaxText);
        e.Property(x => x.SatisfactionComment).HasMaxLength(TicketService.MaxComment);
        e.Property(x => x.ContactEmail).HasMaxLength(255);
        e.Property(x => x.ContactMobile).HasMaxLength(32);
        e.Property(x => x.PayerName).HasMaxLength(128);
        e.Property(x => x.BankReference).HasMaxLength(64);
        e.Property(x => x.InvoiceNumber).HasMaxLength(64);
        e.Property(x => x.ReceiptOwner).HasMaxLength(64);
        e.Property(x => x.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<TicketMessage> e)
    {
        e.ToTable("ticket_messages");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.TicketId, x.Id });
        e.Property(x => x.TicketId).HasMaxLength(32);
        e.Property(x => x.AuthorAccountId).HasMaxLength(64);
        e.Property(x => x.AuthorName).HasMaxLength(64);
        e.Property(x => x.Body).HasMaxLength(TicketService.MaxText);
    }

    public void Configure(EntityTypeBuilder<TicketAttachment> e)
    {
        e.ToTable("ticket_attachments");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.TicketId);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.TicketId).HasMaxLength(32);
        e.Property(x => x.FileName).HasMaxLength(TicketAttachments.MaxFileName);
        e.Property(x => x.ContentType).HasMaxLength(64);
        e.Property(x => x.StoredName).HasMaxLength(80);
        e.Property(x => x.UploadedBy).HasMaxLength(64);
    }
}
