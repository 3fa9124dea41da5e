using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Yearly/monthly resources over HTTP, signed with AK/SK as the official SDKs send it.</summary>
public sealed class ResourcesApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static readonly object Card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };
    static object Vm => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };
    static object Disk => new { cloud_service_type = "hws.service.type.ebs", resource_type = "hws.resource.type.volume", resource_spec = "SATA", region = "ap-southeast-1", resource_size = 40, size_measure_id = 17, period_type = 2, period_num = 1 };

    async Task<(TestAccount Customer, string Vm, string Disk)> OwnerAsync()
    {
        var c = await s.NewAccountAsync("res");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", c.AccessKey, c.SecretKey, new { amount = 100m, card = Card, client_token = "fund" });
        var order = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { Vm, Disk }, client_token = "buy" })).JsonAsync())["order_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", c.AccessKey, c.SecretKey, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        var all = (await (await Query(c, new { })).JsonAsync())["data"]!.AsArray();
        return (c, all.Single(r => r!["is_main_resource"]!.GetValue<int>() == 1)!["resource_id"]!.GetValue<string>(),
            all.Single(r => r!["is_main_resource"]!.GetValue<int>() == 0)!["resource_id"]!.GetValue<string>());
    }

    Task<HttpResponseMessage> Query(TestAccount c, object body) => s.SignedAsync(HttpMethod.Post, "/v2/orders/suscriptions/resources/query", c.AccessKey, c.SecretKey, body);
    Task<HttpResponseMessage> Post(TestAccount c, string path, object body) => s.SignedAsync(HttpMethod.Post, path, c.AccessKey, c.SecretKey, body);

    [Fact]
    public async Task A_customer_queries_renews_sets_auto_renew_and_unsubscribes_its_resources()
    {
        var (c, vm, disk) = await OwnerAsync();
        var mains = await (await Query(c, new { only_main_resource = 1, status_list = new[] { 2 } })).JsonAsync();
        Assert.Equal(1, mains["total_count"]!.GetValue<int>());
        var listed = mains["data"]![0]!;
        Assert.Equal((vm, 2, 0), (listed["resource_id"]!.GetValue<string>(), listed["status"]!.GetValue<int>(), listed["expire_policy"]!.GetValue<int>()));
        var expiry = DateTime.Parse(listed["expire_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

        var renewed = await (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1 })).JsonAsync();
        Assert.Single(renewed["order_ids"]!.AsArray());
        var after = (await (await Query(c, new { resource_ids = new[] { vm, disk } })).JsonAsync())["data"]!.AsArray();
        Assert.All(after, r => Assert.Equal(expiry.AddMonths(1), DateTime.Parse(r!["expire_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime()));

        Assert.Equal(HttpStatusCode.OK, (await Post(c, $"/v2/orders/subscriptions/resources/autorenew/{vm}", new { auto_renew_times = 3, period_type = "MONTH" })).StatusCode);
        Assert.Equal(3, (await (await Query(c, new { resource_ids = new[] { vm } })).JsonAsync())["data"]![0]!["expire_policy"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Delete, $"/v2/orders/subscriptions/resources/autorenew/{vm}", c.AccessKey, c.SecretKey)).StatusCode);
        await (await s.SignedAsync(HttpMethod.Delete, $"/v2/orders/subscriptions/resources/autorenew/{vm}", c.AccessKey, c.SecretKey)).AssertErrorAsync(400, "CBC.99003605");
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/to-on-demand", new { operation = "SET_UP", resource_ids = new[] { vm } })).StatusCode);
        Assert.Equal(1, (await (await Query(c, new { resource_ids = new[] { disk } })).JsonAsync())["data"]![0]!["expire_policy"]!.GetValue<int>());

        // Within 5 days of purchase, everything paid comes back.
        var unsubscribed = await (await Post(c, "/v2/orders/subscriptions/resources/unsubscribe", new { resource_ids = new[] { vm }, unsubscribe_type = 1, unsubscribe_reason_type = 5, unsubscribe_reason = "done" })).JsonAsync();
        var refundOrder = unsubscribed["order_ids"]![0]!.GetValue<string>();
        var refund = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/refund-orders?order_id={refundOrder}", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(-2 * (7.15m + 2.20m), refund["refund_infos"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()));
        var closed = await (await Query(c, new { status_list = new[] { 3 } })).JsonAsync();
        Assert.Equal(2, closed["total_count"]!.GetValue<int>());
        var balances = await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(100m, balances["account_balances"]![0]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_distributor_acts_on_its_resellers_customers_resources_and_another_distributor_cannot()
    {
        var distributor = await s.NewAccountAsync("dist");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("resl");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        var other = await s.NewAccountAsync("odist");
        var otherId = await s.EnrollAsync(other, "distributor");
        var otherReseller = await s.NewAccountAsync("oresl");
        var otherResellerId = await s.EnrollAsync(otherReseller, "reseller", other, otherId);
        Task<HttpResponseMessage> As(TestAccount a, HttpMethod method, string path, object? body = null) => s.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);

        // The distributor creates its reseller's resale customer, gives it a budget and orders a VM on its behalf; the customer pays.
        var name = TestApi.Unique("rcust");
        var customer = (await (await As(distributor, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = name, password = "Cust#Pass1234", indirect_partner_id = resellerId })).JsonAsync())
            ["domain_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await As(distributor, HttpMethod.Post, "/v2/partners/sub-customers/budget",
            new { customer_id = customer, budget_amount = 100m, indirect_partner_id = resellerId, cancel_partner_frozen = "1" })).StatusCode);
        var order = (await (await As(distributor, HttpMethod.Post, "/v1/orders", new { customer_id = customer, indirect_partner_id = resellerId, product_infos = new[] { Vm }, client_token = "d-buy" }))
            .JsonAsync())["order_id"]!.GetValue<string>();
        var customerToken = (await s.PasswordTokenAsync(name, name, "Cust#Pass1234")).Token;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customerToken, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        async Task<decimal> UsedBudgetAsync() => (await (await As(distributor, HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}&indirect_partner_id={resellerId}")).JsonAsync())
            ["used_amount"]!.GetValue<decimal>();
        Assert.Equal(7.15m, await UsedBudgetAsync());

        var listed = await (await As(distributor, HttpMethod.Post, "/v2/orders/suscriptions/resources/query", new { customer_id = customer, indirect_partner_id = resellerId })).JsonAsync();
        Assert.Equal(1, listed["total_count"]!.GetValue<int>());
        var vm = listed["data"]![0]!["resource_id"]!.GetValue<string>();

        // Another distributor gets nothing, through its own reseller or through this one, and changes nothing.
        var refusals = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, "/v2/orders/suscriptions/resources/query", new { customer_id = customer, indirect_partner_id = resellerId }),
            (HttpMethod.Post, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1, customer_id = customer, indirect_partner_id = resellerId }),
            (HttpMethod.Post, $"/v2/orders/subscriptions/resources/autorenew/{vm}", new { customer_id = customer, indirect_partner_id = resellerId }),
            (HttpMethod.Delete, $"/v2/orders/subscriptions/resources/autorenew/{vm}?customer_id={customer}&indirect_partner_id={resellerId}", null),
            (HttpMethod.Post, "/v2/orders/subscriptions/resources/unsubscribe", new { resource_ids = new[] { vm }, unsubscribe_type = 1, customer_id = customer, indirect_partner_id = resellerId }),
        };
        foreach (var (method, path, body) in refusals)
        {
            var text = (await (await As(other, method, path, body)).AssertErrorAsync(400, "CBC.99000037")).ToJsonString();
            Assert.DoesNotContain(vm, text);
        }
        var viaOwn = await As(other, HttpMethod.Post, "/v2/orders/suscriptions/resources/query", new { customer_id = customer, indirect_partner_id = otherResellerId });
        Assert.DoesNotContain(vm, (await viaOwn.AssertErrorAsync(403, "CBC.99000035")).ToJsonString());
        await (await As(distributor, HttpMethod.Post, "/v2/orders/suscriptions/resources/query", new { customer_id = customer })).AssertErrorAsync(403, "CBC.99000035");
        await (await As(reseller, HttpMethod.Post, "/v2/orders/subscriptions/resources/unsubscribe",
            new { resource_ids = new[] { vm }, unsubscribe_type = 1, customer_id = customer, indirect_partner_id = resellerId })).AssertErrorAsync(400, "CBC.99000037");
        Assert.Equal(7.15m, await UsedBudgetAsync());

        // The distributor renews (paid at once), turns auto-renewal on and off, and unsubscribes the unused renewal.
        Assert.Single((await (await As(distributor, HttpMethod.Post, "/v2/orders/subscriptions/resources/renew",
            new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1, customer_id = customer, indirect_partner_id = resellerId })).JsonAsync())["order_ids"]!.AsArray());
        Assert.Equal(14.30m, await UsedBudgetAsync());
        Assert.Equal(HttpStatusCode.OK, (await As(distributor, HttpMethod.Post, $"/v2/orders/subscriptions/resources/autorenew/{vm}",
            new { auto_renew_times = 2, customer_id = customer, indirect_partner_id = resellerId })).StatusCode);
        var after = await (await As(distributor, HttpMethod.Post, "/v2/orders/suscriptions/resources/query", new { customer_id = customer, indirect_partner_id = resellerId, resource_ids = new[] { vm } })).JsonAsync();
        Assert.Equal(3, after["data"]![0]!["expire_policy"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await As(distributor, HttpMethod.Delete, $"/v2/orders/subscriptions/resources/autorenew/{vm}?customer_id={customer}&indirect_partner_id={resellerId}")).StatusCode);
        var unsubscribed = await (await As(distributor, HttpMethod.Post, "/v2/orders/subscriptions/resources/unsubscribe",
            new { resource_ids = new[] { vm }, unsubscribe_type = 2, customer_id = customer, indirect_partner_id = resellerId })).JsonAsync();
        Assert.Single(unsubscribed["order_ids"]!.AsArray());
        Assert.Equal(7.15m, await UsedBudgetAsync()); // the renewal's list price is back in the budget
        var quota = await (await As(reseller, HttpMethod.Get, "/v2/partners/credit/consumption-quota")).JsonAsync();
        Assert.Equal("7.15", quota["unbilled_amount"]!.GetValue<string>()); // and its settlement charge back with the reseller
    }

    [Fact]
    public async Task Renewal_settings_take_config_value_as_the_sdks_send_it()
    {
        var c = await s.NewAccountAsync("cfg");
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = "5" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = 6 })).StatusCode);
        await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = "1" })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "EXPIRE_DATE", config_value = "29" })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "EXPIRE_DATE", config_value = "-1" })).StatusCode);
        await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE" })).AssertErrorAsync(400, "CBC.0100");
    }

    static DateTime Utc(System.Text.Json.Nodes.JsonNode? text) =>
        DateTime.Parse(text!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    async Task<decimal> CashAsync(TestAccount c) =>
        (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)).JsonAsync())["account_balances"]![0]!["amount"]!.GetValue<decimal>();

    [Fact]
    public async Task A_unified_renewal_date_set_over_http_stretches_the_quote_and_the_renewal_and_bad_values_write_nothing()
    {
        var (c, vm, disk) = await OwnerAsync();
        var expiry = Utc((await (await Query(c, new { resource_ids = new[] { vm } })).JsonAsync())["data"]![0]!["expire_time"]);
        // A day that is never the day a month from now ends, so the renewal is stretched.
        var day = expiry.AddMonths(1).Day is var d && d >= 28 ? 1 : d + 1;
        var extra = Core.Resources.UnifiedRenewalDate.ExtraDays(expiry, 2, 1, day);
        Assert.InRange(extra, 1, 31);
        // VM + 40 GB disk, each line a month and the extra days at the monthly price / 30, rounded once.
        var expected = new[] { 7.15m, 2.20m }.Sum(month => Math.Round(month + month * extra / 30m, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "EXPIRE_DATE", config_value = day.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode);

        foreach (var bad in new object[] { 0, 29, "x", "0", -2, "" })
            await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "EXPIRE_DATE", config_value = bad })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "EXPIRE_DATE" })).AssertErrorAsync(400, "CBC.0100");

        // Still the day set before the bad requests: the inquiry and the renewal both run to it.
        var quote = await (await Post(c, "/v2/bills/ratings/period-resources/renew-rate", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, include_relative_resources = true })).JsonAsync();
        Assert.Equal(expected.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), quote["renew_inquiry_results"]![0]!["amount"]!.GetValue<string>());
        var cash = await CashAsync(c);
        Assert.Equal(HttpStatusCode.OK, (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1 })).StatusCode);
        Assert.Equal(expected, cash - await CashAsync(c));
        var after = (await (await Query(c, new { resource_ids = new[] { vm, disk } })).JsonAsync())["data"]!.AsArray();
        Assert.All(after, r => Assert.Equal(expiry.AddMonths(1).AddDays(extra), Utc(r!["expire_time"])));
        Assert.All(after, r => Assert.Equal(day, Utc(r!["expire_time"]).Day));
    }

    [Fact]
    public async Task Renewal_inquiry_quotes_what_the_renewal_charges()
    {
        var (c, vm, disk) = await OwnerAsync();
        var alone = await (await Post(c, "/v2/bills/ratings/period-resources/renew-rate", new { resource_ids = new[] { vm }, period_type = 2, period_num = 2 })).JsonAsync();
        Assert.Equal("14.30", alone["official_website_rating_result"]!["official_website_amount"]!.GetValue<string>());
        var withDisk = await (await Post(c, "/v2/bills/ratings/period-resources/renew-rate", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, include_relative_resources = true })).JsonAsync();
        Assert.Equal(("9.35", vm), (withDisk["renew_inquiry_results"]![0]!["amount"]!.GetValue<string>(), withDisk["renew_inquiry_results"]![0]!["resource_id"]!.GetValue<string>()));
        await (await Post(c, "/v2/bills/ratings/period-resources/renew-rate", new { resource_ids = new[] { disk }, period_type = 2, period_num = 1 })).AssertErrorAsync(400, "CBC.30050007");
        await (await Post(c, "/v2/bills/ratings/period-resources/renew-rate", new { resource_ids = new[] { vm }, period_type = 2, period_num = 12 })).AssertErrorAsync(400, "CBC.30050008");

        var cash = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)).JsonAsync())["account_balances"]![0]!["amount"]!.GetValue<decimal>();
        await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1 });
        var after = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)).JsonAsync())["account_balances"]![0]!["amount"]!.GetValue<decimal>();
        Assert.Equal(9.35m, cash - after);
    }

    [Fact]
    public async Task A_resource_turned_pay_per_use_now_over_http_gets_its_unused_time_back_and_bad_requests_change_nothing()
    {
        var (c, vm, disk) = await OwnerAsync();
        const string path = "/v2/orders/subscriptions/resources/to-on-demand/instantly";
        await (await Post(c, path, new { resource_ids = Enumerable.Range(0, 11).Select(i => vm + i).ToArray() })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, path, new { resource_ids = new[] { disk } })).AssertErrorAsync(400, "CBC.30010036"); // attached: goes with its main
        await (await Post(c, path, new { resource_ids = new[] { vm, "nope" } })).AssertErrorAsync(400, "CBC.99003012");
        Assert.Equal(2, ((await (await Query(c, new { })).JsonAsync())["data"]!.AsArray()).Count); // nothing changed

        var result = (await (await Post(c, path, new { resource_ids = new[] { vm } })).JsonAsync())["to_ondemand_service_results"]![0]!;
        Assert.Equal((vm, "SUCCESS"), (result["resource_id"]!.GetValue<string>(), result["result"]!.GetValue<string>()));
        var order = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/details/{result["order_id"]!.GetValue<string>()}", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(10, order["order_info"]!["order_type"]!.GetValue<int>());
        Assert.Equal(100m, await CashAsync(c)); // within 5 days of purchase: everything paid comes back
        var refund = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/refund-orders?order_id={result["order_id"]!.GetValue<string>()}",
            c.AccessKey, c.SecretKey)).JsonAsync(); // the switch's order is a refund order
        Assert.Equal(-(7.15m + 2.20m), refund["refund_infos"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()));
        Assert.Empty((await (await Query(c, new { })).JsonAsync())["data"]!.AsArray()); // no yearly/monthly resources left
        var onDemand = await (await s.SignedAsync(HttpMethod.Post, "/v2/orders/suscriptions/resources/query", c.AccessKey, c.SecretKey, new { resource_ids = new[] { vm } })).JsonAsync();
        Assert.Equal(0, onDemand["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_resource_requests_are_4xx_with_the_documented_codes()
    {
        var (c, vm, disk) = await OwnerAsync();
        await (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = Enumerable.Range(0, 11).Select(i => vm + i).ToArray(), period_type = 2, period_num = 1 }))
            .AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 12 })).AssertErrorAsync(400, "CBC.30010069");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { disk }, period_type = 2, period_num = 1 })).AssertErrorAsync(400, "CBC.30010036");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { "nope" }, period_type = 2, period_num = 1 })).AssertErrorAsync(400, "CBC.99003012");
        await (await Post(c, "/v2/orders/subscriptions/resources/unsubscribe", new { resource_ids = new[] { vm }, unsubscribe_type = 3 })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, "/v2/orders/subscriptions/resources/unsubscribe", new { resource_ids = new[] { vm }, unsubscribe_type = 2 })).AssertErrorAsync(400, "CBC.99003128");
        await (await Post(c, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = 9 })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(c, "/v2/orders/subscriptions/resources/to-on-demand", new { operation = "LATER", resource_ids = new[] { vm } })).AssertErrorAsync(400, "CBC.0100");
        await (await Query(c, new { service_type_code = "" })).AssertErrorAsync(400, "CBC.0100");
        await (await Query(c, new { status_list = new[] { 7 } })).AssertErrorAsync(400, "CBC.0100");
        await (await Query(c, new { resource_ids = Enumerable.Range(0, 51).Select(i => "r" + i).ToArray() })).AssertErrorAsync(400, "CBC.0100");
        var listed = await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders?order_type=2", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(0, listed["total_count"]!.GetValue<int>());
    }
}
