using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Orders and yearly/monthly resources against the demo world, as the SDK reads them. The demo's one-time-budget resale
/// customer holds a paid VM with its disk and an unsubscribed VM, the monthly-budget one an order pending payment; a
/// test that changes resources buys its own first, so the demo's stay as they were.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class OrdersContractTests(DemoWorldServer demo)
{
    DemoLogin Csp => demo.Login("demo-csp");
    /// <summary>The resale customer with the demo's paid and unsubscribed orders (and a 5 % partner discount).</summary>
    DemoLogin Customer => demo.Login("demo-csp-customer2");
    /// <summary>The resale customer with the demo's order pending payment.</summary>
    DemoLogin PendingCustomer => demo.Login("demo-csp-customer1");

    static object Vm => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };

    Task<HttpResponseMessage> Get(DemoLogin who, string path) => demo.SignedAsync(who, HttpMethod.Get, path);
    Task<HttpResponseMessage> Post(DemoLogin who, string path, object body) => demo.SignedAsync(who, HttpMethod.Post, path, body);

    /// <summary>The customer's oldest order of a type and status: the demo's, made before any test ran.</summary>
    async Task<JsonNode> DemoOrderAsync(DemoLogin customer, int orderType, int status) =>
        (await (await Get(customer, $"/v2/orders/customer-orders?order_type={orderType}&status={status}&order_by=createTime&limit=1")).JsonAsync())["order_infos"]![0]!;

    /// <summary>A VM the customer buys and pays for itself: the test's own, to change as it likes.</summary>
    async Task<string> OwnVmAsync()
    {
        var order = (await (await Post(Customer, "/v1/orders", new { product_infos = new[] { Vm }, client_token = Guid.NewGuid().ToString("N") })).JsonAsync())["order_id"]!.GetValue<string>();
        Assert.True((await Post(Customer, "/v3/orders/customer-orders/pay", new { order_id = order, use_coupon = "NO", use_discount = "NO" })).IsSuccessStatusCode);
        return (await (await Post(Customer, "/v2/orders/suscriptions/resources/query", new { order_id = order })).JsonAsync())["data"]![0]!["resource_id"]!.GetValue<string>();
    }

    async Task<JsonNode> ResourceAsync(string id) =>
        (await (await Post(Customer, "/v2/orders/suscriptions/resources/query", new { resource_ids = new[] { id } })).JsonAsync())["data"]![0]!;

    [Fact, SdkContract("ListCustomerOrders")]
    public async Task ListCustomerOrders_answers_who_paid_the_discount_used_and_the_service_name()
    {
        var c = SdkContract.Of("ListCustomerOrders");
        var paid = (await c.AnswerAsync(await Get(Csp, $"/v2/orders/customer-orders?customer_id={Customer.DomainId}&order_type=1&status=5&order_by=createTime&limit=1")))!["order_infos"]![0]!;
        Assert.Equal((Customer.DomainId, true, Csp.DomainId), (paid["customer_id"]!.GetValue<string>(), paid["agent_pay_info"]!["is_agent_pay"]!.GetValue<bool>(),
            paid["agent_pay_info"]!["paying_agent_id"]!.GetValue<string>()));
        Assert.Equal(("Elastic Cloud Server", 2), (paid["service_type_name"]!.GetValue<string>(), paid["source_type"]!.GetValue<int>()));
        var used = Assert.Single(paid["amount_info"]!["discounts"]!.AsArray())!;
        Assert.Equal(("3", paid["official_amount"]!.GetValue<decimal>() - paid["amount_after_discount"]!.GetValue<decimal>()),
            (used["discount_type"]!.GetValue<string>(), used["discount_amount"]!.GetValue<decimal>()));
        Assert.Equal("0", paid["enterprise_projects"]![0]!["id"]!.GetValue<string>());

        var pending = (await c.AnswerAsync(await Get(PendingCustomer, "/v2/orders/customer-orders?status=6")))!["order_infos"]![0]!;
        Assert.Equal((true, Csp.DomainId), (pending["agent_pay_info"]!["is_agent_pay"]!.GetValue<bool>(), pending["agent_pay_info"]!["paying_agent_id"]!.GetValue<string>()));
        Assert.Null(pending["payment_time"]);
        Assert.Empty(pending["amount_info"]!["discounts"]!.AsArray()); // no discount used yet

        // A referral customer pays its orders itself.
        var own = (await c.AnswerAsync(await Get(demo.Login("demo-csp-referral1"), "/v2/orders/customer-orders")))!["order_infos"]![0]!;
        Assert.False(own["agent_pay_info"]!["is_agent_pay"]!.GetValue<bool>());
        Assert.Null(own["agent_pay_info"]!["paying_agent_id"]);
        c.AssertCovered();
    }

    [Fact, SdkContract("ShowCustomerOrderDetails")]
    public async Task ShowCustomerOrderDetails_answers_each_line_with_its_resources_term()
    {
        var c = SdkContract.Of("ShowCustomerOrderDetails");
        var orderId = (await DemoOrderAsync(Customer, 1, 5))["order_id"]!.GetValue<string>();
        var paid = (await c.AnswerAsync(await Get(Csp, $"/v2/orders/customer-orders/details/{orderId}")))!;
        Assert.Equal(2, paid["total_count"]!.GetValue<int>());
        var lines = paid["order_line_items"]!.AsArray();
        Assert.All(lines, l => Assert.Equal(orderId, l!["order_id"]!.GetValue<string>()));
        var vm = lines.Single(l => l!["service_type_code"]!.GetValue<string>() == "hws.service.type.ec2")!;
        var disk = lines.Single(l => l!["service_type_code"]!.GetValue<string>() == "hws.service.type.ebs")!;
        Assert.Equal((vm["effective_time"]!.GetValue<string>(), vm["expire_time"]!.GetValue<string>()), (disk["effective_time"]!.GetValue<string>(), disk["expire_time"]!.GetValue<string>()));
        Assert.True(DateTime.Parse(vm["expire_time"]!.GetValue<string>()) > DateTime.Parse(vm["effective_time"]!.GetValue<string>()));
        Assert.Equal(("hws.resource.type.vm", "s6.small.1.linux", 2, 1), (vm["category_code"]!.GetValue<string>(), vm["product_spec_desc"]!.GetValue<string>(),
            vm["period_type"]!.GetValue<int>(), vm["period_num"]!.GetValue<int>()));
        Assert.Equal(paid["order_info"]!["amount_after_discount"]!.GetValue<decimal>(), lines.Sum(l => l!["amount_after_discount"]!.GetValue<decimal>()));

        var pendingId = (await DemoOrderAsync(PendingCustomer, 1, 6))["order_id"]!.GetValue<string>();
        var pending = (await c.AnswerAsync(await Get(PendingCustomer, $"/v2/orders/customer-orders/details/{pendingId}")))!;
        Assert.NotNull(pending["order_info"]!["pending_payment_end_time"]);
        Assert.Null(pending["order_line_items"]![0]!["effective_time"]); // nothing paid, no term yet
        c.AssertCovered();

        // indirect_partner_id is read: the distributor's reseller has no such customer's order.
        var distributor = demo.Login("demo-distributor");
        var reseller = demo.Login("demo-reseller");
        Assert.InRange((int)(await Get(distributor, $"/v2/orders/customer-orders/details/{orderId}?indirect_partner_id={reseller.PartnerId}")).StatusCode, 400, 499);
    }

    [Fact, SdkContract("CancelCustomerOrder")]
    public async Task CancelCustomerOrder_cancels_the_customers_own_pending_order()
    {
        var c = SdkContract.Of("CancelCustomerOrder");
        var order = (await (await Post(Customer, "/v1/orders", new { product_infos = new[] { Vm }, client_token = Guid.NewGuid().ToString("N") })).JsonAsync())["order_id"]!.GetValue<string>();
        await c.AnswerFullyAsync(await demo.SignedAsync(Customer, HttpMethod.Put, "/v2/orders/customer-orders/cancel", new { order_id = order }));
        var listed = await (await Get(Customer, $"/v2/orders/customer-orders?order_id={order}")).JsonAsync();
        Assert.Equal(4, listed["order_infos"]![0]!["status"]!.GetValue<int>());
    }

    [Fact, SdkContract("ListOrderDiscounts")]
    public async Task ListOrderDiscounts_answers_the_pending_orders_discount_with_its_lines()
    {
        var c = SdkContract.Of("ListOrderDiscounts");
        var orderId = (await DemoOrderAsync(PendingCustomer, 1, 6))["order_id"]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Get(PendingCustomer, $"/v2/orders/customer-orders/order-discounts?order_id={orderId}")))!;
        var discount = Assert.Single(body["discounts"]!.AsArray())!;
        var lines = discount["orders"]![0]!["order_line_items"]![0]!;
        var official = (await DemoOrderAsync(PendingCustomer, 1, 6))["official_amount"]!.GetValue<decimal>();
        var saving = Math.Round(official * 0.1m, 2, MidpointRounding.AwayFromZero); // the CSP's 10 % discount on ECS
        var ratio = Math.Round((official - saving) / official, 4, MidpointRounding.AwayFromZero);
        Assert.Equal((3, ratio.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), orderId),
            (discount["discount_type"]!.GetValue<int>(), discount["discount_value"]!.GetValue<string>(), discount["orders"]![0]!["order_id"]!.GetValue<string>()));
        Assert.Equal((0, ratio, saving), (lines["discount_mode"]!.GetValue<int>(), lines["discount_ratio"]!.GetValue<decimal>(), lines["discount_amount"]!.GetValue<decimal>()));
        Assert.Single(lines["order_line_item_ids"]!.AsArray());
    }

    [Fact, SdkContract("PayOrders")]
    public async Task PayOrders_pays_with_the_discount_chosen()
    {
        var c = SdkContract.Of("PayOrders");
        var created = await (await Post(Customer, "/v1/orders", new { product_infos = new[] { Vm }, client_token = Guid.NewGuid().ToString("N") })).JsonAsync();
        var order = created["order_id"]!.GetValue<string>();
        var discount = created["optional_discounts"]![0]!;
        await c.AnswerFullyAsync(await Post(Customer, "/v3/orders/customer-orders/pay", new
        {
            order_id = order, use_coupon = "NO", use_discount = "YES",
            discount_infos = new[] { new { id = discount["discount_id"]!.GetValue<string>(), type = discount["discount_type"]!.GetValue<int>() } },
        }));
        var paid = (await (await Get(Customer, $"/v2/orders/customer-orders?order_id={order}")).JsonAsync())["order_infos"]![0]!;
        Assert.Equal((5, discount["amount"]!.GetValue<decimal>()), (paid["status"]!.GetValue<int>(), paid["amount_after_discount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ListPayPerUseCustomerResources")]
    public async Task ListPayPerUseCustomerResources_answers_the_demo_vm_and_its_attached_disk()
    {
        var c = SdkContract.Of("ListPayPerUseCustomerResources");
        var orderId = (await DemoOrderAsync(Customer, 1, 5))["order_id"]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Post(Csp, "/v2/orders/suscriptions/resources/query", new { customer_id = Customer.DomainId, order_id = orderId })))!;
        Assert.Equal(2, body["total_count"]!.GetValue<int>());
        var data = body["data"]!.AsArray();
        var vm = data.Single(r => r!["is_main_resource"]!.GetValue<int>() == 1)!;
        var disk = data.Single(r => r!["is_main_resource"]!.GetValue<int>() == 0)!;
        Assert.Equal(vm["resource_id"]!.GetValue<string>(), disk["parent_resource_id"]!.GetValue<string>());
        Assert.Equal(("Elastic Cloud Server", 40m, 17), (vm["service_type_name"]!.GetValue<string>(), disk["spec_size"]!.GetValue<decimal>(), disk["spec_size_measure_id"]!.GetValue<int>()));
        Assert.False(string.IsNullOrEmpty(vm["project_id"]!.GetValue<string>()));
        Assert.Equal(("default", 2), (vm["enterprise_project"]!["name"]!.GetValue<string>(), vm["status"]!.GetValue<int>()));
    }

    [Fact, SdkContract("RenewalResources")]
    public async Task RenewalResources_answers_the_renewal_order()
    {
        var c = SdkContract.Of("RenewalResources");
        var vm = await OwnVmAsync();
        var expiry = (await ResourceAsync(vm))["expire_time"]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Post(Customer, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, is_auto_pay = 1 })))!;
        Assert.Single(body["order_ids"]!.AsArray());
        Assert.NotEqual(expiry, (await ResourceAsync(vm))["expire_time"]!.GetValue<string>());
    }

    [Fact, SdkContract("AutoRenewalResources"), SdkContract("CancelAutoRenewalResources")]
    public async Task AutoRenewalResources_turns_auto_renewal_on_and_CancelAutoRenewalResources_off()
    {
        var on = SdkContract.Of("AutoRenewalResources");
        var off = SdkContract.Of("CancelAutoRenewalResources");
        var vm = await OwnVmAsync();
        await on.AnswerFullyAsync(await Post(Customer, $"/v2/orders/subscriptions/resources/autorenew/{vm}", new { auto_renew_times = 2, period_type = "MONTH" }));
        Assert.Equal(3, (await ResourceAsync(vm))["expire_policy"]!.GetValue<int>());
        await off.AnswerFullyAsync(await demo.SignedAsync(Customer, HttpMethod.Delete, $"/v2/orders/subscriptions/resources/autorenew/{vm}"));
        Assert.Equal(0, (await ResourceAsync(vm))["expire_policy"]!.GetValue<int>());
    }

    [Fact, SdkContract("SetResourcesRenewConfig")]
    public async Task SetResourcesRenewConfig_reads_the_value_as_text()
    {
        var c = SdkContract.Of("SetResourcesRenewConfig");
        // 7 days is the default deduction date: the demo's settings stay as they were.
        await c.AnswerFullyAsync(await Post(Customer, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = "7" }));
        await (await Post(Customer, "/v2/orders/subscriptions/resources/renew/config", new { config_name = "DEDUCTION_DATE", config_value = "9" })).AssertErrorAsync(400);
    }

    [Fact, SdkContract("UpdatePeriodToOnDemand")]
    public async Task UpdatePeriodToOnDemand_sets_and_cancels_pay_per_use_at_expiry()
    {
        var c = SdkContract.Of("UpdatePeriodToOnDemand");
        var vm = await OwnVmAsync();
        await c.AnswerAsync(await Post(Customer, "/v2/orders/subscriptions/resources/to-on-demand", new { operation = "SET_UP", resource_ids = new[] { vm } }));
        Assert.Equal(1, (await ResourceAsync(vm))["expire_policy"]!.GetValue<int>());
        await c.AnswerAsync(await Post(Customer, "/v2/orders/subscriptions/resources/to-on-demand", new { operation = "CANCEL", resource_ids = new[] { vm } }));
        Assert.Equal(0, (await ResourceAsync(vm))["expire_policy"]!.GetValue<int>());
        c.AssertCovered();
    }

    [Fact, SdkContract("UpdatePeriodToOnDemandInstantly")]
    public async Task UpdatePeriodToOnDemandInstantly_answers_each_resources_success_or_failure()
    {
        var c = SdkContract.Of("UpdatePeriodToOnDemandInstantly");
        var (switched, inRenewal) = (await OwnVmAsync(), await OwnVmAsync());
        var renewal = (await (await Post(Customer, "/v2/orders/subscriptions/resources/renew", new { resource_ids = new[] { inRenewal }, period_type = 2, period_num = 1, is_auto_pay = 0 }))
            .JsonAsync())["order_ids"]![0]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Post(Customer, "/v2/orders/subscriptions/resources/to-on-demand/instantly", new { resource_ids = new[] { switched, inRenewal } })))!;
        var results = body["to_ondemand_service_results"]!.AsArray();
        Assert.Equal(("SUCCESS", "FAIL"), (results[0]!["result"]!.GetValue<string>(), results[1]!["result"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(results[0]!["order_id"]!.GetValue<string>()));
        Assert.Equal(inRenewal, results[1]!["resource_id"]!.GetValue<string>());
        Assert.True((await demo.SignedAsync(Customer, HttpMethod.Put, "/v2/orders/customer-orders/cancel", new { order_id = renewal })).IsSuccessStatusCode);
    }

    [Fact, SdkContract("CancelResourcesSubscription")]
    public async Task CancelResourcesSubscription_answers_the_refund_order()
    {
        var c = SdkContract.Of("CancelResourcesSubscription");
        var vm = await OwnVmAsync();
        var body = (await c.AnswerFullyAsync(await Post(Customer, "/v2/orders/subscriptions/resources/unsubscribe",
            new { resource_ids = new[] { vm }, unsubscribe_type = 1, unsubscribe_reason_type = 5, unsubscribe_reason = "contract test" })))!;
        var refund = body["order_ids"]![0]!.GetValue<string>();
        Assert.Equal(4, (await (await Get(Customer, $"/v2/orders/customer-orders?order_id={refund}")).JsonAsync())["order_infos"]![0]!["order_type"]!.GetValue<int>());
    }

    [Fact, SdkContract("ListRenewRateOnPeriod")]
    public async Task ListRenewRateOnPeriod_answers_list_price_and_the_customers_discount_as_text()
    {
        var c = SdkContract.Of("ListRenewRateOnPeriod");
        var orderId = (await DemoOrderAsync(Customer, 1, 5))["order_id"]!.GetValue<string>();
        var vm = (await (await Post(Customer, "/v2/orders/suscriptions/resources/query", new { order_id = orderId, only_main_resource = 1 })).JsonAsync())["data"]![0]!["resource_id"]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Post(Customer, "/v2/bills/ratings/period-resources/renew-rate",
            new { resource_ids = new[] { vm }, period_type = 2, period_num = 1, include_relative_resources = true })))!;
        var official = decimal.Parse(body["official_website_rating_result"]!["official_website_amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((vm, official.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
            (body["renew_inquiry_results"]![0]!["resource_id"]!.GetValue<string>(), body["renew_inquiry_results"]![0]!["amount"]!.GetValue<string>()));
        var discount = Assert.Single(body["optional_discount_rating_results"]!.AsArray())!;
        Assert.Equal((607, 1, Math.Round(official * 0.05m, 2, MidpointRounding.AwayFromZero).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
            (discount["discount_type"]!.GetValue<int>(), discount["best_offer"]!.GetValue<int>(), discount["discount_amount"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ShowRefundOrderDetails")]
    public async Task ShowRefundOrderDetails_answers_the_partner_its_customers_refund()
    {
        var c = SdkContract.Of("ShowRefundOrderDetails");
        var refundId = (await DemoOrderAsync(Customer, 4, 5))["order_id"]!.GetValue<string>();
        var body = (await c.AnswerFullyAsync(await Get(Csp, $"/v2/orders/customer-orders/refund-orders?order_id={refundId}&customer_id={Customer.DomainId}")))!;
        var line = body["refund_infos"]![0]!;
        Assert.Equal((Customer.DomainId, "hws.service.type.ec2", "hws.resource.type.vm", "1"), (line["customer_id"]!.GetValue<string>(), line["service_type_code"]!.GetValue<string>(),
            line["resource_type_code"]!.GetValue<string>(), line["measure_id"]!.GetValue<string>()));
        var bought = (await (await Get(Customer, $"/v2/orders/customer-orders/details/{line["base_order_id"]!.GetValue<string>()}")).JsonAsync())["order_info"]!;
        Assert.Equal(-bought["amount_after_discount"]!.GetValue<decimal>(), body["refund_infos"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>())); // refunded in full within 5 days
        await c.AnswerAsync(await Get(Customer, $"/v2/orders/customer-orders/refund-orders?order_id={refundId}"));

        // customer_id and indirect_partner_id are read: the distributor's reseller has no such customer.
        var distributor = demo.Login("demo-distributor");
        Assert.InRange((int)(await Get(distributor, $"/v2/orders/customer-orders/refund-orders?order_id={refundId}&customer_id={Customer.DomainId}&indirect_partner_id={demo.Login("demo-reseller").PartnerId}")).StatusCode, 400, 499);
    }
}
