using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// The unified renewal date (SetResourcesRenewConfig EXPIRE_DATE): a renewal runs its months or years, then on to the
/// customer's day of the month, the extra days charged at the monthly price / 30 each, rounded once.
/// </summary>
public class UnifiedRenewalDateTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const string Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m, DiskMonthPrice = 2.20m; // s6.small.1.linux; SATA 40 GB × 0.055
    static readonly NewOrderLine Vm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", Region, null, null, 2, 1, 1);
    static readonly NewOrderLine Disk = new("hws.service.type.ebs", "hws.resource.type.volume", "SATA", Region, 40, 17, 2, 1, 1);
    /// <summary>Bought at 10:00 on 10 December 2026: a month of it expires at 10:00 on 10 January 2027.</summary>
    static readonly DateTime PurchaseAt = new(2026, 12, 10, 10, 0, 0, DateTimeKind.Utc);
    static readonly DateTime Expiry = new(2027, 1, 10, 10, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static DateTime D(int y, int m, int d) => new(y, m, d, 10, 0, 0, DateTimeKind.Utc);

    // from (10:00), period type, period num, unified day → new expiry (10:00), extra days
    public static TheoryData<DateTime, int, int, int?, DateTime, int> Dates => new()
    {
        { D(2027, 1, 10), 2, 1, 1, D(2027, 3, 1), 19 },     // the 10th, unified on the 1st: the 1st of the month after next
        { D(2027, 1, 10), 2, 1, -1, D(2027, 2, 28), 18 },   // last day of February
        { D(2028, 1, 10), 2, 1, -1, D(2028, 2, 29), 19 },   // a leap February
        { D(2027, 1, 10), 2, 1, 10, D(2027, 2, 10), 0 },    // already on the day: nothing extra
        { D(2027, 1, 10), 2, 1, null, D(2027, 2, 10), 0 },  // no unified date
        { D(2027, 1, 31), 2, 1, -1, D(2027, 2, 28), 0 },    // a month from the 31st is the end of February already
        { D(2027, 1, 31), 2, 1, 28, D(2027, 2, 28), 0 },
        { D(2027, 3, 29), 2, 1, 28, D(2027, 5, 28), 29 },   // past the 28th: the next month's
        { D(2027, 4, 28), 2, 1, 15, D(2027, 6, 15), 18 },   // the Billing Center's example: at most 18 days more
        { D(2026, 11, 20), 2, 1, 5, D(2027, 1, 5), 16 },    // across the year end
        { D(2027, 1, 10), 2, 3, 1, D(2027, 5, 1), 21 },     // three months, then to the 1st
        { D(2027, 1, 10), 3, 1, 1, D(2028, 2, 1), 22 },     // a year, then to the 1st
    };

    [Theory, MemberData(nameof(Dates))]
    public void A_renewal_ends_on_the_first_unified_day_on_or_after_its_period(DateTime from, int type, int num, int? day, DateTime end, int extra)
    {
        Assert.Equal(extra, UnifiedRenewalDate.ExtraDays(from, type, num, day));
        Assert.Equal(end, ResourceFulfilment.AddPeriod(from, type, num).AddDays(extra));
    }

    T Service<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    async Task AdvanceToAsync(DateTime at)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<SandboxClockService>(sp).AdvanceAsync(op, (long)(at - Now).TotalSeconds, null));
    }

    async Task<Caller> FundedCustomerAsync(decimal cash)
    {
        var (customer, _) = await h.NewAccountAsync("owner");
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => Service<FundsService>(sp).AdjustAsync(op, customer.AccountId, cash, "test funds", Ids.New()));
        return customer;
    }

    async Task<List<CloudResource>> BuyAsync(Caller customer, params NewOrderLine[] lines)
    {
        var order = await h.InScopeAsync(sp => Service<OrderService>(sp).CreateAsync(customer, new NewOrder(null, lines, Ids.New())));
        await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(customer, new PayRequest(order.Id, "NO", "NO", null, null)));
        await using var db = h.NewDbContext();
        return await db.CloudResources.Where(r => r.CustomerAccountId == customer.AccountId).OrderBy(r => r.IsMain ? 0 : 1).ToListAsync();
    }

    Task SetDayAsync(Caller c, int day) => h.InScopeAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(c, "EXPIRE_DATE", day));
    Task<decimal> CashAsync(Caller c) => h.InScopeAsync(async sp => (await Service<FundsService>(sp).BalancesOfAsync(c.AccountId)).Cash);

    async Task<CloudResource> ResourceAsync(string id)
    {
        await using var db = h.NewDbContext();
        return await db.CloudResources.SingleAsync(r => r.Id == id);
    }

    async Task<decimal> QuoteAsync(Caller c, string vm, bool withAttached = false) =>
        (await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewQuotesAsync(c, [vm], 2, 1, withAttached))).Sum(q => q.Quote.OfficialAmount);

    [Fact]
    public async Task A_manual_renewal_runs_to_the_unified_date_and_charges_the_extra_days_as_quoted()
    {
        await AdvanceToAsync(PurchaseAt);
        var first = await FundedCustomerAsync(100m);
        var last = await FundedCustomerAsync(100m);
        var firstVm = (await BuyAsync(first, Vm))[0];
        var bought = await BuyAsync(last, Vm, Disk);
        var (lastVm, lastDisk) = (bought[0], bought[1]);
        Assert.Equal(Expiry, firstVm.ExpireTime);
        await SetDayAsync(first, 1);
        await SetDayAsync(last, -1);

        // The 1st: 10 Feb → 1 Mar is 19 days: 7.15 + 7.15 × 19 / 30 = 11.678… → 11.68.
        // The last day: 10 Feb → 28 Feb is 18 days: 7.15 + 4.29 = 11.44 for the VM, 2.20 + 1.32 = 3.52 for its disk.
        Assert.Equal(11.68m, await QuoteAsync(first, firstVm.Id));
        Assert.Equal(11.44m + 3.52m, await QuoteAsync(last, lastVm.Id, withAttached: true));

        var firstOrder = (await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(first, [firstVm.Id], 2, 1, 1)))[0];
        var lastOrder = (await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(last, [lastVm.Id], 2, 1, 1)))[0];
        Assert.Equal(D(2027, 3, 1), (await ResourceAsync(firstVm.Id)).ExpireTime);
        Assert.Equal((D(2027, 2, 28), D(2027, 2, 28)), ((await ResourceAsync(lastVm.Id)).ExpireTime, (await ResourceAsync(lastDisk.Id)).ExpireTime));
        Assert.Equal(100m - MonthPrice - 11.68m, await CashAsync(first));
        Assert.Equal(100m - MonthPrice - DiskMonthPrice - 11.44m - 3.52m, await CashAsync(last));

        // The order's lines carry the extra days, the paid stretches end on the unified date.
        await using var db = h.NewDbContext();
        var lines = await db.Set<OrderLine>().Where(l => l.OrderId == firstOrder || l.OrderId == lastOrder).ToDictionaryAsync(l => l.ResourceId);
        Assert.Equal((19, 11.68m), (lines[firstVm.Id].ExtraDays, lines[firstVm.Id].OfficialAmount));
        Assert.Equal((18, 11.44m), (lines[lastVm.Id].ExtraDays, lines[lastVm.Id].OfficialAmount));
        Assert.Equal((18, 3.52m), (lines[lastDisk.Id].ExtraDays, lines[lastDisk.Id].OfficialAmount));
        var stretch = await db.ResourcePeriods.SingleAsync(p => p.OrderId == firstOrder);
        Assert.Equal((Expiry, D(2027, 3, 1), 11.68m), (stretch.Start, stretch.End, stretch.PaidAmount));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_unused_stretched_renewal_is_refunded_whole_and_the_expiry_goes_back()
    {
        await AdvanceToAsync(PurchaseAt);
        var customer = await FundedCustomerAsync(100m);
        var vm = (await BuyAsync(customer, Vm))[0];
        await SetDayAsync(customer, 1);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [vm.Id], 2, 1, 1));
        await AdvanceToAsync(PurchaseAt.AddDays(6)); // past the 5-day full refund of the purchase
        var result = await h.InScopeAsync(sp => Service<ResourceService>(sp).UnsubscribeAsync(customer, [vm.Id], 2, null, null));
        Assert.Equal(11.68m, result.Refund);
        Assert.Equal(100m - MonthPrice, await CashAsync(customer));
        Assert.Equal(Expiry, (await ResourceAsync(vm.Id)).ExpireTime);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_renewal_order_keeps_the_end_it_was_priced_for_when_the_setting_changes_before_payment()
    {
        await AdvanceToAsync(PurchaseAt);
        var customer = await FundedCustomerAsync(100m);
        var vm = (await BuyAsync(customer, Vm))[0];
        await SetDayAsync(customer, 1);
        var orderId = (await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewAsync(customer, [vm.Id], 2, 1, 0)))[0];
        await SetDayAsync(customer, -1);
        await h.InScopeAsync(sp => Service<OrderService>(sp).PayAsync(customer, new PayRequest(orderId, "NO", "NO", null, null)));
        Assert.Equal(D(2027, 3, 1), (await ResourceAsync(vm.Id)).ExpireTime);
        Assert.Equal(100m - MonthPrice - 11.68m, await CashAsync(customer));
        // The next renewal follows the new setting: 1 Mar + 1 month = 1 Apr → 30 Apr, 29 days: 7.15 + 6.911… = 14.06.
        Assert.Equal(14.06m, await QuoteAsync(customer, vm.Id));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Auto_renewal_runs_to_the_unified_date_at_its_deduction_date()
    {
        await AdvanceToAsync(PurchaseAt);
        var customer = await FundedCustomerAsync(100m);
        var vm = (await BuyAsync(customer, Vm))[0];
        await h.InScopeAsync(sp => Service<ResourceService>(sp).EnableAutoRenewAsync(customer, vm.Id, null, null));
        await SetDayAsync(customer, 1);
        await AdvanceToAsync(Expiry.Date.AddDays(-7).AddHours(4)); // past 03:00 seven days before expiry
        Assert.Equal(D(2027, 3, 1), (await ResourceAsync(vm.Id)).ExpireTime);
        Assert.Equal(100m - MonthPrice - 11.68m, await CashAsync(customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_setting_is_stored_per_customer_and_bad_values_change_nothing()
    {
        var customer = await FundedCustomerAsync(1m);
        var other = await FundedCustomerAsync(1m);
        await SetDayAsync(customer, 28);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(customer, "DEDUCTION_DATE", 3));
        foreach (var bad in new int?[] { 0, 29, -2, null })
            Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Service<ResourceService>(sp).SetRenewConfigAsync(customer, "EXPIRE_DATE", bad))).Code);
        var config = await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewConfigAsync(customer));
        Assert.Equal((28, 3), (config.ExpireDay, config.DeductionDays));
        Assert.Null((await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewConfigAsync(other))).ExpireDay);
        await h.InScopeAsync(sp => Service<ResourceService>(sp).ClearUnifiedRenewalDateAsync(customer));
        config = await h.InScopeAsync(sp => Service<ResourceService>(sp).RenewConfigAsync(customer));
        Assert.Equal((null, 3), (config.ExpireDay, config.DeductionDays));
    }
}
