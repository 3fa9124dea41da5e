using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>What a client may set on a user; the server owns the rest (id, account, owner flag, times).</summary>
public sealed record UserInput(
    string? Name = null, string? Password = null, string? Email = null, string? AreaCode = null, string? Phone = null,
    bool? Enabled = null, string? Description = null, bool? PasswordResetRequired = null,
    string? XUserType = null, string? XUserId = null, string? AccessMode = null);

/// <summary>What IAM shows of a user beyond its own record: when its password expires, the project it last scoped a token to.</summary>
public sealed record UserFacts(DateTime? PasswordExpiresAt, string? LastProjectId);

/// <summary>
/// Keystone's <c>password_expires_at</c> list filter, <c>{operator}:{time}</c> with lt, lte, gt, gte, eq or neq (eq when
/// the operator is left out). A password that never expires matches only neq.
/// </summary>
public static class PasswordExpiryFilter
{
    public static Func<DateTime?, bool> Parse(string filter)
    {
        var colon = filter.IndexOf(':');
        var (op, time) = colon > 0 && colon <= 3 && char.IsLetter(filter[0]) ? (filter[..colon], filter[(colon + 1)..]) : ("eq", filter);
        if (!DateTime.TryParse(time, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            throw Check.Invalid("password_expires_at must be {operator}:{time}, e.g. lt:2026-12-08T22:02:00Z.");
        return op switch
        {
            "lt" => e => e < at,
            "lte" => e => e <= at,
            "gt" => e => e > at,
            "gte" => e => e >= at,
            "eq" => e => e == at,
            "neq" => e => e != at,
            _ => throw Check.Invalid("password_expires_at's operator must be lt, lte, gt, gte, eq or neq."),
        };
    }
}

/// <summary>IAM users of an account: create, list, show, update, delete, change password.</summary>
public sealed class UserService(AppDbContext db, AccessControl access, Passwords passwords, TimeProvider clock)
{
    public async Task<IamUser> CreateAsync(Caller caller, UserInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CreateUser, ct);
        var name = Check.Name(input.Name, "user.name");
        var accessMode = AccessModeOf(input.AccessMode);
        if (await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Name == name, ct))
            throw new ServiceException(Errors.NameTaken("user"));
        var now = clock.GetUtcNow().UtcDateTime;
        var user = new IamUser
        {
            Id = Ids.New(), AccountId = caller.AccountId, Name = name, PasswordHash = "",
            Email = Check.Email(input.Email, "user.email"), AreaCode = input.AreaCode, Phone = input.Phone,
            Enabled = input.Enabled ?? true, Description = Check.MaxLength(input.Description, "user.description", 255),
            PasswordResetRequired = input.PasswordResetRequired ?? false, XUserType = input.XUserType, XUserId = input.XUserId,
            AccessMode = accessMode, CreatedAt = now, PasswordChangedAt = now,
        };
        if (input.Password is not null)
        {
            Passwords.Check(await PolicyOfAsync(caller.AccountId, ct), input.Password, name);
            user.PasswordHash = passwords.Hash(user, input.Password);
        }
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }

    public async Task<List<IamUser>> ListAsync(Caller caller, string? name, bool? enabled, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListUsers, ct);
        var q = db.Users.AsNoTracking().Where(u => u.AccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(u => u.Name == name);
        if (enabled is { } e) q = q.Where(u => u.Enabled == e);
        return await q.OrderBy(u => u.Name).ToListAsync(ct);
    }

    /// <summary>A password expires its policy's validity period after it was set; never when the period is 0.</summary>
    public static DateTime? PasswordExpiresAt(IamUser user, SecurityPolicy? policy) =>
        policy is { PasswordValidityPeriod: > 0 } ? user.PasswordChangedAt.AddDays(policy.PasswordValidityPeriod) : null;

    /// <summary>The facts of users of one account, by user id (see <see cref="UserFacts"/>).</summary>
    public async Task<IReadOnlyDictionary<string, UserFacts>> FactsAsync(string accountId, IReadOnlyCollection<IamUser> users, CancellationToken ct = default)
    {
        var policy = await db.SecurityPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, ct);
        var ids = users.Select(u => u.Id).ToList();
        var scoped = await db.Tokens.AsNoTracking()
            .Where(t => t.AccountId == accountId && t.AgencyId == null && t.ProjectId != null && ids.Contains(t.UserId))
            .Select(t => new { t.UserId, t.ProjectId, t.IssuedAt }).ToListAsync(ct);
        var lastProject = scoped.GroupBy(t => t.UserId).ToDictionary(g => g.Key, g => g.MaxBy(t => t.IssuedAt)!.ProjectId);
        return users.ToDictionary(u => u.Id, u => new UserFacts(PasswordExpiresAt(u, policy), lastProject.GetValueOrDefault(u.Id)));
    }

    public async Task<UserFacts> FactsAsync(IamUser user, CancellationToken ct = default) => (await FactsAsync(user.AccountId, [user], ct))[user.Id];

    public async Task<IamUser> GetAsync(Caller caller, string userId, CancellationToken ct = default)
    {
        if (userId != caller.UserId || caller.IsDelegated) await access.RequireAsync(caller, IamActions.GetUser, ct);
        return await FindAsync(caller.AccountId, userId, ct);
    }

    public async Task<IamUser> UpdateAsync(Caller caller, string userId, UserInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateUser, ct);
        var user = await FindAsync(caller.AccountId, userId, ct);
        if (input.Name is not null && input.Name != user.Name)
        {
            if (user.IsAccountOwner) throw new ServiceException(Errors.CannotChangeOwner("The account owner's name is the account name; change it in the account details."));
            var name = Check.Name(input.Name, "user.name");
            if (await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Name == name, ct))
                throw new ServiceException(Errors.NameTaken("user"));
            user.Name = name;
        }
        if (input.Enabled is { } enabled)
        {
            if (user.IsAccountOwner && !enabled) throw new ServiceException(Errors.CannotChangeOwner("The account owner cannot be disabled."));
            user.Enabled = enabled;
        }
        if (input.Email is not null) user.Email = Check.Email(input.Email, "user.email");
        if (input.AreaCode is not null) user.AreaCode = input.AreaCode;
        if (input.Phone is not null) user.Phone = input.Phone;
        if (input.Description is not null) user.Description = Check.MaxLength(input.Description, "user.description", 255);
        if (input.PasswordResetRequired is { } reset) user.PasswordResetRequired = reset;
        if (input.XUserType is not null) user.XUserType = input.XUserType;
        if (input.XUserId is not null) user.XUserId = input.XUserId;
        if (input.AccessMode is not null) user.AccessMode = AccessModeOf(input.AccessMode);
        if (input.Password is not null)
        {
            Passwords.Check(await PolicyOfAsync(caller.AccountId, ct), input.Password, user.Name);
            SetPassword(user, input.Password);
        }
        await db.SaveChangesAsync(ct);
        return user;
    }

    public async Task DeleteAsync(Caller caller, string userId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.DeleteUser, ct);
        var user = await FindAsync(caller.AccountId, userId, ct);
        if (user.IsAccountOwner) throw new ServiceException(Errors.CannotChangeOwner("The account owner cannot be deleted; close the account instead."));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.GroupMembers.Where(m => m.AccountId == caller.AccountId && m.UserId == userId).ExecuteDeleteAsync(ct);
        await db.AccessKeys.Where(k => k.AccountId == caller.AccountId && k.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Tokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A user changes its own password, proving the current one. Needs no permission.</summary>
    public async Task ChangeOwnPasswordAsync(Caller caller, string userId, string? originalPassword, string? newPassword, CancellationToken ct = default)
    {
        if (userId != caller.UserId || caller.IsDelegated)
            throw new ServiceException(Errors.OwnPasswordOnly());
        var user = await FindAsync(caller.AccountId, userId, ct);
        if (originalPassword is null || !passwords.Verify(user, originalPassword))
            throw new ServiceException(Errors.WrongOriginalPassword());
        var policy = await PolicyOfAsync(caller.AccountId, ct);
        Passwords.Check(policy, newPassword, user.Name);
        if (policy.NumberOfRecentPasswordsDisallowed > 0 && passwords.Verify(user, newPassword!))
            throw new ServiceException(Errors.WeakPassword("The new password must differ from the current one."));
        SetPassword(user, newPassword!);
        await db.SaveChangesAsync(ct);
    }

    internal void SetPassword(IamUser user, string password)
    {
        user.PasswordHash = passwords.Hash(user, password);
        user.PasswordChangedAt = clock.GetUtcNow().UtcDateTime;
        user.PasswordResetRequired = false;
    }

    async Task<IamUser> FindAsync(string accountId, string userId, CancellationToken ct) =>
        await db.Users.SingleOrDefaultAsync(u => u.AccountId == accountId && u.Id == userId, ct)
        ?? throw new ServiceException(Errors.UserNotFound());

    internal async Task<SecurityPolicy> PolicyOfAsync(string accountId, CancellationToken ct) =>
        await db.SecurityPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, ct) ?? new SecurityPolicy { AccountId = accountId };

    static string AccessModeOf(string? mode) => mode switch
    {
        null or "" or "default" => "default",
        "programmatic" or "console" => mode,
        _ => throw Check.Invalid("user.access_mode must be default, programmatic or console."),
    };
}
