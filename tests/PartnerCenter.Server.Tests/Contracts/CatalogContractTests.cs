using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>The product catalog and price inquiry, answered as the SDK models read them, against the demo world.</summary>
[Collection(SdkContractCollection.Name)]
public sealed class CatalogContractTests(DemoWorldServer demo)
{
    const string Ecs = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Bangkok = "ap-southeast-2";

    DemoLogin Csp => demo.Login("demo-csp");
    /// <summary>A resale customer holding its partner's 10 % ECS discount.</summary>
    DemoLogin DiscountedCustomer => demo.Login("demo-csp-customer1");

    static string[] Texts(JsonNode? array, Func<JsonNode, JsonNode?> pick) => array!.AsArray().Select(x => pick(x!)!.GetValue<string>()).ToArray();

    [Fact, SdkContract("ListServiceTypes")]
    public async Task Service_types_are_listed_and_filtered_by_name()
    {
        var c = SdkContract.Of("ListServiceTypes");
        var all = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/service-types?limit=100&offset=0"));
        Assert.Contains(Ecs, Texts(all!["service_types"], t => t["service_type_code"]));
        var named = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/service-types?service_type_name=Elastic%20Cloud%20Server"));
        Assert.Equal(1, named!["total_count"]!.GetValue<int>());
        Assert.Equal(("Elastic Cloud Server", Ecs, "ECS"), (named["service_types"]![0]!["service_type_name"]!.GetValue<string>(),
            named["service_types"]![0]!["service_type_code"]!.GetValue<string>(), named["service_types"]![0]!["abbreviation"]!.GetValue<string>()));
        var none = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/service-types?service_type_name=No%20such%20service"));
        Assert.Equal(0, none!["total_count"]!.GetValue<int>());
    }

    [Fact, SdkContract("ListResourceTypes")]
    public async Task Resource_types_name_the_service_that_sells_them()
    {
        var c = SdkContract.Of("ListResourceTypes");
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/resource-types?limit=100&offset=0"));
        var vm = body!["resource_types"]!.AsArray().Single(r => r!["resource_type_code"]!.GetValue<string>() == Vm)!;
        Assert.Equal(Ecs, vm["service_type_code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(vm["resource_type_name"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListServiceResources")]
    public async Task Service_resources_are_read_under_basic_info()
    {
        var c = SdkContract.Of("ListServiceResources");
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/service-resources?service_type_code=hws.service.type.vpc&limit=10&offset=0"));
        Assert.Equal(2, body!["total_count"]!.GetValue<int>());
        Assert.Equal(["hws.resource.type.bandwidth", "hws.resource.type.ip"], Texts(body["infos"], i => i["basic_info"]!["resource_type_code"]));
        Assert.All(body["infos"]!.AsArray(), i => Assert.Equal("hws.service.type.vpc", i!["basic_info"]!["product_owner_service"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListUsageTypes")]
    public async Task Usage_types_carry_their_service_and_resource_names()
    {
        var c = SdkContract.Of("ListUsageTypes");
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/products/usage-types?resource_type_code=hws.resource.type.obs&offset=0&limit=10"));
        Assert.Equal(3, body!["total_count"]!.GetValue<int>());
        Assert.All(body["usage_types"]!.AsArray(), u => Assert.Equal("Object Storage Service", u!["service_type_name"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListResourceSpecs")]
    public async Task Resource_specs_follow_the_filters_and_page_by_marker()
    {
        var c = SdkContract.Of("ListResourceSpecs");
        var query = new { cloud_service_type = Ecs, resource_type = Vm, region_code = Bangkok, charge_mode = "1", limit = 100 };
        var all = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/products/resource-specs-query", query));
        var rows = all!["cloud_service_basics"]!.AsArray();
        Assert.Equal(12, rows.Count);
        Assert.Null(all["page_info"]!["next_marker"]);
        Assert.All(rows, r => Assert.Equal((Ecs, "Elastic Cloud Server", Vm, Bangkok, "1"), (r!["cloud_service_type"]!.GetValue<string>(),
            r["cloud_service_type_name"]!.GetValue<string>(), r["resource_type"]!.GetValue<string>(), r["region_code"]!.GetValue<string>(), r["charge_mode"]!.GetValue<string>())));

        // Pages of 5 by marker give back exactly the rows of the whole list, in order.
        var paged = new List<string>();
        string? marker = null;
        do
        {
            object request = marker is null ? query with { limit = 5 } : new { query.cloud_service_type, query.resource_type, query.region_code, query.charge_mode, limit = 5, marker };
            var page = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/products/resource-specs-query", request));
            paged.AddRange(Texts(page!["cloud_service_basics"], r => r["resource_spec"]));
            marker = page["page_info"]!["next_marker"]?.GetValue<string>();
        } while (marker is not null && paged.Count < 100);
        Assert.Equal(Texts(rows, r => r["resource_spec"]), paged.ToArray());

        var one = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/products/resource-specs-query", new
        {
            cloud_service_type = Ecs, region_code = Bangkok, filters = new[] { new { key = "RESOURCE_SPEC", value = "s6.small.1.linux" } },
        }));
        // Sold by the month and by the hour: one row per charge mode.
        Assert.Equal(["1", "3"], Texts(one!["cloud_service_basics"], r => r["charge_mode"]));
        Assert.All(one["cloud_service_basics"]!.AsArray(), r => Assert.Equal(("s6.small.1.linux", "1 vCPU, 1 GiB, Linux"),
            (r!["resource_spec"]!.GetValue<string>(), r["resource_spec_name"]!.GetValue<string>())));
        c.AssertCovered();

        foreach (var bad in new object[]
                 {
                     new { filters = new[] { new { key = "RESOURCE_NAME", value = "x" } } }, new { marker = "not-a-marker", limit = 5 },
                     new { charge_mode = "2" }, new { limit = 101 }, new { limit = "ten" },
                 })
            await (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/products/resource-specs-query", bad)).AssertErrorAsync(400);
    }

    [Fact, SdkContract("ListMeasureUnits")]
    public async Task Measure_units_are_listed()
    {
        var body = await SdkContract.Of("ListMeasureUnits").AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/bases/measurements"));
        Assert.Contains(body!["measure_units"]!.AsArray(), u => u!["measure_id"]!.GetValue<int>() == 15 && u["abbreviation"]!.GetValue<string>() == "Mbps");
    }

    [Fact, SdkContract("ListConversions")]
    public async Task Conversions_are_listed_by_measure_type()
    {
        var body = await SdkContract.Of("ListConversions").AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/bases/conversions?measure_type=3"));
        Assert.Contains(body!["conversions"]!.AsArray(), c => c!["measure_id"]!.GetValue<int>() == 10 && c["ref_measure_id"]!.GetValue<int>() == 11 && c["conversion_ratio"]!.GetValue<long>() == 1024);
    }

    [Fact, SdkContract("ListRateOnPeriodDetail")]
    public async Task Period_rating_answers_list_price_and_the_customers_discount()
    {
        var c = SdkContract.Of("ListRateOnPeriodDetail");
        object Vm(string? installments) => new
        {
            product_infos = new[]
            {
                new
                {
                    id = "vm", cloud_service_type = Ecs, resource_type = CatalogContractTests.Vm, resource_spec = "s6.small.1.linux", region = Bangkok, available_zone = "ap-southeast-2a",
                    period_type = 2, period_num = 2, subscription_num = 1, fee_installment_mode = installments,
                },
            },
        };
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(DiscountedCustomer, HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", Vm("NA")));
        Assert.Equal(13.00m, body!["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>());
        var option = Assert.Single(body["optional_discount_rating_results"]!.AsArray())!;
        Assert.Equal((607, 1.30m, 11.70m, 1), (option["discount_type"]!.GetValue<int>(), option["discount_amount"]!.GetValue<decimal>(),
            option["amount"]!.GetValue<decimal>(), option["best_offer"]!.GetValue<int>()));
        Assert.Equal("USD", body["currency"]!.GetValue<string>());

        await (await demo.SignedAsync(DiscountedCustomer, HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", Vm("ZERO_PAY"))).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(DiscountedCustomer, HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", Vm("MONTHLY"))).AssertErrorAsync(400, "CBC.0100");
    }

    [Fact, SdkContract("ListOnDemandResourceRatings")]
    public async Task On_demand_rating_names_each_discounts_saving_amount()
    {
        var c = SdkContract.Of("ListOnDemandResourceRatings");
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(DiscountedCustomer, HttpMethod.Post, "/v2/bills/ratings/on-demand-resources", new
        {
            inquiry_precision = 1,
            product_infos = new[]
            {
                new
                {
                    id = "1", cloud_service_type = Ecs, resource_type = Vm, resource_spec = "s6.small.1.linux", region = Bangkok, available_zone = "ap-southeast-2a",
                    usage_factor = "Duration", usage_value = 100m, usage_measure_id = 4, subscription_num = 1,
                },
            },
        }));
        var product = body!["product_rating_results"]![0]!;
        var official = product["official_website_amount"]!.GetValue<decimal>();
        var discount = Assert.Single(product["discount_rating_results"]!.AsArray())!;
        Assert.Equal((607, Math.Round(official * 0.1m, 8, MidpointRounding.AwayFromZero)), (discount["discount_type"]!.GetValue<int>(), discount["amount"]!.GetValue<decimal>()));
        Assert.Equal(official - discount["amount"]!.GetValue<decimal>(), product["amount"]!.GetValue<decimal>());
        Assert.Equal(discount["amount"]!.GetValue<decimal>(), body["discount_amount"]!.GetValue<decimal>());
    }
}
