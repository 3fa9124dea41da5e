using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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

    (string Ak, string Sk) Keys(string domainName)
    {
        var a = Account(domainName);
        return (a["access_key"]!.GetValue<string>(), a["secret_key"]!.GetValue<string>());
    }

    JsonNode Account(string domainName) => s.Credentials["accounts"]!.AsArray().Single(a => a!["domain_name"]!.GetValue<string>() == domainName)!;

    string IdOf(string domainName) => Account(domainName)["domain_id"]!.GetValue<string>();

    async Task<JsonObject> GetAsync(string domainName, string path)
    {
        var (ak, sk) = Keys(domainName);
        var response = await s.SignedAsync(HttpMethod.Get, path, ak, sk);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    async Task<List<JsonObject>> BillsAsync(string partner) =>
        (await GetAsync(partner, "/v1/partner-bills"))["bills"]!.AsArray().Select(b => b!.AsObject()).ToList();

    async Task<List<JsonObject>> LinesAsync(string partner, JsonObject bill) =>
        (await GetAsync(partner, $"/v1/partner-bills/{bill["bill_id"]}"))["lines"]!.AsArray().Select(l => l!.AsObject()).ToList();

    static decimal Of(JsonObject o, string field) => o[field]!.GetValue<decimal>();

    [Fact]
    public async Task The_demo_has_pay_per_use_resources_whose_usage_every_closed_month_billed()
    {
        var (cspAk, cspSk) = Keys("demo-csp");
        var listed = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/on-demand-resources/query", cspAk, cspSk,
            new { customer_id = IdOf("demo-csp-customer1") })).JsonAsync();
        Assert.Equal(1, listed["total_count"]!.GetValue<int>());

        // Each closed month's bill of the CSP charges the resale customer's VM hours at the settlement price.
        var bills = await BillsAsync("demo-csp");
        Assert.True(bills.Count >= 3, $"{bills.Count} bills");
        foreach (var bill in bills)
            Assert.Contains(await LinesAsync("demo-csp", bill), l => l["kind"]!.GetValue<string>() == "pay_per_use"
                && l["customer_id"]!.GetValue<string>() == IdOf("demo-csp-customer1") && Of(l, "amount") > 0);

        var (ak, sk) = Keys("demo-csp-referral1");
        var cash = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", ak, sk)).JsonAsync())["account_balances"]![0]!["amount"]!.GetValue<decimal>();
        Assert.InRange(cash, 0.01m, 99.99m); // 100 USD less months of daytime VM hours and traffic
        var packages = await (await s.SignedAsync(HttpMethod.Post, "/v3/payments/free-resources/query", ak, sk, new { })).JsonAsync();
        Assert.True(decimal.Parse(packages["free_resource_packages"]![0]!["free_resources"]![0]!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) < 100_000m);
    }

    [Fact]
    public async Task Every_demo_partner_has_closed_months_billed_an_older_bill_fully_paid_and_one_partly_paid()
    {
        foreach (var partner in new[] { "demo-csp", "demo-distributor", "demo-reseller" })
        {
            var bills = await BillsAsync(partner);
            Assert.True(bills.Count >= 2, $"{partner}: {bills.Count} bills");
            Assert.All(bills, b => Assert.Equal("finalized", b["status"]!.GetValue<string>()));
            Assert.Contains(bills, b => Of(b, "initial_amount_due") > 0 && Of(b, "paid") == Of(b, "initial_amount_due") && Of(b, "amount_due") == 0);
            Assert.Contains(bills, b => Of(b, "paid") > 0 && Of(b, "amount_due") > 0 && Of(b, "paid") + Of(b, "amount_due") == Of(b, "initial_amount_due"));

            // ListPostpaidBillSum of each closed month answers the bill's own figures, which its lines add up to.
            foreach (var bill in bills)
            {
                var sum = await GetAsync(partner, $"/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle={bill["bill_cycle"]}");
                foreach (var field in new[] { "initial_amount_due", "consume_amount", "refunds", "adjustments", "tax_amount" })
                    Assert.Equal(Of(bill, field), Of(sum, field));
                Assert.Equal(Of(bill, "initial_amount_due"), (await LinesAsync(partner, bill)).Sum(l => Of(l, "amount")));
            }
        }
    }

    [Fact]
    public async Task The_demo_reseller_is_overdue_and_its_resale_customer_cannot_pay_an_order_while_the_csps_can()
    {
        Assert.True((await GetAsync("demo-reseller", "/v1/partner-bills/amount-due"))["overdue"]!.GetValue<bool>());
        Assert.False((await GetAsync("demo-csp", "/v1/partner-bills/amount-due"))["overdue"]!.GetValue<bool>());
        Assert.False((await GetAsync("demo-distributor", "/v1/partner-bills/amount-due"))["overdue"]!.GetValue<bool>());
        var overdue = await GetAsync("operator", "/v1/operator/overdue-partners");
        Assert.Equal([IdOf("demo-reseller")], overdue["partners"]!.AsArray().Select(p => p!["partner_account_id"]!.GetValue<string>()));

        var vm = new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };
        Task<HttpResponseMessage> OrderAsync(string customer) =>
            s.SignedAsync(HttpMethod.Post, "/v1/orders", Keys(customer).Ak, Keys(customer).Sk, new { product_infos = new[] { vm }, client_token = Guid.NewGuid().ToString("N") });
        await (await OrderAsync("demo-reseller-customer1")).AssertErrorAsync(400, "CBC.99005046");

        var order = await (await OrderAsync("demo-csp-customer2")).JsonAsync();
        var paid = await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", Keys("demo-csp-customer2").Ak, Keys("demo-csp-customer2").Sk,
            new { order_id = order["order_id"]!.GetValue<string>(), use_coupon = "NO", use_discount = "NO" });
        Assert.True(paid.IsSuccessStatusCode, await paid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_demo_customers_hold_yearly_monthly_resources_renewed_through_the_history()
    {
        var (ak, sk) = Keys("demo-csp-customer2");
        var data = (await (await s.SignedAsync(HttpMethod.Post, "/v2/orders/suscriptions/resources/query", ak, sk, new { })).JsonAsync())["data"]!.AsArray();
        Assert.Contains(data, r => r!["status"]!.GetValue<int>() == 2
            && DateTime.Parse(r["expire_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > DateTime.UtcNow);

        // The CSP's bills show the first month's order, its refund, and the automatic renewals after it; the
        // distributor's, the operator's monthly fee as adjustments.
        async Task<List<string>> KindsAsync(string partner)
        {
            var kinds = new List<string>();
            foreach (var bill in await BillsAsync(partner)) kinds.AddRange((await LinesAsync(partner, bill)).Select(l => l["kind"]!.GetValue<string>()));
            return kinds;
        }
        Assert.Superset(new HashSet<string> { "order_payment", "refund", "renewal", "pay_per_use" }, (await KindsAsync("demo-csp")).ToHashSet());
        Assert.Equal(["adjustment"], (await KindsAsync("demo-distributor")).Distinct());
    }

    [Fact]
    public async Task The_demo_books_balance_after_its_history()
    {
        using var scope = s.Services.CreateScope();
        var broken = await PartnerCenter.Core.Ledger.LedgerInvariants.CheckAsync(scope.ServiceProvider.GetRequiredService<PartnerCenter.Core.Data.AppDbContext>());
        Assert.True(broken.Count == 0, "ledger invariants broken:\n" + string.Join("\n", broken));
    }

    [Fact]
    public async Task The_demo_history_ends_at_real_time_with_the_last_bill_run_of_the_past_month()
    {
        // Bills are made on the 5th: the latest lies within a month before the real now, the oldest two months before it.
        var made = (await BillsAsync("demo-csp")).Select(b => DateTime.Parse(b["create_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal)).Order().ToList();
        Assert.InRange(made[^1], DateTime.UtcNow.AddDays(-32), DateTime.UtcNow);
        Assert.All(made, m => Assert.Equal((5, 2), (m.Day, m.Hour)));
        Assert.Equal(made[^1].AddMonths(-2), made[0]);
    }

    [Fact]
    public async Task The_demo_has_tickets_waiting_in_processing_and_completed_on_both_sides()
    {
        var fromCustomers = await GetAsync("demo-csp", "/v1/tickets?side=assigned");
        Assert.Equal(0, fromCustomers["tickets"]!.AsArray().Single()!["status"]!.GetValue<int>());
        var own = (await GetAsync("demo-csp", "/v1/tickets"))["tickets"]!.AsArray();
        Assert.Contains(own, t => t!["status"]!.GetValue<int>() == 1 && t["type"]!.GetValue<string>() == "technical");
        // The CSP's bank transfer for the rest of its latest bill waits for the operator.
        Assert.Contains(own, t => t!["status"]!.GetValue<int>() == 0 && t["type"]!.GetValue<string>() == "bank_transfer");

        var queue = (await GetAsync("operator", "/v1/tickets?side=assigned"))["tickets"]!.AsArray();
        Assert.Contains(queue, t => t!["status"]!.GetValue<int>() == 3 && t["satisfaction"]?.GetValue<int>() == 5);
        Assert.Contains(queue, t => t!["status"]!.GetValue<int>() == 3 && t["type"]!.GetValue<string>() == "bank_transfer"); // the distributor's, confirmed
        Assert.Contains(queue, t => t!["status"]!.GetValue<int>() == 0 && t["type"]!.GetValue<string>() == "bank_transfer");
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
