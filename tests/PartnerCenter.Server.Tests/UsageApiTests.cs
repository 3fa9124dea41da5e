using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Pay-per-use over HTTP: orders without a period, usage ingestion, the hourly charge, the partner's view and free-resource packages.</summary>
public sealed class UsageApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static readonly object Card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };
    static object Vm => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", charging_mode = 3 };

    async Task<string> OperatorAsync() => (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;

    async Task<DateTime> NowAsync() =>
        DateTime.Parse((await (await s.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", await OperatorAsync())).JsonAsync())["now"]!.ToString(),
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    static string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    async Task<(TestAccount Customer, string Vm)> PayPerUseCustomerAsync()
    {
        var c = await s.NewAccountAsync("ppu");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", c.AccessKey, c.SecretKey, new { amount = 10m, card = Card, client_token = "fund" });
        var created = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { Vm }, client_token = "ppu" })).JsonAsync();
        Assert.Equal((5, 1, 0m), (created["order_info"]!["status"]!.GetValue<int>(), created["order_info"]!["order_type"]!.GetValue<int>(), created["order_info"]!["official_amount"]!.GetValue<decimal>()));
        var details = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/details/{created["order_id"]}", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(1, details["total_count"]!.GetValue<int>());
        await using var scope = s.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
        var vm = db.CloudResources.Single(r => r.CustomerAccountId == c.Id).Id;
        return (c, vm);
    }

    int UsageRecordsOf(string resource)
    {
        using var scope = s.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>().UsageRecords.Count(r => r.ResourceId == resource);
    }

    [Fact]
    public async Task The_metering_reports_usage_good_records_are_kept_bad_ones_refused_one_by_one_and_the_hour_is_charged()
    {
        var (c, vm) = await PayPerUseCustomerAsync();
        var op = await OperatorAsync();
        var now = await NowAsync();
        var (begin, end) = (Utc(now.AddHours(-1)), Utc(now.AddMinutes(-1)));
        var id = TestApi.Unique("rec");
        object Record(string recordId, string resource, decimal value = 10m, string? e = null) =>
            new { record_id = recordId, resource_id = resource, usage_factor = "Duration", usage_value = value, usage_measure_id = 4, begin_time = begin, end_time = e ?? end };
        var body = new { records = new[] { Record(id, vm), Record(id + "-x", "nope"), Record(id + "-n", vm, -1m), Record(id + "-f", vm, 1m, Utc(now.AddHours(2))) } };

        var response = await s.SendAsync(HttpMethod.Post, "/v1/usage-records", op, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal((1, 0, 3), (result["accepted"]!.GetValue<int>(), result["duplicates"]!.GetValue<int>(), result["refused"]!.GetValue<int>()));
        Assert.Equal(["CBC.99003012", "CBC.0100", "CBC.0100"], result["error_details"]!.AsArray().Select(e => e!["error_code"]!.GetValue<string>()));
        Assert.Equal(id + "-x", result["error_details"]![0]!["id"]!.GetValue<string>());
        var again = await (await s.SendAsync(HttpMethod.Post, "/v1/usage-records", op, body)).JsonAsync();
        Assert.Equal((0, 1), (again["accepted"]!.GetValue<int>(), again["duplicates"]!.GetValue<int>()));

        // Not the metering: refused. Malformed or oversized batches: 400, nothing written.
        await (await s.SignedAsync(HttpMethod.Post, "/v1/usage-records", c.AccessKey, c.SecretKey, new { records = new[] { Record(id + "-c", vm) } })).AssertErrorAsync(403, "CBC.0150");
        var malformed = new HttpRequestMessage(HttpMethod.Post, "/v1/usage-records")
        {
            Content = new StringContent($$"""{"records":[{"record_id":"{{id}}-m","resource_id":"{{vm}}","usage_value":"lots"}]}""", Encoding.UTF8, "application/json"),
        };
        malformed.Headers.Add("X-Auth-Token", op);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Http.SendAsync(malformed)).StatusCode);
        var tooMany = new { records = Enumerable.Range(0, 1001).Select(i => Record($"{id}-b{i}", vm)).ToArray() };
        await (await s.SendAsync(HttpMethod.Post, "/v1/usage-records", op, tooMany)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/usage-records", op, new { records = Array.Empty<object>() })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(1, UsageRecordsOf(vm));

        // The next hourly run rates 10 VM-hours (0.1439931) and deducts 0.14.
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { seconds = 3600 })).StatusCode);
        var balances = await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(9.86m, balances["account_balances"]![0]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_partner_lists_its_customers_pay_per_use_resources_and_not_another_partners()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = TestApi.Unique("ppuc") })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.Token, new { customer_id = customer, budget_amount = 50, cancel_partner_frozen = "1" });
        var order = await s.SendAsync(HttpMethod.Post, "/v1/orders", csp.Token, new { customer_id = customer, product_infos = new[] { Vm, Vm }, client_token = "for-customer" });
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);

        var listed = await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", csp.Token, new { customer_id = customer, status = 1, limit = 1 })).JsonAsync();
        Assert.Equal(2, listed["total_count"]!.GetValue<int>());
        var r = listed["resources"]![0]!;
        Assert.Equal((customer, "hws.service.type.ec2", "s6.small.1.linux", 1), (r["customer_id"]!.GetValue<string>(), r["service_type_code"]!.GetValue<string>(),
            r["resource_spec_code"]!.GetValue<string>(), r["status"]!.GetValue<int>()));
        await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", csp.Token, new { customer_id = customer, limit = 0 })).AssertErrorAsync(400, "CBC.0100");

        var other = await s.NewAccountAsync("csp");
        await s.EnrollAsync(other);
        await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", other.Token, new { customer_id = customer })).AssertErrorAsync(403, "CBC.99000035");
        var stranger = await s.NewAccountAsync("cust");
        await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", stranger.Token, new { customer_id = customer })).AssertErrorAsync(403, "CBC.5001");
    }

    [Fact]
    public async Task The_operator_grants_a_free_package_and_only_its_customer_sees_it()
    {
        var (c, _) = await PayPerUseCustomerAsync();
        var op = await OperatorAsync();
        var grant = new { customer_id = c.Id, product_name = "100 VM hours", service_type_code = "hws.service.type.ec2", resource_type_code = "hws.resource.type.vm",
            region_code = "ap-southeast-1", usage_factor = "Duration", amount = 100, measure_id = 4 };
        await (await s.SendAsync(HttpMethod.Post, "/v1/free-resource-packages", c.Token, grant)).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Post, "/v1/free-resource-packages", op, new { customer_id = c.Id, service_type_code = "hws.service.type.ec2",
            resource_type_code = "hws.resource.type.vm", region_code = "ap-southeast-1", usage_factor = "Duration", amount = 5, measure_id = 10 })).AssertErrorAsync(400, "CBC.99006050");
        var granted = await (await s.SendAsync(HttpMethod.Post, "/v1/free-resource-packages", op, grant)).JsonAsync();
        var freeId = granted["free_resource_id"]!.GetValue<string>();

        var infos = await (await s.SignedAsync(HttpMethod.Post, "/v3/payments/free-resources/query", c.AccessKey, c.SecretKey, new { status = 1, service_type_code_list = new[] { "HWS.SERVICE.TYPE.EC2" } })).JsonAsync();
        Assert.Equal(1, infos["total_count"]!.GetValue<int>());
        var item = infos["free_resource_packages"]![0]!["free_resources"]![0]!;
        Assert.Equal((freeId, "100", 4), (item["free_resource_id"]!.GetValue<string>(), item["amount"]!.GetValue<string>(), item["measure_id"]!.GetValue<int>()));
        var usages = await (await s.SignedAsync(HttpMethod.Post, "/v2/payments/free-resources/usages/details/query", c.AccessKey, c.SecretKey, new { free_resource_ids = new[] { freeId } })).JsonAsync();
        Assert.Equal(100m, usages["free_resources"]![0]!["original_amount"]!.GetValue<decimal>());
        await (await s.SignedAsync(HttpMethod.Post, "/v2/payments/free-resources/usages/details/query", c.AccessKey, c.SecretKey, new { free_resource_ids = Array.Empty<string>() })).AssertErrorAsync(400, "CBC.0100");

        var other = await s.NewAccountAsync("cust");
        Assert.Equal(0, (await (await s.SendAsync(HttpMethod.Post, "/v3/payments/free-resources/query", other.Token, new { })).JsonAsync())["total_count"]!.GetValue<int>());
        Assert.Empty((await (await s.SendAsync(HttpMethod.Post, "/v2/payments/free-resources/usages/details/query", other.Token, new { free_resource_ids = new[] { freeId } })).JsonAsync())["free_resources"]!.AsArray());
    }
}
