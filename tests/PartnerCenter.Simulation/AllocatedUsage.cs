using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Simulation;

/// <summary>Resale customers' pay-per-use paid from the cash their partner allocated (the China model), checked after each clock step.</summary>
public sealed partial class SimulationDriver
{
    /// <summary>
    /// A pay-per-use order for a current resale customer: among every customer ever made (dissolved ones stay, paying
    /// for themselves), the few current resale customers would otherwise rarely get pay-per-use.
    /// </summary>
    async Task ResalePayPerUseOrderAsync()
    {
        if (Resale is { Count: > 0 } resale) await PayPerUseOrderAsync(Pick(resale));
    }

    /// <summary>Usage of a current resale customer's pay-per-use resource, so that hours its allocated cash may pay come up.</summary>
    async Task IngestResaleUsageAsync()
    {
        var candidates = model.Resources.Where(r => r.OnDemand && !r.Closed && r.Customer.Partner is not null).ToList();
        if (candidates.Count > 0) await IngestUsageAsync(Pick(candidates));
    }

    /// <summary>
    /// Each hourly charge of a resale customer in the step, in the order the runs made them: paid from its cash exactly
    /// when the model says that cash (as the step found it, less the hours before) covers what the hour made due
    /// (<see cref="SimModel.UsageFromCash"/>), otherwise charged to its budget and partner. The amount due comes from the
    /// charge itself — the cash it took, or the list price its budget was spent — since the model does not repeat rating
    /// (the simulation's customers have no discounts, so both prices are the list price).
    /// </summary>
    void CheckUsageFunding(List<(string EntryId, string Customer)> charges, List<CheckQueries.NewPosting> postings, List<BudgetSpend> spends,
        Dictionary<string, decimal> cashBefore)
    {
        foreach (var byCustomer in charges.GroupBy(x => x.Customer))
        {
            if (!cashBefore.TryGetValue(byCustomer.Key, out var cash)) continue; // not a resale customer
            var c = model.Customers.Single(x => x.Id == byCustomer.Key);
            foreach (var entry in byCustomer.Select(x => x.EntryId).Order(StringComparer.Ordinal))
            {
                var paid = -postings.Where(p => p.EntryId == entry && p.AccountId == LedgerBook.CashOf(c.Id)).Sum(p => p.Amount);
                var due = paid > 0 ? paid : spends.Where(s => s.IdempotencyKey == entry).Sum(s => s.Amount);
                var expected = SimModel.UsageFromCash(c, cash, due);
                if (expected != paid > 0)
                    Fail($"{entry}: {(paid > 0 ? "paid from" : "not paid from")} the allocated cash of {c.Handle}; the model, with {cash} in cash and {due} due, says {(expected ? "from the cash" : "by the partner")}");
                // How often each side paid a resale customer's hour, for the report (charged inside clock steps, timed with them).
                var side = paid > 0 ? "resale-usage-from-cash" : "resale-usage-by-partner";
                counts[side] = counts.GetValueOrDefault(side) + 1;
                times[side] = times.GetValueOrDefault(side);
                cash -= paid;
            }
        }
    }

    /// <summary>
    /// A refund of stretches a partner's allocated cash paid, once that association has ended, goes on from the customer's
    /// cash to that partner's balance (BEUNBIND, keyed by the refund order): each partner's share within the bounds of the
    /// stretches it paid (the split is the refund rule's, which the model only bounds, so it is read, then bounded).
    /// </summary>
    async Task RefundToFormerPartnersAsync(MResource r, string refundOrderId, DateTime now, Dictionary<string, decimal> deltas)
    {
        var former = r.Stretches.Where(s => !s.Refunded && s.End > now && s.AllocatedBy is { } p && p != r.Customer.Partner).Select(s => s.AllocatedBy!).Distinct().ToList();
        foreach (var partner in former)
        {
            var back = await reader.Postings.AsNoTracking().Where(p => p.EntryId == "BeUnbind:" + refundOrderId && p.AccountId == LedgerBook.PartnerBalanceOf(partner.Id))
                .SumAsync(p => p.Amount);
            var (min, max) = model.RefundBounds(r, now, s => s.AllocatedBy == partner);
            if (back < min || back > max) Fail($"refund of {r.Handle}: {back} back to its former partner {partner.Handle}, the model allows {min} to {max}");
            Trace($"  {back:0.00} of it back to {partner.Handle}");
            SimModel.Add(deltas, LedgerBook.CashOf(r.Customer.Id), -back);
            SimModel.Add(deltas, LedgerBook.PartnerBalanceOf(partner.Id), back);
        }
    }
}
