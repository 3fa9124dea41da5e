using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Partners;

public sealed record ResellerFilter(string? AccountName, DateTime? AssociatedOnBegin, DateTime? AssociatedOnEnd, string? IndirectPartnerId, int? Offset, int? Limit);

/// <summary>A distributor's reseller as ListIndirectPartners shows it.</summary>
public sealed record ResellerView(Partner Reseller, Account Account);

/// <summary>A distributor's tier-2 resellers: list them, and delegate (or take back) budget and freeze management with quotas.</summary>
public sealed class IndirectPartnerService(AppDbContext db, AccessControl access)
{
    public async Task<(List<ResellerView> Items, int Count)> ListAsync(Caller caller, ResellerFilter f, CancellationToken ct = default)
    {
        var distributor = await DistributorAsync(caller, PartnerActions.ListResellers, ct);
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > 100) throw Check.Invalid("limit must be 1 to 100.");
        if (offset < 0) throw Check.Invalid("offset must be 0 or more.");
        var q = from p in db.Partners.AsNoTracking()
                join a in db.Accounts.AsNoTracking() on p.AccountId equals a.Id
                where p.DistributorAccountId == distributor.AccountId
                select new { p, a };
        if (!string.IsNullOrEmpty(f.AccountName)) q = q.Where(x => x.a.Name.Contains(f.AccountName));
        if (!string.IsNullOrEmpty(f.IndirectPartnerId)) q = q.Where(x => x.p.PartnerId == f.IndirectPartnerId);
        if (f.AssociatedOnBegin is { } b) q = q.Where(x => x.p.JoinedAt >= b);
        if (f.AssociatedOnEnd is { } e) q = q.Where(x => x.p.JoinedAt <= e);
        var count = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.p.JoinedAt).Skip(offset).Take(limit).ToListAsync(ct);
        return (page.Select(x => new ResellerView(x.p, x.a)).ToList(), count);
    }

    /// <summary>Whether the distributor delegated budgets and freezing to this reseller, and with which quotas.</summary>
    public async Task<Partner> DelegationAsync(Caller caller, string? indirectPartnerId, CancellationToken ct = default)
    {
        var distributor = await DistributorAsync(caller, PartnerActions.ListResellers, ct);
        return await ResellerAsync(distributor, indirectPartnerId, ct);
    }

    /// <summary>Lets a reseller set its customers' budgets (each at most the quota of its type; a null quota withholds that type) and freeze them.</summary>
    public async Task<Partner> DelegateAsync(Caller caller, string? indirectPartnerId, decimal? monthlyQuota, decimal? packageQuota, CancellationToken ct = default)
    {
        var distributor = await DistributorAsync(caller, PartnerActions.ManageResellers, ct);
        if (monthlyQuota is null && packageQuota is null) throw Check.Invalid("Give a monthly_budget_quota, a package_budget_quota, or both.");
        foreach (var quota in new[] { monthlyQuota, packageQuota }.OfType<decimal>())
            if (quota <= 0 || quota > BudgetService.MaxBudget || !Money.HasAtMostTwoDecimals(quota)) throw Check.Invalid("A budget quota is greater than 0, at most 2147483647, with at most 2 decimals.");
        var reseller = await ResellerAsync(distributor, indirectPartnerId, ct);
        reseller.CanManageBudgets = true;
        reseller.MonthlyBudgetQuota = monthlyQuota;
        reseller.PackageBudgetQuota = packageQuota;
        await db.SaveChangesAsync(ct);
        return reseller;
    }

    /// <summary>Takes the delegation back: the customers' budgets stay in force and the distributor manages them again.</summary>
    public async Task<Partner> RevokeAsync(Caller caller, string? indirectPartnerId, CancellationToken ct = default)
    {
        var distributor = await DistributorAsync(caller, PartnerActions.ManageResellers, ct);
        var reseller = await ResellerAsync(distributor, indirectPartnerId, ct);
        reseller.CanManageBudgets = false;
        reseller.MonthlyBudgetQuota = null;
        reseller.PackageBudgetQuota = null;
        await db.SaveChangesAsync(ct);
        return reseller;
    }

    async Task<Partner> DistributorAsync(Caller caller, string action, CancellationToken ct)
    {
        await access.RequireAsync(caller, action, ct);
        return await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == caller.AccountId && p.Program == PartnerProgram.Distributor, ct)
               ?? throw new ServiceException(Errors.NotAPartner());
    }

    async Task<Partner> ResellerAsync(Partner distributor, string? indirectPartnerId, CancellationToken ct) =>
        await db.Partners.SingleOrDefaultAsync(p => p.PartnerId == indirectPartnerId && p.DistributorAccountId == distributor.AccountId, ct)
        ?? throw new ServiceException(Errors.NotYourReseller());
}
