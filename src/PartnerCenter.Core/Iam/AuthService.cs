using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>What a token was issued for; the API renders it as the Keystone token body.</summary>
public sealed record TokenInfo(
    string Token, Caller Caller, string Method, DateTime IssuedAt, DateTime ExpiresAt,
    string UserAccountId, string UserAccountName, Project? Project, IReadOnlyList<IamRole> Roles, DateTime? PasswordExpiresAt);

/// <summary>How a token should be scoped: to the account, or to one of its projects (by id or name).</summary>
public sealed record TokenScope(string? DomainId = null, string? DomainName = null, string? ProjectId = null, string? ProjectName = null);

/// <summary>An access key found for a signed request: its secret to verify with, and who signs with it.</summary>
public sealed record AccessKeyIdentity(string Secret, Caller Caller);

/// <summary>
/// Sign-in and the credentials that authenticate requests: passwords (with lockout), tokens (password and agency), access keys.
/// </summary>
public sealed partial class AuthService(AppDbContext db, Passwords passwords, AccessControl access, IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    /// <summary>Checks an account or IAM user's password, counting failures toward the account's lockout policy.</summary>
    public async Task<(IamUser User, Account Account)> SignInAsync(string? domainName, string? userName, string? password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(domainName) || string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password))
            throw new ServiceException(Errors.WrongCredentials());
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Name == domainName, ct) ?? throw new ServiceException(Errors.WrongCredentials());
        var user = await db.Users.SingleOrDefaultAsync(u => u.AccountId == account.Id && u.Name == userName, ct) ?? throw new ServiceException(Errors.WrongCredentials());
        var policy = await db.SecurityPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == account.Id, ct) ?? new SecurityPolicy { AccountId = account.Id };
        var now = clock.GetUtcNow().UtcDateTime;
        if (user.LockedUntil is { } until && until > now) throw new ServiceException(Errors.UserLocked(until));
        if (user.PasswordHash == "" || !passwords.Verify(user, password))
        {
            await CountFailureAsync(user, policy, now, ct);
            throw new ServiceException(user.LockedUntil is { } locked && locked > now ? Errors.UserLocked(locked) : Errors.WrongCredentials());
        }
        if (account.Status == AccountStatus.Closed) throw new ServiceException(Errors.AccountClosed());
        if (!user.Enabled) throw new ServiceException(Errors.UserDisabled());
        user.FailedSignIns = 0;
        user.FailedSignInWindowStart = null;
        user.LockedUntil = null;
        user.LastLoginAt = now;
        await db.SaveChangesAsync(ct);
        return (user, account);
    }

    async Task CountFailureAsync(IamUser user, SecurityPolicy policy, DateTime now, CancellationToken ct)
    {
        if (user.FailedSignInWindowStart is not { } start || start.AddMinutes(policy.PeriodWithLoginFailures) < now)
        {
            user.FailedSignInWindowStart = now;
            user.FailedSignIns = 0;
        }
        user.FailedSignIns++;
        if (user.FailedSignIns >= policy.LoginFailedTimes)
        {
            user.LockedUntil = now.AddMinutes(policy.LockoutDuration);
            user.FailedSignIns = 0;
            user.FailedSignInWindowStart = null;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary><c>POST /v3/auth/tokens</c> with the password method.</summary>
    public async Task<TokenInfo> IssuePasswordTokenAsync(string? domainName, string? userName, string? password, TokenScope scope, CancellationToken ct = default)
    {
        var (user, account) = await SignInAsync(domainName, userName, password, ct);
        var project = await ResolveScopeAsync(account, scope, ct);
        var caller = CallerOf(user, account, null, project?.Id);
        return await IssueAsync(caller, user, account, project, "password", TokenLifetime, ct);
    }

    /// <summary>
    /// <c>POST /v3/auth/tokens</c> with the assume_role method: a user of the trusted account exchanges its token for one
    /// that acts in the delegating account with the agency's roles.
    /// </summary>
    public async Task<TokenInfo> IssueAgencyTokenAsync(Caller caller, string? domainId, string? domainName, string? agencyName, int? durationSeconds, TokenScope scope, CancellationToken ct = default) =>
        await IssueAgencyTokenAsync(caller, domainId, domainName, agencyName, durationSeconds, scope, null, ct);

    async Task<TokenInfo> IssueAgencyTokenAsync(Caller caller, string? domainId, string? domainName, string? agencyName, int? durationSeconds, TokenScope scope, string? sessionPolicy, CancellationToken ct)
    {
        if (caller.IsDelegated) throw new ServiceException(Errors.AgencyNotTrusted());
        await access.RequireAsync(caller, IamActions.AssumeAgency, ct);
        if (string.IsNullOrEmpty(agencyName)) throw Check.Invalid("auth.identity.assume_role.agency_name is required.");
        if (durationSeconds is { } d && (d < 900 || d > 86400)) throw Check.Invalid("auth.identity.assume_role.duration_seconds must be 900 to 86400.");
        var delegating = await db.Accounts.SingleOrDefaultAsync(a => (domainId != null && a.Id == domainId) || (domainId == null && a.Name == domainName), ct)
                         ?? throw new ServiceException(Errors.AgencyNotTrusted());
        var now = clock.GetUtcNow().UtcDateTime;
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == delegating.Id && a.Name == agencyName, ct);
        if (agency is null || agency.TrustAccountId != caller.AccountId || (agency.ExpiresAt is { } exp && exp <= now) || delegating.Status == AccountStatus.Closed)
            throw new ServiceException(Errors.AgencyNotTrusted());
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == caller.UserId, ct);
        var project = await ResolveScopeAsync(delegating, scope, ct);
        var delegated = new Caller(delegating.Id, delegating.Name, user.Id, user.Name, false, false, agency.Id, project?.Id);
        return await IssueAsync(delegated, user, delegating, project, "assume_role", TimeSpan.FromSeconds(durationSeconds ?? 86400), ct, sessionPolicy);
    }

    async Task<TokenInfo> IssueAsync(Caller caller, IamUser user, Account account, Project? project, string method, TimeSpan lifetime, CancellationToken ct, string? sessionPolicy = null)
    {
        var token = Ids.NewToken();
        var now = clock.GetUtcNow().UtcDateTime;
        var issued = new IssuedToken
        {
            Hash = HashOf(token), AccountId = account.Id, UserId = user.Id, UserAccountId = user.AccountId, ProjectId = project?.Id,
            AgencyId = caller.AgencyId, SessionPolicyJson = sessionPolicy ?? caller.SessionPolicyJson, Method = method, IssuedAt = now, ExpiresAt = now + lifetime,
        };
        db.Tokens.Add(issued);
        await db.SaveChangesAsync(ct);
        return await DescribeAsync(token, issued, caller, ct);
    }

    /// <summary>The caller a token stands for, or an invalid-token error. This is all a request's authentication needs.</summary>
    public async Task<Caller> AuthenticateTokenAsync(string? token, CancellationToken ct = default) => (await CheckTokenAsync(token, ct)).Caller;

    /// <summary>A token with everything the Keystone token body shows (<c>GET /v3/auth/tokens</c>).</summary>
    public async Task<TokenInfo> ValidateTokenAsync(string? token, CancellationToken ct = default)
    {
        var (issued, caller) = await CheckTokenAsync(token, ct);
        return await DescribeAsync(token!, issued, caller, ct);
    }

    async Task<(IssuedToken Issued, Caller Caller)> CheckTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096) throw new ServiceException(Errors.InvalidToken());
        var row = await TokenQuery(db, HashOf(token));
        var now = clock.GetUtcNow().UtcDateTime;
        if (row is null || row.Token.ExpiresAt <= now) throw new ServiceException(Errors.InvalidToken());
        var (issued, account, user) = row;
        if (user is null || !user.Enabled || account.Status == AccountStatus.Closed) throw new ServiceException(Errors.InvalidToken());
        if (issued.AgencyId is null) return (issued, CallerOf(user, account, null, issued.ProjectId) with { SessionPolicyJson = issued.SessionPolicyJson });
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == issued.AgencyId, ct);
        if (agency is null || agency.TrustAccountId != issued.UserAccountId || (agency.ExpiresAt is { } exp && exp <= now))
            throw new ServiceException(Errors.InvalidToken());
        return (issued, new Caller(account.Id, account.Name, user.Id, user.Name, false, false, issued.AgencyId, issued.ProjectId, issued.SessionPolicyJson));
    }

    async Task<TokenInfo> DescribeAsync(string token, IssuedToken issued, Caller caller, CancellationToken ct)
    {
        var project = issued.ProjectId is null ? null : await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == issued.ProjectId, ct);
        var roleIds = issued.AgencyId is not null
            ? db.AgencyRoles.Where(r => r.AgencyId == issued.AgencyId).Select(r => r.RoleId)
            : db.GroupRoles.Where(r => r.AccountId == issued.AccountId
                                       && db.GroupMembers.Any(m => m.AccountId == issued.AccountId && m.GroupId == r.GroupId && m.UserId == issued.UserId))
                .Select(r => r.RoleId);
        var roles = await db.Roles.AsNoTracking().Where(r => roleIds.Contains(r.Id)).OrderBy(r => r.Name).ToListAsync(ct);
        var userAccount = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == issued.UserAccountId, ct);
        var policy = await db.SecurityPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == issued.UserAccountId, ct);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == issued.UserId, ct);
        return new TokenInfo(token, caller, issued.Method, issued.IssuedAt, issued.ExpiresAt, userAccount.Id, userAccount.Name, project, roles,
            UserService.PasswordExpiresAt(user, policy));
    }

    /// <summary>
    /// Issues a temporary AK/SK with its security token: for the caller itself (the token method) or, with
    /// <paramref name="agencyName"/>, for an agency the caller's account is trusted by (the assume_role method).
    /// <paramref name="sessionUserName"/> (assume_role only) is checked as Huawei defines it; <paramref name="sessionPolicy"/>
    /// narrows the key: it may do only what both its token's permissions and the session policy allow.
    /// </summary>
    public async Task<(string Access, string Secret, TokenInfo SecurityToken)> IssueTemporaryKeyAsync(
        Caller caller, int? durationSeconds, string? domainId, string? domainName, string? agencyName,
        string? sessionUserName = null, JsonNode? sessionPolicy = null, CancellationToken ct = default)
    {
        if (durationSeconds is { } d && (d < 900 || d > 86400)) throw Check.Invalid("duration_seconds must be 900 to 86400.");
        if (sessionUserName is not null && (agencyName is null || !SessionUserName().IsMatch(sessionUserName)))
            throw Check.Invalid("auth.identity.assume_role.session_user.name is 5 to 64 letters, digits, - or _, starting with a letter (assume_role only).");
        if (sessionPolicy is not null) PolicyDocument.Parse(sessionPolicy);
        var sessionPolicyJson = sessionPolicy is null ? null : PolicyDocument.Canonical(sessionPolicy);
        var lifetime = TimeSpan.FromSeconds(durationSeconds ?? 900);
        TokenInfo token;
        if (agencyName is null)
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == caller.UserId, ct);
            var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == caller.AccountId, ct);
            var project = caller.ProjectId is null ? null : await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == caller.ProjectId, ct);
            token = await IssueAsync(caller, user, account, project, "token", lifetime, ct, sessionPolicyJson);
        }
        else
        {
            token = await IssueAgencyTokenAsync(caller, domainId, domainName, agencyName, (int)lifetime.TotalSeconds, new TokenScope(), sessionPolicyJson, ct);
        }
        var secret = Ids.NewSecretKey();
        var key = new TemporaryAccessKey
        {
            Access = Ids.NewAccessKey(), ProtectedSecret = protection.CreateProtector(AccessKeyService.ProtectorPurpose).Protect(secret),
            TokenHash = HashOf(token.Token), ExpiresAt = token.ExpiresAt,
        };
        db.TemporaryAccessKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key.Access, secret, token);
    }

    /// <summary>
    /// Looks up an access key for signature verification. Refuses unknown and disabled keys, and keys of disabled users or
    /// closed accounts. A temporary key also needs its security token, and acts as that token does.
    /// </summary>
    public async Task<AccessKeyIdentity> FindAccessKeyAsync(string access, string? securityToken = null, CancellationToken ct = default)
    {
        if (await KeyQuery(db, access) is not ({ } key, { } user, { } account)) return await FindTemporaryKeyAsync(access, securityToken, ct);
        // A security token only ever goes with the temporary key it was issued with, as the gateway checks.
        if (securityToken is not null) throw new ServiceException(Errors.SecurityTokenOfAnotherKey());
        if (!key.Active) throw new ServiceException(Errors.AccessKeyDisabled());
        if (!user.Enabled || account.Status == AccountStatus.Closed) throw new ServiceException(Errors.AccessKeyDisabled());
        var secret = protection.CreateProtector(AccessKeyService.ProtectorPurpose).Unprotect(key.ProtectedSecret);
        return new AccessKeyIdentity(secret, CallerOf(user, account, null, null));
    }

    async Task<AccessKeyIdentity> FindTemporaryKeyAsync(string access, string? securityToken, CancellationToken ct)
    {
        var key = await db.TemporaryAccessKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Access == access, ct) ?? throw new ServiceException(Errors.UnknownAccessKey());
        if (securityToken is null || HashOf(securityToken) != key.TokenHash) throw new ServiceException(Errors.SecurityTokenMismatch());
        var caller = await AuthenticateTokenAsync(securityToken, ct);
        return new AccessKeyIdentity(protection.CreateProtector(AccessKeyService.ProtectorPurpose).Unprotect(key.ProtectedSecret), caller);
    }

    /// <summary>Records that a key was used, at most once a minute per key so signing stays cheap.</summary>
    public async Task TouchAccessKeyAsync(string access, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now.AddMinutes(-1);
        await db.AccessKeys.Where(k => k.Access == access && (k.LastUsedAt == null || k.LastUsedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
    }

    public async Task<Caller> CallerForUserAsync(string userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new ServiceException(Errors.InvalidToken());
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == user.AccountId, ct);
        if (!user.Enabled || account.Status == AccountStatus.Closed) throw new ServiceException(Errors.InvalidToken());
        return CallerOf(user, account, null, null);
    }

    async Task<Project?> ResolveScopeAsync(Account account, TokenScope scope, CancellationToken ct)
    {
        if (scope.ProjectId is not null || scope.ProjectName is not null)
            return await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == account.Id && (p.Id == scope.ProjectId || p.Name == scope.ProjectName), ct)
                   ?? throw new ServiceException(Errors.ProjectNotFound());
        if ((scope.DomainId is not null && scope.DomainId != account.Id) || (scope.DomainName is not null && scope.DomainName != account.Name))
            throw new ServiceException(Errors.DomainNotFound());
        return null;
    }

    // Every authenticated request runs one of these: compiled once (see RatingEngine for why), the credential with its
    // user and account in one round trip.
    sealed record KeyRow(AccessKey Key, IamUser User, Account Account);

    static readonly Func<AppDbContext, string, Task<KeyRow?>> KeyQuery = EF.CompileAsyncQuery((AppDbContext db, string access) =>
        (from k in db.AccessKeys.AsNoTracking()
         join u in db.Users.AsNoTracking() on k.UserId equals u.Id
         join a in db.Accounts.AsNoTracking() on k.AccountId equals a.Id
         where k.Access == access
         select new KeyRow(k, u, a)).FirstOrDefault());

    /// <summary>The token with its account and its user (null when the user was deleted).</summary>
    sealed record TokenRow(IssuedToken Token, Account Account, IamUser? User);

    static readonly Func<AppDbContext, string, Task<TokenRow?>> TokenQuery = EF.CompileAsyncQuery((AppDbContext db, string hash) =>
        (from t in db.Tokens.AsNoTracking()
         join a in db.Accounts.AsNoTracking() on t.AccountId equals a.Id
         join u in db.Users.AsNoTracking() on t.UserId equals u.Id into users
         from u in users.DefaultIfEmpty()
         where t.Hash == hash
         select new TokenRow(t, a, u)).FirstOrDefault());

    internal static Caller CallerOf(IamUser user, Account account, string? agencyId, string? projectId) =>
        new(account.Id, account.Name, user.Id, user.Name, user.IsAccountOwner, account.IsOperator, agencyId, projectId);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{4,63}$")]
    private static partial Regex SessionUserName();

    static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Deletes tokens that expired before <paramref name="before"/>.</summary>
    internal static async Task PurgeExpiredAsync(AppDbContext db, DateTime before, CancellationToken ct)
    {
        await db.TemporaryAccessKeys.Where(k => k.ExpiresAt < before).ExecuteDeleteAsync(ct);
        await db.Tokens.Where(t => t.ExpiresAt < before).ExecuteDeleteAsync(ct);
    }
}
