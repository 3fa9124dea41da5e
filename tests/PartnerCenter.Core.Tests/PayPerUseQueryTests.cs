using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Tests;

/// <summary>The console's pay-per-use reads: a customer's own resources, fee records with totals and arrears position, and a partner's view of its customer's fees.</summary>
public class PayPerUseQueryTests : IAsyncLifetime
{
    CoreHarness h = null!;
    const decimal VmHour = 0.01439931m; // s6.small.1.linux in ap-southeast-1, per hour
    static readonly NewOrderLine Vm = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, null, null, 1, ChargeMode.OnDemand);

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    DateTime Now => h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    Task<T> Usage<T>(Func<OnDemandService, Task<T>> work) => h.InScopeAsync(sp => work(sp.GetRequiredService<OnDemandService>()));

    async Task<Caller> CustomerWithCashAsync(decimal cash)
    {
        var (customer, _) = await h.NewAccountAsync("ppu");
        var op = await h.OperatorAsync();
        if (cash > 0) await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.AccountId, cash, "test funds", Ids.New()));
        return customer;
    }

    async Task<string> VmAsync(Caller caller, string? customerId = null) =>
        (await Usage(s => s.CreateOrderAsync(caller, new NewOrder(customerId, [Vm], Ids.New())))).Lines[0].ResourceId;

    async Task AdvanceAsync(TimeSpan by)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, (long)by.TotalSeconds, null));
    }

    /// <summary>Reports <paramref name="hours"/> VM-hours for the hour that just ended (from the next hour boundary) and lets the hourly run rate them.</summary>
    async Task UseAndRateAsync(string vm, decimal hours)
    {
        await AdvanceAsync(Schedules.HourlyAfter(Now) - Now);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(op, [new UsageRecordInput(Ids.New(), vm, "Duration", hours, 4, Now.AddHours(-1), Now)]));
        await AdvanceAsync(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task A_customer_reads_its_own_fee_records_newest_first_with_totals_over_all_of_them_and_no_one_elses()
    {
        var customer = await CustomerWithCashAsync(10m);
        var vm = await VmAsync(customer);
        await UseAndRateAsync(vm, 1m);
        await UseAndRateAsync(vm, 2m);
        await UseAndRateAsync(vm, 3m);

        var (page, totals) = await Usage(s => s.ListFeesAsync(customer, new UsageFeeFilter(null, null, null, null, 0, 2)));
        Assert.Equal([3m, 2m], page.Select(f => f.Fee.UsageValue));
        Assert.All(page, f => Assert.Equal((vm, "s6.small.1.linux"), (f.Fee.ResourceId, f.SpecCode)));
        Assert.Equal((3, 6 * VmHour, 6 * VmHour, 0m), (totals.Records, totals.OfficialAmount, totals.Amount, totals.DiscountAmount));

        // Only the hours asked for: the last one.
        var lastHour = page[0].Fee.Hour;
        var (one, oneTotal) = await Usage(s => s.ListFeesAsync(customer, new UsageFeeFilter(null, lastHour, lastHour.AddHours(1), null, null, null)));
        Assert.Equal((1, 3 * VmHour), (one.Count, oneTotal.Amount));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListFeesAsync(customer,
            new UsageFeeFilter(null, lastHour, lastHour, null, null, null)))).Code);

        var (resources, total) = await Usage(s => s.ListOwnResourcesAsync(customer, new OnDemandFilter(null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal((1, vm), (total, resources[0].Id));

        // Another account sees none of it, and is no partner of this customer.
        var other = await CustomerWithCashAsync(0m);
        Assert.Equal(0, (await Usage(s => s.ListFeesAsync(other, new UsageFeeFilter(null, null, null, null, null, null)))).Totals.Records);
        Assert.Equal(0, (await Usage(s => s.ListOwnResourcesAsync(other, new OnDemandFilter(null, null, null, null, null, null, null, null, null, null)))).Total);
        Assert.Equal("CBC.5001", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListFeesAsync(other,
            new UsageFeeFilter(customer.AccountId, null, null, null, null, null)))).Code);
    }

    [Fact]
    public async Task A_partner_reads_its_resale_customers_fees_with_the_settlement_amount_and_another_partner_is_refused()
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<Catalog.DiscountService>().SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, 10m, "MONTHLY", "1", null, null)));
        var vm = await VmAsync(partner, customer);
        await UseAndRateAsync(vm, 10m);

        var (fees, totals) = await Usage(s => s.ListFeesAsync(partner, new UsageFeeFilter(customer, null, null, null, null, null)));
        var fee = Assert.Single(fees);
        Assert.Equal((vm, 10m, 0.1439931m, 0.11519448m), (fee.Fee.ResourceId, fee.Fee.UsageValue, fee.Fee.OfficialAmount, fee.Fee.SettlementAmount));
        Assert.Equal(0.11519448m, totals.SettlementAmount);

        var (other, _) = await h.NewPartnerAsync();
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListFeesAsync(other,
            new UsageFeeFilter(customer, null, null, null, null, null)))).Code);
    }

    [Fact]
    public async Task A_distributor_reads_its_resellers_customers_fees_only_through_that_reseller()
    {
        var (distributor, dist) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (resellerCaller, reseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, (distributor, dist));
        var (_, otherReseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, (distributor, dist));
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(resellerCaller,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(distributor, new BudgetInput(customer, 10m, "MONTHLY", "1", null, reseller.PartnerId)));
        var vm = await VmAsync(resellerCaller, customer);
        await UseAndRateAsync(vm, 1m);

        var (fees, _) = await Usage(s => s.ListFeesAsync(distributor, new UsageFeeFilter(customer, null, null, null, null, null, reseller.PartnerId)));
        Assert.Equal(vm, Assert.Single(fees).Fee.ResourceId);
        Assert.Equal(vm, Assert.Single((await Usage(s => s.ListFeesAsync(resellerCaller, new UsageFeeFilter(customer, null, null, null, null, null)))).Fees).Fee.ResourceId);
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListFeesAsync(distributor,
            new UsageFeeFilter(customer, null, null, null, null, null)))).Code);
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => sp.GetRequiredService<OnDemandService>().ListFeesAsync(distributor,
            new UsageFeeFilter(customer, null, null, null, null, null, otherReseller.PartnerId)))).Code);
    }

    [Fact]
    public async Task A_customer_that_cannot_pay_sees_its_arrears_in_grace_then_retention_with_the_day_each_ends()
    {
        var customer = await CustomerWithCashAsync(0.05m);
        var vm = await VmAsync(customer);
        Assert.Equal(new UsagePosition(false, 0m, 0m, UsageStanding.Clear, null, null), await Usage(s => s.PositionAsync(customer)));

        await UseAndRateAsync(vm, 10m); // 0.1439931: 0.05 from cash, 0.09 owed, the sub-cent rest not yet deducted
        var grace = await Usage(s => s.PositionAsync(customer));
        Assert.Equal((0.09m, 0.1439931m - 0.14m, UsageStanding.Grace), (grace.Arrears, grace.NotYetDeducted, grace.Standing));
        Assert.Equal(grace.StandingSince + TimeSpan.FromDays(15), grace.StandingEnds);
        Assert.Equal(Now, grace.StandingSince);

        await AdvanceAsync(TimeSpan.FromDays(15));
        var retention = await Usage(s => s.PositionAsync(customer));
        Assert.Equal((0.09m, UsageStanding.Retention), (retention.Arrears, retention.Standing));
        Assert.Equal(grace.StandingEnds, retention.StandingSince);
        Assert.Equal(retention.StandingSince + TimeSpan.FromDays(15), retention.StandingEnds);

        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Equal((0.09m, UsageStanding.Owed), ((await Usage(s => s.PositionAsync(customer))).Arrears, (await Usage(s => s.PositionAsync(customer))).Standing));
        Assert.Equal(ResourceStatus.Closed, (await Usage(s => s.ListOwnResourcesAsync(customer, new OnDemandFilter(null, null, null, null, null, null, null, null, null, null)))).Resources[0].Status);
    }
}
