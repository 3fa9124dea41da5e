using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.Usage;

public static class UsageActions
{
    public const string ViewFreeResources = "bss:order:view";
    /// <summary>One's own pay-per-use resources, fee records and arrears (Huawei's resource fee records need bss:bill:view).</summary>
    public const string ViewUsage = "bss:bill:view";
}

/// <summary>ListCustomerOnDemandResources filters (Huawei QueryCustomerOnDemandResourcesReq).</summary>
public sealed record OnDemandFilter(string? CustomerId, string? RegionCode, string? ServiceTypeCode, IReadOnlyList<string>? ResourceIds,
    DateTime? EffectiveTimeBegin, DateTime? EffectiveTimeEnd, int? Status, int? Offset, int? Limit, string? IndirectPartnerId);

/// <summary>A free-resource package the operator grants to a customer.</summary>
public sealed record FreePackageGrant(string? CustomerId, string? ProductName, string? ServiceTypeCode, string? ResourceTypeCode, string? Region,
    string? ResourceSpec, string? UsageFactor, decimal? Amount, int? MeasureId, DateTime? EffectiveTime, DateTime? ExpireTime);

/// <summary>
/// Fee records of the caller's own pay-per-use (no <see cref="CustomerId"/>) or, for a partner, of one of its customers:
/// the hours from <see cref="HourBegin"/> (inclusive) to <see cref="HourEnd"/> (exclusive), optionally of one resource.
/// </summary>
public sealed record UsageFeeFilter(string? CustomerId, DateTime? HourBegin, DateTime? HourEnd, string? ResourceId, int? Offset, int? Limit,
    string? IndirectPartnerId = null);

/// <summary>One fee record with the name and spec of the resource it is for.</summary>
public sealed record UsageFeeView(UsageFee Fee, string ResourceName, string SpecCode);

/// <summary>The sums, at 8 decimals, over every fee record a query matched (not only the page shown).</summary>
public sealed record UsageFeeTotals(int Records, decimal OfficialAmount, decimal Amount, decimal SettlementAmount)
{
    public decimal DiscountAmount => OfficialAmount - Amount;
}

/// <summary>How far a customer's pay-per-use has gone for want of payment.</summary>
public enum UsageStanding
{
    /// <summary>Nothing owed, every resource usable.</summary>
    Clear,
    /// <summary>Arrears owed while no resource is in grace or retention (they were released).</summary>
    Owed,
    /// <summary>Arrears owed; the resources are still usable until the grace period ends.</summary>
    Grace,
    /// <summary>The resources are frozen (retention) and are released when it ends.</summary>
    Retention,
}

/// <summary>
/// A customer's own pay-per-use position: whether its partner pays (resale), the arrears it owes (the CustomerArrears
/// ledger account), what was rated but not yet deducted (the sub-cent remainder, or a resale charge refused and retried
/// hourly), and its <see cref="UsageStanding"/> with when that began and ends.
/// </summary>
public sealed record UsagePosition(bool PartnerPays, decimal Arrears, decimal NotYetDeducted, UsageStanding Standing, DateTime? StandingSince, DateTime? StandingEnds);

public sealed record FreePackageFilter(string? RegionCode, string? OrderId, string? ProductId, string? ProductName, int? Status,
    IReadOnlyList<string>? ServiceTypeCodes, int? Offset, int? Limit);

/// <summary>
/// Pay-per-use outside the hourly run: orders that create pay-per-use resources at once, the partner's view of its
/// customers' pay-per-use resources, and free-resource packages.
/// </summary>
public sealed class OnDemandService(AppDbContext db, RatingEngine rating, BudgetConsumption budgets, AccessControl access, PartnerScope partners,
    Idempotency keys, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary>ListCustomerOnDemandResources status for a resource status: 1 normal, 2 grace, 3 frozen, 6 closed.</summary>
    public static int HuaweiStatus(int resourceStatus) => resourceStatus switch
    {
        ResourceStatus.Expired => 2,
        ResourceStatus.Frozen => 3,
        ResourceStatus.Closed => 6,
        _ => 1,
    };

    /// <summary>
    /// A pay-per-use order (every line with charging_mode 3): its resources exist at once (charge mode 3, no expiry) and
    /// the order is a completed new purchase of amount 0 — usage is charged hourly. A frozen customer cannot order.
    /// Idempotent by client token.
    /// </summary>
    public async Task<Order> CreateOrderAsync(Caller caller, NewOrder request, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, OrderActions.Create, ct);
        string customerId = caller.AccountId;
        string? placedBy = null;
        if (!string.IsNullOrEmpty(request.CustomerId) && request.CustomerId != caller.AccountId)
        {
            var partner = await partners.ActingPartnerAsync(caller, OrderActions.Create, request.IndirectPartnerId, PartnerNeed.Customers, ct);
            await partners.CustomerOfAsync(partner, request.CustomerId, ct);
            (customerId, placedBy) = (request.CustomerId, caller.AccountId);
        }
        if (request.Lines is not { Count: > 0 and <= OrderService.MaxLines } lines) throw Check.Invalid($"product_infos holds 1 to {OrderService.MaxLines} products.");
        var token = Check.Required(request.ClientToken, "client_token");
        if (token.Length > 64) throw Check.Invalid("client_token is at most 64 characters.");
        var fingerprint = Idempotency.Fingerprint(new { placedBy, products = lines });
        if (await keys.SeenAsync(OrderService.OrderKeyScope(customerId), token, fingerprint, ct) && await ExistingAsync(customerId, token, ct) is { } earlier)
            return earlier;
        if (await budgets.CannotTransactAsync(customerId, ct) is { } frozen) throw new ServiceException(frozen);
        if (await Billing.Overdue.RefusalForCustomerAsync(db, customerId, clock.GetUtcNow().UtcDateTime, ct) is { } overdue) throw new ServiceException(overdue);

        var now = clock.GetUtcNow().UtcDateTime;
        var orderId = "CS" + now.ToString("yyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture) + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 5);
        var orderLines = new List<OrderLine>();
        foreach (var l in lines)
        {
            if (l.ChargingMode != ChargeMode.OnDemand) throw Check.Invalid("An order is either all pay-per-use (charging_mode 3) or all yearly/monthly.");
            if (l.PeriodType is not null || l.PeriodNum is not null) throw Check.Invalid("A pay-per-use product has no period_type or period_num.");
            var service = Check.Required(l.CloudServiceType, "cloud_service_type");
            var type = Check.Required(l.ResourceType, "resource_type");
            var specCode = Check.Required(l.ResourceSpec, "resource_spec");
            var region = Check.Required(l.Region, "region");
            var count = l.SubscriptionNum ?? 1;
            if (count is < 1 or > RatingEngine.MaxSubscriptionNum) throw Check.Invalid($"subscription_num is 1 to {RatingEngine.MaxSubscriptionNum}.");
            var spec = await rating.SpecAsync(service, type, specCode, region, ct) ?? throw new ServiceException(Errors.ProductNotFound($"{service} / {type} / {specCode} in {region}."));
            if ((await rating.UsageFactorsAsync(spec.Id, ct)).Count == 0) throw new ServiceException(Errors.ProductNotFound($"{specCode} in {region} is not sold pay-per-use."));
            if (spec.IsLinear && (l.ResourceSize is not { } size || size != decimal.Truncate(size) || size < spec.MinSize || size > spec.MaxSize))
                throw Check.Invalid($"resource_size must be a whole number from {spec.MinSize} to {spec.MaxSize} for {spec.SpecCode}.");
            orderLines.Add(new OrderLine
            {
                Id = Ids.New(), OrderId = orderId, SpecId = spec.Id, ResourceId = Ids.New(), CloudServiceType = service, ResourceType = type, ResourceSpec = specCode,
                Region = region, ResourceSize = spec.IsLinear ? l.ResourceSize : null, SizeMeasureId = spec.IsLinear ? spec.SizeMeasureId : null,
                PeriodType = 0, PeriodNum = 0, SubscriptionNum = count, OfficialAmount = 0, SettlementAmount = 0,
            });
        }
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == customerId, ct);
        var order = new Order
        {
            Id = orderId, CustomerAccountId = customerId, ClientToken = token, OrderType = OrderType.NewPurchase,
            SourceType = placedBy is null ? OrderSource.Customer : OrderSource.Partner, Status = OrderStatus.Completed,
            ServiceTypeCode = orderLines[0].CloudServiceType, OfficialAmount = 0, AmountAfterDiscount = 0, SettlementAmount = 0,
            FundingPartnerAccountId = association?.AssociationType == AssociationTypes.Resale ? association.PartnerAccountId : null,
            CreatedByUserName = caller.UserName, PlacedByPartnerAccountId = placedBy, CreatedAt = now, PaymentDeadline = now, PaidAt = now,
            Lines = orderLines,
        };
        db.Orders.Add(order);
        foreach (var line in orderLines)
            for (var k = 0; k < line.SubscriptionNum; k++)
            {
                var id = ResourceFulfilment.ResourceIdOf(line, k);
                db.CloudResources.Add(new CloudResource
                {
                    Id = id, CustomerAccountId = customerId, Name = $"{line.ResourceSpec}-{id[..8]}", Region = line.Region, ServiceTypeCode = line.CloudServiceType,
                    ResourceTypeCode = line.ResourceType, SpecCode = line.ResourceSpec, SpecId = line.SpecId, SpecSize = line.ResourceSize,
                    SpecSizeMeasureId = line.SizeMeasureId, IsMain = true, OrderId = orderId, LastOrderId = orderId, ChargeMode = ChargeMode.OnDemand,
                    Status = ResourceStatus.InUse, ExpirePolicy = ExpirePolicy.EnterGrace, EffectiveTime = now, ExpireTime = null, UpdatedAt = now,
                });
            }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await keys.TakeAsync(OrderService.OrderKeyScope(customerId), token, fingerprint, ct))
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return order;
            }
        }
        catch (DbUpdateException) { }
        db.ChangeTracker.Clear();
        // The same request raced in twice: the first order wins and both requests answer it.
        return await ExistingAsync(customerId, token, ct) ?? throw new InvalidOperationException($"Order {orderId} collided with another order.");
    }

    Task<Order?> ExistingAsync(string customerId, string token, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.DiscountOptions).SingleOrDefaultAsync(o => o.CustomerAccountId == customerId && o.ClientToken == token, ct);

    /// <summary>ListCustomerOnDemandResources: a partner's customer's pay-per-use resources (CBC.99000035 for anyone else's customer).</summary>
    public async Task<(IReadOnlyList<CloudResource> Resources, int Total)> ListCustomerResourcesAsync(Caller caller, OnDemandFilter f, CancellationToken ct = default)
    {
        var partner = await partners.ActingPartnerAsync(caller, PartnerActions.ListCustomers, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var customer = Check.Required(f.CustomerId, "customer_id");
        await partners.CustomerOfAsync(partner, customer, ct);
        return await ResourcesOfAsync(customer, f, ct);
    }

    /// <summary>The caller's own pay-per-use resources, with the filters of ListCustomerOnDemandResources (its customer_id and indirect_partner_id unused).</summary>
    public async Task<(IReadOnlyList<CloudResource> Resources, int Total)> ListOwnResourcesAsync(Caller caller, OnDemandFilter f, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, UsageActions.ViewUsage, ct);
        return await ResourcesOfAsync(caller.AccountId, f, ct);
    }

    async Task<(IReadOnlyList<CloudResource> Resources, int Total)> ResourcesOfAsync(string customer, OnDemandFilter f, CancellationToken ct)
    {
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > MaxPageSize) throw Check.Invalid($"limit is 1 to {MaxPageSize}.");
        if (offset < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.ResourceIds is { Count: > 50 }) throw Check.Invalid("resource_ids holds at most 50 ids.");
        if (f.Status is { } st && st is < 1 or > 6) throw Check.Invalid("status is 1 to 6.");
        var q = db.CloudResources.AsNoTracking().Where(r => r.CustomerAccountId == customer && r.ChargeMode == ChargeMode.OnDemand);
        if (!string.IsNullOrEmpty(f.RegionCode)) q = q.Where(r => r.Region == f.RegionCode);
        if (!string.IsNullOrEmpty(f.ServiceTypeCode)) q = q.Where(r => r.ServiceTypeCode == f.ServiceTypeCode);
        if (f.ResourceIds is { Count: > 0 } ids) q = q.Where(r => ids.Contains(r.Id));
        if (f.EffectiveTimeBegin is { } b) q = q.Where(r => r.EffectiveTime >= b);
        if (f.EffectiveTimeEnd is { } e) q = q.Where(r => r.EffectiveTime <= e);
        if (f.Status is { } status)
        {
            var mapped = status switch { 1 => ResourceStatus.InUse, 2 => ResourceStatus.Expired, 3 => ResourceStatus.Frozen, 6 => ResourceStatus.Closed, _ => -1 };
            q = q.Where(r => r.Status == mapped);
        }
        var total = await q.CountAsync(ct);
        return (await q.OrderBy(r => r.EffectiveTime).ThenBy(r => r.Id).Skip(offset).Take(limit).ToListAsync(ct), total);
    }

    /// <summary>
    /// Fee records, newest hour first, with the totals of every record the filter matches: the caller's own, or (a
    /// partner, with <see cref="UsageFeeFilter.CustomerId"/>) its customer's — CBC.99000035 for anyone else's customer.
    /// </summary>
    public async Task<(IReadOnlyList<UsageFeeView> Fees, UsageFeeTotals Totals)> ListFeesAsync(Caller caller, UsageFeeFilter f, CancellationToken ct = default)
    {
        string customer;
        if ((string.IsNullOrEmpty(f.CustomerId) || f.CustomerId == caller.AccountId) && string.IsNullOrEmpty(f.IndirectPartnerId))
        {
            await access.RequireAsync(caller, UsageActions.ViewUsage, ct);
            customer = caller.AccountId;
        }
        else
        {
            var partner = await partners.ActingPartnerAsync(caller, PartnerActions.ListCustomers, f.IndirectPartnerId, PartnerNeed.Customers, ct);
            customer = (await partners.CustomerOfAsync(partner, f.CustomerId, ct)).CustomerAccountId;
        }
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > MaxPageSize) throw Check.Invalid($"limit is 1 to {MaxPageSize}.");
        if (offset < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.HourBegin is { } begin && f.HourEnd is { } end && end <= begin) throw Check.Invalid("The end of the hours must be after their beginning.");

        var q = db.UsageFeeHours.AsNoTracking().Where(x => x.CustomerAccountId == customer);
        if (f.HourBegin is { } b) q = q.Where(x => x.Hour >= b);
        if (f.HourEnd is { } e) q = q.Where(x => x.Hour < e);
        // Newest hour first; within an hour by resource, factor and run. Without a resource the totals are the rows' own
        // and the stream stops at the page's end; with one, every fee of the hours is looked at.
        var byResource = !string.IsNullOrEmpty(f.ResourceId);
        var totals = byResource ? new UsageFeeTotals(0, 0, 0, 0)
            : await q.GroupBy(_ => 1).Select(g => new UsageFeeTotals(g.Sum(x => x.Fees), g.Sum(x => x.OfficialAmount), g.Sum(x => x.Amount), g.Sum(x => x.SettlementAmount)))
                  .SingleOrDefaultAsync(ct) ?? new UsageFeeTotals(0, 0, 0, 0);
        var fees = new List<UsageFee>();
        var hour = new List<UsageFee>();
        var seen = 0;
        void EndHour()
        {
            fees.AddRange(hour.OrderBy(x => x.ResourceId, StringComparer.Ordinal).ThenBy(x => x.UsageFactor, StringComparer.Ordinal).ThenBy(x => x.RatingPeriod)
                .Skip(Math.Max(0, offset - seen)).Take(limit - fees.Count));
            seen += hour.Count;
            hour.Clear();
        }
        await foreach (var x in UsageFees.ReadAsync(db, q.OrderByDescending(x => x.Hour).ThenBy(x => x.RatingPeriod), [customer], ct).WithCancellation(ct))
        {
            if (byResource && x.ResourceId != f.ResourceId) continue;
            if (hour.Count > 0 && hour[0].Hour != x.Hour) EndHour();
            if (!byResource && fees.Count == limit) break;
            hour.Add(x);
            if (byResource) totals = new UsageFeeTotals(totals.Records + 1, totals.OfficialAmount + x.OfficialAmount, totals.Amount + x.Amount,
                totals.SettlementAmount + x.SettlementAmount);
        }
        EndHour();
        var ids = fees.Select(x => x.ResourceId).Distinct().ToList();
        var names = await db.CloudResources.AsNoTracking().Where(r => r.CustomerAccountId == customer && ids.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => (r.Name, r.SpecCode), ct);
        return (fees.Select(x => names.TryGetValue(x.ResourceId, out var n) ? new UsageFeeView(x, n.Name, n.SpecCode) : new UsageFeeView(x, x.ResourceId, "")).ToList(), totals);
    }

    /// <summary>The caller's own pay-per-use position: arrears, what is not yet deducted, and grace or retention with their end.</summary>
    public async Task<UsagePosition> PositionAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, UsageActions.ViewUsage, ct);
        var customer = caller.AccountId;
        var resale = await db.CustomerAssociations.AsNoTracking().AnyAsync(a => a.CustomerAccountId == customer && a.AssociationType == AssociationTypes.Resale, ct);
        var arrearsId = Ledger.LedgerBook.AccountId(Ledger.LedgerAccountKind.CustomerArrears, customer);
        var arrears = await db.LedgerAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == arrearsId, ct);
        var owed = Math.Max(0, -(arrears?.Balance ?? 0));
        var totals = await db.UsageAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == customer, ct);
        var pending = totals is null ? 0 : resale ? totals.AccruedOfficial - totals.SpentOfficial : totals.Accrued - totals.Deducted;
        var held = await db.CloudResources.AsNoTracking()
            .Where(r => r.CustomerAccountId == customer && r.ChargeMode == ChargeMode.OnDemand && (r.Status == ResourceStatus.Expired || r.Status == ResourceStatus.Frozen))
            .Select(r => new { r.Status, r.StatusChangedAt }).ToListAsync(ct);
        // Resources move on together (the hourly run changes all of a customer's at once); the earliest change decides.
        DateTime? Since(int status) => held.Where(r => r.Status == status).Min(r => r.StatusChangedAt);
        if (held.Any(r => r.Status == ResourceStatus.Frozen))
        {
            var since = Since(ResourceStatus.Frozen);
            return new UsagePosition(resale, owed, pending, UsageStanding.Retention, since, since + UsageCharging.RetentionPeriod);
        }
        if (held.Count > 0)
        {
            var since = Since(ResourceStatus.Expired);
            return new UsagePosition(resale, owed, pending, UsageStanding.Grace, since, since + UsageCharging.GracePeriod);
        }
        return new UsagePosition(resale, owed, pending, owed > 0 ? UsageStanding.Owed : UsageStanding.Clear, null, null);
    }

    /// <summary>The operator grants a customer a free-resource package, consumed by matching usage before it is rated.</summary>
    public async Task<FreeResourcePackage> GrantFreePackageAsync(Caller caller, FreePackageGrant g, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("grant free-resource packages"));
        var customer = Check.Required(g.CustomerId, "customer_id");
        if (!await db.Accounts.AnyAsync(a => a.Id == customer && !a.IsOperator, ct)) throw Check.Invalid("customer_id is not a customer account.");
        var service = Check.Required(g.ServiceTypeCode, "service_type_code");
        var type = Check.Required(g.ResourceTypeCode, "resource_type_code");
        var region = Check.Required(g.Region, "region_code");
        var factor = Check.Required(g.UsageFactor, "usage_factor");
        var usageType = await db.UsageTypes.AsNoTracking().SingleOrDefaultAsync(u => u.ServiceTypeCode == service && u.ResourceTypeCode == type && u.Code == factor, ct)
                        ?? throw new ServiceException(Errors.ProductNotFound($"{service} / {type} has no usage factor {factor}."));
        if (!string.IsNullOrEmpty(g.ResourceSpec) && await rating.SpecAsync(service, type, g.ResourceSpec, region, ct) is null)
            throw new ServiceException(Errors.ProductNotFound($"{g.ResourceSpec} in {region}."));
        if (g.Amount is not { } amount || amount <= 0 || amount > 1_000_000_000m || !Money.HasAtMostEightDecimals(amount))
            throw Check.Invalid("amount is more than 0 with at most 8 decimal places.");
        var measure = g.MeasureId ?? usageType.UsageMeasureId;
        var conversions = await db.MeasureConversions.AsNoTracking().ToListAsync(ct);
        if (RatingEngine.ConversionFactor(conversions, measure, usageType.UsageMeasureId) is null)
            throw new ServiceException(Errors.WrongUsageUnit($"measure_id {measure} does not convert to the unit of {factor} (measure {usageType.UsageMeasureId})."));
        var now = clock.GetUtcNow().UtcDateTime;
        var effective = g.EffectiveTime ?? now;
        var expire = g.ExpireTime ?? effective.AddMonths(1);
        if (expire <= effective) throw Check.Invalid("expire_time must be after effective_time.");
        var name = g.ProductName ?? $"{factor} package {amount} ({service})";
        if (name.Length > 128) throw Check.Invalid("product_name is at most 128 characters.");
        var package = new FreeResourcePackage
        {
            Id = Ids.New(), FreeResourceId = Ids.New(), CustomerAccountId = customer, ProductName = name, ServiceTypeCode = service, ResourceTypeCode = type,
            Region = region, SpecCode = string.IsNullOrEmpty(g.ResourceSpec) ? null : g.ResourceSpec, UsageFactor = factor, MeasureId = measure,
            OriginalAmount = amount, Remaining = amount, EffectiveTime = effective, ExpireTime = expire, GrantedBy = caller.UserName, CreatedAt = now,
        };
        db.FreeResourcePackages.Add(package);
        await db.SaveChangesAsync(ct);
        return package;
    }

    /// <summary>ListFreeResourceInfos: the caller's own packages.</summary>
    public async Task<(IReadOnlyList<FreeResourcePackage> Packages, int Total)> ListFreePackagesAsync(Caller caller, FreePackageFilter f, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, UsageActions.ViewFreeResources, ct);
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > MaxPageSize) throw Check.Invalid($"limit is 1 to {MaxPageSize}.");
        if (offset < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.Status is { } st && st is < 0 or > 4) throw Check.Invalid("status is 0 to 4.");
        var q = db.FreeResourcePackages.AsNoTracking().Where(p => p.CustomerAccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(f.RegionCode)) q = q.Where(p => p.Region == f.RegionCode);
        if (!string.IsNullOrEmpty(f.ProductId)) q = q.Where(p => p.Id == f.ProductId);
        if (!string.IsNullOrEmpty(f.OrderId)) q = q.Where(_ => false); // granted packages have no order
        if (!string.IsNullOrEmpty(f.ProductName)) q = q.Where(p => p.ProductName.Contains(f.ProductName));
        if (f.ServiceTypeCodes is { Count: > 0 } codes)
        {
            var lower = codes.Select(c => c.ToLowerInvariant()).ToList();
            q = q.Where(p => lower.Contains(p.ServiceTypeCode.ToLower()));
        }
        var all = await q.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (f.Status is { } status) all = all.Where(p => p.StatusAt(now) == status).ToList();
        return (all.Skip(offset).Take(limit).ToList(), all.Count);
    }

    /// <summary>The catalog's display names of these service and resource type codes (a code the catalog lacks names itself).</summary>
    public async Task<IReadOnlyDictionary<string, string>> TypeNamesAsync(IEnumerable<string> codes, CancellationToken ct = default)
    {
        var wanted = codes.Distinct().ToList();
        var names = await db.ServiceTypes.AsNoTracking().Where(t => wanted.Contains(t.Code)).Select(t => new { t.Code, t.Name })
            .Concat(db.ResourceTypes.AsNoTracking().Where(t => wanted.Contains(t.Code)).Select(t => new { t.Code, t.Name })).ToListAsync(ct);
        var byCode = names.GroupBy(n => n.Code).ToDictionary(g => g.Key, g => g.First().Name);
        return wanted.ToDictionary(c => c, c => byCode.GetValueOrDefault(c, c));
    }

    /// <summary>ListFreeResourceUsages: the remaining and original amounts of the caller's free resource items.</summary>
    public async Task<IReadOnlyList<FreeResourcePackage>> FreeResourceUsagesAsync(Caller caller, IReadOnlyList<string>? freeResourceIds, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, UsageActions.ViewFreeResources, ct);
        if (freeResourceIds is not { Count: > 0 and <= 100 } ids) throw Check.Invalid("free_resource_ids holds 1 to 100 ids.");
        if (ids.Any(i => string.IsNullOrEmpty(i) || i.Length > 64)) throw Check.Invalid("A free_resource_id is 1 to 64 characters.");
        return await db.FreeResourcePackages.AsNoTracking().Where(p => p.CustomerAccountId == caller.AccountId && ids.Contains(p.FreeResourceId))
            .OrderBy(p => p.ExpireTime).ToListAsync(ct);
    }
}

/// <summary>An account with pay-per-use resources not yet released, or pay-per-use debt, cannot be closed.</summary>
public sealed class UsageClosureCheck(AppDbContext db) : Accounts.IAccountClosureCheck
{
    public async Task<string?> ReasonToKeepOpenAsync(string accountId, CancellationToken ct)
    {
        if (await db.CloudResources.AnyAsync(r => r.CustomerAccountId == accountId && r.ChargeMode == ChargeMode.OnDemand && r.Status != ResourceStatus.Closed, ct))
            return "it has pay-per-use resources; delete them first.";
        var arrears = Ledger.LedgerBook.AccountId(Ledger.LedgerAccountKind.CustomerArrears, accountId);
        if (await db.LedgerAccounts.AnyAsync(a => a.Id == arrears && a.Balance < 0, ct)) return "it owes pay-per-use arrears.";
        return null;
    }
}
