using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Enterprise;

/// <summary>
/// What a master may do with its members' bills and orders, decided by a direct read of its organization's members:
/// <list type="bullet">
/// <item>It reads a member's bills when the member is normal (status 1) and granted READ_CONSUME_BILL; a finance-custody
/// member always has (its permissions are fixed). Huawei: the master's bill includes its "unified repayment" members, and
/// a finance-independent member's bills only once it accepted the master's request to view its consumption.</item>
/// <item>It pays the orders of a normal finance-custody member, from its own balance.</item>
/// </list>
/// </summary>
public static class EnterpriseBills
{
    public const string ReadConsumeBill = "READ_CONSUME_BILL";
    public const string ShareDiscount = "SHARE-BIZ-DISCOUNT-TO-SUB";

    /// <summary>The members whose bills the master reads, in id order (none for an account that is not a master).</summary>
    public static async Task<List<string>> VisibleMembersAsync(AppDbContext db, string masterId, CancellationToken ct)
    {
        var members = await EnterpriseMembership.Normal(db, masterId)
            .Select(m => new { m.MemberAccountId, m.FinancialCustody, m.Permissions }).ToListAsync(ct);
        return members.Where(m => m.FinancialCustody || Grants(m.Permissions, ReadConsumeBill)).Select(m => m.MemberAccountId).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One member's bills for its master: null when the account is not the caller's member at all (the caller may then be
    /// asking as a partner); the member's id when it may read them; refused when the member did not grant it.
    /// </summary>
    public static async Task<string?> VisibleMemberAsync(AppDbContext db, string masterId, string memberId, CancellationToken ct)
    {
        var member = await EnterpriseMembership.All(db, masterId).AsNoTracking().SingleOrDefaultAsync(m => m.MemberAccountId == memberId, ct);
        if (member is null) return null;
        if (member.Status != EnterpriseCodes.Normal || !(member.FinancialCustody || Grants(member.Permissions, ReadConsumeBill)))
            throw new ServiceException(BillsNotShared());
        return member.MemberAccountId;
    }

    /// <summary>Whether <paramref name="masterId"/> pays <paramref name="memberId"/>'s orders: a normal finance-custody member of its organization.</summary>
    public static Task<bool> IsCustodyMemberAsync(AppDbContext db, string masterId, string memberId, CancellationToken ct) =>
        EnterpriseMembership.IsNormalAsync(db, masterId, memberId, custodyOnly: true, ct);

    static bool Grants(string permissions, string permission) =>
        permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(permission, StringComparer.Ordinal);

    /// <summary>Huawei's "not allowed" code: the member has not let its master view its consumption.</summary>
    public static Error BillsNotShared() => Error.Forbidden("CBC.0155",
        "The member has not allowed its master to view its consumption (READ_CONSUME_BILL); only a member that grants it, or a finance-custody member, shows its bills.");
}
