using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Coupons;

public static class CouponActions
{
    public const string View = "bss:coupon:view";
    public const string Issue = "bss:coupon:issue";
    public const string Reclaim = "bss:coupon:reclaim";
    public const string AdjustQuota = "bss:couponQuota:adjust";
}

/// <summary>The operator's grant of a coupon quota to a partner.</summary>
public sealed record NewCouponQuota(int? QuotaType, decimal? QuotaValue, DateTime? EffectiveTime, DateTime? ExpireTime, decimal? MinFaceValue, decimal? MaxFaceValue,
    IReadOnlyList<string?>? CloudServiceTypes, IReadOnlyList<string?>? ProductIds);

public sealed record QuotaFilter(IReadOnlyList<string?>? QuotaIds, IReadOnlyList<int>? Statuses, int? QuotaType, DateTime? CreateBegin, DateTime? CreateEnd,
    DateTime? EffectiveBegin, DateTime? EffectiveEnd, DateTime? ExpireBegin, DateTime? ExpireEnd, int? Offset, int? Limit, string? IndirectPartnerId);

/// <summary>A quota as listed, with its status as of now (an expired quota reads 3, invalid) and, for a reseller's, who holds it.</summary>
public sealed record QuotaView(CouponQuota Quota, int Status, string? ResellerPartnerId, string? ResellerAccountName, string? ResellerName);

/// <summary>Per-item outcome of a batch: the item's id and its error, or its result.</summary>
public sealed record BatchError(string Id, Error Error);

public sealed record QuotaRecordFilter(string? IndirectPartnerId, string? QuotaId, DateTime? Begin, DateTime? End, string? ParentQuotaId, string? OperationType, int? Offset, int? Limit);

public sealed record QuotaRecordView(CouponQuotaRecord Record, string ResellerPartnerId, string ResellerAccountName, string ResellerName);

/// <summary>
/// Coupon quotas: the operator grants a partner a quota (how much coupon value it may issue, of one type, in a time
/// window, within face-value and product limits); a distributor hands part of one to a reseller as a child quota
/// (UpdateCouponQuotas) and takes what is left of it back (ReclaimCouponQuotas), each idempotent with a client token. A quota is not ledger money: the value
/// reaches the ledger when a coupon is issued from it. Balances move by conditional updates, so concurrent issues and
/// delegations never take more than a quota holds.
/// </summary>
public sealed class CouponQuotaService(AppDbContext db, PartnerScope scope, Idempotency keys, TimeProvider clock)
{
    public const decimal MaxQuotaValue = 100_000_000m;
    public const int MaxLimit = 100, MaxBatch = 100, MaxLimitItems = 10;

    /// <summary>The operator grants <paramref name="partnerAccountId"/> a quota; the partner is told.</summary>
    public async Task<CouponQuota> GrantAsync(Caller caller, string? partnerAccountId, NewCouponQuota q, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("grant coupon quotas"));
        var partner = Check.Required(partnerAccountId, "partner_account_id");
        if (!await db.Partners.AnyAsync(p => p.AccountId == partner, ct)) throw new ServiceException(Errors.NotAPartner());
        var type = q.QuotaType ?? CouponCodes.CashQuota;
        if (type is not (CouponCodes.CashQuota or CouponCodes.FlexiQuota)) throw Check.Invalid("quota_type is 0 (cash coupon quota) or 1 (flexi-purchase coupon quota).");
        var value = Amount(q.QuotaValue, "quota_value", MaxQuotaValue);
        var now = clock.GetUtcNow().UtcDateTime;
        // Whole seconds, as the API writes times: a coupon issued "now" is then within the quota's window.
        var effective = q.EffectiveTime ?? now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var expire = q.ExpireTime ?? throw Check.Invalid("expire_time is required.");
        if (expire <= effective || expire <= now) throw Check.Invalid("expire_time is in the future and after effective_time.");
        var min = q.MinFaceValue is null ? 0.01m : Amount(q.MinFaceValue, "min_face_value", MaxQuotaValue);
        var max = q.MaxFaceValue is null ? value : Amount(q.MaxFaceValue, "max_face_value", MaxQuotaValue);
        if (min > max) throw Check.Invalid("min_face_value is at most max_face_value.");
        var services = await CouponLimits.ServiceTypesAsync(db, q.CloudServiceTypes, ct);
        var products = await CouponLimits.ProductsAsync(db, q.ProductIds, ct);
        var quota = new CouponQuota
        {
            Id = Ids.New(), PartnerAccountId = partner, QuotaType = type, QuotaValue = value, Balance = value, Status = CouponCodes.QuotaNormal,
            EffectiveTime = effective, ExpireTime = expire, MinFaceValue = min, MaxFaceValue = max,
            ServiceTypes = CouponLimits.Join(services), ProductIds = CouponLimits.Join(products), CreatedAt = now, UpdatedAt = now,
        };
        db.CouponQuotas.Add(quota);
        db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partner, CustomerAccountId = partner, Kind = "coupons.quota", CreatedAt = now,
            Message = $"You were granted a coupon quota of {Text(value)} USD until {expire:yyyy-MM-dd HH:mm} UTC.",
        });
        await db.SaveChangesAsync(ct);
        return quota;
    }

    /// <summary>ListQuotaCoupons: the acting partner's quotas (a distributor names its reseller with indirect_partner_id).</summary>
    public async Task<(IReadOnlyList<QuotaView> Quotas, int Total)> ListAsync(Caller caller, QuotaFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, CouponActions.View, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        if (f.QuotaIds is { Count: > MaxBatch }) throw Check.Invalid($"quota_ids holds at most {MaxBatch} ids.");
        if (f.QuotaIds?.Any(id => id is null || id.Length > 64) == true) throw Check.Invalid("Every quota id is 1 to 64 characters.");
        if (f.Statuses?.Any(s => s is not (0 or 3 or 4 or 5)) == true) throw Check.Invalid("quota_status_list holds 0, 3, 4 or 5.");
        if (f.QuotaType is not (null or 0 or 1)) throw Check.Invalid("quota_type is 0 or 1.");
        Page(f.Offset, f.Limit);
        var now = clock.GetUtcNow().UtcDateTime;
        var q = db.CouponQuotas.AsNoTracking().Where(x => x.PartnerAccountId == partner.AccountId);
        if (f.QuotaIds is { Count: > 0 } ids) q = q.Where(x => ids.Contains(x.Id));
        if (f.QuotaType is { } t) q = q.Where(x => x.QuotaType == t);
        if (f.Statuses is { Count: > 0 } st)
        {
            var invalid = st.Contains(CouponCodes.QuotaInvalid);
            q = q.Where(x => (st.Contains(x.Status) && x.ExpireTime > now) || (invalid && x.ExpireTime <= now));
        }
        if (f.CreateBegin is { } cb) q = q.Where(x => x.CreatedAt >= cb);
        if (f.CreateEnd is { } ce) q = q.Where(x => x.CreatedAt <= ce);
        if (f.EffectiveBegin is { } eb) q = q.Where(x => x.EffectiveTime >= eb);
        if (f.EffectiveEnd is { } ee) q = q.Where(x => x.EffectiveTime <= ee);
        if (f.ExpireBegin is { } xb) q = q.Where(x => x.ExpireTime >= xb);
        if (f.ExpireEnd is { } xe) q = q.Where(x => x.ExpireTime <= xe);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.CreatedAt).ThenBy(x => x.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct);
        return (page.Select(x => new QuotaView(x, StatusOf(x, now), null, null, null)).ToList(), total);
    }

    /// <summary>
    /// UpdateCouponQuotas: a distributor gives each named reseller a child quota of <paramref name="amount"/> out of its
    /// quota. Each reseller succeeds or fails alone (HTTP 200 with error_details); a failure moves nothing. The batch is
    /// one transaction. With a client token the request is idempotent: the same request again answers what the first
    /// answered and delegates nothing more; the token with another request is 409.
    /// </summary>
    public async Task<(IReadOnlyList<(string ResellerId, string QuotaId)> Done, IReadOnlyList<BatchError> Errors)> DelegateAsync(
        Caller caller, string? quotaId, IReadOnlyList<string?>? resellerIds, decimal? amount, string? clientToken = null, CancellationToken ct = default)
    {
        var own = await DistributorAsync(caller, ct);
        var id = Check.Required(quotaId, "quota_id");
        Check.MaxLength(id, "quota_id", 64);
        if (resellerIds is not { Count: > 0 and <= MaxBatch }) throw Check.Invalid($"indirect_partner_ids holds 1 to {MaxBatch} resellers.");
        if (resellerIds.Any(r => string.IsNullOrEmpty(r) || r.Length > 64)) throw Check.Invalid("Every indirect partner id is 1 to 64 characters.");
        var value = Amount(amount, "quota_amount", MaxQuotaValue);
        var token = Token(clientToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var named = resellerIds.Select(r => r!).Distinct().ToList();
        // Read before the transaction, which then only writes (SQLite takes its write lock at the first statement).
        var parent = await db.CouponQuotas.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id && x.PartnerAccountId == own.AccountId, ct);
        var resellers = await db.Partners.AsNoTracking().Where(p => named.Contains(p.PartnerId) && p.DistributorAccountId == own.AccountId)
            .ToDictionaryAsync(p => p.PartnerId, ct);

        var scope = $"coupon-quota-delegations:{own.AccountId}";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (token is not null && !await keys.TakeAsync(scope, token, Idempotency.Fingerprint(new { id, named, value }), ct))
        {
            var earlier = await KeptAnswer<Delegated>.ReadAsync(db, scope, token, ct);
            return (earlier.Done.Select(d => (d.ResellerId, d.QuotaId)).ToList(), earlier.Errors);
        }
        if (parent is null || parent.Status != CouponCodes.QuotaNormal) throw new ServiceException(Errors.CouponQuotaUnusable());
        if (parent.ExpireTime <= now) throw new ServiceException(Errors.CouponQuotaNotEffective());

        var done = new List<Delegated>();
        var errors = new List<BatchError>();
        foreach (var resellerId in named)
        {
            if (!resellers.TryGetValue(resellerId, out var reseller)) { errors.Add(new(resellerId, Errors.NotYourReseller())); continue; }
            if (await db.CouponQuotas.Where(x => x.Id == parent.Id && x.Balance >= value)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Balance, x => x.Balance - value).SetProperty(x => x.UpdatedAt, now), ct) == 0)
            {
                errors.Add(new(resellerId, Errors.CouponQuotaInsufficient()));
                continue;
            }
            var child = new CouponQuota
            {
                Id = Ids.New(), PartnerAccountId = reseller.AccountId, ParentQuotaId = parent.Id, QuotaType = parent.QuotaType, QuotaValue = value, Balance = value,
                Status = CouponCodes.QuotaNormal, EffectiveTime = parent.EffectiveTime, ExpireTime = parent.ExpireTime, MinFaceValue = parent.MinFaceValue,
                MaxFaceValue = Math.Min(parent.MaxFaceValue, value), ServiceTypes = parent.ServiceTypes, ProductIds = parent.ProductIds, CreatedAt = now, UpdatedAt = now,
            };
            db.CouponQuotas.Add(child);
            db.CouponQuotaRecords.Add(new CouponQuotaRecord
            {
                DistributorAccountId = own.AccountId, ResellerAccountId = reseller.AccountId, QuotaId = child.Id, ParentQuotaId = parent.Id, OperationType = "10",
                Amount = value, At = now, Operator = caller.UserName,
            });
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = reseller.AccountId, CustomerAccountId = reseller.AccountId, Kind = "coupons.quota", CreatedAt = now,
                Message = $"Your distributor gave you a coupon quota of {Text(value)} USD until {parent.ExpireTime:yyyy-MM-dd HH:mm} UTC.",
            });
            done.Add(new(resellerId, child.Id));
        }
        if (token is not null) KeptAnswer<Delegated>.Keep(db, scope, token, done, errors);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (done.Select(d => (d.ResellerId, d.QuotaId)).ToList(), errors);
    }

    /// <summary>
    /// ReclaimCouponQuotas: what is left of each named child quota goes back to the distributor's quota it came from; the
    /// child ends (status 3). One transaction; idempotent with a client token, as <see cref="DelegateAsync"/>.
    /// </summary>
    public async Task<(IReadOnlyList<(string QuotaId, decimal Reclaimed)> Done, IReadOnlyList<BatchError> Errors)> ReclaimAsync(
        Caller caller, IReadOnlyList<string?>? quotaIds, string? remark, string? clientToken = null, CancellationToken ct = default)
    {
        var own = await DistributorAsync(caller, ct);
        if (quotaIds is not { Count: > 0 and <= MaxBatch }) throw Check.Invalid($"quota_ids holds 1 to {MaxBatch} quota ids.");
        if (quotaIds.Any(r => string.IsNullOrEmpty(r) || r.Length > 64)) throw Check.Invalid("Every quota id is 1 to 64 characters.");
        var note = Check.MaxLength(remark, "remark", 512);
        var token = Token(clientToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var named = quotaIds.Select(x => x!).Distinct().ToList();
        var children = await db.CouponQuotas.AsNoTracking().Where(x => named.Contains(x.Id) && x.ParentQuotaId != null && x.Status == CouponCodes.QuotaNormal
            && db.CouponQuotas.Any(p => p.Id == x.ParentQuotaId && p.PartnerAccountId == own.AccountId)).ToDictionaryAsync(x => x.Id, ct);

        var scope = $"coupon-quota-reclaims:{own.AccountId}";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (token is not null && !await keys.TakeAsync(scope, token, Idempotency.Fingerprint(new { named, note }), ct))
        {
            var earlier = await KeptAnswer<Reclaimed>.ReadAsync(db, scope, token, ct);
            return (earlier.Done.Select(d => (d.QuotaId, d.Amount)).ToList(), earlier.Errors);
        }
        var done = new List<Reclaimed>();
        var errors = new List<BatchError>();
        foreach (var id in named)
        {
            if (!children.TryGetValue(id, out var child)) { errors.Add(new(id, Errors.CouponQuotaUnusable())); continue; }
            // The balance read is zeroed by a conditional update, so an issue from the child meanwhile is either before (less comes back) or refused.
            var left = child.Balance;
            if (await db.CouponQuotas.Where(x => x.Id == id && x.Balance == left && x.Status == CouponCodes.QuotaNormal)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Balance, 0m).SetProperty(x => x.Status, CouponCodes.QuotaInvalid).SetProperty(x => x.UpdatedAt, now), ct) == 0)
            {
                errors.Add(new(id, Errors.FundsChangedTryAgain()));
                continue;
            }
            if (left > 0)
                await db.CouponQuotas.Where(x => x.Id == child.ParentQuotaId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Balance, x => x.Balance + left).SetProperty(x => x.UpdatedAt, now), ct);
            db.CouponQuotaRecords.Add(new CouponQuotaRecord
            {
                DistributorAccountId = own.AccountId, ResellerAccountId = child.PartnerAccountId, QuotaId = id, ParentQuotaId = child.ParentQuotaId!, OperationType = "11",
                Amount = left, At = now, Operator = caller.UserName, Remark = note,
            });
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = child.PartnerAccountId, CustomerAccountId = child.PartnerAccountId, Kind = "coupons.quota", CreatedAt = now,
                Message = $"Your distributor reclaimed your coupon quota {id} ({Text(left)} USD left of it).",
            });
            done.Add(new(id, left));
        }
        if (token is not null) KeptAnswer<Reclaimed>.Keep(db, scope, token, done, errors);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (done.Select(d => (d.QuotaId, d.Amount)).ToList(), errors);
    }

    sealed record Delegated(string ResellerId, string QuotaId);
    sealed record Reclaimed(string QuotaId, decimal Amount);

    static string? Token(string? clientToken) => string.IsNullOrEmpty(clientToken) ? null : Check.MaxLength(clientToken, "client_token", 64);

    /// <summary>ListIssuedCouponQuotas: the child quotas a distributor gave its resellers.</summary>
    public async Task<(IReadOnlyList<QuotaView> Quotas, int Total)> IssuedAsync(Caller caller, string? quotaId, string? indirectPartnerId, string? parentQuotaId,
        int? offset, int? limit, CancellationToken ct = default)
    {
        var own = await DistributorAsync(caller, ct, CouponActions.View);
        Check.MaxLength(quotaId, "quota_id", 64);
        Check.MaxLength(indirectPartnerId, "indirect_partner_id", 64);
        Check.MaxLength(parentQuotaId, "parent_quota_id", 64);
        Page(offset, limit);
        var now = clock.GetUtcNow().UtcDateTime;
        var q = from c in db.CouponQuotas.AsNoTracking()
                join p in db.CouponQuotas.AsNoTracking() on c.ParentQuotaId equals p.Id
                join r in db.Partners.AsNoTracking() on c.PartnerAccountId equals r.AccountId
                join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                where p.PartnerAccountId == own.AccountId
                select new { c, r.PartnerId, a.Name, r.CompanyName };
        if (!string.IsNullOrEmpty(quotaId)) q = q.Where(x => x.c.Id == quotaId);
        if (!string.IsNullOrEmpty(indirectPartnerId)) q = q.Where(x => x.PartnerId == indirectPartnerId);
        if (!string.IsNullOrEmpty(parentQuotaId)) q = q.Where(x => x.c.ParentQuotaId == parentQuotaId);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.c.CreatedAt).ThenBy(x => x.c.Id).Skip(offset ?? 0).Take(limit ?? 10).ToListAsync(ct);
        return (page.Select(x => new QuotaView(x.c, StatusOf(x.c, now), x.PartnerId, x.Name, x.CompanyName)).ToList(), total);
    }

    /// <summary>ListCouponQuotasRecords: the distributor's delegations (10) and reclaims (11), newest first.</summary>
    public async Task<(IReadOnlyList<QuotaRecordView> Records, int Total)> RecordsAsync(Caller caller, QuotaRecordFilter f, CancellationToken ct = default)
    {
        var own = await DistributorAsync(caller, ct, CouponActions.View);
        Check.MaxLength(f.QuotaId, "quota_id", 64);
        Check.MaxLength(f.IndirectPartnerId, "indirect_partner_id", 64);
        Check.MaxLength(f.ParentQuotaId, "parent_quota_id", 64);
        if (f.OperationType is not (null or "" or "10" or "11")) throw Check.Invalid("operation_type is 10 (issued) or 11 (reclaimed).");
        if (f.Begin > f.End) throw Check.Invalid("operation_time_begin is not after operation_time_end.");
        Page(f.Offset, f.Limit);
        var q = from x in db.CouponQuotaRecords.AsNoTracking()
                join r in db.Partners.AsNoTracking() on x.ResellerAccountId equals r.AccountId
                join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                where x.DistributorAccountId == own.AccountId
                select new { x, r.PartnerId, a.Name, r.CompanyName };
        if (!string.IsNullOrEmpty(f.QuotaId)) q = q.Where(y => y.x.QuotaId == f.QuotaId);
        if (!string.IsNullOrEmpty(f.ParentQuotaId)) q = q.Where(y => y.x.ParentQuotaId == f.ParentQuotaId);
        if (!string.IsNullOrEmpty(f.IndirectPartnerId)) q = q.Where(y => y.PartnerId == f.IndirectPartnerId);
        if (!string.IsNullOrEmpty(f.OperationType)) q = q.Where(y => y.x.OperationType == f.OperationType);
        if (f.Begin is { } b) q = q.Where(y => y.x.At >= b);
        if (f.End is { } e) q = q.Where(y => y.x.At <= e);
        var total = await q.CountAsync(ct);
        var page = await q.OrderByDescending(y => y.x.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct);
        return (page.Select(y => new QuotaRecordView(y.x, y.PartnerId, y.Name, y.CompanyName)).ToList(), total);
    }

    async Task<Partner> DistributorAsync(Caller caller, CancellationToken ct, string action = CouponActions.AdjustQuota)
    {
        var own = await scope.ActingPartnerAsync(caller, action, null, PartnerNeed.Customers, ct);
        return own.Program == PartnerProgram.Distributor ? own : throw new ServiceException(Errors.NotYourReseller());
    }

    public static int StatusOf(CouponQuota q, DateTime now) => q.ExpireTime <= now ? CouponCodes.QuotaInvalid : q.Status;

    internal static decimal Amount(decimal? amount, string field, decimal max)
    {
        var value = amount ?? throw Check.Invalid($"{field} is required.");
        return value > 0 && value <= max && Money.HasAtMostTwoDecimals(value)
            ? value
            : throw Check.Invalid($"{field} is more than 0 and at most {max.ToString("0.00", CultureInfo.InvariantCulture)} with at most 2 decimals.");
    }

    internal static void Page(int? offset, int? limit)
    {
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
    }

    internal static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Service-type and product limits of quotas and coupons: comma-joined codes, empty meaning any.</summary>
public static class CouponLimits
{
    public static string Join(IEnumerable<string> items) => string.Join(",", items);

    public static IReadOnlyList<string> Split(string joined) => joined.Length == 0 ? [] : joined.Split(',');

    public static async Task<List<string>> ServiceTypesAsync(AppDbContext db, IReadOnlyList<string?>? codes, CancellationToken ct)
    {
        var list = Items(codes, "cloud_service_types");
        var known = await db.ServiceTypes.AsNoTracking().Where(s => list.Contains(s.Code)).Select(s => s.Code).ToListAsync(ct);
        if (list.FirstOrDefault(c => !known.Contains(c)) is { } missing) throw new ServiceException(Errors.ServiceTypeNotFound(missing));
        return list;
    }

    public static async Task<List<string>> ProductsAsync(AppDbContext db, IReadOnlyList<string?>? ids, CancellationToken ct)
    {
        var list = Items(ids, "product_ids");
        var known = await db.ResourceSpecs.AsNoTracking().Where(s => list.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        if (list.FirstOrDefault(c => !known.Contains(c)) is { } missing) throw new ServiceException(Errors.CouponProductNotFound(missing));
        return list;
    }

    static List<string> Items(IReadOnlyList<string?>? items, string field)
    {
        if (items is null) return [];
        if (items.Count > CouponQuotaService.MaxLimitItems) throw Check.Invalid($"{field} holds at most {CouponQuotaService.MaxLimitItems} items.");
        if (items.Any(i => string.IsNullOrEmpty(i) || i.Length > 64 || i.Contains(','))) throw Check.Invalid($"Every item of {field} is 1 to 64 characters without commas.");
        return items.Select(i => i!).Distinct().ToList();
    }

    /// <summary>Whether an order line is within limits (each list empty or containing the line's service / product).</summary>
    public static bool Covers(string services, string products, string serviceType, string productId) =>
        (services.Length == 0 || Split(services).Contains(serviceType)) && (products.Length == 0 || Split(products).Contains(productId));
}
