using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Tests.Support;
using PartnerCenter.Core.Tickets;
using PartnerCenter.Simulation;

namespace PartnerCenter.Core.Tests;

/// <summary>Partner bills: the monthly run, the balance that pays them, repayment, bank transfers, tax and overdue partners.</summary>
public class BillingRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    readonly FaultInjector faults = new();
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");
    const decimal Settlement = 5.72m; // one month of the VM at list 7.15 with the 20 % settlement discount
    static readonly BillCycle November = new(2026, 11);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(services =>
    {
        if (TestDatabase.Provider == DatabaseProvider.Sqlite) services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(faults));
        else services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(faults));
    });

    public async Task DisposeAsync() => await h.DisposeAsync();

    static T S<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller CustomerCaller(string id) => new(id, id, id, id, true, false);
    static NewOrderLine Vm(int count = 1) => new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, count);

    async Task<Caller> PartnerAsync(decimal quota = 100_000m)
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<DiscountService>(sp).SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        await h.InScopeAsync(sp => S<FundsService>(sp).SetConsumptionQuotaAsync(op, partner.AccountId, quota));
        return partner;
    }

    async Task<string> CustomerAsync(Caller partner)
    {
        var customer = await h.InScopeAsync(sp => S<SubCustomerService>(sp).CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)));
        await h.InScopeAsync(sp => S<BudgetService>(sp).SetAsync(partner, new BudgetInput(customer.Id, 1000m, "MONTHLY", "1", null, null)));
        return customer.Id;
    }

    async Task<Order> BuyAsync(Caller partner, string customer, int count = 1)
    {
        var order = await h.InScopeAsync(sp => S<OrderService>(sp).CreateAsync(partner, new NewOrder(customer, [Vm(count)], Ids.New())));
        return await h.InScopeAsync(sp => S<OrderService>(sp).PayAsync(CustomerCaller(customer), new PayRequest(order.Id, "NO", "NO", null, null)));
    }

    async Task AdvanceToAsync(DateTime utc)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, null, new DateTimeOffset(utc)));
    }

    static readonly DateTime FifthOfDecember = new(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc);

    Task AdjustAsync(Caller partner, decimal amount) => h.InScopeAsync(async sp =>
        await S<BillingOperator>(sp).AdjustAsync(await h.OperatorAsync(), partner.AccountId, amount, "correction", Ids.New()));

    Task<PartnerTopUpResult> TopUpAsync(Caller partner, decimal amount, string token) =>
        h.InScopeAsync(sp => S<PartnerFunds>(sp).TopUpAsync(partner, amount, GoodCard, token));

    Task<PartnerTopUpResult> RepayAsync(Caller partner, decimal? amount, string token) =>
        h.InScopeAsync(sp => S<PartnerFunds>(sp).RepayAsync(partner, amount, GoodCard, token));

    Task<PartnerFundsSummary> SummaryAsync(Caller partner) => h.InScopeAsync(sp => S<PartnerFunds>(sp).SummaryAsync(partner));

    async Task<PartnerBill> FinalBillAsync(Caller partner, BillCycle? cycle = null)
    {
        await using var db = h.NewDbContext();
        var text = (cycle ?? November).ToString();
        return await db.PartnerBills.AsNoTracking().Include(b => b.Lines).SingleAsync(b => b.PartnerAccountId == partner.AccountId && b.Cycle == text && b.Status == BillStatus.Finalized);
    }

    async Task<List<PartnerNotification>> NoticesAsync(Caller partner, string kind)
    {
        await using var db = h.NewDbContext();
        return await db.PartnerNotifications.AsNoTracking().Where(n => n.PartnerAccountId == partner.AccountId && n.Kind == kind).OrderBy(n => n.Id).ToListAsync();
    }

    async Task<int> CountAsync(Func<AppDbContext, Task<int>> count)
    {
        await using var db = h.NewDbContext();
        return await count(db);
    }

    [Fact]
    public async Task A_partner_top_up_credits_its_balance_once_per_client_token_and_a_changed_request_is_409()
    {
        var partner = await PartnerAsync();
        var first = await TopUpAsync(partner, 100m, "t1");
        var again = await TopUpAsync(partner, 100m, "t1");
        Assert.Equal(first.TopUp.Id, again.TopUp.Id);
        Assert.Equal(100m, (await SummaryAsync(partner)).Balance);
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => S<PartnerFunds>(sp).TopUpAsync(partner, 101m, GoodCard, "t1"))).Code);
        var (customer, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => S<PartnerFunds>(sp).TopUpAsync(customer, 1m, GoodCard, "t2"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_bill_run_on_the_5th_puts_every_payable_movement_of_the_month_in_exactly_one_line_and_deducts_the_balance()
    {
        var partner = await PartnerAsync();
        var (a, b) = (await CustomerAsync(partner), await CustomerAsync(partner));
        var orderA = await BuyAsync(partner, a);
        await BuyAsync(partner, b, count: 2);
        await AdjustAsync(partner, -1m);
        await TopUpAsync(partner, 3m, "before-bill"); // no bill is due yet: it stays on the balance
        await AdvanceToAsync(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc));
        await using (var db = h.NewDbContext())
        {
            var vm = await db.CloudResources.SingleAsync(r => r.OrderId == orderA.Id && r.IsMain);
            await h.InScopeAsync(sp => S<ResourceService>(sp).UnsubscribeAsync(CustomerCaller(a), [vm.Id], 1, null, null));
        }
        // December's purchase belongs to December's bill, not November's.
        await AdvanceToAsync(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc));
        await BuyAsync(partner, b);

        await AdvanceToAsync(FifthOfDecember);
        var bill = await FinalBillAsync(partner);
        Assert.Equal((17.16m, -5.72m, -1m, 10.44m, 0m), (bill.ConsumeAmount, bill.Refunds, bill.Adjustments, bill.InitialAmountDue, bill.TaxAmount));
        Assert.Equal((3m, 3m, 7.44m), (bill.Deducted, bill.Paid, bill.AmountDue));
        var lines = bill.Lines.OrderBy(l => l.CustomerAccountId ?? "", StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal)
            .Select(l => (l.CustomerAccountId, l.Kind, l.Amount, l.Movements)).ToList();
        var expected = new List<(string?, string, decimal, int)>
        {
            (null, BillLineKinds.Adjustment, -1m, 1), (a, BillLineKinds.OrderPayment, Settlement, 1), (a, BillLineKinds.Refund, -Settlement, 1), (b, BillLineKinds.OrderPayment, 2 * Settlement, 1),
        }.OrderBy(l => l.Item1 ?? "", StringComparer.Ordinal).ThenBy(l => l.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, lines);

        var sum = await h.InScopeAsync(sp => S<PartnerBills>(sp).SummaryAsync(partner, "2026-11"));
        Assert.Equal(new PostpaidBillSum("2026-11", 10.44m, 17.16m, -5.72m, -1m, 0m), sum);
        var summary = await SummaryAsync(partner);
        Assert.Equal((0m, 7.44m, 1, Settlement), (summary.Balance, summary.AmountDue, summary.UnpaidBills, summary.Unbilled));
        Assert.Equal("CBC.99005049", (await h.FailsAsync(sp => S<PartnerBills>(sp).SummaryAsync(partner, "2026-12"))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<PartnerBills>(sp).SummaryAsync(partner, "2026-13"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_bill_holds_the_settlement_of_credit_paid_orders_only_while_revenue_counts_the_allocated_cash_order_too()
    {
        var partner = await PartnerAsync();
        var (funded, onCredit) = (await CustomerAsync(partner), await CustomerAsync(partner));
        await TopUpAsync(partner, 50m, "funds");
        await h.InScopeAsync(sp => S<PartnerAccounts.PartnerAccountService>(sp).AllocateAsync(partner, funded, 20m, null, null));
        var prepaid = await BuyAsync(partner, funded);
        var credited = await BuyAsync(partner, onCredit);

        await AdvanceToAsync(FifthOfDecember);
        var bill = await FinalBillAsync(partner);
        // The allocation paid the first order when it was made: the bill is the credit-paid order's settlement, deducted from what the balance kept.
        Assert.Equal((Settlement, Settlement, Settlement), (bill.ConsumeAmount, bill.InitialAmountDue, bill.Deducted));
        Assert.Equal((onCredit, BillLineKinds.OrderPayment, Settlement), (bill.Lines.Single().CustomerAccountId, bill.Lines.Single().Kind, bill.Lines.Single().Amount));
        var statement = await h.InScopeAsync(sp => S<Revenue.RevenueService>(sp).StatementAsync(partner, November.ToString()));
        Assert.Equal(bill.ConsumeAmount, statement.Lines.Where(l => l.TradeId == credited.Id).Sum(l => l.Settlement));
        Assert.Equal((7.15m, Settlement), (statement.Lines.Single(l => l.TradeId == prepaid.Id).Price, statement.Lines.Single(l => l.TradeId == prepaid.Id).Settlement));
        Assert.Equal(2 * (7.15m - Settlement), statement.Totals.Revenue);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Drafts_of_a_closed_month_are_replaced_on_rerun_and_a_finalized_month_takes_no_draft()
    {
        var partner = await PartnerAsync();
        await BuyAsync(partner, await CustomerAsync(partner));
        var op = await h.OperatorAsync();
        Assert.Equal("CBC.99005050", (await h.FailsAsync(sp => S<BillingOperator>(sp).RunDraftAsync(op, "2026-11"))).Code);

        await AdvanceToAsync(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var first = await h.InScopeAsync(sp => S<BillingOperator>(sp).RunDraftAsync(op, "2026-11"));
        var second = await h.InScopeAsync(sp => S<BillingOperator>(sp).RunDraftAsync(op, "2026-11"));
        Assert.True(second.PartnersDone == second.PartnersTotal && second.CompletedAt is not null);
        var drafts = await h.InScopeAsync(sp => S<BillingOperator>(sp).BillsAsync(op, "2026-11", draft: true));
        var draft = Assert.Single(drafts, d => d.PartnerAccountId == partner.AccountId);
        Assert.Equal(Settlement, draft.InitialAmountDue);
        // A draft is not the partner's bill and moves no money.
        Assert.Equal("CBC.99005049", (await h.FailsAsync(sp => S<PartnerBills>(sp).SummaryAsync(partner, "2026-11"))).Code);
        Assert.Equal(0, await CountAsync(db => db.JournalEntries.CountAsync(e => e.Kind == "BillDeduction")));
        Assert.Empty(await NoticesAsync(partner, PartnerBillMaker.NoticeKind));

        await AdvanceToAsync(FifthOfDecember);
        var bill = await FinalBillAsync(partner);
        Assert.Equal((draft.ConsumeAmount, draft.InitialAmountDue), (bill.ConsumeAmount, bill.InitialAmountDue));
        Assert.Contains(bill.Id, Assert.Single(await NoticesAsync(partner, PartnerBillMaker.NoticeKind)).Message);
        Assert.Equal(0, await CountAsync(db => db.PartnerBills.CountAsync(b => b.Cycle == "2026-11" && b.Status == BillStatus.Draft)));
        Assert.Equal("CBC.99005051", (await h.FailsAsync(sp => S<BillingOperator>(sp).RunDraftAsync(op, "2026-11"))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_bill_run_failing_midway_and_run_again_makes_the_same_bills_once()
    {
        var partners = new List<Caller>();
        for (var i = 0; i < 3; i++)
        {
            var p = await PartnerAsync();
            await BuyAsync(p, await CustomerAsync(p), count: i + 1);
            await TopUpAsync(p, 2m, "pre");
            partners.Add(p);
        }
        await AdvanceToAsync(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var failures = 0;
        // Each attempt dies at a later database command, inside a different partner's transaction or between them.
        foreach (var k in new[] { 4, 9, 13, 17, 22, 28, 35 })
        {
            faults.Arm(k);
            try { await h.InScopeAsync(sp => S<BillRuns>(sp).RunAsync(November, draft: false)); }
            catch (Exception e) when (e is InjectedFault || e.InnerException is InjectedFault) { failures++; }
            faults.Disarm();
            await h.AssertLedgerSoundAsync();
        }
        var run = await h.InScopeAsync(sp => S<BillRuns>(sp).RunAsync(November, draft: false));
        Assert.True(failures >= 3, $"only {failures} attempts failed");
        Assert.Equal((run.PartnersTotal, true), (run.PartnersDone, run.CompletedAt is not null));
        for (var i = 0; i < 3; i++)
        {
            var bill = await FinalBillAsync(partners[i]);
            Assert.Equal(((i + 1) * Settlement, 2m, (i + 1) * Settlement - 2m), (bill.InitialAmountDue, bill.Deducted, bill.AmountDue));
        }
        Assert.Equal(3, await CountAsync(db => db.PartnerBills.CountAsync(b => b.Cycle == "2026-11" && partners.Select(p => p.AccountId).Contains(b.PartnerAccountId))));
        Assert.Equal(3, await CountAsync(db => db.JournalEntries.CountAsync(e => e.Kind == "BillDeduction")));
        // Each partner heard of its bill once: the notice commits with the bill, so a failed attempt left none behind.
        foreach (var p in partners)
        {
            var bill = await FinalBillAsync(p);
            Assert.Contains(bill.Id, Assert.Single(await NoticesAsync(p, PartnerBillMaker.NoticeKind)).Message);
        }
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_bill_run_waits_while_a_rating_hour_of_the_month_is_unfinished()
    {
        var partner = await PartnerAsync();
        await BuyAsync(partner, await CustomerAsync(partner));
        await AdvanceToAsync(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        // The month's last rating hour as a crashed run leaves it: claimed, not completed.
        await using (var db = h.NewDbContext())
            Assert.Equal(1, await db.JobRuns.Where(r => r.JobName == BillRuns.RatingJobName && r.Period == November.EndUtc)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Running).SetProperty(r => r.Owner, "crashed")));
        Assert.Equal("CBC.99005052", (await h.FailsAsync(sp => S<BillRuns>(sp).RunAsync(November, draft: false))).Code);
        Assert.Equal(0, await CountAsync(db => db.PartnerBills.CountAsync()));
        await using (var db = h.NewDbContext())
            await db.JobRuns.Where(r => r.Owner == "crashed").ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Completed));
        await h.InScopeAsync(sp => S<BillRuns>(sp).RunAsync(November, draft: false));
        Assert.Equal(Settlement, (await FinalBillAsync(partner)).InitialAmountDue);
    }

    [Fact]
    public async Task The_scheduled_bill_run_waiting_for_a_rating_hour_is_not_a_failure_and_bills_on_a_later_tick()
    {
        var partner = await PartnerAsync();
        await BuyAsync(partner, await CustomerAsync(partner));
        await AdvanceToAsync(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        // A crashed instance still holds the month's last rating hour (its lease has not run out).
        await using (var db = h.NewDbContext())
            Assert.Equal(1, await db.JobRuns.Where(r => r.JobName == BillRuns.RatingJobName && r.Period == November.EndUtc)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Running).SetProperty(r => r.Owner, "crashed")
                    .SetProperty(r => r.LeaseUntil, DateTime.UtcNow.AddHours(1))));
        // The advance past the 5th answers; the bill run waits without a failure on record and bills nothing yet.
        await AdvanceToAsync(FifthOfDecember.AddHours(1));
        await using (var db = h.NewDbContext())
        {
            var run = await db.JobRuns.SingleAsync(r => r.JobName == "billing.partner-bills" && r.Period == FifthOfDecember);
            Assert.Equal((JobRunStatus.Running, 0, null), (run.Status, run.Failures, run.LastError));
        }
        Assert.Equal(0, await CountAsync(db => db.PartnerBills.CountAsync()));
        await using (var db = h.NewDbContext())
            await db.JobRuns.Where(r => r.Owner == "crashed").ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, JobRunStatus.Completed));
        await h.InScopeAsync(sp => S<JobRunner>(sp).RunDueAsync(FifthOfDecember.AddHours(1)));
        Assert.Equal(Settlement, (await FinalBillAsync(partner)).InitialAmountDue);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Repayment_refuses_zero_negative_three_decimals_over_the_amount_due_and_over_40000_and_writes_nothing()
    {
        var partner = await PartnerAsync();
        await AdjustAsync(partner, 50_000m);
        await AdvanceToAsync(FifthOfDecember);
        Assert.Equal(50_000m, (await SummaryAsync(partner)).AmountDue);
        var entries = await CountAsync(db => db.JournalEntries.CountAsync());
        foreach (var (amount, code) in new (decimal?, string)[] { (0m, "CBC.0100"), (-1m, "CBC.0100"), (1.001m, "CBC.0100"), (null, "CBC.0100"), (40_000.01m, "CBC.99005048") })
            Assert.Equal(code, (await h.FailsAsync(sp => S<PartnerFunds>(sp).RepayAsync(partner, amount, GoodCard, Ids.New()))).Code);
        Assert.Equal("CBC.99005030", (await h.FailsAsync(sp => S<PartnerFunds>(sp).RepayAsync(partner, 10m, GoodCard with { Number = "4000000000000002" }, Ids.New()))).Code);
        Assert.Equal(entries, await CountAsync(db => db.JournalEntries.CountAsync()));

        var paid = await RepayAsync(partner, 40_000m, "big");
        Assert.Equal((40_000m, 10_000m), (paid.Repaid, paid.AmountDue));
        Assert.Equal("CBC.99005047", (await h.FailsAsync(sp => S<PartnerFunds>(sp).RepayAsync(partner, 10_000.01m, GoodCard, Ids.New()))).Code);
        // The same request again (a resubmitted form) is answered as the first, and charges nothing more.
        var again = await RepayAsync(partner, 40_000m, "big");
        Assert.Equal(paid.TopUp.Id, again.TopUp.Id);
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => S<PartnerFunds>(sp).RepayAsync(partner, 5m, GoodCard, "big"))).Code);
        await RepayAsync(partner, 10_000m, "rest");
        var summary = await SummaryAsync(partner);
        Assert.Equal((0m, 0, 0m), (summary.AmountDue, summary.UnpaidBills, summary.Balance));
        var (payments, total) = await h.InScopeAsync(sp => S<PartnerFunds>(sp).PaymentsAsync(partner, null, null));
        Assert.Equal((2, 50_000m), (total, payments.Sum(p => p.Amount)));
        var (statements, _) = await h.InScopeAsync(sp => S<PartnerFunds>(sp).StatementsAsync(partner, null, null));
        Assert.Equal(2, statements.Count(s => s.Kind == "top_up"));
        Assert.Equal(2, statements.Count(s => s.Kind == "repayment"));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_unpaid_bill_past_its_due_date_stops_the_partners_resale_customers_until_it_is_repaid_and_the_partner_is_told_once()
    {
        var partner = await PartnerAsync();
        var customer = await CustomerAsync(partner);
        await BuyAsync(partner, customer);
        await AdvanceToAsync(FifthOfDecember);
        await BuyAsync(partner, customer); // due in 15 days: not overdue yet

        await AdvanceToAsync(FifthOfDecember.AddDays(16));
        Assert.True((await SummaryAsync(partner)).Overdue);
        Assert.Equal("CBC.99005046", (await h.FailsAsync(sp => S<OrderService>(sp).CreateAsync(partner, new NewOrder(customer, [Vm()], Ids.New())))).Code);
        Assert.Equal("CBC.99005046", (await h.FailsAsync(sp => S<OrderService>(sp).CreateAsync(CustomerCaller(customer), new NewOrder(null, [Vm()], Ids.New())))).Code);
        await AdvanceToAsync(FifthOfDecember.AddDays(18));
        await using (var db = h.NewDbContext())
        {
            Assert.Equal(1, await db.PartnerNotifications.CountAsync(n => n.PartnerAccountId == partner.AccountId && n.Kind == "bill.overdue"));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.To == partner.AccountName + "@example.com" && m.Subject.Contains("overdue")));
        }
        await RepayAsync(partner, Settlement, "pay");
        Assert.False((await SummaryAsync(partner)).Overdue);
        await BuyAsync(partner, customer);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_confirmed_bank_transfer_tops_up_and_repays_once_however_often_it_is_confirmed()
    {
        var partner = await PartnerAsync();
        await BuyAsync(partner, await CustomerAsync(partner));
        await AdvanceToAsync(FifthOfDecember);
        var ticket = await h.InScopeAsync(sp => S<TicketService>(sp).CreateAsync(partner, new NewTicket(TicketTypes.BankTransfer, 3, "Transfer", "Repaying November",
            BankTransfer: new BankTransferDetails(10m, "2026-12-04", "Acme Ltd", "REF-1", "INV-1", null))));
        var op = await h.OperatorAsync();
        var first = await h.InScopeAsync(sp => S<PartnerFunds>(sp).ConfirmBankTransferAsync(op, ticket.Id));
        var second = await h.InScopeAsync(sp => S<PartnerFunds>(sp).ConfirmBankTransferAsync(op, ticket.Id));
        Assert.Equal((0m, 10m - Settlement), (first.AmountDue, first.Balance));
        Assert.Equal(first, second);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => S<PartnerFunds>(sp).ConfirmBankTransferAsync(partner, ticket.Id))).Code);
        var (payments, _) = await h.InScopeAsync(sp => S<PartnerFunds>(sp).PaymentsAsync(partner, null, null));
        Assert.Equal((BillPaymentMethods.BankTransfer, Settlement), (Assert.Single(payments).Method, payments[0].Amount));
        var (statements, _) = await h.InScopeAsync(sp => S<PartnerFunds>(sp).StatementsAsync(partner, null, null));
        Assert.Equal([("repayment", -Settlement), ("top_up", 10m)], statements.Select(s => (s.Kind, s.Amount)).ToList());
        // The ticket tells the partner, once, and waits for it to close the ticket.
        var view = await h.InScopeAsync(sp => S<TicketService>(sp).GetAsync(partner, ticket.Id));
        Assert.Equal(TicketStatus.PendingConfirmation, view.Ticket.Status);
        Assert.Single(view.Messages, m => m.FromHandler && m.Body.Contains("10.00 USD"));
        // Each move of the ticket's status is a notice to the partner, written with the move: one for the confirmation
        // (a second confirmation moves nothing), one when the partner closes it.
        Assert.Contains("pending confirmation", Assert.Single(await NoticesAsync(partner, TicketService.BankTransferNoticeKind)).Message);
        await h.InScopeAsync(sp => S<TicketService>(sp).CloseAsync(partner, ticket.Id));
        var notices = await NoticesAsync(partner, TicketService.BankTransferNoticeKind);
        Assert.Equal(2, notices.Count);
        Assert.Contains("completed", notices[1].Message);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Tax_is_the_partners_country_rate_shown_apart_and_not_in_the_amount_due()
    {
        var partner = await PartnerAsync();
        await BuyAsync(partner, await CustomerAsync(partner), count: 3);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<BillingOperator>(sp).SetTaxRateAsync(op, "SG", 0.07m));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BillingOperator>(sp).SetTaxRateAsync(op, "sg", 0.07m))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BillingOperator>(sp).SetTaxRateAsync(op, "SG", 1.5m))).Code);
        await AdvanceToAsync(FifthOfDecember);
        var bill = await FinalBillAsync(partner);
        Assert.Equal((17.16m, Money.Round2(17.16m * 0.07m), 17.16m), (bill.InitialAmountDue, bill.TaxAmount, bill.AmountDue));
    }

    [Fact]
    public async Task A_card_on_file_is_charged_the_amount_due_on_the_5th_and_a_credit_bill_goes_to_the_balance()
    {
        var withCard = await PartnerAsync();
        await BuyAsync(withCard, await CustomerAsync(withCard));
        await h.InScopeAsync(sp => S<PartnerFunds>(sp).SetCardOnFileAsync(withCard, GoodCard));
        var credited = await PartnerAsync();
        await AdjustAsync(credited, -10m);
        await AdvanceToAsync(FifthOfDecember);

        var bill = await FinalBillAsync(withCard);
        Assert.Equal((Settlement, 0m), (bill.Paid, bill.AmountDue));
        var (payments, _) = await h.InScopeAsync(sp => S<PartnerFunds>(sp).PaymentsAsync(withCard, null, null));
        Assert.Equal(BillPaymentMethods.CardOnFile, Assert.Single(payments).Method);

        var credit = await FinalBillAsync(credited);
        Assert.Equal((-10m, 0m), (credit.InitialAmountDue, credit.AmountDue));
        Assert.Equal(10m, (await SummaryAsync(credited)).Balance);
        await h.AssertLedgerSoundAsync();
    }
}
