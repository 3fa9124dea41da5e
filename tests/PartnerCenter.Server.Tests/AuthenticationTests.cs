using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

public sealed class AuthenticationTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Health_ready_answers_when_the_database_is_up()
    {
        var response = await s.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_signed_request_lists_the_keys_own_auth_domain()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey);
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var domain = Assert.Single(body["domains"]!.AsArray());
        Assert.Equal(a.Id, domain!["id"]!.GetValue<string>());
        Assert.Equal(a.Name, domain["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signed_request_with_the_matching_domain_header_and_a_query_is_accepted()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/projects?name=ap-southeast-1", a.AccessKey, a.SecretKey, domainId: a.Id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var project = Assert.Single((await response.JsonAsync())["projects"]!.AsArray());
        Assert.Equal("ap-southeast-1", project!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_signed_post_hashes_the_body()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Post, "/v3/groups", a.AccessKey, a.SecretKey, new { group = new { name = TestApi.Unique("g") } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_the_gateway_error()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey + "x");
        await response.AssertErrorAsync(401, "APIGW.0301");
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(20)]
    public async Task A_request_dated_outside_fifteen_minutes_is_refused(int minutes)
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey, signedAt: DateTimeOffset.UtcNow.AddMinutes(minutes));
        await response.AssertErrorAsync(401, "APIGW.0301");
    }

    [Fact]
    public async Task A_request_dated_within_the_window_is_accepted()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey, signedAt: DateTimeOffset.UtcNow.AddMinutes(-14));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_refused()
    {
        var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", "NOSUCHKEY00000000000", "whatever");
        var body = await response.AssertErrorAsync(401, "APIGW.0301");
        Assert.Contains("ak not exist", body["error_msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_disabled_key_is_refused()
    {
        var a = await s.NewAccountAsync();
        var disable = await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-CREDENTIAL/credentials/{a.AccessKey}", a.Token, new { credential = new { status = "inactive" } });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey)).AssertErrorAsync(401, "APIGW.0301");
    }

    [Fact]
    public async Task A_domain_header_of_another_account_is_refused()
    {
        var a = await s.NewAccountAsync();
        var b = await s.NewAccountAsync();
        await (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey, domainId: b.Id)).AssertErrorAsync(401);
    }

    [Fact]
    public async Task A_password_token_is_returned_in_x_subject_token_and_validates()
    {
        var a = await s.NewAccountAsync();
        var validate = new HttpRequestMessage(HttpMethod.Get, "/v3/auth/tokens");
        validate.Headers.Add("X-Auth-Token", a.Token);
        validate.Headers.Add("X-Subject-Token", a.Token);
        var response = await s.Http.SendAsync(validate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.JsonAsync())["token"]!;
        Assert.Equal(a.Id, token["domain"]!["id"]!.GetValue<string>());
        Assert.Equal("password", token["methods"]![0]!.GetValue<string>());
        var expires = DateTimeOffset.Parse(token["expires_at"]!.GetValue<string>());
        var issued = DateTimeOffset.Parse(token["issued_at"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromHours(24), expires - issued);
    }

    [Fact]
    public async Task A_project_scoped_token_names_its_project()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SendAsync(HttpMethod.Post, "/v3/auth/tokens", null, new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = a.Name, password = a.Password, domain = new { name = a.Name } } } },
                scope = new { project = new { name = "ap-southeast-3" } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("ap-southeast-3", (await response.JsonAsync())["token"]!["project"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_password_gets_no_token()
    {
        var a = await s.NewAccountAsync();
        var response = await s.SendAsync(HttpMethod.Post, "/v3/auth/tokens", null, new
        {
            auth = new { identity = new { methods = new[] { "password" }, password = new { user = new { name = a.Name, password = "Wrong#Pass1", domain = new { name = a.Name } } } } },
        });
        await response.AssertErrorAsync(401, "IAM.0101");
        Assert.False(response.Headers.Contains("X-Subject-Token"));
    }

    [Fact]
    public async Task A_garbage_token_is_refused()
    {
        await (await s.SendAsync(HttpMethod.Get, "/v3/users", "MIIgarbage")).AssertErrorAsync(401);
    }

    [Fact]
    public async Task Every_response_carries_a_request_id()
    {
        var ok = await s.Http.GetAsync("/health/live");
        var missing = await s.Http.GetAsync("/v3/nothing-here");
        Assert.True(ok.Headers.Contains("X-Request-Id"));
        await missing.AssertErrorAsync(404);
    }
}
