using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Billing;

/// <summary>What ListPostpaidBillSum answers for a cycle.</summary>
public sealed record PostpaidBillSum(string BillCycle, decimal InitialAmountDue, decimal ConsumeAmount, decimal Refunds, decimal Adjustments, decimal TaxAmount);

/// <summary>A partner's own bills: the monthly summary, the list and a bill with its lines. Only finalized bills are shown.</summary>
public sealed class PartnerBills(AppDbContext db, AccessControl access)
{
    /// <summary>
    /// ListPostpaidBillSum: the partner's bill of a closed, billed cycle. A cycle the final run has closed but in which
    /// the partner had no bill (it was not a partner yet) answers zeros; a cycle not billed yet is refused.
    /// </summary>
    public async Task<PostpaidBillSum> SummaryAsync(Caller caller, string? billCycle, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, ct);
        if (!BillCycle.TryParse(Check.Required(billCycle, "bill_cycle"), out var cycle)) throw Check.Invalid("bill_cycle is a month, YYYY-MM.");
        var text = cycle.ToString();
        if (!await db.BillRuns.AnyAsync(r => r.Id == BillRun.IdOf(cycle, false), ct)) throw new ServiceException(Errors.BillCycleNotBilled(text));
        var bill = await db.PartnerBills.AsNoTracking().SingleOrDefaultAsync(b => b.PartnerAccountId == partner && b.Cycle == text && b.Status == BillStatus.Finalized, ct);
        if (bill is null)
        {
            // The run of this cycle may still be on its way to this partner.
            if (await db.BillRuns.AnyAsync(r => r.Id == BillRun.IdOf(cycle, false) && r.CompletedAt == null, ct)) throw new ServiceException(Errors.BillCycleNotBilled(text));
            return new PostpaidBillSum(text, 0, 0, 0, 0, 0);
        }
        return new PostpaidBillSum(text, bill.InitialAmountDue, bill.ConsumeAmount, bill.Refunds, bill.Adjustments, bill.TaxAmount);
    }

    /// <summary>The partner's finalized bills, newest cycle first.</summary>
    public async Task<(IReadOnlyList<PartnerBill> Bills, int Total)> ListAsync(Caller caller, int? offset, int? limit, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, ct);
        var (skip, take) = BillPaging.Of(offset, limit);
        var all = db.PartnerBills.AsNoTracking().Where(b => b.PartnerAccountId == partner && b.Status == BillStatus.Finalized);
        return (await all.OrderByDescending(b => b.Cycle).Skip(skip).Take(take).ToListAsync(ct), await all.CountAsync(ct));
    }

    /// <summary>One of the partner's finalized bills with its lines; another partner's bill is not found.</summary>
    public async Task<PartnerBill> GetAsync(Caller caller, string? billId, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, ct);
        var id = Check.MaxLength(Check.Required(billId, "bill_id"), "bill_id", 64);
        return await db.PartnerBills.AsNoTracking().Include(b => b.Lines)
                   .SingleOrDefaultAsync(b => b.Id == id && b.PartnerAccountId == partner && b.Status == BillStatus.Finalized, ct)
               ?? throw new ServiceException(Errors.BillNotFound());
    }

    async Task<string> PartnerAsync(Caller caller, CancellationToken ct)
    {
        await access.RequireAsync(caller, BillingActions.View, ct);
        return await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct) ? caller.AccountId : throw new ServiceException(Errors.NotAPartner());
    }
}

/// <summary>offset/limit paging of the billing lists: offset from 0, limit 1 to 100, 20 by default.</summary>
public static class BillPaging
{
    public static (int Skip, int Take) Of(int? offset, int? limit)
    {
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > 100) throw Check.Invalid("limit is 1 to 100.");
        return (offset ?? 0, limit ?? 20);
    }
}
