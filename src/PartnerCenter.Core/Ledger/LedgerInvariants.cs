using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Ledger;

/// <summary>
/// The ledger's invariants, checked after every scenario test (and available to operators): every entry's postings
/// sum to zero and repeat its kind, reference and booked instant, every account's balance equals the sum of its postings, no balance is below its floor, and all
/// balances together sum to zero. Returns what is broken; empty when the books are sound.
/// </summary>
public static class LedgerInvariants
{
    public static async Task<IReadOnlyList<string>> CheckAsync(AppDbContext db, CancellationToken ct = default)
    {
        var broken = new List<string>();
        var unbalanced = await db.Postings.GroupBy(p => p.EntryId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).Where(x => x.Sum != 0).ToListAsync(ct);
        broken.AddRange(unbalanced.Select(x => $"entry {x.Key}: postings sum to {x.Sum}, not 0"));

        var sums = await db.Postings.GroupBy(p => p.AccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        var accounts = await db.LedgerAccounts.AsNoTracking().ToListAsync(ct);
        foreach (var a in accounts)
        {
            var posted = sums.GetValueOrDefault(a.Id);
            if (a.Balance != posted) broken.Add($"account {a.Id}: balance {a.Balance} but its postings sum to {posted}");
            if (a.Floor is { } floor && a.Balance < floor) broken.Add($"account {a.Id}: balance {a.Balance} is below its floor {floor}");
        }
        foreach (var orphan in sums.Keys.Except(accounts.Select(a => a.Id))) broken.Add($"postings on unknown account {orphan}");
        if (accounts.Sum(a => a.Balance) is var total && total != 0) broken.Add($"all balances sum to {total}, not 0");
        var entriesWithoutPostings = await db.JournalEntries.Where(e => !db.Postings.Any(p => p.EntryId == e.Id)).Select(e => e.Id).Take(10).ToListAsync(ct);
        broken.AddRange(entriesWithoutPostings.Select(e => $"entry {e} has no postings"));
        // A posting repeats its entry's kind, reference and booked instant (bills read them from the posting).
        var unlike = await (from p in db.Postings join e in db.JournalEntries on p.EntryId equals e.Id
                            where p.Kind != e.Kind || p.BookedAt != e.BookedAt || (p.Reference ?? "") != (e.Reference ?? "")
                            select p.EntryId).Distinct().Take(10).ToListAsync(ct);
        broken.AddRange(unlike.Select(e => $"entry {e}: a posting's kind, reference or booked instant differs from the entry's"));
        // Coupons and the ledger agree: a customer's coupon account holds what its cash and flexi-purchase coupons have left.
        var couponSums = await db.Coupons.Where(c => c.CouponType != Coupons.CouponCodes.Discount).GroupBy(c => c.CustomerAccountId)
            .Select(g => new { g.Key, Sum = g.Sum(c => c.Balance) }).ToDictionaryAsync(x => LedgerBook.CouponsOf(x.Key), x => x.Sum, ct);
        foreach (var a in accounts.Where(a => a.Kind == LedgerAccountKind.CustomerCoupons || couponSums.ContainsKey(a.Id)))
            if (a.Balance != couponSums.GetValueOrDefault(a.Id)) broken.Add($"account {a.Id}: balance {a.Balance} but the customer's coupons hold {couponSums.GetValueOrDefault(a.Id)}");
        foreach (var missing in couponSums.Where(x => x.Value != 0 && accounts.All(a => a.Id != x.Key))) broken.Add($"coupons hold {missing.Value} without the ledger account {missing.Key}");
        // Bills and the payable agree: what finalized bills have due plus what is not billed yet is what partners owe.
        broken.AddRange(await Billing.BillRuns.CheckAsync(db, ct));
        return broken;
    }
}
