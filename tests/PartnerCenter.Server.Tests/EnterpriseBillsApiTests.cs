using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// Bills and orders across an enterprise organization through HTTP: the master pays a finance-custody member's order
/// (PayOrders), the member's order names who paid (agent_pay_info), the master lists it with method=sub_customer, and its
/// consolidated monthly sum (method all, the default) lists it; a member that did not grant READ_CONSUME_BILL is refused.
/// </summary>
public sealed class EnterpriseBillsApiTests(EnterpriseBillsApiTests.World w) : IClassFixture<EnterpriseBillsApiTests.World>
{
    public sealed class World : ServerFixture
    {
        public TestAccount Master = null!, Custody = null!, Independent = null!, Stranger = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Master = await this.NewAccountAsync("master");
            Custody = await this.NewAccountAsync("custody");
            Independent = await this.NewAccountAsync("independent");
            Stranger = await this.NewAccountAsync("stranger");
            await EnterpriseRows.AddAsync(Services, Master.Id, (Custody.Id, custody: true), (Independent.Id, custody: false));
            foreach (var a in new[] { Master, Stranger })
                Assert.Equal(HttpStatusCode.OK, (await this.SendAsync(HttpMethod.Post, "/v1/payments/top-ups", a.Token,
                    new { amount = 100m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "fund" })).StatusCode);
        }

        public async Task<string> OrderAsync(TestAccount customer) =>
            (await (await this.SendAsync(HttpMethod.Post, "/v1/orders", customer.Token, new
            {
                client_token = TestApi.Unique("o"),
                product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
            })).JsonAsync())["order_id"]!.GetValue<string>();

        public string Cycle => Core.Billing.BillCycle.Containing(DateTime.UtcNow).ToString();
    }

    static object Pay(string order) => new { order_id = order, use_coupon = "NO", use_discount = "NO" };

    [Fact]
    public async Task The_master_pays_a_custody_members_order_which_names_it_and_its_consolidated_bill_lists_it()
    {
        var order = await w.OrderAsync(w.Custody);
        // The master pays with its AK/SK, as a sales platform would.
        var paid = await w.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", w.Master.AccessKey, w.Master.SecretKey, Pay(order));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        var mine = await (await w.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?order_id={order}", w.Custody.Token)).JsonAsync();
        var info = mine["order_infos"]![0]!;
        Assert.Equal((5, w.Master.Id, true), (info["status"]!.GetValue<int>(), info["agent_pay_info"]!["paying_agent_id"]!.GetValue<string>(), info["agent_pay_info"]!["is_agent_pay"]!.GetValue<bool>()));

        var members = await (await w.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?method=sub_customer&customer_id={w.Custody.Id}&limit=100", w.Master.Token)).JsonAsync();
        Assert.Contains(members["order_infos"]!.AsArray(), o => o!["order_id"]!.GetValue<string>() == order && o["customer_id"]!.GetValue<string>() == w.Custody.Id);

        var sum = await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&limit=1000", w.Master.Token)).JsonAsync();
        Assert.Contains(sum["bill_sums"]!.AsArray(), l => l!["customer_id"]!.GetValue<string>() == w.Custody.Id && l["consume_amount"]!.GetValue<decimal>() > 0);
        var one = await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Custody.Id}", w.Master.Token)).JsonAsync();
        Assert.All(one["bill_sums"]!.AsArray(), l => Assert.Equal(w.Custody.Id, l!["customer_id"]!.GetValue<string>()));
        Assert.True(one["consume_amount"]!.GetValue<decimal>() > 0);
        // The member's fee records read the same for its master.
        var records = await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/res-fee-records?cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Custody.Id}&statistic_type=1", w.Master.Token)).JsonAsync();
        Assert.Contains(records["fee_records"]!.AsArray(), r => r!["trade_id"]!.GetValue<string>() == order);
    }

    [Fact]
    public async Task A_member_that_did_not_grant_its_consumption_is_not_in_its_masters_bills_and_is_refused_by_name()
    {
        var order = await w.OrderAsync(w.Independent);
        Assert.Equal(HttpStatusCode.OK, (await w.SendAsync(HttpMethod.Post, "/v1/payments/top-ups", w.Independent.Token,
            new { amount = 20m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "own" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", w.Independent.Token, Pay(order))).StatusCode);

        var sum = await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&limit=1000", w.Master.Token)).JsonAsync();
        Assert.DoesNotContain(sum["bill_sums"]!.AsArray(), l => l!["customer_id"]!.GetValue<string>() == w.Independent.Id);
        await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Independent.Id}", w.Master.Token))
            .AssertErrorAsync(403, "CBC.0155");
        await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/fee-records?bill_cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Independent.Id}", w.Master.Token))
            .AssertErrorAsync(403, "CBC.0155");
        // Nor does the master pay a finance-independent member's orders.
        await (await w.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", w.Master.Token, Pay(await w.OrderAsync(w.Independent)))).AssertErrorAsync(400, "CBC.30000010");
    }

    [Fact]
    public async Task Another_account_neither_pays_nor_reads_a_members_orders_and_bills()
    {
        var order = await w.OrderAsync(w.Custody);
        await (await w.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", w.Stranger.Token, Pay(order))).AssertErrorAsync(400, "CBC.30000010");
        var listed = await (await w.SendAsync(HttpMethod.Get, "/v2/orders/customer-orders?method=sub_customer", w.Stranger.Token)).JsonAsync();
        Assert.Equal(0, listed["total_count"]!.GetValue<int>());
        var refused = await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Custody.Id}", w.Stranger.Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(order, await refused.Content.ReadAsStringAsync());
        // A member never reads its master's bills.
        var up = await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&method=sub_customer&sub_customer_id={w.Master.Id}", w.Custody.Token);
        Assert.Equal(HttpStatusCode.Forbidden, up.StatusCode);
        // The order is still pending: nobody paid it.
        var mine = await (await w.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?order_id={order}", w.Custody.Token)).JsonAsync();
        Assert.Equal(6, mine["order_infos"]![0]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_pays_nothing()
    {
        var order = await w.OrderAsync(w.Custody);
        await (await w.SendAsync(HttpMethod.Get, "/v2/orders/customer-orders?method=members", w.Master.Token)).AssertErrorAsync(400, "CBC.0100");
        await (await w.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={w.Cycle}&method=sub_customer", w.Master.Token)).AssertErrorAsync(400, "CBC.0100");
        var coupons = await w.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", w.Master.Token,
            new { order_id = order, use_coupon = "YES", use_discount = "NO", coupon_infos = new[] { new { id = "c1", type = 301 } } });
        Assert.Contains("use_coupon", (await coupons.AssertErrorAsync(400))["error_msg"]!.GetValue<string>());
        var mine = await (await w.SendAsync(HttpMethod.Get, $"/v2/orders/customer-orders?order_id={order}", w.Custody.Token)).JsonAsync();
        Assert.Equal(6, mine["order_infos"]![0]!["status"]!.GetValue<int>());
    }
}
