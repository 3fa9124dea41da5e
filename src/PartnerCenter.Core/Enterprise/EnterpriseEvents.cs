using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Mail;

namespace PartnerCenter.Core.Enterprise;

/// <summary>
/// Something that happened in an organization, for one account to read (the master's Enterprise Center, a member's My
/// organization). Written in the transaction of the change it reports, with an e-mail through the outbox when the
/// account has an address.
/// </summary>
public sealed class EnterpriseEvent
{
    public long Id { get; init; }
    /// <summary>The account the event is for.</summary>
    public required string AccountId { get; init; }
    public required string MasterAccountId { get; init; }
    /// <summary>enterprise.enabled, member.created, member.invited, invitation.accepted, invitation.declined, invitation.cancelled, member.moved, member.removed.</summary>
    public required string Kind { get; init; }
    public required string Message { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class EnterpriseEventConfiguration : IEntityTypeConfiguration<EnterpriseEvent>
{
    public void Configure(EntityTypeBuilder<EnterpriseEvent> e)
    {
        e.ToTable("enterprise_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Message).HasMaxLength(512);
        e.HasIndex(x => new { x.AccountId, x.CreatedAt });
    }
}

static class EnterpriseEvents
{
    /// <summary>Adds the event and its e-mail to the unit of work; the caller's SaveChanges writes them with the change.</summary>
    public static async Task AddAsync(AppDbContext db, string accountId, string masterAccountId, string kind, string subject, string message, DateTime now, CancellationToken ct)
    {
        db.EnterpriseEvents.Add(new EnterpriseEvent { AccountId = accountId, MasterAccountId = masterAccountId, Kind = kind, Message = message, CreatedAt = now });
        if (await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Email).SingleOrDefaultAsync(ct) is { } email)
            db.OutboxMessages.Add(new OutboxMessage { To = email, Subject = subject, Body = message, CreatedAt = now });
    }
}
