using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Existing accounts join partners by invitation; partners get O&amp;M access by the customer's authorization.</summary>
public sealed class AssociationApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_invited_account_accepts_and_becomes_a_frozen_resale_customer_without_budget()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await s.NewAccountAsync("cust");
        var invited = await (await s.SendAsync(HttpMethod.Post, "/v1/partners/invitations", csp.Token, new { account_name = customer.Name, association_type = "3" })).JsonAsync();
        Assert.EndsWith("/console/invitations/" + invited["invitation_id"]!.GetValue<string>(), invited["link"]!.GetValue<string>());

        var received = await (await s.SendAsync(HttpMethod.Get, "/v1/customer/invitations", customer.Token)).JsonAsync();
        var invitation = Assert.Single(received["invitations"]!.AsArray())!;
        Assert.Equal("pending", invitation["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/customer/invitations/{invitation["invitation_id"]}/accept", customer.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, $"/v1/customer/invitations/{invitation["invitation_id"]}/accept", customer.Token)).AssertErrorAsync(409, "CBC.5017");

        var partner = await (await s.SendAsync(HttpMethod.Get, "/v1/customer/partner", customer.Token)).JsonAsync();
        Assert.Equal((csp.Id, "3", 1), (partner["partner"]!["domain_id"]!.GetValue<string>(), partner["partner"]!["association_type"]!.GetValue<string>(), partner["partner"]!["is_frozen"]!.GetValue<int>()));
        var budget = await (await s.SendAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer.Id}", csp.Token)).JsonAsync();
        Assert.Equal(0m, budget["budget_amount"]!.GetValue<decimal>());
        await (await s.SendAsync(HttpMethod.Post, "/v1/account/close", customer.Token, new { password = customer.Password })).AssertErrorAsync(409, "CBC.30000060");
    }

    [Fact]
    public async Task An_expired_invitation_cannot_be_accepted()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = await s.NewAccountAsync("cust");
        var id = (await (await s.SendAsync(HttpMethod.Post, "/v1/partners/invitations", csp.Token, new { account_name = customer.Name })).JsonAsync())["invitation_id"]!.GetValue<string>();
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { seconds = 8 * 86400 })).StatusCode);
        var fresh = (await s.PasswordTokenAsync(customer.Name, customer.Name, customer.Password)).Token;
        await (await s.SendAsync(HttpMethod.Post, $"/v1/customer/invitations/{id}/accept", fresh)).AssertErrorAsync(409, "CBC.5017");
    }

    [Fact]
    public async Task Switching_to_referral_deletes_the_budget_with_a_record_and_dissolving_frees_the_customer()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var customer = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = TestApi.Unique("sw") })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.Token, new { customer_id = customer, budget_amount = 40, cancel_partner_frozen = "1" });
        var changed = await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/sub-customers/{customer}/association-type", csp.Token, new { association_type = "1" })).JsonAsync();
        Assert.Equal(("1", 0), (changed["association_type"]!.GetValue<string>(), changed["is_frozen"]!.GetValue<int>()));
        var back = await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/sub-customers/{customer}/association-type", csp.Token, new { association_type = "3" })).JsonAsync();
        Assert.Equal(1, back["is_frozen"]!.GetValue<int>());
        var records = await (await s.SendAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget/records?customer_id={customer}&operation_type=DELETE", csp.Token)).JsonAsync();
        Assert.Equal(1, records["total_count"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/sub-customers/{customer}/association", csp.Token)).StatusCode);
        var listed = await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.Token, new { customer_id = customer })).JsonAsync();
        Assert.Equal(0, listed["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_accepted_authorization_lets_the_partner_assume_the_customer_until_revoked()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("om");
        var customerId = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = name, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        var customerToken = (await s.PasswordTokenAsync(name, name, "Cust#Pass1234")).Token;
        var request = await (await s.SendAsync(HttpMethod.Post, $"/v1/partners/sub-customers/{customerId}/authorizations", csp.Token)).JsonAsync();
        var (id, agencyName) = (request["authorization_id"]!.GetValue<string>(), request["agency_name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/customer/authorizations/{id}/accept", customerToken)).StatusCode);

        var assume = await s.SendAsync(HttpMethod.Post, "/v3/auth/tokens", csp.Token, new
        {
            auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_id = customerId, agency_name = agencyName } } },
        });
        Assert.Equal(HttpStatusCode.Created, assume.StatusCode);
        var delegated = assume.Headers.GetValues("X-Subject-Token").Single();
        var domains = await (await s.SendAsync(HttpMethod.Get, "/v3/auth/domains", delegated)).JsonAsync();
        Assert.Equal(customerId, domains["domains"]![0]!["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/customer/authorizations/{id}", customerToken)).StatusCode);
        await (await s.SendAsync(HttpMethod.Get, "/v3/auth/domains", delegated)).AssertErrorAsync(401);
    }

    [Fact]
    public async Task A_partner_member_becomes_the_customers_account_manager()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var member = (await (await s.SendAsync(HttpMethod.Post, "/v3/users", csp.Token, new { user = new { name = "manager-1", password = "Manager#Pass1" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
        var customer = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = TestApi.Unique("mg") })).JsonAsync())["domain_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Put, $"/v1/partners/sub-customers/{customer}/account-manager", csp.Token, new { user_id = member })).StatusCode);
        var listed = await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.Token, new { customer_id = customer })).JsonAsync();
        Assert.Equal("manager-1", listed["customer_infos"]![0]!["account_managers"]![0]!["account_name"]!.GetValue<string>());
        await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = TestApi.Unique("unmanaged") });
        var managed = await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", csp.Token, new { account_manager_id = member })).JsonAsync();
        Assert.Equal(customer, Assert.Single(managed["customer_infos"]!.AsArray())!["customer_id"]!.GetValue<string>());
        var stranger = await s.NewAccountAsync("x");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/partners/sub-customers/{customer}/account-manager", csp.Token, new { user_id = stranger.OwnerUserId })).AssertErrorAsync(400, "CBC.5021");
    }
}
