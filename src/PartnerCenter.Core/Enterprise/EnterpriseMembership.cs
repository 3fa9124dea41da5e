using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Enterprise;

/// <summary>
/// The one way every part of Enterprise Center asks who belongs to a master's organization: funds and coupons move only to
/// normal members (status 1), a master pays the orders of its normal finance-custody members, bills and the member
/// pages start from the same rows. Membership is read on every request (never cached), so a removed member is out at once.
/// </summary>
public static class EnterpriseMembership
{
    /// <summary>Every member of the master, whatever its status (moving or removing one).</summary>
    public static IQueryable<EnterpriseMember> All(AppDbContext db, string masterId) =>
        db.EnterpriseMembers.Where(m => m.MasterAccountId == masterId);

    /// <summary>The master's members in status normal; <paramref name="custodyOnly"/>: only those under its financial custody.</summary>
    public static IQueryable<EnterpriseMember> Normal(AppDbContext db, string masterId, bool custodyOnly = false)
    {
        var normal = All(db, masterId).Where(m => m.Status == EnterpriseCodes.Normal);
        return custodyOnly ? normal.Where(m => m.FinancialCustody) : normal;
    }

    /// <summary>Whether <paramref name="memberId"/> is a normal member of the master (under its custody, when asked).</summary>
    public static Task<bool> IsNormalAsync(AppDbContext db, string masterId, string memberId, bool custodyOnly, CancellationToken ct) =>
        Normal(db, masterId, custodyOnly).AnyAsync(m => m.MemberAccountId == memberId, ct);
}
