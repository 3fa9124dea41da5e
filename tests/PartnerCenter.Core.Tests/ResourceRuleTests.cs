using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>Yearly/monthly resources: created by payment, renewed by hand or automatically, expiring through grace and retention, unsubscribed with refunds.</summary>
public class ResourceRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m;
    static readonly NewOrderLine Vm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", Region, null, null, 2, 1, 1);
    static readonly NewOrderLine Disk = new("hws.service.type.ebs", "hws.resource.type.volume", "SATA", Region, 40, 17, 2, 1, 1);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    T Service<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();

    async Task<Caller> FundedCustomerAsync(decimal cash)
    {
        var (customer, _) = await h.NewAccountAsync("owner");
        var op = await h.OperatorAsync();
        if (cash > 0) await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, customer.AccountId, cash, "test funds", Ids.New()));
        return customer;
    }

    async Task<Order> BuyAsync(Caller customer, params NewOrderLine[] lines)
    {
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).CreateAsync(customer, new NewOrder(null, lines, Ids.New())));
        return await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(customer, new PayRequest(order.Id, "NO", "NO", null, null)));
    }

    async Task<CloudResource> ResourceAsync(string id)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.SingleAsync(r => r.Id == id);
    }

    async Task<List<CloudResource>> ResourcesOfAsync(Caller customer)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.Where(r => r.CustomerAccountId == customer.AccountId).OrderBy(r => r.IsMain ? 0 : 1).ToListAsync();
    }

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<SandboxClockService>(sp).AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    Task<decimal> CashAsync(Caller c) => h.InScopeAsync(async sp => (await Service<FundsService>(sp).BalancesOfAsync(c.AccountId)).Cash);

    [Fact]
    public async Task Paying_a_purchase_creates_the_vm_with_its_disk_attached_for_the_period_bought()
    {
        var customer = await FundedCustomerAsync(100m);
        var paidAt = Now;
        await BuyAsync(customer, Vm, Disk);
        var resources = await ResourcesOfAsync(customer);
        Assert.Equal(2, resources.Count);
        var (vm, disk) = (resources[0], resources[1]);
        Assert.True(vm.IsMain);
        Assert.Equal((false, vm.Id), (disk.IsMain, disk.ParentResourceId));
        Assert.All(resources, r => Assert.Equal((ResourceStatus.InUse, paidAt.AddMonths(1)), (r.Status, r.ExpireTime)));
        Assert.Equal(100m - MonthPrice - 2.20m, await CashAsync(customer)); // 40 GB × 0.055
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Without_auto_renew_a_resource_goes_through_grace_and_retention_then_is_released()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        var expiry = vm.ExpireTime!.Value;
        await AdvanceAsync(expiry - Now + TimeSpan.FromHours(2));
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm.Id)).Status);
        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Equal(ResourceStatus.Frozen, (await ResourceAsync(vm.Id)).Status);
        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Equal(ResourceStatus.Closed, (await ResourceAsync(vm.Id)).Status);
    }

    [Fact]
    public async Task A_renewal_in_grace_counts_from_the_original_expiry()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        var expiry = vm.ExpireTime!.Value;
        await AdvanceAsync(expiry - Now + TimeSpan.FromDays(3));
        Assert.Equal(ResourceStatus.Expired, (await ResourceAsync(vm.Id)).Status);
        var orders = await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [vm.Id], 2, 1, 1));
        var renewed = await ResourceAsync(vm.Id);
        Assert.Equal((ResourceStatus.InUse, expiry.AddMonths(1), orders[0]), (renewed.Status, renewed.ExpireTime, renewed.LastOrderId));
        Assert.Equal(100m - 2 * MonthPrice, await CashAsync(customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Auto_renewal_charges_seven_days_before_expiry_and_a_failed_one_is_retried_daily()
    {
        var customer = await FundedCustomerAsync(MonthPrice + 2.20m); // exactly the purchase: nothing left for the renewal
        await BuyAsync(customer, Vm, Disk);
        var (vm, disk) = ((await ResourcesOfAsync(customer))[0], (await ResourcesOfAsync(customer))[1]);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).EnableAutoRenewAsync(customer, vm.Id, null, 0));
        var expiry = vm.ExpireTime!.Value;

        // No money: the 03:00 attempts seven days before expiry fail, and nothing moves.
        await AdvanceAsync(expiry.AddDays(-6) - Now);
        Assert.Equal(expiry, (await ResourceAsync(vm.Id)).ExpireTime);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, customer.AccountId, 50m, "top up", Ids.New()));
        await AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal(expiry.AddMonths(1), (await ResourceAsync(vm.Id)).ExpireTime);
        Assert.Equal(expiry.AddMonths(1), (await ResourceAsync(disk.Id)).ExpireTime);
        Assert.Equal(50m - MonthPrice - 2.20m, await CashAsync(customer));
        await using var db = h.NewDbContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerAccountId == customer.AccountId && o.OrderType == OrderType.Renewal && o.Status == OrderStatus.Completed));
        Assert.Equal(0, await db.Orders.CountAsync(o => o.CustomerAccountId == customer.AccountId && o.Status == OrderStatus.PendingPayment));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Auto_renewal_charges_at_each_customers_own_deduction_date()
    {
        var early = await FundedCustomerAsync(100m);
        var late = await FundedCustomerAsync(100m);
        await BuyAsync(early, Vm);
        await BuyAsync(late, Vm);
        var (earlyVm, lateVm) = ((await ResourcesOfAsync(early))[0], (await ResourcesOfAsync(late))[0]);
        foreach (var (c, r) in new[] { (early, earlyVm), (late, lateVm) })
            await h.InScopeAsync(sp => Service<ResourceService>(sp).EnableAutoRenewAsync(c, r.Id, null, null));
        await h.InScopeAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(late, "DEDUCTION_DATE", 2));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(late, "DEDUCTION_DATE", 8))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(late, "EXPIRE_DATE", 29))).Code);
        var expiry = earlyVm.ExpireTime!.Value;

        // Past 03:00 six days before expiry: the default (7 days) has renewed; the customer who chose 2 days waits.
        await AdvanceAsync(expiry.AddDays(-6) - Now);
        Assert.Equal(expiry.AddMonths(1), (await ResourceAsync(earlyVm.Id)).ExpireTime);
        Assert.Equal(lateVm.ExpireTime, (await ResourceAsync(lateVm.Id)).ExpireTime);
        await AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(lateVm.ExpireTime, (await ResourceAsync(lateVm.Id)).ExpireTime);
        await AdvanceAsync(TimeSpan.FromDays(1)); // past 03:00 two days before expiry
        Assert.Equal(lateVm.ExpireTime!.Value.AddMonths(1), (await ResourceAsync(lateVm.Id)).ExpireTime);
        Assert.Equal(100m - 2 * MonthPrice, await CashAsync(late));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_within_five_days_refunds_everything()
    {
        var customer = await FundedCustomerAsync(20m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        await AdvanceAsync(TimeSpan.FromDays(4));
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 1, 5, "testing"));
        Assert.Equal(MonthPrice, result.Refund);
        Assert.Equal(20m, await CashAsync(customer));
        Assert.Equal(ResourceStatus.Closed, (await ResourceAsync(vm.Id)).Status);
        var lines = await h.InScopeAsync(sp => Service<ResourceService>(sp).RefundLinesAsync(customer, result.OrderIds[0]));
        Assert.Equal(-MonthPrice, Assert.Single(lines).Amount);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_unsubscribes_of_one_resource_refund_it_once()
    {
        var customer = await FundedCustomerAsync(20m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 1, null, null)); return true; }
            catch (ServiceException e) when (e.Error.Code is "CBC.99003651" or "CBC.99003012") { return false; }
        })));
        Assert.Equal(1, results.Count(ok => ok));
        Assert.Equal(20m, await CashAsync(customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_later_refunds_by_the_formula_and_unused_renewals_in_full()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [vm.Id], 2, 1, 1));
        var stretch = await h.InScopeAsync(sp => Service<Data.AppDbContext>(sp).ResourcePeriods.Where(p => p.ResourceId == vm.Id).OrderBy(p => p.Start).FirstAsync());
        await AdvanceAsync(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(30));
        var expected = RefundRules.ForStretch(MonthPrice, stretch.Start, stretch.End, 2, 1, stretch.PaidAt, Now);
        var preview = await h.InScopeAsync(sp => Service<ResourceService>(sp).PreviewUnsubscribeAsync(customer, [vm.Id], 1));
        Assert.Equal(ResourceStatus.InUse, (await ResourceAsync(vm.Id)).Status); // a preview changes nothing
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 1, null, null));
        Assert.Equal(preview.Refund, result.Refund);
        Assert.Equal(expected.Refund + MonthPrice, result.Refund);
        Assert.Equal(100m - 2 * MonthPrice + result.Refund, await CashAsync(customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Turning_pay_per_use_now_refunds_the_unused_time_as_an_unsubscribe_would_and_usage_is_then_charged_by_the_hour()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm, Disk);
        await BuyAsync(customer, Vm);
        var resources = await ResourcesOfAsync(customer);
        var (vm, disk, other) = (resources.First(r => r.IsMain && resources.Any(d => d.ParentResourceId == r.Id)), resources.Single(r => !r.IsMain),
            resources.Single(r => r.IsMain && resources.All(d => d.ParentResourceId != r.Id)));
        await AdvanceAsync(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(30));
        // The second VM waits in an unpaid renewal order: it fails on its own, the first goes through.
        await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [other.Id], 2, 1, 0));
        var stretches = await h.InScopeAsync(sp => Service<Data.AppDbContext>(sp).ResourcePeriods.Where(p => p.ResourceId == vm.Id || p.ResourceId == disk.Id).ToListAsync());
        var expected = stretches.Sum(p => RefundRules.ForStretch(p.PaidAmount, p.Start, p.End, 2, 1, p.PaidAt, Now).Refund);
        var cashBefore = await CashAsync(customer);

        var results = await h.InScopeAsync(sp => Service<ResourceService>(sp).ToOnDemandNowAsync(customer, [vm.Id, other.Id]));
        Assert.Equal(("SUCCESS", (string?)null), (results[0].Result, results[0].ErrorCode));
        Assert.Equal(("FAIL", "CBC.99003100"), (results[1].Result, results[1].ErrorCode));
        Assert.Equal(cashBefore + expected, await CashAsync(customer));
        foreach (var id in new[] { vm.Id, disk.Id })
        {
            var r = await ResourceAsync(id);
            Assert.Equal((ChargeMode.OnDemand, ResourceStatus.InUse, (DateTime?)null, results[0].OrderId), (r.ChargeMode, r.Status, r.ExpireTime, r.LastOrderId));
        }
        Assert.Equal(ChargeMode.Period, (await ResourceAsync(other.Id)).ChargeMode);
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).DetailsAsync(customer, results[0].OrderId));
        Assert.Equal((OrderType.ToOnDemand, expected), (order.OrderType, order.OfficialAmount));
        // Its refund lines are a refund order's, as ShowRefundOrderDetails shows them.
        var lines = await h.InScopeAsync(sp => Service<ResourceService>(sp).RefundLinesAsync(customer, results[0].OrderId));
        Assert.Equal(expected, -lines.Where(l => l.Kind == RefundKinds.Refund).Sum(l => l.Amount));

        // Now pay-per-use: an hour of usage is rated and charged like any pay-per-use resource.
        var op = await h.OperatorAsync();
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var ingested = await h.InScopeAsync(sp => Service<UsageIngestion>(sp).IngestAsync(op, [new UsageRecordInput(Ids.New(), vm.Id, "Duration", 1m, 4, Now.AddHours(-1), Now)]));
        Assert.Equal(1, ingested.Accepted);
        await AdvanceAsync(TimeSpan.FromHours(1));
        await using (var db = h.NewDbContext())
            Assert.Equal(0.01439931m, (await UsageFees.ListAsync(db, db.UsageFeeHours)).Single(f => f.ResourceId == vm.Id).OfficialAmount);
        // A resource that is pay-per-use already is not one of the customer's yearly/monthly resources: the request fails.
        Assert.Equal("CBC.99003012", (await h.FailsAsync(sp => Service<ResourceService>(sp).ToOnDemandNowAsync(customer, [vm.Id]))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Unsubscribing_only_unused_renewals_needs_one()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        var e = await h.FailsAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 2, null, null));
        Assert.Equal("CBC.99003128", e.Code);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [vm.Id], 2, 2, 1));
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 2, null, null));
        Assert.Equal(2 * MonthPrice, result.Refund);
        var after = await ResourceAsync(vm.Id);
        Assert.Equal((ResourceStatus.InUse, vm.ExpireTime), (after.Status, after.ExpireTime));
        await h.AssertLedgerSoundAsync();
    }

    // Refund table: 1-month stretch of 30 days bought at day 0 for 30.00 (fee 10 %), unsubscribed at various times.
    [Theory]
    [InlineData(0, 30.00, 0.00, 0.00)]        // 5-day window
    [InlineData(119, 30.00, 0.00, 0.00)]      // still within 5 days
    [InlineData(121, 24.96, 5.04, 3.00)]      // 121 h of 720 used
    [InlineData(360, 15.00, 15.00, 3.00)]     // half used, minus 10 % fee → 12.00 refund
    [InlineData(719, 0.04, 29.96, 3.00)]      // nearly all used: refund never negative
    public void The_refund_formula_uses_whole_hours_and_the_handling_fee(int hoursUsed, double unusedShare, double consumed, double fee)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var r = RefundRules.ForStretch(30m, start, start.AddDays(30), 2, 1, start, start.AddHours(hoursUsed).AddMinutes(59));
        if (hoursUsed <= 120)
        {
            Assert.Equal((30m, 0m, 0m), (r.Refund, r.Consumed, r.Fee));
            return;
        }
        Assert.Equal(((decimal)consumed, (decimal)fee), (r.Consumed, r.Fee));
        Assert.Equal(Math.Max(0, 30m - (decimal)consumed - (decimal)fee), r.Refund);
        Assert.Equal((decimal)unusedShare, 30m - r.Consumed);
    }

    [Theory]
    [InlineData(3, 3, 100, 0.15)]
    [InlineData(3, 3, 500, 0.10)]
    [InlineData(3, 3, 800, 0.05)]
    [InlineData(3, 2, 300, 0.15)]
    [InlineData(3, 2, 400, 0.10)]
    [InlineData(3, 1, 200, 0.10)]
    [InlineData(2, 6, 100, 0.10)]
    public void The_handling_fee_depends_on_the_term_and_the_time_used(int periodType, int periodNum, int daysUsed, double rate) =>
        Assert.Equal((decimal)rate, RefundRules.FeeRate(periodType, periodNum, TimeSpan.FromDays(daysUsed)));

    [Fact]
    public async Task Renewal_requests_are_checked_before_anything_is_written()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm, Disk);
        var (vm, disk) = ((await ResourcesOfAsync(customer))[0], (await ResourcesOfAsync(customer))[1]);
        async Task<string> Code(IReadOnlyList<string> ids, int type, int num) =>
            (await h.FailsAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, ids, type, num, 1))).Code;
        Assert.Equal("CBC.0100", await Code(Enumerable.Range(0, 11).Select(i => vm.Id + i).ToList(), 2, 1));
        Assert.Equal("CBC.30010069", await Code([vm.Id], 2, 12));
        Assert.Equal("CBC.30010069", await Code([vm.Id], 3, 4));
        Assert.Equal("CBC.30010036", await Code([disk.Id], 2, 1));
        Assert.Equal("CBC.99003012", await Code(["no-such-resource"], 2, 1));
        var cancel = await h.FailsAsync(sp => Service<ResourceService>(sp).CancelAutoRenewAsync(customer, vm.Id));
        Assert.Equal("CBC.99003605", cancel.Code);
        await using var db = h.NewDbContext();
        Assert.Equal(0, await db.Orders.CountAsync(o => o.CustomerAccountId == customer.AccountId && o.OrderType == OrderType.Renewal));
    }

    [Fact]
    public async Task A_resource_set_to_pay_per_use_turns_pay_per_use_at_expiry()
    {
        var customer = await FundedCustomerAsync(100m);
        await BuyAsync(customer, Vm);
        var vm = (await ResourcesOfAsync(customer))[0];
        await h.InScopeAsync(sp => Service<ResourceService>(sp).SetToOnDemandAsync(customer, "SET_UP", [vm.Id]));
        await AdvanceAsync(vm.ExpireTime!.Value - Now + TimeSpan.FromHours(2));
        var after = await ResourceAsync(vm.Id);
        Assert.Equal((ChargeMode.OnDemand, ResourceStatus.InUse), (after.ChargeMode, after.Status));
    }
}
