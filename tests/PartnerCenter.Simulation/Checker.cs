using PartnerCenter.Core.Billing;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Simulation;

/// <summary>The checks: after each step the incremental one, every N steps and at the end the full one (see the class summary).</summary>
public sealed partial class SimulationDriver
{
    /// <summary>The ledger entries the jobs write by themselves (the hourly pay-per-use run); a clock step may write no other.</summary>
    static readonly HashSet<string> JobEntryKinds = ["UsageCharge", "ArrearsRepayment", "BillDeduction", "BillCredit", "CouponExpire", Core.Enterprise.EnterpriseTransferKinds.Retrieve];

    async Task CheckStepAsync()
    {
        var db = reader;
        var postings = await CheckQueries.PostingsAfter(db, postingWatermark).ToListAsync();
        if (postings.Count > 0) postingWatermark = postings[^1].Id;
        foreach (var entry in postings.GroupBy(p => p.EntryId))
            if (entry.Sum(p => p.Amount) != 0) Fail($"entry {entry.Key}: its postings sum to {entry.Sum(p => p.Amount)}, not 0");
        var actual = postings.GroupBy(p => p.AccountId).Select(g => (g.Key, Sum: g.Sum(p => p.Amount))).Where(x => x.Sum != 0)
            .ToDictionary(x => x.Key, x => x.Sum, StringComparer.Ordinal);

        if (clockStep)
        {
            CheckExpiries(actual);
            CheckCreditExpiries(postings);
            await LearnFromJobsAsync(db, actual, postings);
        }
        else MatchOutcome(actual);

        // What bills will take: the partners' payable movements of billable kinds, at the instant they are booked at (a
        // request books now; the hourly run books the hour it rated).
        var payables = model.Partners.ToDictionary(p => LedgerBook.PayableOf(p.Id), StringComparer.Ordinal);
        var onPayables = postings.Where(p => payables.ContainsKey(p.AccountId)).ToList();
        if (onPayables.Count > 0)
        {
            var ids = onPayables.Select(p => p.EntryId).Distinct().ToList();
            var kinds = (await CheckQueries.Entries(db, ids).ToListAsync()).ToDictionary(e => e.Id, e => e.Kind, StringComparer.Ordinal);
            foreach (var posting in onPayables.Where(p => BillRuns.BillableKinds.Contains(kinds[p.EntryId])))
            {
                if (!clockStep && posting.BookedAt != Now) Fail($"entry {posting.EntryId} booked at {posting.BookedAt:o}, not at the request's time {Now:o}");
                if (posting.BookedAt > Now) Fail($"entry {posting.EntryId} booked in the future ({posting.BookedAt:o})");
                payables[posting.AccountId].Billable.Add((posting.BookedAt, posting.Amount));
            }
        }
        if (clockStep) await CheckBillRunsAsync(db, actual);

        // The accounts the step moved or could have moved: equal to the model, within their floors.
        var accounts = actual.Keys.Concat(outcomes.SelectMany(o => o.Deltas.Keys))
            .Concat(touchedCustomers.SelectMany(AccountsOf)).Distinct().ToList();
        await CompareAccountsAsync(db, accounts, all: false);
        await CompareEntitiesAsync(db, touchedCustomers, touchedOrders, clockStep ? touchedResources.Concat(Expiring()) : touchedResources);
    }

    /// <summary>
    /// After the clock moved, the yearly/monthly resources whose status can have changed: expired, and not released for
    /// longer than a day (a resource still in use keeps its status; a released one stays released). Keeps the check
    /// proportional to what expires, not to every resource ever bought.
    /// </summary>
    IEnumerable<MResource> Expiring()
    {
        var lastRun = LastRun;
        var oldest = lastRun - ResourceLifecycleJob.GracePeriod - ResourceLifecycleJob.RetentionPeriod - TimeSpan.FromDays(1) - (lastRun - stepStart);
        return model.Resources.Where(r => !r.OnDemand && !r.Closed && r.Expire <= lastRun && r.Expire > oldest);
    }

    IEnumerable<string> AccountsOf(MCustomer c)
    {
        yield return LedgerBook.CashOf(c.Id);
        yield return LedgerBook.CreditOf(c.Id);
        yield return LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c.Id);
        yield return LedgerBook.CouponsOf(c.Id);
        if (c.Partner is { } p)
        {
            yield return LedgerBook.PayableOf(p.Id);
            yield return LedgerBook.PartnerBalanceOf(p.Id);
        }
    }

    /// <summary>A request's postings must be exactly one of the outcomes the model allowed (nothing, when it was refused).</summary>
    void MatchOutcome(Dictionary<string, decimal> actual)
    {
        if (outcomes.Count == 0) Expect(Nothing());
        foreach (var (deltas, apply) in outcomes)
        {
            var expected = deltas.Where(d => d.Value != 0).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
            if (expected.Count != actual.Count || expected.Any(d => actual.GetValueOrDefault(d.Key) != d.Value)) continue;
            model.Move(expected);
            apply?.Invoke();
            return;
        }
        Fail($"the step moved {Describe(actual)}; the model expected {string.Join(" or ", outcomes.Select(o => Describe(o.Deltas)))}");
    }

    static string Describe(Dictionary<string, decimal> deltas) =>
        deltas.Count(d => d.Value != 0) == 0 ? "nothing" : "{" + string.Join(", ", deltas.Where(d => d.Value != 0).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value:+0.00;-0.00}")) + "}";

    /// <summary>
    /// A clock step (an advance, a restart) runs the jobs: the model takes what the hourly pay-per-use run charged from
    /// the ledger — its amounts come from rating, which the model does not repeat — after checking that only job
    /// entries were written, and bounds it: no customer is charged more than its reported hours at the hourly price.
    /// </summary>
    async Task LearnFromJobsAsync(AppDbContext db, Dictionary<string, decimal> actual, List<CheckQueries.NewPosting> postings)
    {
        List<(string EntryId, string Customer)> usageCharges = [];
        var cashBefore = model.Customers.Where(c => c.Partner is not null).ToDictionary(c => c.Id, c => model.Balance(LedgerBook.CashOf(c.Id)), StringComparer.Ordinal);
        if (postings.Count > 0)
        {
            var entryIds = postings.Select(p => p.EntryId).Distinct().ToList();
            var entries = (await CheckQueries.Entries(db, entryIds).ToListAsync()).ToDictionary(e => e.Id, StringComparer.Ordinal);
            if (entries.Values.FirstOrDefault(e => !JobEntryKinds.Contains(e.Kind)) is { } other) Fail($"a clock step wrote a {other.Kind} entry ({other.Id})");
            // The usage charges' revenue postings are among the step's postings already read (a query joining postings
            // on the revenue account would walk every revenue posting of the run: it is on every entry).
            var revenue = LedgerBook.Platform(LedgerAccountKind.PlatformRevenue);
            var charged = postings.Where(p => p.AccountId == revenue && entries[p.EntryId].Kind == "UsageCharge")
                .Select(p => new { entries[p.EntryId].Reference, p.Amount }).ToList();
            foreach (var c in charged) model.UsageCharged[c.Reference!] = model.UsageCharged.GetValueOrDefault(c.Reference!) + c.Amount;
            usageCharges = entries.Values.Where(e => e.Kind == "UsageCharge").Select(e => (e.Id, e.Reference!)).ToList();
            foreach (var c in model.Customers.Where(c => charged.Any(x => x.Reference == c.Id)))
            {
                touchedCustomers.Add(c);
                if (model.UsageCharged[c.Id] > c.UsageHours * SimModel.HourPrice + 0.01m)
                    Fail($"customer {c.Handle} was charged {model.UsageCharged[c.Id]} for pay-per-use, more than its {c.UsageHours} hours at {SimModel.HourPrice}");
            }
        }
        model.Move(actual);

        // Budget spends of the hourly run (resale customers' usage at list price), written after the clock moved; the
        // first period the step rated may belong to the month before the step began.
        var spends = await CheckQueries.SpendsAfter(db, model.Customers.Select(c => c.Id).ToList(), BudgetService.MonthStart(stepStart).AddMonths(-1), stepStart).ToListAsync();
        foreach (var s in spends)
        {
            if (!s.IdempotencyKey.StartsWith("usage:", StringComparison.Ordinal)) Fail($"a clock step spent budget for {s.IdempotencyKey}");
            var c = model.Customers.Single(x => x.Id == s.CustomerAccountId);
            model.Spends[(c.Id, s.Month)] = model.Spends.GetValueOrDefault((c.Id, s.Month)) + s.Amount;
            touchedCustomers.Add(c);
            // No overspend: a spend is taken only while the month's spends stay within the budget.
            if (s.Amount > 0 && model.Spends[(c.Id, s.Month)] > (c.Budget ?? 0)) Fail($"customer {c.Handle}: the hourly run spent {model.Spends[(c.Id, s.Month)]} of a budget of {c.Budget}");
        }
        CheckUsageFunding(usageCharges, postings, spends, cashBefore);
        foreach (var o in model.Orders.Where(o => o.Status == OrderStatus.PendingPayment)) touchedOrders.Add(o);
    }

    /// <summary>
    /// A clock step that passed the 5th at 02:00 ran the bill run of the month before: every partner's bill is what it
    /// owes for the movements booked since its last bill, deducted from its balance as far as it goes (a credit bill
    /// paid into it), due 15 days after the 5th. The model keeps the bill; the full check compares them all.
    /// </summary>
    async Task CheckBillRunsAsync(AppDbContext db, Dictionary<string, decimal> actual)
    {
        for (var period = PartnerBillRunJob.PeriodAfter(stepStart); period <= Now; period = PartnerBillRunJob.PeriodAfter(period))
        {
            var cycle = BillCycle.Containing(period).Previous;
            var bills = await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycle.ToString() && b.Status == BillStatus.Finalized)
                .ToDictionaryAsync(b => b.PartnerAccountId, StringComparer.Ordinal);
            foreach (var p in model.Partners)
            {
                var initial = p.Unbilled(cycle.EndUtc);
                // The balance before this step: nothing but the bill run moves a partner's balance in a clock step.
                var balanceAccount = LedgerBook.PartnerBalanceOf(p.Id);
                var before = model.Balance(balanceAccount) - actual.GetValueOrDefault(balanceAccount);
                var deducted = initial > 0 ? Math.Min(before, initial) : 0;
                if (!bills.TryGetValue(p.Id, out var bill)) Fail($"no {cycle} bill for {p.Handle}");
                if (bill.InitialAmountDue != initial || bill.Deducted != deducted || bill.Paid != deducted)
                    Fail($"{cycle} bill of {p.Handle}: {bill.InitialAmountDue} deducted {bill.Deducted}, the model {initial} deducted {deducted}");
                var moved = initial > 0 ? -deducted : -initial;
                if (actual.GetValueOrDefault(balanceAccount) != moved) Fail($"{cycle} bill of {p.Handle}: its balance moved {actual.GetValueOrDefault(balanceAccount)}, the model {moved}");
                p.Bills.Add(new MBill { Cycle = cycle.ToString(), Initial = initial, Paid = deducted, DueAt = period.AddDays(new BillingSettings().DueDays) });
                p.BilledTo = cycle.EndUtc;
            }
            counts["bill-run"] = counts.GetValueOrDefault("bill-run") + 1;
            times["bill-run"] = times.GetValueOrDefault("bill-run"); // run inside the clock step, timed with it
            Trace($"bill run {cycle}: {string.Join(", ", model.Partners.Select(p => $"{p.Handle} {p.Bills[^1].Initial:0.00}/{p.Bills[^1].Due:0.00}"))}");
        }
    }

    /// <summary>Every partner's finalized bills equal the model's: amount and what is paid, month by month.</summary>
    async Task CompareBillsAsync(AppDbContext db)
    {
        var bills = await db.PartnerBills.AsNoTracking().Where(b => b.Status == BillStatus.Finalized).ToListAsync();
        foreach (var p in model.Partners)
        {
            var actual = bills.Where(b => b.PartnerAccountId == p.Id).OrderBy(b => b.Cycle, StringComparer.Ordinal).Select(b => (b.Cycle, b.InitialAmountDue, b.Paid)).ToList();
            var expected = p.Bills.Select(b => (b.Cycle, b.Initial, b.Paid)).ToList();
            if (!actual.SequenceEqual(expected))
                Fail($"bills of {p.Handle}: the database holds {string.Join("; ", actual)}, the model {string.Join("; ", expected)}");
        }
    }

    /// <summary>After the clock moved and the jobs ran: orders past their payment deadline cancel themselves at the hour.</summary>
    void AfterClockMoved()
    {
        var lastRun = LastRun;
        foreach (var o in model.Orders.Where(o => o.Status == OrderStatus.PendingPayment && o.Deadline <= lastRun))
        {
            o.Status = OrderStatus.Cancelled;
            touchedOrders.Add(o);
        }
        ExpireCoupons(lastRun);
    }

    /// <summary>The last hourly period the jobs ran for.</summary>
    DateTime LastRun => new(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, DateTimeKind.Utc);

    async Task CompareAccountsAsync(AppDbContext db, List<string> ids, bool all)
    {
        var rows = all
            ? await db.LedgerAccounts.AsNoTracking().ToListAsync()
            : await CheckQueries.Accounts(db, ids).ToListAsync();
        var byId = rows.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var id in all ? rows.Select(r => r.Id).Concat(model.Balances.Keys).Distinct() : ids)
        {
            var balance = byId.TryGetValue(id, out var row) ? row.Balance : 0m;
            if (balance != model.Balance(id)) Fail($"account {id}: the database holds {balance}, the model {model.Balance(id)}");
            if (row?.Floor is { } floor && balance < floor) Fail($"account {id}: balance {balance} is below its floor {floor}");
            var partner = model.Partners.FirstOrDefault(p => id == LedgerBook.PayableOf(p.Id));
            if (row is not null && model.FloorOf(id, partner) is { } expected && row.Floor != expected)
                Fail($"account {id}: its floor is {row.Floor}, the model says {expected}");
        }
    }

    async Task CompareEntitiesAsync(AppDbContext db, IEnumerable<MCustomer> customers, IEnumerable<MOrder> orders, IEnumerable<MResource> resources)
    {
        var orderList = orders.ToList();
        if (orderList.Count > 0)
        {
            var ids = orderList.Select(o => o.Id).ToList();
            var statuses = (await CheckQueries.Orders(db, ids).ToListAsync()).ToDictionary(o => o.Id, o => o.Status);
            foreach (var o in orderList)
                if (statuses.GetValueOrDefault(o.Id) != o.Status) Fail($"order {o.Handle}: status {statuses.GetValueOrDefault(o.Id)} in the database, {o.Status} in the model");
        }

        var resourceList = resources.ToList();
        if (resourceList.Count > 0)
        {
            var ids = resourceList.Select(r => r.Id).ToList();
            var rows = (await CheckQueries.Resources(db, ids).ToListAsync()).ToDictionary(r => r.Id);
            var lastRun = LastRun;
            foreach (var r in resourceList)
            {
                if (!rows.TryGetValue(r.Id, out var row)) { Fail($"resource {r.Handle} is missing from the database"); }
                var mode = r.OnDemand ? ChargeMode.OnDemand : ChargeMode.Period;
                if (row.ChargeMode != mode) Fail($"resource {r.Handle}: charge mode {row.ChargeMode}, the model {mode}");
                if (r.OnDemand) continue; // its status follows its customer's arrears, which the model does not repeat
                if (row.ExpireTime != r.Expire) Fail($"resource {r.Handle}: expires {row.ExpireTime:o} in the database, {r.Expire:o} in the model");
                if (row.Status != r.StatusAt(lastRun)) Fail($"resource {r.Handle}: status {row.Status} in the database, {r.StatusAt(lastRun)} in the model");
            }
        }

        var customerList = customers.ToList();
        if (customerList.Count > 0)
        {
            var ids = customerList.Select(c => c.Id).ToList();
            var associations = (await CheckQueries.Associations(db, ids).ToListAsync()).ToDictionary(a => a.CustomerAccountId);
            var budgets = (await CheckQueries.Budgets(db, ids).ToListAsync()).ToDictionary(b => b.CustomerAccountId);
            var month = BudgetService.MonthStart(Now);
            foreach (var c in customerList)
            {
                var association = associations.GetValueOrDefault(c.Id);
                if (association?.PartnerAccountId != c.Partner?.Id) Fail($"customer {c.Handle}: partner {association?.PartnerAccountId ?? "none"} in the database, {c.Partner?.Handle ?? "none"} in the model");
                if ((association?.IsFrozen ?? false) != c.Frozen) Fail($"customer {c.Handle}: frozen {association?.IsFrozen} in the database, {c.Frozen} in the model");
                var budget = budgets.GetValueOrDefault(c.Id);
                if (budget?.BudgetAmount != c.Budget) Fail($"customer {c.Handle}: budget {budget?.BudgetAmount} in the database, {c.Budget} in the model");
                if (budget is null) continue;
                // A monthly budget counts this month's spends; one not reset yet by the monthly job counts nothing of this month.
                var used = budget.PeriodStart < month ? 0 : budget.UsedAmount;
                if (used != model.UsedBudget(c, Now)) Fail($"customer {c.Handle}: budget used {used} in the database, {model.UsedBudget(c, Now)} in the model");
            }
        }
    }

    /// <summary>The full check: the ledger's invariants over the whole ledger, and every account and entity against the model.</summary>
    async Task FullCheckAsync()
    {
        fullChecks++;
        var db = reader;
        if (await LedgerInvariants.CheckAsync(db) is { Count: > 0 } broken) Fail("ledger invariants: " + string.Join("; ", broken.Take(5)));
        await CompareAccountsAsync(db, [], all: true);
        await CompareEntitiesAsync(db, model.Customers, model.Orders, model.Resources);
        await CompareBillsAsync(db);
        await CompareCouponsAsync(db);
        await CompareCreditLedgersAsync(db);
    }
}
