using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Resources in the console: a customer's yearly/monthly resources with the attached ones, renewal (paid or refused),
/// auto-renewal, unsubscribing with the refund previewed, and a partner renewing its customer's resource.
/// Every test buys a server (7.15 USD a month) with a 40 GB SATA disk (2.20 USD a month) through the HTTP API.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ResourcesConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    const string TimeFormat = "yyyy-MM-dd HH:mm";
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task A_customer_sees_its_server_with_the_attached_disk_and_renews_it_for_a_month_paid_from_its_balance()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 30);
        await api.BuyServerWithDiskAsync(account);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);

        await page.GetByTestId("nav-resources").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/resources$"));
        var main = page.GetByTestId("resource-row");
        await Expect(main).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("resources-count")).ToHaveTextAsync("1");
        await Expect(main.GetByTestId("resource-spec")).ToHaveTextAsync("s6.small.1.linux");
        await Expect(main.GetByTestId("resource-status")).ToHaveTextAsync("In use");
        await Expect(main.GetByTestId("resource-policy")).ToHaveTextAsync("Grace period");
        var disk = page.GetByTestId("attached-row");
        await Expect(disk).ToHaveCountAsync(1);
        await Expect(disk).ToHaveAttributeAsync("data-parent-id", await main.GetAttributeAsync("data-resource-id") ?? "");
        await Expect(disk.GetByTestId("attached-spec")).ToHaveTextAsync("SATA · 40 GB");
        await Expect(disk.GetByTestId("attached-status")).ToHaveTextAsync("In use");
        var expiry = ParseTime(await main.GetByTestId("resource-expiry").InnerTextAsync());
        await SaveScreenshotAsync(page, "list");

        await main.GetByTestId("resource-link").ClickAsync();
        await Expect(page.GetByTestId("resource-status")).ToHaveTextAsync("In use");
        await Expect(page.GetByTestId("attached-row")).ToHaveCountAsync(1);
        await page.GetByTestId("renew-period").SelectOptionAsync("month-1");
        await Expect(page.GetByTestId("renew-auto-pay")).ToBeCheckedAsync();
        await page.GetByTestId("renew-submit").ClickAsync();

        var renewed = Format(expiry.AddMonths(1));
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Renewed for 1 month and paid: {await page.GetByTestId("page-title").InnerTextAsync()} now expires {renewed}");
        await Expect(page.GetByTestId("resource-expiry")).ToHaveTextAsync(renewed);
        await Expect(page.GetByTestId("attached-expiry")).ToHaveTextAsync(renewed);
        await Expect(page.GetByTestId("pending-renewal")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "renewed");

        // The renewal order is completed, and paid from the cash balance: 30 − 9.35 for the purchase − 9.35 for the renewal.
        await page.GetByTestId("renewal-order-link").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("order-paid-amount")).ToHaveTextAsync("9.35 USD");
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("11.30 USD");
        await page.GetByTestId("nav-resources").ClickAsync();
        await Expect(page.GetByTestId("resource-expiry")).ToHaveTextAsync(renewed);
        await Expect(page.GetByTestId("attached-expiry")).ToHaveTextAsync(renewed);
    }

    [Fact]
    public async Task A_customer_turns_auto_renewal_on_with_a_number_of_times_and_off_again_and_sets_the_deduction_date()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 10);
        await api.BuyServerWithDiskAsync(account);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/resources");
        await page.GetByTestId("resource-manage").ClickAsync();
        await Expect(page.GetByTestId("auto-renew-state")).ToHaveTextAsync("Off");
        await Expect(page.GetByTestId("auto-renew-off")).ToHaveCountAsync(0);

        await page.GetByTestId("auto-renew-times").FillAsync("3");
        await page.GetByTestId("auto-renew-on").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex("Auto-renewal is on for 3 renewals\\.$"));
        await Expect(page.GetByTestId("auto-renew-state")).ToHaveTextAsync("On");
        await Expect(page.GetByTestId("resource-policy")).ToHaveTextAsync("Auto-renew (3 times left)");
        await Expect(page.GetByTestId("auto-renew-times")).ToHaveValueAsync("3");
        await page.GotoAsync("/console/resources");
        await Expect(page.GetByTestId("resource-policy")).ToHaveTextAsync("Auto-renew (3 times left)");

        // Out of range: refused, nothing changed.
        await page.GetByTestId("resource-manage").ClickAsync();
        await page.GetByTestId("auto-renew-times").EvaluateAsync("e => e.removeAttribute('max')");
        await page.GetByTestId("auto-renew-times").FillAsync("100");
        await page.GetByTestId("auto-renew-on").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("auto_renew_times is 0 (unlimited) to 99.");
        await Expect(page.GetByTestId("resource-policy")).ToHaveTextAsync("Auto-renew (3 times left)");

        await page.GetByTestId("auto-renew-off").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Auto-renewal is off");
        await Expect(page.GetByTestId("auto-renew-state")).ToHaveTextAsync("Off");
        await Expect(page.GetByTestId("resource-policy")).ToHaveTextAsync("Grace period");
        await Expect(page.GetByTestId("auto-renew-off")).ToHaveCountAsync(0);

        await page.GotoAsync("/console/resources");
        await Expect(page.GetByTestId("resource-policy")).ToHaveTextAsync("Grace period");
        await page.GetByTestId("deduction-days").SelectOptionAsync("3");
        await page.GetByTestId("renew-settings-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex("Auto-renewal now charges 3 days before expiry\\.$"));
        await Expect(page.GetByTestId("deduction-days")).ToHaveValueAsync("3");
        await page.GetByTestId("deduction-days").SelectOptionAsync("");
        await page.GetByTestId("renew-settings-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("DEDUCTION_DATE value is 2 to 7");
        await Expect(page.GetByTestId("deduction-days")).ToHaveValueAsync("3"); // refused: still the stored setting

        // The unified renewal date: the last day of the month, kept across a reload; a forged day 29 is refused and changes nothing.
        await Expect(page.GetByTestId("unified-day")).ToHaveValueAsync("");
        await page.GetByTestId("unified-day").SelectOptionAsync("-1");
        await page.GetByTestId("renew-date-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex("Renewals now run to the last day of a month\\.$"));
        await page.GotoAsync("/console/resources");
        await Expect(page.GetByTestId("unified-day")).ToHaveValueAsync("-1");
        await page.GetByTestId("unified-day").EvaluateAsync("e => { const o = document.createElement('option'); o.value = '29'; e.appendChild(o); e.value = '29'; }");
        await page.GetByTestId("renew-date-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("EXPIRE_DATE value is a day of the month, 1 to 28");
        await page.GotoAsync("/console/resources");
        await Expect(page.GetByTestId("unified-day")).ToHaveValueAsync("-1");
        await page.GetByTestId("unified-day").SelectOptionAsync("15");
        await page.GetByTestId("renew-date-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex("Renewals now run to day 15 of a month\\.$"));
        await Expect(page.GetByTestId("unified-day")).ToHaveValueAsync("15");
        await page.GetByTestId("unified-day").SelectOptionAsync("");
        await page.GetByTestId("renew-date-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("No renewal date");
        await page.GotoAsync("/console/resources");
        await Expect(page.GetByTestId("unified-day")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Unsubscribing_within_five_days_previews_then_refunds_everything_and_lists_the_refund_lines()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 20);
        var bought = await api.BuyServerWithDiskAsync(account);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/balance");
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("10.65 USD");
        await page.GotoAsync("/console/resources");
        var vm = await page.GetByTestId("resource-row").GetAttributeAsync("data-resource-id");
        var disk = await page.GetByTestId("attached-row").GetAttributeAsync("data-resource-id");
        await page.GetByTestId("resource-link").ClickAsync();

        // Only unused renewals: there are none.
        await page.GetByTestId("unsubscribe-type-2").CheckAsync();
        await page.GetByTestId("unsubscribe-preview-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("The resources have no unused renewal period to unsubscribe.");
        await Expect(page.GetByTestId("unsubscribe-preview")).ToHaveCountAsync(0);

        await page.GetByTestId("unsubscribe-type-1").CheckAsync();
        await page.GetByTestId("unsubscribe-reason-type").SelectOptionAsync("4");
        await page.GetByTestId("unsubscribe-reason").FillAsync("Wrong region");
        await page.GetByTestId("unsubscribe-preview-submit").ClickAsync();
        await Expect(page.GetByTestId("unsubscribe-preview-refund")).ToHaveTextAsync("9.35 USD");
        await Expect(page.GetByTestId("unsubscribe-preview-what")).ToContainTextAsync("and its attached resources will be released");
        // A preview changes nothing.
        await Expect(page.GetByTestId("resource-status")).ToHaveTextAsync("In use");
        await SaveScreenshotAsync(page, "unsubscribe-preview");

        await page.GetByTestId("unsubscribe-confirm").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Unsubscribed: 9.35 USD refunded");
        await Expect(page.GetByTestId("resource-status")).ToHaveTextAsync("Released");
        await Expect(page.GetByTestId("attached-status")).ToHaveTextAsync("Released");
        await Expect(page.GetByTestId("renew-card")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("unsubscribe-card")).ToHaveCountAsync(0);

        await page.GetByTestId("refund-details-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/orders/CS[0-9]{10}[A-Z]{8}/refund$"));
        await Expect(page.GetByTestId("refund-total")).ToHaveTextAsync("9.35 USD");
        await Expect(page.GetByTestId("refund-consumed")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("refund-fee")).ToHaveTextAsync("0.00 USD");
        var lines = page.GetByTestId("refund-line");
        await Expect(lines).ToHaveCountAsync(2);
        var vmLine = lines.Filter(new() { Has = page.Locator($"[data-testid=refund-line-resource]:text-is('{vm}')") });
        await Expect(vmLine.GetByTestId("refund-line-kind")).ToHaveTextAsync("Refund");
        await Expect(vmLine.GetByTestId("refund-line-amount")).ToHaveTextAsync("-7.15 USD");
        await Expect(vmLine.GetByTestId("refund-line-base-order")).ToHaveTextAsync(bought);
        var diskLine = lines.Filter(new() { Has = page.Locator($"[data-testid=refund-line-resource]:text-is('{disk}')") });
        await Expect(diskLine.GetByTestId("refund-line-amount")).ToHaveTextAsync("-2.20 USD");
        await SaveScreenshotAsync(page, "refund");

        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("20.00 USD");
        await page.GetByTestId("nav-resources").ClickAsync();
        await Expect(page.GetByTestId("resources-empty")).ToBeVisibleAsync();
        await page.GetByTestId("filter-status").SelectOptionAsync("released");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Expect(page.GetByTestId("resource-status")).ToHaveTextAsync("Released");
        await Expect(page.GetByTestId("attached-status")).ToHaveTextAsync("Released");
    }

    [Fact]
    public async Task Turning_a_server_pay_per_use_now_previews_the_refund_then_refunds_it_and_keeps_the_server_running_by_the_hour()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 20);
        await api.BuyServerWithDiskAsync(account);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/resources");
        var vm = await page.GetByTestId("resource-row").GetAttributeAsync("data-resource-id");
        await page.GetByTestId("resource-link").ClickAsync();

        await page.GetByTestId("to-on-demand-now-preview-submit").ClickAsync();
        await Expect(page.GetByTestId("to-on-demand-now-refund")).ToHaveTextAsync("9.35 USD"); // within 5 days: all of it
        await Expect(page.GetByTestId("resource-status")).ToHaveTextAsync("In use"); // a preview changes nothing
        await SaveScreenshotAsync(page, "to-on-demand-now-preview");
        await page.GetByTestId("to-on-demand-now-confirm").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("pay-per-use from now on");
        await Expect(page.GetByTestId("resource-summary")).ToHaveCountAsync(0);

        await page.GetByTestId("refund-details-link").ClickAsync();
        await Expect(page.GetByTestId("refund-total")).ToHaveTextAsync("9.35 USD");
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("20.00 USD");
        await page.GetByTestId("nav-resources").ClickAsync();
        await Expect(page.GetByTestId("resources-empty")).ToBeVisibleAsync();
        // The server and its disk go on, by the hour.
        await page.GotoAsync("/console/usage");
        await Expect(page.GetByTestId("usage-resources-count")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("usage-resources-card")).ToContainTextAsync(vm!);
    }

    [Fact]
    public async Task A_renewal_with_too_little_balance_is_refused_and_its_order_waits_for_payment()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 10);
        await api.BuyServerWithDiskAsync(account);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/resources");
        await page.GetByTestId("resource-link").ClickAsync();
        var expiry = await page.GetByTestId("resource-expiry").InnerTextAsync();

        await page.GetByTestId("renew-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("The resource was not renewed: The renewal order");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("The account balance (cash and credit) is insufficient.");
        await Expect(page.GetByTestId("alert-success")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("resource-expiry")).ToHaveTextAsync(expiry);
        var pendingId = (await page.GetByTestId("pending-renewal-id").InnerTextAsync()).Trim();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync(pendingId);
        await SaveScreenshotAsync(page, "refused");

        // Another renewal is refused while that order is pending.
        await page.GetByTestId("renew-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("in an order pending payment");
        await Expect(page.GetByTestId("pending-renewal-id")).ToHaveTextAsync(pendingId);

        await page.GetByTestId("pending-renewal-link").ClickAsync();
        await Expect(page.GetByTestId("order-id")).ToHaveTextAsync(pendingId);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        await Expect(page.GetByTestId("order-list-price")).ToHaveTextAsync("9.35 USD");
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("0.65 USD");
    }

    [Fact]
    public async Task A_partner_sees_its_resale_customers_resources_and_renews_one_on_its_behalf_within_the_budget()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customerId, 100);
        await api.BuyServerWithDiskAsync(customerName);

        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GetByTestId("nav-sales-customers").ClickAsync();
        await page.Locator($"[data-testid=customer-row][data-customer-id='{customerId}'] [data-testid=customer-link]").ClickAsync();
        await Expect(page.GetByTestId("budget-used")).ToHaveTextAsync("9.35 USD");
        await page.GetByTestId("customer-resources").ClickAsync();
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync($"Resources of {customerName}");
        await Expect(page.GetByTestId("resources-payer")).ToContainTextAsync("budget");
        var main = page.GetByTestId("resource-row");
        await Expect(main).ToHaveCountAsync(1);
        await Expect(main.GetByTestId("resource-spec")).ToHaveTextAsync("s6.small.1.linux");
        await Expect(page.GetByTestId("attached-row").GetByTestId("attached-spec")).ToHaveTextAsync("SATA · 40 GB");
        var expiry = ParseTime(await main.GetByTestId("resource-expiry").InnerTextAsync());

        await main.GetByTestId("renew-period").SelectOptionAsync("month-2");
        await main.GetByTestId("renew-submit").ClickAsync();
        var renewed = Format(expiry.AddMonths(2));
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("was renewed for 2 months on the customer's behalf and paid");
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"now expires {renewed}");
        await Expect(page.GetByTestId("resource-expiry")).ToHaveTextAsync(renewed);
        await Expect(page.GetByTestId("attached-expiry")).ToHaveTextAsync(renewed);
        await SaveScreenshotAsync(page, "partner");

        // The renewal (2 × 9.35) counts against the budget; the order is the partner's, for the customer.
        await page.GetByTestId("renewal-orders-link").ClickAsync();
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(2);
        var row = page.GetByTestId("order-row").Filter(new() { HasText = "18.70 USD" });
        await Expect(row.GetByTestId("order-source")).ToHaveTextAsync("Partner");
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(row.GetByTestId("order-list-price")).ToHaveTextAsync("18.70 USD");
        await page.GotoAsync($"/console/sales/customers/{customerId}");
        await Expect(page.GetByTestId("budget-used")).ToHaveTextAsync("28.05 USD");

        // The customer sees the same expiry in its own console.
        var customer = await server.NewPageAsync();
        await SignInAsync(customer, customerName);
        await customer.GetByTestId("nav-resources").ClickAsync();
        await Expect(customer.GetByTestId("resource-expiry")).ToHaveTextAsync(renewed);
    }

    // ---- steps ----

    static DateTime ParseTime(string text) =>
        DateTime.ParseExact(text.Trim().Replace(" UTC", "", StringComparison.Ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    static string Format(DateTime utc) => utc.ToString(TimeFormat, CultureInfo.InvariantCulture) + " UTC";

    static async Task SignInAsync(IPage page, string account, string password = Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "resources-" + name + ".png"), FullPage = true });
    }
}
