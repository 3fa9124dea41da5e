using PartnerCenter.Core.Billing;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.Tests;

/// <summary>The adding-up rules of fee records and amortized cost: every split adds up to what was charged, to the cent.</summary>
public sealed class CostRuleTests
{
    static ResourceCharge Charge(int billType, decimal amount, int? periodType = null, int? periodNum = null, string trade = "o1", string resource = "r1",
        int mode = ChargeMode.Period) =>
        new("c1", billType, mode, "hws.service.type.ec2", "hws.resource.type.vm", "ap-southeast-1", resource, "spec", trade, new DateTime(2026, 3, 10, 2, 0, 0, DateTimeKind.Utc),
            null, 1, 0, 0, amount, 0, 0, amount, amount, periodType, periodNum);

    [Theory]
    [InlineData(100.00, 3, 1)]
    [InlineData(99.99, 3, 1)]
    [InlineData(0.05, 3, 1)]
    [InlineData(1234.57, 2, 7)]
    [InlineData(3600.01, 3, 3)]
    public void A_terms_amortized_months_add_up_to_what_was_paid_to_the_cent(decimal paid, int periodType, int periodNum)
    {
        var item = CostItem.Of(Charge(BillTypes.NewPurchase, paid, periodType, periodNum), new BillCycle(2026, 3));
        Assert.Equal(periodType == 3 ? 12 * periodNum : periodNum, item.Shares.Count);
        Assert.Equal(paid, item.Shares.Sum());
        Assert.All(item.Shares, s => Assert.Equal(s, Math.Round(s, 2)));
        // No share is more than a cent from another, and the larger ones come first.
        Assert.True(item.Shares.Max() - item.Shares.Min() <= 0.01m);
        Assert.Equal(item.Shares.OrderByDescending(s => s), item.Shares);
        // For every month it covers: the months before, the month and the months after are what was paid.
        for (var m = new BillCycle(2026, 3); item.Covers(m); m = m.Next)
            Assert.Equal(paid, item.Before(m) + item.ShareIn(m) + item.After(m));
    }

    [Fact]
    public void A_refund_a_change_and_pay_per_use_land_whole_in_the_month_charged()
    {
        foreach (var r in new[] { Charge(BillTypes.UnsubscribeRefund, -40m, 3, 1), Charge(BillTypes.Change, 12.34m, 2, 6), Charge(BillTypes.Usage, 7.77m, mode: ChargeMode.OnDemand) })
        {
            var item = CostItem.Of(r, new BillCycle(2026, 3));
            Assert.Equal([r.Amount], item.Shares);
            Assert.False(item.Covers(new BillCycle(2026, 4)));
            Assert.Equal(0m, item.ShareIn(new BillCycle(2026, 2)));
        }
    }

    [Fact]
    public void A_months_share_split_over_its_days_adds_up_to_the_share()
    {
        foreach (var month in new[] { new BillCycle(2026, 2), new BillCycle(2028, 2), new BillCycle(2026, 12) })
        {
            var days = Amortization.OverDays(8.34m, month);
            Assert.Equal(DateTime.DaysInMonth(month.Year, month.Month), days.Count);
            Assert.Equal(8.34m, days.Sum());
        }
    }

    [Fact]
    public void Fee_records_add_up_to_the_cycles_records_one_per_order_product_and_one_per_day_of_usage()
    {
        var cycle = new BillCycle(2026, 3);
        var orderA = Charge(BillTypes.NewPurchase, 10.01m, 2, 1, trade: "o1", resource: "r1");
        var orderB = Charge(BillTypes.NewPurchase, 5.50m, 2, 1, trade: "o1", resource: "r2");
        var refund = Charge(BillTypes.UnsubscribeRefund, -3.33m, trade: "o2", resource: "r1");
        var usage = Charge(BillTypes.Usage, 0.07m, trade: "c1:2026-03", resource: "r3", mode: ChargeMode.OnDemand);
        var charges = new CycleCharges("c1", cycle, false, [orderA, orderB, refund, usage], new CyclePayments(12.25m, 0, 0));
        var byDay = new List<ResourceRecord>
        {
            new(orderA, new DateOnly(2026, 3, 10)), new(orderB, new DateOnly(2026, 3, 10)), new(refund, new DateOnly(2026, 3, 12)),
            new(usage with { Amount = 0.03m, Official = 0.03m }, new DateOnly(2026, 3, 1)), new(usage with { Amount = 0.04m, Official = 0.04m }, new DateOnly(2026, 3, 2)),
        };
        var records = CustomerBillService.FeeRecordsOf(charges, byDay).ToList();
        Assert.Equal(charges.Total, records.Sum(r => r.Amount));
        Assert.Equal(4, records.Count); // the order's two VMs are one product record; the usage is one record a day
        Assert.Equal(15.51m, records.Single(r => r.TradeId == "o1").Amount);
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        Assert.All(records, r => Assert.Equal(FeeStatus.Paid, r.Status));
        // A cycle that ended in arrears leaves its pay-per-use not settled.
        var owed = CustomerBillService.FeeRecordsOf(charges with { Payments = new CyclePayments(0, 0, 0.07m) }, byDay).ToList();
        Assert.All(owed.Where(r => r.BillType == BillTypes.Usage), r => Assert.Equal(FeeStatus.Unsettled, r.Status));
    }
}
