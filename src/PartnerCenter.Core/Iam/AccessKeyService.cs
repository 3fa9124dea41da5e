using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>A new key with its secret in plain text: the only time the secret is ever shown.</summary>
public sealed record NewAccessKey(AccessKey Key, string Secret);

/// <summary>Permanent access keys (AK/SK). At most two per user; the secret is stored encrypted.</summary>
public sealed class AccessKeyService(AppDbContext db, AccessControl access, IDataProtectionProvider protection, TimeProvider clock)
{
    public const int MaxPerUser = 2;
    readonly IDataProtector protector = protection.CreateProtector(ProtectorPurpose);
    internal const string ProtectorPurpose = "PartnerCenter.Iam.AccessKeySecrets";

    public async Task<NewAccessKey> CreateAsync(Caller caller, string? userId, string? description, CancellationToken ct = default)
    {
        userId = string.IsNullOrEmpty(userId) ? caller.UserId : userId;
        await RequireAsync(caller, userId, IamActions.CreateCredential, ct);
        if (!await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Id == userId, ct)) throw new ServiceException(Errors.UserNotFound());
        if (await db.AccessKeys.CountAsync(k => k.AccountId == caller.AccountId && k.UserId == userId, ct) >= MaxPerUser)
            throw new ServiceException(Errors.AccessKeyLimit());
        var secret = Ids.NewSecretKey();
        var key = new AccessKey
        {
            Access = Ids.NewAccessKey(), AccountId = caller.AccountId, UserId = userId, ProtectedSecret = protector.Protect(secret),
            Description = Check.MaxLength(description, "credential.description", 255), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.AccessKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new NewAccessKey(key, secret);
    }

    public async Task<List<AccessKey>> ListAsync(Caller caller, string? userId, CancellationToken ct = default)
    {
        userId = string.IsNullOrEmpty(userId) ? caller.UserId : userId;
        await RequireAsync(caller, userId, IamActions.ListCredentials, ct);
        return await db.AccessKeys.AsNoTracking().Where(k => k.AccountId == caller.AccountId && k.UserId == userId)
            .OrderBy(k => k.CreatedAt).ToListAsync(ct);
    }

    public async Task<AccessKey> GetAsync(Caller caller, string accessKey, CancellationToken ct = default)
    {
        var key = await FindAsync(caller, accessKey, ct);
        await RequireAsync(caller, key.UserId, IamActions.GetCredential, ct);
        return key;
    }

    public async Task<AccessKey> UpdateAsync(Caller caller, string accessKey, string? status, string? description, CancellationToken ct = default)
    {
        var key = await FindAsync(caller, accessKey, ct);
        await RequireAsync(caller, key.UserId, IamActions.UpdateCredential, ct);
        if (status is not null)
            key.Active = status switch { "active" => true, "inactive" => false, _ => throw Check.Invalid("credential.status must be active or inactive.") };
        if (description is not null) key.Description = Check.MaxLength(description, "credential.description", 255);
        await db.SaveChangesAsync(ct);
        return key;
    }

    public async Task DeleteAsync(Caller caller, string accessKey, CancellationToken ct = default)
    {
        var key = await FindAsync(caller, accessKey, ct);
        await RequireAsync(caller, key.UserId, IamActions.DeleteCredential, ct);
        db.AccessKeys.Remove(key);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A user manages its own keys without a grant; someone else's keys need the IAM permission.</summary>
    async Task RequireAsync(Caller caller, string userId, string action, CancellationToken ct)
    {
        if (userId != caller.UserId || caller.IsDelegated) await access.RequireAsync(caller, action, ct);
    }

    async Task<AccessKey> FindAsync(Caller caller, string accessKey, CancellationToken ct) =>
        await db.AccessKeys.SingleOrDefaultAsync(k => k.AccountId == caller.AccountId && k.Access == accessKey, ct)
        ?? throw new ServiceException(Errors.AccessKeyNotFound());
}
