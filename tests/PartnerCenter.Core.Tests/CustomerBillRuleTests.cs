using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Tests.Support;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// Customers' bills read from what was recorded: a realistic month (orders, a renewal, a refund, pay-per-use over many
/// hours with sub-cent fees and a free package, a cycle boundary crossed) adds up to the cent with the ledger.
/// </summary>
public class CustomerBillRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Region = "ap-southeast-1";
    static readonly NewOrderLine MonthlyVm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", Region, null, null, 2, 1, 1);
    static readonly NewOrderLine MonthlyDisk = new("hws.service.type.ebs", "hws.resource.type.volume", "SATA", Region, 40, 17, 2, 1, 1);
    static readonly NewOrderLine HourlyVm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", Region, null, null, null, null, 1, ChargeMode.OnDemand);
    static readonly string[] ChargeKinds = ["OrderPayment", "UsageCharge", "Refund"];

    readonly CommandCounter commands = new();

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(services =>
    {
        if (TestDatabase.Provider == Data.DatabaseProvider.Sqlite) services.ConfigureDbContext<Data.SqliteAppDbContext>(o => o.AddInterceptors(commands));
        else services.ConfigureDbContext<Data.PostgresAppDbContext>(o => o.AddInterceptors(commands));
    });
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T Service<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller Owner(string accountId) => new(accountId, accountId, accountId, accountId, true, false);
    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<SandboxClockService>(sp).AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    async Task<Order> BuyAsync(Caller placedBy, string customer, NewOrderLine line)
    {
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).CreateAsync(placedBy, new NewOrder(customer == placedBy.AccountId ? null : customer, [line], Ids.New())));
        var best = order.DiscountOptions.FirstOrDefault(d => d.BestOffer);
        return await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(Owner(customer),
            new PayRequest(order.Id, "NO", best is null ? "NO" : "YES", null, best is null ? null : [new PayChoice(best.DiscountId, best.DiscountType)])));
    }

    async Task<string> MainResourceAsync(Order order)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.Where(r => r.OrderId == order.Id && r.IsMain).Select(r => r.Id).SingleAsync();
    }

    async Task<string> HourlyVmAsync(Caller placedBy, string customer)
    {
        var order = await h.InScopeAsync(sp => Service<OnDemandService>(sp).CreateOrderAsync(placedBy,
            new NewOrder(customer == placedBy.AccountId ? null : customer, [HourlyVm], Ids.New())));
        return order.Lines[0].ResourceId;
    }

    /// <summary>
    /// A direct customer paying from its own cash and a resale customer of a CSP with
    /// a 20 % settlement discount, each with yearly/monthly orders, and hourly VMs used for <paramref name="hours"/> hours
    /// from 06:00 UTC on the last day of November, so the runs cross into December (Beijing time) half-way.
    /// </summary>
    async Task<(string Direct, Caller Partner, string Resale, string[] HourlyVms)> MonthOfActivityAsync(int hours)
    {
        // To 2026-11-30 06:00 UTC: ten hours before December begins in Beijing.
        await AdvanceAsync(new DateTime(2026, 11, 30, 6, 0, 0, DateTimeKind.Utc) - Now);
        var op = await h.OperatorAsync();
        var (direct, _) = await h.NewAccountAsync("bill");
        await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, direct.AccountId, 500m, "test funds", Ids.New()));
        var (partner, enrolled) = await h.NewPartnerAsync();
        await h.InScopeAsync(sp => Service<DiscountService>(sp).SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        var resale = (await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => Service<BudgetService>(sp).SetAsync(partner, new BudgetInput(resale, 1000m, "MONTHLY", "1", null, null)));

        // November: a monthly VM renewed once, a disk bought and unsubscribed (refunded); the resale customer's VM.
        var vm = await MainResourceAsync(await BuyAsync(direct, direct.AccountId, MonthlyVm));
        var renewal = await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(direct, [vm], 2, 1, 1));
        var disk = await MainResourceAsync(await BuyAsync(direct, direct.AccountId, MonthlyDisk));
        await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(direct, [disk], 1, null, null));
        await BuyAsync(partner, resale, MonthlyVm);
        await h.InScopeAsync(sp => Service<OnDemandService>(sp).GrantFreePackageAsync(op, new FreePackageGrant(direct.AccountId, "VM hours",
            "hws.service.type.ec2", "hws.resource.type.vm", Region, "s6.small.1.linux", "Duration", 3m, 4, Now, Now.AddMonths(1))));
        string[] hourly = [await HourlyVmAsync(direct, direct.AccountId), await HourlyVmAsync(direct, direct.AccountId), await HourlyVmAsync(partner, resale)];

        // Irregular usage, so fees have sub-cent amounts that the hourly 2-decimal charges carry over.
        decimal[] use = [1m, 0.37m, 0.8125m];
        for (var hour = 0; hour < hours; hour++)
        {
            await AdvanceAsync(TimeSpan.FromHours(1));
            await h.InScopeAsync(sp => Service<UsageIngestion>(sp).IngestAsync(op, hourly.Select((r, i) =>
                new UsageRecordInput(Ids.New(), r, "Duration", use[i] + hour % 3 * 0.01m, 4, Now.AddHours(-1), Now)).ToList()));
            if (hour == hours / 2)
            {
                // December: the direct customer renews its VM again; the resale customer buys another.
                await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(direct, [vm], 2, 1, 1));
                await BuyAsync(partner, resale, MonthlyVm);
            }
        }
        await AdvanceAsync(TimeSpan.FromHours(2)); // the last usage is rated and charged
        Assert.Single(renewal);
        return (direct.AccountId, partner, resale, hourly);
    }

    /// <summary>What the ledger charged the customer's own accounts for orders, usage and refunds booked in the cycle (independent of the bill code).</summary>
    async Task<decimal> LedgerChargedAsync(string customer, BillCycle cycle)
    {
        string[] own = [LedgerBook.CashOf(customer), LedgerBook.CreditOf(customer), LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, customer)];
        await using var db = h.NewDbContext();
        var postings = await db.Postings.Where(p => own.Contains(p.AccountId) && p.BookedAt >= cycle.StartUtc && p.BookedAt < cycle.EndUtc)
            .Join(db.JournalEntries.Where(e => ChargeKinds.Contains(e.Kind)), p => p.EntryId, e => e.Id, (p, e) => p.Amount).ToListAsync();
        return -postings.Sum();
    }

    /// <summary>What the partner's payable was charged in the cycle (its only customer here is the resale one).</summary>
    async Task<decimal> PartnerChargedAsync(string partner, BillCycle cycle)
    {
        await using var db = h.NewDbContext();
        var postings = await db.Postings.Where(p => p.AccountId == LedgerBook.PayableOf(partner) && p.BookedAt >= cycle.StartUtc && p.BookedAt < cycle.EndUtc)
            .Join(db.JournalEntries.Where(e => ChargeKinds.Contains(e.Kind)), p => p.EntryId, e => e.Id, (p, e) => p.Amount).ToListAsync();
        return -postings.Sum();
    }

    /// <summary>The resale customer's budget spends (list price) of the cycle: orders by their payment, usage by the hour its run rated.</summary>
    async Task<decimal> BudgetSpentAsync(string customer, BillCycle cycle)
    {
        await using var db = h.NewDbContext();
        var spends = await db.BudgetSpends.Where(s => s.CustomerAccountId == customer).ToListAsync();
        var paid = await db.Orders.Where(o => o.CustomerAccountId == customer && o.PaidAt != null).ToDictionaryAsync(o => o.Id, o => o.PaidAt!.Value);
        return spends.Where(s =>
        {
            var key = s.IdempotencyKey;
            var at = key.StartsWith("order:") ? paid[key[6..]]
                : DateTime.ParseExact(key[(key.LastIndexOf(':') + 1)..], "yyyyMMddHH", null, System.Globalization.DateTimeStyles.AdjustToUniversal).AddHours(-1);
            return BillCycle.Containing(at) == cycle;
        }).Sum(s => s.Amount);
    }

    async Task<List<ResourceRecord>> AllRecordsAsync(Caller caller, BillCycle cycle, int statisticType, string? method = null, string? subCustomer = null)
    {
        var all = new List<ResourceRecord>();
        for (var offset = 0; ; offset += 7)
        {
            var (page, total) = await h.InScopeAsync(sp => Service<CustomerBillService>(sp).ResourceRecordsAsync(caller, new ResourceRecordFilter(cycle.ToString(),
                null, null, null, null, null, null, null, method, subCustomer, statisticType, null, null, offset, 7)));
            all.AddRange(page);
            if (offset + 7 >= total) return all;
        }
    }

    Task<MonthlySum> SumAsync(Caller caller, BillCycle cycle, string? method = null, string? subCustomer = null) =>
        h.InScopeAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(caller, cycle.ToString(), null, method, subCustomer, 0, 1000));

    [Fact]
    public async Task A_month_adds_up_to_the_cent_with_its_records_its_fees_and_the_ledger_and_reads_the_same_twice()
    {
        var (direct, partner, resale, hourly) = await MonthOfActivityAsync(20);
        BillCycle[] cycles = [new(2026, 11), new(2026, 12)];
        foreach (var cycle in cycles)
        {
            var sum = await SumAsync(Owner(direct), cycle, "oneself");
            Assert.NotEqual(0m, sum.Consume);
            // The monthly sum is what the ledger charged the customer in the cycle, and how it paid (cash, then arrears).
            Assert.Equal(await LedgerChargedAsync(direct, cycle), sum.Consume);
            Assert.Equal(sum.Consume, sum.Payments.Cash + sum.Payments.Credit + sum.Payments.Debt);
            Assert.Equal(sum.Consume, sum.Lines.Sum(l => l.Amount));
            Assert.All(sum.Lines, l => Assert.Equal(l.Official - l.Discount - l.Truncated, l.Amount));
            Assert.All(sum.Lines, l => Assert.Equal(l.Amount, Money.Round2(l.Amount)));

            // The records by cycle and by day add up to the monthly sum, and each day's records to their resource's cycle record.
            var byCycle = await AllRecordsAsync(Owner(direct), cycle, 1);
            var byDay = await AllRecordsAsync(Owner(direct), cycle, 2);
            Assert.Equal(sum.Consume, byCycle.Sum(r => r.Charge.Amount));
            Assert.Equal(sum.Consume, byDay.Sum(r => r.Charge.Amount));
            var detailed = await AllRecordsAsync(Owner(direct), cycle, 3);
            Assert.Equal(sum.Consume, detailed.Sum(r => r.Charge.Amount));
            foreach (var record in byCycle.Where(r => r.Charge.BillType == BillTypes.Usage))
            {
                Assert.Equal(record.Charge.Amount, byDay.Where(d => d.Charge.ResourceId == record.Charge.ResourceId && d.Charge.BillType == BillTypes.Usage).Sum(d => d.Charge.Amount));
                Assert.Equal(record.Charge.Amount, detailed.Where(d => d.Charge.ResourceId == record.Charge.ResourceId && d.Charge.BillType == BillTypes.Usage).Sum(d => d.Charge.Amount));
            }

            // The detailed records are the cycle's order lines and its fee records (those of some usage to rate), one for one.
            await using (var fdb = h.NewDbContext())
                Assert.Equal((await UsageFees.ListAsync(fdb, fdb.UsageFeeHours.Where(f => f.CustomerAccountId == direct)))
                    .Count(f => f.OfficialAmount != 0 && BillCycle.OfRatingPeriod(f.RatingPeriod) == cycle), detailed.Count(r => r.Charge.BillType == BillTypes.Usage));

            // Pay-per-use: the records are the fee records of the cycle's runs, less the sub-cent remainders the hourly charges carried.
            await using var db = h.NewDbContext();
            var fees = (await UsageFees.ListAsync(db, db.UsageFeeHours.Where(f => f.CustomerAccountId == direct)))
                .Where(f => BillCycle.OfRatingPeriod(f.RatingPeriod) == cycle).ToList();
            var usage = byCycle.Where(r => r.Charge.BillType == BillTypes.Usage).Select(r => r.Charge).ToList();
            Assert.Equal(fees.Sum(f => f.Amount), usage.Sum(r => r.Official - r.Discount));
            Assert.Equal(fees.Sum(f => f.OfficialAmount), usage.Sum(r => r.Official));
            Assert.InRange(usage.Sum(r => r.Truncated), -0.01m, 0.01m);
            Assert.Equal(fees.Sum(f => f.FreeResourceUsed), usage.Sum(r => r.FreeUsage));
            // Orders: every line of the cycle's orders, refunds negative, at what was paid.
            var orders = await db.Orders.Where(o => o.CustomerAccountId == direct && o.PaidAt >= cycle.StartUtc && o.PaidAt < cycle.EndUtc && o.OfficialAmount != 0).ToListAsync();
            Assert.Equal(orders.Sum(o => o.OrderType is OrderType.Unsubscribe or OrderType.ToOnDemand ? -o.AmountAfterDiscount : o.AmountAfterDiscount),
                byCycle.Where(r => r.Charge.BillType != BillTypes.Usage).Sum(r => r.Charge.Amount));
            Assert.Equal(orders.Select(o => o.Id).Order(), byCycle.Where(r => r.Charge.BillType != BillTypes.Usage).Select(r => r.Charge.TradeId).Distinct().Order());

            // The same month read again gives the same figures.
            var again = await SumAsync(Owner(direct), cycle, "oneself");
            Assert.Equal(sum.Lines, again.Lines);
            Assert.Equal((sum.Consume, sum.Payments), (again.Consume, again.Payments));

            // The resale customer sees its consumption at list price (its budget), its partner the same and the settlement price (its payable).
            var resaleSum = await SumAsync(Owner(resale), cycle, "oneself");
            Assert.Equal(await BudgetSpentAsync(resale, cycle), resaleSum.Consume);
            Assert.All(resaleSum.Lines, l => Assert.Equal(0m, l.Discount));
            Assert.Equal(new CyclePayments(0, 0, 0), resaleSum.Payments); // the partner pays
            var viaPartner = await SumAsync(partner, cycle, "sub_customer", resale);
            Assert.Equal(resaleSum.Lines, viaPartner.Lines);
            var (partnerLines, _) = await h.InScopeAsync(sp => Service<CustomerBillService>(sp).SubCustomerSumsAsync(partner,
                new SubCustomerSumFilter(null, cycle.ToString(), null, null, null, null, 0, 1000)));
            Assert.Equal(resaleSum.Lines, partnerLines);
            Assert.Equal(await PartnerChargedAsync(partner.AccountId, cycle), partnerLines.Sum(l => l.Settlement));
            Assert.True(partnerLines.Sum(l => l.Settlement) < resaleSum.Consume);
            var (consuming, count) = await h.InScopeAsync(sp => Service<CustomerBillService>(sp).ConsumingCustomersAsync(partner, cycle.ToString(), 0, 10));
            Assert.Equal([resale], consuming);
            Assert.Equal(1, count);
        }
        Assert.Equal(3, hourly.Length);
        await h.AssertLedgerSoundAsync();
    }

    /// <summary>
    /// The detailed records' two reads of a cycle's fees give what expanding every fee gives: the SQL over the unnested
    /// customer-hour rows (PostgreSQL) and the .NET expansion (every database), for each filter the API passes.
    /// </summary>
    [Fact]
    public async Task Detailed_fee_counts_and_a_pages_fees_read_in_sql_are_those_of_every_fee_expanded()
    {
        var (direct, _, resale, hourly) = await MonthOfActivityAsync(20);
        bool[] paths = TestDatabase.Provider == DatabaseProvider.Postgres ? [false, true] : [false];
        foreach (var customer in new[] { direct, resale })
        foreach (var cycle in new BillCycle[] { new(2026, 11), new(2026, 12) })
        {
            await using var db = h.NewDbContext();
            var all = (await UsageFees.ListAsync(db, db.UsageFeeHours.Where(x => x.CustomerAccountId == customer)))
                .Where(x => x.Hour < cycle.EndUtc && x.RatingPeriod > cycle.StartUtc && x.RatingPeriod <= cycle.EndUtc).ToList();
            Assert.NotEmpty(all);
            var midRun = all.Select(x => x.RatingPeriod).Order().ElementAt(all.Count / 2);
            DetailedFeeFilter[] filters =
            [
                new(cycle.StartUtc, cycle.EndUtc, null, null, null, null, false),
                new(cycle.StartUtc, cycle.EndUtc, "", "", "", "", true),
                new(midRun, cycle.EndUtc, "hws.service.type.ec2", Region, "hws.resource.type.vm", null, false),
                new(cycle.StartUtc.AddDays(-3), midRun, null, null, null, hourly[0], true),
                new(cycle.StartUtc, cycle.EndUtc, "hws.service.type.ebs", null, null, null, true),
            ];
            foreach (var filter in filters)
            {
                var expected = all.Where(filter.Wants).GroupBy(x => (x.ResourceId, x.UsageFactor)).Select(g => (g.Key.ResourceId, g.Key.UsageFactor, g.Count()))
                    .OrderBy(c => c.ResourceId, StringComparer.Ordinal).ToList();
                foreach (var inDatabase in paths)
                    Assert.Equal(expected, (await DetailedFees.CountsAsync(db, customer, cycle, filter, inDatabase)).OrderBy(c => c.ResourceId, StringComparer.Ordinal));
            }
            var groups = all.Select(x => (x.ResourceId, x.UsageFactor)).Distinct().Take(2).ToList();
            var groupFees = all.Where(x => groups.Contains((x.ResourceId, x.UsageFactor))).OrderBy(x => x.Hour).ThenBy(x => x.RatingPeriod).ToList();
            foreach (var inDatabase in paths)
            {
                Assert.Equal(groupFees, await DetailedFees.OfAsync(db, customer, cycle, groups, inDatabase));
                Assert.Empty(await DetailedFees.OfAsync(db, customer, cycle, [("no-such-resource", "Duration")], inDatabase));
            }
        }
    }

    /// <summary>
    /// The daily sums behind the records by day, the fee records and usage per day give what expanding every fee gives:
    /// the SQL over the unnested customer-hour rows (PostgreSQL) and the .NET expansion (every database).
    /// </summary>
    [Fact]
    public async Task Daily_fee_and_usage_sums_and_usage_days_read_in_sql_are_those_of_every_fee_expanded()
    {
        var (direct, _, resale, hourly) = await MonthOfActivityAsync(20);
        bool[] paths = TestDatabase.Provider == DatabaseProvider.Postgres ? [false, true] : [false];
        foreach (var customer in new[] { direct, resale })
        foreach (var cycle in new BillCycle[] { new(2026, 11), new(2026, 12) })
        {
            await using var db = h.NewDbContext();
            var all = (await UsageFees.ListAsync(db, db.UsageFeeHours.Where(x => x.CustomerAccountId == customer)))
                .Where(x => x.Hour < cycle.EndUtc && x.RatingPeriod > cycle.StartUtc && x.RatingPeriod <= cycle.EndUtc).ToList();
            Assert.NotEmpty(all);
            var perResource = all.GroupBy(x => (x.ResourceId, x.UsageFactor, Day: DailyFees.Day(x)))
                .Select(g => new DailyFeeSum(g.Key.ResourceId, g.Key.UsageFactor, g.Key.Day, g.Sum(x => x.UsageValue), g.Sum(x => x.FreeResourceUsed),
                    g.Sum(x => x.OfficialAmount), g.Sum(x => x.Amount), g.Sum(x => x.SettlementAmount)))
                .OrderBy(d => d.ResourceId, StringComparer.Ordinal).ThenBy(d => d.Day).ToList();
            (string? Service, string? Type, string? Factor, string? Resource)[] filters =
                [(null, null, null, null), ("hws.service.type.ec2", "hws.resource.type.vm", "Duration", null), ("", "", "", hourly[0]), ("hws.service.type.ebs", null, null, null)];
            foreach (var inDatabase in paths)
            {
                Assert.Equal(perResource, (await DailyFees.PerResourceAsync(db, customer, cycle, inDatabase)).OrderBy(d => d.ResourceId, StringComparer.Ordinal).ThenBy(d => d.Day));
                foreach (var (service, type, factor, resource) in filters)
                {
                    var expected = all.Where(x => (string.IsNullOrEmpty(service) || x.ServiceTypeCode == service) && (string.IsNullOrEmpty(type) || x.ResourceTypeCode == type)
                                                  && (string.IsNullOrEmpty(factor) || x.UsageFactor == factor) && (string.IsNullOrEmpty(resource) || x.ResourceId == resource))
                        .GroupBy(x => (DailyFees.Day(x), x.UsageFactor, x.UsageMeasureId)).Select(g => new DailyUsageSum(g.Key.Item1, g.Key.UsageFactor, g.Key.UsageMeasureId, g.Sum(x => x.UsageValue)))
                        .OrderBy(d => d.Day).ToList();
                    Assert.Equal(expected, (await DailyFees.UsageAsync(db, customer, cycle, service, type, factor, resource, inDatabase)).OrderBy(d => d.Day));
                    // The usage summary's days per resource (it takes no resource filter).
                    var days = all.Where(x => (string.IsNullOrEmpty(service) || x.ServiceTypeCode == service) && (string.IsNullOrEmpty(type) || x.ResourceTypeCode == type)
                                              && (string.IsNullOrEmpty(factor) || x.UsageFactor == factor))
                        .GroupBy(x => x.ResourceId).Select(g => (g.Key, g.Select(DailyFees.Day).Distinct().Count())).OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
                    Assert.Equal(days, (await DailyFees.ResourceDaysAsync(db, customer, cycle, service, type, factor, inDatabase)).OrderBy(d => d.ResourceId, StringComparer.Ordinal));
                }
            }
        }
    }

    [Fact]
    public async Task Customer_expenditures_cover_the_last_twelve_closed_months_and_their_charts_draw_the_tables_figures()
    {
        var (direct, partner, resale, _) = await MonthOfActivityAsync(20);
        // It is now December in Beijing: November is the last closed month, December's charges are left out.
        var november = new BillCycle(2026, 11);
        var report = await h.InScopeAsync(sp => Service<CustomerExpenditures>(sp).LastClosedMonthsAsync(partner));
        Assert.Equal(CustomerExpenditures.ClosedMonths, report.Cycles.Count);
        Assert.Equal((new BillCycle(2025, 12), november), (report.Cycles[0], report.Cycles[^1]));

        // November is the resale customer's bill: its spend at list price, and what the partner's payable was charged.
        var resaleSum = await SumAsync(Owner(resale), november, "oneself");
        var month = report.Months[^1].Figures;
        Assert.Equal(resaleSum.Consume, month.Spend);
        Assert.Equal(resaleSum.Lines.Sum(l => l.Official), month.List);
        Assert.Equal(await PartnerChargedAsync(partner.AccountId, november), month.Settlement);
        Assert.True(month.Settlement > 0 && month.Settlement < month.Spend);
        Assert.All(report.Months.SkipLast(1), m => Assert.Equal(SpendFigures.Zero, m.Figures));

        // Only the partner's customer, and every table sums to the same total.
        Assert.Equal([resale], report.Customers.Select(c => c.Key));
        Assert.DoesNotContain(report.Customers, c => c.Key == direct);
        Assert.Equal(resaleSum.Lines.Select(l => l.ServiceTypeCode).Distinct().Order(), report.Services.Select(s => s.Key).Order());
        foreach (var rows in new[] { report.Months, report.Customers, report.Services })
            Assert.Equal(report.Total, new SpendFigures(rows.Sum(r => r.Figures.List), rows.Sum(r => r.Figures.Spend), rows.Sum(r => r.Figures.Settlement)));
        foreach (var service in report.Services)
            Assert.Equal(resaleSum.Lines.Where(l => l.ServiceTypeCode == service.Key).Sum(l => l.Amount), service.Figures.Spend);

        // The charts' series are the tables' figures, and the drawn bars carry them: one bar per month with spend.
        Assert.Equal(report.Months.Select(m => (m.Name, m.Figures.Spend)), report.MonthSeries.Select(p => (p.Label, p.Value)));
        Assert.Equal(report.Months.Select(m => (m.Name, m.Figures.Settlement)), report.MonthSettlementSeries.Select(p => (p.Label, p.Value)));
        Assert.Equal(report.Customers.Select(c => (c.Name, c.Figures.Spend)), report.TopCustomerSeries(10).Select(p => (p.Label, p.Value)));
        Assert.Equal(report.Services.Select(c => (c.Name, c.Figures.Spend)), report.ServiceSeries.Select(p => (p.Label, p.Value)));
        var svg = System.Xml.Linq.XElement.Parse(SvgChart.Render("Spend per month", report.MonthSeries, v => v.ToString("0.00"), report.MonthSettlementSeries, "Settlement"));
        var bars = svg.Elements().Where(e => (string?)e.Attribute("data-testid") == "chart-bar").Select(e => ((string)e.Attribute("data-label")!, (string)e.Attribute("data-value")!));
        Assert.Equal(report.Months.Where(m => m.Figures.Spend != 0).Select(m => (m.Name, SvgChart.Value(m.Figures.Spend))), bars);
        var points = svg.Elements().Where(e => (string?)e.Attribute("data-testid") == "chart-point").Select(e => (string)e.Attribute("data-value")!);
        Assert.Equal(report.Months.Select(m => SvgChart.Value(m.Figures.Settlement)), points);

        // A customer is no partner: it has no customers' expenditures to read.
        await h.FailsAsync(sp => Service<CustomerExpenditures>(sp).LastClosedMonthsAsync(Owner(direct)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Customer_expenditures_read_the_database_as_often_for_four_customers_as_for_one()
    {
        var op = await h.OperatorAsync();
        async Task<Caller> PartnerWithCustomersAsync(int customers)
        {
            var (partner, enrolled) = await h.NewPartnerAsync();
            await h.InScopeAsync(sp => Service<DiscountService>(sp).SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
            for (var i = 0; i < customers; i++)
            {
                var resale = (await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(partner,
                    new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
                await h.InScopeAsync(sp => Service<BudgetService>(sp).SetAsync(partner, new BudgetInput(resale, 1000m, "MONTHLY", "1", null, null)));
                await BuyAsync(partner, resale, MonthlyVm);
            }
            return partner;
        }
        var (one, four) = (await PartnerWithCustomersAsync(1), await PartnerWithCustomersAsync(4));
        await AdvanceAsync(new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc) - Now); // November is closed

        async Task<(int Commands, ExpenditureReport Report)> ReportAsync(Caller partner)
        {
            commands.Reset();
            var report = await h.InScopeAsync(sp => Service<CustomerExpenditures>(sp).LastClosedMonthsAsync(partner));
            return (commands.Count, report);
        }
        var (forOne, reportOfOne) = await ReportAsync(one);
        var (forFour, reportOfFour) = await ReportAsync(four);
        Assert.Single(reportOfOne.Customers);
        Assert.Equal(4, reportOfFour.Customers.Count);
        Assert.Equal(4 * reportOfOne.Total.Spend, reportOfFour.Total.Spend);
        // Twelve months of four customers' charges, in as many statements as one customer's.
        Assert.Equal(forOne, forFour);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Only_the_customer_its_partner_and_users_with_bill_view_read_its_bills()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        var customer = (await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        var cycle = BillCycle.Containing(Now).ToString();
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(other, cycle, null, "sub_customer", customer, null, null))).Code);
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => Service<CustomerBillService>(sp).SubCustomerSumsAsync(other,
            new SubCustomerSumFilter(customer, cycle, null, null, null, null, null, null)))).Code);
        var (plain, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => Service<CustomerBillService>(sp).ConsumingCustomersAsync(plain, cycle, null, null))).Code);
        var user = await h.NewIamUserAsync(plain);
        var denied = await h.FailsAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(user, cycle, null, "oneself", null, null, null));
        Assert.Equal(ErrorKind.Forbidden, denied.Kind);
        Assert.Empty((await h.InScopeAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(partner, cycle, null, "sub_customer", customer, null, null))).Lines);
        // The operator reads any customer's bills.
        var op = await h.OperatorAsync();
        Assert.Equal(0m, (await h.InScopeAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(op, cycle, null, "sub_customer", customer, null, null))).Consume);
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(op, cycle, null, "sub_customer", "no-such-account", null, null))).Code);
    }

    [Theory]
    [InlineData("2026-13", null, null)]
    [InlineData("2026-1", null, null)]
    [InlineData("2027-01", null, null)] // after the current month
    [InlineData("2023-01", null, null)] // more than 3 years back
    [InlineData("2026-11", "whoever", null)]
    [InlineData("2026-11", "sub_customer", null)] // sub_customer_id required
    [InlineData(null, null, null)]
    public async Task A_bad_cycle_or_method_is_refused_naming_the_field(string? cycle, string? method, string? sub)
    {
        var (caller, _) = await h.NewAccountAsync();
        var error = await h.FailsAsync(sp => Service<CustomerBillService>(sp).MonthlySumAsync(caller, cycle, null, method, sub, null, null));
        Assert.Equal("CBC.0100", error.Code);
        Assert.Matches("bill_cycle|method|sub_customer_id", error.Message);
    }

    [Fact]
    public async Task Account_change_records_show_every_movement_with_the_balance_after_it_across_pages()
    {
        var op = await h.OperatorAsync();
        var (customer, _) = await h.NewAccountAsync("chg");
        await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, customer.AccountId, 200m, "opening", Ids.New()));
        await BuyAsync(customer, customer.AccountId, MonthlyVm);
        var disk = await MainResourceAsync(await BuyAsync(customer, customer.AccountId, MonthlyDisk));
        await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [disk], 1, null, null));
        var records = new List<AccountChange>();
        for (var offset = 0; ; offset += 2)
        {
            var (page, total) = await h.InScopeAsync(sp => Service<AccountChangeRecords>(sp).ListAsync(customer,
                new AccountChangeFilter(AccountChangeRecords.Debit, null, null, null, null, null, offset, 2)));
            records.AddRange(page);
            if (offset + 2 >= total) break;
        }
        Assert.Equal(["REFUND", "DEDEUCT", "DEDEUCT", "ADJUST"], records.Select(r => r.TradeType));
        await using (var db = h.NewDbContext())
            Assert.Equal((await db.LedgerAccounts.SingleAsync(a => a.Id == LedgerBook.CashOf(customer.AccountId))).Balance, records[0].BalanceAfter);
        for (var i = 0; i + 1 < records.Count; i++)
            Assert.Equal(records[i].BalanceAfter - records[i + 1].BalanceAfter, records[i].Revenue ? records[i].Amount : -records[i].Amount);
        Assert.Equal(200m, records[^1].BalanceAfter);
        var expenses = await h.InScopeAsync(sp => Service<AccountChangeRecords>(sp).ListAsync(customer,
            new AccountChangeFilter(AccountChangeRecords.Debit, "EXPENSE", null, null, null, null, null, null)));
        Assert.Equal(2, expenses.Total);

        // A resale customer has no balance of its own.
        var (partner, _) = await h.NewPartnerAsync();
        var resale = (await h.InScopeAsync(sp => Service<SubCustomerService>(sp).CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        Assert.Equal("CBC.99000049", (await h.FailsAsync(sp => Service<AccountChangeRecords>(sp).ListAsync(Owner(resale),
            new AccountChangeFilter(AccountChangeRecords.Debit, null, null, null, null, null, null, null)))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public void Apportioning_keeps_the_total_to_the_cent_and_follows_the_weights()
    {
        Assert.Equal([0.34m, 0.33m, 0.33m], Apportion.Split(1m, [1m, 1m, 1m]));
        Assert.Equal([0.01m, 0m], Apportion.Split(0.01m, [0.004m, 0.003m]));
        Assert.Equal([-0.5m, -0.25m, -0.25m], Apportion.Split(-1m, [2m, 1m, 1m]));
        Assert.Equal([0.07m, 0m], Apportion.Split(0.07m, [0m, 0m]));
        var parts = Apportion.Split(12.34m, [0.12345678m, 5.5m, 0.00000001m, 3.3333m]);
        Assert.Equal(12.34m, parts.Sum());
        Assert.All(parts, p => Assert.Equal(p, Math.Round(p, 2)));
    }
}
