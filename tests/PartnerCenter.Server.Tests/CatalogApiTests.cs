using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>The catalog queries, price inquiry, catalog management and discounts over real HTTP.</summary>
public sealed class CatalogApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Ecs = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Bangkok = "ap-southeast-2";

    static object VmProduct(string id, int periodType = 2, int periodNum = 1, int count = 1, string spec = "s6.small.1.linux", string region = Bangkok) => new
    {
        id, cloud_service_type = Ecs, resource_type = Vm, resource_spec = spec, region, available_zone = "ap-southeast-2a",
        period_type = periodType, period_num = periodNum, subscription_num = count,
    };

    Task<string> OperatorTokenAsync() => s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword).ContinueWith(t => t.Result.Token);

    /// <summary>The monthly/yearly VM specs of ap-southeast-1 (where the import test adds one).</summary>
    async Task<int> SpecCountAsync(string token) =>
        (await (await s.SendAsync(HttpMethod.Post, "/v2/products/resource-specs-query", token, new { cloud_service_type = Ecs, resource_type = Vm, region_code = "ap-southeast-1", charge_mode = "1", limit = 100 })).JsonAsync())
            ["cloud_service_basics"]!.AsArray().Count;

    /// <summary>The product id (spec id) of a monthly VM spec, as price inquiry answers it.</summary>
    async Task<string> ProductIdAsync(string token, string spec, string region) =>
        (await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", token, new { product_infos = new[] { VmProduct("p", spec: spec, region: region) } })).JsonAsync())
            ["official_website_rating_result"]!["product_rating_results"]![0]!["product_id"]!.GetValue<string>();

    [Fact]
    public async Task Catalog_queries_need_a_sign_in_and_answer_from_the_default_catalog()
    {
        foreach (var path in new[] { "/v2/products/service-types", "/v2/products/resource-types", "/v2/products/usage-types", "/v2/bases/measurements", "/v2/bases/conversions" })
            await (await s.SendAsync(HttpMethod.Get, path, null)).AssertErrorAsync(401);
        var a = await s.NewAccountAsync();

        var services = await (await s.SendAsync(HttpMethod.Get, "/v2/products/service-types?limit=100", a.Token)).JsonAsync();
        Assert.Contains(services["service_types"]!.AsArray(), t => t!["service_type_code"]!.GetValue<string>() == Ecs && t["abbreviation"]!.GetValue<string>() == "ECS");
        var one = await (await s.SendAsync(HttpMethod.Get, $"/v2/products/service-types?service_type_code={Ecs}", a.Token)).JsonAsync();
        Assert.Equal(1, one["total_count"]!.GetValue<int>());
        var vpc = await (await s.SendAsync(HttpMethod.Get, "/v2/products/service-resources?service_type_code=hws.service.type.vpc", a.Token)).JsonAsync();
        Assert.Equal(["hws.resource.type.bandwidth", "hws.resource.type.ip"], vpc["infos"]!.AsArray().Select(i => i!["basic_info"]!["resource_type_code"]!.GetValue<string>()).ToArray());
        await (await s.SendAsync(HttpMethod.Get, "/v2/products/service-resources", a.Token)).AssertErrorAsync(400, "CBC.0100");
        var types = await (await s.SendAsync(HttpMethod.Get, "/v2/products/resource-types?resource_type_code=hws.resource.type.volume", a.Token)).JsonAsync();
        Assert.Equal("Disk", types["resource_types"]![0]!["resource_type_name"]!.GetValue<string>());
        var usage = await (await s.SendAsync(HttpMethod.Get, "/v2/products/usage-types?resource_type_code=hws.resource.type.obs", a.Token)).JsonAsync();
        Assert.Equal(3, usage["total_count"]!.GetValue<int>());
        Assert.All(usage["usage_types"]!.AsArray(), u => Assert.Equal("Object Storage Service", u!["service_type_name"]!.GetValue<string>()));
        var units = await (await s.SendAsync(HttpMethod.Get, "/v2/bases/measurements", a.Token)).JsonAsync();
        Assert.Contains(units["measure_units"]!.AsArray(), u => u!["measure_id"]!.GetValue<int>() == 15 && u["abbreviation"]!.GetValue<string>() == "Mbps");
        var conversions = await (await s.SendAsync(HttpMethod.Get, "/v2/bases/conversions?measure_type=3", a.Token)).JsonAsync();
        Assert.Equal(3, conversions["conversions"]!.AsArray().Count);
        Assert.Contains(conversions["conversions"]!.AsArray(), c => c!["measure_id"]!.GetValue<int>() == 10 && c["ref_measure_id"]!.GetValue<int>() == 11 && c["conversion_ratio"]!.GetValue<long>() == 1024);

        var specs = await (await s.SendAsync(HttpMethod.Post, "/v2/products/resource-specs-query", a.Token, new { resource_type = Vm, region_code = Bangkok, charge_mode = "1", limit = 100 })).JsonAsync();
        Assert.Equal(12, specs["cloud_service_basics"]!.AsArray().Count);
        var small = specs["cloud_service_basics"]!.AsArray().Single(x => x!["resource_spec"]!.GetValue<string>() == "s6.small.1.linux")!;
        Assert.Equal(("1 vCPU, 1 GiB, Linux", Ecs), (small["resource_spec_name"]!.GetValue<string>(), small["cloud_service_type"]!.GetValue<string>()));
        var month = await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", a.Token, new { product_infos = new[] { VmProduct("m") } })).JsonAsync();
        Assert.Equal(6.50m, month["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>());
        await (await s.SendAsync(HttpMethod.Post, "/v2/products/resource-specs-query", a.Token, new { limit = 0 })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/products/resource-specs-query", a.Token, "{not json")).AssertErrorAsync(400);
    }

    [Fact]
    public async Task Subscribe_rate_answers_list_prices_and_every_discount_with_the_best_offer()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customerName = TestApi.Unique("cust");
        var customerId = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = customerName, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        var discount = await (await s.SendAsync(HttpMethod.Post, "/v1/partners/discounts", csp.Token, new { customer_id = customerId, discount_rate = 0.1m, service_type_code = Ecs })).JsonAsync();
        Assert.Equal(607, discount["discount_type"]!.GetValue<int>());
        var (customerToken, _) = await s.PasswordTokenAsync(customerName, customerName, "Cust#Pass1234");

        var response = await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, new
        {
            product_infos = new object[]
            {
                VmProduct("vm", periodNum: 2),
                new { id = "disk", cloud_service_type = "hws.service.type.ebs", resource_type = "hws.resource.type.volume", resource_spec = "SAS", region = Bangkok, resource_size = 100, size_measure_id = 17, period_type = 2, period_num = 1, subscription_num = 1 },
            },
        });
        var body = await response.JsonAsync();
        Assert.Equal(20.00m, body["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>());
        Assert.Equal(["vm", "disk"], body["official_website_rating_result"]!["product_rating_results"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray());
        var option = Assert.Single(body["optional_discount_rating_results"]!.AsArray())!;
        // The ECS-only discount takes 10 % off the VM (13.00) and nothing off the disk.
        Assert.Equal((discount["discount_id"]!.GetValue<string>(), 607, 1.30m, 18.70m, 1),
            (option["discount_id"]!.GetValue<string>(), option["discount_type"]!.GetValue<int>(), option["discount_amount"]!.GetValue<decimal>(), option["amount"]!.GetValue<decimal>(), option["best_offer"]!.GetValue<int>()));
        Assert.Equal(0m, option["product_rating_results"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "disk")!["discount_amount"]!.GetValue<decimal>());

        // Bad requests: 400 with the documented code.
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, new { product_infos = new[] { VmProduct("x"), VmProduct("x") } })).AssertErrorAsync(400, "CBC.30050012");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, new { product_infos = new[] { VmProduct("x", spec: "nope.linux") } })).AssertErrorAsync(400, "CBC.99006006");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, new { product_infos = new[] { new { id = "x", cloud_service_type = Ecs, resource_type = Vm, resource_spec = "s6.small.1.linux", region = Bangkok } } })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, new { product_infos = Array.Empty<object>() })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, """{"product_infos":[null]}""")).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customerToken, """{"product_infos":[{"id":"x","period_type":"month"}]}""")).AssertErrorAsync(400);
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", null, new { product_infos = new[] { VmProduct("x") } })).AssertErrorAsync(401);

        // The same inquiry signed with an access key; a project of the caller's own is accepted.
        var a = await s.NewAccountAsync();
        var project = (await (await s.SendAsync(HttpMethod.Get, "/v3/projects", a.Token)).JsonAsync())["projects"]![0]!["id"]!.GetValue<string>();
        var signed = await (await s.SignedAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", a.AccessKey, a.SecretKey,
            new { project_id = project, product_infos = new[] { VmProduct("y", periodType: 3) } }, domainId: a.Id)).JsonAsync();
        Assert.Equal(65.00m, signed["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>());
        Assert.Empty(signed["optional_discount_rating_results"]!.AsArray());
    }

    [Fact]
    public async Task On_demand_rating_follows_the_inquiry_precision_and_checks_usage_units()
    {
        var a = await s.NewAccountAsync();
        object Product(string id, string factor, decimal value, int measure) => new
        {
            id, cloud_service_type = Ecs, resource_type = Vm, resource_spec = "s6.small.1.linux", region = Bangkok, usage_factor = factor, usage_value = value, usage_measure_id = measure, subscription_num = 1,
        };
        var six = await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { product_infos = new[] { Product("1", "Duration", 1, 4) } })).JsonAsync();
        Assert.Equal(0.01309m, six["official_website_amount"]!.GetValue<decimal>());
        Assert.Equal("USD", six["currency"]!.GetValue<string>());
        var eight = await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { inquiry_precision = 1, product_infos = new[] { Product("1", "Duration", 1, 4), Product("2", "Duration", 1, 5) } })).JsonAsync();
        Assert.Equal(0.01309028m, eight["product_rating_results"]![0]!["official_website_amount"]!.GetValue<decimal>());
        Assert.Equal(25 * 0.01309028m, eight["amount"]!.GetValue<decimal>());

        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { product_infos = new[] { Product("1", "Duration", 1, 10) } })).AssertErrorAsync(400, "CBC.99006050");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { product_infos = new[] { Product("1", "Duration", 1, 4), Product("1", "Duration", 2, 4) } })).AssertErrorAsync(400, "CBC.30050012");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { inquiry_precision = 3, product_infos = new[] { Product("1", "Duration", 1, 4) } })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, """{"product_infos":[null]}""")).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", a.Token, new { project_id = "not-mine", product_infos = new[] { Product("1", "Duration", 1, 4) } })).AssertErrorAsync(400, "CBC.99006073");
    }

    [Fact]
    public async Task Only_the_operator_imports_exports_and_reprices_and_a_bad_file_writes_nothing()
    {
        var a = await s.NewAccountAsync();
        var op = await OperatorTokenAsync();
        var before = await SpecCountAsync(a.Token);
        var file = new JsonObject
        {
            ["specs"] = new JsonArray(new JsonObject
            {
                ["service_type_code"] = Ecs, ["resource_type_code"] = Vm, ["spec_code"] = "t9.tiny.linux", ["description"] = "tiny",
                ["prices"] = new JsonArray(new JsonObject { ["regions"] = new JsonArray("ap-southeast-1"), ["effective_from"] = "2026-01-01T00:00:00Z", ["period_prices"] = new JsonObject { ["month"] = 1.11m } }),
            }),
        };
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import", a.Token, file.ToJsonString())).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import", op, "{\"specs\": [")).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import", op, """{"unknown_list": []}""")).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import?mode=wipe", op, file.ToJsonString())).AssertErrorAsync(400, "CBC.0100");
        var badPrice = JsonNode.Parse(file.ToJsonString())!;
        badPrice["specs"]![0]!["prices"]![0]!["period_prices"]!["month"] = 1.123456789m;
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import", op, badPrice.ToJsonString())).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(before, await SpecCountAsync(a.Token));

        var imported = await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/import", op, file.ToJsonString())).JsonAsync();
        Assert.Equal(1, imported["specs"]!.GetValue<int>());
        Assert.Equal(before + 1, await SpecCountAsync(a.Token));

        await (await s.SendAsync(HttpMethod.Get, "/v1/catalog/export", a.Token)).AssertErrorAsync(403);
        var export = await (await s.SendAsync(HttpMethod.Get, "/v1/catalog/export", op)).JsonAsync();
        Assert.Contains(export["specs"]!.AsArray(), x => x!["spec_code"]!.GetValue<string>() == "t9.tiny.linux");

        var spec = await ProductIdAsync(a.Token, "t9.tiny.linux", "ap-southeast-1");
        var version = new { effective_from = "2031-01-01T00:00:00Z", period_prices = new { month = 2.22m } };
        await (await s.SendAsync(HttpMethod.Post, $"/v1/catalog/specs/{spec}/price-versions", a.Token, version)).AssertErrorAsync(403);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await s.SendAsync(HttpMethod.Post, $"/v1/catalog/specs/{spec}/price-versions", op, version)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, $"/v1/catalog/specs/{spec}/price-versions", op, version)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/catalog/specs/nope/price-versions", op, version)).AssertErrorAsync(404);
        await (await s.SendAsync(HttpMethod.Post, $"/v1/catalog/specs/{spec}/price-versions", op, new { effective_from = "2031-02-01T00:00:00Z", period_prices = new { fortnight = 1m } })).AssertErrorAsync(400, "CBC.0100");
        var exported = (await (await s.SendAsync(HttpMethod.Get, "/v1/catalog/export", op)).JsonAsync())["specs"]!.AsArray().Single(x => x!["spec_code"]!.GetValue<string>() == "t9.tiny.linux")!;
        Assert.Equal(2, exported["prices"]!.AsArray().Count);
        // The new version takes effect in 2031: the price now is still the first one.
        var quoted = await (await s.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", a.Token, new { product_infos = new[] { VmProduct("t", spec: "t9.tiny.linux", region: "ap-southeast-1") } })).JsonAsync();
        Assert.Equal(1.11m, quoted["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Discounts_and_settlement_terms_belong_to_their_granters()
    {
        var op = await OperatorTokenAsync();
        var csp = await s.NewAccountAsync("csp");
        var partnerId = await s.EnrollAsync(csp);
        var customerId = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = TestApi.Unique("cust") })).JsonAsync())["domain_id"]!.GetValue<string>();

        await (await s.SendAsync(HttpMethod.Post, "/v1/partners/discounts", csp.Token, new { customer_id = customerId, discount_rate = 1.2m })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/partners/discounts", csp.Token, new { customer_id = customerId, discount_rate = 0.1m, valid_to = "2020-01-01T00:00:00Z" })).AssertErrorAsync(400, "CBC.0100");
        var list = await (await s.SendAsync(HttpMethod.Get, $"/v1/partners/discounts?customer_id={customerId}", csp.Token)).JsonAsync();
        Assert.Empty(list["discounts"]!.AsArray());

        var granted = await (await s.SendAsync(HttpMethod.Post, "/v1/partners/discounts", csp.Token, new { customer_id = customerId, discount_rate = 0.1m })).JsonAsync();
        var id = granted["discount_id"]!.GetValue<string>();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/discounts/{id}", csp.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/discounts/{id}", csp.Token)).AssertErrorAsync(404, "CBC.5030");
        var revoked = await (await s.SendAsync(HttpMethod.Get, "/v1/partners/discounts?include_revoked=true", csp.Token)).JsonAsync();
        Assert.Equal("revoked", Assert.Single(revoked["discounts"]!.AsArray())!["status"]!.GetValue<string>());

        var commercial = await (await s.SendAsync(HttpMethod.Post, "/v1/commercial-discounts", op, new { customer_id = customerId, discount_rate = 0.05m })).JsonAsync();
        Assert.Equal(605, commercial["discount_type"]!.GetValue<int>());
        await (await s.SendAsync(HttpMethod.Post, "/v1/commercial-discounts", op, new { customer_id = "nobody", discount_rate = 0.05m })).AssertErrorAsync(404);
        Assert.Single((await (await s.SendAsync(HttpMethod.Get, $"/v1/commercial-discounts?customer_id={customerId}", op)).JsonAsync())["discounts"]!.AsArray());

        await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/{partnerId}/settlement-discount", csp.Token, new { discount_rate = 0.5m })).AssertErrorAsync(403);
        await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/{partnerId}/settlement-discount", op, new { discount_rate = 1 })).AssertErrorAsync(400, "CBC.0100");
        var set = await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/{partnerId}/settlement-discount", op, new { discount_rate = 0.25m })).JsonAsync();
        Assert.Equal(0.25m, set["discount_rate"]!.GetValue<decimal>());
        var own = await (await s.SendAsync(HttpMethod.Get, "/v1/partner/settlement-discount", csp.Token)).JsonAsync();
        Assert.Equal((partnerId, 0.25m), (own["partner_id"]!.GetValue<string>(), own["discount_rate"]!.GetValue<decimal>()));
    }
}
