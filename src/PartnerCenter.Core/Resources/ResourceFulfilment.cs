using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Resources;

/// <summary>
/// What a paid order does to resources, in the payment's transaction: a purchase creates them (main and attached, one
/// per subscription), a renewal extends them from their expiry, even from grace or retention, so that time spent there
/// is consumed from the renewal, and on to the unified renewal date when its order priced the extra days.
/// </summary>
public sealed class ResourceFulfilment(AppDbContext db)
{
    public static DateTime AddPeriod(DateTime from, int periodType, int periodNum) =>
        periodType == 3 ? from.AddYears(periodNum) : from.AddMonths(periodNum);

    /// <summary>The id of the k-th resource a line buys (a line with subscription_num N buys N alike).</summary>
    public static string ResourceIdOf(OrderLine line, int k) => k == 0 ? line.ResourceId : $"{line.ResourceId}-{k}";

    /// <param name="paid">What the customer paid (coupons excluded), split over the lines by list price.</param>
    /// <param name="settlementPaid">What the partner paid at settlement price (less when coupons paid part), split by the lines' settlement amounts.</param>
    /// <param name="couponPaid">What cash and flexi-purchase coupons paid, split as <paramref name="paid"/> is.</param>
    public async Task ApplyAsync(Order order, IReadOnlyList<OrderLine> lines, decimal paid, decimal settlementPaid, decimal couponPaid, DateTime paidAt, CancellationToken ct)
    {
        var shares = Split(paid, order.OfficialAmount, lines.Select(l => l.OfficialAmount).ToList());
        var couponShares = Split(couponPaid, order.OfficialAmount, lines.Select(l => l.OfficialAmount).ToList());
        var settlements = Split(settlementPaid, order.SettlementAmount, lines.Select(l => l.SettlementAmount).ToList());
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var paidEach = Split(shares[i], line.SubscriptionNum, Enumerable.Repeat(1m, line.SubscriptionNum).ToList());
            var settlementEach = Split(settlements[i], line.SubscriptionNum, Enumerable.Repeat(1m, line.SubscriptionNum).ToList());
            var couponEach = Split(couponShares[i], line.SubscriptionNum, Enumerable.Repeat(1m, line.SubscriptionNum).ToList());
            for (var k = 0; k < line.SubscriptionNum; k++)
            {
                if (order.OrderType == OrderType.Renewal) await RenewAsync(order, line, paidEach[k], settlementEach[k], couponEach[k], paidAt, ct);
                else await CreateAsync(order, line, k, paidEach[k], settlementEach[k], couponEach[k], paidAt, ct);
            }
        }
        if (order.OrderType == OrderType.Renewal) await db.SaveChangesAsync(ct);
    }

    /// <summary>A new resource and its first paid stretch, written as hot statements (every purchase writes them).</summary>
    async Task CreateAsync(Order order, OrderLine line, int k, decimal paid, decimal settlement, decimal coupons, DateTime paidAt, CancellationToken ct)
    {
        var id = ResourceIdOf(line, k);
        var expires = AddPeriod(paidAt, line.PeriodType, line.PeriodNum);
        await HotInsert.AddAsync(db, new CloudResource
        {
            Id = id, CustomerAccountId = order.CustomerAccountId, Name = $"{line.ResourceSpec}-{id[..8]}", Region = line.Region,
            ServiceTypeCode = line.CloudServiceType, ResourceTypeCode = line.ResourceType, SpecCode = line.ResourceSpec, SpecId = line.SpecId,
            SpecSize = line.ResourceSize, SpecSizeMeasureId = line.SizeMeasureId, IsMain = line.IsMainResource,
            ParentResourceId = line.ParentResourceId is { } parent ? (k == 0 ? parent : $"{parent}-{k}") : null,
            OrderId = order.Id, LastOrderId = order.Id, ChargeMode = ChargeMode.Period, PeriodType = line.PeriodType, PeriodNum = line.PeriodNum,
            Status = ResourceStatus.InUse, ExpirePolicy = ExpirePolicy.EnterGrace, EffectiveTime = paidAt, ExpireTime = expires, UpdatedAt = paidAt,
        }, ct: ct);
        await HotInsert.AddAsync(db, new ResourcePeriod
        {
            ResourceId = id, OrderId = order.Id, Start = paidAt, End = expires, PeriodType = line.PeriodType, PeriodNum = line.PeriodNum,
            PaidAmount = paid, SettlementAmount = settlement, CouponAmount = coupons, PaidAt = paidAt,
        }, ct: ct);
    }

    async Task RenewAsync(Order order, OrderLine line, decimal paid, decimal settlement, decimal coupons, DateTime paidAt, CancellationToken ct)
    {
        var resource = await db.CloudResources.SingleAsync(r => r.Id == line.ResourceId, ct);
        var from = resource.ExpireTime ?? paidAt;
        // Stretched by the days the order priced to reach the unified renewal date (counted from this same expiry: a
        // resource in an unpaid renewal order cannot be renewed or unsubscribed meanwhile).
        var to = AddPeriod(from, line.PeriodType, line.PeriodNum).AddDays(line.ExtraDays ?? 0);
        resource.ExpireTime = to;
        resource.LastOrderId = order.Id;
        resource.Status = ResourceStatus.InUse;
        resource.StatusChangedAt = null;
        resource.UpdatedAt = paidAt;
        if (order.SourceType == OrderSource.System && resource.AutoRenewTimesLeft is { } left) resource.AutoRenewTimesLeft = left - 1;
        db.ResourcePeriods.Add(new ResourcePeriod
        {
            ResourceId = resource.Id, OrderId = order.Id, Start = from, End = to, PeriodType = line.PeriodType, PeriodNum = line.PeriodNum,
            PaidAmount = paid, SettlementAmount = settlement, CouponAmount = coupons, PaidAt = paidAt,
        });
    }

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (summing to <paramref name="weightSum"/>) at 2 decimals; the last part takes the remainder.</summary>
    static List<decimal> Split(decimal total, decimal weightSum, IReadOnlyList<decimal> weights)
    {
        var parts = new List<decimal>(weights.Count);
        for (var i = 0; i < weights.Count - 1; i++) parts.Add(weightSum == 0 ? 0 : Money.Round2(total * weights[i] / weightSum));
        parts.Add(total - parts.Sum());
        return parts;
    }
}
