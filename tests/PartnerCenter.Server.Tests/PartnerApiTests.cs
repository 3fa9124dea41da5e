using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>A cloud solution provider runs its customers through AK/SK-signed BSS calls, as the official SDKs send them.</summary>
public sealed class PartnerApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    async Task<string> CreateCustomerAsync(TestAccount partner, string? indirect = null)
    {
        var response = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", partner.AccessKey, partner.SecretKey,
            new { domain_name = TestApi.Unique("cust"), password = "Cust#Pass1234", domain_area = "SG", xaccount_type = "test_platform", xaccount_id = Guid.NewGuid().ToString("N"), indirect_partner_id = indirect });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["domain_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_csp_creates_budgets_freezes_and_unfreezes_a_resale_customer()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await CreateCustomerAsync(csp);

        var listed = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.AccessKey, csp.SecretKey, new { customer_id = customer })).JsonAsync();
        Assert.Equal(1, listed["count"]!.GetValue<int>());
        var info = listed["customer_infos"]![0]!;
        Assert.Equal(("3", 1), (info["association_type"]!.GetValue<string>(), info["is_frozen"]!.GetValue<int>()));
        var empty = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(0m, empty["budget_amount"]!.GetValue<decimal>());

        var set = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey,
            new { customer_id = customer, budget_amount = 100.00m, budget_type = "MONTHLY", cancel_partner_frozen = "1" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var shown = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal((100m, 0m, "USD", "MONTHLY", 1), (shown["budget_amount"]!.GetValue<decimal>(), shown["used_amount"]!.GetValue<decimal>(),
            shown["currency"]!.GetValue<string>(), shown["budget_type"]!.GetValue<string>(), shown["measure_id"]!.GetValue<int>()));
        Assert.Equal(0, await FrozenAsync(csp, customer));

        var freeze = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { customer }, reason = "overdue invoice" });
        Assert.Equal(HttpStatusCode.OK, freeze.StatusCode);
        Assert.Equal(1, await FrozenAsync(csp, customer));
        var history = await (await s.SignedAsync(HttpMethod.Get, $"/v1/partners/sub-customers/{customer}/freeze-records", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(("FREEZE", "overdue invoice", csp.Name), (history["records"]![0]!["action"]!.GetValue<string>(), history["records"]![0]!["reason"]!.GetValue<string>(), history["records"]![0]!["operator"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/unfreeze", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { customer }, reason = "paid" })).StatusCode);
        Assert.Equal(0, await FrozenAsync(csp, customer));

        var other = await s.NewAccountAsync("other");
        await s.EnrollAsync(other);
        var foreign = await CreateCustomerAsync(other);
        var batch = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget/query", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { customer, foreign } })).JsonAsync();
        var budget = Assert.Single(batch["budget_infos"]!.AsArray());
        Assert.Equal(customer, budget!["customer_id"]!.GetValue<string>());

        var records = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget/records?customer_id={customer}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(1, records["total_count"]!.GetValue<int>());
        var record = records["record_list"]![0]!;
        Assert.Equal(("SETTING", 100m, csp.Name), (record["operation_type"]!.GetValue<string>(), record["budget_amount"]!.GetValue<decimal>(), record["operator"]!.GetValue<string>()));
    }

    async Task<int> FrozenAsync(TestAccount partner, string customer) =>
        (await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", partner.AccessKey, partner.SecretKey, new { customer_id = customer })).JsonAsync())
        ["customer_infos"]![0]!["is_frozen"]!.GetValue<int>();

    public static IEnumerable<object[]> BadBudgets() =>
    [
        ["""{"customer_id":"{c}","budget_amount":0}"""],
        ["""{"customer_id":"{c}","budget_amount":-5}"""],
        ["""{"customer_id":"{c}","budget_amount":1.005}"""],
        ["""{"customer_id":"{c}","budget_amount":2147483648}"""],
        ["""{"customer_id":"{c}","budget_amount":10,"budget_type":""}"""],
        ["""{"customer_id":"{c}","budget_amount":10,"cancel_partner_frozen":"2"}"""],
        ["""{"customer_id":"{c}","budget_amount":10,"frozen_operate_type":3}"""],
        ["""{"customer_id":"{c}"}"""],
    ];

    [Theory]
    [MemberData(nameof(BadBudgets))]
    public async Task Invalid_budgets_get_cbc_0100_and_change_nothing(string body)
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await CreateCustomerAsync(csp);
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey, body.Replace("{c}", customer))).AssertErrorAsync(400, "CBC.0100");
        var records = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget/records?customer_id={customer}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(0, records["total_count"]!.GetValue<int>());
        Assert.Equal(1, await FrozenAsync(csp, customer));
    }

    [Fact]
    public async Task Freeze_limits_are_enforced_and_an_unknown_customer_is_never_revealed()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await CreateCustomerAsync(csp);
        var eleven = Enumerable.Repeat(customer, 10).Append("x").ToArray();
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", csp.AccessKey, csp.SecretKey, new { customer_ids = eleven, reason = "r" })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { customer }, reason = new string('r', 257) })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { customer }, reason = "r", freeze_type = "" })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", csp.AccessKey, csp.SecretKey, new { customer_ids = new[] { "0123456789abcdef0123456789abcdef" }, reason = "r" })).AssertErrorAsync(403, "CBC.99000035");

        var partial = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/unfreeze", csp.AccessKey, csp.SecretKey,
            new { customer_ids = new[] { customer, "0123456789abcdef0123456789abcdef" }, reason = "r" });
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var detail = Assert.Single((await partial.JsonAsync())["error_details"]!.AsArray());
        Assert.Equal(("0123456789abcdef0123456789abcdef", "CBC.99000035"), (detail!["id"]!.GetValue<string>(), detail["error_code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_distributor_works_through_its_reseller_and_gets_99000037_for_another()
    {
        var distributor = await s.NewAccountAsync("dist");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("resl");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        var otherDistributor = await s.NewAccountAsync("dist");
        var otherId = await s.EnrollAsync(otherDistributor, "distributor");
        var foreignReseller = await s.NewAccountAsync("resl");
        var foreignResellerId = await s.EnrollAsync(foreignReseller, "reseller", otherDistributor, otherId);

        var customer = await CreateCustomerAsync(distributor, resellerId);
        var set = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", distributor.AccessKey, distributor.SecretKey,
            new { customer_id = customer, budget_amount = 50, indirect_partner_id = resellerId, cancel_partner_frozen = "1" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var resellerView = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", reseller.AccessKey, reseller.SecretKey, new { })).JsonAsync();
        Assert.Equal(customer, resellerView["customer_infos"]![0]!["customer_id"]!.GetValue<string>());
        var resellers = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/indirect-partners/query", distributor.AccessKey, distributor.SecretKey, new { })).JsonAsync();
        Assert.Equal(resellerId, Assert.Single(resellers["indirect_partners"]!.AsArray())!["indirect_partner_id"]!.GetValue<string>());

        var wrong = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", distributor.AccessKey, distributor.SecretKey,
            new { customer_id = customer, budget_amount = 50, indirect_partner_id = foreignResellerId });
        await wrong.AssertErrorAsync(400, "CBC.99000037");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", distributor.AccessKey, distributor.SecretKey, new { indirect_partner_id = foreignResellerId })).AssertErrorAsync(400, "CBC.99000037");
    }

    [Fact]
    public async Task A_distributor_sees_the_delegation_it_gave_its_reseller_and_takes_it_back()
    {
        var distributor = await s.NewAccountAsync("dist");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("resl");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        var path = $"/v1/partners/indirect-partners/{resellerId}/delegation";

        var before = await (await s.SendAsync(HttpMethod.Get, path, distributor.Token)).JsonAsync();
        Assert.False(before["can_manage_budgets"]!.GetValue<bool>());
        await s.SendAsync(HttpMethod.Put, path, distributor.Token, new { monthly_budget_quota = 500m });
        var given = await (await s.SendAsync(HttpMethod.Get, path, distributor.Token)).JsonAsync();
        Assert.Equal((true, 500m), (given["can_manage_budgets"]!.GetValue<bool>(), given["monthly_budget_quota"]!.GetValue<decimal>()));
        Assert.Null(given["package_budget_quota"]);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, path, distributor.Token)).StatusCode);
        Assert.False((await (await s.SendAsync(HttpMethod.Get, path, distributor.Token)).JsonAsync())["can_manage_budgets"]!.GetValue<bool>());

        // The reseller itself, and a distributor for a reseller that is not its own, are refused.
        await (await s.SendAsync(HttpMethod.Get, path, reseller.Token)).AssertErrorAsync(403, "CBC.5001");
        var other = await s.NewAccountAsync("dist");
        await s.EnrollAsync(other, "distributor");
        await (await s.SendAsync(HttpMethod.Get, path, other.Token)).AssertErrorAsync(400, "CBC.99000037");
    }

    [Fact]
    public async Task Sandbox_spends_use_the_budget_alert_the_partner_and_freeze_at_100_percent_when_automatic()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await CreateCustomerAsync(csp);
        await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey,
            new { customer_id = customer, budget_amount = 100, cancel_partner_frozen = "1", frozen_operate_type = 1 });
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        foreach (var amount in new[] { 76m, 15m, 9m })
            Assert.True((await (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/spends", op, new { customer_id = customer, amount })).JsonAsync())["accepted"]!.GetValue<bool>());
        var refused = await (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/spends", op, new { customer_id = customer, amount = 1 })).JsonAsync();
        Assert.Equal((false, "CBC.99003656"), (refused["accepted"]!.GetValue<bool>(), refused["error_code"]!.GetValue<string>()));

        var budget = await (await s.SignedAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}", csp.AccessKey, csp.SecretKey)).JsonAsync();
        Assert.Equal(100m, budget["used_amount"]!.GetValue<decimal>());
        Assert.Equal(1, await FrozenAsync(csp, customer));
        var notes = await (await s.SendAsync(HttpMethod.Get, "/v1/partners/notifications", csp.Token)).JsonAsync();
        Assert.Equal(["budget.100", "budget.90", "budget.75"], notes["notifications"]!.AsArray().Select(n => n!["kind"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_customer_sees_its_expenditure_quota()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("quota");
        var created = await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey, new { domain_name = name, password = "Cust#Pass1234" });
        var customer = (await created.JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey, new { customer_id = customer, budget_amount = 250.5m });
        var (token, _) = await s.PasswordTokenAsync(name, name, "Cust#Pass1234");
        var quota = await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/expenditure-quota", token)).JsonAsync();
        Assert.Equal((250.5m, 0m, "USD"), (quota["granting_amount"]!.GetValue<decimal>(), quota["granting_amount_used"]!.GetValue<decimal>(), quota["currency"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Customer_names_are_checked_and_validated()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var used = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/users/check-identity", csp.AccessKey, csp.SecretKey, new { search_type = "name", search_value = csp.Name })).JsonAsync();
        Assert.Equal("used_by_user", used["check_result"]!.GetValue<string>());
        var free = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/users/check-identity", csp.AccessKey, csp.SecretKey, new { search_type = "name", search_value = TestApi.Unique("free") })).JsonAsync();
        Assert.Equal("available", free["check_result"]!.GetValue<string>());
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey, new { domain_name = "op_admin" })).AssertErrorAsync(400, "CBC.99000031");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey, new { domain_name = csp.Name })).AssertErrorAsync(400, "CBC.99000038");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey, new { domain_name = TestApi.Unique("weak"), password = "alllowercase" })).AssertErrorAsync(400, "CBC.99000036");
    }

    [Fact]
    public async Task A_partners_read_only_member_lists_customers_and_budgets_but_cannot_change_them()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await CreateCustomerAsync(csp);
        var member = (await (await s.SendAsync(HttpMethod.Post, "/v3/users", csp.Token, new { user = new { name = "sales-viewer", password = "Viewer#Pass123" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", csp.Token, new { group = new { name = "viewers" } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{member}", csp.Token);
        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{csp.Id}/groups/{group}/roles/{PartnerCenter.Core.Iam.SystemRoles.ReadOnlyAccess.Id}", csp.Token);
        var (token, _) = await s.PasswordTokenAsync(csp.Name, "sales-viewer", "Viewer#Pass123");

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", token, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}", token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", token, new { customer_id = customer, budget_amount = 10 })).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/freeze", token, new { customer_ids = new[] { customer }, reason = "no" })).AssertErrorAsync(403, "CBC.0150");

        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{csp.Id}/groups/{group}/roles/{PartnerCenter.Core.Iam.SystemRoles.BssAdministrator.Id}", csp.Token);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", token, new { customer_id = customer, budget_amount = 10 })).StatusCode);
        var records = await (await s.SendAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget/records?customer_id={customer}", token)).JsonAsync();
        Assert.Equal("sales-viewer", records["record_list"]![0]!["operator"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_account_that_is_not_a_partner_gets_cbc_5001()
    {
        var plain = await s.NewAccountAsync("plain");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", plain.AccessKey, plain.SecretKey, new { })).AssertErrorAsync(403, "CBC.5001");
    }

    [Fact]
    public async Task List_paging_follows_the_documented_limits()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        for (var i = 0; i < 3; i++) await CreateCustomerAsync(csp);
        var page = await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.AccessKey, csp.SecretKey, new { offset = 1, limit = 1 })).JsonAsync();
        Assert.Equal(3, page["count"]!.GetValue<int>());
        Assert.Single(page["customer_infos"]!.AsArray());
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.AccessKey, csp.SecretKey, new { limit = 101 })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.AccessKey, csp.SecretKey, new { associated_on_begin = "" })).AssertErrorAsync(400, "CBC.0100");
    }
}
