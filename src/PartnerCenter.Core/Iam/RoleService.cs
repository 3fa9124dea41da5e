using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

public sealed record CustomPolicyInput(string? DisplayName, string? Type, string? Description, JsonNode? Policy, string? DescriptionCn = null);

/// <summary>KeystoneListPermissions' filters and page (page and per_page go together).</summary>
public sealed record PermissionQuery(
    string? DomainId = null, string? Name = null, string? DisplayName = null, string? PermissionType = null, string? Type = null,
    string? Catalog = null, int? Page = null, int? PerPage = null);

/// <summary>System roles, the account's custom policies, and their grants to groups on the account.</summary>
public sealed class RoleService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public const int MaxCustomPolicies = 200;

    /// <summary>
    /// KeystoneListPermissions: the system roles and policies, or with <see cref="PermissionQuery.DomainId"/> (the caller's
    /// own account) its custom policies; filtered, then one page of them with the count of all that matched.
    /// </summary>
    public async Task<(List<IamRole> Page, int Total)> ListAsync(Caller caller, PermissionQuery query, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListRoles, ct);
        var custom = !string.IsNullOrEmpty(query.DomainId);
        if (custom && query.DomainId != caller.AccountId) throw Check.Invalid("domain_id must be the caller's own account.");
        var displayTypes = query.Type switch
        {
            null or "" => null,
            "domain" => new[] { "AA", "AX" },
            "project" => ["AA", "XA"],
            "all" => ["AA", "AX", "XA"],
            _ => throw Check.Invalid("type must be domain, project or all."),
        };
        bool? policies = custom ? null : query.PermissionType switch
        {
            null or "" => null,
            "policy" => true,
            "role" => false,
            _ => throw Check.Invalid("permission_type must be policy or role."),
        };
        var (skip, take) = Paging.Of(query.Page, query.PerPage, 300);
        var q = db.Roles.AsNoTracking().Where(r => custom ? r.AccountId == caller.AccountId : r.AccountId == null);
        if (!string.IsNullOrEmpty(query.Name)) q = q.Where(r => r.Name == query.Name);
        if (!string.IsNullOrEmpty(query.Catalog)) q = q.Where(r => r.Catalog == query.Catalog);
        if (displayTypes is not null) q = q.Where(r => displayTypes.Contains(r.Type));
        // A few hundred at most (system roles and one account's custom policies): the rest is filtered in memory, the same on both databases.
        var matched = (await q.ToListAsync(ct))
            .Where(r => string.IsNullOrEmpty(query.DisplayName) || r.DisplayName.Contains(query.DisplayName, StringComparison.OrdinalIgnoreCase))
            .Where(r => policies is not { } p || (SystemRoles.ById.TryGetValue(r.Id, out var d) && d.IsPolicy == p))
            .OrderBy(r => r.AccountId is null ? r.Name : "").ThenBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        return (matched.Skip(skip).Take(take).ToList(), matched.Count);
    }

    /// <summary>Everything the caller may grant: the system roles and policies and its account's custom policies.</summary>
    public async Task<List<IamRole>> ListGrantableAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListRoles, ct);
        return await db.Roles.AsNoTracking().Where(r => r.AccountId == null || r.AccountId == caller.AccountId)
            .OrderBy(r => r.AccountId).ThenBy(r => r.Name).ToListAsync(ct);
    }

    /// <summary>ListCustomPolicies: one page of the caller's custom policies, oldest first, with their count.</summary>
    public Task<(List<IamRole> Page, int Total)> ListCustomAsync(Caller caller, int? page, int? perPage, CancellationToken ct = default) =>
        ListAsync(caller, new PermissionQuery(DomainId: caller.AccountId, Page: page, PerPage: perPage), ct);

    /// <summary>How many grants (to groups and agencies) use this policy.</summary>
    public async Task<int> ReferencesAsync(Caller caller, string roleId, CancellationToken ct = default) =>
        await db.GroupRoles.CountAsync(g => g.AccountId == caller.AccountId && g.RoleId == roleId, ct)
        + await db.AgencyRoles.CountAsync(g => g.AccountId == caller.AccountId && g.RoleId == roleId, ct);

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
        var policy = CustomPolicyDocument(input.Policy);
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
            DescriptionCn = string.IsNullOrEmpty(input.DescriptionCn) ? null : Check.MaxLength(input.DescriptionCn, "role.description_cn", 1000),
            PolicyJson = PolicyDocument.Canonical(input.Policy!), CreatedAt = now, UpdatedAt = now,
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
        if (input.DescriptionCn is not null) role.DescriptionCn = input.DescriptionCn == "" ? null : Check.MaxLength(input.DescriptionCn, "role.description_cn", 1000);
        if (input.Policy is not null)
        {
            CustomPolicyDocument(input.Policy);
            role.PolicyJson = PolicyDocument.Canonical(input.Policy);
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

    /// <summary>
    /// A custom policy is what the SDK's policy model can carry: statements with Action (no NotAction), Resource a list of
    /// strings, Condition operator → key → list of strings.
    /// </summary>
    static PolicyDocument CustomPolicyDocument(JsonNode? node)
    {
        var policy = PolicyDocument.Parse(node);
        if (policy.Statements.Any(s => s.NotActions.Count > 0)) throw Check.Invalid("Invalid policy: custom policies name their actions in Action (NotAction is not supported).");
        foreach (var statement in node!["Statement"]!.AsArray().OfType<JsonObject>())
        {
            if (statement["Resource"] is JsonArray resources && resources.Any(r => r is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
                throw Check.Invalid("Invalid policy: Statement.Resource must be an array of strings.");
            if (statement["Condition"] is JsonObject condition && condition.Any(op => op.Value is not JsonObject keys
                    || keys.Any(k => k.Value is not JsonArray values || values.Any(v => v is not JsonValue sv || sv.GetValueKind() != System.Text.Json.JsonValueKind.String))))
                throw Check.Invalid("Invalid policy: Statement.Condition must map each operator to keys with arrays of strings.");
        }
        return policy;
    }

    static string TypeOf(string? type) => type is "AX" or "XA" ? type : throw Check.Invalid("role.type must be AX (global services) or XA (project-level services).");

    /// <summary>Creates or refreshes the system roles; run at start.</summary>
    public static async Task SeedSystemRolesAsync(AppDbContext db, DateTime now, CancellationToken ct = default)
    {
        var existing = await db.Roles.Where(r => r.AccountId == null).ToDictionaryAsync(r => r.Id, ct);
        foreach (var d in SystemRoles.All)
        {
            if (existing.TryGetValue(d.Id, out var role))
            {
                if (role.PolicyJson == d.PolicyJson && role.Description == d.Description && role.DescriptionCn == d.DescriptionCn) continue;
                role.PolicyJson = d.PolicyJson;
                role.Description = d.Description;
                role.DescriptionCn = d.DescriptionCn;
                role.UpdatedAt = now;
            }
            else
            {
                db.Roles.Add(new IamRole
                {
                    Id = d.Id, AccountId = null, Name = d.Name, DisplayName = d.DisplayName, Type = d.Type, Catalog = "BASE",
                    Description = d.Description, DescriptionCn = d.DescriptionCn, PolicyJson = d.PolicyJson, CreatedAt = now, UpdatedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
