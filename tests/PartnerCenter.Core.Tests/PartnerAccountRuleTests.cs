using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.PartnerAccounts;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>Money a partner allocates to its resale customers: never more than it has, never back more than they hold.</summary>
public class PartnerAccountRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<(Caller Partner, string Customer)> FundedPartnerAsync(decimal cash)
    {
        var (partner, _) = await h.NewPartnerAsync();
        if (cash > 0) await h.InScopeAsync(sp => sp.GetRequiredService<PartnerFunds>().TopUpAsync(partner, cash, GoodCard, "cash"));
        return (partner, await CustomerAsync(partner, AssociationTypes.Resale));
    }

    Task<string> CustomerAsync(Caller partner, string type) => h.InScopeAsync(async sp => (await sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
        new NewSubCustomer(null, null, "Cust#Pass123", "SG", null, null, null, type))).Id);

    Task<string> AllocateAsync(Caller partner, string customer, decimal amount, string? token = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().AllocateAsync(partner, customer, amount, null, token));

    Task<string> ReclaimAsync(Caller partner, string customer, decimal amount) =>
        h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().ReclaimAsync(partner, customer, amount, null, null));

    Task<PartnerBalances> BalancesAsync(Caller partner) => h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().BalancesAsync(partner, null));

    Task<decimal> HeldAsync(Caller partner, string customer) => h.InScopeAsync(async sp =>
        (await sp.GetRequiredService<PartnerAccountService>().CustomerBalancesAsync(partner, [customer], null)).Single().Amount);

    [Fact]
    public async Task Fifty_concurrent_allocations_that_together_exceed_the_balance_never_overspend_it()
    {
        var (partner, customer) = await FundedPartnerAsync(200m);
        var other = await CustomerAsync(partner, AssociationTypes.Resale);
        // 50 allocations of 7.00 to two customers ask for 350.00 of 200.00: 28 fit (196.00), the rest are refused.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try { await AllocateAsync(partner, i % 2 == 0 ? customer : other, 7m); return "ok"; }
            catch (ServiceException e) { return e.Error.Code; }
        })));
        var granted = outcomes.Count(o => o == "ok");
        Assert.All(outcomes.Where(o => o != "ok"), code => Assert.Equal("CBC.99005003", code));
        Assert.Equal(28, granted);
        Assert.Equal(200m - granted * 7m, (await BalancesAsync(partner)).Cash);
        Assert.Equal(granted * 7m, await HeldAsync(partner, customer) + await HeldAsync(partner, other));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_reclaims_never_take_back_more_than_the_customer_holds()
    {
        var (partner, customer) = await FundedPartnerAsync(100m);
        await AllocateAsync(partner, customer, 30m);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try { await ReclaimAsync(partner, customer, 4m); return true; }
            catch (ServiceException e) when (e.Error.Code == "CBC.99005003") { return false; }
        })));
        Assert.Equal(7, outcomes.Count(ok => ok));
        Assert.Equal(2m, await HeldAsync(partner, customer));
        Assert.Equal(98m, (await BalancesAsync(partner)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Allocating_then_reclaiming_moves_the_money_both_ways_and_the_allocatable_amount_follows_the_cash()
    {
        var (partner, customer) = await FundedPartnerAsync(500m);
        await AllocateAsync(partner, customer, 100m);
        await ReclaimAsync(partner, customer, 40m);
        var b = await BalancesAsync(partner);
        Assert.Equal((440m, 440m), (b.Cash, b.Allocatable));
        Assert.Equal(60m, await HeldAsync(partner, customer));
        Assert.Equal("CBC.99005003", (await h.FailsAsync(sp => sp.GetRequiredService<PartnerAccountService>().ReclaimAsync(partner, customer, 60.01m, null, null))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_credit_balance_is_the_consumption_quota_and_what_is_left_of_it()
    {
        var (partner, _) = await FundedPartnerAsync(0m);
        await h.InScopeAsync(async sp => await sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(await h.OperatorAsync(), partner.AccountId, 2500m));
        var b = await BalancesAsync(partner);
        var quota = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().ConsumptionQuotaAsync(partner));
        Assert.Equal((2500m, 2500m - quota.Used), (b.CreditLine, b.CreditAvailable));
    }

    [Fact]
    public async Task Switching_a_customer_to_referral_returns_the_allocated_money_it_still_holds_once()
    {
        var (partner, customer) = await FundedPartnerAsync(80m);
        await AllocateAsync(partner, customer, 50m);
        await h.InScopeAsync(sp => sp.GetRequiredService<AssociationService>().ChangeTypeAsync(partner, customer, AssociationTypes.Referral, null));
        Assert.Equal(80m, (await BalancesAsync(partner)).Cash);
        var (records, total) = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerAccountService>().AdjustRecordsAsync(partner,
            new AdjustRecordFilter(customer, "SOURCE_OPERATION_BEUNBIND", null, null, null, null, null, null)));
        Assert.Equal((1, 50m), (total, records.Single().Amount));
        await using (var db = h.NewDbContext())
            Assert.Equal(1, await db.PartnerNotifications.CountAsync(n => n.PartnerAccountId == partner.AccountId && n.Kind == "funds.unbind"));
        // A referral customer's balance is its own from then on: the partner can neither fund it nor take it back.
        Assert.Equal("CBC.99000000", (await h.FailsAsync(sp => sp.GetRequiredService<PartnerAccountService>().ReclaimAsync(partner, customer, 1m, null, null))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_reused_client_token_moves_money_once_and_another_request_under_it_is_refused()
    {
        var (partner, customer) = await FundedPartnerAsync(100m);
        var first = await AllocateAsync(partner, customer, 10m, "key");
        Assert.Equal(first, await AllocateAsync(partner, customer, 10m, "key"));
        Assert.Equal("CBC.99005044", (await h.FailsAsync(sp => sp.GetRequiredService<PartnerAccountService>().AllocateAsync(partner, customer, 12m, null, "key"))).Code);
        Assert.Equal(10m, await HeldAsync(partner, customer));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_credit_line_raises_the_quota_until_it_expires_and_then_the_quota_is_the_base_again_or_what_is_owed()
    {
        var (partner, _) = await FundedPartnerAsync(0m);
        var op = await h.OperatorAsync();
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        Task<ConsumptionQuota> QuotaAsync() => h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().ConsumptionQuotaAsync(partner));

        var granted = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerCreditLines>().GrantAsync(op, partner.AccountId, 1000m, now.AddHours(3)));
        Assert.Equal((LedgerBook.DefaultConsumptionQuota + 1000m, LedgerBook.DefaultConsumptionQuota), (granted.Quota, granted.BaseQuota));
        // The base quota set while the line runs keeps the line on top; the partner's credit balance and its quota agree.
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 2000m));
        Assert.Equal(3000m, (await QuotaAsync()).Quota);
        var balances = await BalancesAsync(partner);
        Assert.Equal((3000m, 3000m, 1000m), (balances.CreditLine, balances.CreditAvailable, balances.TemporaryLine!.Amount));

        // The partner comes to owe 2,500.00, more than its base quota: at expiry the quota stops at what it owes.
        await h.InScopeAsync(sp => sp.GetRequiredService<BillingOperator>().AdjustAsync(op, partner.AccountId, 2500m, "usage outside the platform", "owe"));
        await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, 4 * 3600, null));
        Assert.Equal((2500m, 2500m), ((await QuotaAsync()).Quota, (await QuotaAsync()).Used));
        Assert.Null((await BalancesAsync(partner)).TemporaryLine);
        await using (var db = h.NewDbContext())
            Assert.Equal(1, await db.PartnerNotifications.CountAsync(n => n.PartnerAccountId == partner.AccountId && n.Kind == "credit.expired"));

        // Once it has repaid, the operator's quota is what it sets again.
        await h.InScopeAsync(sp => sp.GetRequiredService<BillingOperator>().AdjustAsync(op, partner.AccountId, -2500m, "written off", "off"));
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 2000m));
        Assert.Equal(2000m, (await QuotaAsync()).Quota);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Only_the_operator_grants_credit_lines_and_bad_ones_are_refused()
    {
        var (partner, _) = await FundedPartnerAsync(0m);
        var op = await h.OperatorAsync();
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        Task<Error> Grant(Caller who, string id, decimal? amount, DateTime? until) =>
            h.FailsAsync(sp => sp.GetRequiredService<PartnerCreditLines>().GrantAsync(who, id, amount, until));
        Assert.Equal("CBC.0150", (await Grant(partner, partner.AccountId, 10m, now.AddDays(1))).Code);
        Assert.Equal("CBC.0100", (await Grant(op, partner.AccountId, 0m, now.AddDays(1))).Code);
        Assert.Equal("CBC.0100", (await Grant(op, partner.AccountId, 1.001m, now.AddDays(1))).Code);
        Assert.Equal("CBC.0100", (await Grant(op, partner.AccountId, 10m, now.AddMinutes(-1))).Code);
        Assert.Equal("CBC.0100", (await Grant(op, partner.AccountId, 10m, null)).Code);
        Assert.Equal("CBC.5001", (await Grant(op, "nobody", 10m, now.AddDays(1))).Code);
        Assert.Equal(LedgerBook.DefaultConsumptionQuota, (await BalancesAsync(partner)).CreditLine);
    }
}
