using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

public class FundsRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    Task<TopUp> TopUpAsync(Caller c, decimal amount, string token, CardDetails? card = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(c, amount, card ?? GoodCard, token));

    Task<CustomerBalances> BalancesAsync(Caller c) => h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().BalancesAsync(c));

    async Task<int> EntryCountAsync()
    {
        await using var db = h.NewDbContext();
        return await db.JournalEntries.CountAsync();
    }

    [Fact]
    public async Task A_card_top_up_credits_cash_through_a_balanced_entry()
    {
        var (customer, _) = await h.NewAccountAsync();
        var topUp = await TopUpAsync(customer, 125.50m, "t1");
        Assert.Equal("4242", topUp.CardLast4);
        Assert.StartsWith("ch_sandbox_", topUp.GatewayReference);
        var b = await BalancesAsync(customer);
        Assert.Equal(125.50m, b.Cash);
        Assert.Equal(0m, b.CreditAvailable);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_retried_top_up_with_the_same_client_token_charges_once()
    {
        var (customer, _) = await h.NewAccountAsync();
        var first = await TopUpAsync(customer, 10m, "same");
        var again = await TopUpAsync(customer, 10m, "same");
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(10m, (await BalancesAsync(customer)).Cash);
        var reused = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 11m, GoodCard, "same"));
        Assert.Equal("CBC.99005044", reused.Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_retries_of_one_top_up_credit_it_once()
    {
        var (customer, _) = await h.NewAccountAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => TopUpAsync(customer, 5m, "race"))));
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(5m, (await BalancesAsync(customer)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Theory]
    [InlineData("4000 0000 0000 0002", "card_declined")]
    [InlineData("4000000000009995", "insufficient_funds")]
    [InlineData("4000000000000069", "expired_card")]
    [InlineData("4111111111111111", "unknown_test_card")]
    public async Task A_declined_card_is_refused_and_nothing_is_written(string number, string code)
    {
        var (customer, _) = await h.NewAccountAsync();
        var entries = await EntryCountAsync();
        var e = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, 10m, GoodCard with { Number = number }, "d"));
        Assert.Equal("CBC.99005030", e.Code);
        Assert.Contains(code, e.Message);
        Assert.Equal(entries, await EntryCountAsync());
        Assert.Empty(await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpsAsync(customer)));
    }

    [Theory]
    [InlineData(0, "4242424242424242", 12, 2030, "123")]
    [InlineData(-5, "4242424242424242", 12, 2030, "123")]
    [InlineData(1.001, "4242424242424242", 12, 2030, "123")]
    [InlineData(40000.01, "4242424242424242", 12, 2030, "123")]
    [InlineData(10, "4242424242424241", 12, 2030, "123")]
    [InlineData(10, "4242424242424242", 13, 2030, "123")]
    [InlineData(10, "4242424242424242", 10, 2026, "123")]
    [InlineData(10, "4242424242424242", 12, 2030, "12a")]
    public async Task Bad_amounts_and_cards_are_parameter_errors(double amount, string number, int month, int year, string cvc)
    {
        var (customer, _) = await h.NewAccountAsync();
        var e = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(customer, (decimal)amount, new CardDetails(number, month, year, cvc, null), "x"));
        Assert.Equal("CBC.0100", e.Code);
        Assert.Equal(0m, (await BalancesAsync(customer)).Cash);
    }

    [Fact]
    public async Task A_resale_customer_has_no_balance_to_top_up_or_show()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, "Resale#Pass123", "SG", null, null, null, AssociationTypes.Resale)));
        var op = await h.OperatorAsync();
        var e = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().AdjustAsync(op, customer.Id, 10m, "gift", "a1"));
        Assert.Equal("CBC.99000049", e.Code);

        // The console tells the customer its partner pays; the API answers what its accounts hold: nothing.
        var self = await h.InScopeAsync(async sp =>
        {
            var (user, account) = await sp.GetRequiredService<PartnerCenter.Core.Iam.AuthService>().SignInAsync(customer.Name, customer.Name, "Resale#Pass123");
            return PartnerCenter.Core.Iam.AuthService.CallerOf(user, account, null, null);
        });
        Assert.Equal("CBC.99000049", (await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().BalancesAsync(self))).Code);
        var held = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().AccountBalancesAsync(self));
        Assert.Equal((0m, 0m, 0m), (held.Cash, held.CreditAvailable, held.Debt));
    }

    [Fact]
    public async Task The_operator_adjusts_cash_but_never_below_zero()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var funds = (IServiceProvider sp) => sp.GetRequiredService<FundsService>();
        await h.InScopeAsync(sp => funds(sp).AdjustAsync(op, customer.AccountId, 30m, "goodwill", "adj-1"));
        await h.InScopeAsync(sp => funds(sp).AdjustAsync(op, customer.AccountId, 30m, "goodwill", "adj-1")); // a retry
        Assert.Equal(30m, (await BalancesAsync(customer)).Cash);
        var e = await h.FailsAsync(sp => funds(sp).AdjustAsync(op, customer.AccountId, -30.01m, "correction", "adj-2"));
        Assert.Equal("CBC.99005003", e.Code);
        await h.InScopeAsync(sp => funds(sp).AdjustAsync(op, customer.AccountId, -30m, "correction", "adj-3"));
        Assert.Equal(0m, (await BalancesAsync(customer)).Cash);
        var notOperator = await h.FailsAsync(sp => funds(sp).AdjustAsync(customer, customer.AccountId, 5m, "self", "adj-4"));
        Assert.Equal("CBC.0150", notOperator.Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_credit_line_is_available_credit_and_cannot_be_cut_below_what_is_used()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var b = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, customer.AccountId, 500m));
        Assert.Equal((500m, 500m, 0m), (b.CreditLimit, b.CreditAvailable, b.Debt));
        await SpendAsync(LedgerBook.CreditOf(customer.AccountId), 200m, "use-credit");
        b = await BalancesAsync(customer);
        Assert.Equal((500m, 300m, 200m), (b.CreditLimit, b.CreditAvailable, b.Debt));
        var e = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, customer.AccountId, 199m));
        Assert.Equal("CBC.0100", e.Code);
        b = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(op, customer.AccountId, 250m));
        Assert.Equal((250m, 50m, 200m), (b.CreditLimit, b.CreditAvailable, b.Debt));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_payments_never_take_a_balance_below_zero()
    {
        var (customer, _) = await h.NewAccountAsync();
        await TopUpAsync(customer, 50m, "fund");
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => SpendAsync(LedgerBook.CashOf(customer.AccountId), 1m, $"pay-{i}"))));
        Assert.Equal(50, results.Count(ok => ok));
        Assert.Equal(0m, (await BalancesAsync(customer)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Posting_the_same_entry_twice_moves_money_once()
    {
        var (customer, _) = await h.NewAccountAsync();
        await TopUpAsync(customer, 10m, "fund");
        Assert.True(await SpendAsync(LedgerBook.CashOf(customer.AccountId), 4m, "order-1"));
        Assert.True(await SpendAsync(LedgerBook.CashOf(customer.AccountId), 4m, "order-1"));
        Assert.Equal(6m, (await BalancesAsync(customer)).Cash);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_partner_consumption_quota_bounds_what_it_may_owe()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        var q = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 100m));
        Assert.Equal((100m, 0m), (q.Quota, q.Used));
        Assert.True(await SpendAsync(LedgerBook.PayableOf(partner.AccountId), 60m, "resale-1"));
        Assert.False(await SpendAsync(LedgerBook.PayableOf(partner.AccountId), 60m, "resale-2"));
        q = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().ConsumptionQuotaAsync(partner));
        Assert.Equal((100m, 60m, 60m), (q.Quota, q.UnbilledAmount, q.Used));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_consumption_quota_below_what_the_partner_owes_is_refused_and_the_books_stay_sound()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 100m));
        Assert.True(await SpendAsync(LedgerBook.PayableOf(partner.AccountId), 60m, "resale-owed"));

        var refused = await h.FailsAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 59.99m));
        Assert.Equal("CBC.99005045", refused.Code);
        var q = await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(op, partner.AccountId, 60m));
        Assert.Equal((60m, 60m), (q.Quota, q.Used));
        Assert.False(await SpendAsync(LedgerBook.PayableOf(partner.AccountId), 0.01m, "resale-more")); // the quota at the debt stops purchases
        await h.AssertLedgerSoundAsync();
    }

    /// <summary>Moves money from an account to the platform's revenue in one transaction, as a payment does; false when refused.</summary>
    async Task<bool> SpendAsync(string from, decimal amount, string entryId) => await h.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<Data.AppDbContext>();
        var ledger = sp.GetRequiredService<LedgerBook>();
        await using var tx = await db.Database.BeginTransactionAsync();
        await ledger.EnsureAccountAsync(LedgerAccountKind.PlatformRevenue, null);
        try
        {
            // A partner's payable only moves by kinds a bill line takes (the bill invariant checks it): an order payment here.
            var kind = from.StartsWith(nameof(LedgerAccountKind.PartnerPayable), StringComparison.Ordinal) ? "OrderPayment" : "Test";
            await ledger.PostAsync(entryId, kind, null, "test spend", "test", [new Movement(from, LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), amount)]);
        }
        catch (InsufficientFundsException)
        {
            return false;
        }
        await tx.CommitAsync();
        return true;
    });
}
