using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>A distributor's coupon quota delegations and reclaims under a client token: the same request is answered again and acts once; another request under the key is 409.</summary>
public class CouponQuotaKeyRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static CouponQuotaService Quotas(IServiceProvider sp) => sp.GetRequiredService<CouponQuotaService>();

    async Task<(Caller Distributor, Partner Reseller, Partner Other, CouponQuota Quota)> SetupAsync(decimal value)
    {
        var distributor = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var reseller = await h.NewPartnerAsync(PartnerProgram.Reseller, distributor);
        var other = await h.NewPartnerAsync(PartnerProgram.Reseller, distributor);
        var op = await h.OperatorAsync();
        var quota = await h.InScopeAsync(sp => Quotas(sp).GrantAsync(op, distributor.Caller.AccountId,
            new NewCouponQuota(0, value, null, sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(90), 1m, 500m, null, null)));
        return (distributor.Caller, reseller.Partner, other.Partner, quota);
    }

    async Task<(decimal Parent, int Children, int Records)> StateAsync(string quotaId)
    {
        await using var db = h.NewDbContext();
        return (await db.CouponQuotas.Where(q => q.Id == quotaId).Select(q => q.Balance).SingleAsync(),
            await db.CouponQuotas.CountAsync(q => q.ParentQuotaId == quotaId), await db.CouponQuotaRecords.CountAsync(r => r.ParentQuotaId == quotaId));
    }

    [Fact]
    public async Task A_keyed_delegation_sent_again_answers_the_same_quotas_and_refusals_and_delegates_once()
    {
        var (distributor, reseller, _, quota) = await SetupAsync(100m);
        var (_, stranger) = await h.NewPartnerAsync();
        var first = await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId, stranger.PartnerId], 60m, "campaign-1"));
        var again = await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId, stranger.PartnerId], 60m, "campaign-1"));

        Assert.Equal(first.Done, again.Done);
        Assert.Equal("CBC.99000037", again.Errors.Single().Error.Code);
        Assert.Equal(stranger.PartnerId, again.Errors.Single().Id);
        Assert.Equal((40m, 1, 1), await StateAsync(quota.Id));
        // Without a key each call is a new delegation, as on Huawei.
        await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 10m));
        await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 10m));
        Assert.Equal((20m, 3, 3), await StateAsync(quota.Id));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_delegation_key_reused_with_another_request_is_refused_with_409_and_writes_nothing()
    {
        var (distributor, reseller, other, quota) = await SetupAsync(100m);
        await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 30m, "k"));

        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 31m, "k"))).Code);
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [other.PartnerId], 30m, "k"))).Code);
        Assert.Equal((70m, 1, 1), await StateAsync(quota.Id));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_refused_keyed_delegation_takes_no_key_so_the_same_request_is_answered_anew()
    {
        var (distributor, reseller, _, quota) = await SetupAsync(100m);
        var (strangerCaller, _) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        // Another distributor's quota: the whole request is refused, and the key stays free.
        Assert.Equal("CBC.99000012", (await h.FailsAsync(sp => Quotas(sp).DelegateAsync(strangerCaller, quota.Id, [reseller.PartnerId], 10m, "k"))).Code);
        var done = await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 10m, "k"));
        Assert.Single(done.Done);
        Assert.Equal((90m, 1, 1), await StateAsync(quota.Id));
    }

    [Fact]
    public async Task Concurrent_identical_keyed_delegations_delegate_once_and_all_answer_the_same_quota()
    {
        var (distributor, reseller, other, quota) = await SetupAsync(1000m);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId, other.PartnerId], 50m, "once"))));

        Assert.Equal((900m, 2, 2), await StateAsync(quota.Id));
        Assert.All(results, r => Assert.Equal(results[0].Done, r.Done));
        Assert.Equal(2, results[0].Done.Count);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_keyed_reclaim_sent_again_answers_what_came_back_and_returns_it_once()
    {
        var (distributor, reseller, other, quota) = await SetupAsync(100m);
        var (children, _) = await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId, other.PartnerId], 30m));
        var ids = children.Select(c => (string?)c.QuotaId).ToList();
        var first = await h.InScopeAsync(sp => Quotas(sp).ReclaimAsync(distributor, ids, "end", "r-1"));
        var again = await h.InScopeAsync(sp => Quotas(sp).ReclaimAsync(distributor, ids, "end", "r-1"));

        Assert.Equal([30m, 30m], first.Done.Select(d => d.Reclaimed).ToList());
        Assert.Equal(first.Done, again.Done);
        Assert.Empty(again.Errors);
        Assert.Equal((100m, 2, 4), await StateAsync(quota.Id));
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => Quotas(sp).ReclaimAsync(distributor, ids, "other remark", "r-1"))).Code);
        // Without a key a second reclaim is a new request: the quotas are no longer usable.
        var unkeyed = await h.InScopeAsync(sp => Quotas(sp).ReclaimAsync(distributor, ids, "end"));
        Assert.All(unkeyed.Errors, e => Assert.Equal("CBC.99000012", e.Error.Code));
        Assert.Equal((100m, 2, 4), await StateAsync(quota.Id));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_identical_keyed_reclaims_return_the_balance_once()
    {
        var (distributor, reseller, _, quota) = await SetupAsync(100m);
        var child = (await h.InScopeAsync(sp => Quotas(sp).DelegateAsync(distributor, quota.Id, [reseller.PartnerId], 40m))).Done.Single().QuotaId;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.InScopeAsync(sp => Quotas(sp).ReclaimAsync(distributor, [child], null, "back"))));

        Assert.All(results, r => Assert.Equal((child, 40m), r.Done.Single()));
        Assert.Equal((100m, 1, 2), await StateAsync(quota.Id));
        await h.AssertLedgerSoundAsync();
    }
}
