using System.Net;
using System.Text;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// Every endpoint family answers malformed JSON, wrong types, missing fields, oversized bodies and unknown ids with a
/// clear 4xx in the Huawei error body, and writes nothing.
/// </summary>
public sealed class BadInputTests(BadInputTests.World w) : IClassFixture<BadInputTests.World>
{
    public sealed class World : ServerFixture
    {
        public TestAccount A = null!;
        public string User = null!, Group = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            A = await this.NewAccountAsync("bad");
            User = (await (await this.SendAsync(HttpMethod.Post, "/v3/users", A.Token, new { user = new { name = TestApi.Unique("u"), password = "Valid#Pass123" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
            Group = (await (await this.SendAsync(HttpMethod.Post, "/v3/groups", A.Token, new { group = new { name = TestApi.Unique("g") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        }

        public string Fill(string t) => t.Replace("{user}", User).Replace("{group}", Group).Replace("{domain}", A.Id).Replace("{ak}", A.AccessKey);

        /// <summary>Everything the account holds, to show a refused request wrote nothing.</summary>
        public async Task<string> SnapshotAsync()
        {
            var sb = new StringBuilder();
            foreach (var path in new[] { "/v3/users", "/v3/groups", "/v3.0/OS-ROLE/roles", "/v3.0/OS-CREDENTIAL/credentials", "/v3.0/OS-AGENCY/agencies",
                         $"/v3.0/OS-SECURITYPOLICY/domains/{A.Id}/password-policy", $"/v3.0/OS-SECURITYPOLICY/domains/{A.Id}/login-policy", "/v1/account",
                         "/v2/accounts/customer-accounts/balances", "/v1/payments/top-ups", "/v2/orders/customer-orders?limit=100" })
                sb.Append(await (await this.SendAsync(HttpMethod.Get, path, A.Token)).Content.ReadAsStringAsync());
            return System.Text.RegularExpressions.Regex.Replace(sb.ToString(), "\"last_use_time\":\"[^\"]*\"", "");
        }
    }

    /// <summary>One write operation of each family, with a body that is valid JSON but of the wrong shape.</summary>
    public static readonly (string Method, string Path, string WrongTypes, string MissingWrapper)[] Writes =
    [
        ("POST", "/v3/users", """{"user":{"name":123,"password":true}}""", "{}"),
        ("PATCH", "/v3/users/{user}", """{"user":{"enabled":"yes"}}""", "{}"),
        ("POST", "/v3.0/OS-USER/users", """{"user":{"name":["a"]}}""", """{"users":{}}"""),
        ("PUT", "/v3.0/OS-USER/users/{user}", """{"user":{"pwd_status":"maybe"}}""", "{}"),
        ("POST", "/v3/users/{user}/password", """{"user":{"password":5}}""", "{}"),
        ("POST", "/v3/groups", """{"group":{"name":{"x":1}}}""", "{}"),
        ("PATCH", "/v3/groups/{group}", """{"group":{"description":false}}""", "{}"),
        ("POST", "/v3.0/OS-ROLE/roles", """{"role":{"display_name":"p","type":"AX","policy":"not-an-object"}}""", "{}"),
        ("POST", "/v3.0/OS-CREDENTIAL/credentials", """{"credential":{"user_id":42}}""", "{}"),
        ("PUT", "/v3.0/OS-CREDENTIAL/credentials/{ak}", """{"credential":{"status":"sleeping"}}""", "{}"),
        ("POST", "/v3.0/OS-AGENCY/agencies", """{"agency":{"name":"a","trust_domain_id":[]}}""", "{}"),
        ("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain}/password-policy", """{"password_policy":{"minimum_password_length":"long"}}""", "{}"),
        ("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain}/login-policy", """{"login_policy":{"session_timeout":99999}}""", "{}"),
        ("POST", "/v3/auth/tokens", """{"auth":{"identity":{"methods":"password"}}}""", "{}"),
        ("POST", "/v1/accounts", """{"name":1,"password":2}""", "{}"),
        ("PUT", "/v1/account", """{"email":["x"]}""", """{"email":"not-an-email"}"""),
        ("POST", "/v1/account/password", """{"new_password":1}""", "{}"),
        ("POST", "/v1/sandbox/clock/advance", """{"seconds":"soon"}""", "{}"),
        ("POST", "/v1/sandbox/spends", """{"customer_id":"x","amount":"lots"}""", "{}"),
        ("POST", "/v1/partner-applications", """{"program":["csp"]}""", "{}"),
        ("POST", "/v2/partners/sub-customers", """{"domain_name":42}""", """{"domain_name":"op_x"}"""),
        ("POST", "/v2/partners/sub-customers/query", """{"limit":"ten"}""", """{"limit":0}"""),
        ("POST", "/v2/partners/sub-customers/budget", """{"customer_id":"c","budget_amount":"100"}""", "{}"),
        ("POST", "/v2/partners/sub-customers/budget/query", """{"customer_ids":"c"}""", "{}"),
        ("POST", "/v2/partners/sub-customers/freeze", """{"customer_ids":[1],"reason":true}""", "{}"),
        ("POST", "/v1/usage-records", """{"records":[{"record_id":"r","usage_value":"lots"}]}""", "{}"),
        ("POST", "/v1/free-resource-packages", """{"customer_id":"c","amount":"much"}""", "{}"),
        ("POST", "/v2/partners/sub-customers/on-demand-resources/query", """{"customer_id":"c","limit":"ten"}""", "{}"),
        ("POST", "/v3/payments/free-resources/query", """{"status":"on"}""", """{"limit":0}"""),
        ("POST", "/v2/payments/free-resources/usages/details/query", """{"free_resource_ids":"x"}""", "{}"),
        ("POST", "/v1/partners/invitations", """{"account_name":{}}""", "{}"),
        ("PUT", "/v1/partners/sub-customers/{user}/association-type", """{"association_type":3}""", "{}"),
        ("POST", "/v2/products/resource-specs-query", """{"limit":"ten"}""", """{"limit":0}"""),
        ("POST", "/v2/bills/ratings/period-resources/subscribe-rate", """{"product_infos":[{"id":"1","period_type":"month"}]}""", "{}"),
        ("POST", "/v2/bills/ratings/on-demand-resources", """{"product_infos":"all"}""", "{}"),
        ("POST", "/v1/catalog/import", """{"specs":"all"}""", "{}"),
        ("POST", "/v1/catalog/specs/{user}/price-versions", """{"effective_from":5}""", "{}"),
        ("POST", "/v1/partners/discounts", """{"customer_id":"c","discount_rate":"lots"}""", "{}"),
        ("POST", "/v1/commercial-discounts", """{"discount_rate":[1]}""", "{}"),
        ("PUT", "/v1/partners/{user}/settlement-discount", """{"discount_rate":"half"}""", "{}"),
        ("POST", "/v1/payments/top-ups", """{"amount":"ten","card":{"number":4242}}""", "{}"),
        ("POST", "/v1/operator/balance-adjustments", """{"customer_id":"c","amount":"lots"}""", "{}"),
        ("PUT", "/v1/operator/customers/{domain}/credit-line", """{"credit_amount":"big"}""", "{}"),
        ("PUT", "/v1/operator/partners/{domain}/consumption-quota", """{"consumption_quota":[1]}""", "{}"),
        ("POST", "/v1/orders", """{"product_infos":[{"period_type":"month"}],"client_token":1}""", """{"client_token":"x"}"""),
        ("POST", "/v3/orders/customer-orders/pay", """{"order_id":1,"use_coupon":true}""", "{}"),
        ("PUT", "/v2/orders/customer-orders/cancel", """{"order_id":["x"]}""", "{}"),
        ("POST", "/v2/orders/suscriptions/resources/query", """{"status_list":"2"}""", """{"limit":0}"""),
        ("POST", "/v2/orders/subscriptions/resources/renew", """{"resource_ids":"r","period_type":"month"}""", "{}"),
        ("POST", "/v2/orders/subscriptions/resources/renew/config", """{"config_value":"five"}""", "{}"),
        ("POST", "/v2/orders/subscriptions/resources/to-on-demand", """{"resource_ids":1}""", "{}"),
        ("POST", "/v2/orders/subscriptions/resources/to-on-demand/instantly", """{"resource_ids":[1]}""", """{"resource_ids":[]}"""),
        ("POST", "/v2/orders/subscriptions/resources/unsubscribe", """{"unsubscribe_type":"all"}""", "{}"),
        ("POST", "/v2/bills/ratings/period-resources/renew-rate", """{"resource_ids":5}""", "{}"),
    ];

    public static IEnumerable<object[]> WriteKeys() => Writes.Select(x => new object[] { x.Method + " " + x.Path });

    async Task<HttpResponseMessage> RawAsync(string method, string path, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), w.Fill(path)) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        // For a huge body, wait for the server's go-ahead as careful clients do: the 413 then arrives before the upload.
        if (body.Length > 1 << 20) request.Headers.ExpectContinue = true;
        request.Headers.Add("X-Auth-Token", w.A.Token);
        return await w.Http.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(WriteKeys))]
    public async Task Malformed_json_is_a_400_and_writes_nothing(string key)
    {
        var op = Writes.Single(x => x.Method + " " + x.Path == key);
        var before = await w.SnapshotAsync();
        var body = await (await RawAsync(op.Method, op.Path, "{\"user\": {\"name\": ")).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("JSON", body["error_msg"]!.GetValue<string>());
        Assert.Equal(before, await w.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(WriteKeys))]
    public async Task Wrong_types_are_a_400_and_write_nothing(string key)
    {
        var op = Writes.Single(x => x.Method + " " + x.Path == key);
        var before = await w.SnapshotAsync();
        var response = await RawAsync(op.Method, op.Path, op.WrongTypes);
        var status = (int)response.StatusCode;
        Assert.True(status is 400 or 401 or 403, $"{key}: {status}");
        await response.AssertErrorAsync(status);
        Assert.Equal(before, await w.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(WriteKeys))]
    public async Task Missing_fields_are_a_4xx_and_write_nothing(string key)
    {
        var op = Writes.Single(x => x.Method + " " + x.Path == key);
        var before = await w.SnapshotAsync();
        var response = await RawAsync(op.Method, op.Path, op.MissingWrapper);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{key}: {status}");
        await response.AssertErrorAsync(status);
        Assert.Equal(before, await w.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(WriteKeys))]
    public async Task Oversized_bodies_are_a_413_and_write_nothing(string key)
    {
        var op = Writes.Single(x => x.Method + " " + x.Path == key);
        var before = await w.SnapshotAsync();
        var huge = "{\"pad\":\"" + new string('x', 2 << 20) + "\"}";
        await (await RawAsync(op.Method, op.Path, huge)).AssertErrorAsync(413);
        Assert.Equal(before, await w.SnapshotAsync());
    }

    [Fact]
    public async Task A_non_json_content_type_is_a_415()
    {
        await (await RawAsync("POST", "/v3/groups", "name=x", "application/x-www-form-urlencoded")).AssertErrorAsync(415);
    }

    [Theory]
    [InlineData("GET", "/v3/users/0123456789abcdef0123456789abcdef", "IAM.0004")]
    [InlineData("DELETE", "/v3/groups/0123456789abcdef0123456789abcdef", "IAM.0005")]
    [InlineData("GET", "/v3/roles/0123456789abcdef0123456789abcdef", "IAM.0006")]
    [InlineData("GET", "/v3.0/OS-CREDENTIAL/credentials/NOSUCHKEY00000000000", "IAM.0007")]
    [InlineData("GET", "/v3.0/OS-AGENCY/agencies/0123456789abcdef0123456789abcdef", "IAM.0008")]
    [InlineData("GET", "/v3/projects/0123456789abcdef0123456789abcdef", "IAM.0009")]
    [InlineData("PUT", "/v3/groups/{group}/users/0123456789abcdef0123456789abcdef", "IAM.0004")]
    [InlineData("PUT", "/v3/domains/{domain}/groups/{group}/roles/0123456789abcdef0123456789abcdef", "IAM.0006")]
    public async Task Unknown_ids_are_a_404_with_the_iam_code(string method, string path, string code)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), w.Fill(path));
        request.Headers.Add("X-Auth-Token", w.A.Token);
        await (await w.Http.SendAsync(request)).AssertErrorAsync(404, code);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400()
    {
        await (await w.SendAsync(HttpMethod.Get, "/v3/users?enabled=maybe", w.A.Token)).AssertErrorAsync(400, "CBC.0100");
    }

    [Fact]
    public async Task Server_owned_fields_in_a_body_are_ignored()
    {
        var created = await w.SendAsync(HttpMethod.Post, "/v3/groups", w.A.Token, new { group = new { name = TestApi.Unique("owned"), id = "0123456789abcdef0123456789abcdef", create_time = "2000-01-01" } });
        var group = (await created.JsonAsync())["group"]!;
        Assert.NotEqual("0123456789abcdef0123456789abcdef", group["id"]!.GetValue<string>());
        Assert.True(group["create_time"]!.GetValue<long>() > new DateTimeOffset(2000, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }
}

/// <summary>Past the configured rate an account gets 429 with CBC.0250; other accounts are unaffected.</summary>
public sealed class RateLimitTests(RateLimitTests.LowLimit s) : IClassFixture<RateLimitTests.LowLimit>
{
    public sealed class LowLimit : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            [new("rate-limit:permits-per-second", "1"), new("rate-limit:burst", "5")];
    }

    [Fact]
    public async Task An_account_past_its_rate_gets_429_while_another_account_is_served()
    {
        var a = await SignedAccountAsync();
        var b = await SignedAccountAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.Ak, a.Sk)).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var limited = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.Ak, a.Sk);
        await limited.AssertErrorAsync(429, "CBC.0250");
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", b.Ak, b.Sk)).StatusCode);
    }

    /// <summary>Set up through Core directly: the low rate limit would throttle a setup made over HTTP.</summary>
    async Task<(string Ak, string Sk)> SignedAccountAsync()
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(s.Services);
        var sp = scope.ServiceProvider;
        T Get<T>() where T : notnull => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(sp);
        var name = TestApi.Unique("rl");
        await Get<PartnerCenter.Core.Accounts.AccountService>().RegisterAsync(new(name, "Account#Pass1", name + "@example.com", null, null, "SG"));
        var (user, account) = await Get<PartnerCenter.Core.Iam.AuthService>().SignInAsync(name, name, "Account#Pass1");
        var caller = new PartnerCenter.Core.Common.Caller(account.Id, account.Name, user.Id, user.Name, true, false);
        var key = await Get<PartnerCenter.Core.Iam.AccessKeyService>().CreateAsync(caller, null, null);
        return (key.Key.Access, key.Secret);
    }
}
