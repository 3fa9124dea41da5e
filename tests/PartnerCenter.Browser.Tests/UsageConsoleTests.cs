using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Pay-per-use in the console: a customer's resources with their hourly fee records, month totals, free-resource
/// packages and arrears through grace and retention; a partner's view of its customer's pay-per-use and a customer's
/// order. Usage is reported through the metering's API and rated by the hourly job that advancing the sandbox clock runs.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class UsageConsoleTests : IDisposable
{
    const string Password = PartnerApi.Password;
    const decimal VmHour = PayPerUseApi.VmHour;
    readonly ConsoleServer server;
    readonly PartnerApi api;
    readonly PayPerUseApi usage;

    public UsageConsoleTests(ConsoleServer server)
    {
        this.server = server;
        api = new PartnerApi(server);
        usage = new PayPerUseApi(server, api);
    }

    public void Dispose()
    {
        usage.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task A_customer_sees_its_hourly_fees_after_a_free_package_covered_what_it_could_and_the_months_totals()
    {
        var account = await api.NewAccountAsync("cust");
        var customerId = await usage.DomainIdAsync(account);
        await api.TopUpAsync(account, 10);
        await usage.OrderServerAsync(account);
        await usage.GrantFreeHoursAsync(customerId, "12 free VM hours", 12);
        // A package covers usage of the hours that begin once it is in force: the usage below comes later.
        await usage.AdvanceAsync(TimeSpan.FromHours(2));
        await usage.AwayFromMonthBoundaryAsync();

        var page = await SignedInAsync(account);
        await page.GetByTestId("nav-usage").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/usage$"));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Pay-per-use");
        var row = page.GetByTestId("usage-resource-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("usage-resource-spec")).ToHaveTextAsync("s6.small.1.linux");
        await Expect(row.GetByTestId("usage-resource-status")).ToHaveTextAsync("In use");
        await Expect(page.GetByTestId("usage-fees-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-standing")).ToHaveTextAsync("No arrears");
        var package = page.GetByTestId("free-package-row");
        await Expect(package.GetByTestId("free-package-remaining")).ToHaveTextAsync("12 hour");
        await Expect(package.GetByTestId("free-package-status")).ToHaveTextAsync("Effective");
        var vm = await row.GetAttributeAsync("data-resource-id") ?? throw new InvalidOperationException("no resource id");

        // Hour 1: 10 VM-hours, all free. Hour 2: 5 VM-hours, 2 free, 3 charged at list price.
        var first = await usage.UseAndRateAsync(vm, 10);
        var second = await usage.UseAndRateAsync(vm, 5);
        page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        var fees = page.GetByTestId("usage-fee-row");
        await Expect(fees).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("usage-fees-count")).ToHaveTextAsync("2");
        var latest = fees.Nth(0);
        await Expect(latest.GetByTestId("fee-resource")).ToHaveTextAsync(await page.GetByTestId("usage-resource-name").InnerTextAsync());
        await Expect(latest.GetByTestId("fee-hour")).ToHaveTextAsync(HourText(second));
        await Expect(latest.GetByTestId("fee-usage")).ToHaveTextAsync("5 hour");
        await Expect(latest.GetByTestId("fee-free")).ToHaveTextAsync("2 hour");
        await Expect(latest.GetByTestId("fee-list")).ToHaveTextAsync(Precise(3 * VmHour));
        await Expect(latest.GetByTestId("fee-discount")).ToHaveTextAsync("0.00 USD");
        await Expect(latest.GetByTestId("fee-amount")).ToHaveTextAsync(Precise(3 * VmHour));
        await Expect(latest.GetByTestId("fee-settlement")).ToHaveCountAsync(0);
        var earlier = fees.Nth(1);
        await Expect(earlier.GetByTestId("fee-hour")).ToHaveTextAsync(HourText(first));
        await Expect(earlier.GetByTestId("fee-usage")).ToHaveTextAsync("10 hour");
        await Expect(earlier.GetByTestId("fee-free")).ToHaveTextAsync("10 hour");
        await Expect(earlier.GetByTestId("fee-amount")).ToHaveTextAsync("0.00 USD");

        // The month's totals; 0.04 was deducted (cut to the cent), the rest waits for the next cent.
        await Expect(page.GetByTestId("usage-month-name")).ToHaveTextAsync(first.ToString("MMMM yyyy", CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("usage-month-list")).ToHaveTextAsync(Precise(3 * VmHour));
        await Expect(page.GetByTestId("usage-month-amount")).ToHaveTextAsync(Precise(3 * VmHour));
        await Expect(page.GetByTestId("usage-month-records")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("usage-pending")).ToHaveTextAsync(Precise(3 * VmHour - 0.04m));
        await Expect(page.GetByTestId("usage-standing")).ToHaveTextAsync("No arrears");
        await Expect(page.GetByTestId("usage-arrears")).ToHaveTextAsync("0.00 USD");
        package = page.GetByTestId("free-package-row");
        await Expect(package.GetByTestId("free-package-remaining")).ToHaveTextAsync("0 hour");
        await Expect(package.GetByTestId("free-package-original")).ToHaveTextAsync("12 hour");
        await Expect(package.GetByTestId("free-package-status")).ToHaveTextAsync("Used up");
        await SaveScreenshotAsync(page, "customer");

        // The previous month has none of it; one resource's fees are one link away.
        await page.GetByTestId("usage-month-previous").ClickAsync();
        await Expect(page.GetByTestId("usage-fees-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-month-amount")).ToHaveTextAsync("0.00 USD");
        await page.GetByTestId("usage-month-next").ClickAsync();
        await page.GetByTestId("usage-resource-fees").ClickAsync();
        await Expect(page.GetByTestId("usage-resource-selected")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-fee-row")).ToHaveCountAsync(2);

        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("9.96 USD");
    }

    [Fact]
    public async Task Usage_a_customer_cannot_pay_becomes_arrears_with_its_resources_in_grace_then_frozen_in_retention_until_a_top_up_settles_it()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 0.05m);
        await usage.OrderServerAsync(account);
        await usage.AwayFromMonthBoundaryAsync();
        var page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        var vm = await page.GetByTestId("usage-resource-row").GetAttributeAsync("data-resource-id") ?? throw new InvalidOperationException("no resource id");

        // 10 VM-hours (0.1439931): 0.05 from cash, 0.09 owed.
        await usage.UseAndRateAsync(vm, 10);
        var charged = Hour(await usage.NowAsync());
        page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        await Expect(page.GetByTestId("usage-arrears")).ToHaveTextAsync("0.09 USD");
        await Expect(page.GetByTestId("usage-standing")).ToHaveTextAsync("Grace period");
        await Expect(page.GetByTestId("usage-standing-ends")).ToHaveTextAsync(Time(charged.AddDays(15)));
        await Expect(page.GetByTestId("usage-resource-status")).ToHaveTextAsync("Grace period");
        await Expect(page.GetByTestId("fee-amount")).ToHaveTextAsync(Precise(10 * VmHour));
        await Expect(page.GetByTestId("usage-top-up")).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "grace");

        // Fifteen days later the resources are frozen for the 15-day retention period.
        await usage.AdvanceAsync(TimeSpan.FromDays(15));
        page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        await Expect(page.GetByTestId("usage-arrears")).ToHaveTextAsync("0.09 USD");
        await Expect(page.GetByTestId("usage-standing")).ToHaveTextAsync("Retention period (frozen)");
        await Expect(page.GetByTestId("usage-standing-ends")).ToHaveTextAsync(Time(charged.AddDays(30)));
        await Expect(page.GetByTestId("usage-resource-status")).ToHaveTextAsync("Frozen");
        await SaveScreenshotAsync(page, "retention");

        // A top-up is taken for the arrears by the next hourly run: nothing owed, the resource back in use.
        await api.TopUpAsync(account, 1);
        await usage.AdvanceAsync(TimeSpan.FromHours(1));
        page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        await Expect(page.GetByTestId("usage-arrears")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("usage-standing")).ToHaveTextAsync("No arrears");
        await Expect(page.GetByTestId("usage-standing-ends")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("usage-resource-status")).ToHaveTextAsync("In use");
        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("0.91 USD");
    }

    [Fact]
    public async Task A_partner_sees_its_resale_customers_pay_per_use_fees_with_its_discount_and_settlement_and_the_order_that_created_the_resource()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner);
        await api.SetAutomaticBudgetAsync(partner, customerId, 50);
        await api.GrantPartnerDiscountAsync(partner, customerId, 0.1m);
        var orderId = await usage.OrderServerAsync(partner, customerId);
        await usage.AwayFromMonthBoundaryAsync();

        var page = await SignedInAsync(partner);
        await page.GetByTestId("nav-sales-customers").ClickAsync();
        await page.Locator($"[data-testid=customer-row][data-customer-id='{customerId}'] [data-testid=customer-link]").ClickAsync();
        await page.GetByTestId("customer-usage").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/sales/customers/{customerId}/pay-per-use$"));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync($"Pay-per-use of {customerName}");
        await Expect(page.GetByTestId("usage-payer")).ToContainTextAsync("settlement price");
        var row = page.GetByTestId("usage-resource-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("usage-resource-status")).ToHaveTextAsync("In use");
        await Expect(page.GetByTestId("usage-fees-empty")).ToBeVisibleAsync();
        var vm = await row.GetAttributeAsync("data-resource-id") ?? throw new InvalidOperationException("no resource id");

        // 10 VM-hours: list 0.1439931, the partner's 10 % off for the customer, settlement at list (no settlement discount).
        var hour = await usage.UseAndRateAsync(vm, 10);
        page = await SignedInAsync(partner);
        await page.GotoAsync($"/console/sales/customers/{customerId}/pay-per-use");
        var fee = page.GetByTestId("usage-fee-row");
        await Expect(fee).ToHaveCountAsync(1);
        await Expect(fee).ToHaveAttributeAsync("data-resource-id", vm);
        await Expect(fee.GetByTestId("fee-hour")).ToHaveTextAsync(HourText(hour));
        await Expect(fee.GetByTestId("fee-usage")).ToHaveTextAsync("10 hour");
        await Expect(fee.GetByTestId("fee-list")).ToHaveTextAsync(Precise(10 * VmHour));
        await Expect(fee.GetByTestId("fee-discount")).ToHaveTextAsync(Precise(VmHour));
        await Expect(fee.GetByTestId("fee-amount")).ToHaveTextAsync(Precise(9 * VmHour));
        await Expect(fee.GetByTestId("fee-settlement")).ToHaveTextAsync(Precise(10 * VmHour));
        await Expect(page.GetByTestId("usage-month-list")).ToHaveTextAsync(Precise(10 * VmHour));
        await Expect(page.GetByTestId("usage-month-discount")).ToHaveTextAsync(Precise(VmHour));
        await Expect(page.GetByTestId("usage-month-settlement")).ToHaveTextAsync(Precise(10 * VmHour));
        await SaveScreenshotAsync(page, "partner");

        // The list amount (cut to the cent) was spent from the customer's budget.
        await page.GetByTestId("back-to-customer").ClickAsync();
        await Expect(page.GetByTestId("budget-used")).ToHaveTextAsync("0.14 USD");

        // The order that created the resource: completed at once, of 0, pay-per-use.
        await page.GetByTestId("customer-orders").ClickAsync();
        await page.Locator($"[data-testid=order-row][data-order-id='{orderId}'] [data-testid=order-link]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/sales/orders/{orderId}$"));
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("order-customer")).ToHaveTextAsync(customerName);
        await Expect(page.GetByTestId("order-type")).ToHaveTextAsync("New purchase");
        await Expect(page.GetByTestId("order-source")).ToContainTextAsync("Partner");
        await Expect(page.GetByTestId("order-line-period")).ToHaveTextAsync("Pay-per-use");
        await Expect(page.GetByTestId("order-line-resource")).ToHaveTextAsync(vm);
        await Expect(page.GetByTestId("order-list-price")).ToHaveTextAsync("0.00 USD");
    }

    [Fact]
    public async Task A_partner_opens_its_customers_order_from_the_customer_orders_list_and_sees_it_paid_within_the_budget()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customerId, 100);
        var orderId = await usage.OrderMonthlyServerForAsync(partner, customerId);

        var page = await SignedInAsync(partner);
        await page.GetByTestId("nav-sales-orders").ClickAsync();
        await page.Locator($"[data-testid=order-row][data-order-id='{orderId}'] [data-testid=order-link]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/sales/orders/{orderId}$"));
        await Expect(page.GetByTestId("order-id")).ToHaveTextAsync(orderId);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        await Expect(page.GetByTestId("order-customer")).ToHaveTextAsync(customerName);
        await Expect(page.GetByTestId("order-association")).ToHaveTextAsync("Resale");
        await Expect(page.GetByTestId("order-deadline")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-pending-hint")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-list-price")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-line-spec")).ToHaveTextAsync("s6.small.1.linux");
        await Expect(page.GetByTestId("order-line-period")).ToHaveTextAsync("1 month");
        // A partner sees its customer's order; it does not pay it.
        await Expect(page.GetByTestId("pay-form")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "order-pending");

        await usage.PayAsync(customerName, orderId);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("order-paid-amount")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-settlement")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-funding")).ToHaveTextAsync("You, within the customer's budget");
        await page.GetByTestId("back-to-orders").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/sales/orders\\?customer={customerId}$"));
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Another_partners_customer_order_is_not_found_and_a_non_partner_cannot_open_the_sales_order_page()
    {
        var (partnerA, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partnerA, withPassword: true);
        await api.SetAutomaticBudgetAsync(partnerA, customerId, 100);
        var orderId = await usage.OrderMonthlyServerForAsync(partnerA, customerId);
        var (partnerB, _, _) = await api.NewPartnerAsync();

        var page = await SignedInAsync(partnerB);
        await page.GotoAsync($"/console/sales/orders/{orderId}");
        await Expect(page.GetByTestId("order-not-found")).ToContainTextAsync($"None of your customers has an order {orderId}.");
        await Expect(page.GetByTestId("order-summary")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("order-lines")).ToHaveCountAsync(0);
        await page.GotoAsync("/console/sales/orders");
        await Expect(page.Locator($"[data-testid=order-row][data-order-id='{orderId}']")).ToHaveCountAsync(0);

        // The customer itself is no partner: the Sales page refuses it (its own Orders page shows the order).
        var customer = await SignedInAsync(customerName);
        await customer.GotoAsync($"/console/sales/orders/{orderId}");
        await Expect(customer.GetByTestId("alert-error")).ToBeVisibleAsync();
        await Expect(customer.GetByTestId("order-summary")).ToHaveCountAsync(0);
        await customer.GotoAsync($"/console/orders/{orderId}");
        await Expect(customer.GetByTestId("order-id")).ToHaveTextAsync(orderId);
    }

    [Fact]
    public async Task Another_partner_sees_nothing_of_a_customers_pay_per_use_that_is_not_its_own()
    {
        var (partnerA, _, _) = await api.NewPartnerAsync();
        var (customerId, _) = await api.NewCustomerAsync(partnerA);
        await api.SetAutomaticBudgetAsync(partnerA, customerId, 50);
        await usage.OrderServerAsync(partnerA, customerId);
        var (partnerB, _, _) = await api.NewPartnerAsync();

        var page = await SignedInAsync(partnerB);
        await page.GotoAsync($"/console/sales/customers/{customerId}/pay-per-use");
        await Expect(page.GetByTestId("alert-error")).ToHaveTextAsync(new Regex("This customer is not one of your customers\\.$"));
        await Expect(page.GetByTestId("usage-resources-card")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("usage-fees-card")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("usage-resource-row")).ToHaveCountAsync(0);
    }

    // ---- steps ----

    async Task<IPage> SignedInAsync(string account, string password = Password)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return page;
    }

    static DateTime Hour(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);

    static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    static string HourText(DateTime hour) => hour.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "–" + hour.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";

    static string Precise(decimal amount) => Math.Round(amount, 8).ToString("#,0.00######", CultureInfo.InvariantCulture) + " USD";

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "usage-" + name + ".png"), FullPage = true });
    }
}
