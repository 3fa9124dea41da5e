using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Funds in the console: a customer's Balance page and card top-ups, the operator's Funds page, a partner's quota.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FundsConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task A_customer_tops_up_with_a_test_card_and_sees_the_balance_and_the_history()
    {
        var account = await api.NewAccountAsync("cust");
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/balance$"));
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("balance-credit-limit")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("top-ups-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("test-cards")).ToContainTextAsync("4242 4242 4242 4242");

        await FillTopUpAsync(page, "125.50", "4242 4242 4242 4242");
        await page.GetByTestId("top-up-submit").ClickAsync();

        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("125.50 USD was added");
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("125.50 USD");
        var row = page.GetByTestId("top-up-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("top-up-last4")).ToContainTextAsync("4242");
        await Expect(row.GetByTestId("top-up-row-amount")).ToHaveTextAsync("125.50 USD");
        await Expect(row.GetByTestId("top-up-reference")).ToHaveTextAsync(new Regex("^ch_sandbox_[0-9a-f]{24}$"));
        // The form is ready for a new top-up: emptied, with a new token.
        await Expect(page.GetByTestId("top-up-card-number")).ToHaveValueAsync("");
        await SaveScreenshotAsync(page, "balance");

        await page.GotoAsync("/console/operator/funds");
        await Expect(page.GetByTestId("not-permitted")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("adjust-card")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_declined_card_shows_the_decline_and_the_balance_is_unchanged()
    {
        var account = await api.NewAccountAsync("cust");
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/balance");
        await FillTopUpAsync(page, "40", "5555 5555 5555 4444");
        await page.GetByTestId("top-up-submit").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("40.00 USD");

        await FillTopUpAsync(page, "60", "4000 0000 0000 0002");
        await page.GetByTestId("top-up-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("declined (card_declined)");
        await Expect(page.GetByTestId("alert-success")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("40.00 USD");

        await FillTopUpAsync(page, "60", "4000 0000 0000 9995");
        await page.GetByTestId("top-up-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("insufficient funds");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("40.00 USD");
        await Expect(page.GetByTestId("top-up-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("top-up-last4")).ToContainTextAsync("4444");
    }

    [Fact]
    public async Task The_same_top_up_form_submitted_twice_charges_once()
    {
        var account = await api.NewAccountAsync("cust");
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/balance");
        var token = await page.GetByTestId("top-up-client-token").InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}$", token);
        await FillTopUpAsync(page, "75", "4242424242424242");

        // A double click: the filled form (antiforgery token and client token included) is posted twice at once, then once more.
        var answers = await page.EvaluateAsync<string[]>("""
            async () => {
                const form = document.querySelector('[data-testid=top-up-submit]').form;
                const post = async () => {
                    const response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
                    const html = await response.text();
                    return response.status + ' ' + (html.includes('data-testid="alert-success"') ? 'success' : 'no success') + ' ' + (html.includes('data-testid="alert-error"') ? 'error' : 'no error')
                        + (html.includes('This form was already submitted') ? ' (already submitted)' : '');
                };
                const first = await Promise.all([post(), post()]);
                return [...first, await post()];
            }
            """);
        Assert.All(answers[..2], a => Assert.StartsWith("200 success no error", a));
        Assert.Equal("200 success no error (already submitted)", answers[2]);

        await page.ReloadAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("75.00 USD");
        await Expect(page.GetByTestId("top-up-row")).ToHaveCountAsync(1);
        // Each render of the form has its own token: a new top-up from this page is a new charge.
        Assert.NotEqual(token, await page.GetByTestId("top-up-client-token").InputValueAsync());
        await FillTopUpAsync(page, "75", "4242424242424242");
        await page.GetByTestId("top-up-submit").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("150.00 USD");
        await Expect(page.GetByTestId("top-up-row")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task The_operator_adjusts_cash_sets_a_credit_line_and_a_partner_quota_which_the_customer_and_partner_see()
    {
        var customer = await api.NewAccountAsync("cust");
        var (partner, _, _) = await api.NewPartnerAsync();
        var customerPage = await server.NewPageAsync();
        await SignInAsync(customerPage, customer);
        var customerId = await AccountIdAsync(customerPage);
        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        var partnerId = await AccountIdAsync(partnerPage);

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await Expect(op.GetByTestId("nav-balance")).ToHaveCountAsync(0);
        await op.GetByTestId("nav-operator-funds").ClickAsync();
        await Expect(op).ToHaveURLAsync(new Regex("/console/operator/funds$"));

        await AdjustAsync(op, customerId, "200", "Goodwill credit");
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("Credited 200.00 USD");
        await Expect(op.GetByTestId("customer-cash")).ToHaveTextAsync("200.00 USD");
        await AdjustAsync(op, customerId, "-50.25", "Refund reversal");
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("Debited 50.25 USD");
        await Expect(op.GetByTestId("customer-cash")).ToHaveTextAsync("149.75 USD");
        await AdjustAsync(op, customerId, "-1000", "Too much");
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("insufficient");
        await AdjustAsync(op, "no-such-account", "10", "Typo");
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("does not exist");

        await op.GetByTestId("credit-customer").FillAsync(customerId);
        await op.GetByTestId("credit-amount").FillAsync("500");
        await op.GetByTestId("credit-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("credit line");
        await Expect(op.GetByTestId("customer-credit-limit")).ToHaveTextAsync("500.00 USD");
        await Expect(op.GetByTestId("customer-credit-available")).ToHaveTextAsync("500.00 USD");
        await Expect(op.GetByTestId("customer-cash")).ToHaveTextAsync("149.75 USD");

        await op.GetByTestId("quota-partner").FillAsync(customerId);
        await op.GetByTestId("quota-amount").FillAsync("2500");
        await op.GetByTestId("quota-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("not a partner");
        await op.GetByTestId("quota-partner").FillAsync(partnerId);
        await op.GetByTestId("quota-amount").FillAsync("2500");
        await op.GetByTestId("quota-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("2,500.00 USD");
        await Expect(op.GetByTestId("partner-quota-value")).ToHaveTextAsync("2,500.00 USD");
        await SaveScreenshotAsync(op, "operator-funds");

        await customerPage.GotoAsync("/console/balance");
        await Expect(customerPage.GetByTestId("balance-cash")).ToHaveTextAsync("149.75 USD");
        await Expect(customerPage.GetByTestId("balance-credit-limit")).ToHaveTextAsync("500.00 USD");
        await Expect(customerPage.GetByTestId("balance-credit-available")).ToHaveTextAsync("500.00 USD");
        await Expect(customerPage.GetByTestId("balance-debt")).ToHaveTextAsync("0.00 USD");

        await partnerPage.GotoAsync("/console/partner-programs");
        await Expect(partnerPage.GetByTestId("partner-quota-amount")).ToHaveTextAsync("2,500.00 USD");
        await Expect(partnerPage.GetByTestId("partner-quota-used")).ToHaveTextAsync("0.00 USD");
    }

    [Fact]
    public async Task A_resale_customer_is_told_its_partner_pays()
    {
        var (csp, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(csp, withPassword: true);
        var page = await server.NewPageAsync();
        await SignInAsync(page, customerName);
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-resale")).ToContainTextAsync("its partner pays for it");
        await Expect(page.GetByTestId("balance-cash")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("top-up-card")).ToHaveCountAsync(0);

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await op.GotoAsync("/console/operator/funds");
        await AdjustAsync(op, customerId, "10", "Resale customers have no balance");
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("its partner pays for it");
    }

    // ---- steps ----

    static async Task SignInAsync(IPage page, string account, string password = Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    /// <summary>The signed-in account's ID, as its Overview page shows it.</summary>
    static async Task<string> AccountIdAsync(IPage page)
    {
        await page.GotoAsync("/console");
        return (await page.GetByTestId("overview-account-id").InnerTextAsync()).Trim();
    }

    static async Task FillTopUpAsync(IPage page, string amount, string cardNumber)
    {
        await page.GetByTestId("top-up-amount").FillAsync(amount);
        await page.GetByTestId("top-up-card-number").FillAsync(cardNumber);
        await page.GetByTestId("top-up-expiry-month").FillAsync("12");
        await page.GetByTestId("top-up-expiry-year").FillAsync((DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("top-up-cvc").FillAsync("123");
        await page.GetByTestId("top-up-holder").FillAsync("Test Holder");
    }

    static async Task AdjustAsync(IPage page, string customerId, string amount, string reason)
    {
        await page.GetByTestId("adjust-customer").FillAsync(customerId);
        await page.GetByTestId("adjust-amount").FillAsync(amount);
        await page.GetByTestId("adjust-reason").FillAsync(reason);
        await page.GetByTestId("adjust-submit").ClickAsync();
    }

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "funds-" + name + ".png"), FullPage = true });
    }
}
