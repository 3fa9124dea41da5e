using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>The partner capability in the console: programs, Sales > Customers, budgets, freezing, resellers, My partner.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PartnerConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task An_account_applies_to_the_CSP_program_and_the_operator_approves_it_in_the_console()
    {
        var account = await api.NewAccountAsync();
        var company = account + " Cloud Services";
        var page = await server.NewPageAsync();
        await SignInAsync(page, account, Password);
        await Expect(page.GetByTestId("nav-sales")).ToHaveCountAsync(0);

        await page.GetByTestId("nav-partner-programs").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/partner-programs$"));
        await page.GetByTestId("apply-program-csp").CheckAsync();
        await page.GetByTestId("apply-company").FillAsync(company);
        await page.GetByTestId("apply-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("submitted");
        await Expect(page.GetByTestId("application-pending")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("my-application-status")).ToHaveTextAsync("Pending");

        var operatorPage = await server.NewPageAsync();
        await SignInAsync(operatorPage, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await operatorPage.GetByTestId("nav-operator-partner-applications").ClickAsync();
        var row = operatorPage.Locator($"[data-testid=application-row][data-company=\"{company}\"]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("application-status")).ToHaveTextAsync("Pending");
        await SaveScreenshotAsync(operatorPage, "partner-applications");
        await row.GetByTestId("application-approve").ClickAsync();
        await Expect(operatorPage.GetByTestId("alert-success")).ToContainTextAsync(company);
        await Expect(operatorPage.Locator($"[data-testid=application-row][data-company=\"{company}\"]")).ToHaveCountAsync(0);
        await operatorPage.GetByTestId("filter-approved").ClickAsync();
        await Expect(operatorPage.Locator($"[data-testid=application-row][data-company=\"{company}\"]").GetByTestId("application-status")).ToHaveTextAsync("Approved");

        await page.GotoAsync("/console/partner-programs");
        await Expect(page.GetByTestId("enrolled-program")).ToHaveTextAsync("Cloud Solution Provider");
        await Expect(page.GetByTestId("my-application-status")).ToHaveTextAsync("Approved");
        await Expect(page.GetByTestId("nav-sales-customers")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-sales-resellers")).ToHaveCountAsync(0);
        await page.GetByTestId("nav-sales-customers").ClickAsync();
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Customers");
        await Expect(page.GetByTestId("customers-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_operator_rejects_an_application_with_a_reason()
    {
        var account = await api.NewAccountAsync();
        var company = account + " Rejected Ltd.";
        await api.ApplyAsync(account, "distributor", company);

        var operatorPage = await server.NewPageAsync();
        await SignInAsync(operatorPage, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await operatorPage.GotoAsync("/console/operator/partner-applications");
        var row = operatorPage.Locator($"[data-testid=application-row][data-company=\"{company}\"]");
        await row.GetByTestId("application-reason-input").FillAsync("Incomplete company documents");
        await row.GetByTestId("application-reject").ClickAsync();
        await Expect(operatorPage.GetByTestId("alert-success")).ToContainTextAsync("rejected");

        var page = await server.NewPageAsync();
        await SignInAsync(page, account, Password);
        await page.GotoAsync("/console/partner-programs");
        await Expect(page.GetByTestId("my-application-status")).ToHaveTextAsync("Rejected");
        await Expect(page.GetByTestId("my-applications")).ToContainTextAsync("Incomplete company documents");
        await Expect(page.GetByTestId("apply-card")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_partner_sees_budget_alerts_at_75_90_and_100_percent_and_the_automatic_freeze()
    {
        var (csp, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(csp);
        await api.SetAutomaticBudgetAsync(csp, customerId, 100m);
        foreach (var amount in new[] { 76m, 15m, 9m }) await api.SpendAsync(customerId, amount);

        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        await page.GetByTestId("nav-sales-notifications").ClickAsync();
        var rows = page.GetByTestId("notification-row");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToHaveAttributeAsync("data-kind", "budget.100");
        await Expect(rows.First).ToContainTextAsync("frozen automatically");
        await Expect(rows.Nth(2)).ToContainTextAsync(customerName);

        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Frozen");
        await Expect(page.GetByTestId("budget-used")).ToHaveTextAsync("100.00 USD");
    }

    [Fact]
    public async Task A_CSP_creates_a_customer_sets_a_monthly_budget_with_unfreeze_and_sees_the_setting_record()
    {
        var (csp, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        var customer = await CreateCustomerAsync(page);

        var row = CustomerRow(page, customer);
        await Expect(row.GetByTestId("customer-association")).ToHaveTextAsync("Resale");
        await Expect(row.GetByTestId("customer-frozen")).ToHaveTextAsync("Frozen");
        await Expect(row.GetByTestId("customer-budget")).ToHaveTextAsync("No budget");

        await row.GetByTestId("customer-link").ClickAsync();
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Customer: " + customer);
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Frozen");
        await Expect(page.GetByTestId("budget-none")).ToBeVisibleAsync();

        await page.GetByTestId("budget-amount-input").FillAsync("100.00");
        await page.GetByTestId("budget-type-input").SelectOptionAsync("MONTHLY");
        await page.GetByTestId("budget-unfreeze").CheckAsync();
        await page.GetByTestId("budget-submit").ClickAsync();

        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("unfrozen");
        await Expect(page.GetByTestId("budget-amount")).ToHaveTextAsync("100.00 USD");
        await Expect(page.GetByTestId("budget-used")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("budget-type")).ToHaveTextAsync("Monthly");
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Active");
        await Expect(page.GetByTestId("budget-record-operation")).ToHaveTextAsync("SETTING");
        await Expect(page.GetByTestId("budget-record-amount")).ToHaveTextAsync("100.00 USD");
        await Expect(page.GetByTestId("freeze-record-action").First).ToHaveTextAsync("Unfrozen");
        await SaveScreenshotAsync(page, "customer-detail");

        await page.GetByTestId("back-to-customers").ClickAsync();
        row = CustomerRow(page, customer);
        await Expect(row.GetByTestId("customer-frozen")).ToHaveTextAsync("Active");
        await Expect(row.GetByTestId("customer-budget")).ToContainTextAsync("100.00 USD");
        await SaveScreenshotAsync(page, "customer-list");
    }

    [Fact]
    public async Task A_CSP_freezes_a_customer_with_a_reason_sees_the_history_then_unfreezes_it()
    {
        var (csp, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        var customer = await CreateCustomerAsync(page);
        await CustomerRow(page, customer).GetByTestId("customer-link").ClickAsync();
        await page.GetByTestId("budget-amount-input").FillAsync("250");
        await page.GetByTestId("budget-unfreeze").CheckAsync();
        await page.GetByTestId("budget-submit").ClickAsync();
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Active");

        await page.GetByTestId("freeze-reason").FillAsync("Invoice 42 overdue");
        await page.GetByTestId("freeze-type").SelectOptionAsync("ACCOUNT");
        await page.GetByTestId("freeze-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("frozen");
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Frozen");
        var latest = page.GetByTestId("freeze-record-row").First;
        await Expect(latest.GetByTestId("freeze-record-action")).ToHaveTextAsync("Frozen");
        await Expect(latest.GetByTestId("freeze-record-reason")).ToHaveTextAsync("Invoice 42 overdue");

        await page.GetByTestId("freeze-reason").FillAsync("Invoice 42 paid");
        await page.GetByTestId("unfreeze-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("unfrozen");
        await Expect(page.GetByTestId("detail-frozen")).ToHaveTextAsync("Active");
        latest = page.GetByTestId("freeze-record-row").First;
        await Expect(latest.GetByTestId("freeze-record-action")).ToHaveTextAsync("Unfrozen");
        await Expect(latest.GetByTestId("freeze-record-reason")).ToHaveTextAsync("Invoice 42 paid");
        await Expect(page.GetByTestId("freeze-record-row")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task A_CSP_sets_the_same_budget_on_two_selected_customers_at_once()
    {
        var (csp, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        var first = await CreateCustomerAsync(page);
        var second = await CreateCustomerAsync(page);
        var referral = await CreateCustomerAsync(page, referral: true);
        await Expect(CustomerRow(page, referral).GetByTestId("customer-select")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("customers-count")).ToHaveTextAsync("3");

        await CustomerRow(page, first).GetByTestId("customer-select").CheckAsync();
        await CustomerRow(page, second).GetByTestId("customer-select").CheckAsync();
        await page.GetByTestId("batch-amount").FillAsync("50");
        await page.GetByTestId("batch-unfreeze").CheckAsync();
        await page.GetByTestId("batch-set-budget").ClickAsync();

        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("set for 2 customers");
        await Expect(page.GetByTestId("batch-failures")).ToHaveCountAsync(0);
        foreach (var c in new[] { first, second })
        {
            await Expect(CustomerRow(page, c).GetByTestId("customer-budget")).ToContainTextAsync("50.00 USD");
            await Expect(CustomerRow(page, c).GetByTestId("customer-frozen")).ToHaveTextAsync("Active");
        }
        await Expect(CustomerRow(page, referral).GetByTestId("customer-budget")).ToHaveTextAsync("Not applicable");

        // Freeze both again in one batch.
        await CustomerRow(page, first).GetByTestId("customer-select").CheckAsync();
        await CustomerRow(page, second).GetByTestId("customer-select").CheckAsync();
        await page.GetByTestId("batch-reason").FillAsync("Quarter-end review");
        await page.GetByTestId("batch-freeze").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Frozen");
        await Expect(CustomerRow(page, first).GetByTestId("customer-frozen")).ToHaveTextAsync("Frozen");
        await Expect(CustomerRow(page, second).GetByTestId("customer-frozen")).ToHaveTextAsync("Frozen");

        // Filters: by association type and by name.
        await page.GetByTestId("filter-type").SelectOptionAsync("referral");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page.GetByTestId("customers-count")).ToHaveTextAsync("1");
        await Expect(CustomerRow(page, referral)).ToHaveCountAsync(1);
        await page.GetByTestId("filter-type").SelectOptionAsync("");
        await page.GetByTestId("filter-account-name").FillAsync(first);
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page.GetByTestId("customer-row")).ToHaveCountAsync(1);
        await Expect(CustomerRow(page, first)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_distributor_approves_its_reseller_and_delegates_a_monthly_quota()
    {
        var (distributor, distributorPartnerId, _) = await api.NewPartnerAsync("distributor");
        var reseller = await api.NewAccountAsync("resl");
        var resellerCompany = reseller + " Reseller Co.";
        await api.ApplyAsync(reseller, "reseller", resellerCompany, distributorPartnerId);

        var page = await server.NewPageAsync();
        await SignInAsync(page, distributor, Password);
        await page.GetByTestId("nav-sales-resellers").ClickAsync();
        await Expect(page.GetByTestId("own-partner-id")).ToHaveTextAsync(distributorPartnerId);
        await Expect(page.GetByTestId("resellers-empty")).ToBeVisibleAsync();
        var application = page.Locator($"[data-testid=reseller-application-row][data-company=\"{resellerCompany}\"]");
        await application.GetByTestId("reseller-application-approve").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("is now your reseller");

        var row = page.Locator($"[data-testid=reseller-row][data-reseller-name=\"{reseller}\"]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("reseller-delegation")).ToContainTextAsync("Managed by you");
        await row.GetByTestId("delegate-monthly").FillAsync("500");
        await row.GetByTestId("delegate-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("500.00 USD");
        row = page.Locator($"[data-testid=reseller-row][data-reseller-name=\"{reseller}\"]");
        await Expect(row.GetByTestId("reseller-delegation")).ToContainTextAsync("Delegated");
        await Expect(row.GetByTestId("reseller-delegation")).ToContainTextAsync("500.00 USD");
        await SaveScreenshotAsync(page, "resellers");

        // The reseller's customers, seen by the distributor: it may create one, and budgets are now the reseller's.
        await row.GetByTestId("reseller-customers").ClickAsync();
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Customers of " + resellerCompany);
        var customer = await CreateCustomerAsync(page, navigate: false);
        await CustomerRow(page, customer).GetByTestId("customer-link").ClickAsync();
        await Expect(page.GetByTestId("manage-blocked")).ToContainTextAsync("delegated");

        // Revoking takes budgets back.
        await page.GotoAsync("/console/sales/resellers");
        await page.Locator($"[data-testid=reseller-row][data-reseller-name=\"{reseller}\"]").GetByTestId("delegate-revoke").ClickAsync();
        await Expect(page.Locator($"[data-testid=reseller-row][data-reseller-name=\"{reseller}\"]").GetByTestId("reseller-delegation")).ToContainTextAsync("Managed by you");

        // The reseller sees its customer and the Sales menu without Resellers.
        var resellerPage = await server.NewPageAsync();
        await SignInAsync(resellerPage, reseller, Password);
        await resellerPage.GetByTestId("nav-sales-customers").ClickAsync();
        await Expect(resellerPage.GetByTestId("nav-sales-resellers")).ToHaveCountAsync(0);
        await Expect(CustomerRow(resellerPage, customer)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_resale_customer_sees_its_partner_and_budget_on_My_partner()
    {
        var (csp, _, company) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        var customer = await CreateCustomerAsync(page);
        await CustomerRow(page, customer).GetByTestId("customer-link").ClickAsync();
        await page.GetByTestId("budget-amount-input").FillAsync("100");
        await page.GetByTestId("budget-unfreeze").CheckAsync();
        await page.GetByTestId("budget-submit").ClickAsync();
        await Expect(page.GetByTestId("budget-amount")).ToHaveTextAsync("100.00 USD");

        var customerPage = await server.NewPageAsync();
        await SignInAsync(customerPage, customer, Password);
        await Expect(customerPage.GetByTestId("nav-partner-programs")).ToHaveCountAsync(0);
        await customerPage.GetByTestId("nav-my-partner").ClickAsync();
        await Expect(customerPage).ToHaveURLAsync(new Regex("/console/my-partner$"));
        await Expect(customerPage.GetByTestId("my-partner-company")).ToHaveTextAsync(company);
        await Expect(customerPage.GetByTestId("my-partner-association")).ToHaveTextAsync("Resale");
        await Expect(customerPage.GetByTestId("my-budget-amount")).ToHaveTextAsync("100.00 USD");
        await Expect(customerPage.GetByTestId("my-budget-used")).ToHaveTextAsync("0.00 USD");
        await Expect(customerPage.GetByTestId("my-budget-type")).ToHaveTextAsync("Monthly");
        await Expect(customerPage.GetByTestId("my-partner-frozen")).ToHaveTextAsync("Active");
        await SaveScreenshotAsync(customerPage, "my-partner");
    }

    [Fact]
    public async Task A_CSP_invites_an_existing_account_which_accepts_then_the_CSP_changes_the_type_and_dissolves_it()
    {
        var (csp, _, company) = await api.NewPartnerAsync();
        var invitee = await api.NewAccountAsync("invitee");
        var page = await server.NewPageAsync();
        await SignInAsync(page, csp, Password);
        await page.GotoAsync("/console/sales/customers");
        await page.GetByTestId("invite-account").FillAsync(invitee);
        await page.GetByTestId("invite-type").SelectOptionAsync("3");
        await page.GetByTestId("invite-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(invitee);
        await Expect(page.Locator($"[data-testid=invitation-row][data-customer-name=\"{invitee}\"]").GetByTestId("invitation-status")).ToHaveTextAsync("Pending");

        var inviteePage = await server.NewPageAsync();
        await SignInAsync(inviteePage, invitee, Password);
        await inviteePage.GetByTestId("nav-my-partner").ClickAsync();
        await Expect(inviteePage.GetByTestId("no-partner")).ToBeVisibleAsync();
        await inviteePage.GetByTestId("invitation-accept").ClickAsync();
        await Expect(inviteePage.GetByTestId("alert-success")).ToContainTextAsync("associated");
        await Expect(inviteePage.GetByTestId("my-partner-company")).ToHaveTextAsync(company);
        await Expect(inviteePage.GetByTestId("my-partner-frozen")).ToHaveTextAsync("Frozen");
        await Expect(inviteePage.GetByTestId("my-budget-none")).ToBeVisibleAsync();
        // The navigation is drawn before the accept runs: the next page shows the account as a customer.
        await inviteePage.GotoAsync("/console/my-partner");
        await Expect(inviteePage.GetByTestId("nav-partner-programs")).ToHaveCountAsync(0);

        await page.GotoAsync("/console/sales/customers");
        var row = CustomerRow(page, invitee);
        await Expect(row.GetByTestId("customer-association")).ToHaveTextAsync("Resale");
        await Expect(row.GetByTestId("customer-frozen")).ToHaveTextAsync("Frozen");
        await row.GetByTestId("customer-link").ClickAsync();
        await page.GetByTestId("association-change").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("referral");
        await Expect(page.GetByTestId("detail-association")).ToHaveTextAsync("Referral");
        await page.GetByTestId("association-dissolve").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/customers\\?dissolved="));
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("dissolved");
        await Expect(CustomerRow(page, invitee)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_non_partner_is_told_it_is_not_a_partner_on_the_customers_page()
    {
        var account = await api.NewAccountAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, account, Password);
        await page.GotoAsync("/console/sales/customers");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("not a partner");
        await Expect(page.GetByTestId("customers-card")).ToHaveCountAsync(0);
    }

    // ---- steps ----

    static ILocator CustomerRow(IPage page, string name) => page.Locator($"[data-testid=customer-row][data-customer-name=\"{name}\"]");

    static async Task SignInAsync(IPage page, string account, string password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    /// <summary>Creates a customer in the console (resale unless told otherwise); ends on the customer list.</summary>
    static async Task<string> CreateCustomerAsync(IPage page, bool referral = false, bool navigate = true)
    {
        var name = PartnerApi.Unique("cust");
        if (navigate) await page.GotoAsync("/console/sales/customers");
        await page.GetByTestId("create-customer-name").FillAsync(name);
        await page.GetByTestId("create-customer-email").FillAsync(name + "@example.com");
        await page.GetByTestId("create-customer-password").FillAsync(Password);
        await page.GetByTestId("create-customer-country").SelectOptionAsync("SG");
        await page.GetByTestId(referral ? "create-customer-referral" : "create-customer-resale").CheckAsync();
        await page.GetByTestId("create-customer-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(name);
        await Expect(CustomerRow(page, name)).ToHaveCountAsync(1);
        return name;
    }

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "partner-" + name + ".png"), FullPage = true });
    }
}
