using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Mail;

/// <summary>
/// An e-mail waiting to be sent. It is written in the same transaction as the event it reports (so a rolled-back event
/// sends nothing) and delivered afterwards by <see cref="OutboxDelivery"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("outbox_messages");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.SentAt);
        e.Property(x => x.To).HasMaxLength(255);
        e.Property(x => x.Subject).HasMaxLength(255);
        e.Property(x => x.LastError).HasMaxLength(1000);
    }
}

/// <summary>How a message leaves the server.</summary>
public interface IMailTransport
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>Writes each message as an RFC 822 <c>.eml</c> file into a pickup folder (the default: inspectable, no mail server needed).</summary>
public sealed class PickupDirectoryTransport(string directory, string from) : IMailTransport
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var eml = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(message.To).Append("\r\n")
            .Append("Subject: ").Append(message.Subject).Append("\r\n")
            .Append("Date: ").Append(message.CreatedAt.ToString("r")).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
            .Append(message.Body).Append("\r\n");
        await File.WriteAllTextAsync(Path.Combine(directory, $"{message.CreatedAt:yyyyMMddHHmmss}-{message.Id}.eml"), eml.ToString(), ct);
    }
}

/// <summary>
/// Sends pending messages, oldest first. A message is claimed with a conditional update before it is sent, so two
/// instances never send it twice; a failed send is released for a later attempt (at most 5).
/// </summary>
public sealed class OutboxDelivery(AppDbContext db, IMailTransport transport, TimeProvider clock, ILogger<OutboxDelivery> log)
{
    const int MaxAttempts = 5;

    public async Task<int> DeliverPendingAsync(CancellationToken ct = default)
    {
        var pending = await db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null && m.Attempts < MaxAttempts)
            .OrderBy(m => m.Id).Take(100).ToListAsync(ct);
        var sent = 0;
        foreach (var message in pending)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var claimed = await db.OutboxMessages.Where(m => m.Id == message.Id && m.SentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            if (claimed == 0) continue;
            try
            {
                await transport.SendAsync(message, ct);
                sent++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                log.LogWarning(e, "Sending message {Id} failed; it will be tried again", message.Id);
                var error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                await db.OutboxMessages.Where(m => m.Id == message.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, (DateTime?)null).SetProperty(m => m.LastError, error), ct);
            }
        }
        return sent;
    }
}
