using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.PartnerNetwork;

/// <summary>The tax rate in force and every earlier setting, newest first.</summary>
public sealed record PaymentInformation(decimal? TaxRatePercent, IReadOnlyList<PaymentTaxRate> History);

/// <summary>
/// Payment information authentication: the VAT rate (percent) the partner charges on the invoices it issues to the
/// platform for its incentives. Incentives are figured net of tax, and the platform pays incentive plus this tax.
/// Every setting is a new row, so the history stays.
/// </summary>
public sealed class PaymentInformationService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public async Task<PaymentInformation> ShowAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, BusinessInfoActions.View, ct);
        if (!await db.NetworkMembers.AnyAsync(m => m.AccountId == caller.AccountId, ct)) throw new ServiceException(Errors.NotInNetwork());
        return await OfAsync(caller.AccountId, ct);
    }

    public async Task<PaymentInformation> SetTaxRateAsync(Caller caller, decimal? percent, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, BusinessInfoActions.Update, ct);
        var rate = percent ?? throw Check.Invalid("tax_rate is required: a percentage from 0 to 100.");
        if (rate < 0 || rate > 100 || !Money.HasAtMostTwoDecimals(rate)) throw Check.Invalid("tax_rate is a percentage from 0 to 100 with at most 2 decimals, e.g. 6 or 8.25.");
        if (!await db.NetworkMembers.AnyAsync(m => m.AccountId == caller.AccountId, ct)) throw new ServiceException(Errors.NotInNetwork());
        db.PaymentTaxRates.Add(new PaymentTaxRate { AccountId = caller.AccountId, RatePercent = rate, SetBy = caller.UserName, SetAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        return await OfAsync(caller.AccountId, ct);
    }

    async Task<PaymentInformation> OfAsync(string accountId, CancellationToken ct)
    {
        var history = await db.PaymentTaxRates.AsNoTracking().Where(r => r.AccountId == accountId).OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
        return new PaymentInformation(history.FirstOrDefault()?.RatePercent, history);
    }

    /// <summary>Each partner's tax rate in force (none: no row).</summary>
    internal async Task<Dictionary<string, decimal>> RatesAsync(IReadOnlyCollection<string> accountIds, CancellationToken ct)
    {
        var rows = await db.PaymentTaxRates.AsNoTracking().Where(r => accountIds.Contains(r.AccountId)).ToListAsync(ct);
        return rows.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!.RatePercent);
    }
}
