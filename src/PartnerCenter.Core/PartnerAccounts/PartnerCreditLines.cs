using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.PartnerAccounts;

/// <summary>
/// A credit line the operator grants a partner until a date: it raises the partner's consumption quota (its credit) by
/// <see cref="Amount"/> over <see cref="BaseQuota"/>, the quota the operator set without an expiry. One line per
/// partner; a new grant replaces it.
/// </summary>
public sealed class PartnerCreditLine
{
    public required string PartnerAccountId { get; init; }
    public decimal Amount { get; set; }
    public decimal BaseQuota { get; set; }
    public DateTime ExpiresAt { get; set; }
    public bool Expired { get; set; }
    public required string GrantedBy { get; set; }
    public DateTime GrantedAt { get; set; }
}

sealed class PartnerCreditLineConfiguration : IEntityTypeConfiguration<PartnerCreditLine>
{
    public void Configure(EntityTypeBuilder<PartnerCreditLine> e)
    {
        e.ToTable("partner_credit_lines");
        e.HasKey(x => x.PartnerAccountId);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.GrantedBy).HasMaxLength(64);
        e.HasIndex(x => new { x.Expired, x.ExpiresAt });
    }
}

/// <summary>What a partner's credit is made of: the quota without expiry, and the line on top of it while it lasts.</summary>
public sealed record PartnerCredit(decimal Quota, decimal BaseQuota, PartnerCreditLine? Line);

/// <summary>
/// Credit lines with an expiry for partners. The consumption quota is the floor of the partner's payable, so granting a
/// line lowers that floor by its amount and its expiry raises it back: a conditional update that never puts the floor
/// above what the partner owes (a partner owing more than its base quota then cannot buy until it repays).
/// </summary>
public sealed class PartnerCreditLines(AppDbContext db, LedgerBook ledger, TimeProvider clock)
{
    /// <summary>The quota and the line as they stand.</summary>
    public async Task<PartnerCredit> CreditOfAsync(string partner, CancellationToken ct = default)
    {
        var floor = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => a.Floor).SingleOrDefaultAsync(ct);
        var quota = floor is { } f ? -f : LedgerBook.DefaultConsumptionQuota;
        var line = await db.PartnerCreditLines.AsNoTracking().SingleOrDefaultAsync(l => l.PartnerAccountId == partner && !l.Expired, ct);
        return new PartnerCredit(quota, line?.BaseQuota ?? quota, line);
    }

    /// <summary>The operator grants (or replaces) a partner's credit line of <paramref name="amount"/> until <paramref name="expireTime"/>.</summary>
    public async Task<PartnerCredit> GrantAsync(Caller caller, string? partnerAccountId, decimal? amount, DateTime? expireTime, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.NoPermission("operator:credit lines"));
        var partner = Check.Required(partnerAccountId, "partner_account_id");
        if (!await db.Partners.AnyAsync(p => p.AccountId == partner, ct)) throw new ServiceException(Errors.NotAPartner());
        var value = amount ?? throw Check.Invalid("credit_amount is required.");
        if (value <= 0 || value > FundsService.MaxCreditLimit || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"credit_amount is more than 0 and at most {FundsService.MaxCreditLimit} with at most 2 decimals.");
        var now = clock.GetUtcNow().UtcDateTime;
        var until = expireTime ?? throw Check.Invalid("expire_time is required.");
        if (until <= now) throw Check.Invalid("expire_time is in the future.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
        var credit = await CreditOfAsync(partner, ct);
        var quota = credit.BaseQuota + value;
        // As for a quota: never a floor above what the partner owes (checked in the update, so a purchase meanwhile cannot slip under it).
        if (await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner) && a.Balance >= -quota)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Floor, -quota), ct) == 0)
        {
            var owed = -await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => a.Balance).SingleAsync(ct);
            throw new ServiceException(Errors.ConsumptionQuotaBelowDebt(owed));
        }
        var row = await db.PartnerCreditLines.SingleOrDefaultAsync(l => l.PartnerAccountId == partner, ct);
        if (row is null) db.PartnerCreditLines.Add(row = new PartnerCreditLine { PartnerAccountId = partner, GrantedBy = caller.UserName });
        (row.Amount, row.BaseQuota, row.ExpiresAt, row.Expired, row.GrantedBy, row.GrantedAt) = (value, credit.BaseQuota, until, false, caller.UserName, now);
        db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partner, CustomerAccountId = partner, Kind = "credit.granted", CreatedAt = now,
            Message = $"A credit line of {Text(value)} USD until {until:yyyy-MM-dd HH:mm} UTC raises your consumption quota to {Text(quota)} USD.",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await CreditOfAsync(partner, ct);
    }

    /// <summary>
    /// The operator's quota without expiry, set while a line may be running: the line stays on top of it. Runs in the
    /// caller's transaction; returns the quota the payable's floor must have.
    /// </summary>
    public async Task<decimal> QuotaWithLineAsync(string partner, decimal baseQuota, CancellationToken ct)
    {
        var line = await db.PartnerCreditLines.SingleOrDefaultAsync(l => l.PartnerAccountId == partner && !l.Expired, ct);
        if (line is null) return baseQuota;
        line.BaseQuota = baseQuota;
        await db.SaveChangesAsync(ct);
        return baseQuota + line.Amount;
    }

    /// <summary>
    /// Ends every line expired by <paramref name="period"/>: the floor goes back to the base quota, or to what the partner
    /// owes if that is more. Each line once: its Expired flag is claimed by a conditional update in the same transaction.
    /// </summary>
    public static async Task ExpireAsync(AppDbContext db, DateTime period, CancellationToken ct)
    {
        var due = await db.PartnerCreditLines.AsNoTracking().Where(l => !l.Expired && l.ExpiresAt <= period).ToListAsync(ct);
        foreach (var line in due)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await db.PartnerCreditLines.Where(l => l.PartnerAccountId == line.PartnerAccountId && !l.Expired && l.ExpiresAt == line.ExpiresAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.Expired, true), ct) == 0) continue;
            var floor = -line.BaseQuota;
            await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(line.PartnerAccountId))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Floor, a => a.Balance < floor ? a.Balance : floor), ct);
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = line.PartnerAccountId, CustomerAccountId = line.PartnerAccountId, Kind = "credit.expired", CreatedAt = period,
                Message = $"Your credit line of {Text(line.Amount)} USD expired; your consumption quota is {Text(line.BaseQuota)} USD again.",
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Hourly: partners' credit lines whose expiry has come end (a line lasts until the first run at or after its expiry).</summary>
public sealed class PartnerCreditLineExpiryJob : IScheduledJob
{
    public string Name => "partners.credit-lines.expire";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) => PartnerCreditLines.ExpireAsync(db, period, ct);
}
