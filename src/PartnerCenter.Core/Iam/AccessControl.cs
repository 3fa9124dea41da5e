using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

/// <summary>
/// Decides whether a caller may perform an action in the account it acts in. The account owner may do everything in its
/// own account; an IAM user what its groups' roles allow; an agency token what the agency's roles allow. Explicit deny wins.
/// </summary>
public sealed class AccessControl(AppDbContext db)
{
    static readonly ConcurrentDictionary<(string, DateTime), PolicyDocument> Parsed = new();

    public async Task RequireAsync(Caller caller, string action, CancellationToken ct = default)
    {
        if (!await IsAllowedAsync(caller, action, ct))
            throw new ServiceException(Errors.NoPermission(action));
    }

    public async Task<bool> IsAllowedAsync(Caller caller, string action, CancellationToken ct = default)
    {
        // A temporary key's session policy narrows whatever the caller could otherwise do, the owner's sign-in included.
        if (caller.SessionPolicyJson is { } session && PolicyDocument.Parse(session).Evaluate(action) != Decision.Allow) return false;
        if (caller.IsAccountOwner && !caller.IsDelegated) return true;
        var roleIds = caller.IsDelegated
            ? db.AgencyRoles.Where(r => r.AccountId == caller.AccountId && r.AgencyId == caller.AgencyId).Select(r => r.RoleId)
            : db.GroupRoles.Where(r => r.AccountId == caller.AccountId
                                       && db.GroupMembers.Any(m => m.AccountId == caller.AccountId && m.GroupId == r.GroupId && m.UserId == caller.UserId))
                .Select(r => r.RoleId);
        var roles = await db.Roles.AsNoTracking().Where(r => roleIds.Contains(r.Id))
            .Select(r => new { r.Id, r.UpdatedAt, r.PolicyJson }).ToListAsync(ct);
        var documents = roles.Select(r => Parsed.GetOrAdd((r.Id, r.UpdatedAt), _ => PolicyDocument.Parse(r.PolicyJson)));
        return PolicyDocument.Combine(documents, action) == Decision.Allow;
    }
}
