using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Resources;

public static class ResourceActions
{
    public const string View = "bss:order:view";
    public const string Renew = "bss:renewal:update";
    public const string Unsubscribe = "bss:unsubscribe:update";
}

/// <summary>ListPayPerUseCustomerResources' filters; a partner names the customer (and a distributor the reseller whose customer it is).</summary>
public sealed record ResourceFilter(IReadOnlyList<string>? ResourceIds, string? OrderId, int? OnlyMainResource, IReadOnlyList<int>? StatusList,
    DateTime? ExpireTimeBegin, DateTime? ExpireTimeEnd, string? ServiceTypeCode, string? CustomerId, int? Offset, int? Limit, string? IndirectPartnerId = null);

/// <summary>A refund order with its lines, the resources they refunded (by id) and the catalog's names.</summary>
public sealed record RefundOrder(Order Order, IReadOnlyList<RefundLine> Lines, IReadOnlyDictionary<string, CloudResource> Resources, CatalogNames Names);

/// <summary>The catalog's names, and each account's project per region (every account has one project named after each region).</summary>
public sealed record ResourceLabels(CatalogNames Names, IReadOnlyDictionary<(string Account, string Region), string> Projects)
{
    public string? ProjectOf(CloudResource r) => Projects.GetValueOrDefault((r.CustomerAccountId, r.Region));
}

public sealed record UnsubscribeResult(IReadOnlyList<string> OrderIds, decimal Refund);

/// <summary>One resource's outcome of UpdatePeriodToOnDemandInstantly: SUCCESS with its order, or FAIL with the error.</summary>
public sealed record ToOnDemandResult(string ResourceId, string Result, string? ErrorCode, string? ErrorMessage, string? OrderId);

/// <summary>
/// Yearly/monthly resources after purchase: query, renew (by hand or automatically), expiry policies and unsubscribing
/// with the documented refund. Renewals are orders paid like any other, so budgets, quotas and balances apply.
/// </summary>
public sealed class ResourceService(AppDbContext db, OrderService orders, RatingEngine rating, LedgerBook ledger, AccessControl access, PartnerScope partners,
    BudgetConsumption budgets, Coupons.CouponPayment coupons, TimeProvider clock)
{
    public const int MaxRenewIds = 10;
    public const int MaxUnsubscribeIds = 10;
    public const int MaxQueryIds = 50;
    public const int MaxToOnDemandIds = 100;
    public const int MaxToOnDemandNowIds = 10;

    /// <summary>ListPayPerUseCustomerResources: the caller's resources, or (a partner) one customer's.</summary>
    public async Task<(IReadOnlyList<CloudResource> Items, int Total)> ListAsync(Caller caller, ResourceFilter f, CancellationToken ct = default)
    {
        var customer = await OwnerForQueryAsync(caller, f.CustomerId, f.IndirectPartnerId, ct);
        if (f.ResourceIds is { Count: > MaxQueryIds }) throw Check.Invalid($"resource_ids holds at most {MaxQueryIds} ids.");
        if (f.OnlyMainResource is not (null or 0 or 1)) throw Check.Invalid("only_main_resource is 0 or 1.");
        if (f.StatusList is { } statuses && statuses.Any(st => st is not (2 or 3 or 4 or 5))) throw Check.Invalid("status_list holds 2, 3, 4 or 5.");
        if (f.ServiceTypeCode is "") throw Check.Invalid("service_type_code cannot be empty.");
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > 100 || offset < 0) throw Check.Invalid("limit is 1 to 100 and offset 0 or more.");

        var q = db.CloudResources.AsNoTracking().Where(r => r.CustomerAccountId == customer && r.ChargeMode == ChargeMode.Period);
        if (f.ResourceIds is { Count: > 0 } ids) q = q.Where(r => ids.Contains(r.Id));
        if (!string.IsNullOrEmpty(f.OrderId)) q = q.Where(r => r.OrderId == f.OrderId || r.LastOrderId == f.OrderId);
        if (f.OnlyMainResource == 1) q = q.Where(r => r.IsMain);
        if (f.StatusList is { Count: > 0 } wanted) q = q.Where(r => wanted.Contains(r.Status));
        if (f.ExpireTimeBegin is { } eb) q = q.Where(r => r.ExpireTime >= eb);
        if (f.ExpireTimeEnd is { } ee) q = q.Where(r => r.ExpireTime <= ee);
        if (!string.IsNullOrEmpty(f.ServiceTypeCode)) q = q.Where(r => r.ServiceTypeCode == f.ServiceTypeCode);
        var total = await q.CountAsync(ct);
        return (await q.OrderBy(r => r.EffectiveTime).ThenBy(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct), total);
    }

    /// <summary>
    /// RenewalResources: one renewal order for the main resources and their attached ones. With auto-pay the order is
    /// paid at once; if that payment is refused the order stays pending and CBC.30050006 says why.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenewAsync(Caller caller, IReadOnlyList<string>? resourceIds, int? periodType, int? periodNum, int? isAutoPay,
        string? customerId = null, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        var (customer, placedBy) = await OwnerForChangeAsync(caller, customerId, indirectPartnerId, ResourceActions.Renew, ct);
        if (resourceIds is not { Count: > 0 and <= MaxRenewIds } ids) throw Check.Invalid($"resource_ids holds 1 to {MaxRenewIds} main resource ids.");
        var (type, num) = Period(periodType, periodNum);
        if (isAutoPay is not (null or 0 or 1)) throw Check.Invalid("is_auto_pay is 0 or 1.");
        var mains = await MainResourcesAsync(customer, ids, ct);
        if (mains.FirstOrDefault(r => r.Status == ResourceStatus.Closed) is { } closed) throw new ServiceException(Errors.ResourceNotFound());

        var order = await CreateRenewalOrderAsync(caller, customer, placedBy, mains, type, num, $"renew:{Ids.New()}", ct);
        if (isAutoPay == 1)
        {
            try
            {
                await orders.AutoPayAsync(order.Id, caller.UserName, ct);
            }
            catch (ServiceException e)
            {
                throw new ServiceException(Errors.AutoPayFailed(order.Id, e.Error));
            }
        }
        return [order.Id];
    }

    /// <summary>
    /// ListRenewRateOnPeriod: what renewing the main resources (and, on request, their attached ones) for the period
    /// costs — rated exactly as the renewal order will be, the days to the unified renewal date included.
    /// </summary>
    public async Task<IReadOnlyList<(CloudResource Resource, PeriodQuote Quote)>> RenewQuotesAsync(Caller caller, IReadOnlyList<string>? resourceIds, int? periodType,
        int? periodNum, bool includeRelative, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.View, ct);
        if (resourceIds is not { Count: > 0 and <= MaxRenewIds } ids) throw Check.Invalid($"resource_ids holds 1 to {MaxRenewIds} main resource ids.");
        int type, num;
        try { (type, num) = Period(periodType, periodNum); }
        catch (ServiceException e) when (e.Error.Code == "CBC.30010069") { throw new ServiceException(Errors.RenewPeriodNotAvailable()); }
        List<CloudResource> mains;
        try { mains = await MainResourcesAsync(caller.AccountId, ids, ct); }
        catch (ServiceException e) when (e.Error.Code == "CBC.30010036") { throw new ServiceException(Errors.RenewRateNotMain()); }
        var mainIds = mains.Select(m => m.Id).ToList();
        var attached = includeRelative
            ? await db.CloudResources.AsNoTracking().Where(r => r.ParentResourceId != null && mainIds.Contains(r.ParentResourceId) && r.Status != ResourceStatus.Closed).ToListAsync(ct)
            : [];
        var day = await UnifiedDayAsync(caller.AccountId, ct);
        var quotes = new List<(CloudResource, PeriodQuote)>();
        foreach (var r in mains.Concat(attached))
            quotes.Add((r, await rating.RatePeriodAsync(caller.AccountId, RenewalProduct(r, type, num, day), ct)));
        return quotes;
    }

    /// <summary>
    /// What renewing a resource for the period rates: the period, plus the days to the customer's unified renewal date
    /// (if set), counted from the resource's expiry exactly as <see cref="ResourceFulfilment"/> will extend it.
    /// </summary>
    PeriodProduct RenewalProduct(CloudResource r, int periodType, int periodNum, int? unifiedDay) =>
        new(r.ServiceTypeCode, r.ResourceTypeCode, r.SpecCode, r.Region, r.SpecSize, r.SpecSizeMeasureId, periodType, periodNum, 1,
            UnifiedRenewalDate.ExtraDays(r.ExpireTime ?? clock.GetUtcNow().UtcDateTime, periodType, periodNum, unifiedDay));

    /// <summary>Creates the renewal order of main resources and their attached ones, each rated again for the new period (stretched to the unified renewal date, if set).</summary>
    public async Task<Order> CreateRenewalOrderAsync(Caller caller, string customer, string? placedBy, IReadOnlyList<CloudResource> mains, int periodType, int periodNum,
        string clientToken, CancellationToken ct)
    {
        var mainIds = mains.Select(m => m.Id).ToList();
        await RefuseIfInUnpaidOrderAsync(customer, mainIds, ct);
        var attached = await db.CloudResources.AsNoTracking().Where(r => r.ParentResourceId != null && mainIds.Contains(r.ParentResourceId) && r.Status != ResourceStatus.Closed).ToListAsync(ct);
        var day = await UnifiedDayAsync(customer, ct);
        var items = mains.Concat(attached).Select(r => new OrderService.OrderItem(RenewalProduct(r, periodType, periodNum, day), r.Id, r.IsMain, r.ParentResourceId)).ToList();
        return await orders.CreateOrderAsync(caller, customer, placedBy, clientToken, OrderType.Renewal, items, ct);
    }

    /// <summary>Turns auto-renewal on for a main resource (and so its attached ones): renewed at the deduction date before expiry.</summary>
    public async Task EnableAutoRenewAsync(Caller caller, string resourceId, string? periodType, int? autoRenewTimes, string? customerId = null, CancellationToken ct = default,
        string? indirectPartnerId = null)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        var (customer, _) = await OwnerForChangeAsync(caller, customerId, indirectPartnerId, ResourceActions.Renew, ct);
        int? type = periodType switch { null or "" => null, "MONTH" => 2, "YEAR" => 3, _ => throw Check.Invalid("period_type is MONTH or YEAR.") };
        if (autoRenewTimes is < 0 or > 99) throw Check.Invalid("auto_renew_times is 0 (unlimited) to 99.");
        var resource = (await MainResourcesAsync(customer, [resourceId], ct, track: true))[0];
        if (resource.Status is ResourceStatus.Closed or ResourceStatus.Frozen) throw new ServiceException(Errors.ResourceExpiredNoAutoRenew());
        // Enabling sets the count (unlimited unless given); when already on, the count changes only if given.
        if (resource.ExpirePolicy != ExpirePolicy.AutoRenew || autoRenewTimes is not null)
            resource.AutoRenewTimesLeft = autoRenewTimes is null or 0 ? null : autoRenewTimes;
        resource.ExpirePolicy = ExpirePolicy.AutoRenew;
        resource.AutoRenewPeriodType = type ?? resource.AutoRenewPeriodType;
        resource.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    public async Task CancelAutoRenewAsync(Caller caller, string resourceId, string? customerId = null, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        var (customer, _) = await OwnerForChangeAsync(caller, customerId, indirectPartnerId, ResourceActions.Renew, ct);
        var resource = (await MainResourcesAsync(customer, [resourceId], ct, track: true))[0];
        if (resource.ExpirePolicy != ExpirePolicy.AutoRenew) throw new ServiceException(Errors.AutoRenewAlreadyCancelled());
        resource.ExpirePolicy = ExpirePolicy.EnterGrace;
        resource.AutoRenewTimesLeft = null;
        resource.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// SetResourcesRenewConfig, for all of the caller's resources: DEDUCTION_DATE, how many days (2–7) before the expiry
    /// date auto-renewal charges; EXPIRE_DATE, the unified renewal date (1–28, or −1 for the month's last day) every
    /// later renewal is stretched to (<see cref="UnifiedRenewalDate"/>). Renewal orders already created keep what they were priced for.
    /// </summary>
    public async Task SetRenewConfigAsync(Caller caller, string? configName, int? value, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        switch (configName)
        {
            case "DEDUCTION_DATE":
                if (value is not (>= RenewConfig.MinDeductionDays and <= RenewConfig.MaxDeductionDays)) throw Check.Invalid("A DEDUCTION_DATE value is 2 to 7 days before expiry.");
                (await ConfigToChangeAsync(caller.AccountId, ct)).DeductionDays = value.Value;
                break;
            case "EXPIRE_DATE":
                if (!UnifiedRenewalDate.IsValidDay(value)) throw Check.Invalid("An EXPIRE_DATE value is a day of the month, 1 to 28, or -1 for the month's last day.");
                (await ConfigToChangeAsync(caller.AccountId, ct)).ExpireDay = value;
                break;
            default:
                throw Check.Invalid("config_name is DEDUCTION_DATE or EXPIRE_DATE.");
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Removes the caller's unified renewal date (the console's choice; Huawei's API has no value for it): renewals end where their period ends.</summary>
    public async Task ClearUnifiedRenewalDateAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        await db.RenewConfigs.Where(c => c.CustomerAccountId == caller.AccountId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpireDay, (int?)null), ct);
    }

    /// <summary>The caller's renewal settings (the defaults when it never set any).</summary>
    public async Task<RenewConfig> RenewConfigAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.View, ct);
        return await db.RenewConfigs.AsNoTracking().SingleOrDefaultAsync(c => c.CustomerAccountId == caller.AccountId, ct)
               ?? new RenewConfig { CustomerAccountId = caller.AccountId };
    }

    async Task<RenewConfig> ConfigToChangeAsync(string customer, CancellationToken ct)
    {
        if (await db.RenewConfigs.SingleOrDefaultAsync(c => c.CustomerAccountId == customer, ct) is { } config) return config;
        config = new RenewConfig { CustomerAccountId = customer };
        db.RenewConfigs.Add(config);
        return config;
    }

    /// <summary>The customer's unified renewal date, or null.</summary>
    Task<int?> UnifiedDayAsync(string customer, CancellationToken ct) =>
        db.RenewConfigs.AsNoTracking().Where(c => c.CustomerAccountId == customer).Select(c => c.ExpireDay).SingleOrDefaultAsync(ct);

    /// <summary>UpdatePeriodToOnDemand: at expiry the resources turn into pay-per-use (SET_UP), or no longer will (CANCEL).</summary>
    public async Task SetToOnDemandAsync(Caller caller, string? operation, IReadOnlyList<string>? resourceIds, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.Renew, ct);
        var policy = operation switch
        {
            "SET_UP" => ExpirePolicy.ToOnDemand,
            "CANCEL" => ExpirePolicy.EnterGrace,
            _ => throw Check.Invalid("operation is SET_UP or CANCEL."),
        };
        if (resourceIds is not { Count: > 0 and <= MaxToOnDemandIds } ids) throw Check.Invalid($"resource_ids holds 1 to {MaxToOnDemandIds} main resource ids.");
        var mains = await MainResourcesAsync(caller.AccountId, ids, ct);
        if (mains.FirstOrDefault(r => r.Status == ResourceStatus.Closed) is { } closed) throw new ServiceException(Errors.ResourceNotFound());
        var mainIds = mains.Select(m => m.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.CloudResources.Where(r => mainIds.Contains(r.Id) || (r.ParentResourceId != null && mainIds.Contains(r.ParentResourceId)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpirePolicy, policy).SetProperty(r => r.UpdatedAt, now), ct);
    }

    /// <summary>
    /// CancelResourcesSubscription: type 1 ends the resources (and their attached ones) and refunds by
    /// <see cref="RefundRules"/>; type 2 refunds only the renewal stretches not started yet. The customer itself, or its
    /// partner on its behalf (<paramref name="customerId"/>, a distributor for its reseller's customer with
    /// <paramref name="indirectPartnerId"/>) when the customer is a resale customer: the refund is the partner's money.
    /// </summary>
    public Task<UnsubscribeResult> UnsubscribeAsync(Caller caller, IReadOnlyList<string>? resourceIds, int? unsubscribeType, int? reasonType, string? reason,
        CancellationToken ct = default, string? customerId = null, string? indirectPartnerId = null) =>
        UnsubscribeOrPreviewAsync(caller, resourceIds, unsubscribeType, reasonType, reason, preview: false, customerId, indirectPartnerId, ct);

    /// <summary>
    /// UpdatePeriodToOnDemandInstantly: each main resource (with its attached ones) stops being yearly/monthly now — its
    /// unused time refunded exactly as unsubscribing it would (an order of type 10) — and goes on as pay-per-use, charged
    /// by the hour from now. Each resource succeeds or fails on its own (frozen, in an unpaid order, a spec not sold
    /// pay-per-use: CBC.99006006); an id that is not one of the caller's yearly/monthly main resources fails the request.
    /// </summary>
    public async Task<IReadOnlyList<ToOnDemandResult>> ToOnDemandNowAsync(Caller caller, IReadOnlyList<string>? resourceIds, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, ResourceActions.Unsubscribe, ct);
        if (resourceIds is not { Count: > 0 and <= MaxToOnDemandNowIds } ids || ids.Any(id => id is not { Length: > 0 and <= 64 }))
            throw Check.Invalid($"resource_ids holds 1 to {MaxToOnDemandNowIds} main resource ids of 1 to 64 characters.");
        // An id that is not one of the caller's main resources fails the whole request, before anything is written.
        var mains = await MainResourcesAsync(caller.AccountId, ids, ct);
        if (mains.Any(r => r.Status == ResourceStatus.Closed)) throw new ServiceException(Errors.ResourceNotFound());
        var results = new List<ToOnDemandResult>(ids.Count);
        foreach (var id in ids)
        {
            try
            {
                var done = await UnsubscribeOrPreviewAsync(caller, [id], 1, null, null, preview: false, null, null, ct, toOnDemand: true);
                results.Add(new ToOnDemandResult(id, "SUCCESS", null, null, done.OrderIds[0]));
            }
            catch (ServiceException e)
            {
                db.ChangeTracker.Clear(); // nothing of the failed resource is kept
                results.Add(new ToOnDemandResult(id, "FAIL", e.Error.Code, e.Error.Message, null));
            }
        }
        return results;
    }

    /// <summary>What unsubscribing would refund now (for the console to show before the customer confirms); nothing is written.</summary>
    public Task<UnsubscribeResult> PreviewUnsubscribeAsync(Caller caller, IReadOnlyList<string>? resourceIds, int? unsubscribeType, CancellationToken ct = default,
        string? customerId = null, string? indirectPartnerId = null) =>
        UnsubscribeOrPreviewAsync(caller, resourceIds, unsubscribeType, null, null, preview: true, customerId, indirectPartnerId, ct);

    async Task<UnsubscribeResult> UnsubscribeOrPreviewAsync(Caller caller, IReadOnlyList<string>? resourceIds, int? unsubscribeType, int? reasonType, string? reason,
        bool preview, string? customerId, string? indirectPartnerId, CancellationToken ct, bool toOnDemand = false)
    {
        await access.RequireAsync(caller, ResourceActions.Unsubscribe, ct);
        if (resourceIds is not { Count: > 0 and <= MaxUnsubscribeIds } ids) throw Check.Invalid($"resource_ids holds 1 to {MaxUnsubscribeIds} main resource ids.");
        if (unsubscribeType is not (1 or 2)) throw Check.Invalid("unsubscribe_type is 1 (resources and their renewals) or 2 (unused renewals only).");
        if (reasonType is not (null or >= 1 and <= 5)) throw Check.Invalid("unsubscribe_reason_type is 1 to 5.");
        Check.MaxLength(reason, "unsubscribe_reason", 512);
        var onBehalf = await OnBehalfAsync(caller, customerId, indirectPartnerId, ResourceActions.Unsubscribe, ct);
        if (onBehalf is { AssociationType: not AssociationTypes.Resale }) throw new ServiceException(Errors.WrongAssociationType());
        var customer = onBehalf?.CustomerAccountId ?? caller.AccountId;
        var mains = await MainResourcesAsync(customer, ids, ct);
        if (mains.FirstOrDefault(r => r.Status == ResourceStatus.Closed) is { } closed) throw new ServiceException(Errors.ResourceNotFound());
        if (mains.FirstOrDefault(r => r.Status == ResourceStatus.Frozen) is not null) throw new ServiceException(Errors.ResourceFrozen());
        var mainIds = mains.Select(m => m.Id).ToList();
        await RefuseIfInUnpaidOrderAsync(customer, mainIds, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Claim each main resource as it was read: a concurrent unsubscribe or renewal of the same resource waits here and
        // then finds it changed, so a stretch is never refunded twice.
        foreach (var main in mains)
            if (await db.CloudResources.Where(r => r.Id == main.Id && r.LastOrderId == main.LastOrderId && r.Status == main.Status)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.UpdatedAt, now), ct) == 0)
                throw new ServiceException(Errors.TransactionInProgress());
        var resources = await db.CloudResources.Where(r => mainIds.Contains(r.Id) || (r.ParentResourceId != null && mainIds.Contains(r.ParentResourceId) && r.Status != ResourceStatus.Closed))
            .ToListAsync(ct);
        var resourceIdsAll = resources.Select(r => r.Id).ToList();
        var stretches = await db.ResourcePeriods.Where(p => resourceIdsAll.Contains(p.ResourceId) && p.RefundedAt == null).ToListAsync(ct);
        var purchases = await db.ResourcePeriods.Where(p => resourceIdsAll.Contains(p.ResourceId)).GroupBy(p => p.ResourceId)
            .Select(g => new { g.Key, First = g.Min(p => p.PaidAt) }).ToDictionaryAsync(x => x.Key, x => x.First, ct);
        // The orders that paid the stretches: who funded each (the money goes back that way) and its list price (the budget's).
        var baseOrderIds = stretches.Select(p => p.OrderId).Distinct().ToList();
        var baseOrders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => baseOrderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);

        var orderId = OrderService.NewOrderId(now);
        var refundLines = new List<RefundLine>();
        var orderLines = new List<OrderLine>();
        var giveBacks = new List<(ResourcePeriod Stretch, decimal ListRefund)>();
        var couponReturns = new List<(string BaseOrderId, decimal Amount)>();
        var toPartners = new Dictionary<string, decimal>();
        var toMasters = new Dictionary<string, decimal>(); // what enterprise masters paid for the customer, back to their cash
        // What a partner's allocated money paid, refunded after that resale association ended: back to that partner.
        var toFormerPartners = new Dictionary<string, decimal>();
        var resalePartner = await db.CustomerAssociations.AsNoTracking().Where(a => a.CustomerAccountId == customer && a.AssociationType == AssociationTypes.Resale)
            .Select(a => a.PartnerAccountId).SingleOrDefaultAsync(ct);
        decimal refundTotal = 0, toCash = 0, cashSettlement = 0;
        foreach (var resource in resources)
        {
            var own = stretches.Where(p => p.ResourceId == resource.Id).OrderBy(p => p.Start).ToList();
            var chosen = unsubscribeType == 2 ? own.Where(p => p.Start > now).ToList() : own.Where(p => p.End > now).ToList();
            decimal resourceRefund = 0;
            foreach (var p in chosen)
            {
                var baseOrder = baseOrders[p.OrderId];
                var list = ListAmountOf(baseOrder, resource.Id);
                var (r, listRefund) = unsubscribeType == 2
                    ? (new StretchRefund(p.PaidAmount, 0, 0, p.PaidAmount, Whole: true), list)
                    : (RefundRules.ForStretch(p.PaidAmount, p.Start, p.End, p.PeriodType, p.PeriodNum, purchases[resource.Id], now),
                       RefundRules.ForStretch(list, p.Start, p.End, p.PeriodType, p.PeriodNum, purchases[resource.Id], now).Refund);
                p.RefundedAt = now;
                resourceRefund += r.Refund;
                // A stretch refunded whole gives its coupons back too; otherwise what coupons paid is not returned.
                if (r.Whole && p.CouponAmount > 0) couponReturns.Add((p.OrderId, p.CouponAmount));
                if (baseOrder.FundingPartnerAccountId is { } partner)
                {
                    toPartners[partner] = toPartners.GetValueOrDefault(partner) + (p.PaidAmount == 0 ? 0 : Money.Round2(p.SettlementAmount * r.Refund / p.PaidAmount));
                    if (listRefund > 0) giveBacks.Add((p, listRefund));
                }
                else if (baseOrder.PaidByAccountId is { } master)
                    toMasters[master] = toMasters.GetValueOrDefault(master) + r.Refund;
                else
                {
                    toCash += r.Refund;
                    // A stretch a resale customer paid from allocated cash: the refund order shows its settlement share, as revenue reads it.
                    cashSettlement += p.PaidAmount == 0 ? 0 : Money.Round2(p.SettlementAmount * r.Refund / p.PaidAmount);
                    if (baseOrder.AllocatedByPartnerAccountId is { } allocator && allocator != resalePartner)
                        toFormerPartners[allocator] = toFormerPartners.GetValueOrDefault(allocator) + r.Refund;
                }
                refundLines.Add(new RefundLine { OrderId = orderId, ResourceId = resource.Id, BaseOrderId = p.OrderId, Kind = RefundKinds.Refund, Amount = -r.Refund });
                if (r.Consumed > 0) refundLines.Add(new RefundLine { OrderId = orderId, ResourceId = resource.Id, BaseOrderId = p.OrderId, Kind = RefundKinds.Consumed, Amount = r.Consumed });
                if (r.Fee > 0) refundLines.Add(new RefundLine { OrderId = orderId, ResourceId = resource.Id, BaseOrderId = p.OrderId, Kind = RefundKinds.Fee, Amount = r.Fee });
            }
            if (unsubscribeType == 2)
            {
                if (chosen.Count > 0) resource.ExpireTime = chosen.Min(p => p.Start);
            }
            else if (toOnDemand)
            {
                if ((await rating.UsageFactorsAsync(resource.SpecId, ct)).Count == 0)
                    throw new ServiceException(Errors.ProductNotFound($"{resource.SpecCode} in {resource.Region} is not sold pay-per-use."));
                resource.ChargeMode = ChargeMode.OnDemand;
                resource.Status = ResourceStatus.InUse;
                resource.ExpireTime = null;
                resource.StatusChangedAt = null;
                resource.ExpirePolicy = ExpirePolicy.EnterGrace; // as a pay-per-use order creates it: nothing expires
                resource.AutoRenewTimesLeft = null;
                resource.AutoRenewPeriodType = null;
            }
            else
            {
                resource.Status = ResourceStatus.Closed;
                resource.ExpireTime = now;
                resource.StatusChangedAt = now;
            }
            resource.LastOrderId = orderId;
            resource.UpdatedAt = now;
            refundTotal += resourceRefund;
            orderLines.Add(new OrderLine
            {
                Id = Ids.New(), OrderId = orderId, SpecId = resource.SpecId, ResourceId = resource.Id, IsMainResource = resource.IsMain,
                ParentResourceId = resource.ParentResourceId, CloudServiceType = resource.ServiceTypeCode, ResourceType = resource.ResourceTypeCode,
                ResourceSpec = resource.SpecCode, Region = resource.Region, ResourceSize = resource.SpecSize, SizeMeasureId = resource.SpecSizeMeasureId,
                PeriodType = resource.PeriodType, PeriodNum = resource.PeriodNum, SubscriptionNum = 1, OfficialAmount = resourceRefund, SettlementAmount = 0,
            });
        }
        if (unsubscribeType == 2 && refundLines.Count == 0) throw new ServiceException(Errors.NoUnusedRenewal());
        if (preview)
        {
            db.ChangeTracker.Clear(); // the same computation as a real unsubscribe, none of it kept
            return new UnsubscribeResult([], refundTotal);
        }

        db.Orders.Add(new Order
        {
            Id = orderId, CustomerAccountId = customer, ClientToken = "unsubscribe:" + orderId, OrderType = toOnDemand ? OrderType.ToOnDemand : OrderType.Unsubscribe,
            SourceType = onBehalf is null ? OrderSource.Customer : OrderSource.Partner, Status = OrderStatus.Completed, ServiceTypeCode = mains[0].ServiceTypeCode,
            OfficialAmount = refundTotal, AmountAfterDiscount = refundTotal, SettlementAmount = toPartners.Values.Sum() + cashSettlement, CouponAmount = couponReturns.Sum(c => c.Amount),
            FundingPartnerAccountId = toPartners.Keys.FirstOrDefault(), PaidByAccountId = toMasters.Keys.FirstOrDefault(), CreatedByUserName = caller.UserName, PlacedByPartnerAccountId = onBehalf is null ? null : caller.AccountId,
            CreatedAt = now, PaymentDeadline = now, PaidAt = now, Lines = orderLines,
        });
        db.RefundLines.AddRange(refundLines);
        await db.SaveChangesAsync(ct);

        // The money goes back the way it came, stretch by stretch: what a resale customer's partner paid goes back to
        // that partner at the settlement share, what an enterprise master paid to the master's cash, what the customer paid itself to its cash.
        var movements = toPartners.Where(x => x.Value > 0).Select(x => new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), LedgerBook.PayableOf(x.Key), x.Value)).ToList();
        if (toCash > 0) movements.Add(new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), LedgerBook.CashOf(customer), toCash));
        movements.AddRange(toMasters.Where(x => x.Value > 0).Select(x => new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), LedgerBook.CashOf(x.Key), x.Value)));
        foreach (var (baseOrderId, amount) in couponReturns) movements.AddRange(await coupons.ReturnAsync(baseOrderId, amount, orderId, now, ct));
        if (movements.Count > 0)
        {
            foreach (var partner in toPartners.Keys) await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
            if (toCash > 0) await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCash, customer, ct);
            foreach (var master in toMasters.Keys) await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCash, master, ct);
            await ledger.PostAsync($"refund:{orderId}", "Refund", orderId, $"Unsubscribe order {orderId}", caller.UserName, movements, ct);
        }
        await AllocatedFunds.ReturnRefundAsync(db, ledger, customer, orderId, toFormerPartners, now, ct);
        // A resale customer's budget gets back, at list price, what was refunded of spends still in its budget period.
        foreach (var (stretch, listRefund) in giveBacks)
            await budgets.GiveBackAsync(customer, PaymentSpendKey(stretch.OrderId), listRefund, $"refund:{stretch.Id}", ct);
        await tx.CommitAsync(ct);
        return new UnsubscribeResult([orderId], refundTotal);
    }

    /// <summary>The key under which paying an order spent a resale customer's budget (the payment's ledger entry id).</summary>
    static string PaymentSpendKey(string orderId) => $"order:{orderId}";

    /// <summary>
    /// A resource's share of the list price of the order that paid one of its stretches: its line's official amount,
    /// split evenly over the line's subscriptions as the payment split it (the last one takes the remainder).
    /// </summary>
    static decimal ListAmountOf(Order order, string resourceId)
    {
        foreach (var line in order.Lines)
            for (var k = 0; k < line.SubscriptionNum; k++)
            {
                if (ResourceFulfilment.ResourceIdOf(line, k) != resourceId) continue;
                var each = Money.Round2(line.OfficialAmount / line.SubscriptionNum);
                return k < line.SubscriptionNum - 1 ? each : line.OfficialAmount - each * (line.SubscriptionNum - 1);
            }
        return 0;
    }

    /// <summary>
    /// ShowRefundOrderDetails: the lines of a refund order of the caller (or, a partner, of its customer): an unsubscribe,
    /// or a switch to pay-per-use now, which refunds the same way.
    /// </summary>
    public async Task<IReadOnlyList<RefundLine>> RefundLinesAsync(Caller caller, string? orderId, CancellationToken ct = default) =>
        (await RefundOrderAsync(caller, orderId, null, null, ct)).Lines;

    /// <summary>
    /// ShowRefundOrderDetails: a refund order's lines with the resources they refunded and the catalog's names; a partner
    /// names its customer with <paramref name="customerId"/>, a distributor its reseller with <paramref name="indirectPartnerId"/>.
    /// </summary>
    public async Task<RefundOrder> RefundOrderAsync(Caller caller, string? orderId, string? customerId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var order = await orders.DetailsAsync(caller, orderId, ct, customerId, indirectPartnerId);
        if (order.OrderType is not (OrderType.Unsubscribe or OrderType.ToOnDemand)) throw new ServiceException(Errors.NotARefundOrder());
        var lines = await db.RefundLines.AsNoTracking().Where(l => l.OrderId == order.Id).OrderBy(l => l.Id).ToListAsync(ct);
        var ids = lines.Select(l => l.ResourceId).Distinct().ToList();
        var refunded = await db.CloudResources.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        return new RefundOrder(order, lines, refunded, await CatalogNames.LoadAsync(db, ct));
    }

    /// <summary>What answers show beside resources: the catalog's names and the project of each owner's region.</summary>
    public async Task<ResourceLabels> LabelsAsync(IReadOnlyList<CloudResource> items, CancellationToken ct = default)
    {
        var owners = items.Select(r => r.CustomerAccountId).Distinct().ToList();
        var projects = await db.Projects.AsNoTracking().Where(p => owners.Contains(p.AccountId)).ToListAsync(ct);
        return new ResourceLabels(await CatalogNames.LoadAsync(db, ct), projects.ToDictionary(p => (p.AccountId, p.Name), p => p.Id));
    }

    async Task RefuseIfInUnpaidOrderAsync(string customer, List<string> mainIds, CancellationToken ct)
    {
        if (await db.Orders.AnyAsync(o => o.CustomerAccountId == customer && o.Status == OrderStatus.PendingPayment
                                          && o.Lines.Any(l => mainIds.Contains(l.ResourceId) || (l.ParentResourceId != null && mainIds.Contains(l.ParentResourceId))), ct))
            throw new ServiceException(Errors.ResourceInUnpaidOrder());
    }

    async Task<List<CloudResource>> MainResourcesAsync(string customer, IReadOnlyList<string> ids, CancellationToken ct, bool track = false)
    {
        if (ids.Distinct().Count() != ids.Count) throw Check.Invalid("resource_ids holds each id once.");
        var q = track ? db.CloudResources : db.CloudResources.AsNoTracking();
        var found = await q.Where(r => ids.Contains(r.Id) && r.CustomerAccountId == customer && r.ChargeMode == ChargeMode.Period).ToListAsync(ct);
        if (ids.Any(id => found.All(r => r.Id != id))) throw new ServiceException(Errors.ResourceNotFound());
        if (found.FirstOrDefault(r => !r.IsMain) is { } attached) throw new ServiceException(Errors.NotAMainResource(attached.Id));
        return ids.Select(id => found.Single(r => r.Id == id)).ToList();
    }

    async Task<string> OwnerForQueryAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct)
    {
        await access.RequireAsync(caller, ResourceActions.View, ct);
        return (await OnBehalfAsync(caller, customerId, indirectPartnerId, ResourceActions.View, ct))?.CustomerAccountId ?? caller.AccountId;
    }

    /// <summary>The customer whose resources change: the caller, or its customer when a partner acts on its behalf.</summary>
    async Task<(string Customer, string? PlacedBy)> OwnerForChangeAsync(Caller caller, string? customerId, string? indirectPartnerId, string action, CancellationToken ct) =>
        await OnBehalfAsync(caller, customerId, indirectPartnerId, action, ct) is { } association ? (association.CustomerAccountId, caller.AccountId) : (caller.AccountId, null);

    /// <summary>
    /// The association of the customer a partner acts for, or null when the caller acts on its own resources. Without
    /// indirect_partner_id the customer must be the caller's own; with it (a distributor only) the customer must be that
    /// reseller's, and the reseller the distributor's (CBC.99000037 otherwise). Another partner's customer is CBC.99000035.
    /// </summary>
    async Task<CustomerAssociation?> OnBehalfAsync(Caller caller, string? customerId, string? indirectPartnerId, string action, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(indirectPartnerId) && (string.IsNullOrEmpty(customerId) || customerId == caller.AccountId)) return null;
        var partner = await partners.ActingPartnerAsync(caller, action, indirectPartnerId, PartnerNeed.Customers, ct);
        return await partners.CustomerOfAsync(partner, customerId, ct);
    }

    static (int Type, int Num) Period(int? periodType, int? periodNum)
    {
        var type = periodType ?? throw Check.Invalid("period_type is required.");
        var num = periodNum ?? throw Check.Invalid("period_num is required.");
        return (type, num) switch
        {
            (2, >= 1 and <= 11) or (3, >= 1 and <= 3) => (type, num),
            (2 or 3, _) => throw new ServiceException(Errors.UnsupportedRenewalPeriod()),
            _ => throw Check.Invalid("period_type is 2 (month) or 3 (year)."),
        };
    }
}

/// <summary>A customer's auto-renewal settings (SetResourcesRenewConfig).</summary>
public sealed class RenewConfig
{
    public const int DefaultDeductionDays = 7, MinDeductionDays = 2, MaxDeductionDays = 7;
    public required string CustomerAccountId { get; init; }
    /// <summary>How many days before the expiry date auto-renewal charges (2–7; 7 by default).</summary>
    public int DeductionDays { get; set; } = DefaultDeductionDays;
    /// <summary>The unified renewal date (EXPIRE_DATE): renewals end on this day of a month, 1–28 or −1 (the last day); null: not set.</summary>
    public int? ExpireDay { get; set; }
}

sealed class RenewConfigConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<RenewConfig>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<RenewConfig> e)
    {
        e.ToTable("renew_configs");
        e.HasKey(x => x.CustomerAccountId);
    }
}
