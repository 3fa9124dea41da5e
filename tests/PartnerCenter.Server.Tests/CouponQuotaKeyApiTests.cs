using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>UpdateCouponQuotas and ReclaimCouponQuotas with this server's optional client_token, over HTTP.</summary>
public sealed class CouponQuotaKeyApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static readonly string Far = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
    const string Adjust = "/v2/partners/coupon-quotas/indirect-partner-adjust", Reclaim = "/v2/partners/coupon-quotas/indirect-partner-reclaim";

    Task<HttpResponseMessage> Signed(TestAccount a, HttpMethod method, string path, object? body = null) => s.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);

    /// <summary>A distributor holding a quota of 300.00, and its reseller's partner id.</summary>
    async Task<(TestAccount Distributor, string Quota, string ResellerId)> DistributorAsync()
    {
        var distributor = await s.NewAccountAsync("kdis");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("kres");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var quota = (await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{distributor.Id}/coupon-quotas", op,
            new { quota_value = 300m, expire_time = Far })).JsonAsync())["quota_id"]!.GetValue<string>();
        return (distributor, quota, resellerId);
    }

    async Task<decimal> BalanceAsync(TestAccount distributor, string quota) =>
        (await (await Signed(distributor, HttpMethod.Post, "/v2/partners/coupon-quotas/query", new { quota_ids = new[] { quota } })).JsonAsync())["quotas"]![0]!["balance"]!.GetValue<decimal>();

    async Task<int> IssuedCountAsync(TestAccount distributor) =>
        (await (await Signed(distributor, HttpMethod.Get, "/v2/partners/issued-coupon-quotas")).JsonAsync())["total_count"]!.GetValue<int>();

    [Fact]
    public async Task A_delegation_sent_again_with_its_client_token_answers_the_same_and_delegates_once_and_another_body_is_409()
    {
        var (distributor, quota, resellerId) = await DistributorAsync();
        var body = new { quota_id = quota, indirect_partner_ids = new[] { resellerId, "not-my-reseller" }, quota_amount = 100m, client_token = "delegate-1" };
        var first = await (await Signed(distributor, HttpMethod.Post, Adjust, body)).JsonAsync();
        var again = await (await Signed(distributor, HttpMethod.Post, Adjust, body)).JsonAsync();

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal("CBC.99000037", again["error_details"]![0]!["error_code"]!.GetValue<string>());
        Assert.Equal((200m, 1), (await BalanceAsync(distributor, quota), await IssuedCountAsync(distributor)));

        await (await Signed(distributor, HttpMethod.Post, Adjust, body with { quota_amount = 50m })).AssertErrorAsync(409, "CBC.99005044");
        Assert.Equal((200m, 1), (await BalanceAsync(distributor, quota), await IssuedCountAsync(distributor)));
        // Without the key the same body is a new delegation.
        (await Signed(distributor, HttpMethod.Post, Adjust, new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m })).EnsureSuccessStatusCode();
        (await Signed(distributor, HttpMethod.Post, Adjust, new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m })).EnsureSuccessStatusCode();
        Assert.Equal((180m, 3), (await BalanceAsync(distributor, quota), await IssuedCountAsync(distributor)));
    }

    [Fact]
    public async Task A_reclaim_sent_again_with_its_client_token_answers_what_came_back_once()
    {
        var (distributor, quota, resellerId) = await DistributorAsync();
        var child = (await (await Signed(distributor, HttpMethod.Post, Adjust, new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 100m }))
            .JsonAsync())["simple_quota_infos"]![0]!["quota_id"]!.GetValue<string>();
        var body = new { quota_ids = new[] { child }, remark = "end", client_token = "reclaim-1" };
        var first = await (await Signed(distributor, HttpMethod.Post, Reclaim, body)).JsonAsync();
        var again = await (await Signed(distributor, HttpMethod.Post, Reclaim, body)).JsonAsync();

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(100m, again["simple_quota_infos"]![0]!["quota_balance"]!.GetValue<decimal>());
        Assert.Null(again["error_details"]);
        Assert.Equal(300m, await BalanceAsync(distributor, quota));
        await (await Signed(distributor, HttpMethod.Post, Reclaim, body with { remark = "other" })).AssertErrorAsync(409, "CBC.99005044");
    }

    [Fact]
    public async Task A_bad_client_token_is_refused_naming_it_and_delegates_nothing()
    {
        var (distributor, quota, resellerId) = await DistributorAsync();
        var error = await (await Signed(distributor, HttpMethod.Post, Adjust,
            new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m, client_token = new string('k', 65) })).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("client_token", error["error_msg"]!.GetValue<string>());
        await (await Signed(distributor, HttpMethod.Post, Adjust,
            new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m, client_token = 7 })).AssertErrorAsync(400);
        Assert.Equal((300m, 0), (await BalanceAsync(distributor, quota), await IssuedCountAsync(distributor)));
        await (await s.SendAsync(HttpMethod.Post, Adjust, null, new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m, client_token = "x" }))
            .AssertErrorAsync(401);
    }

    [Fact]
    public async Task Another_distributors_key_space_and_quota_stay_apart()
    {
        var (distributor, quota, resellerId) = await DistributorAsync();
        var (other, otherQuota, otherReseller) = await DistributorAsync();
        (await Signed(distributor, HttpMethod.Post, Adjust, new { quota_id = quota, indirect_partner_ids = new[] { resellerId }, quota_amount = 10m, client_token = "shared" }))
            .EnsureSuccessStatusCode();
        // The same token from another distributor is its own request; this distributor's quota is not its to use.
        (await Signed(other, HttpMethod.Post, Adjust, new { quota_id = otherQuota, indirect_partner_ids = new[] { otherReseller }, quota_amount = 20m, client_token = "shared" }))
            .EnsureSuccessStatusCode();
        await (await Signed(other, HttpMethod.Post, Adjust, new { quota_id = quota, indirect_partner_ids = new[] { otherReseller }, quota_amount = 20m, client_token = "mine" }))
            .AssertErrorAsync(400, "CBC.99000012");
        Assert.Equal((290m, 280m), (await BalanceAsync(distributor, quota), await BalanceAsync(other, otherQuota)));
    }
}
