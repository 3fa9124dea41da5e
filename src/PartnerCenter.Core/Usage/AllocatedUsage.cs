using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Usage;

/// <summary>
/// One hourly charge of a resale customer's pay-per-use paid from the cash its partner allocated (the China model,
/// docs/decisions.md "Resale customers spend allocated money"). The ledger holds the payment (customer cash → revenue);
/// this row keeps what the ledger cannot: the partner whose customer it was and the settlement share the trade carries,
/// so the partner's revenue statement reckons the customer's price against it as it does for a charge to its payable.
/// </summary>
public sealed class AllocatedUsageCharge
{
    /// <summary>The charge's journal entry id, <c>usage:{customer}:{period}</c>: one row per hourly charge at most.</summary>
    public required string EntryId { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string PartnerAccountId { get; init; }
    /// <summary>The hour the charge is booked at (the rated hour, as the ledger entry).</summary>
    public DateTime BookedAt { get; init; }
    /// <summary>The list price due this hour (2 decimals): what the budget would have been spent.</summary>
    public decimal ListAmount { get; init; }
    /// <summary>What the customer's cash paid, at its own price (2 decimals).</summary>
    public decimal Amount { get; init; }
    /// <summary>The settlement price due this hour (2 decimals): what the partner's payable would have been charged.</summary>
    public decimal SettlementAmount { get; init; }
}

sealed class AllocatedUsageChargeConfiguration : IEntityTypeConfiguration<AllocatedUsageCharge>
{
    public void Configure(EntityTypeBuilder<AllocatedUsageCharge> e)
    {
        e.ToTable("allocated_usage_charges");
        e.HasKey(x => x.EntryId);
        e.Property(x => x.EntryId).HasMaxLength(128);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.HasIndex(x => new { x.PartnerAccountId, x.BookedAt });
    }
}

/// <summary>
/// The hourly run's China-model path for a resale customer: when its cash covers what the hour makes due at its own
/// price (<see cref="AllocatedFunds.Pays"/>, the rule orders follow), the cash pays it and neither its budget nor its
/// partner's payable moves; otherwise the run charges the partner as before. A frozen customer pays neither way.
/// </summary>
public static class AllocatedUsage
{
    /// <summary>
    /// Pays the customer's due usage from its cash in a transaction of its own; false (nothing written) when the cash
    /// does not cover it, the customer is frozen, or another payment took the cash after it was read.
    /// </summary>
    public static async Task<bool> TryChargeAsync(AppDbContext db, LedgerBook ledger, BudgetConsumption budgets, string customer, string partner, string entry,
        DateTime bookedAt, string description, CancellationToken ct)
    {
        // Read before the transaction (most resale customers hold no allocated cash: they open none); the ledger's
        // conditional update refuses the payment if the cash is gone by then.
        var cash = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CashOf(customer)).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(ct) ?? 0;
        if (cash <= 0) return false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await db.UsageAccounts.SingleOrDefaultAsync(a => a.CustomerAccountId == customer, ct);
        if (account is null) return false;
        var due = UsageCharging.Due(account.Accrued, account.Deducted);
        if (!AllocatedFunds.Pays(cash, due) || await budgets.CannotTransactAsync(customer, ct) is not null) return false;
        var list = UsageCharging.Due(account.AccruedOfficial, account.SpentOfficial);
        var settlement = UsageCharging.Due(account.AccruedSettlement, account.ChargedSettlement);
        try
        {
            await ledger.PostAsync(entry, "UsageCharge", customer, description, "system",
                [new Movement(LedgerBook.CashOf(customer), LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), due)], ct, bookedAt: bookedAt);
        }
        catch (InsufficientFundsException)
        {
            // An order took the cash since it was read: nothing is charged here, and the partner's path pays the hour.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
        db.AllocatedUsageCharges.Add(new AllocatedUsageCharge
        {
            EntryId = entry, CustomerAccountId = customer, PartnerAccountId = partner, BookedAt = bookedAt, ListAmount = list, Amount = due, SettlementAmount = settlement,
        });
        // The hour is paid at every price: the list and settlement amounts are not charged to the partner later.
        account.Deducted += due;
        account.SpentOfficial += list;
        account.ChargedSettlement += settlement;
        account.UpdatedAt = bookedAt.AddHours(1);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return true;
    }
}
