using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

public sealed record CustomPolicyInput(string? DisplayName, string? Type, string? Description, JsonNode? Policy);

/// <summary>System roles, the account's custom policies, and their grants to groups on the account.</summary>
public sealed class RoleService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public const int MaxCustomPolicies = 200;

    /// <summary>System roles and policies, and the caller's custom ones.</summary>
    public async Task<List<IamRole>> ListAsync(Caller caller, string? name, bool customOnly, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListRoles, ct);
        var q = db.Roles.AsNoTracking().Where(r => customOnly ? r.AccountId == caller.AccountId : r.AccountId == null || r.AccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(r => r.Name == name || r.DisplayName == name);
        return await q.OrderBy(r => r.AccountId).ThenBy(r => r.Name).ToListAsync(ct);
    }

    public async Task<IamRole> GetAsync(Caller caller, string roleId, bool customOnly, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GetRole, ct);
        var role = await FindVisibleAsync(caller.AccountId, roleId, ct);
        return customOnly && role.AccountId is null ? throw new ServiceException(Errors.RoleNotFound()) : role;
    }

    public async Task<IamRole> CreateCustomAsync(Caller caller, CustomPolicyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CreateRole, ct);
        var displayName = Check.Required(input.DisplayName, "role.display_name");
        if (displayName.Length > 128) throw Check.Invalid("role.display_name is at most 128 characters.");
        var type = TypeOf(input.Type);
        var policy = PolicyDocument.Parse(input.Policy);
        if (policy.Version != "1.1") throw Check.Invalid("Custom policies use policy Version \"1.1\".");
        if (await db.Roles.CountAsync(r => r.AccountId == caller.AccountId, ct) >= MaxCustomPolicies)
            throw Check.Invalid($"An account can have at most {MaxCustomPolicies} custom policies.");
        if (await db.Roles.AnyAsync(r => r.AccountId == caller.AccountId && r.DisplayName == displayName, ct))
            throw new ServiceException(Errors.NameTaken("policy"));
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var role = new IamRole
        {
            Id = id, AccountId = caller.AccountId, Name = "custom_" + caller.AccountId[..8] + "_" + id[..8], DisplayName = displayName,
            Type = type, Catalog = "CUSTOMED", Description = Check.MaxLength(input.Description, "role.description", 1000),
            PolicyJson = input.Policy!.ToJsonString(), CreatedAt = now, UpdatedAt = now,
        };
        db.Roles.Add(role);
        await db.SaveChangesAsync(ct);
        return role;
    }

    public async Task<IamRole> UpdateCustomAsync(Caller caller, string roleId, CustomPolicyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateRole, ct);
        var role = await FindCustomAsync(caller.AccountId, roleId, ct);
        if (input.DisplayName is not null && input.DisplayName != role.DisplayName)
        {
            if (await db.Roles.AnyAsync(r => r.AccountId == caller.AccountId && r.DisplayName == input.DisplayName, ct))
                throw new ServiceException(Errors.NameTaken("policy"));
            role.DisplayName = Check.Required(input.DisplayName, "role.display_name");
        }
        if (input.Type is not null) role.Type = TypeOf(input.Type);
        if (input.Description is not null) role.Description = Check.MaxLength(input.Description, "role.description", 1000);
        if (input.Policy is not null)
        {
            PolicyDocument.Parse(input.Policy);
            role.PolicyJson = input.Policy.ToJsonString();
        }
        role.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return role;
    }

    public async Task DeleteCustomAsync(Caller caller, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.DeleteRole, ct);
        var role = await FindCustomAsync(caller.AccountId, roleId, ct);
        if (await db.GroupRoles.AnyAsync(g => g.AccountId == caller.AccountId && g.RoleId == roleId, ct)
            || await db.AgencyRoles.AnyAsync(g => g.AccountId == caller.AccountId && g.RoleId == roleId, ct))
            throw new ServiceException(Errors.PolicyInUse());
        db.Roles.Remove(role);
        await db.SaveChangesAsync(ct);
    }

    public async Task GrantToGroupAsync(Caller caller, string domainId, string groupId, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GrantRole, ct);
        await RequireGroupAsync(caller, domainId, groupId, ct);
        await FindVisibleAsync(caller.AccountId, roleId, ct);
        if (await db.GroupRoles.AnyAsync(g => g.AccountId == caller.AccountId && g.GroupId == groupId && g.RoleId == roleId, ct)) return;
        db.GroupRoles.Add(new GroupRole { AccountId = caller.AccountId, GroupId = groupId, RoleId = roleId });
        await db.SaveChangesAsync(ct);
    }

    public async Task RevokeFromGroupAsync(Caller caller, string domainId, string groupId, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.RevokeRole, ct);
        await RequireGroupAsync(caller, domainId, groupId, ct);
        var removed = await db.GroupRoles.Where(g => g.AccountId == caller.AccountId && g.GroupId == groupId && g.RoleId == roleId).ExecuteDeleteAsync(ct);
        if (removed == 0) throw new ServiceException(Errors.RoleNotFound());
    }

    public async Task<List<IamRole>> ListForGroupAsync(Caller caller, string domainId, string groupId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListGroupRoles, ct);
        await RequireGroupAsync(caller, domainId, groupId, ct);
        return await db.Roles.AsNoTracking()
            .Where(r => db.GroupRoles.Any(g => g.AccountId == caller.AccountId && g.GroupId == groupId && g.RoleId == r.Id))
            .OrderBy(r => r.Name).ToListAsync(ct);
    }

    public async Task<bool> IsGrantedToGroupAsync(Caller caller, string domainId, string groupId, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CheckGroupRole, ct);
        await RequireGroupAsync(caller, domainId, groupId, ct);
        return await db.GroupRoles.AnyAsync(g => g.AccountId == caller.AccountId && g.GroupId == groupId && g.RoleId == roleId, ct);
    }

    async Task RequireGroupAsync(Caller caller, string domainId, string groupId, CancellationToken ct)
    {
        // A domain id in the path other than the caller's own is answered like an unknown group: no hint that it exists.
        if (domainId != caller.AccountId || !await db.Groups.AnyAsync(g => g.AccountId == caller.AccountId && g.Id == groupId, ct))
            throw new ServiceException(Errors.GroupNotFound());
    }

    internal async Task<IamRole> FindVisibleAsync(string accountId, string roleId, CancellationToken ct) =>
        await db.Roles.SingleOrDefaultAsync(r => r.Id == roleId && (r.AccountId == null || r.AccountId == accountId), ct)
        ?? throw new ServiceException(Errors.RoleNotFound());

    async Task<IamRole> FindCustomAsync(string accountId, string roleId, CancellationToken ct) =>
        await db.Roles.SingleOrDefaultAsync(r => r.Id == roleId && r.AccountId == accountId, ct)
        ?? throw new ServiceException(Errors.RoleNotFound());

    static string TypeOf(string? type) => type is "AX" or "XA" ? type : throw Check.Invalid("role.type must be AX (global services) or XA (project-level services).");

    /// <summary>Creates or refreshes the system roles; run at start.</summary>
    public static async Task SeedSystemRolesAsync(AppDbContext db, DateTime now, CancellationToken ct = default)
    {
        var existing = await db.Roles.Where(r => r.AccountId == null).ToDictionaryAsync(r => r.Id, ct);
        foreach (var d in SystemRoles.All)
        {
            if (existing.TryGetValue(d.Id, out var role))
            {
                if (role.PolicyJson == d.PolicyJson && role.Description == d.Description) continue;
                role.PolicyJson = d.PolicyJson;
                role.Description = d.Description;
                role.UpdatedAt = now;
            }
            else
            {
                db.Roles.Add(new IamRole
                {
                    Id = d.Id, AccountId = null, Name = d.Name, DisplayName = d.DisplayName, Type = d.Type, Catalog = "BASE",
                    Description = d.Description, PolicyJson = d.PolicyJson, CreatedAt = now, UpdatedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
