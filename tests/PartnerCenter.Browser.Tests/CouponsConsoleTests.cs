using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Coupons in the console: the partner's quotas, issuing and reclaiming, a distributor's reseller quotas, the customer's coupons at payment, the operator's grants.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CouponsConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        api.Dispose();
        http.Dispose();
    }

    [Fact]
    public async Task A_partner_issues_coupons_to_many_customers_at_once_sees_each_refusal_in_words_and_reclaims_one()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        var partnerAccountId = await AccountIdAsync(page);
        await GrantQuotaAsync(partnerAccountId, 100m, maxFace: 50m);
        var (_, first) = await api.NewCustomerAsync(partner);
        var (_, second) = await api.NewCustomerAsync(partner);
        var (_, referral) = await api.NewCustomerAsync(partner, referral: true);

        await page.GetByTestId("nav-sales-coupons").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/coupons$"));
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("100.00 USD");
        await Expect(page.GetByTestId("quota-face-range")).ToHaveTextAsync("0.01 USD – 50.00 USD");
        // A referral customer is not offered: coupons go to resale customers only.
        await Expect(page.Locator($"[data-testid=issue-customer][data-customer='{referral}']")).ToHaveCountAsync(0);

        await IssueAsync(page, "40", first, second);
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("2 coupon(s) of 40.00 USD issued.");
        await Expect(page.Locator("[data-testid=issue-result][data-outcome=issued]")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("20.00 USD");

        // 20.00 left: both customers are refused, each with the code and the reason.
        await IssueAsync(page, "15", first);
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("1 coupon(s) of 15.00 USD issued.");
        await IssueAsync(page, "10", first, second);
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("every customer was refused");
        var refused = page.Locator($"[data-testid=issue-result][data-outcome=refused][data-customer='{second}']");
        await Expect(refused.GetByTestId("issue-result-detail")).ToHaveTextAsync("CBC.99000013: The coupon quota's balance is insufficient.");
        await IssueAsync(page, "60", first);
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("above the quota's maximum of 50.00");
        await IssueAsync(page, "ten", first);
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("Enter the face value in USD");
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("5.00 USD");
        await SaveScreenshotAsync(page, "coupons");

        await page.GetByTestId("coupon-tab-issued").ClickAsync();
        await Expect(page.GetByTestId("issued-row")).ToHaveCountAsync(3);
        await page.GetByTestId("filter-customer").SelectOptionAsync(new SelectOptionValue { Label = second });
        await page.GetByTestId("filter-apply").ClickAsync();
        var row = page.GetByTestId("issued-row");
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByTestId("issued-reclaim").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("40.00 USD went back to its quota.");
        await Expect(page.GetByTestId("issued-status")).ToHaveTextAsync("Reclaimed");
        await Expect(page.GetByTestId("issued-reclaim")).ToHaveCountAsync(0);

        await page.GetByTestId("coupon-tab-quotas").ClickAsync();
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("45.00 USD");
        await page.GetByTestId("coupon-tab-records").ClickAsync();
        await Expect(page.Locator("[data-testid=record-row][data-kind=Issue]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=record-row][data-kind=Reclaim]").GetByTestId("record-amount")).ToHaveTextAsync("40.00 USD");
    }

    [Fact]
    public async Task A_partner_limits_issued_coupons_to_a_product_as_well_as_a_service_and_an_unknown_product_is_refused_in_words()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await GrantQuotaAsync(await AccountIdAsync(page), 100m);
        var (_, customer) = await api.NewCustomerAsync(partner);

        await page.GotoAsync("/console/sales/coupons");
        await page.GetByTestId("issue-products").FillAsync("no.such.product");
        await IssueAsync(page, "10", customer);
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("No coupon was issued: The product no.such.product does not exist.");
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("100.00 USD");

        // A product id as the price inquiry answers it (ListRateOnPeriodDetail's product_id).
        var product = await ProductIdAsync(partner);
        await page.GetByTestId("issue-services").FillAsync("hws.service.type.ec2");
        await page.GetByTestId("issue-products").FillAsync(product);
        await IssueAsync(page, "10", customer);
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("1 coupon(s) of 10.00 USD issued.");
        await page.GetByTestId("coupon-tab-issued").ClickAsync();
        await Expect(page.GetByTestId("issued-limits")).ToHaveTextAsync($"services: hws.service.type.ec2; products: {product}");
    }

    [Fact]
    public async Task A_distributor_issues_quota_to_its_reseller_who_issues_a_coupon_and_the_distributor_reclaims_what_is_left()
    {
        var (distributor, distributorPartnerId, _) = await api.NewPartnerAsync("distributor");
        var reseller = await api.NewAccountAsync("resl");
        var resellerCompany = reseller + " Reseller Co.";
        await SendAsync(HttpMethod.Post, $"/v1/partner-applications/{await api.ApplyAsync(reseller, "reseller", resellerCompany, distributorPartnerId)}/approve",
            await api.TokenAsync(distributor), new { });
        var page = await server.NewPageAsync();
        await SignInAsync(page, distributor);
        await GrantQuotaAsync(await AccountIdAsync(page), 500m);

        await page.GetByTestId("nav-sales-coupons").ClickAsync();
        await Expect(page.GetByTestId("issue-card")).ToHaveCountAsync(0);
        await page.GetByTestId("delegate-amount").FillAsync("200");
        await page.Locator($"[data-testid=delegate-reseller][data-reseller='{resellerCompany}']").CheckAsync();
        var token = await page.GetByTestId("delegate-client-token").InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}$", token);
        // A double click: the same rendered form (antiforgery and client token included) is posted twice at once, then once more; it delegates once.
        var answers = await page.EvaluateAsync<string[]>("""
            async () => {
                const form = document.querySelector('[data-testid=delegate-submit]').form;
                const post = async () => {
                    const response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
                    const html = await response.text();
                    return response.status + ' ' + (html.includes('1 reseller(s) got a quota of 200.00 USD.') ? 'delegated' : 'not delegated');
                };
                const first = await Promise.all([post(), post()]);
                return [...first, await post()];
            }
            """);
        Assert.All(answers, a => Assert.Equal("200 delegated", a));
        await page.ReloadAsync();
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("300.00 USD");
        await Expect(page.GetByTestId("reseller-quota-row")).ToHaveCountAsync(1);
        // Each render has its own token: the form of a fresh page is a new delegation.
        Assert.NotEqual(token, await page.GetByTestId("delegate-client-token").InputValueAsync());
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("300.00 USD");
        var held = page.Locator($"[data-testid=reseller-quota-row][data-reseller='{resellerCompany}']");
        await Expect(held.GetByTestId("reseller-quota-balance")).ToHaveTextAsync("200.00 USD");

        // The reseller issues 50.00 of it to its own customer.
        var (_, customer) = await api.NewCustomerAsync(reseller);
        var resellerPage = await server.NewPageAsync();
        await SignInAsync(resellerPage, reseller);
        await resellerPage.GotoAsync("/console/sales/coupons");
        await Expect(resellerPage.GetByTestId("quota-balance")).ToHaveTextAsync("200.00 USD");
        await IssueAsync(resellerPage, "50", customer);
        await Expect(resellerPage.GetByTestId("alert-success")).ToContainTextAsync("1 coupon(s) of 50.00 USD issued.");

        await page.GotoAsync("/console/sales/coupons");
        await held.GetByTestId("reseller-quota-pick").CheckAsync();
        await page.GetByTestId("reclaim-remark").FillAsync("End of campaign");
        await page.GetByTestId("reclaim-quotas-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Reclaimed 150.00 USD from 1 quota(s).");
        await Expect(page.GetByTestId("quota-balance")).ToHaveTextAsync("450.00 USD");
        await Expect(held.GetByTestId("reseller-quota-status")).ToHaveTextAsync("Invalid");
        await Expect(held.GetByTestId("reseller-quota-pick")).ToHaveCountAsync(0);

        await page.GetByTestId("coupon-tab-records").ClickAsync();
        await Expect(page.Locator("[data-testid=quota-record-row][data-operation='10']").GetByTestId("quota-record-amount")).ToHaveTextAsync("200.00 USD");
        await Expect(page.Locator("[data-testid=quota-record-row][data-operation='11']").GetByTestId("quota-record-amount")).ToHaveTextAsync("150.00 USD");
        await resellerPage.GotoAsync("/console/sales/coupons");
        await Expect(resellerPage.GetByTestId("quota-status")).ToHaveTextAsync("Invalid");
    }

    [Fact]
    public async Task A_resale_customer_sees_its_coupons_and_pays_an_order_with_one_which_keeps_the_rest()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customerId, 1000m);
        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        var quota = await GrantQuotaAsync(await AccountIdAsync(partnerPage), 100m);
        var big = await IssueCouponAsync(partner, quota, customerId, 30m);
        await IssueCouponAsync(partner, quota, customerId, 5m);
        var orderId = await CreateVmOrderAsync(partner, customerId);

        var page = await server.NewPageAsync();
        await SignInAsync(page, customerName);
        await page.GetByTestId("nav-coupons").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/coupons$"));
        await Expect(page.GetByTestId("coupons-balance")).ToHaveTextAsync("35.00 USD");
        await Expect(page.GetByTestId("coupons-usable-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-testid=coupon-change-row][data-kind=Issue]")).ToHaveCountAsync(2);

        await page.GotoAsync("/console/orders/" + orderId);
        await Expect(page.Locator("[data-testid=pay-coupon][data-usable=yes]")).ToHaveCountAsync(2);
        await page.Locator($"[data-testid=pay-coupon][data-coupon-id='{big}']").GetByTestId("pay-coupon-pick").CheckAsync();
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Order {orderId} was paid: 7.15 USD, 7.15 USD of it by coupons.");
        await Expect(page.GetByTestId("order-coupon-amount")).ToHaveTextAsync("7.15 USD");
        await Expect(page.Locator($"[data-testid=order-coupon-used][data-coupon-id='{big}']")).ToContainTextAsync("paid 7.15 USD");
        await SaveScreenshotAsync(page, "order-paid-with-coupon");

        await page.GotoAsync("/console/coupons");
        await Expect(page.GetByTestId("coupons-balance")).ToHaveTextAsync("27.85 USD");
        await Expect(page.Locator($"[data-testid=coupon-row][data-coupon-id='{big}']").GetByTestId("coupon-balance")).ToHaveTextAsync("22.85 USD");
        await Expect(page.Locator("[data-testid=coupon-change-row][data-kind=Use]").GetByTestId("coupon-change-amount")).ToHaveTextAsync("-7.15 USD");
    }

    [Fact]
    public async Task Coupons_refused_at_payment_say_why_in_words_with_their_code_and_nothing_is_paid()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        var self = await AccountIdAsync(page);
        // The operator's test coupons go to the partner's own account, which pays its own orders.
        var cash = await TestCouponAsync(self, 1, 2m, null);
        var cash2 = await TestCouponAsync(self, 1, 3m, null);
        var cash3 = await TestCouponAsync(self, 1, 4m, null);
        var discount = await TestCouponAsync(self, 2, 50m, 0.1m);
        var first = await CreateVmOrderAsync(partner, null);

        await page.GotoAsync("/console/orders/" + first);
        await PickAsync(page, cash, discount);
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("A cash coupon and a discount coupon cannot be used together. (CBC.99003147)");
        await PickAsync(page, cash, cash2, cash3, discount);
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("At most 3 coupons can be used for one order.");
        // Two cash coupons pay 5.00 of the 7.15 and the account has no cash for the rest: refused, and they stay reserved for this order.
        await PickAsync(page, cash, cash2);
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("insufficient");
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Pending payment");

        var second = await CreateVmOrderAsync(partner, null);
        await page.GotoAsync("/console/orders/" + second);
        var reserved = page.Locator($"[data-testid=pay-coupon][data-coupon-id='{cash}']");
        await Expect(reserved).ToHaveAttributeAsync("data-usable", "no");
        await Expect(reserved.GetByTestId("pay-coupon-refusal")).ToHaveTextAsync($"Cannot be used: it is reserved by the pending order {first}.");
        await Expect(reserved.GetByTestId("pay-coupon-pick")).ToBeDisabledAsync();

        // The discount coupon alone: 10 % of 7.15 off, the rest still wants cash.
        await PickAsync(page, discount);
        await page.GetByTestId("pay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("insufficient");
        await page.GotoAsync("/console/coupons");
        await Expect(page.Locator($"[data-testid=coupon-row][data-coupon-id='{cash}']").GetByTestId("coupon-locked")).ToContainTextAsync(first);
        await Expect(page.GetByTestId("coupon-change-row")).ToHaveCountAsync(4); // the four issues, no use
    }

    [Fact]
    public async Task The_operator_grants_a_coupon_quota_and_a_test_coupon_which_the_partner_sees()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        var partnerAccountId = await AccountIdAsync(partnerPage);
        var until = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await op.GetByTestId("nav-operator-coupons").ClickAsync();
        await Expect(op).ToHaveURLAsync(new Regex("/console/operator/coupons$"));
        await op.GetByTestId("coupon-quota-partner").FillAsync(partnerAccountId);
        await op.GetByTestId("coupon-quota-value").FillAsync("1000");
        await op.GetByTestId("coupon-quota-max").FillAsync("100");
        await op.GetByTestId("coupon-quota-expire").FillAsync(until);
        await op.GetByTestId("coupon-quota-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("of 1,000.00 USD granted until");
        await Expect(op.GetByTestId("partner-quota-balance")).ToHaveTextAsync("1,000.00 USD");

        await op.GetByTestId("coupon-quota-partner").FillAsync(partnerAccountId);
        await op.GetByTestId("coupon-quota-value").FillAsync("100");
        await op.GetByTestId("coupon-quota-min").FillAsync("50");
        await op.GetByTestId("coupon-quota-max").FillAsync("20");
        await op.GetByTestId("coupon-quota-expire").FillAsync(until);
        await op.GetByTestId("coupon-quota-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-error")).ToContainTextAsync("No quota was granted: min_face_value is at most max_face_value.");

        await op.GetByTestId("test-coupon-partner").FillAsync(partnerAccountId);
        await op.GetByTestId("test-coupon-type").SelectOptionAsync("2");
        await op.GetByTestId("test-coupon-face").FillAsync("25");
        await op.GetByTestId("test-coupon-percent").FillAsync("20");
        await op.GetByTestId("test-coupon-expire").FillAsync(until);
        await op.GetByTestId("test-coupon-submit").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("Test discount coupon");
        await SaveScreenshotAsync(op, "operator-coupons");

        await partnerPage.GotoAsync("/console/sales/coupons");
        await Expect(partnerPage.GetByTestId("quota-balance")).ToHaveTextAsync("1,000.00 USD");
        await partnerPage.GotoAsync("/console/coupons");
        await Expect(partnerPage.GetByTestId("coupon-type")).ToHaveTextAsync("Discount coupon (20 % off)");
        await Expect(partnerPage.GetByTestId("coupon-face")).ToHaveTextAsync("25.00 USD");
        await partnerPage.GotoAsync("/console/operator/coupons");
        await Expect(partnerPage.GetByTestId("not-permitted")).ToBeVisibleAsync();
    }

    // ---- steps ----

    static async Task IssueAsync(IPage page, string face, params string[] customers)
    {
        foreach (var box in await page.GetByTestId("issue-customer").AllAsync()) await box.UncheckAsync();
        foreach (var c in customers) await page.Locator($"[data-testid=issue-customer][data-customer='{c}']").CheckAsync();
        await page.GetByTestId("issue-face").FillAsync(face);
        await page.GetByTestId("issue-submit").ClickAsync();
    }

    static async Task PickAsync(IPage page, params string[] coupons)
    {
        foreach (var box in await page.Locator("[data-testid=pay-coupon][data-usable=yes] [data-testid=pay-coupon-pick]").AllAsync()) await box.UncheckAsync();
        foreach (var c in coupons) await page.Locator($"[data-testid=pay-coupon][data-coupon-id='{c}']").GetByTestId("pay-coupon-pick").CheckAsync();
    }

    async Task<string> GrantQuotaAsync(string partnerAccountId, decimal value, decimal? maxFace = null)
    {
        var body = await SendAsync(HttpMethod.Post, $"/v1/operator/partners/{partnerAccountId}/coupon-quotas", await OperatorTokenAsync(),
            new { quota_type = 0, quota_value = value, expire_time = DateTime.UtcNow.AddDays(60), max_face_value = maxFace });
        return body["quota_id"]!.GetValue<string>();
    }

    async Task<string> TestCouponAsync(string partnerAccountId, int type, decimal face, decimal? ratio)
    {
        var body = await SendAsync(HttpMethod.Post, $"/v1/operator/partners/{partnerAccountId}/test-coupons", await OperatorTokenAsync(),
            new { coupon_type = type, face_value = face, discount_ratio = ratio, expire_time = DateTime.UtcNow.AddDays(30) });
        return body["coupon_id"]!.GetValue<string>();
    }

    async Task<string> IssueCouponAsync(string partner, string quotaId, string customerId, decimal face)
    {
        var body = await SendAsync(HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", await api.TokenAsync(partner),
            new { quota_id = quotaId, customer_ids = new[] { customerId }, face_value = face });
        return body["coupon_infos"]![0]!["coupon_id"]!.GetValue<string>();
    }

    /// <summary>A monthly s6.small.1.linux server (7.15 USD at list price), pending payment: for the partner's customer, or for the partner itself.</summary>
    async Task<string> CreateVmOrderAsync(string partner, string? customerId)
    {
        var body = await SendAsync(HttpMethod.Post, "/v1/orders", await api.TokenAsync(partner), new
        {
            client_token = Guid.NewGuid().ToString("N"),
            customer_id = customerId,
            product_infos = new object[]
            {
                new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 },
            },
        });
        return body["order_id"]!.GetValue<string>();
    }

    async Task<string> ProductIdAsync(string partner)
    {
        var body = await SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", await api.TokenAsync(partner), new
        {
            product_infos = new object[]
            {
                new { id = "1", cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1, subscription_num = 1 },
            },
        });
        return body["official_website_rating_result"]!["product_rating_results"]![0]!["product_id"]!.GetValue<string>();
    }

    Task<string> OperatorTokenAsync() => api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);

    async Task<JsonObject> SendAsync(HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Auth-Token", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    static async Task SignInAsync(IPage page, string account, string password = Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "coupons-" + name + ".png"), FullPage = true });
    }

    static async Task<string> AccountIdAsync(IPage page)
    {
        await page.GotoAsync("/console");
        return (await page.GetByTestId("overview-account-id").InnerTextAsync()).Trim();
    }
}
