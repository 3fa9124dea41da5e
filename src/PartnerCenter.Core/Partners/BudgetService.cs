using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Partners;

public sealed record BudgetInput(
    string? CustomerId, decimal? BudgetAmount, string? BudgetType, string? CancelPartnerFrozen, int? FrozenOperateType, string? IndirectPartnerId);

/// <summary>A budget as the API shows it (amounts in the currency unit, 2 decimals).</summary>
public sealed record BudgetView(string CustomerId, decimal BudgetAmount, decimal UsedAmount, BudgetType BudgetType, int FrozenOperateType);

public sealed record BudgetRecordFilter(string? CustomerId, string? IndirectPartnerId, string? OperationType, string? BudgetType, int? Offset, int? Limit);

public sealed record ExpenditureQuota(decimal GrantingAmount, decimal GrantingAmountUsed, decimal PercentageUsed, BudgetType BudgetType);

/// <summary>
/// Monthly and one-time (PACKAGE) budgets of resale customers: set, show, batch show, adjustment records, and the
/// customer's own view of its quota. Spending against them is <see cref="BudgetConsumption"/>.
/// </summary>
public sealed class BudgetService(AppDbContext db, PartnerScope scope, FreezeService freezes, AccessControl access, TimeProvider clock)
{
    public const decimal MaxBudget = 2147483647m;

    /// <summary>UpdateSubCustomerBudget: sets the budget to a target value (not an increment) and records the setting.</summary>
    public async Task SetAsync(Caller caller, BudgetInput input, CancellationToken ct = default)
    {
        var amount = input.BudgetAmount ?? throw Check.Invalid("budget_amount is required.");
        if (amount <= 0 || amount > MaxBudget) throw Check.Invalid($"budget_amount must be greater than 0 and at most {MaxBudget}.");
        if (!Money.HasAtMostTwoDecimals(amount)) throw Check.Invalid("budget_amount has at most 2 decimal places.");
        var type = ParseType(input.BudgetType, "budget_type") ?? BudgetType.Monthly;
        var cancelFrozen = input.CancelPartnerFrozen switch
        {
            null or "" or "0" => false,
            "1" => true,
            _ => throw Check.Invalid("cancel_partner_frozen must be \"0\" or \"1\"."),
        };
        if (input.FrozenOperateType is not (null or 0 or 1)) throw Check.Invalid("frozen_operate_type must be 0 (manual) or 1 (automatic).");

        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.UpdateBudget, input.IndirectPartnerId, PartnerNeed.BudgetsAndFreezing, ct);
        var association = await scope.CustomerOfAsync(partner, input.CustomerId, ct);
        if (association.AssociationType != AssociationTypes.Resale) throw new ServiceException(Errors.WrongAssociationType());
        if (partner.Program == PartnerProgram.Reseller && partner.AccountId == caller.AccountId)
        {
            var quota = type == BudgetType.Monthly ? partner.MonthlyBudgetQuota : partner.PackageBudgetQuota;
            if (quota is null || amount > quota) throw new ServiceException(Errors.ResellerPermissionMissing());
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var month = MonthStart(now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var budget = await db.CustomerBudgets.SingleOrDefaultAsync(b => b.CustomerAccountId == association.CustomerAccountId, ct);
        var monthToDate = await MonthToDateSpendAsync(association.CustomerAccountId, month, ct);
        if (budget is null)
        {
            budget = new CustomerBudget
            {
                CustomerAccountId = association.CustomerAccountId, BudgetType = type, FrozenOperateType = input.FrozenOperateType ?? 0,
                UsedAmount = type == BudgetType.Monthly ? monthToDate : 0m, PeriodStart = type == BudgetType.Monthly ? month : now,
            };
            db.CustomerBudgets.Add(budget);
        }
        else
        {
            if (budget.BudgetType != type)
            {
                // A switch takes effect at once: both ways the used amount becomes this month's spend so far.
                budget.UsedAmount = monthToDate;
                budget.PeriodStart = month;
            }
            else if (type == BudgetType.Monthly && budget.PeriodStart < month)
            {
                budget.UsedAmount = monthToDate;
                budget.PeriodStart = month;
            }
            budget.BudgetType = type;
            if (input.FrozenOperateType is { } f) budget.FrozenOperateType = f;
        }
        budget.BudgetAmount = amount;
        budget.AlertedPercent = BudgetConsumption.ThresholdReached(budget.UsedAmount, amount);
        db.BudgetRecords.Add(new BudgetRecord
        {
            CustomerAccountId = association.CustomerAccountId, PartnerAccountId = partner.AccountId, Operation = BudgetOperation.Setting,
            BudgetType = type, BudgetAmount = amount, OperatedAt = now, Operator = caller.UserName,
        });
        await db.SaveChangesAsync(ct);
        if (cancelFrozen && association.IsFrozen)
            await freezes.UnfreezeOneAsync(association.CustomerAccountId, partner.AccountId, association.FreezeType ?? FreezeType.Account,
                "Unfrozen with the budget setting (cancel_partner_frozen)", caller.UserName, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>ShowSubCustomerBudget. A resale customer with no budget yet shows a zero budget.</summary>
    public async Task<BudgetView> ShowAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ViewBudget, indirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, customerId, ct);
        if (association.AssociationType != AssociationTypes.Resale) throw new ServiceException(Errors.WrongAssociationType());
        var budget = await db.CustomerBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.CustomerAccountId == association.CustomerAccountId, ct);
        return View(association.CustomerAccountId, budget, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>ListSubCustomerBudget: 1–100 ids; ids that are not the partner's resale customers are silently dropped.</summary>
    public async Task<List<BudgetView>> ListAsync(Caller caller, IReadOnlyList<string>? customerIds, string? indirectPartnerId, CancellationToken ct = default)
    {
        if (customerIds is null || customerIds.Count is < 1 or > 100) throw Check.Invalid("customer_ids must hold 1 to 100 ids.");
        if (customerIds.Any(id => string.IsNullOrEmpty(id) || id.Length > 64)) throw Check.Invalid("each customer id is 1 to 64 characters.");
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ViewBudget, indirectPartnerId, PartnerNeed.Customers, ct);
        var ids = customerIds.Distinct().ToList();
        var mine = await db.CustomerAssociations.AsNoTracking()
            .Where(a => a.PartnerAccountId == partner.AccountId && a.AssociationType == AssociationTypes.Resale && ids.Contains(a.CustomerAccountId))
            .Select(a => a.CustomerAccountId).ToListAsync(ct);
        var budgets = await db.CustomerBudgets.AsNoTracking().Where(b => mine.Contains(b.CustomerAccountId)).ToDictionaryAsync(b => b.CustomerAccountId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return ids.Where(mine.Contains).Select(id => View(id, budgets.GetValueOrDefault(id), now)).ToList();
    }

    /// <summary>ListSubCustomerBudgetRecords: newest first; limit 1–100 (default 10).</summary>
    public async Task<(List<(BudgetRecord Record, string PartnerName, string PartnerAccountName)> Records, int Total)> RecordsAsync(Caller caller, BudgetRecordFilter f, CancellationToken ct = default)
    {
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > 100) throw Check.Invalid("limit must be 1 to 100.");
        if (offset < 0) throw Check.Invalid("offset must be 0 or more.");
        BudgetOperation? operation = f.OperationType switch
        {
            null => null,
            "SETTING" => BudgetOperation.Setting,
            "DELETE" => BudgetOperation.Delete,
            _ => throw Check.Invalid("operation_type must be SETTING or DELETE."),
        };
        var type = ParseType(f.BudgetType, "budget_type");
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ViewBudget, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, f.CustomerId, ct);
        var q = db.BudgetRecords.AsNoTracking().Where(r => r.CustomerAccountId == association.CustomerAccountId);
        if (operation is { } op) q = q.Where(r => r.Operation == op);
        if (type is { } t) q = q.Where(r => r.BudgetType == t);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(r => r.OperatedAt).ThenByDescending(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct);
        var partnerIds = page.Select(r => r.PartnerAccountId).Distinct().ToList();
        var names = await (from p in db.Partners join a in db.Accounts on p.AccountId equals a.Id where partnerIds.Contains(p.AccountId) select new { p.AccountId, p.CompanyName, a.Name })
            .ToDictionaryAsync(x => x.AccountId, ct);
        return (page.Select(r => (r, names.GetValueOrDefault(r.PartnerAccountId)?.CompanyName ?? "", names.GetValueOrDefault(r.PartnerAccountId)?.Name ?? "")).ToList(), total);
    }

    /// <summary>ShowCustomerExpenditureQuota: the customer's own budget as its quota, and how much of it is used.</summary>
    public async Task<ExpenditureQuota> ExpenditureQuotaAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewExpenditureQuota, ct);
        var budget = await db.CustomerBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.CustomerAccountId == caller.AccountId, ct);
        var view = View(caller.AccountId, budget, clock.GetUtcNow().UtcDateTime);
        var percent = view.BudgetAmount == 0 ? 0 : Money.Round2(view.UsedAmount / view.BudgetAmount * 100);
        return new ExpenditureQuota(view.BudgetAmount, view.UsedAmount, percent, view.BudgetType);
    }

    static BudgetView View(string customerId, CustomerBudget? b, DateTime now)
    {
        if (b is null) return new BudgetView(customerId, 0m, 0m, BudgetType.Monthly, 0);
        // A monthly budget whose month has passed reads as restored even before the reset job has run.
        var used = b.BudgetType == BudgetType.Monthly && b.PeriodStart < MonthStart(now) ? 0m : b.UsedAmount;
        return new BudgetView(customerId, b.BudgetAmount, Money.Round2(used), b.BudgetType, b.FrozenOperateType);
    }

    Task<decimal> MonthToDateSpendAsync(string customerId, DateTime month, CancellationToken ct) =>
        db.BudgetSpends.Where(s => s.CustomerAccountId == customerId && s.Month == month).SumAsync(s => s.Amount, ct);

    public static DateTime MonthStart(DateTime t) => new(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    static BudgetType? ParseType(string? type, string field) => type switch
    {
        null => null,
        "MONTHLY" => BudgetType.Monthly,
        "PACKAGE" => BudgetType.Package,
        _ => throw Check.Invalid($"{field} must be MONTHLY or PACKAGE."),
    };
}
