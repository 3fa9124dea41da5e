using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace PartnerCenter.Simulation;

/// <summary>A coupon as the model expects it: whose, from which partner (none: the platform's), and what is left of it.</summary>
public sealed class MCoupon
{
    public required string Id { get; init; }
    public required MCustomer Customer { get; init; }
    public required MPartner? Partner { get; init; }
    /// <summary>An enterprise member's coupon: the master's coupon it was transferred from (see EnterpriseTransfers.cs).</summary>
    public MCoupon? From { get; init; }
    public decimal Balance { get; set; }
    public int Status { get; set; } = CouponCodes.Usable;
    public DateTime ExpireTime { get; init; }
}

/// <summary>
/// Coupons in the seeded simulation: partners issue coupons from an operator's quota and reclaim them; dissolving
/// reclaims the rest; resale customers pay orders with them (partly, or refused whole); the hourly job expires them.
/// </summary>
public sealed partial class SimulationDriver
{
    /// <summary>Quotas outlast any run; some coupons expire within hours or days of being issued.</summary>
    static readonly TimeSpan QuotaLife = TimeSpan.FromDays(3650);

    /// <summary>What the clock step's expiry runs must move: each expired coupon's balance back to the platform.</summary>
    readonly Dictionary<string, decimal> expiryDeltas = new(StringComparer.Ordinal);

    /// <summary>A partner issues a coupon to its resale customer (granted a quota by the operator first if it has none); sometimes more than the quota holds.</summary>
    async Task IssueCouponAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        var c = Pick(resale);
        var p = c.Partner!;
        touchedCustomers.Add(c);
        if (!model.CouponQuotas.ContainsKey(p.Id))
        {
            var value = Amount(50, 150);
            var (granted, quota) = await CallAsync($"grant coupon quota {value:0.00} to {p.Handle}", null, sp => sp.GetRequiredService<CouponQuotaService>().GrantAsync(host.Operator, p.Id,
                new NewCouponQuota(0, value, null, Now + QuotaLife, null, null, null, null)));
            if (granted) Expect(Nothing(), () => model.CouponQuotas[p.Id] = (quota!.Id, value));
            return;
        }
        var (quotaId, left) = model.CouponQuotas[p.Id];
        var face = Amount(1, 40);
        // One coupon in three expires within three days (the hourly job ends it); the others live as long as the quota.
        DateTime? expire = rng.Next(3) == 0 ? Now.AddMinutes(rng.Next(30, 3 * 24 * 60)) : null;
        var (ok, result) = await CallAsync($"issue coupon {face:0.00} to {c.Handle}" + (expire is null ? "" : $" until {expire:MM-dd HH:mm}"), null,
            sp => sp.GetRequiredService<CouponService>().IssueAsync(p.Caller, new NewPartnerCoupons(quotaId, [c.Id], face, null, expire, null, null, null, null, null)));
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), -face);
        SimModel.Add(deltas, LedgerBook.CouponsOf(c.Id), face);
        if (!ok)
        {
            // A fault after the coupon's own transaction committed (the partner's notification) leaves it issued: either outcome.
            var id = await reader.Coupons.AsNoTracking().Where(x => x.CustomerAccountId == c.Id && x.QuotaId == quotaId && !model.Coupons.Select(m => m.Id).Contains(x.Id))
                .Select(x => x.Id).FirstOrDefaultAsync();
            if (id is not null) Expect(deltas, () => Issued(id));
            return;
        }
        var refused = result.Errors.SingleOrDefault()?.Error.Code;
        var expected = left < face ? Errors.CouponQuotaInsufficient().Code : null;
        if (refused != expected) Fail($"issue coupon {face:0.00} from a quota holding {left:0.00}: the model expected {expected ?? "success"}, Core answered {refused ?? "success"}");
        if (refused is not null) { Expect(Nothing()); return; }
        Expect(deltas, () => Issued(result.Issued.Single().CouponId));

        void Issued(string id)
        {
            model.Coupons.Add(new MCoupon { Id = id, Customer = c, Partner = p, Balance = face, ExpireTime = expire ?? Now + QuotaLife });
            model.CouponQuotas[p.Id] = (quotaId, left - face);
        }
    }

    /// <summary>A partner reclaims one of its usable coupons: what is left goes back to the platform and to the quota.</summary>
    async Task ReclaimCouponAsync()
    {
        if (model.Coupons.Where(x => x.Status == CouponCodes.Usable && x.Partner is not null && x.Customer.Partner == x.Partner).ToList() is not { Count: > 0 } usable) return;
        var coupon = Pick(usable);
        touchedCustomers.Add(coupon.Customer);
        var (ok, _) = await CallAsync($"reclaim coupon of {coupon.Customer.Handle} ({coupon.Balance:0.00})", null,
            sp => sp.GetRequiredService<CouponService>().ReclaimAsync(coupon.Partner!.Caller, coupon.Id, null));
        if (!ok) return;
        Expect(CouponBack(coupon), () =>
        {
            var (quotaId, left) = model.CouponQuotas[coupon.Partner!.Id];
            model.CouponQuotas[coupon.Partner.Id] = (quotaId, left + coupon.Balance);
            coupon.Balance = 0;
            coupon.Status = CouponCodes.Reclaimed;
        });
    }

    /// <summary>The ledger movement of a coupon's remaining value back to the platform's coupon expense.</summary>
    static Dictionary<string, decimal> CouponBack(MCoupon coupon, Dictionary<string, decimal>? into = null)
    {
        var deltas = into ?? Nothing();
        if (coupon.Balance <= 0) return deltas;
        SimModel.Add(deltas, LedgerBook.CouponsOf(coupon.Customer.Id), -coupon.Balance);
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformCoupons), coupon.Balance);
        return deltas;
    }

    /// <summary>Dissolving a resale association reclaims the partner's usable coupons of that customer (operation type 3).</summary>
    List<MCoupon> CouponsReclaimedOnUnbind(MCustomer c, MPartner partner, Dictionary<string, decimal> deltas)
    {
        var reclaimed = model.Coupons.Where(x => x.Customer == c && x.Partner == partner && x.Status == CouponCodes.Usable).ToList();
        foreach (var coupon in reclaimed) CouponBack(coupon, deltas);
        return reclaimed;
    }

    /// <summary>
    /// The coupons a resale customer's payment chooses: mostly up to three of its own usable ones (partial use leaves a
    /// balance), sometimes a choice Core must refuse whole (another customer's coupon, one used up or ended, four coupons).
    /// </summary>
    List<MCoupon>? ChooseCoupons(MOrder o)
    {
        if (o.Customer.Partner is null || o.Status != OrderStatus.PendingPayment || rng.Next(3) > 0) return null;
        var own = model.Coupons.Where(x => x.Customer == o.Customer && x.Status == CouponCodes.Usable).ToList();
        if (rng.Next(6) == 0 && model.Coupons.Count > 0)
        {
            var refused = Pick(model.Coupons);
            // With its own other coupons it makes four (refused for their number); never the same coupon twice.
            return refused.Customer == o.Customer && refused.Status == CouponCodes.Usable && refused.ExpireTime > Now ? [refused, .. own.Where(x => x != refused).Take(3)] : [refused];
        }
        return own.Count == 0 ? null : own.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
    }

    /// <summary>
    /// The reference rule of coupons at payment (Core's PlanAsync): at most 3; each the customer's own, usable and not
    /// past its expiry (CBC.99003112 otherwise); in the order given, each takes the least of its balance and what is left
    /// to pay, and a coupon left nothing to pay is refused too. Returns the refusal, or what each coupon takes.
    /// </summary>
    (string? Refusal, List<(MCoupon Coupon, decimal Take)> Takes) CouponPlan(MOrder o, List<MCoupon> chosen, DateTime now)
    {
        if (chosen.Count > CouponPayment.MaxCoupons) return (Errors.InvalidParameter("").Code, []);
        var takes = new List<(MCoupon, decimal)>();
        var left = o.Official; // PayOrders without a discount pays the list price
        foreach (var c in chosen)
        {
            if (c.Customer != o.Customer || c.Status != CouponCodes.Usable || c.ExpireTime <= now || left <= 0) return (Errors.CouponNotUsable(c.Id, "").Code, []);
            var take = Math.Min(c.Balance, left);
            takes.Add((c, take));
            left -= take;
        }
        return (null, takes);
    }

    /// <summary>A clock step ran the hourly expiry: every usable coupon past its expiry by the last run gives its balance back to the platform.</summary>
    void ExpireCoupons(DateTime lastRun)
    {
        foreach (var coupon in model.Coupons.Where(x => x.Status == CouponCodes.Usable && x.ExpireTime <= lastRun))
        {
            CouponBack(coupon, expiryDeltas);
            coupon.Balance = 0;
            coupon.Status = CouponCodes.Expired;
            touchedCustomers.Add(coupon.Customer);
        }
    }

    /// <summary>The coupon accounts a clock step moved are exactly the expiries the model predicted.</summary>
    void CheckExpiries(Dictionary<string, decimal> actual)
    {
        var prefix = nameof(LedgerAccountKind.CustomerCoupons) + ":";
        foreach (var account in actual.Keys.Concat(expiryDeltas.Keys).Where(a => a.StartsWith(prefix, StringComparison.Ordinal)).Distinct())
            if (actual.GetValueOrDefault(account) != expiryDeltas.GetValueOrDefault(account))
                Fail($"coupon expiry moved {account} by {actual.GetValueOrDefault(account)}, the model expected {expiryDeltas.GetValueOrDefault(account)}");
        expiryDeltas.Clear();
    }

    /// <summary>Every coupon's balance and status in the database is the model's.</summary>
    async Task CompareCouponsAsync(Core.Data.AppDbContext db)
    {
        var ids = model.Coupons.Select(c => c.Id).ToList();
        var actual = await db.Coupons.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => (c.Balance, c.Status));
        foreach (var m in model.Coupons)
            if (!actual.TryGetValue(m.Id, out var a) || a != (m.Balance, m.Status))
                Fail($"coupon of {m.Customer.Handle}: the database holds {a.Balance} (status {a.Status}), the model {m.Balance} (status {m.Status})");
        foreach (var (partner, (quotaId, left)) in model.CouponQuotas)
            if (await db.CouponQuotas.Where(q => q.Id == quotaId).Select(q => q.Balance).SingleAsync() != left) Fail($"coupon quota of partner {partner}: the model expected {left}");
    }
}
