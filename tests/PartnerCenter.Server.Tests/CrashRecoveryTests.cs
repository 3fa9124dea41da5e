using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Usage;
using PartnerCenter.Server.Tests.Support;
using static PartnerCenter.Server.Tests.Support.TestProducts;
using Xunit.Abstractions;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// <c>kill -9</c> under load: the built server runs as a child process, clients drive it over HTTP with signed requests,
/// and it is killed with SIGKILL at a random moment (a seeded <see cref="Random"/>; <c>PC_CRASH_SEED=N</c> replays one),
/// started again on the same data, and every request that got no answer is sent again with its key. Then nothing may be
/// lost or doubled, and the ledger's invariants hold.
/// </summary>
public sealed class CrashRecoveryTests(CrashRecoveryTests.Server fixture, ITestOutputHelper output) : IClassFixture<CrashRecoveryTests.Server>
{
    /// <summary>One server process and its database for the class; each test kills and restarts it.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ServerProcess Process { get; private set; } = null!;
        public async Task InitializeAsync() => Process = await ServerProcess.StartAsync();
        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    ServerProcess S => fixture.Process;

    static readonly object Card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };

    // ---------------------------------------------------------------- the tests

    [Fact]
    public Task Payments_killed_mid_load_and_retried_with_their_keys_pay_each_order_exactly_once() => WithSeedAsync(async random =>
    {
        const decimal initialCash = 100_000m;
        var customers = new List<TestAccount>();
        for (var i = 0; i < 3; i++) customers.Add(await FundedCustomerAsync("pay", initialCash));
        var orders = new SentRequests<OrderAttempt>();
        Step("set up");

        // Two clients per customer, so payments race on one balance: create an order with a key, pay it, again.
        var workers = customers.SelectMany(c => Enumerable.Range(0, 2).Select(w => (Customer: c, Name: $"w{w}", Random: new Random(random.Next())))).ToList();
        var killedAfter = await KillUnderLoadAsync(random, workers.Select(w => Buyer(orders, w.Customer, w.Customer, w.Name, w.Random)));

        await RestartAsync(killedAfter);
        foreach (var attempt in orders.All) await RetryAsync(attempt);
        Step("retried");

        await using var db = S.OpenDatabase();
        foreach (var c in customers)
        {
            var mine = orders.All.Where(o => o.Customer == c).ToList();
            await AssertOrdersOfAsync(db, c, mine);
            Assert.All(mine, o => Assert.True(o.Paid, $"order {o.Key} unpaid: {o.Refusal}"));
            Assert.Equal(initialCash - mine.Sum(o => o.Amount), await CashAsync(c));
        }
        await AssertBooksSoundAsync(db);
        output.WriteLine($"{orders.All.Count} orders, killed after {killedAfter} ms");
    });

    [Fact]
    public Task Card_top_ups_killed_mid_load_and_retried_with_their_keys_credit_each_exactly_once() => WithSeedAsync(async random =>
    {
        var customers = new List<TestAccount>();
        for (var i = 0; i < 3; i++) customers.Add(await S.NewAccountAsync("topup"));
        var topUps = new SentRequests<TopUpAttempt>();
        Step("set up");

        var workers = customers.SelectMany(c => Enumerable.Range(0, 2).Select(w => (Customer: c, Name: $"w{w}", Random: new Random(random.Next())))).ToList();
        var killedAfter = await KillUnderLoadAsync(random, workers.Select(w => (Func<Task>)(async () =>
        {
            for (var n = 0; ; n++)
            {
                var attempt = topUps.Add(new TopUpAttempt(w.Customer, $"{w.Name}-{n}", w.Random.Next(1, 50_000) / 100m));
                if (!await TopUpAsync(attempt)) return;
            }
        })));

        await RestartAsync(killedAfter);
        foreach (var attempt in topUps.All.Where(t => !t.Answered)) Assert.True(await TopUpAsync(attempt), "no answer after the restart");
        Step("retried");

        await using var db = S.OpenDatabase();
        foreach (var c in customers)
        {
            var mine = topUps.All.Where(t => t.Customer == c).ToList();
            var rows = await db.TopUps.AsNoTracking().Where(t => t.AccountId == c.Id).ToListAsync();
            Assert.Equal(mine.Select(t => t.Key).Order(), rows.Select(r => r.ClientToken).Order());
            Assert.All(rows, r => Assert.Equal(mine.Single(t => t.Key == r.ClientToken).Amount, r.Amount));
            var ids = rows.Select(r => "topup:" + r.Id).ToList();
            var credited = await db.Postings.AsNoTracking().Where(p => ids.Contains(p.EntryId) && p.AccountId == LedgerBook.CashOf(c.Id)).ToListAsync();
            Assert.Equal(rows.Count, credited.Count);
            Assert.Equal(mine.Sum(t => t.Amount), credited.Sum(p => p.Amount));
            Assert.Equal(mine.Sum(t => t.Amount), await CashAsync(c));
        }
        await AssertBooksSoundAsync(db);
        output.WriteLine($"{topUps.All.Count} top-ups, killed after {killedAfter} ms");
    });

    [Fact]
    public Task An_hourly_rating_run_killed_midway_is_retaken_after_the_restart_and_rates_and_charges_every_resource_hour_once() => WithSeedAsync(async random =>
    {
        var op = await OperatorTokenAsync();
        const decimal initialCash = 1_000m;
        var cashCustomers = new List<TestAccount>();
        for (var i = 0; i < 3; i++) cashCustomers.Add(await FundedCustomerAsync("ppu", initialCash));
        var (partner, resale) = await PartnerWithResaleCustomersAsync(2, budget: 100_000m);
        foreach (var c in cashCustomers)
            await Ok(S.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { PayPerUseVm, PayPerUseVm, PayPerUseVm }, client_token = "ppu" }));
        foreach (var c in resale)
            await Ok(S.SignedAsync(HttpMethod.Post, "/v1/orders", partner.AccessKey, partner.SecretKey,
                new { customer_id = c.Id, product_infos = new[] { PayPerUseVm, PayPerUseVm }, client_token = "ppu-" + c.Id }));
        var customerIds = cashCustomers.Concat(resale).Select(c => c.Id).ToList();

        // Two days of hourly usage for every resource, rated by the next run; then ten days of business time at once.
        List<string> resources;
        await using (var db = S.OpenDatabase())
            resources = await db.CloudResources.AsNoTracking().Where(r => customerIds.Contains(r.CustomerAccountId)).Select(r => r.Id).ToListAsync();
        var now = await ClockAsync(op);
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var usage = resources.SelectMany(r => Enumerable.Range(1, 48).Select(h => (Resource: r, Hour: hour.AddHours(-h), Value: random.Next(1, 100_000) / 100_000m))).ToList();
        foreach (var batch in usage.Chunk(500))
            await Ok(S.SendAsync(HttpMethod.Post, "/v1/usage-records", op, new
            {
                records = batch.Select(u => new
                {
                    record_id = $"{u.Resource}-{u.Hour:yyyyMMddHH}", resource_id = u.Resource, usage_factor = "Duration", usage_value = u.Value, usage_measure_id = 4,
                    begin_time = Utc(u.Hour), end_time = Utc(u.Hour.AddMinutes(59)),
                }),
            }));
        var target = hour.AddDays(10);
        DateTime heavy; // the period the usage went to: the next hour, unless the real clock just passed one
        await using (var db = S.OpenDatabase())
            heavy = await db.UsageRecords.Where(r => resources.Contains(r.ResourceId)).MaxAsync(r => r.RatingPeriod);
        Step($"set up: {resources.Count} resources, {usage.Count} usage records");

        // The advance runs every period up to the target in this request, the one with the usage first. The kill lands
        // at a point of the run's progress (its speed varies a hundredfold with the machine's load): while that period
        // is rated, while it is charged, or in a later period.
        var advance = AnswerOf(S.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { to = Utc(target) }));
        var later = heavy.AddHours(random.Next(1, 48));
        var (stage, reached) = random.Next(3) switch
        {
            0 => ("while it is rated", (Func<AppDbContext, Task<bool>>)(db => db.JobRuns.AnyAsync(r => r.JobName == "usage.rating" && r.Period == heavy))),
            1 => ("once it is rated", db => db.UsageRatingPeriods.AnyAsync(p => p.Period == heavy)),
            _ => ($"in the period {later:O}", db => db.JobRuns.AnyAsync(r => r.JobName == "usage.rating" && r.Period == later)),
        };
        await using (var db = S.OpenDatabase())
        {
            while (!await reached(db))
            {
                if (advance.IsCompleted) Assert.Fail($"the run ended before the kill point ({stage}): {(await advance)?.Status}");
                await Task.Delay(2);
            }
        }
        var delay = random.Next(0, 20);
        await Task.Delay(delay);
        await S.KillAsync();
        var ended = await advance;
        Assert.True(ended is null, $"the run ended before the kill: {ended?.Status} {ended?.Body}");
        List<JobRun> crashed;
        await using (var db = S.OpenDatabase())
            crashed = await db.JobRuns.AsNoTracking().Where(r => r.Status == JobRunStatus.Running).ToListAsync();
        // An hour without usage takes a few milliseconds, so a kill in a later period may land between two periods (the
        // last one completed, the next not yet claimed): a crash all the same, after which the rest must simply run.
        if (crashed.Count == 0) stage += ", between two periods";

        Step($"killed {stage} (+{delay} ms)");
        await S.StartAgainAsync();
        Step("restarted");
        var restarted = DateTime.UtcNow;
        await using (var db = S.OpenDatabase())
        {
            var periods = Enumerable.Range(0, (int)(target - heavy).TotalHours + 1).Select(h => heavy.AddHours(h)).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(90); // a generous bound on the wait, not an assertion on time
            while (true)
            {
                db.ChangeTracker.Clear();
                var done = await db.JobRuns.AsNoTracking().Where(r => r.Status == JobRunStatus.Completed && r.Period <= target)
                    .Select(r => new { r.JobName, r.Period }).ToListAsync();
                if (crashed.All(c => done.Contains(new { c.JobName, c.Period }))
                    && periods.All(p => done.Contains(new { JobName = "usage.rating", Period = p }))) break;
                Assert.True(DateTime.UtcNow < deadline, $"crashed periods {string.Join(", ", crashed.Select(c => $"{c.JobName} {c.Period:O}"))} not completed 90 s after the restart");
                await Task.Delay(250);
            }
            output.WriteLine($"killed {stage} (+{delay} ms), during {string.Join(", ", crashed.Select(c => $"{c.JobName} {c.Period:O}"))}; "
                             + $"all periods completed {(DateTime.UtcNow - restarted).TotalSeconds:0.0} s after the restart");

            Step("all periods completed");
            // Every resource-hour rated exactly once, with the usage sent for it.
            var fees = await UsageFees.ListAsync(db, db.UsageFeeHours.Where(f => customerIds.Contains(f.CustomerAccountId)));
            Assert.Equal(usage.Count, fees.Count);
            Assert.Equal(usage.Select(u => (u.Resource, u.Hour, u.Value)).Order(), fees.Select(f => (f.ResourceId, f.Hour, f.UsageValue)).Order());

            // Charged once: what the accounts paid is their fees at 2 decimals, truncated once over the whole run.
            var accounts = await db.UsageAccounts.AsNoTracking().Where(a => customerIds.Contains(a.CustomerAccountId)).ToDictionaryAsync(a => a.CustomerAccountId);
            foreach (var c in cashCustomers)
            {
                var mine = fees.Where(f => f.CustomerAccountId == c.Id).ToList();
                var charged = Cents(mine.Sum(f => f.Amount));
                Assert.True(charged > 0);
                Assert.Equal((mine.Sum(f => f.Amount), charged), (accounts[c.Id].Accrued, accounts[c.Id].Deducted));
                Assert.Equal(initialCash - charged, await CashAsync(c));
            }
            var owed = 0m;
            foreach (var c in resale)
            {
                var mine = fees.Where(f => f.CustomerAccountId == c.Id).ToList();
                var (list, settlement) = (Cents(mine.Sum(f => f.OfficialAmount)), Cents(mine.Sum(f => f.SettlementAmount)));
                Assert.Equal((list, settlement), (accounts[c.Id].SpentOfficial, accounts[c.Id].ChargedSettlement));
                var budget = await (await S.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={c.Id}", partner.AccessKey, partner.SecretKey)).JsonAsync();
                Assert.Equal(list, budget["used_amount"]!.GetValue<decimal>());
                owed += settlement;
            }
            Assert.Equal(-owed, (await db.LedgerAccounts.AsNoTracking().SingleAsync(a => a.Id == LedgerBook.PayableOf(partner.Id))).Balance);
            await AssertBooksSoundAsync(db);
        }
    });

    [Fact]
    public Task A_bill_run_killed_midway_makes_every_partners_bill_once_after_the_restart() => WithSeedAsync(async random =>
    {
        var op = await OperatorTokenAsync();
        // Many partners, so the run is killed between partners: a few with a resale customer's paid order, the rest with
        // a consumption quota only (a payable account, and so a bill of zero).
        var buyers = new List<(TestAccount Partner, decimal Owed)>();
        for (var i = 0; i < 4; i++)
        {
            var (partner, customers) = await PartnerWithResaleCustomersAsync(1, budget: 1_000m);
            var c = customers[0];
            var order = (await Ok(S.SignedAsync(HttpMethod.Post, "/v1/orders", partner.AccessKey, partner.SecretKey,
                new { customer_id = c.Id, client_token = "bill-" + i, product_infos = new[] { Vm(months: 1 + i) } })))["order_id"]!.GetValue<string>();
            await Ok(S.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", c.AccessKey, c.SecretKey, new { order_id = order, use_coupon = "NO", use_discount = "NO" }));
            var owed = decimal.Parse((await Ok(S.SignedAsync(HttpMethod.Get, "/v2/partners/credit/consumption-quota", partner.AccessKey, partner.SecretKey)))["unbilled_amount"]!.GetValue<string>(),
                CultureInfo.InvariantCulture);
            buyers.Add((partner, owed));
        }
        // The run's size: partners with nothing to bill, seeded as their payable accounts (what the run walks), so the
        // kill lands between partners (a partner is billed in a few milliseconds; enrolling thousands over HTTP takes minutes).
        const int quiet = 3000;
        await using (var db = S.OpenDatabase())
        {
            db.LedgerAccounts.AddRange(Enumerable.Range(0, quiet).Select(i => new LedgerAccount
            {
                Id = LedgerBook.PayableOf($"quiet-{i:D5}"), Kind = LedgerAccountKind.PartnerPayable, OwnerAccountId = $"quiet-{i:D5}", Floor = -500m, CreatedAt = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
        }
        // An earlier test's kill may have left a period claimed (the background tick was running it); the bill run would
        // wait for a rating hour held so, so this test starts once the restarted server has retaken and finished them.
        await NoPeriodHeldAsync();
        var cycle = Core.Billing.BillCycle.Containing(await ClockAsync(op));
        var fifth = new DateTime(cycle.Next.Year, cycle.Next.Month, 5, 2, 0, 0, DateTimeKind.Utc);
        await Ok(S.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { to = Utc(fifth.AddMinutes(-30)) }));
        Step($"set up: {buyers.Count} partners with bills and {quiet} without, clock before the run of {cycle}");

        // The advance runs the bill run in this request; the kill lands after some partners are billed, before the last.
        var advance = AnswerOf(S.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", await OperatorTokenAsync(), new { to = Utc(fifth.AddMinutes(30)) }));
        var runId = Core.Billing.BillRun.IdOf(cycle, draft: false);
        var after = random.Next(1, quiet / 2);
        await using (var db = S.OpenDatabase())
        {
            while (!await db.BillRuns.AsNoTracking().AnyAsync(r => r.Id == runId && r.PartnersDone >= after))
            {
                if (advance.IsCompleted) Assert.Fail($"the run ended before {after} partners were billed: {(await advance)?.Status}");
                await Task.Delay(2);
            }
        }
        await S.KillAsync();
        var answered = await advance;
        Assert.True(answered is null, $"the advance answered before the kill: {answered?.Status} {answered?.Body}");
        int doneAtKill;
        await using (var db = S.OpenDatabase())
            doneAtKill = (await db.BillRuns.AsNoTracking().SingleAsync(r => r.Id == runId)).PartnersDone;
        Step($"killed after {doneAtKill} partners billed");
        await S.StartAgainAsync();
        Step("restarted");

        // The job runner retakes the crashed period once its lease has run out (real time), and finishes the run.
        await using (var db = S.OpenDatabase())
        {
            var deadline = DateTime.UtcNow.AddSeconds(120); // a generous bound on the wait, not an assertion on time
            while (!await db.JobRuns.AsNoTracking().AnyAsync(r => r.JobName == "billing.partner-bills" && r.Period == fifth && r.Status == JobRunStatus.Completed))
            {
                Assert.True(DateTime.UtcNow < deadline, "the crashed bill run was not completed 120 s after the restart");
                await Task.Delay(250);
            }
            Step("run completed");
            var run = await db.BillRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.True(run.CompletedAt is not null && run.PartnersDone == run.PartnersTotal && doneAtKill < run.PartnersTotal,
                $"run {run.PartnersDone}/{run.PartnersTotal}, {doneAtKill} at the kill");
            var bills = await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycle.ToString()).ToListAsync();
            Assert.All(bills, b => Assert.Equal(Core.Billing.BillStatus.Finalized, b.Status));
            Assert.Equal(run.PartnersTotal, bills.Count);
            Assert.Equal(bills.Count, bills.Select(b => b.PartnerAccountId).Distinct().Count());
            foreach (var (partner, owed) in buyers)
                Assert.Equal(owed, bills.Single(b => b.PartnerAccountId == partner.Id).InitialAmountDue);
            await AssertBooksSoundAsync(db);
        }
    });

    [Fact]
    public Task Quota_changes_under_resale_purchases_killed_mid_load_leave_the_books_sound() => WithSeedAsync(async random =>
    {
        var op = await OperatorTokenAsync();
        var (partner, resale) = await PartnerWithResaleCustomersAsync(3, budget: 100_000m);
        var orders = new SentRequests<OrderAttempt>();
        var quotas = new SentRequests<QuotaAttempt>();
        Step("set up");

        // Each resale customer's partner orders for it and the customer pays (its partner is charged the settlement
        // price within its quota), while the operator moves the quota around what the partner owes.
        var buyers = resale.Select((c, i) => Buyer(orders, c, partner, $"q{i}", new Random(random.Next()))).ToList();
        var operatorRandom = new Random(random.Next());
        var killedAfter = await KillUnderLoadAsync(random, buyers.Append(async () =>
        {
            while (true)
            {
                var view = await AnswerOf(S.SignedAsync(HttpMethod.Get, "/v2/partners/credit/consumption-quota", partner.AccessKey, partner.SecretKey));
                if (view is null) return;
                var owes = decimal.Parse(view.Body!["unbilled_amount"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                var attempt = quotas.Add(new QuotaAttempt(Math.Max(0, owes + operatorRandom.Next(-2000, 15_000) / 100m)));
                var answer = await AnswerOf(S.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{partner.Id}/consumption-quota", op, new { consumption_quota = attempt.Quota }));
                if (answer is null) return;
                attempt.Status = answer.Status;
                Assert.True(answer.Status == HttpStatusCode.OK || answer.Code == "CBC.99005045", $"quota {attempt.Quota}: {answer.Status} {answer.Body}");
            }
        }));

        await RestartAsync(killedAfter);
        foreach (var attempt in orders.All) await RetryAsync(attempt);
        Step("retried");

        await using var db = S.OpenDatabase();
        foreach (var c in resale) await AssertOrdersOfAsync(db, c, orders.All.Where(o => o.Customer == c).ToList());
        var paid = orders.All.Where(o => o.Paid).ToList();
        var payable = await db.LedgerAccounts.AsNoTracking().SingleAsync(a => a.Id == LedgerBook.PayableOf(partner.Id));
        var settlements = await db.Orders.AsNoTracking().Where(o => o.FundingPartnerAccountId == partner.Id && o.Status == OrderStatus.Completed).Select(o => o.SettlementAmount).ToListAsync();
        Assert.Equal(-settlements.Sum(), payable.Balance);
        // The quota is the last one accepted, or the one the kill cut off (it may have committed).
        var accepted = quotas.All.LastOrDefault(q => q.Status == HttpStatusCode.OK)?.Quota ?? LedgerBook.DefaultConsumptionQuota;
        var cutOff = quotas.All.Where(q => q.Status is null).Select(q => q.Quota);
        Assert.Contains(-payable.Floor!.Value, cutOff.Append(accepted));
        await AssertBooksSoundAsync(db);
        output.WriteLine($"{orders.All.Count} orders ({paid.Count} paid), {quotas.All.Count} quota changes "
                         + $"({quotas.All.Count(q => q.Status == HttpStatusCode.OK)} accepted), killed after {killedAfter} ms");
    });

    // ---------------------------------------------------------------- load and kill

    /// <summary>
    /// Runs the clients until the server is killed under them, at a random moment of the load once it is warm (the
    /// clients' first requests answered: a restarted server compiles its paths on first use); returns that moment (ms).
    /// </summary>
    async Task<int> KillUnderLoadAsync(Random random, IEnumerable<Func<Task>> clients)
    {
        var before = Volatile.Read(ref answers);
        var running = clients.Select(c => Task.Run(c)).ToList();
        while (Volatile.Read(ref answers) - before < 2 * running.Count && !running.Any(t => t.IsCompleted)) await Task.Delay(10);
        var delay = random.Next(200, 1200);
        await Task.WhenAny(Task.Delay(delay), Task.WhenAny(running));
        // A client that stopped before the kill failed: show why.
        if (running.FirstOrDefault(t => t.IsCompleted) is { } early) await early;
        await S.KillAsync();
        await Task.WhenAll(running);
        return delay;
    }

    /// <summary>Starts the killed server again on its data.</summary>
    async Task RestartAsync(int killedAfter)
    {
        Step($"killed after {killedAfter} ms of load");
        await S.StartAgainAsync();
        Step("restarted");
    }

    /// <summary>An answer (status, body, error code) or null when the request got none: the server died under it.</summary>
    sealed record Answer(HttpStatusCode Status, JsonObject? Body)
    {
        public string? Code => Body?["error_code"]?.GetValue<string>();
    }

    int answers;

    async Task<Answer?> AnswerOf(Task<HttpResponseMessage> request)
    {
        HttpResponseMessage response;
        try
        {
            response = await request;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                return null; // the headers came, the body did not: no answer either
            }
            Interlocked.Increment(ref answers);
            return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
        }
    }

    /// <summary>What the clients sent, shared by the concurrent clients.</summary>
    sealed class SentRequests<T>
    {
        readonly List<T> items = [];

        public T Add(T item)
        {
            lock (items) items.Add(item);
            return item;
        }

        public IReadOnlyList<T> All
        {
            get
            {
                lock (items) return items.ToList();
            }
        }
    }

    // ---------------------------------------------------------------- orders

    /// <summary>One order a client meant to create (by <see cref="Placer"/>, for <see cref="Customer"/>) and pay, and what it was answered.</summary>
    sealed class OrderAttempt(TestAccount customer, TestAccount placer, string key, int months)
    {
        public TestAccount Customer => customer;
        public TestAccount Placer => placer;
        public string Key => key;
        public int Months => months;
        public string? OrderId { get; set; }
        public decimal Amount { get; set; }
        public bool PayAnswered { get; set; }
        public bool Paid { get; set; }
        public string? Refusal { get; set; }
    }

    /// <summary>A client that creates an order with a new key (placed by <paramref name="placer"/> for the customer) and pays it, again and again, until it gets no answer.</summary>
    Func<Task> Buyer(SentRequests<OrderAttempt> orders, TestAccount customer, TestAccount placer, string name, Random random) => async () =>
    {
        for (var n = 0; ; n++)
        {
            var attempt = orders.Add(new OrderAttempt(customer, placer, $"{name}-{n}", random.Next(1, 4)));
            if (!await CreateAsync(attempt) || !await PayAsync(attempt)) return;
        }
    };

    object OrderBody(OrderAttempt a) => a.Placer == a.Customer
        ? new { product_infos = new[] { Vm(a.Months) }, client_token = a.Key }
        : new { customer_id = a.Customer.Id, product_infos = new[] { Vm(a.Months) }, client_token = a.Key };

    /// <summary>Creates the order; false when the request got no answer.</summary>
    async Task<bool> CreateAsync(OrderAttempt a)
    {
        var answer = await AnswerOf(S.SignedAsync(HttpMethod.Post, "/v1/orders", a.Placer.AccessKey, a.Placer.SecretKey, OrderBody(a)));
        if (answer is null) return false;
        Assert.True(answer.Status == HttpStatusCode.OK, $"order {a.Key}: {answer.Status} {answer.Body}");
        a.OrderId = answer.Body!["order_id"]!.GetValue<string>();
        a.Amount = answer.Body["order_info"]!["official_amount"]!.GetValue<decimal>();
        return true;
    }

    /// <summary>Pays the order; false when the request got no answer. A refusal (quota, budget) is an answer, noted.</summary>
    async Task<bool> PayAsync(OrderAttempt a)
    {
        var answer = await AnswerOf(S.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", a.Customer.AccessKey, a.Customer.SecretKey,
            new { order_id = a.OrderId, use_coupon = "NO", use_discount = "NO" }));
        if (answer is null) return false;
        a.PayAnswered = true;
        a.Paid = answer.Status == HttpStatusCode.OK;
        a.Refusal = a.Paid ? null : answer.Code;
        Assert.True(a.Paid || answer.Code is "CBC.99005043", $"pay {a.Key}: {answer.Status} {answer.Body}");
        return true;
    }

    /// <summary>After the restart: what got no answer is sent again with the same key (the order's client_token, the order id).</summary>
    async Task RetryAsync(OrderAttempt a)
    {
        if (a.OrderId is null) Assert.True(await CreateAsync(a), "no answer after the restart");
        if (!a.PayAnswered) Assert.True(await PayAsync(a), "no answer after the restart");
    }

    /// <summary>
    /// The customer's orders are exactly the keys its clients sent, one each; a paid one is Completed with exactly one
    /// journal entry moving its price, an unpaid one is pending and moved nothing.
    /// </summary>
    static async Task AssertOrdersOfAsync(AppDbContext db, TestAccount customer, List<OrderAttempt> attempts)
    {
        var rows = await db.Orders.AsNoTracking().Where(o => o.CustomerAccountId == customer.Id).ToListAsync();
        Assert.Equal(attempts.Select(a => a.Key).Order(), rows.Select(o => o.ClientToken).Order());
        var entries = rows.Select(o => "order:" + o.Id).ToList();
        var postings = (await db.Postings.AsNoTracking().Where(p => entries.Contains(p.EntryId)).ToListAsync()).ToLookup(p => p.EntryId);
        foreach (var order in rows)
        {
            var attempt = attempts.Single(a => a.Key == order.ClientToken);
            Assert.Equal(attempt.OrderId, order.Id);
            Assert.Equal(attempt.Paid ? OrderStatus.Completed : OrderStatus.PendingPayment, order.Status);
            var moved = postings["order:" + order.Id].Where(p => p.Amount > 0).Sum(p => p.Amount);
            var price = order.FundingPartnerAccountId is null ? order.AmountAfterDiscount : order.SettlementAmount;
            Assert.True((attempt.Paid ? price : 0m) == moved, $"order {order.Id} ({order.ClientToken}, paid {attempt.Paid}) moved {moved}, not {price}");
        }
    }

    // ---------------------------------------------------------------- top-ups and quotas

    sealed class TopUpAttempt(TestAccount customer, string key, decimal amount)
    {
        public TestAccount Customer => customer;
        public string Key => key;
        public decimal Amount => amount;
        public bool Answered { get; set; }
    }

    /// <summary>Tops up by card; false when the request got no answer.</summary>
    async Task<bool> TopUpAsync(TopUpAttempt t)
    {
        var answer = await AnswerOf(S.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", t.Customer.AccessKey, t.Customer.SecretKey,
            new { amount = t.Amount, card = Card, client_token = t.Key }));
        if (answer is null) return false;
        Assert.True(answer.Status == HttpStatusCode.OK, $"top-up {t.Key}: {answer.Status} {answer.Body}");
        t.Answered = true;
        return true;
    }

    sealed class QuotaAttempt(decimal quota)
    {
        public decimal Quota => quota;
        /// <summary>Null: no answer (the kill).</summary>
        public HttpStatusCode? Status { get; set; }
    }

    // ---------------------------------------------------------------- set-up and checks

    async Task<string> OperatorTokenAsync() => (await S.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;

    async Task<TestAccount> FundedCustomerAsync(string prefix, decimal cash)
    {
        var c = await S.NewAccountAsync(prefix);
        await Ok(S.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", await OperatorTokenAsync(),
            new { customer_id = c.Id, amount = cash, reason = "crash test funds", client_token = "fund-" + c.Id }));
        return c;
    }

    /// <summary>A partner and resale customers of it, each with a budget, unfrozen, and an access key of its own.</summary>
    async Task<(TestAccount Partner, List<TestAccount> Customers)> PartnerWithResaleCustomersAsync(int count, decimal budget)
    {
        var partner = await S.NewAccountAsync("csp");
        await S.EnrollAsync(partner);
        var customers = new List<TestAccount>();
        for (var i = 0; i < count; i++)
        {
            var name = TestApi.Unique("rc");
            const string password = "Cust#Pass1234";
            var id = (await Ok(S.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", partner.AccessKey, partner.SecretKey,
                new { domain_name = name, password })))["domain_id"]!.GetValue<string>();
            await Ok(S.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", partner.AccessKey, partner.SecretKey,
                new { customer_id = id, budget_amount = budget, budget_type = "MONTHLY", cancel_partner_frozen = "1" }));
            var (token, userId) = await S.PasswordTokenAsync(name, name, password);
            var key = (await Ok(S.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials", token, new { credential = new { user_id = userId } }), HttpStatusCode.Created))["credential"]!;
            customers.Add(new TestAccount(name, id, password, userId, token, key["access"]!.GetValue<string>(), key["secret"]!.GetValue<string>()));
        }
        return (partner, customers);
    }

    static async Task<JsonObject> Ok(Task<HttpResponseMessage> request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    async Task<decimal> CashAsync(TestAccount c) =>
        (await Ok(S.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)))
        ["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();

    async Task<DateTime> ClockAsync(string op) =>
        DateTime.Parse((await Ok(S.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", op)))["now"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    static string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static decimal Cents(decimal amount) => Math.Truncate(amount * 100) / 100;

    async Task NoPeriodHeldAsync()
    {
        await using var db = S.OpenDatabase();
        var deadline = DateTime.UtcNow.AddSeconds(120); // a lease (30 s) and a background tick (30 s), with room
        while (await db.JobRuns.AsNoTracking().AnyAsync(r => r.Status == JobRunStatus.Running))
        {
            Assert.True(DateTime.UtcNow < deadline, "a job period left running by an earlier kill was not finished 120 s later");
            await Task.Delay(250);
        }
    }

    static async Task AssertBooksSoundAsync(AppDbContext db)
    {
        var broken = await LedgerInvariants.CheckAsync(db);
        Assert.True(broken.Count == 0, "ledger invariants broken:\n" + string.Join("\n", broken));
    }

    readonly System.Diagnostics.Stopwatch watch = new();

    /// <summary>Notes a step and when it ended, for measuring the test's phases.</summary>
    void Step(string what) => output.WriteLine($"{watch.Elapsed.TotalSeconds,6:0.0} s  {what}");

    static string Tail(string log) => log.Length <= 20_000 ? log : log[^20_000..];

    /// <summary>Runs the test with a seeded Random (PC_CRASH_SEED=N replays one); a failure names the seed and carries the server's log.</summary>
    async Task WithSeedAsync(Func<Random, Task> test)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PC_CRASH_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay: PC_CRASH_SEED={seed})");
        watch.Restart();
        if (!S.Running) await S.StartAgainAsync(); // an earlier test failed before it restarted the server
        try
        {
            await test(new Random(seed));
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Failed with seed {seed} (replay: PC_CRASH_SEED={seed}): {e.Message}\n{e.StackTrace}\n--- server log (end) ---\n{Tail(S.Log)}");
        }
    }
}
