using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Enterprise;

/// <summary>The IAM actions of Enterprise Center (granted through bss:* policies such as the BSS Administrator role).</summary>
public static class EnterpriseActions
{
    public const string Enable = "bss:enterprise:enable";
    public const string View = "bss:enterprise:view";
    public const string ManageOrganization = "bss:enterprise:manageOrganization";
    public const string ManageMembers = "bss:enterprise:manageMembers";
    /// <summary>A member's (or invitee's) view of its own organization and invitations.</summary>
    public const string ViewMyOrganization = "bss:enterprise:viewMyOrganization";
}

/// <summary>What the caller's account is in Enterprise Center: a master, a member, or neither (and then whether it may enable it).</summary>
public sealed record EnterpriseStanding(EnterpriseMaster? Master, EnterpriseMember? Membership, string? MasterName, string? UnitName, string? WhyNotEligible);

/// <summary>
/// Enabling Enterprise Center: an enterprise account that is no partner and no member of another organization becomes a
/// master with a root unit. Every master-side operation finds its master through <see cref="MasterAsync"/>.
/// </summary>
public sealed class EnterpriseCenter(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public async Task<EnterpriseMaster> EnableAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseActions.Enable, ct);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == caller.AccountId, ct);
        if (await RefusalAsync(account, ct) is { } refusal) throw new ServiceException(refusal);
        var now = clock.GetUtcNow().UtcDateTime;
        var root = new EnterpriseUnit { Id = NewUnitId(), MasterAccountId = account.Id, Name = account.Name, CreatedAt = now };
        var master = new EnterpriseMaster { AccountId = account.Id, RootUnitId = root.Id, EnabledAt = now };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EnterpriseUnits.Add(root);
        db.EnterpriseMasters.Add(master);
        await EnterpriseEvents.AddAsync(db, account.Id, account.Id, "enterprise.enabled", "Enterprise Center enabled",
            $"{account.Name} enabled Enterprise Center: it is now an enterprise master account and can build its organization. It can no longer join a partner program.", now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent request enabled it first (the master row's key).
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.EnterpriseAlreadyMaster());
        }
        await tx.CommitAsync(ct);
        return master;
    }

    /// <summary>The caller's standing; for an account that is neither master nor member, why it may not enable (null: it may).</summary>
    public async Task<EnterpriseStanding> StandingAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseActions.ViewMyOrganization, ct);
        var master = await FindMasterAsync(db, caller.AccountId, ct);
        if (master is not null) return new EnterpriseStanding(master, null, caller.AccountName, null, null);
        var member = await db.EnterpriseMembers.AsNoTracking().SingleOrDefaultAsync(m => m.MemberAccountId == caller.AccountId, ct);
        if (member is not null)
        {
            var masterName = await db.Accounts.Where(a => a.Id == member.MasterAccountId).Select(a => a.Name).SingleAsync(ct);
            var unitName = await db.EnterpriseUnits.Where(u => u.Id == member.UnitId).Select(u => u.Name).SingleOrDefaultAsync(ct);
            return new EnterpriseStanding(null, member, masterName, unitName, null);
        }
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == caller.AccountId, ct);
        return new EnterpriseStanding(null, null, null, null, (await RefusalAsync(account, ct))?.Message);
    }

    /// <summary>
    /// The caller's master record after checking <paramref name="action"/>; a member or any other account gets CBC.0155, or
    /// <paramref name="notMaster"/>'s error where an operation documents its own (the transfers' CBC.7001).
    /// </summary>
    public async Task<EnterpriseMaster> MasterAsync(Caller caller, string action, CancellationToken ct, Func<Error>? notMaster = null)
    {
        await access.RequireAsync(caller, action, ct);
        return await FindMasterAsync(db, caller.AccountId, ct) ?? throw new ServiceException((notMaster ?? Errors.NotAnEnterpriseMaster)());
    }

    /// <summary>The one "is this account a master" lookup: its master record, or null.</summary>
    public static Task<EnterpriseMaster?> FindMasterAsync(AppDbContext db, string accountId, CancellationToken ct) =>
        db.EnterpriseMasters.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == accountId, ct);

    public static async Task<bool> IsMasterAsync(AppDbContext db, string accountId, CancellationToken ct) => await FindMasterAsync(db, accountId, ct) is not null;

    async Task<Error?> RefusalAsync(Account account, CancellationToken ct)
    {
        if (await IsMasterAsync(db, account.Id, ct)) return Errors.EnterpriseAlreadyMaster();
        if (account.Type != AccountType.Enterprise) return Errors.EnterpriseIndividualAccount();
        if (account.IsOperator || await IsPartnerOrApplyingAsync(db, account.Id, ct)) return Errors.EnterprisePartnerAccount();
        if (await db.EnterpriseMembers.AnyAsync(m => m.MemberAccountId == account.Id, ct)) return Errors.EnterpriseMemberElsewhere();
        return null;
    }

    /// <summary>Enrolled in any partner program, or with an application waiting for a decision.</summary>
    internal static async Task<bool> IsPartnerOrApplyingAsync(AppDbContext db, string accountId, CancellationToken ct) =>
        await db.Partners.AnyAsync(p => p.AccountId == accountId, ct)
        || await db.PartnerApplications.AnyAsync(a => a.AccountId == accountId && a.Status == Partners.ApplicationStatus.Pending, ct);

    /// <summary>A unit id: 12 digits, since parent_id and org_id are documented as digits only (at most 20).</summary>
    internal static string NewUnitId() => RandomNumberGenerator.GetInt32(1, 10).ToString() + RandomNumberGenerator.GetString("0123456789", 11);
}
