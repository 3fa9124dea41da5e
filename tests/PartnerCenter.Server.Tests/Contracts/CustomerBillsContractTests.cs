using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Data;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Customers' bills against the demo world, as the SDK reads them, in the cycle its history starts in: the referral
/// customer's pay-per-use month, the one-time-budget resale customer's paid and refunded orders, and the CSP's view of
/// its customers.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed partial class CustomerBillsContractTests(DemoWorldServer demo)
{
    DemoLogin Csp => demo.Login("demo-csp");
    DemoLogin Referral => demo.Login("demo-csp-referral1");
    DemoLogin OrdersCustomer => demo.Login("demo-csp-customer2");

    static readonly SemaphoreSlim Once = new(1, 1);
    static string? demoCycle;

    /// <summary>
    /// The cycle the demo's history starts in: the one-time-budget customer bought and unsubscribed then, and every
    /// pay-per-use resource ran from then on. A closed cycle, so its figures do not depend on the hour the tests run at.
    /// </summary>
    async Task<string> CycleAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (demoCycle is not null) return demoCycle;
            using var scope = demo.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var firstOrder = await db.Orders.Where(o => o.CustomerAccountId == OrdersCustomer.DomainId).MinAsync(o => o.CreatedAt);
            return demoCycle = BillCycle.Containing(firstOrder).ToString();
        }
        finally
        {
            Once.Release();
        }
    }

    Task<HttpResponseMessage> Get(DemoLogin who, string path) => demo.SignedAsync(who, HttpMethod.Get, path);

    static decimal Sum(JsonNode list, string field) => list.AsArray().Sum(x => x![field]!.GetValue<decimal>());

    [Fact, SdkContract("ShowCustomerMonthlySum")]
    public async Task ShowCustomerMonthlySum_answers_lines_that_add_up_to_the_totals_and_how_they_were_paid()
    {
        var c = SdkContract.Of("ShowCustomerMonthlySum");
        var cycle = await CycleAsync();
        var usage = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself&limit=100")))!;
        var lines = usage["bill_sums"]!;
        Assert.Contains(lines.AsArray(), l => l!["charging_mode"]!.GetValue<int>() == 3 && l["service_type_code"]!.GetValue<string>() == "hws.service.type.obs");
        Assert.Equal(usage["consume_amount"]!.GetValue<decimal>(), Sum(lines, "consume_amount"));
        Assert.True(usage["consume_amount"]!.GetValue<decimal>() > 0);
        // The referral customer pays itself: its cash and what it could not cover (debt) make up what it consumed.
        Assert.Equal(usage["consume_amount"]!.GetValue<decimal>(), usage["cash_amount"]!.GetValue<decimal>() + usage["credit_amount"]!.GetValue<decimal>()
                                                                 + usage["debt_amount"]!.GetValue<decimal>());
        Assert.All(lines.AsArray(), l => Assert.Equal(l!["official_amount"]!.GetValue<decimal>() - l["official_discount_amount"]!.GetValue<decimal>()
                                                      - l["truncated_amount"]!.GetValue<decimal>(), l["consume_amount"]!.GetValue<decimal>()));
        Assert.Equal(("USD", cycle, Referral.DomainName), (usage["currency"]!.GetValue<string>(), lines[0]!["bill_cycle"]!.GetValue<string>(), lines[0]!["account_name"]!.GetValue<string>()));

        var orders = (await c.AnswerAsync(await Get(OrdersCustomer, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}")))!;
        var kinds = orders["bill_sums"]!.AsArray().Select(l => l!["bill_type"]!.GetValue<int>()).ToHashSet();
        Assert.Equal([1, 2], kinds.Order()); // the purchases and the unsubscribe's refund
        Assert.Equal(orders["consume_amount"]!.GetValue<decimal>(), Sum(orders["bill_sums"]!, "consume_amount"));
        c.AssertCovered();
    }

    [Fact, SdkContract("ListCustomerselfResourceRecords")]
    public async Task ListCustomerselfResourceRecords_answers_usage_and_order_records_that_add_up_to_the_monthly_sum()
    {
        var c = SdkContract.Of("ListCustomerselfResourceRecords");
        var cycle = await CycleAsync();
        var sum = (await (await Get(Referral, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself")).JsonAsync())["consume_amount"]!.GetValue<decimal>();
        var byCycle = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=1&limit=1000")))!;
        Assert.Equal(sum, Sum(byCycle["fee_records"]!, "amount"));
        Assert.All(byCycle["fee_records"]!.AsArray(), r => Assert.Equal(5, r!["bill_type"]!.GetValue<int>()));
        var byDay = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=2&limit=1000")))!;
        Assert.Equal(sum, Sum(byDay["fee_records"]!, "amount"));
        Assert.Equal(byDay["total_count"]!.GetValue<int>(), byDay["fee_records"]!.AsArray().Count);
        // Detailed (the default): every hourly fee record, paged; all pages add up to the month.
        decimal detailed = 0;
        for (var offset = 0; ; offset += 1000)
        {
            var page = (await c.AnswerAsync(await Get(Referral, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&offset={offset}&limit=1000")))!;
            detailed += Sum(page["fee_records"]!, "amount");
            if (offset + 1000 >= page["total_count"]!.GetValue<int>()) break;
        }
        Assert.Equal(sum, detailed);

        var orders = (await c.AnswerAsync(await Get(OrdersCustomer, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=1&limit=1000")))!["fee_records"]!;
        var refund = orders.AsArray().First(r => r!["bill_type"]!.GetValue<int>() == 4)!;
        Assert.True(refund["amount"]!.GetValue<decimal>() < 0);
        Assert.Equal(refund["trade_id"]!.GetValue<string>(), refund["order_id"]!.GetValue<string>());
        c.AssertCovered();
    }

    [Fact, SdkContract("ListSubcustomerMonthlyBills")]
    public async Task ListSubcustomerMonthlyBills_answers_each_customers_lines_as_the_customer_sees_them()
    {
        var c = SdkContract.Of("ListSubcustomerMonthlyBills");
        var cycle = await CycleAsync();
        var all = (await c.AnswerAsync(await Get(Csp, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}&limit=100")))!;
        Assert.Equal(all["count"]!.GetValue<int>(), all["bill_sums"]!.AsArray().Count);
        var own = (await (await Get(OrdersCustomer, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself")).JsonAsync())["consume_amount"]!.GetValue<decimal>();
        var one = (await c.AnswerAsync(await Get(Csp, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}&customer_id={OrdersCustomer.DomainId}")))!;
        Assert.Equal(own, Sum(one["bill_sums"]!, "amount"));
        Assert.Contains(one["bill_sums"]!.AsArray(), l => l!["bill_type"]!.GetValue<string>() == "1"); // the refund
        c.AssertCovered();
    }

    [Fact, SdkContract("ListConsumeSubCustomers")]
    public async Task ListConsumeSubCustomers_answers_the_customers_with_charges_in_the_cycle()
    {
        var c = SdkContract.Of("ListConsumeSubCustomers");
        var cycle = await CycleAsync();
        var answer = (await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query",
            new { bill_cycle = cycle, offset = 0, limit = 100 })))!;
        var ids = answer["sub_customers"]!.AsArray().Select(x => x!["customer_id"]!.GetValue<string>()).ToList();
        Assert.Contains(Referral.DomainId, ids);
        Assert.Contains(OrdersCustomer.DomainId, ids);
        Assert.DoesNotContain(demo.Login("demo-reseller-customer1").DomainId, ids); // the reseller's, not the CSP's
        Assert.Equal(ids.Count, answer["total_count"]!.GetValue<int>());
        c.AssertCovered();
    }

    [Fact, SdkContract("ListCustomerAccountChangeRecords")]
    public async Task ListCustomerAccountChangeRecords_answers_a_top_up_and_a_payment_with_the_balance_after_each()
    {
        var c = SdkContract.Of("ListCustomerAccountChangeRecords");
        // An account of its own (no partner): a card top-up of 30, then a monthly VM paid from it.
        var who = demo.Login("demo-enterprise-dev");
        var card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };
        Assert.True((await demo.SignedAsync(who, HttpMethod.Post, "/v1/payments/top-ups", new { amount = 30m, card, client_token = "bills-contract" })).IsSuccessStatusCode);
        var vm = new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };
        var order = (await (await demo.SignedAsync(who, HttpMethod.Post, "/v1/orders", new { product_infos = new[] { vm }, client_token = "bills-contract" })).JsonAsync())["order_id"]!.GetValue<string>();
        Assert.True((await demo.SignedAsync(who, HttpMethod.Post, "/v3/orders/customer-orders/pay", new { order_id = order, use_coupon = "NO", use_discount = "NO" })).IsSuccessStatusCode);

        var answer = (await c.AnswerAsync(await Get(who, "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT")))!;
        var records = answer["records"]!.AsArray();
        var payment = records.First(r => r!["trade_id"]!.GetValue<string>() == order)!;
        var topUp = records.First(r => r!["trade_detail_type"]!.GetValue<string>() == "TopUp")!;
        Assert.Equal(("EXPENSE", "REVENUE", "30.00"), (payment["revenue_expense_type"]!.GetValue<string>(), topUp["revenue_expense_type"]!.GetValue<string>(),
            topUp["change_amount"]!.GetValue<string>()));
        var balance = (await (await Get(who, "/v2/accounts/customer-accounts/balances")).JsonAsync())["account_balances"]!.AsArray()
            .First(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();
        Assert.Equal(balance, decimal.Parse(records[0]!["balance_after_change"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(topUp["balance_after_change"]!.GetValue<string>(), CultureInfo.InvariantCulture) - decimal.Parse(payment["change_amount"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            decimal.Parse(payment["balance_after_change"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        c.AssertCovered();
    }

    [Fact, SdkContract("ListSubCustomerBillDetail")]
    public async Task ListSubCustomerBillDetail_answers_the_customers_records_as_they_see_them_and_a_resellers_to_its_distributor()
    {
        var c = SdkContract.Of("ListSubCustomerBillDetail");
        var cycle = await CycleAsync();
        var usage = (await c.AnswerAsync(await Get(Csp, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}&customer_id={Referral.DomainId}&limit=1000")))!;
        var own = (await (await Get(Referral, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself")).JsonAsync())["consume_amount"]!.GetValue<decimal>();
        Assert.Equal(own, Sum(usage["fee_records"]!, "payment_amount"));
        Assert.All(usage["fee_records"]!.AsArray(), r => Assert.Equal(("1", Csp.PartnerId), (r!["association_type"]!.GetValue<string>(), r["partner_id"]!.GetValue<string>())));
        var orders = (await c.AnswerAsync(await Get(Csp, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}&customer_id={OrdersCustomer.DomainId}&limit=1000")))!;
        Assert.Contains(orders["fee_records"]!.AsArray(), r => r!["bill_detail_type"]!.GetValue<int>() == 4 && r["order_type"]!.GetValue<int>() == 4);

        var distributor = demo.Login("demo-distributor");
        var reseller = demo.Login("demo-reseller");
        var theirs = (await c.AnswerAsync(await Get(distributor, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}&indirect_partner_id={reseller.PartnerId}")))!;
        Assert.All(theirs["fee_records"]!.AsArray(), r => Assert.Equal(demo.Login("demo-reseller-customer1").DomainId, r!["customer_id"]!.GetValue<string>()));
        c.AssertCovered();
    }

    [Fact, SdkContract("ListCustomerselfResourceRecordDetails")]
    public async Task ListCustomerselfResourceRecordDetails_answers_records_by_cycle_and_in_detail_that_add_up_to_the_monthly_sum()
    {
        var c = SdkContract.Of("ListCustomerselfResourceRecordDetails");
        var cycle = await CycleAsync();
        var sum = (await (await Get(Referral, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself")).JsonAsync())["consume_amount"]!.GetValue<decimal>();
        const string Path = "/v2/bills/customer-bills/res-records/query";
        var byCycle = (await c.AnswerAsync(await demo.SignedAsync(Referral, HttpMethod.Post, Path, new { cycle, limit = 1000 })))!;
        Assert.Equal(sum, Sum(byCycle["monthly_records"]!, "consume_amount"));
        Assert.Contains(byCycle["monthly_records"]!.AsArray(), r => r!["resource_Type_code"]!.GetValue<string>() == "hws.resource.type.obs");
        var detailed = (await c.AnswerAsync(await demo.SignedAsync(Referral, HttpMethod.Post, Path, new { cycle, statistic_type = 2, limit = 1000, resource_type = "hws.resource.type.vm" })))!;
        Assert.All(detailed["monthly_records"]!.AsArray(), r => Assert.Equal("hws.resource.type.vm", r!["resource_Type_code"]!.GetValue<string>()));
        Assert.True(detailed["total_count"]!.GetValue<int>() <= 1000); // one page holds the month's VM hours
        Assert.Equal(byCycle["monthly_records"]!.AsArray().Where(r => r!["resource_Type_code"]!.GetValue<string>() == "hws.resource.type.vm").Sum(r => r!["consume_amount"]!.GetValue<decimal>()),
            Sum(detailed["monthly_records"]!, "consume_amount"));
        var orders = (await c.AnswerAsync(await demo.SignedAsync(OrdersCustomer, HttpMethod.Post, Path, new { cycle, limit = 1000 })))!;
        Assert.Contains(orders["monthly_records"]!.AsArray(), r => r!["bill_type"]!.GetValue<int>() == 4);
        await (await demo.SignedAsync(Referral, HttpMethod.Post, Path, new { cycle, statistic_type = 3 })).AssertErrorAsync(400, "CBC.0100");
        c.AssertCovered();
    }
}
