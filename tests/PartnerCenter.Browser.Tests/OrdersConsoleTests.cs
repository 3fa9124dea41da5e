using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Orders in the console: Buy with its quoted price, the Orders pages, Pay and Cancel, a partner's orders for its customers.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OrdersConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    const string Ecs = "hws.service.type.ec2";
    const string Spec = "s6.small.1.linux";
    const string HongKong = "ap-southeast-1";
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    [Fact]
    public async Task A_direct_customer_tops_up_buys_a_server_for_a_month_at_the_quoted_price_and_pays_it_from_its_balance()
    {
        var account = await api.NewAccountAsync("cust");
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/balance");
        await page.GetByTestId("top-up-amount").FillAsync("20");
        await page.GetByTestId("top-up-card-number").FillAsync("4242 4242 4242 4242");
        await page.GetByTestId("top-up-expiry-month").FillAsync("12");
        await page.GetByTestId("top-up-expiry-year").FillAsync((DateTime.UtcNow.Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("top-up-cvc").FillAsync("123");
        await page.GetByTestId("top-up-submit").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("20.00 USD");

        await page.GetByTestId("nav-buy").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/buy$"));
        await Expect(page.GetByTestId("quote-card")).ToHaveCountAsync(0);
        await ChooseAsync(page, Spec, HongKong);
        await Expect(page.GetByTestId("buy-region")).ToContainTextAsync("CN-Hong Kong (ap-southeast-1): 7.15 USD a month · 71.50 USD a year");
        await Expect(page.GetByTestId("quote-product")).ToContainTextAsync(Spec);
        await Expect(page.GetByTestId("quote-period")).ToHaveTextAsync("1 month");
        await Expect(page.GetByTestId("quote-list-price")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("quote-best-price")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("quote-no-discounts")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("quote-settlement")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "buy");

        await page.GetByTestId("create-order-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/orders/CS[0-9]{10}[A-Z]{8}\\?created=1$"));
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("was created");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        await Expect(page.GetByTestId("order-source")).ToContainTextAsync("Customer");
        await Expect(page.GetByTestId("order-line-spec")).ToHaveTextAsync(Spec);
        await Expect(page.GetByTestId("order-line-region")).ToContainTextAsync(HongKong);
        await Expect(page.GetByTestId("order-line-period")).ToHaveTextAsync("1 month");
        await Expect(page.GetByTestId("order-list-price")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-deadline")).ToContainTextAsync("UTC");
        await Expect(page.GetByTestId("pay-no-discount")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("pay-amount")).ToHaveTextAsync("7.15 USD");
        var orderId = (await page.GetByTestId("order-id").InnerTextAsync()).Trim();

        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Order {orderId} was paid: 7.15 USD");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("order-paid-amount")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("pay-card")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("cancel-card")).ToHaveCountAsync(0);

        await page.GetByTestId("nav-orders").ClickAsync();
        var row = page.Locator($"[data-testid=order-row][data-order-id='{orderId}']");
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(row.GetByTestId("order-amount")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page, "orders");

        await page.GetByTestId("nav-balance").ClickAsync();
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("12.85 USD");
    }

    [Fact]
    public async Task Paying_with_too_little_balance_shows_the_refusal_and_the_order_stays_pending()
    {
        var account = await api.NewAccountAsync("cust");
        await api.TopUpAsync(account, 5);
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        var orderId = await BuyAsync(page);

        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("The order was not paid: The account balance (cash and credit) is insufficient.");
        await Expect(page.GetByTestId("alert-success")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        await Expect(page.GetByTestId("pay-card")).ToBeVisibleAsync();

        await page.GotoAsync("/console/orders?status=6");
        await Expect(page.Locator($"[data-testid=order-row][data-order-id='{orderId}'] [data-testid=order-status]")).ToHaveTextAsync("Pending payment");
        await page.GotoAsync("/console/orders?status=5");
        await Expect(page.GetByTestId("orders-empty")).ToBeVisibleAsync();
        await page.GotoAsync("/console/balance");
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("5.00 USD");
    }

    [Fact]
    public async Task The_create_order_form_posted_twice_makes_one_order_which_the_customer_cancels()
    {
        var account = await api.NewAccountAsync("cust");
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GotoAsync("/console/buy");
        await ChooseAsync(page, Spec, HongKong);
        await Expect(page.GetByTestId("quote-list-price")).ToHaveTextAsync("7.15 USD");
        var token = await page.GetByTestId("order-client-token").InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}$", token);

        // A double click: the same form (antiforgery token and client token included) is posted twice at once; both land on one order.
        var landed = await page.EvaluateAsync<string[]>("""
            async () => {
                const form = document.querySelector('[data-testid=create-order-submit]').form;
                const post = async () => (await fetch(form.action || location.href, { method: 'POST', body: new URLSearchParams(new FormData(form)) })).url;
                return await Promise.all([post(), post()]);
            }
            """);
        Assert.All(landed, url => Assert.Matches("/console/orders/CS[0-9]{10}[A-Z]{8}\\?created=1$", url));
        Assert.Equal(landed[0], landed[1]);

        await page.GotoAsync("/console/orders");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await page.GetByTestId("order-link").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        var orderId = (await page.GetByTestId("order-id").InnerTextAsync()).Trim();
        Assert.Contains(orderId, landed[0]);

        await page.GetByTestId("cancel-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Order {orderId} was cancelled.");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("order-cancelled-at")).ToContainTextAsync("UTC");
        await Expect(page.GetByTestId("pay-card")).ToHaveCountAsync(0);

        await page.GotoAsync("/console/orders?status=4");
        await Expect(page.Locator($"[data-testid=order-row][data-order-id='{orderId}'] [data-testid=order-status]")).ToHaveTextAsync("Cancelled");
        await page.GotoAsync("/console/orders?status=6");
        await Expect(page.GetByTestId("orders-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_partner_orders_for_its_resale_customer_who_pays_it_within_its_budget()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customerId, 100);

        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        await partnerPage.GetByTestId("nav-sales-customers").ClickAsync();
        await partnerPage.Locator($"[data-testid=customer-row][data-customer-id='{customerId}'] [data-testid=customer-order]").ClickAsync();
        await Expect(partnerPage.GetByTestId("page-title")).ToHaveTextAsync($"Place order for {customerName}");
        await Expect(partnerPage.GetByTestId("place-order-payer")).ToContainTextAsync("budget");
        await ChooseAsync(partnerPage, Spec, HongKong);
        await Expect(partnerPage.GetByTestId("quote-list-price")).ToHaveTextAsync("7.15 USD");
        await Expect(partnerPage.GetByTestId("quote-settlement")).ToHaveTextAsync("7.15 USD");
        await partnerPage.GetByTestId("create-order-submit").ClickAsync();

        await Expect(partnerPage).ToHaveURLAsync(new Regex("/console/sales/orders\\?customer=[^&]+&created=CS"));
        await Expect(partnerPage.GetByTestId("alert-success")).ToContainTextAsync($"was created for {customerName}");
        var row = partnerPage.GetByTestId("order-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("order-customer")).ToHaveTextAsync(customerName);
        await Expect(row.GetByTestId("order-source")).ToHaveTextAsync("Partner");
        await Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        await Expect(row.GetByTestId("order-list-price")).ToHaveTextAsync("7.15 USD");
        var orderId = (await row.GetByTestId("order-id").InnerTextAsync()).Trim();
        await SaveScreenshotAsync(partnerPage, "customer-orders");

        var customer = await server.NewPageAsync();
        await SignInAsync(customer, customerName);
        await customer.GotoAsync("/console/my-partner");
        await Expect(customer.GetByTestId("my-budget-used")).ToHaveTextAsync("0.00 USD");
        await customer.GetByTestId("nav-orders").ClickAsync();
        var mine = customer.Locator($"[data-testid=order-row][data-order-id='{orderId}']");
        await Expect(mine.GetByTestId("order-source")).ToHaveTextAsync("Partner");
        await mine.GetByTestId("order-link").ClickAsync();
        await Expect(customer.GetByTestId("order-funding")).ToContainTextAsync("Your partner");
        await Expect(customer.GetByTestId("pay-amount")).ToHaveTextAsync("7.15 USD");
        await customer.GetByTestId("pay-submit").ClickAsync();
        await Expect(customer.GetByTestId("alert-success")).ToContainTextAsync($"Order {orderId} was paid: 7.15 USD");
        await Expect(customer.GetByTestId("order-status")).ToHaveTextAsync("Completed");

        await customer.GetByTestId("nav-my-partner").ClickAsync();
        await Expect(customer.GetByTestId("my-budget-amount")).ToHaveTextAsync("100.00 USD");
        await Expect(customer.GetByTestId("my-budget-used")).ToHaveTextAsync("7.15 USD");

        // The partner's list filtered by status: the order is completed now.
        await partnerPage.GetByTestId("nav-sales-orders").ClickAsync();
        await partnerPage.GetByTestId("filter-customer").SelectOptionAsync(customerId);
        await partnerPage.GetByTestId("filter-status").SelectOptionAsync("5");
        await partnerPage.GetByTestId("filter-apply").ClickAsync();
        await Expect(partnerPage.Locator($"[data-testid=order-row][data-order-id='{orderId}'] [data-testid=order-status]")).ToHaveTextAsync("Completed");
        await partnerPage.GetByTestId("filter-status").SelectOptionAsync("6");
        await partnerPage.GetByTestId("filter-apply").ClickAsync();
        await Expect(partnerPage.GetByTestId("orders-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_partner_discount_is_offered_at_payment_and_the_discounted_amount_is_paid()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true, referral: true);
        await api.GrantPartnerDiscountAsync(partner, customerId, 0.2m);
        await api.TopUpAsync(customerName, 10);

        var page = await server.NewPageAsync();
        await SignInAsync(page, customerName);
        await page.GotoAsync("/console/buy");
        await ChooseAsync(page, Spec, HongKong);
        await Expect(page.GetByTestId("quote-list-price")).ToHaveTextAsync("7.15 USD");
        var quoted = page.GetByTestId("quote-discount-row");
        await Expect(quoted).ToHaveCountAsync(1);
        await Expect(quoted.GetByTestId("quote-discount-type")).ToHaveTextAsync("Partner discount");
        await Expect(quoted.GetByTestId("quote-discount-amount")).ToHaveTextAsync("− 1.43 USD");
        await Expect(quoted.GetByTestId("quote-discount-price")).ToHaveTextAsync("5.72 USD");
        await Expect(quoted.GetByTestId("quote-best-offer")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("quote-best-price")).ToHaveTextAsync("5.72 USD");
        await page.GetByTestId("create-order-submit").ClickAsync();

        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        var offered = page.GetByTestId("pay-discount");
        await Expect(offered).ToHaveCountAsync(1);
        await Expect(offered).ToBeCheckedAsync();
        await Expect(page.GetByTestId("pay-best-offer")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pay-option-type")).ToHaveTextAsync("Partner discount");
        await Expect(page.GetByTestId("pay-amount")).ToHaveTextAsync("5.72 USD");
        // Chosen explicitly, as a customer would (it is also the proposed one).
        await page.GetByTestId("pay-no-discount").CheckAsync();
        await offered.CheckAsync();
        await SaveScreenshotAsync(page, "pay");
        await page.GetByTestId("pay-submit").ClickAsync();

        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("was paid: 5.72 USD with a partner discount.");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("order-list-price")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("order-discount")).ToHaveTextAsync("1.43 USD");
        await Expect(page.GetByTestId("order-paid-amount")).ToHaveTextAsync("5.72 USD");
        await Expect(page.GetByTestId("order-discount-used")).ToContainTextAsync("partner discount");
        await page.GotoAsync("/console/balance");
        await Expect(page.GetByTestId("balance-cash")).ToHaveTextAsync("4.28 USD");

        // Without choosing the discount the list price is paid: a second order paid with "No discount".
        await page.GotoAsync("/console/buy");
        await ChooseAsync(page, Spec, HongKong);
        await page.GetByTestId("create-order-submit").ClickAsync();
        await page.GetByTestId("pay-no-discount").CheckAsync();
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("insufficient");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
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

    /// <summary>On a Buy form: Elastic Cloud Server (its one resource type is chosen by itself), the spec, the region; 1 month, 1 server.</summary>
    static async Task ChooseAsync(IPage page, string spec, string region)
    {
        await page.GetByTestId("buy-service").SelectOptionAsync(Ecs);
        await page.GetByTestId("buy-continue").ClickAsync();
        await Expect(page.GetByTestId("buy-resource")).ToHaveValueAsync("hws.resource.type.vm");
        await page.GetByTestId("buy-spec").SelectOptionAsync(spec);
        await page.GetByTestId("buy-continue").ClickAsync();
        await page.GetByTestId("buy-region").SelectOptionAsync(region);
        await page.GetByTestId("buy-continue").ClickAsync();
        await Expect(page.GetByTestId("buy-period")).ToHaveValueAsync("month-1");
        await Expect(page.GetByTestId("buy-quantity")).ToHaveValueAsync("1");
        await Expect(page.GetByTestId("quote-card")).ToBeVisibleAsync();
    }

    /// <summary>Buys s6.small.1.linux in CN-Hong Kong for a month; returns the new order's id, on its page.</summary>
    static async Task<string> BuyAsync(IPage page)
    {
        await page.GotoAsync("/console/buy");
        await ChooseAsync(page, Spec, HongKong);
        await page.GetByTestId("create-order-submit").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");
        return (await page.GetByTestId("order-id").InnerTextAsync()).Trim();
    }

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "orders-" + name + ".png"), FullPage = true });
    }
}
