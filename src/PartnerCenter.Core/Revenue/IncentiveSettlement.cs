using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.PartnerNetwork;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

public enum SettlementStatus { Ready, Waiting }

/// <summary>
/// One partner's incentive of a closed month as the platform would settle it: the incentive (net of tax), the tax at
/// the partner's payment-information rate, and what is payable. <see cref="Status"/> is Waiting, with its reason,
/// when the partner cannot be settled yet.
/// </summary>
public sealed record SettlementLine(string PartnerAccountId, string PartnerId, string CompanyName, decimal Incentive, decimal? TaxRatePercent, decimal Tax,
    decimal Payable, SettlementStatus Status, string? WaitingReason);

/// <summary>
/// The operator's incentive settlement of a closed month: every partner's referral incentive with its tax. A partner
/// whose business information change is under review is skipped and reported (the user guide: no settlement runs until
/// the change is approved), as is one without approved business information (nowhere to pay). This reads; it moves no
/// money: paying out incentives is not built (see docs/decisions.md, "Revenue and incentives").
/// </summary>
public sealed class IncentiveSettlement(AppDbContext db, Iam.AccessControl access, RevenueService revenue, BusinessInformationService business, PaymentInformationService payment)
{
    public async Task<IReadOnlyList<SettlementLine>> ForMonthAsync(Caller caller, string? month, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, RevenueActions.Settle, ct);
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("settle partners' incentives"));
        var cycle = revenue.ParseMonth(month);
        if (cycle >= revenue.Current) throw Check.Invalid($"month {cycle} is not closed yet: incentives are settled after the month ends.");
        var partners = await db.Partners.AsNoTracking().OrderBy(p => p.JoinedAt).ThenBy(p => p.AccountId).ToListAsync(ct);
        var ids = partners.Select(p => p.AccountId).ToList();
        var underReview = await business.UnderReviewAsync(ids, ct);
        var approved = (await db.BusinessInfoSubmissions.AsNoTracking().Where(s => s.Status == BusinessInfoStatus.Approved && ids.Contains(s.AccountId))
            .Select(s => s.AccountId).Distinct().ToListAsync(ct)).ToHashSet();
        var rates = await payment.RatesAsync(ids, ct);
        var lines = new List<SettlementLine>();
        foreach (var p in partners)
        {
            var incentive = (await revenue.StatementOfAsync(p, cycle, ct)).Totals.Incentive;
            decimal? rate = rates.TryGetValue(p.AccountId, out var r) ? r : null;
            var tax = Money.Round2(incentive * (rate ?? 0m) / 100m);
            var waiting = underReview.Contains(p.AccountId) ? "business information change under review"
                : !approved.Contains(p.AccountId) ? "no approved business information" : null;
            lines.Add(new SettlementLine(p.AccountId, p.PartnerId, p.CompanyName, incentive, rate, tax, incentive + tax,
                waiting is null ? SettlementStatus.Ready : SettlementStatus.Waiting, waiting));
        }
        return lines;
    }
}
