using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Orders over HTTP: created by a customer or by its partner on its behalf, paid through PayOrders, listed, cancelled.</summary>
public sealed class OrdersApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static object Product(int months = 1, string spec = "s6.small.1.linux") => new
    {
        cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = spec, region = "ap-southeast-1",
        period_type = 2, period_num = months, subscription_num = 1,
    };

    static object Card => new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };

    async Task<decimal> CashAsync(TestAccount a) =>
        (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", a.AccessKey, a.SecretKey)).JsonAsync())
        ["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();

    [Fact]
    public async Task A_customer_orders_pays_once_and_lists_its_order()
    {
        var customer = await s.NewAccountAsync("shop");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = 50m, card = Card, client_token = "fund" });
        var created = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey,
            new { product_infos = new[] { Product(months: 2) }, client_token = "o-1" })).JsonAsync();
        var orderId = created["order_id"]!.GetValue<string>();
        var info = created["order_info"]!;
        Assert.Equal((6, 1, 14.30m, 1), (info["status"]!.GetValue<int>(), info["source_type"]!.GetValue<int>(), info["official_amount"]!.GetValue<decimal>(), info["order_type"]!.GetValue<int>()));
        Assert.NotNull(info["pending_payment_end_time"]);
        // The creation answer reads only its own service type's name from the catalog.
        Assert.Equal(("hws.service.type.ec2", "Elastic Cloud Server"), (info["service_type_code"]!.GetValue<string>(), info["service_type_name"]!.GetValue<string>()));

        var pay = new { order_id = orderId, use_coupon = "NO", use_discount = "NO" };
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey, pay)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey, pay)).StatusCode);
        Assert.Equal(50m - 14.30m, await CashAsync(customer));

        var listed = await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders?status=5", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(1, listed["total_count"]!.GetValue<int>());
        Assert.Equal(orderId, listed["order_infos"]![0]!["order_id"]!.GetValue<string>());
        var details = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/details/{orderId}", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(("s6.small.1.linux", 2, 14.30m), (details["order_line_items"]![0]!["product_spec_desc"]!.GetValue<string>(),
            details["order_line_items"]![0]!["period_num"]!.GetValue<int>(), details["order_line_items"]![0]!["official_amount"]!.GetValue<decimal>()));
        await (await s.SignedAsync(HttpMethod.Put, "/v2/orders/customer-orders/cancel", customer.AccessKey, customer.SecretKey, new { order_id = orderId, action_id = "cancel" }))
            .AssertErrorAsync(400, "CBC.99005010");
    }

    [Fact]
    public async Task A_partner_orders_on_a_resale_customers_behalf_within_its_budget()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("rc");
        var customerId = (await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey,
            new { domain_name = name, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey, new { customer_id = customerId, budget_amount = 100m, budget_type = "MONTHLY", cancel_partner_frozen = "1" });
        var customerToken = (await s.PasswordTokenAsync(name, name, "Cust#Pass1234")).Token;

        async Task<string> OrderAsync(string token) => (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", csp.AccessKey, csp.SecretKey,
            new { customer_id = customerId, product_infos = new[] { Product(months: 8) }, client_token = token })).JsonAsync())["order_id"]!.GetValue<string>();
        var first = await OrderAsync("p-1");
        // The partner's own credentials do not pay a customer's order; the customer does.
        await (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", csp.AccessKey, csp.SecretKey, new { order_id = first, use_coupon = "NO", use_discount = "NO" }))
            .AssertErrorAsync(400, "CBC.30000010");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customerToken, new { order_id = first, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        var second = await OrderAsync("p-2");
        await (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customerToken, new { order_id = second, use_coupon = "NO", use_discount = "NO" }))
            .AssertErrorAsync(400, "CBC.99005041");

        var partnerView = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders?customer_id={customerId}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(2, partnerView["total_count"]!.GetValue<int>());
        Assert.All(partnerView["order_infos"]!.AsArray(), o => Assert.Equal(2, o!["source_type"]!.GetValue<int>()));
        var budget = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customerId}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(57.20m, budget["used_amount"]!.GetValue<decimal>());
        var quota = await (await s.SignedAsync(HttpMethod.Get, "/v2/partners/credit/consumption-quota", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal("57.20", quota["unbilled_amount"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_orders_and_payments_are_4xx_and_write_nothing()
    {
        var customer = await s.NewAccountAsync("bad");
        async Task Refused(object body, string code) =>
            await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, body)).AssertErrorAsync(400, code);
        await Refused(new { product_infos = new[] { Product(spec: "s9.nothing.linux") }, client_token = "b1" }, "CBC.99006006");
        await Refused(new { product_infos = new[] { Product(months: 12) }, client_token = "b2" }, "CBC.0100");
        await Refused(new { product_infos = new[] { Product() } }, "CBC.0100");
        await Refused(new { product_infos = Array.Empty<object>(), client_token = "b3" }, "CBC.0100");
        await Refused(new { product_infos = "one", client_token = "b4" }, "CBC.0100");
        var listed = await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(0, listed["total_count"]!.GetValue<int>());

        var order = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey,
            new { product_infos = new[] { Product() }, client_token = "ok" })).JsonAsync())["order_id"]!.GetValue<string>();
        async Task PayRefused(object body, string code) =>
            await (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey, body)).AssertErrorAsync(400, code);
        await PayRefused(new { order_id = order, use_coupon = "NO", use_discount = "NO" }, "CBC.99005003");
        await PayRefused(new { order_id = order, use_coupon = "MAYBE", use_discount = "NO" }, "CBC.0100");
        await PayRefused(new { order_id = order, use_coupon = "NO", use_discount = "YES" }, "CBC.0100");
        await PayRefused(new { order_id = order, use_coupon = "NO", use_discount = "NO", discount_infos = new[] { new { id = "d", type = 3 } } }, "CBC.0100");
        await PayRefused(new { order_id = order, use_coupon = "YES", use_discount = "NO", coupon_infos = new[] { new { id = "c", type = 301 } } }, "CBC.99003112");
        await PayRefused(new { order_id = "CS0000000000XXXXX", use_coupon = "NO", use_discount = "NO" }, "CBC.30000010");
        await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders?create_time_begin=2025-01-01T00:00:00Z&create_time_end=2026-06-01T00:00:00Z", customer.AccessKey, customer.SecretKey))
            .AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders?limit=101", customer.AccessKey, customer.SecretKey)).AssertErrorAsync(400, "CBC.0100");

        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Put, "/v2/orders/customer-orders/cancel", customer.AccessKey, customer.SecretKey, new { order_id = order })).StatusCode);
        var cancelled = await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders?status=4", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(1, cancelled["total_count"]!.GetValue<int>());
    }
}
