using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>Funds and coupons between a master and its member as the official SDK reads them, on an organization made for the test.</summary>
[Collection(SdkContractCollection.Name)]
public sealed class EnterpriseTransfersContractTests(DemoWorldServer demo)
{
    const string Path = "/v2/enterprises/multi-accounts/";

    /// <summary>A master with 200.00 cash and 500.00 credit, a member holding 50.00 of the cash and 20.00 of credit until a date, and an 80.00 platform coupon.</summary>
    async Task<(TestAccount Master, TestAccount Member)> OrganizationAsync()
    {
        var (master, member) = await EnterpriseTransfersApiTests.OrganizationAsync(demo, demo.Services, 200m);
        var op = (await demo.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        (await demo.SendAsync(HttpMethod.Put, $"/v1/operator/customers/{master.Id}/credit-line", op, new { credit_amount = 500m })).EnsureSuccessStatusCode();
        (await demo.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{master.Id}/test-coupons", op,
            new { coupon_type = 1, face_value = 80m, expire_time = DateTime.UtcNow.AddDays(30), cloud_service_types = new[] { "hws.service.type.ebs" } })).EnsureSuccessStatusCode();
        (await demo.SignedAsync(HttpMethod.Post, Path + "transfer-amount", master.AccessKey, master.SecretKey, new { customer_id = member.Id, amount = "50.00" })).EnsureSuccessStatusCode();
        (await demo.SignedAsync(HttpMethod.Post, Path + "transfer-amount", master.AccessKey, master.SecretKey,
            new { customer_id = member.Id, amount = "20.00", balance_type = "BALANCE_TYPE_CREDIT", expire_time = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") })).EnsureSuccessStatusCode();
        return (master, member);
    }

    Task<HttpResponseMessage> Signed(TestAccount a, HttpMethod method, string path, object? body = null) => demo.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);

    async Task<string> CouponOfAsync(TestAccount master) =>
        (await (await Signed(master, HttpMethod.Get, Path + "transfer-coupons")).JsonAsync())["avail_transfer_coupons"]![0]!["coupon_id"]!.GetValue<string>();

    [Fact, SdkContract("UpdateSubEnterpriseAmount")]
    public async Task UpdateSubEnterpriseAmount_answers_success()
    {
        var (master, member) = await OrganizationAsync();
        await SdkContract.Of("UpdateSubEnterpriseAmount").AnswerAsync(await Signed(master, HttpMethod.Post, Path + "transfer-amount",
            new { customer_id = member.Id, amount = "1.25", trans_id = Guid.NewGuid().ToString(), balance_type = "BALANCE_TYPE_DEBIT" }));
    }

    [Fact, SdkContract("ReclaimSubEnterpriseAmount")]
    public async Task ReclaimSubEnterpriseAmount_answers_success()
    {
        var (master, member) = await OrganizationAsync();
        await SdkContract.Of("ReclaimSubEnterpriseAmount").AnswerAsync(await Signed(master, HttpMethod.Post, Path + "retrieve-amount",
            new { customer_id = member.Id, amount = "0.50", trans_id = Guid.NewGuid().ToString(), balance_type = "BALANCE_TYPE_DEBIT" }));
    }

    [Fact, SdkContract("ShowMultiAccountTransferAmount")]
    public async Task ShowMultiAccountTransferAmount_answers_cash_and_credit()
    {
        var (master, _) = await OrganizationAsync();
        var body = await SdkContract.Of("ShowMultiAccountTransferAmount").AnswerFullyAsync(await Signed(master, HttpMethod.Get, Path + "transfer-amount?offset=0&limit=10"));
        Assert.Equal((150m, 480m, 480m), (body!["amount_infos"]![0]!["avail_transfer_amount"]!.GetValue<decimal>(),
            body["amount_infos"]![1]!["avail_transfer_amount"]!.GetValue<decimal>(), body["amount_infos"]![1]!["credit_amount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ListEnterpriseMultiAccount")]
    public async Task ListEnterpriseMultiAccount_answers_cash_and_the_credit_ledger_with_its_expiry()
    {
        var (master, member) = await OrganizationAsync();
        var body = await SdkContract.Of("ListEnterpriseMultiAccount").AnswerFullyAsync(await Signed(master, HttpMethod.Get, Path + $"retrieve-amount?sub_customer_id={member.Id}&offset=0&limit=10"));
        Assert.Equal((2, 50m, 20m), (body!["total_count"]!.GetValue<int>(), body["amount_infos"]![0]!["avail_retrieve_amount"]!.GetValue<decimal>(),
            body["amount_infos"]![1]!["avail_retrieve_amount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ListMultiAccountTransferCoupons")]
    public async Task ListMultiAccountTransferCoupons_answers_the_platform_coupon_with_its_limits()
    {
        var (master, _) = await OrganizationAsync();
        var body = await SdkContract.Of("ListMultiAccountTransferCoupons").AnswerFullyAsync(await Signed(master, HttpMethod.Get, Path + "transfer-coupons?offset=0&limit=10"));
        Assert.Equal("80.00", body!["avail_transfer_coupons"]![0]!["balance"]!.GetValue<string>());
    }

    [Fact, SdkContract("ClaimEnterpriseMultiAccountCoupon")]
    public async Task ClaimEnterpriseMultiAccountCoupon_answers_the_members_coupon()
    {
        var (master, member) = await OrganizationAsync();
        var body = await SdkContract.Of("ClaimEnterpriseMultiAccountCoupon").AnswerFullyAsync(await Signed(master, HttpMethod.Post, Path + "transfer-coupon",
            new { customer_id = member.Id, coupon_id = await CouponOfAsync(master), amount = "10", trans_id = Guid.NewGuid().ToString() }));
        Assert.NotEmpty(body!["sub_coupon_id"]!.GetValue<string>());
    }

    [Fact, SdkContract("ListMultiAccountRetrieveCoupons")]
    public async Task ListMultiAccountRetrieveCoupons_answers_the_members_coupon_and_the_masters()
    {
        var (master, member) = await OrganizationAsync();
        var coupon = await CouponOfAsync(master);
        (await Signed(master, HttpMethod.Post, Path + "transfer-coupon", new { customer_id = member.Id, coupon_id = coupon, amount = "10" })).EnsureSuccessStatusCode();
        var body = await SdkContract.Of("ListMultiAccountRetrieveCoupons").AnswerFullyAsync(await Signed(master, HttpMethod.Get, Path + $"retrieve-coupons?sub_customer_id={member.Id}&offset=0&limit=10"));
        Assert.Equal((coupon, "10.00"), (body!["avail_retrieve_coupons"]![0]!["coupon_id"]!.GetValue<string>(), body["avail_retrieve_coupons"]![0]!["balance"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ReclaimEnterpriseMultiAccountCoupon")]
    public async Task ReclaimEnterpriseMultiAccountCoupon_answers_the_amount_retrieved()
    {
        var (master, member) = await OrganizationAsync();
        var coupon = await CouponOfAsync(master);
        var sub = (await (await Signed(master, HttpMethod.Post, Path + "transfer-coupon", new { customer_id = member.Id, coupon_id = coupon, amount = "10" })).JsonAsync())["sub_coupon_id"]!.GetValue<string>();
        var body = await SdkContract.Of("ReclaimEnterpriseMultiAccountCoupon").AnswerFullyAsync(await Signed(master, HttpMethod.Post, Path + "retrieve-coupon",
            new { customer_id = member.Id, coupon_id = coupon, sub_coupon_id = sub, trans_id = Guid.NewGuid().ToString() }));
        Assert.Equal("10.00", body!["real_retrieve_amout"]!.GetValue<string>());
    }
}
