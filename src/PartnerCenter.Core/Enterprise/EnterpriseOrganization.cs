using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Enterprise;

/// <summary>A unit with the units under it (all of them for a recursive listing, none past the first level otherwise).</summary>
public sealed record UnitNode(EnterpriseUnit Unit, IReadOnlyList<UnitNode> Children);

/// <summary>ListEnterpriseOrganizations' answer: the root only when listing from it, and the nodes below the start.</summary>
public sealed record OrganizationListing(EnterpriseUnit? Root, IReadOnlyList<UnitNode> Nodes);

/// <summary>
/// A master's organization: a tree of units under its root. Units are created, renamed, moved (within the same tree,
/// never under themselves) and deleted when nothing is left under them; the root stays.
/// </summary>
public sealed class EnterpriseOrganization(AppDbContext db, EnterpriseCenter center, TimeProvider clock)
{
    public async Task<EnterpriseUnit> CreateUnitAsync(Caller caller, string? parentId, string? name, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageOrganization, ct);
        var unitName = UnitName(name);
        var parent = string.IsNullOrEmpty(parentId) ? master.RootUnitId : (await UnitAsync(master, parentId, "parent_id", ct)).Id;
        await RequireFreeNameAsync(master, parent, unitName, null, ct);
        var unit = new EnterpriseUnit { Id = EnterpriseCenter.NewUnitId(), MasterAccountId = master.AccountId, ParentId = parent, Name = unitName, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.EnterpriseUnits.Add(unit);
        await db.SaveChangesAsync(ct);
        return unit;
    }

    public async Task<EnterpriseUnit> RenameUnitAsync(Caller caller, string unitId, string? name, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageOrganization, ct);
        var unitName = UnitName(name);
        var unit = await UnitAsync(master, unitId, "unit_id", ct, track: true);
        if (unit.ParentId is not null) await RequireFreeNameAsync(master, unit.ParentId, unitName, unit.Id, ct);
        unit.Name = unitName;
        await db.SaveChangesAsync(ct);
        return unit;
    }

    /// <summary>Moves a unit (with everything under it) below another unit of the same organization.</summary>
    public async Task<EnterpriseUnit> MoveUnitAsync(Caller caller, string unitId, string? parentId, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageOrganization, ct);
        var unit = await UnitAsync(master, unitId, "unit_id", ct, track: true);
        if (unit.ParentId is null) throw new ServiceException(Errors.EnterpriseRootUnit("moved"));
        var parent = await UnitAsync(master, Check.Required(parentId, "parent_id"), "parent_id", ct);
        var parents = await ParentsAsync(master, ct);
        // Walking up from the new parent must never meet the unit: that would hang the unit under itself.
        for (var at = parent.Id; at is not null; at = parents.GetValueOrDefault(at))
            if (at == unit.Id) throw new ServiceException(Errors.EnterpriseUnitCycle());
        await RequireFreeNameAsync(master, parent.Id, unit.Name, unit.Id, ct);
        unit.ParentId = parent.Id;
        await db.SaveChangesAsync(ct);
        return unit;
    }

    public async Task DeleteUnitAsync(Caller caller, string unitId, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageOrganization, ct);
        var unit = await UnitAsync(master, unitId, "unit_id", ct, track: true);
        if (unit.ParentId is null) throw new ServiceException(Errors.EnterpriseRootUnit("deleted"));
        if (await db.EnterpriseUnits.AnyAsync(u => u.MasterAccountId == master.AccountId && u.ParentId == unit.Id, ct)
            || await db.EnterpriseMembers.AnyAsync(m => m.MasterAccountId == master.AccountId && m.UnitId == unit.Id, ct)
            || await db.EnterpriseInvitations.AnyAsync(i => i.MasterAccountId == master.AccountId && i.UnitId == unit.Id && i.Status == InvitationStatus.Pending
                                                            && i.ExpiresAt > clock.GetUtcNow().UtcDateTime, ct))
            throw new ServiceException(Errors.EnterpriseUnitNotEmpty());
        db.EnterpriseUnits.Remove(unit);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// ListEnterpriseOrganizations: the units under <paramref name="parentId"/> (empty: the root), direct children only
    /// unless <paramref name="recursive"/>. The root is named only when listing from it, as documented.
    /// </summary>
    public async Task<OrganizationListing> ListAsync(Caller caller, string? parentId, int? recursive, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.View, ct);
        if (recursive is not (null or 0 or 1)) throw Check.Invalid("recursive_query must be 0 or 1.");
        if (!string.IsNullOrEmpty(parentId) && (parentId.Length > 20 || !parentId.All(char.IsAsciiDigit))) throw Check.Invalid("parent_id must be digits only (at most 20).");
        var units = await db.EnterpriseUnits.AsNoTracking().Where(u => u.MasterAccountId == master.AccountId).ToListAsync(ct);
        var start = string.IsNullOrEmpty(parentId) ? master.RootUnitId : parentId;
        if (units.All(u => u.Id != start)) throw new ServiceException(Errors.EnterpriseUnitNotFound("parent_id"));
        var children = units.ToLookup(u => u.ParentId);
        IReadOnlyList<UnitNode> Below(string id, bool deeper) =>
            children[id].OrderBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.Id).Select(u => new UnitNode(u, deeper ? Below(u.Id, true) : [])).ToList();
        var root = string.IsNullOrEmpty(parentId) ? units.Single(u => u.Id == master.RootUnitId) : null;
        return new OrganizationListing(root, Below(start, recursive == 1));
    }

    /// <summary>Every unit of the caller's organization with its depth, in tree order (for the console's tree and pickers).</summary>
    public async Task<List<(EnterpriseUnit Unit, int Depth)>> TreeAsync(Caller caller, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.View, ct);
        var units = await db.EnterpriseUnits.AsNoTracking().Where(u => u.MasterAccountId == master.AccountId).ToListAsync(ct);
        var children = units.ToLookup(u => u.ParentId);
        var ordered = new List<(EnterpriseUnit, int)>();
        void Walk(EnterpriseUnit u, int depth)
        {
            ordered.Add((u, depth));
            foreach (var c in children[u.Id].OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id)) Walk(c, depth + 1);
        }
        Walk(units.Single(u => u.Id == master.RootUnitId), 0);
        return ordered;
    }

    /// <summary>A unit of this master's organization; another master's unit is not found, like one that never existed.</summary>
    internal async Task<EnterpriseUnit> UnitAsync(EnterpriseMaster master, string? unitId, string field, CancellationToken ct, bool track = false)
    {
        var id = Check.Required(unitId, field);
        if (id.Length > 20 || !id.All(char.IsAsciiDigit)) throw Check.Invalid($"{field} must be digits only (at most 20).");
        var q = track ? db.EnterpriseUnits : db.EnterpriseUnits.AsNoTracking();
        return await q.SingleOrDefaultAsync(u => u.Id == id && u.MasterAccountId == master.AccountId, ct)
               ?? throw new ServiceException(Errors.EnterpriseUnitNotFound(field));
    }

    async Task<Dictionary<string, string?>> ParentsAsync(EnterpriseMaster master, CancellationToken ct) =>
        await db.EnterpriseUnits.AsNoTracking().Where(u => u.MasterAccountId == master.AccountId).ToDictionaryAsync(u => u.Id, u => u.ParentId, ct);

    async Task RequireFreeNameAsync(EnterpriseMaster master, string parentId, string name, string? except, CancellationToken ct)
    {
        if (await db.EnterpriseUnits.AnyAsync(u => u.MasterAccountId == master.AccountId && u.ParentId == parentId && u.Name == name && u.Id != except, ct))
            throw new ServiceException(Errors.EnterpriseUnitNameTaken());
    }

    static string UnitName(string? name)
    {
        var trimmed = Check.Required(name, "name").Trim();
        if (trimmed.Length > 64 || trimmed.Any(char.IsControl)) throw Check.Invalid("name must be 1 to 64 characters, without control characters.");
        return trimmed;
    }
}
