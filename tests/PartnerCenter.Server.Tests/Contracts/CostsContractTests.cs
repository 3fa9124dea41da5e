using System.Globalization;
using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>Fee records, resource usage and costs against the demo world, as the SDK reads them; every figure adds up to the monthly sum.</summary>
public sealed partial class CustomerBillsContractTests
{
    async Task<decimal> MonthlySumAsync(DemoLogin who, string cycle) =>
        (await (await Get(who, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself")).JsonAsync())["consume_amount"]!.GetValue<decimal>();

    static decimal Text(JsonNode? n) => decimal.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact, SdkContract("ListCustomerBillsFeeRecords")]
    public async Task ListCustomerBillsFeeRecords_answers_transactions_that_add_up_to_the_monthly_sum_to_the_cent()
    {
        var c = SdkContract.Of("ListCustomerBillsFeeRecords");
        var cycle = await CycleAsync();
        foreach (var who in new[] { Referral, OrdersCustomer })
        {
            decimal total = 0;
            var kinds = new HashSet<int>();
            for (var offset = 0; ; offset += 1000)
            {
                var page = (await c.AnswerAsync(await Get(who, $"/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&method=oneself&offset={offset}&limit=1000")))!;
                total += Sum(page["records"]!, "consume_amount");
                kinds.UnionWith(page["records"]!.AsArray().Select(r => r!["bill_type"]!.GetValue<int>()));
                Assert.All(page["records"]!.AsArray(), r => Assert.Equal(r!["official_amount"]!.GetValue<decimal>() - r["official_discount_amount"]!.GetValue<decimal>()
                                                                        - r["erase_amount"]!.GetValue<decimal>(), r["consume_amount"]!.GetValue<decimal>()));
                if (offset + 1000 >= page["total_count"]!.GetValue<int>()) break;
            }
            Assert.Equal(await MonthlySumAsync(who, cycle), total);
            Assert.NotEmpty(kinds);
        }
        var refunds = (await c.AnswerAsync(await Get(OrdersCustomer, $"/v2/bills/customer-bills/fee-records?bill_cycle={cycle}&bill_type=4")))!["records"]!.AsArray();
        Assert.All(refunds, r => Assert.True(r!["consume_amount"]!.GetValue<decimal>() < 0));
        Assert.NotEmpty(refunds);
        await (await Get(Referral, "/v2/bills/customer-bills/fee-records?bill_cycle=2026-13")).AssertErrorAsync(400, "CBC.0100");
        c.AssertCovered();
    }

    [Fact, SdkContract("ListResourceUsage")]
    public async Task ListResourceUsage_answers_a_resources_usage_per_day_and_the_days_it_had_usage()
    {
        var c = SdkContract.Of("ListResourceUsage");
        var cycle = await CycleAsync();
        var summary = (await (await Get(Referral, $"/v2/bills/customer-bills/resources/usage/summary?bill_cycle={cycle}&limit=100")).JsonAsync());
        var resource = summary["summary_usage_info_list"]![0]!["resource_id"]!.GetValue<string>();
        var answer = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/resources/usage/details?bill_cycle={cycle}&resource_id={resource}&limit=100")))!;
        Assert.True(answer["usage_info_list"]!.AsArray().Count > 0);
        Assert.All(answer["usage_info_list"]!.AsArray(), u => Assert.True(Text(u!["usage"]) > 0));
        Assert.Equal(summary["summary_usage_info_list"]![0]!["actual_days"]!.GetValue<string>(), answer["actual_days"]!.GetValue<string>());
        await (await Get(Referral, "/v2/bills/customer-bills/resources/usage/details?bill_cycle=May")).AssertErrorAsync(400, "CBC.0100");
        c.AssertCovered();
    }

    [Fact, SdkContract("ListResourceUsageSummary")]
    public async Task ListResourceUsageSummary_answers_each_resource_with_usage_once()
    {
        var c = SdkContract.Of("ListResourceUsageSummary");
        var cycle = await CycleAsync();
        var answer = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/resources/usage/summary?bill_cycle={cycle}&limit=100")))!;
        var ids = answer["summary_usage_info_list"]!.AsArray().Select(r => r!["resource_id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(answer["total_count"]!.GetValue<int>(), ids.Count);
        var usageRecords = (await (await Get(Referral, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=1&bill_type=5&include_zero_record=true&limit=1000")).JsonAsync());
        Assert.Equal(usageRecords["fee_records"]!.AsArray().Select(r => r!["resource_id"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        c.AssertCovered();
    }

    [Fact, SdkContract("ListCustomerBillsMonthlyBreakDown")]
    public async Task ListCustomerBillsMonthlyBreakDown_answers_charges_whose_amortized_months_add_up_to_what_was_paid()
    {
        var c = SdkContract.Of("ListCustomerBillsMonthlyBreakDown");
        var cycle = await CycleAsync();
        var usage = (await c.AnswerAsync(await Get(Referral, $"/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}&method=oneself&limit=1000")))!;
        // Pay-per-use lands whole in its month: the month's shares are the monthly sum.
        Assert.Equal(await MonthlySumAsync(Referral, cycle), Sum(usage["details"]!, "current_month_amortized_amount"));
        var orders = (await c.AnswerAsync(await Get(OrdersCustomer, $"/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}&limit=1000")))!;
        Assert.NotEmpty(orders["details"]!.AsArray());
        Assert.All(orders["details"]!.AsArray().Concat(usage["details"]!.AsArray()), d => Assert.Equal(d!["consume_amount"]!.GetValue<decimal>(),
            d["past_months_amortized_amount"]!.GetValue<decimal>() + d["current_month_amortized_amount"]!.GetValue<decimal>() + d["future_months_amortized_amount"]!.GetValue<decimal>()));
        await (await Get(Referral, "/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month=2026-1")).AssertErrorAsync(400, "CBC.0100");
        c.AssertCovered();
    }

    [Fact, SdkContract("ListCosts")]
    public async Task ListCosts_answers_original_and_amortized_cost_by_month_and_day_that_add_up()
    {
        var c = SdkContract.Of("ListCosts");
        var cycle = await CycleAsync();
        const string Path = "/v4/costs/cost-analysed-bills/query";
        var byService = new[] { new { type = "dimension", key = "CLOUD_SERVICE_TYPE" } };
        var month = (await c.AnswerAsync(await demo.SignedAsync(Referral, HttpMethod.Post, Path,
            new { time_condition = new { time_measure_id = 2, begin_time = cycle, end_time = cycle }, groupby = byService, cost_type = "ORIGINAL_COST", limit = 100 })))!;
        var sum = await MonthlySumAsync(Referral, cycle);
        Assert.Equal(sum, month["cost_data"]!.AsArray().Sum(g => Text(g!["amount_by_costs"])));
        Assert.Contains(month["cost_data"]!.AsArray(), g => g!["dimensions"]![0]!["value"]!.GetValue<string>() == "hws.service.type.obs");

        var first = $"{cycle}-01";
        var last = $"{cycle}-{DateTime.DaysInMonth(int.Parse(cycle[..4], CultureInfo.InvariantCulture), int.Parse(cycle[5..], CultureInfo.InvariantCulture)):D2}";
        var days = (await c.AnswerAsync(await demo.SignedAsync(Referral, HttpMethod.Post, Path,
            new { time_condition = new { time_measure_id = 1, begin_time = first, end_time = last }, groupby = byService, cost_type = "AMORTIZED_COST", limit = 100 })))!;
        Assert.Equal(sum, days["cost_data"]!.AsArray().Sum(g => g!["costs"]!.AsArray().Sum(x => Text(x!["amount"]))));

        // The orders customer's amortized month is the breakdown's current-month shares.
        var amortized = (await c.AnswerAsync(await demo.SignedAsync(OrdersCustomer, HttpMethod.Post, Path,
            new { time_condition = new { time_measure_id = 2, begin_time = cycle, end_time = cycle }, cost_type = "AMORTIZED_COST" })))!;
        var breakdown = await (await Get(OrdersCustomer, $"/v2/costs/cost-analysed-bills/monthly-breakdown?shared_month={cycle}&method=oneself&limit=1000")).JsonAsync();
        Assert.Equal(Sum(breakdown["details"]!, "current_month_amortized_amount"), amortized["cost_data"]!.AsArray().Sum(g => Text(g!["amount_by_costs"])));

        await (await demo.SignedAsync(Referral, HttpMethod.Post, Path, new { time_condition = new { time_measure_id = 2, begin_time = cycle, end_time = cycle },
            groupby = new[] { new { type = "dimension", key = "AZ_CODE" } } })).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(Referral, HttpMethod.Post, Path, new { time_condition = new { time_measure_id = 2, begin_time = first, end_time = cycle } }))
            .AssertErrorAsync(400, "CBC.0100");
        c.AssertCovered();
    }
}
