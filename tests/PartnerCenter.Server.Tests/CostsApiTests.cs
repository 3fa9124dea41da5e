using System.Globalization;
using System.Net;
using PartnerCenter.Core.Billing;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Server.Tests.Contracts;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Fee records, usage and costs over HTTP: a paid order's fee record, its amortized months, who may read them and refused input.</summary>
public sealed class CostsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static readonly object Card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };

    static object Vm(int periodType) => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux",
        region = "ap-southeast-1", period_type = periodType, period_num = 1 };

    async Task<string> CycleAsync()
    {
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var now = DateTime.Parse((await (await s.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", op)).JsonAsync())["now"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        return BillCycle.Containing(now).ToString();
    }

    /// <summary>A customer that tops up and buys a VM for one month (period type 2) or one year (3); returns what it paid.</summary>
    async Task<(TestAccount Customer, decimal Paid, string OrderId)> BuyerAsync(int periodType)
    {
        var c = await s.NewAccountAsync("costs");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", c.AccessKey, c.SecretKey, new { amount = 5000m, card = Card, client_token = "fund" });
        var order = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { Vm(periodType) }, client_token = "vm" })).JsonAsync())["order_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", c.AccessKey, c.SecretKey, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        var details = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/details/{order}", c.AccessKey, c.SecretKey)).JsonAsync();
        return (c, details["order_info"]!["amount_after_discount"]!.GetValue<decimal>(), order);
    }

    [Fact]
    public async Task A_paid_order_is_one_fee_record_of_what_was_paid()
    {
        var (c, paid, order) = await BuyerAsync(2);
        var cycle = await CycleAsync();
        var answer = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/fee-records?bill_cycle={cycle}", c.AccessKey, c.SecretKey)).JsonAsync();
        var record = Assert.Single(answer["records"]!.AsArray())!;
        Assert.Equal((order, 1, 1, paid, 1), (record["trade_id"]!.GetValue<string>(), record["bill_type"]!.GetValue<int>(), record["charging_mode"]!.GetValue<int>(),
            record["consume_amount"]!.GetValue<decimal>(), record["status"]!.GetValue<int>()));
        var none = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&provider_type=2", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(0, none["total_count"]!.GetValue<int>()); // nothing bought on a marketplace
    }

    [Fact]
    public async Task A_yearly_order_is_amortized_over_twelve_months_that_add_up_to_what_was_paid()
    {
        var (c, paid, order) = await BuyerAsync(3);
        var cycle = await CycleAsync();
        var detail = Assert.Single((await (await s.SignedAsync(HttpMethod.Get, $"/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}", c.AccessKey, c.SecretKey))
            .JsonAsync())["details"]!.AsArray())!;
        // Twelve cent-truncated shares, the cents left over to the first months: the month paid has the largest share.
        var share = Math.Truncate(paid * 100 / 12) / 100;
        var leftCents = (int)((paid - share * 12) * 100);
        var first = share + (leftCents > 0 ? 0.01m : 0);
        Assert.Equal((order, paid, first, 0m, paid - first), (detail["order_id"]!.GetValue<string>(), detail["consume_amount"]!.GetValue<decimal>(),
            detail["current_month_amortized_amount"]!.GetValue<decimal>(), detail["past_months_amortized_amount"]!.GetValue<decimal>(),
            detail["future_months_amortized_amount"]!.GetValue<decimal>()));

        const string Path = "/v4/costs/cost-analysed-bills/query";
        object Query(string type) => new { time_condition = new { time_measure_id = 2, begin_time = cycle, end_time = cycle }, cost_type = type };
        var amortized = await (await s.SignedAsync(HttpMethod.Post, Path, c.AccessKey, c.SecretKey, Query("AMORTIZED_COST"))).JsonAsync();
        var original = await (await s.SignedAsync(HttpMethod.Post, Path, c.AccessKey, c.SecretKey, Query("ORIGINAL_COST"))).JsonAsync();
        Assert.Equal(first.ToString("0.00", CultureInfo.InvariantCulture), Assert.Single(amortized["cost_data"]!.AsArray())!["amount_by_costs"]!.GetValue<string>());
        Assert.Equal(paid.ToString("0.00", CultureInfo.InvariantCulture), Assert.Single(original["cost_data"]!.AsArray())!["amount_by_costs"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fee_records_usage_and_costs_need_a_signature()
    {
        var cycle = await CycleAsync();
        foreach (var path in new[] { $"/v2/bills/customer-bills/fee-records?bill_cycle={cycle}", $"/v2/bills/customer-bills/resources/usage/details?bill_cycle={cycle}",
                     $"/v2/bills/customer-bills/resources/usage/summary?bill_cycle={cycle}", $"/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await s.Http.GetAsync(path)).StatusCode);
        await (await s.Http.PostAsync("/v4/costs/cost-analysed-bills/query", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).AssertErrorAsync(401);
    }

    [Theory]
    [InlineData("/v2/bills/customer-bills/fee-records?bill_cycle=2026-13", "bill_cycle")]
    [InlineData("/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&charging_mode=2", "charging_mode")]
    [InlineData("/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&bill_date_begin=2020-01-01&bill_date_end=2020-01-02", "bill_date_begin")]
    [InlineData("/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&method=sub_customer", "sub_customer_id")]
    [InlineData("/v2/bills/customer-bills/resources/usage/details", "bill_cycle")]
    [InlineData("/v2/bills/customer-bills/resources/usage/summary?bill_cycle={cycle}&limit=0", "limit")]
    [InlineData("/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month=1999-01", "shared_month")]
    [InlineData("/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}&enterprise_project_id=p1", "enterprise_project_id")]
    public async Task Bad_input_is_refused_naming_the_field(string path, string field)
    {
        var c = await s.NewAccountAsync("costs-bad");
        var body = await (await s.SignedAsync(HttpMethod.Get, path.Replace("{cycle}", await CycleAsync()), c.AccessKey, c.SecretKey)).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains(field, body["error_msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_cost_query_refuses_what_it_does_not_offer_naming_the_field()
    {
        var c = await s.NewAccountAsync("costs-bad");
        var cycle = await CycleAsync();
        var month = new { time_measure_id = 2, begin_time = cycle, end_time = cycle };
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { cost_type = "ORIGINAL_COST" }, "time_condition"),
                     (new { time_condition = new { time_measure_id = 3, begin_time = cycle, end_time = cycle } }, "time_measure_id"),
                     (new { time_condition = new { time_measure_id = 1, begin_time = cycle, end_time = cycle } }, "begin_time"),
                     (new { time_condition = month, cost_type = "NET_COST" }, "cost_type"),
                     (new { time_condition = month, groupby = new[] { new { type = "tag", key = "env" } } }, "groupby"),
                     (new { time_condition = month, filters = new[] { new { @operator = 5, filter_factor = new { key = "REGION_CODE", value = new[] { "x" } } } } }, "operator"),
                 })
        {
            var answer = await (await s.SignedAsync(HttpMethod.Post, "/v4/costs/cost-analysed-bills/query", c.AccessKey, c.SecretKey, body)).AssertErrorAsync(400, "CBC.0100");
            Assert.Contains(field, answer["error_msg"]!.GetValue<string>());
        }
    }

    static string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact, SdkContract("ListFreeResourcesUsageRecords")]
    public async Task A_free_package_covering_an_hours_usage_is_one_record_of_what_it_took_and_what_it_has_left()
    {
        var c = await s.NewAccountAsync("free");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", c.AccessKey, c.SecretKey, new { amount = 10m, card = Card, client_token = "fund" });
        var ppu = new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", charging_mode = 3 };
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { ppu }, client_token = "ppu" })).StatusCode);
        string vm;
        await using (var scope = s.Services.CreateAsyncScope())
            vm = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>().CloudResources.Single(r => r.CustomerAccountId == c.Id).Id;
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var now = DateTime.Parse((await (await s.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", op)).JsonAsync())["now"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        // Effective from before the usage's hour, so the package covers it.
        var granted = await (await s.SendAsync(HttpMethod.Post, "/v1/free-resource-packages", op, new { customer_id = c.Id, product_name = "100 VM hours",
            service_type_code = "hws.service.type.ec2", resource_type_code = "hws.resource.type.vm", region_code = "ap-southeast-1", usage_factor = "Duration", amount = 100,
            measure_id = 4, effective_time = Utc(now.AddHours(-3)) })).JsonAsync();
        var freeId = granted["free_resource_id"]!.GetValue<string>();
        var record = new { record_id = TestApi.Unique("free"), resource_id = vm, usage_factor = "Duration", usage_value = 10m, usage_measure_id = 4,
            begin_time = Utc(now.AddHours(-1)), end_time = Utc(now.AddMinutes(-1)) };
        Assert.Equal(1, (await (await s.SendAsync(HttpMethod.Post, "/v1/usage-records", op, new { records = new[] { record } })).JsonAsync())["accepted"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { seconds = 3600 })).StatusCode);

        var contract = SdkContract.Of("ListFreeResourcesUsageRecords");
        var answer = (await contract.AnswerAsync(await s.SignedAsync(HttpMethod.Get, "/v2/bills/customer-bills/free-resources-usage-records", c.AccessKey, c.SecretKey)))!;
        var used = Assert.Single(answer["free_resource_records"]!.AsArray())!;
        Assert.Equal((freeId, vm, "Duration", "100", "10", "90", 4), (used["free_resource_id"]!.GetValue<string>(), used["resource_id"]!.GetValue<string>(),
            used["usage_type_code"]!.GetValue<string>(), used["available_amount"]!.GetValue<string>(), used["used_amount"]!.GetValue<string>(),
            used["remaining_amount"]!.GetValue<string>(), used["measure_id"]!.GetValue<int>()));
        Assert.Equal(Utc(new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-1)), used["deduct_time"]!.GetValue<string>());
        contract.AssertCovered();
        var none = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/free-resources-usage-records?free_resource_id=other&deduct_time_begin={Utc(now)}",
            c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(0, none["total_count"]!.GetValue<int>());
        var bad = await (await s.SignedAsync(HttpMethod.Get, "/v2/bills/customer-bills/free-resources-usage-records?deduct_time_end=yesterday", c.AccessKey, c.SecretKey))
            .AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("deduct_time_end", bad["error_msg"]!.GetValue<string>());

        // The hour's usage before the package is the resource's usage of the day; nobody else sees either.
        var cycle = await CycleAsync();
        var usage = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/resources/usage/details?bill_cycle={cycle}&resource_id={vm}", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(("10", "1"), (Assert.Single(usage["usage_info_list"]!.AsArray())!["usage"]!.GetValue<string>(), usage["actual_days"]!.GetValue<string>()));
        var other = await s.NewAccountAsync("free-other");
        Assert.Equal(0, (await (await s.SignedAsync(HttpMethod.Get, "/v2/bills/customer-bills/free-resources-usage-records", other.AccessKey, other.SecretKey)).JsonAsync())["total_count"]!.GetValue<int>());
        Assert.Equal(0, (await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/resources/usage/details?bill_cycle={cycle}&resource_id={vm}", other.AccessKey, other.SecretKey)).JsonAsync())["total_count"]!.GetValue<int>());
    }
}
