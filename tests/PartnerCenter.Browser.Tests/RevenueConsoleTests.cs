using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>A partner's Funds and Revenue pages, and the operator's partner credit and incentive rates, in the console.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RevenueConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task A_partner_allocates_100_then_reclaims_40_and_sees_both_balances_and_the_records()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        await api.PartnerTopUpAsync(partner, 500m);
        var (_, customerName) = await api.NewCustomerAsync(partner);
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GetByTestId("nav-sales-funds").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/funds$"));
        await Expect(page.GetByTestId("funds-cash")).ToHaveTextAsync("500.00 USD");

        await MoveMoneyAsync(page, customerName, "100.00", "allocate-submit");
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Allocated 100.00 USD");
        await MoveMoneyAsync(page, customerName, "40.00", "reclaim-submit");
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Reclaimed 40.00 USD");

        await Expect(page.GetByTestId("funds-cash")).ToHaveTextAsync("440.00 USD");
        var row = page.Locator($"[data-testid=customer-balance-row][data-customer='{customerName}']");
        await Expect(row.GetByTestId("customer-balance")).ToHaveTextAsync("60.00 USD");
        await Expect(page.Locator("[data-testid=change-row][data-type=SOURCE_OPERATION_BEADJUST]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=change-row][data-type=SOURCE_OPERATION_BERETRIEVE]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Reclaiming_more_than_the_customer_holds_is_refused_with_the_message_and_nothing_moves()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        await api.PartnerTopUpAsync(partner, 200m);
        var (_, customerName) = await api.NewCustomerAsync(partner);
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GotoAsync("/console/sales/funds");
        await MoveMoneyAsync(page, customerName, "30", "allocate-submit");
        await Expect(page.GetByTestId("alert-success")).ToBeVisibleAsync();

        await MoveMoneyAsync(page, customerName, "30.01", "reclaim-submit");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("insufficient");
        await MoveMoneyAsync(page, customerName, "ten", "allocate-submit");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("Enter the amount in USD");
        await Expect(page.GetByTestId("funds-cash")).ToHaveTextAsync("170.00 USD");
        await Expect(page.Locator($"[data-testid=customer-balance-row][data-customer='{customerName}']").GetByTestId("customer-balance")).ToHaveTextAsync("30.00 USD");
    }

    [Fact]
    public async Task The_revenue_dashboard_shows_the_chart_sets_the_goal_and_downloads_the_statement()
    {
        var (partner, partnerId, _) = await api.NewPartnerAsync();
        await api.SetSettlementDiscountAsync(partnerId, 0.2m);
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customerId, 1000m);
        await api.BuyServerForCustomerAsync(partner, customerId, customerName);

        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GetByTestId("nav-sales-revenue").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/revenue$"));
        await Expect(page.GetByTestId("revenue-chart-svg")).ToBeVisibleAsync();
        // This month so far: the server at 7.15 list price, 20 % off for the partner: 1.43 of revenue.
        await Expect(page.GetByTestId("revenue-chart-svg").GetByTestId("chart-bar")).ToHaveCountAsync(1);
        var thisMonth = page.GetByTestId("revenue-row").First;
        await Expect(thisMonth.GetByTestId("revenue-month-revenue")).ToHaveTextAsync("1.43 USD");
        await Expect(page.GetByTestId("top-chart-svg")).ToBeVisibleAsync();

        await page.GetByTestId("goal-input").FillAsync("143");
        await page.GetByTestId("goal-submit").ClickAsync();
        await Expect(page.GetByTestId("goal-amount")).ToHaveTextAsync("143.00 USD");
        await Expect(page.GetByTestId("goal-percent")).ToHaveTextAsync("1.0 %");

        var download = await page.RunAndWaitForDownloadAsync(() => thisMonth.GetByTestId("statement-csv").ClickAsync());
        Assert.StartsWith("revenue-statement-", download.SuggestedFilename);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains(",total,,,,,,revenue,,,,,1.43", text);
    }

    [Fact]
    public async Task A_distributor_chooses_its_reseller_and_sees_the_resellers_revenue_and_goal_without_setting_it()
    {
        var (distributor, distributorPartnerId, _) = await api.NewPartnerAsync("distributor");
        var (reseller, _, company) = await api.NewResellerAsync(distributor, distributorPartnerId);
        await api.SetRevenueGoalAsync(reseller, 2500m);

        var page = await server.NewPageAsync();
        await SignInAsync(page, distributor);
        await page.GotoAsync("/console/sales/revenue");
        await Expect(page.GetByTestId("goal-amount")).ToHaveTextAsync("not set");
        await page.GetByTestId("reseller-select").SelectOptionAsync(new SelectOptionValue { Label = $"{company} ({reseller})" });
        await page.GetByTestId("reseller-show").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/revenue\\?reseller="));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Revenue of " + company);
        await Expect(page.GetByTestId("goal-amount")).ToHaveTextAsync("2,500.00 USD");
        await Expect(page.GetByTestId("goal-form")).ToHaveCountAsync(0);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("revenue-row").First.GetByTestId("statement-csv").ClickAsync());
        Assert.StartsWith("revenue-statement-", download.SuggestedFilename);
    }

    [Fact]
    public async Task The_operator_sets_a_partner_credit_line_and_an_incentive_rate()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        var partnerAccountId = await AccountIdAsync(partnerPage);

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await op.GetByTestId("nav-operator-partner-credit").ClickAsync();
        await Expect(op).ToHaveURLAsync(new Regex("/console/operator/partner-credit$"));
        await op.GetByTestId("credit-partner").FillAsync(partnerAccountId);
        await op.GetByTestId("credit-amount").FillAsync("2500");
        await op.GetByTestId("credit-until").FillAsync(DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await op.GetByTestId("credit-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("Credit line of 2,500.00 USD");

        await op.GetByTestId("incentive-program").SelectOptionAsync("Distributor");
        await op.GetByTestId("incentive-percent").FillAsync("4.5");
        await op.GetByTestId("incentive-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("Distributor partners earn 4.5 %");
        await Expect(op.Locator("[data-testid=incentive-row][data-program=Distributor]").First.GetByTestId("incentive-rate")).ToHaveTextAsync("4.5 %");
        await op.GetByTestId("incentive-percent").FillAsync("150");
        await op.GetByTestId("incentive-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("rate is the share of consumption");

        // The partner sees the line in its credit.
        await partnerPage.GotoAsync("/console/sales/funds");
        await Expect(partnerPage.GetByTestId("funds-temporary-line")).ToContainTextAsync("2,500.00 USD");
        await partnerPage.GotoAsync("/console/operator/partner-credit");
        await Expect(partnerPage.GetByTestId("not-permitted")).ToBeVisibleAsync();
    }

    // ---- steps ----

    static async Task MoveMoneyAsync(IPage page, string customerName, string amount, string button)
    {
        await page.GetByTestId("allocate-customer").SelectOptionAsync(new SelectOptionValue { Label = customerName });
        await page.GetByTestId("allocate-amount").FillAsync(amount);
        await page.GetByTestId(button).ClickAsync();
    }

    static async Task SignInAsync(IPage page, string account, string password = Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    static async Task<string> AccountIdAsync(IPage page)
    {
        await page.GotoAsync("/console");
        return (await page.GetByTestId("overview-account-id").InnerTextAsync()).Trim();
    }
}
