using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>Coupon quotas, partner coupons and the customer's coupons as the official SDK reads them, on partners made for the test.</summary>
[Collection(SdkContractCollection.Name)]
public sealed class CouponsContractTests(DemoWorldServer demo)
{
    DemoLogin Operator => demo.Login("operator");
    static readonly string Far = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    Task<HttpResponseMessage> Signed(TestAccount who, HttpMethod method, string path, object? body = null) => demo.SignedAsync(method, path, who.AccessKey, who.SecretKey, body);

    async Task<string> QuotaAsync(string partnerAccountId, decimal value) =>
        (await (await demo.SignedAsync(Operator, HttpMethod.Post, $"/v1/operator/partners/{partnerAccountId}/coupon-quotas",
            new { quota_type = 0, quota_value = value, expire_time = Far, min_face_value = 1m, max_face_value = 100m, cloud_service_types = new[] { "hws.service.type.ec2" } }))
            .JsonAsync())["quota_id"]!.GetValue<string>();

    /// <summary>A new CSP with a quota of 500.00 and one resale customer holding a coupon of 20.00 from it.</summary>
    async Task<(TestAccount Csp, string Quota, string Customer, string Coupon)> IssuedAsync()
    {
        var csp = await demo.NewAccountAsync("qcsp");
        await demo.EnrollAsync(csp);
        var quota = await QuotaAsync(csp.Id, 500m);
        var customer = (await (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = TestApi.Unique("qcust") })).JsonAsync())["domain_id"]!.GetValue<string>();
        var coupon = (await (await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons",
            new { quota_id = quota, customer_ids = new[] { customer }, face_value = 20m })).JsonAsync())["coupon_infos"]![0]!["coupon_id"]!.GetValue<string>();
        return (csp, quota, customer, coupon);
    }

    /// <summary>A distributor with a quota of 300.00 that gave its reseller 100.00 of it.</summary>
    async Task<(TestAccount Distributor, string Quota, string ResellerId, string Child)> DelegatedAsync()
    {
        var distributor = await demo.NewAccountAsync("qdis");
        var distributorId = await demo.EnrollAsync(distributor, "distributor");
        var reseller = await demo.NewAccountAsync("qres");
        var resellerId = await demo.EnrollAsync(reseller, "reseller", distributor, distributorId);
        var quota = await QuotaAsync(distributor.Id, 300m);
        var child = (await (await Signed(distributor, HttpMethod.Post, "/v2/partners/coupon-quotas/indirect-partner-adjust",
            new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 100m })).JsonAsync())["simple_quota_infos"]![0]!["quota_id"]!.GetValue<string>();
        return (distributor, quota, resellerId, child);
    }

    /// <summary>A CSP that paid its own VM order with the operator's test coupon of 50.00.</summary>
    async Task<(TestAccount Csp, string Order, string Coupon)> PaidWithTestCouponAsync()
    {
        var csp = await demo.NewAccountAsync("tcsp");
        await demo.EnrollAsync(csp);
        var coupon = (await (await demo.SignedAsync(Operator, HttpMethod.Post, $"/v1/operator/partners/{csp.Id}/test-coupons",
            new { coupon_type = 1, face_value = 50m, expire_time = Far, cloud_service_types = new[] { "hws.service.type.ec2" } })).JsonAsync())["coupon_id"]!.GetValue<string>();
        var order = (await (await Signed(csp, HttpMethod.Post, "/v1/orders", new
        {
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
            client_token = Guid.NewGuid().ToString("N"),
        })).JsonAsync())["order_id"]!.GetValue<string>();
        (await Signed(csp, HttpMethod.Post, "/v3/orders/customer-orders/pay", new { order_id = order, use_coupon = "YES", use_discount = "NO", coupon_infos = new[] { new { id = coupon, type = 301 } } }))
            .EnsureSuccessStatusCode();
        return (csp, order, coupon);
    }

    [Fact, SdkContract("ListQuotaCoupons")]
    public async Task ListQuotaCoupons_answers_the_quota_with_its_balance_and_limits()
    {
        var (csp, quota, _, _) = await IssuedAsync();
        var body = await SdkContract.Of("ListQuotaCoupons").AnswerFullyAsync(await Signed(csp, HttpMethod.Post, "/v2/partners/coupon-quotas/query",
            new { quota_ids = new[] { quota }, quota_status_list = new[] { 0 }, quota_type = 0, offset = 0, limit = 10, indirect_partner_id = "" }));
        Assert.Equal((quota, 480m), (body!["quotas"]![0]!["quota_id"]!.GetValue<string>(), body["quotas"]![0]!["balance"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("UpdateCouponQuotas")]
    public async Task UpdateCouponQuotas_answers_each_resellers_new_quota_and_the_refused_ones()
    {
        var (distributor, quota, resellerId, _) = await DelegatedAsync();
        var body = await SdkContract.Of("UpdateCouponQuotas").AnswerFullyAsync(await Signed(distributor, HttpMethod.Post, "/v2/partners/coupon-quotas/indirect-partner-adjust",
            new { quota_id = quota, indirect_partner_ids = new[] { resellerId, "not-a-reseller" }, quota_amount = 10m }));
        Assert.Equal("CBC.99000037", body!["error_details"]![0]!["error_code"]!.GetValue<string>());
    }

    [Fact, SdkContract("ReclaimCouponQuotas")]
    public async Task ReclaimCouponQuotas_answers_what_came_back_and_the_refused_quotas()
    {
        var (distributor, _, _, child) = await DelegatedAsync();
        var body = await SdkContract.Of("ReclaimCouponQuotas").AnswerFullyAsync(await Signed(distributor, HttpMethod.Post, "/v2/partners/coupon-quotas/indirect-partner-reclaim",
            new { quota_ids = new[] { child, "unknown" }, remark = "campaign over" }));
        Assert.Equal(100m, body!["simple_quota_infos"]![0]!["quota_balance"]!.GetValue<decimal>());
        Assert.Equal("CBC.99000012", body["error_details"]![0]!["error_code"]!.GetValue<string>());
    }

    [Fact, SdkContract("ListIssuedCouponQuotas")]
    public async Task ListIssuedCouponQuotas_answers_the_resellers_quota()
    {
        var (distributor, quota, resellerId, child) = await DelegatedAsync();
        var body = await SdkContract.Of("ListIssuedCouponQuotas").AnswerFullyAsync(await Signed(distributor, HttpMethod.Get,
            $"/v2/partners/issued-coupon-quotas?quota_id={child}&indirect_partner_id={resellerId}&parent_quota_id={quota}&offset=0&limit=10"));
        Assert.Equal((child, 100m), (body!["quotas"]![0]!["quota_id"]!.GetValue<string>(), body["quotas"]![0]!["balance"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ListCouponQuotasRecords")]
    public async Task ListCouponQuotasRecords_answers_the_delegation()
    {
        var (distributor, quota, resellerId, child) = await DelegatedAsync();
        var body = await SdkContract.Of("ListCouponQuotasRecords").AnswerFullyAsync(await Signed(distributor, HttpMethod.Get,
            $"/v2/partners/coupon-quotas/records?indirect_partner_id={resellerId}&quota_id={child}&operation_time_begin=2000-01-01T00:00:00Z" +
            $"&operation_time_end=2100-01-01T00:00:00Z&parent_quota_id={quota}&operation_type=10&offset=0&limit=10"));
        Assert.Equal(("10", 100m), (body!["records"]![0]!["operation_type"]!.GetValue<string>(), body["records"]![0]!["amount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("CreatePartnerCoupons")]
    public async Task CreatePartnerCoupons_answers_the_issued_coupons_and_each_refused_customer()
    {
        var (csp, quota, customer, _) = await IssuedAsync();
        var body = await SdkContract.Of("CreatePartnerCoupons").AnswerFullyAsync(await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", new
        {
            quota_id = quota, customer_ids = new[] { customer, "stranger" }, face_value = 5m, valid_time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            expire_time = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), cloud_service_types = new[] { "hws.service.type.ec2" }, product_ids = Array.Empty<string>(),
            memo = "welcome", indirect_partner_id = "",
        }));
        Assert.Equal(customer, body!["coupon_infos"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(("CBC.99000035", "stranger"), (body["error_details"]![0]!["error_code"]!.GetValue<string>(), body["error_details"]![0]!["id"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListIssuedPartnerCoupons")]
    public async Task ListIssuedPartnerCoupons_answers_the_coupon_with_its_balance_and_limits()
    {
        var (csp, _, customer, coupon) = await IssuedAsync();
        var body = await SdkContract.Of("ListIssuedPartnerCoupons").AnswerFullyAsync(await Signed(csp, HttpMethod.Get,
            $"/v2/promotions/benefits/partner-coupons?coupon_id={coupon}&customer_id={customer}&coupon_type=1&status=2&create_time_begin=2000-01-01T00:00:00Z" +
            "&create_time_end=2100-01-01T00:00:00Z&offset=0&limit=10&indirect_partner_id="));
        Assert.Equal((coupon, 20m, 2), (body!["user_coupons"]![0]!["coupon_id"]!.GetValue<string>(), body["user_coupons"]![0]!["balance"]!.GetValue<decimal>(),
            body["user_coupons"]![0]!["status"]!.GetValue<int>()));
    }

    [Fact, SdkContract("ReclaimPartnerCoupons")]
    public async Task ReclaimPartnerCoupons_succeeds_and_the_coupon_reads_reclaimed()
    {
        var (csp, _, _, coupon) = await IssuedAsync();
        await SdkContract.Of("ReclaimPartnerCoupons").AnswerAsync(await Signed(csp, HttpMethod.Post, "/v2/promotions/benefits/partner-coupons/reclaim",
            new { coupon_id = coupon, indirect_partner_id = "" }));
        var listed = await (await Signed(csp, HttpMethod.Get, $"/v2/promotions/benefits/partner-coupons?coupon_id={coupon}")).JsonAsync();
        Assert.Equal(5, listed["user_coupons"]![0]!["status"]!.GetValue<int>());
    }

    [Fact, SdkContract("ListPartnerCouponsRecord")]
    public async Task ListPartnerCouponsRecord_answers_the_issue_record()
    {
        var (csp, quota, customer, coupon) = await IssuedAsync();
        var body = await SdkContract.Of("ListPartnerCouponsRecord").AnswerFullyAsync(await Signed(csp, HttpMethod.Get,
            $"/v2/promotions/benefits/partner-coupons/records/query?operation_types=1&operation_types=2&quota_id={quota}&quota_type=0&coupon_ids={coupon}&customer_id={customer}" +
            "&operation_time_begin=2000-01-01T00:00:00Z&operation_time_end=2100-01-01T00:00:00Z&result=0&offset=0&limit=10&indirect_partner_id="));
        Assert.Equal(("1", 20m), (body!["records"]![0]!["operation_type"]!.GetValue<string>(), body["records"]![0]!["operation_amount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ListSubCustomerCoupons")]
    public async Task ListSubCustomerCoupons_answers_the_callers_coupon_with_what_is_left()
    {
        var (csp, order, coupon) = await PaidWithTestCouponAsync();
        var body = await SdkContract.Of("ListSubCustomerCoupons").AnswerFullyAsync(await Signed(csp, HttpMethod.Get,
            $"/v2/promotions/benefits/coupons?coupon_id={coupon}&order_id={order}&coupon_type=1&status=2&offset=0&limit=10"));
        Assert.Equal(50m - 7.15m, body!["user_coupons"]![0]!["balance"]!.GetValue<decimal>());
    }

    [Fact, SdkContract("ListCustomerCouponChangeRecords")]
    public async Task ListCustomerCouponChangeRecords_answers_the_use_and_the_grant()
    {
        var (csp, order, coupon) = await PaidWithTestCouponAsync();
        var body = await SdkContract.Of("ListCustomerCouponChangeRecords").AnswerFullyAsync(await Signed(csp, HttpMethod.Get,
            $"/v2/promotions/benefits/account-change-records?balance_type=BALANCE_TYPE_COUPON&coupon_id={coupon}&offset=0&limit=10"));
        Assert.Equal(new[] { "DEDEUCT", "COUPONADJUST" }, body!["records"]!.AsArray().Select(r => r!["trade_detail_type"]!.GetValue<string>()));
        Assert.Equal((order, "7.15", "42.85"), (body["records"]![0]!["trade_id"]!.GetValue<string>(), body["records"]![0]!["change_amount"]!.GetValue<string>(),
            body["records"]![0]!["balance_after_change"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListOrderCouponsByOrderId")]
    public async Task ListOrderCouponsByOrderId_answers_the_coupon_with_what_it_paid()
    {
        var (csp, order, coupon) = await PaidWithTestCouponAsync();
        var body = await SdkContract.Of("ListOrderCouponsByOrderId").AnswerFullyAsync(await Signed(csp, HttpMethod.Get, $"/v2/orders/customer-orders/order-coupons?order_id={order}"));
        Assert.Equal((coupon, 7.15m), (body!["user_coupons"]![0]!["coupon_id"]!.GetValue<string>(), body["user_coupons"]![0]!["face_value"]!.GetValue<decimal>()));
    }
}
