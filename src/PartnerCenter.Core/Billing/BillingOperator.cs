using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Core.Billing;

/// <summary>The operator's side of billing: bill runs and their progress, draft runs, tax rates, the due days, adjustments and overdue partners.</summary>
public sealed class BillingOperator(AppDbContext db, BillRuns runs, LedgerBook ledger, Idempotency keys, TimeProvider clock)
{
    public const int MaxDueDays = 90;
    public const decimal MaxTaxRate = 1m;
    public const decimal MaxAdjustment = 10_000_000m;

    public async Task<IReadOnlyList<BillRun>> RunsAsync(Caller caller, CancellationToken ct = default)
    {
        RequireOperator(caller, "see bill runs");
        return await db.BillRuns.AsNoTracking().OrderByDescending(r => r.Cycle).ThenBy(r => r.Draft).Take(100).ToListAsync(ct);
    }

    /// <summary>Runs a draft of a closed cycle not finalized yet, replacing its earlier drafts.</summary>
    public async Task<BillRun> RunDraftAsync(Caller caller, string? billCycle, CancellationToken ct = default)
    {
        RequireOperator(caller, "run bill drafts");
        if (!BillCycle.TryParse(Check.Required(billCycle, "bill_cycle"), out var cycle)) throw Check.Invalid("bill_cycle is a month, YYYY-MM.");
        return await runs.RunAsync(cycle, draft: true, ct);
    }

    /// <summary>The bills of one run (draft or final) of a cycle, for the operator to check.</summary>
    public async Task<IReadOnlyList<PartnerBill>> BillsAsync(Caller caller, string? billCycle, bool draft, CancellationToken ct = default)
    {
        RequireOperator(caller, "see bills");
        if (!BillCycle.TryParse(Check.Required(billCycle, "bill_cycle"), out var cycle)) throw Check.Invalid("bill_cycle is a month, YYYY-MM.");
        var status = draft ? BillStatus.Draft : BillStatus.Finalized;
        return await db.PartnerBills.AsNoTracking().Include(b => b.Lines).Where(b => b.Cycle == cycle.ToString() && b.Status == status)
            .OrderBy(b => b.PartnerAccountId).Take(1000).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<TaxRate>> TaxRatesAsync(Caller caller, CancellationToken ct = default)
    {
        RequireOperator(caller, "see tax rates");
        return await db.TaxRates.AsNoTracking().OrderBy(t => t.Country).ToListAsync(ct);
    }

    /// <summary>Sets the output-tax rate of partners of one country (0 to 1, e.g. 0.07); bills made from then on use it.</summary>
    public async Task<TaxRate> SetTaxRateAsync(Caller caller, string? country, decimal? rate, CancellationToken ct = default)
    {
        RequireOperator(caller, "set tax rates");
        var code = Check.Required(country, "country");
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper)) throw Check.Invalid("country is an ISO 3166 alpha-2 code in capitals, e.g. SG.");
        var value = rate ?? throw Check.Invalid("rate is required.");
        if (value < 0 || value > MaxTaxRate || value != Math.Round(value, 4)) throw Check.Invalid("rate is 0 to 1 with at most 4 decimals (0.07 is 7 %).");
        var row = await db.TaxRates.SingleOrDefaultAsync(t => t.Country == code, ct);
        if (row is null) db.TaxRates.Add(row = new TaxRate { Country = code });
        (row.Rate, row.UpdatedAt) = (value, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return row;
    }

    public async Task<BillingSettings> SettingsAsync(Caller caller, CancellationToken ct = default)
    {
        RequireOperator(caller, "see billing settings");
        return await db.BillingSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new BillingSettings();
    }

    /// <summary>Sets the days from a bill's finalization to its due date (1 to 90); bills made from then on use it.</summary>
    public async Task<BillingSettings> SetDueDaysAsync(Caller caller, int? dueDays, CancellationToken ct = default)
    {
        RequireOperator(caller, "change billing settings");
        var days = dueDays ?? throw Check.Invalid("due_days is required.");
        if (days is < 1 or > MaxDueDays) throw Check.Invalid($"due_days is 1 to {MaxDueDays}.");
        var row = await db.BillingSettings.SingleOrDefaultAsync(ct);
        if (row is null) db.BillingSettings.Add(row = new BillingSettings());
        row.DueDays = days;
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>
    /// A correction of what a partner owes (positive: the partner owes more; negative: a credit or write-off), booked
    /// now, so it lands as an adjustment line of the partner's next bill; finalized bills never change. Idempotent by client token.
    /// </summary>
    public async Task<decimal> AdjustAsync(Caller caller, string? partnerAccountId, decimal? amount, string? reason, string? clientToken, CancellationToken ct = default)
    {
        RequireOperator(caller, "adjust partner bills");
        var partner = Check.MaxLength(Check.Required(partnerAccountId, "partner_account_id"), "partner_account_id", 64);
        if (!await db.Partners.AnyAsync(p => p.AccountId == partner, ct)) throw new ServiceException(Errors.NotAPartner());
        var value = amount ?? throw Check.Invalid("amount is required.");
        if (value == 0 || Math.Abs(value) > MaxAdjustment || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"amount is non-zero, at most {MaxAdjustment} either way, with at most 2 decimals.");
        var why = Check.MaxLength(Check.Required(reason, "reason"), "reason", 256);
        var token = Check.MaxLength(Check.Required(clientToken, "client_token"), "client_token", 64);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await keys.TakeAsync("bill-adjustments:" + caller.AccountId, token, Idempotency.Fingerprint(new { partner, value, why }), ct))
        {
            await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
            var (from, to) = value > 0
                ? (LedgerBook.PayableOf(partner), LedgerBook.Platform(LedgerAccountKind.PlatformAdjustments))
                : (LedgerBook.Platform(LedgerAccountKind.PlatformAdjustments), LedgerBook.PayableOf(partner));
            try
            {
                await ledger.PostAsync($"billadjust:{caller.AccountId}:{token}", "PartnerAdjustment", partner, why, caller.UserName, [new Movement(from, to, Math.Abs(value))], ct);
            }
            catch (InsufficientFundsException)
            {
                throw new ServiceException(Errors.ConsumptionQuotaExceeded());
            }
        }
        await tx.CommitAsync(ct);
        return -await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => a.Balance).SingleAsync(ct);
    }

    public async Task<IReadOnlyList<(string Partner, decimal Overdue, DateTime OldestDueAt)>> OverduePartnersAsync(Caller caller, CancellationToken ct = default)
    {
        RequireOperator(caller, "see overdue partners");
        return await Overdue.PartnersAsync(db, clock.GetUtcNow().UtcDateTime, ct);
    }

    static void RequireOperator(Caller caller, string what)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly(what));
    }
}
