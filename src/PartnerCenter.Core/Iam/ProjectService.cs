using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>Region projects. Every account gets one per region of the cloud when it is created.</summary>
public sealed class ProjectService(AppDbContext db, AccessControl access)
{
    /// <summary>The regions of this cloud, as Huawei Cloud's international site names them.</summary>
    public static readonly IReadOnlyList<string> Regions = ["ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "af-south-1", "la-south-2"];

    /// <summary>The account's projects, by name, parent (the account: projects sit directly under it) and enabled state.</summary>
    public async Task<List<Project>> ListAsync(Caller caller, string? name, string? parentId = null, bool? enabled = null, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListProjects, ct);
        if (parentId is not null && parentId != caller.AccountId) return [];
        var q = db.Projects.AsNoTracking().Where(p => p.AccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(p => p.Name == name);
        if (enabled is { } e) q = q.Where(p => p.Enabled == e);
        return await q.OrderBy(p => p.Name).ToListAsync(ct);
    }

    /// <summary>The projects the caller's own credential may scope a token to: its account's (no permission needed).</summary>
    public Task<List<Project>> ListScopableAsync(Caller caller, CancellationToken ct = default) =>
        db.Projects.AsNoTracking().Where(p => p.AccountId == caller.AccountId).OrderBy(p => p.Name).ToListAsync(ct);

    /// <summary>The projects a user may work in: all of its account's (permissions are granted on the whole account).</summary>
    public async Task<List<Project>> ListForUserAsync(Caller caller, string userId, CancellationToken ct = default)
    {
        if (userId != caller.UserId || caller.IsDelegated) await access.RequireAsync(caller, IamActions.ListProjects, ct);
        if (!await db.Users.AnyAsync(u => u.AccountId == caller.AccountId && u.Id == userId, ct)) throw new ServiceException(Errors.UserNotFound());
        return await db.Projects.AsNoTracking().Where(p => p.AccountId == caller.AccountId).OrderBy(p => p.Name).ToListAsync(ct);
    }

    /// <summary>Whether a project belongs to an account (for scoping requests by X-Project-Id).</summary>
    public Task<bool> BelongsToAsync(string accountId, string projectId, CancellationToken ct = default) =>
        db.Projects.AnyAsync(p => p.AccountId == accountId && p.Id == projectId, ct);

    public async Task<Project> GetAsync(Caller caller, string projectId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GetProject, ct);
        return await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == caller.AccountId && p.Id == projectId, ct)
               ?? throw new ServiceException(Errors.ProjectNotFound());
    }
}
