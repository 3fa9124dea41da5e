using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>User groups of an account and their members.</summary>
public sealed class GroupService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public async Task<IamGroup> CreateAsync(Caller caller, string? name, string? description, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CreateGroup, ct);
        var group = new IamGroup
        {
            Id = Ids.New(), AccountId = caller.AccountId, Name = Check.Name(name, "group.name"),
            Description = Check.MaxLength(description, "group.description", 255), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        if (await db.Groups.AnyAsync(g => g.AccountId == caller.AccountId && g.Name == group.Name, ct))
            throw new ServiceException(Errors.NameTaken("group"));
        db.Groups.Add(group);
        await db.SaveChangesAsync(ct);
        return group;
    }

    public async Task<List<IamGroup>> ListAsync(Caller caller, string? name, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListGroups, ct);
        var q = db.Groups.AsNoTracking().Where(g => g.AccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(g => g.Name == name);
        return await q.OrderBy(g => g.Name).ToListAsync(ct);
    }

    public async Task<IamGroup> GetAsync(Caller caller, string groupId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GetGroup, ct);
        return await FindAsync(caller.AccountId, groupId, ct);
    }

    public async Task<IamGroup> UpdateAsync(Caller caller, string groupId, string? name, string? description, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateGroup, ct);
        var group = await FindAsync(caller.AccountId, groupId, ct);
        if (name is not null && name != group.Name)
        {
            if (group.Name == AdminGroupName) throw Check.Invalid("The admin group cannot be renamed.");
            Check.Name(name, "group.name");
            if (await db.Groups.AnyAsync(g => g.AccountId == caller.AccountId && g.Name == name, ct))
                throw new ServiceException(Errors.NameTaken("group"));
            group.Name = name;
        }
        if (description is not null) group.Description = Check.MaxLength(description, "group.description", 255);
        await db.SaveChangesAsync(ct);
        return group;
    }

    public async Task DeleteAsync(Caller caller, string groupId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.DeleteGroup, ct);
        var group = await FindAsync(caller.AccountId, groupId, ct);
        if (group.Name == AdminGroupName) throw Check.Invalid("The admin group cannot be deleted.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.GroupMembers.Where(m => m.AccountId == caller.AccountId && m.GroupId == groupId).ExecuteDeleteAsync(ct);
        await db.GroupRoles.Where(m => m.AccountId == caller.AccountId && m.GroupId == groupId).ExecuteDeleteAsync(ct);
        db.Groups.Remove(group);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task AddUserAsync(Caller caller, string groupId, string userId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.AddUserToGroup, ct);
        await FindAsync(caller.AccountId, groupId, ct);
        if (!await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Id == userId, ct)) throw new ServiceException(Errors.UserNotFound());
        if (await db.GroupMembers.AnyAsync(m => m.AccountId == caller.AccountId && m.GroupId == groupId && m.UserId == userId, ct)) return;
        db.GroupMembers.Add(new GroupMember { AccountId = caller.AccountId, GroupId = groupId, UserId = userId });
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveUserAsync(Caller caller, string groupId, string userId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.RemoveUserFromGroup, ct);
        await FindAsync(caller.AccountId, groupId, ct);
        var removed = await db.GroupMembers.Where(m => m.AccountId == caller.AccountId && m.GroupId == groupId && m.UserId == userId).ExecuteDeleteAsync(ct);
        if (removed == 0) throw new ServiceException(Errors.UserNotFound());
    }

    public async Task<bool> ContainsUserAsync(Caller caller, string groupId, string userId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CheckUserInGroup, ct);
        await FindAsync(caller.AccountId, groupId, ct);
        return await db.GroupMembers.AnyAsync(m => m.AccountId == caller.AccountId && m.GroupId == groupId && m.UserId == userId, ct);
    }

    public async Task<List<IamUser>> ListUsersAsync(Caller caller, string groupId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListUsersForGroup, ct);
        await FindAsync(caller.AccountId, groupId, ct);
        return await db.Users.AsNoTracking()
            .Where(u => u.AccountId == caller.AccountId && db.GroupMembers.Any(m => m.AccountId == caller.AccountId && m.GroupId == groupId && m.UserId == u.Id))
            .OrderBy(u => u.Name).ToListAsync(ct);
    }

    public async Task<List<IamGroup>> ListForUserAsync(Caller caller, string userId, CancellationToken ct = default)
    {
        if (userId != caller.UserId || caller.IsDelegated) await access.RequireAsync(caller, IamActions.ListGroupsForUser, ct);
        if (!await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Id == userId, ct)) throw new ServiceException(Errors.UserNotFound());
        return await db.Groups.AsNoTracking()
            .Where(g => g.AccountId == caller.AccountId && db.GroupMembers.Any(m => m.AccountId == caller.AccountId && m.GroupId == g.Id && m.UserId == userId))
            .OrderBy(g => g.Name).ToListAsync(ct);
    }

    /// <summary>Every account is created with this group, granted the admin role, holding its owner.</summary>
    public const string AdminGroupName = "admin";

    internal async Task<IamGroup> FindAsync(string accountId, string groupId, CancellationToken ct) =>
        await db.Groups.SingleOrDefaultAsync(g => g.AccountId == accountId && g.Id == groupId, ct)
        ?? throw new ServiceException(Errors.GroupNotFound());
}
