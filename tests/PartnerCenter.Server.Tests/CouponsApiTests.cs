using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Coupon quotas, partner coupons and paying with coupons over HTTP.</summary>
public sealed class CouponsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Password = "Cust#Pass1234";
    static readonly string Far = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
    static object Vm(int months) => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = months };

    Task<HttpResponseMessage> Signed(TestAccount a, HttpMethod method, string path, object? body = null) => s.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);
    async Task<string> OperatorTokenAsync() => (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;

    /// <summary>A CSP holding a quota of 500.00, with two resale customers (budget 1,000.00) whose owners can sign in.</summary>
    async Task<(TestAccount Csp, string Quota, (string Id, string Token)[] Customers)> PartnerAsync()
    {
        var csp = await s.NewAccountAsync("kcsp");
        await s.EnrollAsync(csp);
        var quota = (await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{csp.Id}/coupon-quotas", await OperatorTokenAsync(),
            new { quota_value = 500m, expire_time = Far, max_face_value = 100m })).JsonAsync())["quota_id"]!.GetValue<string>();
        var customers = new List<(string, string)>();
        for (var i = 0; i < 2; i++)
        {
            var name = TestApi.Unique("kc");
            var id = (await (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = name, password = Password })).JsonAsync())["domain_id"]!.GetValue<string>();
            (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers/budget", new { customer_id = id, budget_amount = 1000, cancel_partner_frozen = "1" })).EnsureSuccessStatusCode();
            customers.Add((id, (await s.PasswordTokenAsync(name, name, Password)).Token));
        }
        return (csp, quota, customers.ToArray());
    }

    async Task<JsonObject> IssueAsync(TestAccount csp, string quota, decimal face, params string[] customers) =>
        await (await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", new { quota_id = quota, customer_ids = customers, face_value = face })).JsonAsync();

    async Task<string> OrderAsync(string token, int months) =>
        (await (await s.SendAsync(HttpMethod.Post, "/v1/orders", token, new { product_infos = new[] { Vm(months) }, client_token = Guid.NewGuid().ToString("N") })).JsonAsync())["order_id"]!.GetValue<string>();

    Task<HttpResponseMessage> PayAsync(string token, string order, params string[] coupons) => s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", token,
        new { order_id = order, use_coupon = "YES", use_discount = "NO", coupon_infos = coupons.Select(c => new { id = c, type = 301 }).ToArray() });

    [Fact]
    public async Task Issuing_to_many_customers_answers_each_and_a_30_coupon_on_a_smaller_order_keeps_the_rest()
    {
        var (csp, quota, customers) = await PartnerAsync();
        var issued = await IssueAsync(csp, quota, 30m, customers[0].Id, customers[1].Id, "not-my-customer");
        Assert.Equal(2, issued["coupon_infos"]!.AsArray().Count);
        Assert.Equal(("CBC.99000035", "not-my-customer"), (issued["error_details"]![0]!["error_code"]!.GetValue<string>(), issued["error_details"]![0]!["id"]!.GetValue<string>()));
        var coupon = issued["coupon_infos"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == customers[0].Id)!["coupon_id"]!.GetValue<string>();

        var order = await OrderAsync(customers[0].Token, 2); // 14.30
        (await PayAsync(customers[0].Token, order, coupon)).EnsureSuccessStatusCode();
        var mine = await (await s.SendAsync(HttpMethod.Get, "/v2/promotions/benefits/coupons", customers[0].Token)).JsonAsync();
        Assert.Equal(30m - 14.30m, mine["user_coupons"]![0]!["balance"]!.GetValue<decimal>());
        var listed = await (await s.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?order_id={order}", customers[0].Token)).JsonAsync();
        Assert.Equal(14.30m, listed["order_infos"]![0]!["amount_info"]!["coupon_amount"]!.GetValue<decimal>());
        var partnerView = await (await Signed(csp, HttpMethod.Get, $"/v2/promotions/benefits/partner-coupons?coupon_id={coupon}")).JsonAsync();
        Assert.Equal((order, 15.70m), (partnerView["user_coupons"]![0]!["order_id"]!.GetValue<string>(), partnerView["user_coupons"]![0]!["balance"]!.GetValue<decimal>()));
        // The partner's quota gave 60.00; the customer's second coupon was never touched.
        var quotas = await (await Signed(csp, HttpMethod.Post, "/v2/partners/coupon-quotas/query", new { })).JsonAsync();
        Assert.Equal(440m, quotas["quotas"]![0]!["balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_fourth_coupon_or_another_customers_coupon_is_refused_with_its_code_and_nothing_is_charged()
    {
        var (csp, quota, customers) = await PartnerAsync();
        var own = new List<string>();
        for (var i = 0; i < 4; i++) own.Add((await IssueAsync(csp, quota, 2m, customers[0].Id))["coupon_infos"]![0]!["coupon_id"]!.GetValue<string>());
        var theirs = (await IssueAsync(csp, quota, 2m, customers[1].Id))["coupon_infos"]![0]!["coupon_id"]!.GetValue<string>();
        var order = await OrderAsync(customers[0].Token, 1);

        await (await PayAsync(customers[0].Token, order, [.. own])).AssertErrorAsync(400, "CBC.0100");
        await (await PayAsync(customers[0].Token, order, theirs)).AssertErrorAsync(400, "CBC.99003112");
        var listed = await (await s.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?order_id={order}", customers[0].Token)).JsonAsync();
        Assert.Equal(6, listed["order_infos"]![0]!["status"]!.GetValue<int>());
        var mine = await (await s.SendAsync(HttpMethod.Get, "/v2/promotions/benefits/coupons?status=2", customers[0].Token)).JsonAsync();
        Assert.All(mine["user_coupons"]!.AsArray(), c => Assert.Equal(2m, c!["balance"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_cash_coupon_with_a_discount_coupon_is_refused_with_CBC_99003147()
    {
        var csp = await s.NewAccountAsync("tcsp");
        await s.EnrollAsync(csp);
        var op = await OperatorTokenAsync();
        var cash = (await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{csp.Id}/test-coupons", op, new { coupon_type = 1, face_value = 5m, expire_time = Far })).JsonAsync())["coupon_id"]!.GetValue<string>();
        var discount = (await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{csp.Id}/test-coupons", op,
            new { coupon_type = 2, face_value = 5m, discount_ratio = 0.1m, expire_time = Far })).JsonAsync())["coupon_id"]!.GetValue<string>();
        var order = await OrderAsync(csp.Token, 1);
        await (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", csp.Token, new
        {
            order_id = order, use_coupon = "YES", use_discount = "NO", coupon_infos = new[] { new { id = cash, type = 301 }, new { id = discount, type = 300 } },
        })).AssertErrorAsync(400, "CBC.99003147");
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_issues_nothing()
    {
        var (csp, quota, customers) = await PartnerAsync();
        var error = await (await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", new { quota_id = quota, customer_ids = new[] { customers[0].Id }, face_value = 0m }))
            .AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("face_value", error["error_msg"]!.GetValue<string>());
        await (await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", new { customer_ids = new[] { customers[0].Id }, face_value = 1m })).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", new { quota_id = quota, customer_ids = new[] { customers[0].Id }, face_value = 101m }))
            .AssertErrorAsync(400, "CBC.99000019");
        await (await Signed(csp, HttpMethod.Get, "/v2/promotions/benefits/partner-coupons?status=9")).AssertErrorAsync(400, "CBC.0100");
        var issued = await (await Signed(csp, HttpMethod.Get, "/v2/promotions/benefits/partner-coupons")).JsonAsync();
        Assert.Equal(0, issued["total_count"]!.GetValue<int>());
        await (await s.SendAsync(HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", null, new { quota_id = quota, customer_ids = new[] { customers[0].Id }, face_value = 1m }))
            .AssertErrorAsync(401);
    }
}
