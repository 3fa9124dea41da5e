using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Common;

/// <summary>
/// A key a client gave to a money request (a <c>client_token</c>, an order id), with the fingerprint of the request it
/// first came with. <see cref="Scope"/> says whose key and for what (e.g. "orders:{customer}").
/// </summary>
public sealed class IdempotencyKey
{
    public required string Scope { get; init; }
    public required string Key { get; init; }
    /// <summary>SHA-256 (hex) of the request's meaningful parameters.</summary>
    public required string RequestHash { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> e)
    {
        e.ToTable("idempotency_keys");
        e.HasKey(x => new { x.Scope, x.Key });
        e.Property(x => x.Scope).HasMaxLength(128);
        e.Property(x => x.Key).HasMaxLength(128);
        e.Property(x => x.RequestHash).HasMaxLength(64);
    }
}

/// <summary>
/// The one rule for every idempotent money request: a key names one request. Its first use records the request's
/// fingerprint; a retry with the same request is answered as the first was and moves no money again; the same key with
/// another request is refused with 409 <c>CBC.99005044</c>, and nothing is written.
/// </summary>
public sealed class Idempotency(AppDbContext db, TimeProvider clock)
{
    const string TakeSql = """
        INSERT INTO idempotency_keys ("Scope", "Key", "RequestHash", "CreatedAt") VALUES (@scope, @key, @hash, @now)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The fingerprint of a request: the SHA-256 of its parameters as JSON (give a record or an anonymous object).</summary>
    public static string Fingerprint(object parameters) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(parameters))).ToLowerInvariant();

    /// <summary>
    /// Takes the key for this request inside the caller's transaction. True: the key is new and now this request's.
    /// False: this same request came before; answer what it was answered. Throws when the key came with another request.
    /// </summary>
    public async Task<bool> TakeAsync(string scope, string key, string fingerprint, CancellationToken ct = default)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("An idempotency key is taken inside the transaction that acts on it.");
        var taken = await HotStatements.RunAsync(db.Database.GetDbConnection(), transaction, TakeSql,
            [("scope", scope), ("key", key), ("hash", fingerprint), ("now", clock.GetUtcNow().UtcDateTime)], ct);
        return taken.Changes == 1 || !await SameRequestAsync(scope, key, fingerprint, ct);
    }

    /// <summary>
    /// For a request that acts before its transaction (a card charge): false when the key is unused, true when this same
    /// request came before; throws when the key came with another request.
    /// </summary>
    public async Task<bool> SeenAsync(string scope, string key, string fingerprint, CancellationToken ct = default) =>
        await db.IdempotencyKeys.AnyAsync(k => k.Scope == scope && k.Key == key, ct) && await SameRequestAsync(scope, key, fingerprint, ct);

    async Task<bool> SameRequestAsync(string scope, string key, string fingerprint, CancellationToken ct)
    {
        var earlier = await db.IdempotencyKeys.Where(k => k.Scope == scope && k.Key == key).Select(k => k.RequestHash).SingleAsync(ct);
        return earlier == fingerprint ? true : throw new ServiceException(Errors.ClientTokenReused());
    }
}
