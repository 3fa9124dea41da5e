using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Simulation;

/// <summary>An enterprise master and its member as the model sees them: what the master gave and did not take back yet.</summary>
public sealed class MEnterprise
{
    public required MCustomer Master { get; init; }
    public required MCustomer Member { get; init; }
    public decimal CashGiven { get; set; }
    /// <summary>Credit given without expiry (the credit ledger without an expiry).</summary>
    public decimal CreditGiven { get; set; }
    /// <summary>The credit ledgers with an expiry: what each holds until the hourly job ends it.</summary>
    public List<MCreditLedger> ExpiringCredit { get; } = [];
    /// <summary>The last trans_id that moved something: funds and coupons share the master's trans_id namespace.</summary>
    public string? LastTransId { get; set; }
}

/// <summary>Credit a master gave its member until <see cref="ExpiresAt"/>: what it may still take back, and whether the job ended it.</summary>
public sealed class MCreditLedger
{
    public required DateTime ExpiresAt { get; init; }
    public decimal Amount { get; set; }
    public bool Expired { get; set; }
}

/// <summary>
/// Funds between an enterprise master and its member in the seeded simulation: cash or credit each way, sometimes more
/// than there is, sometimes a trans_id used before (CBC.99007009, nothing moves). The master and member are two of the
/// direct customers, so orders, top-ups, adjustments and credit lines interleave with their transfers. Credit with an
/// expiry comes back to the master at the hourly job after it (checked in the clock step that runs it), and the master
/// shares a platform coupon with the member and takes what is left of it back.
/// </summary>
public sealed partial class SimulationDriver
{
    /// <summary>The master and member of the organization whose funds move (the organization is made by OrganizationAsync).</summary>
    void FundsBetween(MCustomer master, MCustomer member)
    {
        model.Enterprise = new MEnterprise { Master = master, Member = member };
        Trace($"enterprise funds between {master.Handle} and member {member.Handle}");
    }

    async Task EnterpriseFundsAsync()
    {
        if (model.Enterprise is not { } e) return;
        var (master, member) = (e.Master, e.Member);
        touchedCustomers.Add(master);
        touchedCustomers.Add(member);
        var credit = rng.Next(3) == 0;
        var retrieve = rng.Next(2) == 0;
        var (mine, theirs) = credit ? (LedgerBook.CreditOf(master.Id), LedgerBook.CreditOf(member.Id)) : (LedgerBook.CashOf(master.Id), LedgerBook.CashOf(member.Id));
        var given = credit ? e.CreditGiven : e.CashGiven;
        var held = model.Balance(retrieve ? theirs : mine);
        var amount = rng.Next(4) == 0 || held < 0.01m ? Amount(1, 80) : Math.Min(held, Amount(1, 80));
        var reuse = e.LastTransId is not null && rng.Next(8) == 0;
        var transId = reuse ? e.LastTransId! : "et" + NextHandle("");
        var expected = reuse ? EnterpriseTransferErrors.DuplicateTransId().Code
            : retrieve && (amount > given || amount > held) || !retrieve && amount > held ? Errors.InsufficientBalance().Code : null;
        var request = new EnterpriseFundsRequest(member.Id, amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), transId,
            credit ? "BALANCE_TYPE_CREDIT" : "BALANCE_TYPE_DEBIT", null);
        var (ok, _) = await CallAsync($"enterprise {(retrieve ? "retrieve" : "transfer")} {(credit ? "credit" : "cash")} {member.Handle} {amount:0.00}{(reuse ? " same trans_id" : "")}",
            expected, sp => retrieve ? sp.GetRequiredService<EnterpriseTransfers>().RetrieveAsync(master.Caller, request) : sp.GetRequiredService<EnterpriseTransfers>().TransferAsync(master.Caller, request));
        if (!ok) return;
        var (from, to) = retrieve ? (theirs, mine) : (mine, theirs);
        var deltas = Nothing();
        SimModel.Add(deltas, from, -amount);
        SimModel.Add(deltas, to, amount);
        var signed = retrieve ? -amount : amount;
        Expect(deltas, () =>
        {
            e.LastTransId = transId;
            if (!credit) { e.CashGiven += signed; return; }
            // The credit line moves with the credit: each side's debt stays its own.
            e.CreditGiven += signed;
            master.CreditLimit -= signed;
            member.CreditLimit += signed;
        });
    }

    const string ExpiryEntryPrefix = "ent-expire:";

    /// <summary>
    /// Credit with an expiry: the master gives some until a time within three days (in whole seconds: it names the ledger),
    /// or takes some back from a ledger — refused once its expiry has come (CBC.99007181), even before the job ran.
    /// </summary>
    async Task EnterpriseExpiringCreditAsync()
    {
        if (model.Enterprise is not { } e) return;
        var (master, member) = (e.Master, e.Member);
        touchedCustomers.Add(master);
        touchedCustomers.Add(member);
        var (mine, theirs) = (LedgerBook.CreditOf(master.Id), LedgerBook.CreditOf(member.Id));
        var open = e.ExpiringCredit.Where(l => !l.Expired).ToList();
        var retrieve = open.Count > 0 && rng.Next(3) == 0;
        var ledger = retrieve ? Pick(open) : null;
        var now = Now;
        var expiry = ledger?.ExpiresAt ?? new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddMinutes(rng.Next(20, 3 * 24 * 60));
        var held = model.Balance(retrieve ? theirs : mine);
        var amount = rng.Next(4) == 0 || held < 0.01m ? Amount(1, 60) : Math.Min(held, Amount(1, 60));
        if (ledger is not null && rng.Next(2) == 0 && ledger.Amount > 0) amount = Math.Min(amount, ledger.Amount);
        var reuse = e.LastTransId is not null && rng.Next(10) == 0;
        var transId = reuse ? e.LastTransId! : "ex" + NextHandle("");
        var expected = reuse ? EnterpriseTransferErrors.DuplicateTransId().Code
            : !retrieve ? (amount > held ? Errors.InsufficientBalance().Code : null)
            : ledger!.ExpiresAt <= now ? EnterpriseTransferErrors.CreditLedgerExpired().Code
            : amount > ledger.Amount || amount > held ? Errors.InsufficientBalance().Code : null;
        var request = new EnterpriseFundsRequest(member.Id, amount.ToString("0.00", CultureInfo.InvariantCulture), transId, "BALANCE_TYPE_CREDIT",
            expiry.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var (ok, _) = await CallAsync($"enterprise {(retrieve ? "retrieve" : "transfer")} credit until {expiry:MM-dd HH:mm:ss} {member.Handle} {amount:0.00}{(reuse ? " same trans_id" : "")}",
            expected, sp => retrieve ? sp.GetRequiredService<EnterpriseTransfers>().RetrieveAsync(master.Caller, request) : sp.GetRequiredService<EnterpriseTransfers>().TransferAsync(master.Caller, request));
        if (!ok) return;
        var deltas = Nothing();
        SimModel.Add(deltas, retrieve ? theirs : mine, -amount);
        SimModel.Add(deltas, retrieve ? mine : theirs, amount);
        var signed = retrieve ? -amount : amount;
        Expect(deltas, () =>
        {
            e.LastTransId = transId;
            master.CreditLimit -= signed;
            member.CreditLimit += signed;
            if (ledger is null)
            {
                ledger = e.ExpiringCredit.SingleOrDefault(l => l.ExpiresAt == expiry);
                if (ledger is null) e.ExpiringCredit.Add(ledger = new MCreditLedger { ExpiresAt = expiry });
            }
            ledger.Amount += signed;
        });
    }

    /// <summary>
    /// A clock step ran the hourly credit-ledger expiry: each ledger due by the last run ended once, sending back what the
    /// member still had available of it (at most the ledger) with its credit line. When nothing else moved the member's
    /// credit in the step the amount is exactly that; otherwise (its pay-per-use or arrears ran between) within bounds.
    /// No ledger that is not due ends. Call before the step's movements are learned (the member's credit before the step).
    /// </summary>
    void CheckCreditExpiries(List<CheckQueries.NewPosting> postings)
    {
        var expiries = postings.Where(p => p.EntryId.StartsWith(ExpiryEntryPrefix, StringComparison.Ordinal)).ToList();
        if (model.Enterprise is not { } e)
        {
            if (expiries.Count > 0) Fail($"a clock step ended a credit ledger the model never gave ({expiries[0].EntryId})");
            return;
        }
        var (master, member) = (e.Master, e.Member);
        var theirs = LedgerBook.CreditOf(member.Id);
        var exact = !postings.Any(p => p.AccountId == theirs && !p.EntryId.StartsWith(ExpiryEntryPrefix, StringComparison.Ordinal));
        var available = model.Balance(theirs);
        var lastRun = LastRun;
        var ended = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in e.ExpiringCredit.Where(l => !l.Expired && l.ExpiresAt <= lastRun).OrderBy(l => l.ExpiresAt))
        {
            var reference = "expired:" + EnterpriseTransfers.CreditLineId(member.Id, l.ExpiresAt);
            ended.Add(reference);
            var back = -expiries.Where(p => p.Reference == reference && p.AccountId == theirs).Sum(p => p.Amount);
            var toMaster = expiries.Where(p => p.Reference == reference && p.AccountId == LedgerBook.CreditOf(master.Id)).Sum(p => p.Amount);
            var expected = Math.Min(l.Amount, Math.Max(0, available));
            if (back != toMaster || back < 0 || back > l.Amount || exact && back != expected)
                Fail($"credit ledger until {l.ExpiresAt:MM-dd HH:mm:ss} ({l.Amount:0.00}) ended with {back} from the member and {toMaster} to the master, the model expected {(exact ? expected.ToString("0.00", CultureInfo.InvariantCulture) : "0 to " + l.Amount)}");
            available -= back;
            (l.Expired, l.Amount) = (true, 0m);
            master.CreditLimit += back;
            member.CreditLimit -= back;
            touchedCustomers.Add(master);
            touchedCustomers.Add(member);
            Trace($"credit ledger until {l.ExpiresAt:MM-dd HH:mm:ss} ended, {back:0.00} back to {master.Handle}");
            // Reported with the operations (timed with the clock step that ran the job), exactly checked or only bounded.
            var counted = exact ? "credit-ledger-ended" : "credit-ledger-ended-bounded";
            counts[counted] = counts.GetValueOrDefault(counted) + 1;
            times[counted] = times.GetValueOrDefault(counted);
        }
        if (expiries.FirstOrDefault(p => !ended.Contains(p.Reference ?? "")) is { } early) Fail($"a clock step ended a credit ledger that is not due ({early.Reference})");
    }

    /// <summary>Each credit ledger with an expiry holds in the database what the model says, ended or not; the credit lines agree.</summary>
    async Task CompareCreditLedgersAsync(Core.Data.AppDbContext db)
    {
        if (model.Enterprise is not { } e) return;
        var rows = await db.EnterpriseCreditLines.AsNoTracking().Where(l => l.MasterAccountId == e.Master.Id && l.ExpiresAt != null).ToDictionaryAsync(l => l.Id, StringComparer.Ordinal);
        foreach (var l in e.ExpiringCredit)
            if (!rows.TryGetValue(EnterpriseTransfers.CreditLineId(e.Member.Id, l.ExpiresAt), out var row) || (row.Amount, row.Expired) != (l.Amount, l.Expired))
                Fail($"credit ledger until {l.ExpiresAt:MM-dd HH:mm:ss}: the database holds {row?.Amount} (ended {row?.Expired}), the model {l.Amount} (ended {l.Expired})");
        if (rows.Count != e.ExpiringCredit.Count) Fail($"the database holds {rows.Count} credit ledgers with an expiry, the model {e.ExpiringCredit.Count}");
        var limits = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CreditOf(e.Master.Id) || a.Id == LedgerBook.CreditOf(e.Member.Id))
            .ToDictionaryAsync(a => a.Id, a => a.CreditLimit, StringComparer.Ordinal);
        foreach (var c in new[] { e.Master, e.Member })
            if (limits.GetValueOrDefault(LedgerBook.CreditOf(c.Id)) != c.CreditLimit)
                Fail($"credit line of {c.Handle}: {limits.GetValueOrDefault(LedgerBook.CreditOf(c.Id))} in the database, {c.CreditLimit} in the model");
    }

    /// <summary>
    /// Coupons across the organization: the operator gives the master a platform cash coupon (a master may hold the
    /// operator's test coupons); the master transfers part of one to the member (more than it holds: refused; a coupon
    /// used up: not transferable) or takes a member's coupon back, what is left of it returning to the master's coupon
    /// (or to the platform when that coupon has ended). A used trans_id moves nothing (CBC.99007009).
    /// </summary>
    async Task EnterpriseCouponsAsync()
    {
        if (model.Enterprise is not { } e) return;
        var (master, member) = (e.Master, e.Member);
        touchedCustomers.Add(master);
        touchedCustomers.Add(member);
        var masters = model.Coupons.Where(c => c.Customer == master && c.Partner is null).ToList();
        var subs = model.Coupons.Where(c => c.Customer == member && c.From is not null).ToList();
        var roll = rng.Next(10);
        if (masters.Count == 0 || roll == 0) await GiveMasterCouponAsync(master);
        else if (subs.Count == 0 || roll < 6) await ClaimCouponAsync(e, Pick(masters));
        else await ReclaimEnterpriseCouponAsync(e, Pick(subs));
    }

    async Task GiveMasterCouponAsync(MCustomer master)
    {
        var face = Amount(10, 80);
        var expire = Now + QuotaLife;
        var (ok, coupon) = await CallAsync($"operator gives {master.Handle} a platform coupon {face:0.00}", null,
            sp => sp.GetRequiredService<CouponService>().IssueTestCouponAsync(host.Operator, master.Id, CouponCodes.Cash, face, null, expire, null));
        if (!ok) return;
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), -face);
        SimModel.Add(deltas, LedgerBook.CouponsOf(master.Id), face);
        Expect(deltas, () => model.Coupons.Add(new MCoupon { Id = coupon!.Id, Customer = master, Partner = null, Balance = face, ExpireTime = coupon.ExpireTime }));
    }

    async Task ClaimCouponAsync(MEnterprise e, MCoupon source)
    {
        var (master, member) = (e.Master, e.Member);
        var amount = rng.Next(5) == 0 || source.Balance < 0.01m ? Amount(1, 60) : Math.Min(source.Balance, Amount(1, 40));
        var reuse = e.LastTransId is not null && rng.Next(10) == 0;
        var transId = reuse ? e.LastTransId! : "ec" + NextHandle("");
        var expected = reuse ? EnterpriseTransferErrors.DuplicateTransId().Code
            : source.Status != CouponCodes.Usable || source.ExpireTime <= Now ? EnterpriseTransferErrors.NotTransferable().Code
            : amount > source.Balance ? Errors.InsufficientBalance().Code : null;
        var (ok, subId) = await CallAsync($"enterprise coupon {amount:0.00} of {source.Balance:0.00} to {member.Handle}{(reuse ? " same trans_id" : "")}", expected,
            sp => sp.GetRequiredService<EnterpriseCoupons>().TransferAsync(master.Caller, member.Id, source.Id, amount.ToString("0.00", CultureInfo.InvariantCulture), transId));
        if (!ok) return;
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.CouponsOf(master.Id), -amount);
        SimModel.Add(deltas, LedgerBook.CouponsOf(member.Id), amount);
        Expect(deltas, () =>
        {
            e.LastTransId = transId;
            source.Balance -= amount;
            if (source.Balance == 0) source.Status = CouponCodes.Used;
            model.Coupons.Add(new MCoupon { Id = subId!, Customer = member, Partner = null, From = source, Balance = amount, ExpireTime = source.ExpireTime });
        });
    }

    async Task ReclaimEnterpriseCouponAsync(MEnterprise e, MCoupon sub)
    {
        var (master, member) = (e.Master, e.Member);
        var source = sub.From!;
        var reuse = e.LastTransId is not null && rng.Next(10) == 0;
        var transId = reuse ? e.LastTransId! : "er" + NextHandle("");
        var now = Now;
        var expected = reuse ? EnterpriseTransferErrors.DuplicateTransId().Code
            : sub.Status != CouponCodes.Usable || sub.Balance <= 0 || sub.ExpireTime <= now ? Errors.InsufficientBalance().Code : null;
        var (ok, _) = await CallAsync($"enterprise reclaims coupon of {member.Handle} ({sub.Balance:0.00}){(reuse ? " same trans_id" : "")}", expected,
            sp => sp.GetRequiredService<EnterpriseCoupons>().RetrieveAsync(master.Caller, member.Id, source.Id, sub.Id, transId));
        if (!ok) return;
        var back = sub.Balance;
        // Back to the master's coupon while it is usable or used up and not past its expiry; to the platform otherwise.
        var restored = source.Status is CouponCodes.Usable or CouponCodes.Used && source.ExpireTime > now;
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.CouponsOf(member.Id), -back);
        SimModel.Add(deltas, restored ? LedgerBook.CouponsOf(master.Id) : LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), back);
        Expect(deltas, () =>
        {
            e.LastTransId = transId;
            (sub.Balance, sub.Status) = (0m, CouponCodes.Reclaimed);
            if (!restored) return;
            source.Balance += back;
            source.Status = CouponCodes.Usable;
        });
    }
}
