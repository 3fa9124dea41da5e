using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Core.Resources;

/// <summary>
/// Every hour, the expiry lifecycle of yearly/monthly resources (international site): at expiry a resource enters the
/// 15-day grace period (usable; status 5), then the 15-day retention period (frozen; status 4), then it is released
/// (status 3). A resource set to turn pay-per-use becomes pay-per-use at expiry instead; one set to be deleted is released.
/// </summary>
public sealed class ResourceLifecycleJob : IIdlePeriodsJob
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(15);
    public static readonly TimeSpan RetentionPeriod = TimeSpan.FromDays(15);

    public string Name => "resources.lifecycle";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        var periodic = db.CloudResources.Where(r => r.ChargeMode == ChargeMode.Period);
        await periodic.Where(r => r.Status == ResourceStatus.InUse && r.ExpireTime <= period && r.ExpirePolicy == ExpirePolicy.ToOnDemand)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ChargeMode, ChargeMode.OnDemand).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
        await periodic.Where(r => r.Status == ResourceStatus.InUse && r.ExpireTime <= period && r.ExpirePolicy == ExpirePolicy.DeleteOnExpiry)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Closed).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
        await periodic.Where(r => r.Status == ResourceStatus.InUse && r.ExpireTime <= period)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Expired).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
        var retentionFrom = period - GracePeriod;
        await periodic.Where(r => r.Status == ResourceStatus.Expired && r.ExpireTime <= retentionFrom)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Frozen).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
        var releaseFrom = period - GracePeriod - RetentionPeriod;
        await periodic.Where(r => r.Status == ResourceStatus.Frozen && r.ExpireTime <= releaseFrom)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResourceStatus.Closed).SetProperty(r => r.StatusChangedAt, period).SetProperty(r => r.UpdatedAt, period), ct);
    }

    /// <summary>A period is idle until the first yearly/monthly resource reaches its expiry, or the end of its grace or retention.</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct)
    {
        var periodic = db.CloudResources.Where(r => r.ChargeMode == ChargeMode.Period);
        var expires = await periodic.Where(r => r.Status == ResourceStatus.InUse).MinAsync(r => r.ExpireTime, ct);
        var inGrace = await periodic.Where(r => r.Status == ResourceStatus.Expired).MinAsync(r => r.ExpireTime, ct);
        var inRetention = await periodic.Where(r => r.Status == ResourceStatus.Frozen).MinAsync(r => r.ExpireTime, ct);
        return IdlePeriods.Before(periods, expires, inGrace + GracePeriod, inRetention + GracePeriod + RetentionPeriod);
    }

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing
}

/// <summary>
/// Every day at 03:00, auto-renewal: a main resource with auto-renew on is renewed (with its attached resources) at
/// 03:00 on the day its customer's deduction days (SetResourcesRenewConfig DEDUCTION_DATE, 2 to 7, 7 by default) before
/// its expiry date. A renewal that cannot be paid (budget, balance, quota) is tried again every day until the resource
/// is released; the previous day's unpaid renewal order is cancelled.
/// </summary>
public sealed class AutoRenewJob(IServiceScopeFactory scopes, ILogger<AutoRenewJob> log) : IIdlePeriodsJob
{
    public string Name => "resources.auto-renew";

    public DateTime NextAfter(DateTime instant) => Schedules.DailyAfter(instant, TimeSpan.FromHours(3));

    static IQueryable<CloudResource> Renewable(AppDbContext db) => db.CloudResources.AsNoTracking()
        .Where(r => r.ChargeMode == ChargeMode.Period && r.IsMain && r.ExpirePolicy == ExpirePolicy.AutoRenew
                    && r.Status != ResourceStatus.Closed && (r.AutoRenewTimesLeft == null || r.AutoRenewTimesLeft > 0));

    static DateTime Horizon(DateTime period) => period.Date.AddDays(RenewConfig.MaxDeductionDays + 1);

    /// <summary>A period is idle while no auto-renewing resource expires before its horizon (its run would have no candidate).</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct)
    {
        var first = await Renewable(db).MinAsync(r => r.ExpireTime, ct);
        return periods.TakeWhile(p => first is not { } expiry || expiry >= Horizon(p)).Count();
    }

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        // Expiring on a date up to 7 days from today (the longest deduction setting), or already expired.
        var horizon = Horizon(period);
        var candidates = await Renewable(db).Where(r => r.ExpireTime < horizon).ToListAsync(ct);
        var deductionDays = await db.RenewConfigs.AsNoTracking().ToDictionaryAsync(c => c.CustomerAccountId, c => c.DeductionDays, ct);
        foreach (var resource in candidates.Where(r => r.ExpireTime!.Value.Date.AddDays(-deductionDays.GetValueOrDefault(r.CustomerAccountId, RenewConfig.DefaultDeductionDays)) <= period))
        {
            // Each renewal in its own scope: one customer's refusal must not undo another's renewal.
            await using var scope = scopes.CreateAsyncScope();
            var sp = scope.ServiceProvider;
            var scoped = sp.GetRequiredService<AppDbContext>();
            try
            {
                var token = $"autorenew:{resource.Id}:{resource.ExpireTime:yyyyMMddHH}:{period:yyyyMMdd}";
                await scoped.Orders.Where(o => o.CustomerAccountId == resource.CustomerAccountId && o.Status == OrderStatus.PendingPayment
                                               && o.SourceType == OrderSource.System && o.ClientToken.StartsWith($"autorenew:{resource.Id}:"))
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelledAt, period), ct);
                var order = await sp.GetRequiredService<ResourceService>().CreateRenewalOrderAsync(Caller.System, resource.CustomerAccountId, null, [resource],
                    resource.AutoRenewPeriodType ?? resource.PeriodType, resource.AutoRenewPeriodType is null ? resource.PeriodNum : 1, token, ct);
                await sp.GetRequiredService<OrderService>().AutoPayAsync(order.Id, "system", ct);
            }
            catch (ServiceException e)
            {
                log.LogInformation("Auto-renewal of {Resource} not paid on {Period:yyyy-MM-dd}: {Code} {Message}", resource.Id, period, e.Error.Code, e.Error.Message);
            }
        }
    }
}
