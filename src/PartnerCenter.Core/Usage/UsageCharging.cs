using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.Usage;

/// <summary>What one hourly run did, with the time its rating and its charging (settling arrears included) took.</summary>
public sealed record RatingRunResult(int Customers, int Fees, int Records, TimeSpan Rating, TimeSpan Charging);

/// <summary>
/// The hourly pay-per-use run for one period (the hour boundary it runs at):
/// <list type="number">
/// <item>customers in arrears are settled from their cash, then credit (a top-up clears the debt within the hour);</item>
/// <item>every customer's usage received before the period is summed per resource, factor and hour, matching free
/// resources are consumed first, the rest is rated by <see cref="RatingEngine"/> (the engine price inquiry uses) into
/// fee records with 8-decimal amounts;</item>
/// <item>the fees are charged at 2 decimals: each run charges the accumulated 8-decimal total truncated to the cent minus
/// what was charged before, so sub-cent remainders carry to the next hour. A resale customer whose allocated cash covers
/// the hour pays it from that cash at its own price (<see cref="AllocatedUsage"/>); otherwise its list amount is spent
/// from its budget and the settlement amount charged to its partner; anyone else pays cash, then credit, and what they
/// cannot cover becomes arrears;</item>
/// <item>pay-per-use resources in arrears move on: grace (status 5, usable, 15 days), retention (frozen, status 4,
/// 15 days), released (status 3).</item>
/// </list>
/// Every step is idempotent for its period: fees are written once per customer and period, charges are journal entries
/// keyed by customer and period, so a run resumed after a crash finishes the period exactly once.
/// </summary>
public sealed class UsageCharging(AppDbContext db, RatingEngine rating, BudgetConsumption budgets, LedgerBook ledger, ILogger<UsageCharging> log)
{
    public static readonly TimeSpan GracePeriod = ResourceLifecycleJob.GracePeriod;
    public static readonly TimeSpan RetentionPeriod = ResourceLifecycleJob.RetentionPeriod;

    public async Task<RatingRunResult> RunPeriodAsync(DateTime period, CancellationToken ct = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var indebted = await db.LedgerAccounts.AsNoTracking().Where(a => a.Kind == LedgerAccountKind.CustomerArrears && a.Balance < 0)
            .Select(a => a.OwnerAccountId!).ToListAsync(ct);
        foreach (var customer in indebted) await SettleArrearsAsync(customer, $"arrears:{customer}:{period:yyyyMMddHH}", period, ct);

        var settling = watch.Elapsed;
        var (customers, fees, records) = await RatePeriodAsync(period, ct);
        var rated = watch.Elapsed;
        foreach (var customer in customers) await ChargeAsync(customer, period, ct);
        // Resale customers refused earlier (budget, frozen, partner quota) are retried every hour until they pay.
        var pending = await db.UsageAccounts.AsNoTracking()
            .Where(a => a.SpentOfficial + 0.01m <= a.AccruedOfficial || a.ChargedSettlement + 0.01m <= a.AccruedSettlement || a.Deducted + 0.01m <= a.Accrued)
            .Select(a => a.CustomerAccountId).ToListAsync(ct);
        foreach (var customer in pending.Except(customers)) await ChargeAsync(customer, period, ct);

        await AdvanceLifecycleAsync(period, ct);
        return new RatingRunResult(customers.Count, fees, records, rated - settling, watch.Elapsed - (rated - settling));
    }

    /// <summary>
    /// For due periods in the job runner's transaction: how many from the first on have nothing to do — no usage to rate,
    /// no arrears to settle, no refused charge to retry, no pay-per-use resource reaching the end of its grace or
    /// retention. Such a period's run only marks it rated (<see cref="UsageRatingJob.AddIdleRecords"/>).
    /// </summary>
    public static async Task<int> CountIdleAsync(AppDbContext db, IReadOnlyList<DateTime> periods, CancellationToken ct)
    {
        await RatingPeriods.ExcludeIngestionAsync(db, ct);
        if (await db.LedgerAccounts.AnyAsync(a => a.Kind == LedgerAccountKind.CustomerArrears && a.Balance < 0, ct)) return 0;
        if (await db.UsageAccounts.AnyAsync(a => a.SpentOfficial + 0.01m <= a.AccruedOfficial || a.ChargedSettlement + 0.01m <= a.AccruedSettlement || a.Deducted + 0.01m <= a.Accrued, ct))
            return 0;
        var (first, last) = (periods[0], periods[^1]);
        var usage = await db.UsageRecords.Where(r => r.RatingPeriod >= first && r.RatingPeriod <= last).MinAsync(r => (DateTime?)r.RatingPeriod, ct);
        var onDemand = db.CloudResources.Where(r => r.ChargeMode == ChargeMode.OnDemand);
        var inGrace = await onDemand.Where(r => r.Status == ResourceStatus.Expired).MinAsync(r => r.StatusChangedAt, ct);
        var inRetention = await onDemand.Where(r => r.Status == ResourceStatus.Frozen).MinAsync(r => r.StatusChangedAt, ct);
        return IdlePeriods.Before(periods, usage, inGrace + GracePeriod, inRetention + RetentionPeriod);
    }

    /// <summary>
    /// Rates every customer's usage received for the period into fee records, in one transaction, and marks the period
    /// rated (<see cref="UsageRatingPeriod"/>, even when it had no usage) so that a record arriving later goes to the next
    /// period (<see cref="RatingPeriods"/>). A second run of the period rates nothing. On PostgreSQL the database rates
    /// (<see cref="DatabaseRating"/>) all but customers with free resources left, which are rated here in memory, as is
    /// everyone on SQLite. Returns the customers with usage in the period.
    /// </summary>
    async Task<(List<string> Customers, int Fees, int Records)> RatePeriodAsync(DateTime period, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await RatingPeriods.ExcludeIngestionAsync(db, ct);
        var records = await db.UsageRecords.AsNoTracking().Where(r => r.RatingPeriod == period).GroupBy(r => r.CustomerAccountId)
            .Select(g => new { Customer = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Customer, g => g.Count, ct);
        var customers = records.Keys.Order(StringComparer.Ordinal).ToList();
        if (!await HotInsert.AddAsync(db, new UsageRatingPeriod { Period = period, Records = records.Values.Sum() }, skipIfExists: true, ct))
            return (customers, 0, 0); // rated before: nothing to write (the transaction rolls back unused)
        if (customers.Count == 0)
        {
            // An hour without usage (most of a sandbox clock's catch-up): the period is marked rated and that is all.
            await tx.CommitAsync(ct);
            return (customers, 0, 0);
        }

        var packages = (await db.FreeResourcePackages.Where(p => customers.Contains(p.CustomerAccountId) && p.Remaining > 0).ToListAsync(ct))
            .OrderBy(p => p.ExpireTime).ThenBy(p => p.Id, StringComparer.Ordinal).ToLookup(p => p.CustomerAccountId);
        var context = rating.NewUsageContext();
        await context.PrefetchAsync(customers, ct);
        var fees = 0;
        var inMemory = customers;
        if (db.Database.IsNpgsql() && customers.Where(c => !packages.Contains(c)).ToList() is { Count: > 0 } inDatabase)
        {
            await tx.CreateSavepointAsync("rating", ct);
            var rated = await DatabaseRating.RateAsync(db, context, period, inDatabase, ct);
            var unrated = inDatabase.Where(c => rated.GetValueOrDefault(c).Records != records[c]).ToList();
            if (unrated.Count > 0)
            {
                // Some usage the database could not price: rate everyone else again there, and those here.
                await tx.RollbackToSavepointAsync("rating", ct);
                rated = await DatabaseRating.RateAsync(db, context, period, inDatabase.Except(unrated).ToList(), ct);
            }
            fees = rated.Values.Sum(r => r.Fees);
            inMemory = customers.Where(c => !rated.ContainsKey(c)).ToList();
        }
        if (inMemory.Count > 0) fees += await RateInMemoryAsync(period, inMemory, packages, context, ct);
        await db.UsageRatingPeriods.Where(p => p.Period == period).ExecuteUpdateAsync(u => u.SetProperty(p => p.Fees, fees), ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (customers, fees, records.Values.Sum());
    }

    /// <summary>
    /// Rates the period's usage of <paramref name="customers"/> here: one aggregate query, each sum with its resource's
    /// spec; matching free resources are consumed first, then the rest is priced by the run's pricers; the fees are
    /// written one row per customer-hour and added to the customers' <see cref="UsageAccount"/>s. Returns the number of fees.
    /// </summary>
    async Task<int> RateInMemoryAsync(DateTime period, List<string> customers, ILookup<string, FreeResourcePackage> packages,
        RatingEngine.UsageRatingContext context, CancellationToken ct)
    {
        var sums = db.UsageRecords.AsNoTracking().Where(r => r.RatingPeriod == period && customers.Contains(r.CustomerAccountId))
            .GroupBy(r => new { r.CustomerAccountId, r.ResourceId, r.UsageFactor, r.Hour, r.UsageMeasureId })
            .Select(g => new { g.Key.CustomerAccountId, g.Key.ResourceId, g.Key.UsageFactor, g.Key.Hour, g.Key.UsageMeasureId, Value = g.Sum(r => r.UsageValue) });
        var groups = await sums.Join(db.CloudResources, g => g.ResourceId, r => r.Id, (g, r) => new
        {
            g.CustomerAccountId, g.ResourceId, g.UsageFactor, g.Hour, g.UsageMeasureId, g.Value,
            Resource = new RatedResource(r.Id, r.SpecId, r.SpecSize, r.SpecCode, r.ServiceTypeCode, r.ResourceTypeCode, r.Region),
        }).ToListAsync(ct);
        var specIds = groups.Select(g => g.Resource.SpecId).Distinct().ToList();
        var specs = await db.ResourceSpecs.AsNoTracking().Where(s => specIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var conversions = await db.MeasureConversions.AsNoTracking().ToListAsync(ct);
        var ratios = new Dictionary<(int, int), decimal?>();
        decimal? Ratio(int from, int to) => ratios.TryGetValue((from, to), out var r) ? r : ratios[(from, to)] = RatingEngine.ConversionFactor(conversions, from, to);

        var fees = new List<UsageFee>(groups.Count);
        foreach (var usage in groups.GroupBy(g => (g.CustomerAccountId, g.ResourceId, g.UsageFactor, g.Hour))
                     .OrderBy(g => g.Key.CustomerAccountId, StringComparer.Ordinal).ThenBy(g => g.Key.Hour)
                     .ThenBy(g => g.Key.ResourceId, StringComparer.Ordinal).ThenBy(g => g.Key.UsageFactor, StringComparer.Ordinal))
        {
            var customer = usage.Key.CustomerAccountId;
            var resource = usage.First().Resource;
            var pricer = await context.PricerAsync(customer, specs[resource.SpecId], usage.Key.UsageFactor, resource.SpecSize, usage.Key.Hour, ct);
            var quantity = Money.Round8(usage.Sum(u => u.Value * (Ratio(u.UsageMeasureId, pricer.MeasureId)
                                                                 ?? throw new InvalidOperationException($"Usage of {resource.Id} in measure {u.UsageMeasureId} no longer converts."))));
            var free = 0m;
            foreach (var p in packages[customer].Where(p => p.Remaining > 0 && p.ServiceTypeCode == resource.ServiceTypeCode && p.ResourceTypeCode == resource.ResourceTypeCode
                                                              && p.Region == resource.Region && (p.SpecCode == null || p.SpecCode == resource.SpecCode)
                                                              && p.UsageFactor == usage.Key.UsageFactor
                                                              && p.EffectiveTime <= usage.Key.Hour && usage.Key.Hour < p.ExpireTime))
            {
                if (free == quantity) break;
                // The package counts in its own unit: convert what is left to cover into it and back.
                if (Ratio(pricer.MeasureId, p.MeasureId) is not { } ratio) continue;
                var take = Math.Min(p.Remaining, Money.Round8((quantity - free) * ratio));
                p.Remaining -= take;
                if (take > 0)
                    db.FreeResourceDeductions.Add(new FreeResourceDeduction
                    {
                        CustomerAccountId = customer, PackageId = p.Id, FreeResourceId = p.FreeResourceId, ResourceId = resource.Id, ResourceTypeCode = resource.ResourceTypeCode,
                        UsageFactor = usage.Key.UsageFactor, Hour = usage.Key.Hour, RatingPeriod = period, Used = take, RemainingAfter = p.Remaining, MeasureId = p.MeasureId,
                    });
                free = Math.Min(quantity, free + Money.Round8(take / ratio));
            }
            var quote = pricer.Rate(quantity - free);
            fees.Add(new UsageFee(customer, usage.Key.Hour, period, resource.Id, resource.SpecId, resource.ServiceTypeCode, resource.ResourceTypeCode, resource.Region,
                usage.Key.UsageFactor, quantity, pricer.MeasureId, free, quote.OfficialAmount, quote.Amount, quote.SettlementAmount));
        }

        // Sorted by customer and hour above: one row per customer-hour.
        db.UsageFeeHours.AddRange(fees.GroupBy(f => (f.CustomerAccountId, f.Hour)).Select(g => UsageFeeHour.Of(g.ToList(), period)));
        var accounts = await db.UsageAccounts.Where(a => customers.Contains(a.CustomerAccountId)).ToDictionaryAsync(a => a.CustomerAccountId, ct);
        foreach (var byCustomer in fees.GroupBy(f => f.CustomerAccountId))
        {
            if (!accounts.TryGetValue(byCustomer.Key, out var account)) db.UsageAccounts.Add(account = new UsageAccount { CustomerAccountId = byCustomer.Key });
            account.Accrued += byCustomer.Sum(f => f.Amount);
            account.AccruedOfficial += byCustomer.Sum(f => f.OfficialAmount);
            account.AccruedSettlement += byCustomer.Sum(f => f.SettlementAmount);
            account.UpdatedAt = period;
        }
        await db.SaveChangesAsync(ct);
        return fees.Count;
    }

    /// <summary>The 2-decimal rule: charge the accumulated 8-decimal amount truncated to the cent, less what was charged already.</summary>
    /// <summary>A run's charge is booked at the hour the run rated, which ends at its period (so it lands in that hour's bill cycle).</summary>
    static DateTime RatedHour(DateTime period) => period.AddHours(-1);

    public static decimal Due(decimal accrued, decimal charged) => Math.Max(0, Math.Truncate(accrued * 100) / 100 - charged);

    /// <summary>Charges what the customer's accumulated fees make due, in one transaction keyed by customer and period.</summary>
    async Task ChargeAsync(string customer, DateTime period, CancellationToken ct)
    {
        var entry = $"usage:{customer}:{period:yyyyMMddHH}";
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == customer, ct);
        var resale = association?.AssociationType == AssociationTypes.Resale;
        // A resale customer whose allocated cash covers the hour pays it itself (the China model); otherwise its partner does.
        if (resale && await AllocatedUsage.TryChargeAsync(db, ledger, budgets, customer, association!.PartnerAccountId, entry, RatedHour(period),
                $"Pay-per-use of resale customer {customer} to {period:yyyy-MM-dd HH}:00 from its allocated balance", ct))
        {
            await SetOnDemandStatusAsync(customer, [ResourceStatus.Frozen], ResourceStatus.InUse, period, ct);
            return;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.UsageAccounts.SingleOrDefaultAsync(a => a.CustomerAccountId == customer, ct);
        if (account is null) return;
        var revenue = LedgerBook.Platform(LedgerAccountKind.PlatformRevenue);
        if (resale)
        {
            var list = Due(account.AccruedOfficial, account.SpentOfficial);
            var settlement = Due(account.AccruedSettlement, account.ChargedSettlement);
            if (list == 0 && settlement == 0) return;
            Error? refusal = null;
            if (list > 0 && await budgets.SpendAsync(customer, list, entry, ct) is { Accepted: false } spend) refusal = spend.Refusal;
            if (refusal is null && settlement > 0)
            {
                await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, association!.PartnerAccountId, ct);
                try
                {
                    await ledger.PostAsync(entry, "UsageCharge", customer, $"Pay-per-use of resale customer {customer} to {period:yyyy-MM-dd HH}:00 at settlement price", "system",
                        [new Movement(LedgerBook.PayableOf(association.PartnerAccountId), revenue, settlement)], ct, bookedAt: RatedHour(period));
                }
                catch (InsufficientFundsException)
                {
                    refusal = Errors.ConsumptionQuotaExceeded();
                }
            }
            if (refusal is not null)
            {
                // Nothing of this charge stays (the budget claim included); the amounts stay due and are retried next hour.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                log.LogInformation("Pay-per-use of resale customer {Customer} refused at {Period:o}: {Code}; its pay-per-use resources are frozen", customer, period, refusal.Code);
                await SetOnDemandStatusAsync(customer, [ResourceStatus.InUse, ResourceStatus.Expired], ResourceStatus.Frozen, period, ct);
                return;
            }
            account.SpentOfficial += list;
            account.ChargedSettlement += settlement;
            // Paid for, as far as the customer's own price goes: should the customer pay itself later (its association
            // dissolved), this usage is not charged to it again. The direct path below does the same the other way.
            account.Deducted += Due(account.Accrued, account.Deducted);
            account.UpdatedAt = period;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            await SetOnDemandStatusAsync(customer, [ResourceStatus.Frozen], ResourceStatus.InUse, period, ct);
            return;
        }

        var due = Due(account.Accrued, account.Deducted);
        if (due == 0) return;
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CashOf(customer) || a.Id == LedgerBook.CreditOf(customer))
            .ToDictionaryAsync(a => a.Id, a => a.Balance, ct);
        var cash = Math.Max(0, balances.GetValueOrDefault(LedgerBook.CashOf(customer)));
        var credit = Math.Max(0, balances.GetValueOrDefault(LedgerBook.CreditOf(customer)));
        var fromCash = Math.Min(cash, due);
        var fromCredit = Math.Min(credit, due - fromCash);
        var owed = due - fromCash - fromCredit;
        var movements = new List<Movement>();
        if (fromCash > 0) movements.Add(new Movement(LedgerBook.CashOf(customer), revenue, fromCash));
        if (fromCredit > 0) movements.Add(new Movement(LedgerBook.CreditOf(customer), revenue, fromCredit));
        if (owed > 0)
        {
            await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerArrears, customer, ct);
            movements.Add(new Movement(LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer), revenue, owed));
        }
        try
        {
            await ledger.PostAsync(entry, "UsageCharge", customer, $"Pay-per-use to {period:yyyy-MM-dd HH}:00", "system", movements, ct, bookedAt: RatedHour(period));
        }
        catch (InsufficientFundsException)
        {
            // A top-up or payment moved the balance meanwhile: nothing is charged now, the amount stays due for the next hour.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return;
        }
        account.Deducted += due;
        account.SpentOfficial += Due(account.AccruedOfficial, account.SpentOfficial);
        account.ChargedSettlement += Due(account.AccruedSettlement, account.ChargedSettlement);
        account.UpdatedAt = period;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        if (owed > 0) await SetOnDemandStatusAsync(customer, [ResourceStatus.InUse], ResourceStatus.Expired, period, ct);
    }

    /// <summary>
    /// Pays the customer's arrears from its cash, then credit, as far as they go; once nothing is owed its pay-per-use
    /// resources in grace or retention are back in use. Idempotent by <paramref name="entryId"/>.
    /// </summary>
    public async Task<decimal> SettleArrearsAsync(string customer, string entryId, DateTime now, CancellationToken ct = default)
    {
        var arrearsId = LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Settlements (a top-up's, the hourly run's) take the arrears row first, so each reads the debt the one before
        // left: two reading the same debt would both pay it and overpay. The arrears account has no floor to stop that.
        if (await db.LedgerAccounts.Where(a => a.Id == arrearsId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Balance, a => a.Balance), ct) == 0) return 0;
        var balances = await db.LedgerAccounts.AsNoTracking()
            .Where(a => a.Id == LedgerBook.CashOf(customer) || a.Id == LedgerBook.CreditOf(customer) || a.Id == arrearsId)
            .ToDictionaryAsync(a => a.Id, a => a.Balance, ct);
        var debt = -balances.GetValueOrDefault(arrearsId);
        if (debt <= 0) return 0;
        var fromCash = Math.Min(Math.Max(0, balances.GetValueOrDefault(LedgerBook.CashOf(customer))), debt);
        var fromCredit = Math.Min(Math.Max(0, balances.GetValueOrDefault(LedgerBook.CreditOf(customer))), debt - fromCash);
        var movements = new List<Movement>();
        if (fromCash > 0) movements.Add(new Movement(LedgerBook.CashOf(customer), arrearsId, fromCash));
        if (fromCredit > 0) movements.Add(new Movement(LedgerBook.CreditOf(customer), arrearsId, fromCredit));
        if (movements.Count == 0) return debt;
        try
        {
            await ledger.PostAsync(entryId, "ArrearsRepayment", customer, "Pay-per-use arrears repaid from the balance", "system", movements, ct);
        }
        catch (InsufficientFundsException)
        {
            await tx.RollbackAsync(ct);
            return debt;
        }
        await tx.CommitAsync(ct);
        var left = debt - fromCash - fromCredit;
        if (left == 0) await SetOnDemandStatusAsync(customer, [ResourceStatus.Expired, ResourceStatus.Frozen], ResourceStatus.InUse, now, ct);
        return left;
    }

    Task<int> SetOnDemandStatusAsync(string customer, int[] from, int to, DateTime at, CancellationToken ct) =>
        db.CloudResources.Where(r => r.CustomerAccountId == customer && r.ChargeMode == ChargeMode.OnDemand && from.Contains(r.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to).SetProperty(r => r.StatusChangedAt, to == ResourceStatus.InUse ? null : at).SetProperty(r => r.UpdatedAt, at), ct);

    /// <summary>Pay-per-use resources 15 days in grace are frozen (retention); 15 days frozen, they are released.</summary>
    async Task AdvanceLifecycleAsync(DateTime period, CancellationToken ct)
    {
        var onDemand = db.CloudResources.Where(r => r.ChargeMode == ChargeMode.OnDemand);
        var graceEnded = period - GracePeriod;
        await onDemand.Where(r => r.Status == ResourceStatus.Expired && r.StatusChangedAt <= graceEnded)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Frozen).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
        var retentionEnded = period - RetentionPeriod;
        await onDemand.Where(r => r.Status == ResourceStatus.Frozen && r.StatusChangedAt <= retentionEnded)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Closed).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
    }
}

/// <summary>
/// Which hourly run rates a usage record. A record is meant for the first hour boundary after it arrives, but the run
/// for that boundary may have read its records already (a batch committing just after the hour); so ingestion and the
/// run exclude each other — on PostgreSQL with an advisory lock the run holds exclusively and ingestion shares, on
/// SQLite by both writing in one write transaction — and ingestion sends a record to the period after the last one
/// rated when its own has been. No record is left out of every run.
/// </summary>
static class RatingPeriods
{
    const long LockKey = 0x5043_5553_4147; // "PCUSAG"

    public static Task ExcludeIngestionAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.IsNpgsql() ? db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct) : Task.CompletedTask;

    public static Task ShareWithIngestionAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.IsNpgsql() ? db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock_shared({LockKey})", ct) : Task.CompletedTask;

    /// <summary>The run that will rate a record received at <paramref name="now"/>; call inside the ingestion's transaction, after <see cref="ShareWithIngestionAsync"/>.</summary>
    public static async Task<DateTime> ForRecordsReceivedAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var next = Schedules.HourlyAfter(now);
        var lastRated = await db.UsageRatingPeriods.OrderByDescending(p => p.Period).Select(p => (DateTime?)p.Period).FirstOrDefaultAsync(ct);
        return lastRated is { } last && last >= next ? last.AddHours(1) : next;
    }
}

/// <summary>The resource a usage sum is for, as rating needs it.</summary>
sealed record RatedResource(string Id, string SpecId, decimal? SpecSize, string SpecCode, string ServiceTypeCode, string ResourceTypeCode, string Region);

/// <summary>Every hour: the pay-per-use run of <see cref="UsageCharging"/> for the hour that just ended.</summary>
public sealed class UsageRatingJob(IServiceScopeFactory scopes) : IIdlePeriodsJob
{
    public string Name => "usage.rating";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UsageCharging>().RunPeriodAsync(period, ct);
    }

    public Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct) => UsageCharging.CountIdleAsync(db, periods, ct);

    /// <summary>An idle period is marked rated, with no records and no fees, as its run would.</summary>
    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) => db.UsageRatingPeriods.AddRange(periods.Select(p => new UsageRatingPeriod { Period = p }));
}
