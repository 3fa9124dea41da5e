using System.Net;
using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>The server started with --demo: the demo world and its credentials file, as the command-line contract says.</summary>
public sealed class DemoTests(DemoTests.DemoServer s) : IClassFixture<DemoTests.DemoServer>
{
    public sealed class DemoServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("demo", "true")];
        public JsonObject Credentials => JsonNode.Parse(File.ReadAllText(Path.Combine(DataDir, "demo-credentials.json")))!.AsObject();
    }

    [Fact]
    public void The_credentials_file_lists_every_role_with_keys()
    {
        var doc = s.Credentials;
        Assert.False(string.IsNullOrEmpty(doc["api_url"]!.GetValue<string>()));
        Assert.EndsWith("/console", doc["console_url"]!.GetValue<string>());
        var roles = doc["accounts"]!.AsArray().Select(a => a!["role"]!.GetValue<string>()).ToHashSet();
        foreach (var role in new[] { "operator", "csp", "distributor", "reseller", "customer", "enterprise_master", "enterprise_member" })
            Assert.Contains(role, roles);
        foreach (var account in doc["accounts"]!.AsArray())
            foreach (var field in new[] { "domain_name", "domain_id", "password", "access_key", "secret_key" })
                Assert.False(string.IsNullOrEmpty(account![field]?.GetValue<string>()), $"{account["role"]}: {field}");
    }

    [Fact]
    public async Task Partners_have_partner_ids_and_customers_name_their_partner_and_association()
    {
        var accounts = s.Credentials["accounts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        foreach (var partner in accounts.Where(a => a["role"]!.GetValue<string>() is "csp" or "distributor" or "reseller"))
            Assert.False(string.IsNullOrEmpty(partner["partner_id"]?.GetValue<string>()));
        var customers = accounts.Where(a => a["role"]!.GetValue<string>() == "customer").ToList();
        Assert.Contains(customers, c => c["association_type"]!.GetValue<string>() == "1");
        Assert.Contains(customers, c => c["association_type"]!.GetValue<string>() == "3");
        var partnerIds = accounts.Select(a => a["domain_id"]!.GetValue<string>()).ToHashSet();
        Assert.All(customers, c => Assert.Contains(c["partner"]!.GetValue<string>(), partnerIds));

        var csp = accounts.Single(a => a["role"]!.GetValue<string>() == "csp");
        var listed = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp["access_key"]!.GetValue<string>(), csp["secret_key"]!.GetValue<string>(), new { })).JsonAsync();
        Assert.Equal(customers.Count(c => c["partner"]!.GetValue<string>() == csp["domain_id"]!.GetValue<string>()), listed["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_demo_has_pay_per_use_resources_whose_month_of_usage_the_next_hourly_run_charges()
    {
        var accounts = s.Credentials["accounts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var csp = accounts.Single(a => a["role"]!.GetValue<string>() == "csp");
        var resale = accounts.Single(a => a["domain_name"]!.GetValue<string>() == "demo-csp-customer1");
        var referral = accounts.Single(a => a["domain_name"]!.GetValue<string>() == "demo-csp-referral1");
        var listed = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", csp["access_key"]!.GetValue<string>(),
            csp["secret_key"]!.GetValue<string>(), new { customer_id = resale["domain_id"]!.GetValue<string>() })).JsonAsync();
        Assert.Equal(1, listed["total_count"]!.GetValue<int>());

        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { seconds = 3600 })).StatusCode);
        var (ak, sk) = (referral["access_key"]!.GetValue<string>(), referral["secret_key"]!.GetValue<string>());
        var cash = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", ak, sk)).JsonAsync())["account_balances"]![0]!["amount"]!.GetValue<decimal>();
        Assert.InRange(cash, 0.01m, 49.99m); // 50 USD less a month of daytime VM hours and traffic
        var budget = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={resale["domain_id"]}", csp["access_key"]!.GetValue<string>(), csp["secret_key"]!.GetValue<string>())).JsonAsync();
        Assert.Equal(10.36m, budget["used_amount"]!.GetValue<decimal>()); // 720 VM-hours × 0.01439931, truncated to the cent
        var packages = await (await s.SignedAsync(HttpMethod.Post, "/v3/payments/free-resources/query", ak, sk, new { })).JsonAsync();
        Assert.True(decimal.Parse(packages["free_resource_packages"]![0]!["free_resources"]![0]!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) < 100_000m);
    }

    [Fact]
    public async Task The_demo_has_tickets_waiting_in_processing_and_completed_on_both_sides()
    {
        var accounts = s.Credentials["accounts"]!.AsArray().Select(a => a!.AsObject()).ToList();
        var csp = accounts.Single(a => a["role"]!.GetValue<string>() == "csp");
        var (ak, sk) = (csp["access_key"]!.GetValue<string>(), csp["secret_key"]!.GetValue<string>());
        var fromCustomers = await (await s.SignedAsync(HttpMethod.Get, "/v1/tickets?side=assigned", ak, sk)).JsonAsync();
        Assert.Equal(0, fromCustomers["tickets"]!.AsArray().Single()!["status"]!.GetValue<int>());
        var own = await (await s.SignedAsync(HttpMethod.Get, "/v1/tickets", ak, sk)).JsonAsync();
        Assert.Equal(1, own["tickets"]!.AsArray().Single()!["status"]!.GetValue<int>());

        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var queue = await (await s.SendAsync(HttpMethod.Get, "/v1/tickets?side=assigned", op)).JsonAsync();
        Assert.Equal([3, 1], queue["tickets"]!.AsArray().Select(t => t!["status"]!.GetValue<int>()).Order().Reverse());
        Assert.Contains(queue["tickets"]!.AsArray(), t => t!["satisfaction"]?.GetValue<int>() == 5);
    }

    [Fact]
    public async Task Every_demo_key_signs_requests_and_every_password_gets_a_token()
    {
        foreach (var account in s.Credentials["accounts"]!.AsArray())
        {
            var (ak, sk, id, name) = (account!["access_key"]!.GetValue<string>(), account["secret_key"]!.GetValue<string>(),
                account["domain_id"]!.GetValue<string>(), account["domain_name"]!.GetValue<string>());
            var response = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", ak, sk, domainId: id);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await s.PasswordTokenAsync(name, name, account["password"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_demo_customer_sees_catalog_prices_and_its_partners_discount()
    {
        var customer = s.Credentials["accounts"]!.AsArray().Single(a => a!["domain_name"]!.GetValue<string>() == "demo-csp-customer1")!;
        var rated = await (await s.SignedAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", customer["access_key"]!.GetValue<string>(),
            customer["secret_key"]!.GetValue<string>(), new
            {
                product_infos = new[] { new { id = "1", cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.medium.2.linux", region = "ap-southeast-3", period_type = 2, period_num = 1, subscription_num = 1 } },
            })).JsonAsync();
        var list = rated["official_website_rating_result"]!["official_website_amount"]!.GetValue<decimal>();
        Assert.True(list > 0);
        var discount = Assert.Single(rated["optional_discount_rating_results"]!.AsArray())!;
        Assert.Equal((607, list - Math.Round(list * 0.1m, 2, MidpointRounding.AwayFromZero), 1),
            (discount["discount_type"]!.GetValue<int>(), discount["amount"]!.GetValue<decimal>(), discount["best_offer"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_demo_operator_moves_the_sandbox_clock()
    {
        var op = s.Credentials["accounts"]!.AsArray().Single(a => a!["role"]!.GetValue<string>() == "operator")!;
        var before = await (await s.SignedAsync(HttpMethod.Get, "/v1/sandbox/clock", op["access_key"]!.GetValue<string>(), op["secret_key"]!.GetValue<string>())).JsonAsync();
        var advanced = await s.SignedAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op["access_key"]!.GetValue<string>(), op["secret_key"]!.GetValue<string>(), new { seconds = 2 * 86400 });
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        var body = await advanced.JsonAsync();
        var moved = DateTimeOffset.Parse(body["now"]!.GetValue<string>()) - DateTimeOffset.Parse(before["now"]!.GetValue<string>());
        Assert.InRange(moved.TotalHours, 47.9, 48.5);
        Assert.Contains(body["jobs_run"]!.AsArray(), j => j!["job"]!.GetValue<string>() == "iam.tokens.purge");
    }
}

public sealed class HostTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_openapi_document_names_the_huawei_operations_and_docs_are_served()
    {
        var doc = await (await s.Http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var op in new[] { "KeystoneCreateUserTokenByPassword", "CreatePermanentAccessKey", "KeystoneListAuthDomains", "AdvanceSandboxClock" })
            Assert.Contains(op, doc);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task A_signed_request_with_a_project_header_is_scoped_to_that_project()
    {
        var a = await s.NewAccountAsync();
        var projects = await (await s.SendAsync(HttpMethod.Get, "/v3/projects", a.Token)).JsonAsync();
        var projectId = projects["projects"]![0]!["id"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(s.BaseAddress, "/v3/auth/domains"));
        request.Headers.Add("X-Project-Id", projectId);
        TestSigner.Sign(request, a.AccessKey, a.SecretKey, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await s.Http.SendAsync(request)).StatusCode);

        var other = await s.NewAccountAsync();
        var foreign = (await (await s.SendAsync(HttpMethod.Get, "/v3/projects", other.Token)).JsonAsync())["projects"]![0]!["id"]!.GetValue<string>();
        var bad = new HttpRequestMessage(HttpMethod.Get, new Uri(s.BaseAddress, "/v3/auth/domains"));
        bad.Headers.Add("X-Project-Id", foreign);
        TestSigner.Sign(bad, a.AccessKey, a.SecretKey, DateTimeOffset.UtcNow);
        await (await s.Http.SendAsync(bad)).AssertErrorAsync(401);
    }
}
