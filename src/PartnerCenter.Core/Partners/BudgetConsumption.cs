using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Mail;

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
public sealed class BudgetConsumption(AppDbContext db, FreezeService freezes, SandboxOptions sandbox, TimeProvider clock)
{
    static readonly int[] Thresholds = [75, 90, 100];

    /// <summary>The highest alert threshold <paramref name="used"/> of <paramref name="budget"/> has reached (0 if none).</summary>
    public static int ThresholdReached(decimal used, decimal budget) =>
        budget <= 0 ? 0 : Thresholds.LastOrDefault(t => used * 100 >= budget * t);

    /// <summary>Whether the customer may buy, renew or change anything now: not frozen by its partner.</summary>
    public async Task<Error?> CannotTransactAsync(string customerId, CancellationToken ct = default) =>
        await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == customerId && a.IsFrozen, ct) ? Errors.CustomerFrozen() : null;

    /// <summary>The same rule as <see cref="CannotTransactAsync"/> for a caller that has already read the customer's association.</summary>
    public static Error? CannotTransact(CustomerAssociation? association) => association is { IsFrozen: true } ? Errors.CustomerFrozen() : null;

    // The hot path in two statements, the shape a hand-written transaction would have (bench/ compares the two):
    // claim the idempotency key, then move the budget with one conditional update that also restarts a monthly budget
    // whose month has passed and refuses a frozen customer. Both statements are plain SQL that SQLite and PostgreSQL share.
    const string ClaimKeySql = """
        INSERT INTO budget_spends ("IdempotencyKey", "CustomerAccountId", "Amount", "Month", "SpentAt")
        VALUES (@key, @customer, @amount, @month, @now)
        ON CONFLICT ("IdempotencyKey") DO NOTHING
        """;

    const string MoveBudgetSql = """
        UPDATE customer_budgets SET
            "UsedAmount" = (CASE WHEN "BudgetType" = 'Monthly' AND "PeriodStart" < @month THEN 0 ELSE "UsedAmount" END) + @amount,
            "AlertedPercent" = CASE WHEN "BudgetType" = 'Monthly' AND "PeriodStart" < @month THEN 0 ELSE "AlertedPercent" END,
            "PeriodStart" = CASE WHEN "BudgetType" = 'Monthly' AND "PeriodStart" < @month THEN @month ELSE "PeriodStart" END
        WHERE "CustomerAccountId" = @customer
          AND (CASE WHEN "BudgetType" = 'Monthly' AND "PeriodStart" < @month THEN 0 ELSE "UsedAmount" END) + @amount <= "BudgetAmount"
          AND EXISTS (SELECT 1 FROM customer_associations a
                      WHERE a."CustomerAccountId" = @customer AND a."AssociationType" = '3' AND NOT a."IsFrozen")
        RETURNING "UsedAmount", "BudgetAmount", "AlertedPercent"
        """;

    public async Task<SpendResult> SpendAsync(string customerId, decimal listPriceAmount, string idempotencyKey, CancellationToken ct = default)
    {
        if (listPriceAmount <= 0 || !Money.HasAtMostTwoDecimals(listPriceAmount)) throw Check.Invalid("A spend is a positive amount with at most 2 decimals.");
        if (string.IsNullOrEmpty(idempotencyKey) || idempotencyKey.Length > 128) throw Check.Invalid("A spend needs an idempotency key of 1 to 128 characters.");
        var now = clock.GetUtcNow().UtcDateTime;
        var month = BudgetService.MonthStart(now);
        var micros = (long)(listPriceAmount * Money.MicrosPerUnit);

        // Inside the caller's transaction (a payment), the spend commits or rolls back with it; a refused spend leaves
        // its claim behind, so the caller must roll back, as it does when a payment fails.
        if (db.Database.CurrentTransaction?.GetDbTransaction() is { } ambient)
            return await MoveAsync(db.Database.GetDbConnection(), ambient, customerId, micros, idempotencyKey, month, now, ct);

        // On its own, the transaction is begun on the connection itself (cheaper than through EF); EF joins it only to write an alert.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await db.Database.UseTransactionAsync(transaction, ct);
            var result = await MoveAsync(connection, transaction, customerId, micros, idempotencyKey, month, now, ct);
            if (result is { Accepted: true, Budgeted: true }) await transaction.CommitAsync(ct);
            else await transaction.RollbackAsync(ct); // refused, or no budget to move: nothing written
            return result;
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, ct);
            await db.Database.CloseConnectionAsync();
        }
    }

    async Task<SpendResult> MoveAsync(DbConnection connection, DbTransaction transaction, string customerId, long micros, string idempotencyKey,
        DateTime month, DateTime now, CancellationToken ct)
    {
        var claim = await HotStatements.RunAsync(connection, transaction, ClaimKeySql,
            [("key", idempotencyKey), ("customer", customerId), ("amount", micros), ("month", month), ("now", now)], ct);
        if (claim.Changes == 0) return SpendResult.Ok; // a retry of an accepted spend

        var moved = await HotStatements.RunAsync(connection, transaction, MoveBudgetSql, [("customer", customerId), ("amount", micros), ("month", month)], ct);
        if (moved.Row is not [var used, var budgetAmount, var alerted]) return await RefusalAsync(customerId, ct);
        if (ThresholdReached(used / Money.MicrosPerUnit, budgetAmount / Money.MicrosPerUnit) > alerted) await AlertAsync(customerId, ct);
        return SpendResult.Ok;
    }

    // A give-back is recorded as a negative spend under its own key (so month-to-date sums stay right and a retry
    // finds its key taken), then lowers the used amount only while the budget still counts the original spend: a
    // monthly budget in the spend's month, a one-time budget accumulating since before the spend.
    const string GiveBackSql = """
        UPDATE customer_budgets SET
            "UsedAmount" = CASE WHEN "UsedAmount" > @amount THEN "UsedAmount" - @amount ELSE 0 END
        WHERE "CustomerAccountId" = @customer
          AND "PeriodStart" <= @spentAt
          AND ("BudgetType" <> 'Monthly' OR "PeriodStart" >= @month)
        RETURNING "UsedAmount", "BudgetAmount", "AlertedPercent"
        """;

    /// <summary>
    /// Gives back budget for a refund of (part of) a recorded spend, at list price, inside the caller's transaction
    /// (the refund's): the spend recorded under <paramref name="spendKey"/> is reduced by
    /// <paramref name="listPriceAmount"/> when it is still in the customer's current budget period — this month for a
    /// monthly budget, since the one-time budget started for a PACKAGE budget. Idempotent by
    /// <paramref name="idempotencyKey"/>. A spend that was never recorded (the customer was not budgeted then) gives
    /// nothing back. Alerts already sent are re-armed below the new used amount; a customer frozen by the budget stays
    /// frozen until its partner unfreezes it. Returns the amount the used amount went down by.
    /// </summary>
    public async Task<decimal> GiveBackAsync(string customerId, string spendKey, decimal listPriceAmount, string idempotencyKey, CancellationToken ct = default)
    {
        if (listPriceAmount <= 0 || !Money.HasAtMostTwoDecimals(listPriceAmount)) throw Check.Invalid("A give-back is a positive amount with at most 2 decimals.");
        if (string.IsNullOrEmpty(idempotencyKey) || idempotencyKey.Length > 128) throw Check.Invalid("A give-back needs an idempotency key of 1 to 128 characters.");
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("A budget give-back runs inside the refund's transaction.");
        var spend = await db.BudgetSpends.AsNoTracking().SingleOrDefaultAsync(s => s.IdempotencyKey == spendKey && s.CustomerAccountId == customerId, ct);
        if (spend is null || spend.Amount <= 0) return 0;
        var amount = Math.Min(listPriceAmount, spend.Amount);
        var micros = (long)(amount * Money.MicrosPerUnit);
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = db.Database.GetDbConnection();

        var claim = await HotStatements.RunAsync(connection, transaction, ClaimKeySql,
            [("key", idempotencyKey), ("customer", customerId), ("amount", -micros), ("month", spend.Month), ("now", now)], ct);
        if (claim.Changes == 0) return 0; // given back before
        var moved = await HotStatements.RunAsync(connection, transaction, GiveBackSql,
            [("customer", customerId), ("amount", micros), ("spentAt", spend.SpentAt), ("month", BudgetService.MonthStart(now))], ct);
        if (moved.Row is not [var used, var budgetAmount, var alerted]) return 0; // the spend's budget period is over
        var reached = ThresholdReached(used / Money.MicrosPerUnit, budgetAmount / Money.MicrosPerUnit);
        if (reached < alerted)
            await db.CustomerBudgets.Where(b => b.CustomerAccountId == customerId && b.AlertedPercent > reached)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.AlertedPercent, reached), ct);
        return amount;
    }

    /// <summary>Why a spend did not move the budget: not a resale customer (nothing to check), frozen, or over budget.</summary>
    async Task<SpendResult> RefusalAsync(string customerId, CancellationToken ct)
    {
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == customerId, ct);
        if (association is null || association.AssociationType != AssociationTypes.Resale) return SpendResult.NotBudgeted;
        return SpendResult.Refused(association.IsFrozen ? Errors.CustomerFrozen() : Errors.BudgetExceeded());
    }

    /// <summary>
    /// The sandbox's stand-in for commerce: the operator records a spend for a customer exactly as a purchase will, to
    /// watch budgets, alerts and automatic freezing. Off when the sandbox is off.
    /// </summary>
    public async Task<SpendResult> SimulateAsync(Caller caller, string? customerId, decimal? amount, string? idempotencyKey, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.NoPermission("sandbox:spends:create"));
        if (!sandbox.Enabled) throw new ServiceException(Errors.SandboxDisabled());
        var customer = Check.Required(customerId, "customer_id");
        if (!await db.Accounts.AnyAsync(a => a.Id == customer, ct)) throw Check.Invalid("customer_id is not an account.");
        return await SpendAsync(customer, amount ?? throw Check.Invalid("amount is required."), idempotencyKey ?? Ids.New(), ct);
    }

    /// <summary>Sends the alert for the highest threshold newly reached; the conditional update lets exactly one spender send it.</summary>
    async Task AlertAsync(string customerId, CancellationToken ct)
    {
        var partnerId = await db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == customerId).Select(a => a.PartnerAccountId).SingleAsync(ct);
        var budget = await db.CustomerBudgets.AsNoTracking().SingleAsync(b => b.CustomerAccountId == customerId, ct);
        var reached = ThresholdReached(budget.UsedAmount, budget.BudgetAmount);
        if (reached <= budget.AlertedPercent) return;
        var claimed = await db.CustomerBudgets.Where(b => b.CustomerAccountId == customerId && b.AlertedPercent < reached)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.AlertedPercent, reached), ct);
        if (claimed == 0) return;
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == customerId).Select(a => a.Name).SingleAsync(ct);
        var frozen = reached == 100 && budget.FrozenOperateType == 1;
        var message = $"Customer {account} has used {reached} % of its {budget.BudgetType.ToString().ToLowerInvariant()} budget " +
                      $"({Money.Round2(budget.UsedAmount)} of {budget.BudgetAmount} USD)." + (frozen ? " The customer was frozen automatically." : "");
        var now = clock.GetUtcNow().UtcDateTime;
        db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partnerId, CustomerAccountId = customerId, Kind = $"budget.{reached}", Message = message, CreatedAt = now,
        });
        // The partner is also told by e-mail, through the outbox, in this same transaction.
        if (await db.Accounts.AsNoTracking().Where(a => a.Id == partnerId).Select(a => a.Email).SingleAsync(ct) is { } email)
            db.OutboxMessages.Add(new OutboxMessage { To = email, Subject = $"Budget alert: {account} reached {reached} %", Body = message, CreatedAt = now });
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
