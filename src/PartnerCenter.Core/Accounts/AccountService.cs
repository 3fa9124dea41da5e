using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Accounts;

public sealed record Registration(string? Name, string? Password, string? Email, string? Mobile, string? Type, string? Country);

public sealed record AccountDetailsInput(string? Email, string? Mobile);

/// <summary>
/// A reason an account cannot be closed yet. Each capability that can hold an account back (money owed, resources held,
/// a partner association) registers one.
/// </summary>
public interface IAccountClosureCheck
{
    Task<string?> ReasonToKeepOpenAsync(string accountId, CancellationToken ct);
}

/// <summary>Accounts: registration, details, password, closing.</summary>
public sealed partial class AccountService(AppDbContext db, Passwords passwords, UserService users, IEnumerable<IAccountClosureCheck> closureChecks, TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{4,31}$")]
    private static partial Regex AccountName();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    public async Task<Account> RegisterAsync(Registration r, CancellationToken ct = default) => await CreateAsync(r, isOperator: false, ct);

    /// <summary>Validates a registration and creates the account.</summary>
    internal async Task<Account> CreateAsync(Registration r, bool isOperator, CancellationToken ct)
    {
        var name = Check.Required(r.Name, "name");
        if (!AccountName().IsMatch(name)) throw Check.Invalid("name must be 5 to 32 letters, digits, hyphens or underscores, starting with a letter.");
        var email = Check.Email(r.Email);
        var mobile = Check.Mobile(r.Mobile);
        if (email is null && mobile is null) throw Check.Invalid("An email address or a mobile number is required.");
        var type = r.Type?.ToLowerInvariant() switch
        {
            null or "" or "individual" => AccountType.Individual,
            "enterprise" => AccountType.Enterprise,
            _ => throw Check.Invalid("type must be individual or enterprise."),
        };
        var country = (r.Country ?? "").ToUpperInvariant();
        if (!CountryCode().IsMatch(country)) throw Check.Invalid("country must be a two-letter ISO 3166 code.");
        Passwords.Check(new SecurityPolicy { AccountId = "" }, r.Password, name);
        return await CreateValidatedAsync(name, r.Password, email, mobile, type, country, isOperator, ct);
    }

    /// <summary>
    /// Creates an account whose fields are already valid: its owner user, default policies, the admin group and its
    /// region projects, in one unit of work. A null password makes an owner that cannot sign in with a password
    /// (a partner-created customer that signs in through the partner's single sign-on).
    /// </summary>
    internal async Task<Account> CreateValidatedAsync(string name, string? password, string? email, string? mobile, AccountType type, string country, bool isOperator, CancellationToken ct, bool save = true)
    {
        if (await db.Accounts.AnyAsync(a => a.Name == name, ct)) throw new ServiceException(Errors.AccountNameTaken());
        if (email is not null && await db.Accounts.AnyAsync(a => a.Email == email, ct)) throw new ServiceException(Errors.EmailTaken());
        if (mobile is not null && await db.Accounts.AnyAsync(a => a.Mobile == mobile, ct)) throw new ServiceException(Errors.MobileTaken());

        var id = Ids.New();
        var now = clock.GetUtcNow().UtcDateTime;
        var account = new Account { Id = id, Name = name, Email = email, Mobile = mobile, Type = type, Country = country, IsOperator = isOperator, CreatedAt = now };
        var owner = new IamUser { Id = Ids.New(), AccountId = id, Name = name, PasswordHash = "", Email = email, IsAccountOwner = true, CreatedAt = now, PasswordChangedAt = now };
        if (password is not null) owner.PasswordHash = passwords.Hash(owner, password);
        var admins = new IamGroup { Id = Ids.New(), AccountId = id, Name = GroupService.AdminGroupName, Description = "Administrators: full permissions in the account.", CreatedAt = now };
        db.Accounts.Add(account);
        db.Users.Add(owner);
        db.SecurityPolicies.Add(new SecurityPolicy { AccountId = id });
        db.Groups.Add(admins);
        db.GroupMembers.Add(new GroupMember { AccountId = id, GroupId = admins.Id, UserId = owner.Id });
        db.GroupRoles.Add(new GroupRole { AccountId = id, GroupId = admins.Id, RoleId = SystemRoles.Admin.Id });
        foreach (var region in ProjectService.Regions)
            db.Projects.Add(new Project { Id = Ids.New(), AccountId = id, Name = region, Description = region });
        if (!save) return account;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent registration took the name, email or mobile between the checks and the insert.
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.AccountNameTaken());
        }
        return account;
    }

    public async Task<Account> GetAsync(Caller caller, CancellationToken ct = default) =>
        await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == caller.AccountId, ct) ?? throw new ServiceException(Errors.DomainNotFound());

    public async Task<Account> UpdateDetailsAsync(Caller caller, AccountDetailsInput input, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var account = await db.Accounts.SingleAsync(a => a.Id == caller.AccountId, ct);
        if (input.Email is not null)
        {
            var email = Check.Email(input.Email);
            if (email is not null && await db.Accounts.AnyAsync(a => a.Email == email && a.Id != account.Id, ct)) throw new ServiceException(Errors.EmailTaken());
            account.Email = email;
        }
        if (input.Mobile is not null)
        {
            var mobile = Check.Mobile(input.Mobile);
            if (mobile is not null && await db.Accounts.AnyAsync(a => a.Mobile == mobile && a.Id != account.Id, ct)) throw new ServiceException(Errors.MobileTaken());
            account.Mobile = mobile;
        }
        if (account.Email is null && account.Mobile is null) throw Check.Invalid("An account keeps an email address or a mobile number.");
        await db.SaveChangesAsync(ct);
        return account;
    }

    public async Task ChangePasswordAsync(Caller caller, string? currentPassword, string? newPassword, CancellationToken ct = default) =>
        await users.ChangeOwnPasswordAsync(caller, caller.UserId, currentPassword, newPassword, ct);

    /// <summary>Closes the account for good: refused while any capability holds it open; its tokens and keys stop working.</summary>
    public async Task CloseAsync(Caller caller, string? password, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var owner = await db.Users.SingleAsync(u => u.Id == caller.UserId, ct);
        if (password is null || !passwords.Verify(owner, password)) throw new ServiceException(Errors.WrongCredentials());
        var account = await db.Accounts.SingleAsync(a => a.Id == caller.AccountId, ct);
        if (account.IsOperator) throw new ServiceException(Errors.CannotClose("the platform operator's account cannot be closed."));
        foreach (var check in closureChecks)
            if (await check.ReasonToKeepOpenAsync(account.Id, ct) is { } reason)
                throw new ServiceException(Errors.CannotClose(reason));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        account.Status = AccountStatus.Closed;
        account.ClosedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await db.Tokens.Where(t => t.AccountId == account.Id || t.UserAccountId == account.Id).ExecuteDeleteAsync(ct);
        await db.AccessKeys.Where(k => k.AccountId == account.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Active, false), ct);
        await tx.CommitAsync(ct);
    }

    static void RequireOwner(Caller caller)
    {
        if (!caller.IsAccountOwner || caller.IsDelegated)
            throw new ServiceException(Errors.OwnerOnly());
    }
}
