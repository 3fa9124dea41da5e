using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Partners;

/// <summary>The outcome of a spend checked against a customer's budget.</summary>
public sealed record SpendResult(bool Accepted, Error? Refusal, bool Budgeted)
{
    public static readonly SpendResult NotBudgeted = new(true, null, false);
    public static readonly SpendResult Ok = new(true, null, true);
    public static SpendResult Refused(Error e) => new(false, e, true);
}

/// <summary>
/// Checks and records every spend of a resale customer at list price against its budget, atomically: one conditional
/// SQL update moves the used amount only while it stays within the budget, so no interleaving of concurrent spends can
/// overspend. Spends are idempotent by key. Crossing 75, 90 and 100 % notifies the partner once each; at 100 % an
/// automatic-freezing budget freezes the customer. Commerce calls this for every purchase, renewal and usage charge.
/// </summary>
public sealed class BudgetConsumption(AppDbContext db, FreezeService freezes, TimeProvider clock)
{
    static readonly int[] Thresholds = [75, 90, 100];

    /// <summary>The highest alert threshold <paramref name="used"/> of <paramref name="budget"/> has reached (0 if none).</summary>
    public static int ThresholdReached(decimal used, decimal budget) =>
        budget <= 0 ? 0 : Thresholds.LastOrDefault(t => used * 100 >= budget * t);

    /// <summary>Whether the customer may buy, renew or change anything now: not frozen by its partner.</summary>
    public async Task<Error?> CannotTransactAsync(string customerId, CancellationToken ct = default) =>
        await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == customerId && a.IsFrozen, ct) ? Errors.CustomerFrozen() : null;

    public async Task<SpendResult> SpendAsync(string customerId, decimal listPriceAmount, string idempotencyKey, CancellationToken ct = default)
    {
        if (listPriceAmount <= 0 || !Money.HasAtMostTwoDecimals(listPriceAmount)) throw Check.Invalid("A spend is a positive amount with at most 2 decimals.");
        if (string.IsNullOrEmpty(idempotencyKey) || idempotencyKey.Length > 128) throw Check.Invalid("A spend needs an idempotency key of 1 to 128 characters.");
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == customerId, ct);
        if (association is null || association.AssociationType != AssociationTypes.Resale) return SpendResult.NotBudgeted;

        var now = clock.GetUtcNow().UtcDateTime;
        var month = BudgetService.MonthStart(now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.BudgetSpends.AnyAsync(s => s.IdempotencyKey == idempotencyKey, ct)) return SpendResult.Ok; // a retry of an accepted spend
        if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == customerId && a.IsFrozen, ct)) return SpendResult.Refused(Errors.CustomerFrozen());

        // A monthly budget whose month has passed starts afresh, even if the reset job has not run yet.
        await db.CustomerBudgets
            .Where(b => b.CustomerAccountId == customerId && b.BudgetType == BudgetType.Monthly && b.PeriodStart < month)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.UsedAmount, 0m).SetProperty(b => b.PeriodStart, month).SetProperty(b => b.AlertedPercent, 0), ct);
        var moved = await db.CustomerBudgets
            .Where(b => b.CustomerAccountId == customerId && b.UsedAmount + listPriceAmount <= b.BudgetAmount)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.UsedAmount, b => b.UsedAmount + listPriceAmount), ct);
        if (moved == 0) return SpendResult.Refused(Errors.BudgetExceeded());

        db.BudgetSpends.Add(new BudgetSpend { IdempotencyKey = idempotencyKey, CustomerAccountId = customerId, Amount = listPriceAmount, Month = month, SpentAt = now });
        await db.SaveChangesAsync(ct);
        await AlertAsync(customerId, association.PartnerAccountId, ct);
        await tx.CommitAsync(ct);
        return SpendResult.Ok;
    }

    /// <summary>Sends the alert for the highest threshold newly reached; the conditional update lets exactly one spender send it.</summary>
    async Task AlertAsync(string customerId, string partnerId, CancellationToken ct)
    {
        var budget = await db.CustomerBudgets.AsNoTracking().SingleAsync(b => b.CustomerAccountId == customerId, ct);
        var reached = ThresholdReached(budget.UsedAmount, budget.BudgetAmount);
        if (reached <= budget.AlertedPercent) return;
        var claimed = await db.CustomerBudgets.Where(b => b.CustomerAccountId == customerId && b.AlertedPercent < reached)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.AlertedPercent, reached), ct);
        if (claimed == 0) return;
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == customerId).Select(a => a.Name).SingleAsync(ct);
        var frozen = reached == 100 && budget.FrozenOperateType == 1;
        db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partnerId, CustomerAccountId = customerId, Kind = $"budget.{reached}",
            Message = $"Customer {account} has used {reached} % of its {budget.BudgetType.ToString().ToLowerInvariant()} budget " +
                      $"({Money.Round2(budget.UsedAmount)} of {budget.BudgetAmount} USD)." + (frozen ? " The customer was frozen automatically." : ""),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        if (frozen) await freezes.FreezeOneAsync(customerId, partnerId, FreezeType.Account, "Budget exhausted (automatic freezing)", "system", ct);
    }
}

/// <summary>00:00 UTC on the 1st: monthly budgets start the new month with nothing used. One-time budgets never reset.</summary>
public sealed class MonthlyBudgetResetJob : IScheduledJob
{
    public string Name => "budgets.monthly.reset";

    public DateTime NextAfter(DateTime instant) => Schedules.MonthlyAfter(instant, 1, TimeSpan.Zero);

    public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) =>
        db.CustomerBudgets.Where(b => b.BudgetType == BudgetType.Monthly && b.PeriodStart < period)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.UsedAmount, 0m).SetProperty(b => b.PeriodStart, period).SetProperty(b => b.AlertedPercent, 0), ct);
}
