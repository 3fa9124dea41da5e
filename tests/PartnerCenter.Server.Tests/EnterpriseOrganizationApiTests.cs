using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Enterprise Center through HTTP: enabling it, units, members created and invited, who may call, and bad input.</summary>
public sealed class EnterpriseOrganizationApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Orgs = "/v2/enterprises/multi-accounts/enterprise-organizations";
    const string Members = "/v2/enterprises/multi-accounts/sub-customers";

    async Task<(TestAccount Account, string RootId)> NewMasterAsync()
    {
        var account = await s.NewAccountAsync("ent");
        var enabled = await s.SendAsync(HttpMethod.Post, "/v1/enterprise/enable", account.Token);
        Assert.Equal(HttpStatusCode.Created, enabled.StatusCode);
        return (account, (await enabled.JsonAsync())["root_id"]!.GetValue<string>());
    }

    async Task<string> UnitAsync(TestAccount master, string name, string? parent = null) =>
        (await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/units", master.Token, new { name, parent_id = parent })).JsonAsync())["id"]!.GetValue<string>();

    async Task JoinAsync(TestAccount master, TestAccount joiner, string? unit)
    {
        var invitation = await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master.Token, new { account_name = joiner.Name, unit_id = unit })).JsonAsync();
        var accepted = await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{invitation["invitation_id"]}/accept", joiner.Token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    async Task<int> CountAsync<T>(Func<Core.Data.AppDbContext, IQueryable<T>> rows)
    {
        await using var scope = s.Services.CreateAsyncScope();
        return await rows(scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>()).CountAsync();
    }

    [Fact]
    public async Task An_enterprise_account_enables_enterprise_center_and_then_cannot_apply_to_a_partner_program()
    {
        var (master, root) = await NewMasterAsync();
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", master.Token)).JsonAsync();
        Assert.Equal(("master", root, false), (standing["role"]!.GetValue<string>(), standing["root_id"]!.GetValue<string>(), standing["can_enable"]!.GetValue<bool>()));
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/enable", master.Token)).AssertErrorAsync(409, "CBC.99007113");
        await (await s.SendAsync(HttpMethod.Post, "/v1/partner-applications", master.Token, new { program = "csp", company_name = "Master Ltd." })).AssertErrorAsync(400, "CBC.5011");
        var events = await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/events", master.Token)).JsonAsync();
        Assert.Equal("enterprise.enabled", events["events"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_individual_account_and_a_partner_are_refused_with_their_reason_and_stay_as_they_were()
    {
        var name = TestApi.Unique("indiv");
        Assert.Equal(HttpStatusCode.Created, (await s.Http.PostAsJsonAsync("/v1/accounts", new { name, password = "Account#Pass1", email = name + "@example.com", type = "individual", country = "SG" })).StatusCode);
        var (token, _) = await s.PasswordTokenAsync(name, name, "Account#Pass1");
        var individual = await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/enable", token)).AssertErrorAsync(400, "CBC.99007110");
        Assert.Contains("individual", individual["error_msg"]!.GetValue<string>());
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", token)).JsonAsync();
        Assert.Equal(("none", false), (standing["role"]!.GetValue<string>(), standing["can_enable"]!.GetValue<bool>()));

        var partner = await s.NewAccountAsync("csp");
        await s.EnrollAsync(partner);
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/enable", partner.Token)).AssertErrorAsync(400, "CBC.99007111");
        Assert.Equal(0, await CountAsync(db => db.EnterpriseMasters.Where(m => m.AccountId == partner.Id)));
    }

    [Fact]
    public async Task Units_are_listed_with_ListEnterpriseOrganizations_directly_or_recursively_from_the_root_or_a_unit()
    {
        var (master, root) = await NewMasterAsync();
        var dev = await UnitAsync(master, "Development");
        var backend = await UnitAsync(master, "Backend", dev);
        var direct = await (await s.SignedAsync(HttpMethod.Get, Orgs, master.AccessKey, master.SecretKey)).JsonAsync();
        Assert.Equal((root, master.Name), (direct["root_id"]!.GetValue<string>(), direct["root_name"]!.GetValue<string>()));
        var node = direct["child_nodes"]!.AsArray().Single()!;
        Assert.Equal((dev, dev, "Development"), (node["id"]!.GetValue<string>(), node["relation_id"]!.GetValue<string>(), node["name"]!.GetValue<string>()));
        Assert.Null(node["child_nodes"]);
        var deep = await (await s.SendAsync(HttpMethod.Get, Orgs + "?recursive_query=1", master.Token)).JsonAsync();
        Assert.Equal(backend, deep["child_nodes"]![0]!["child_nodes"]![0]!["id"]!.GetValue<string>());

        var renamed = await (await s.SendAsync(HttpMethod.Put, $"/v1/enterprise/units/{backend}", master.Token, new { name = "Platform", parent_id = root })).JsonAsync();
        Assert.Equal(("Platform", root), (renamed["name"]!.GetValue<string>(), renamed["parent_id"]!.GetValue<string>()));
        await (await s.SendAsync(HttpMethod.Put, $"/v1/enterprise/units/{dev}", master.Token, new { parent_id = dev })).AssertErrorAsync(400, "CBC.99007122");
        await (await s.SendAsync(HttpMethod.Delete, $"/v1/enterprise/units/{root}", master.Token)).AssertErrorAsync(400, "CBC.99007123");
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/enterprise/units/{backend}", master.Token)).StatusCode);
        var after = await (await s.SendAsync(HttpMethod.Get, Orgs + "?recursive_query=1", master.Token)).JsonAsync();
        Assert.Equal(["Development"], after["child_nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing()
    {
        var (master, root) = await NewMasterAsync();
        foreach (var (query, field) in new[] { ("?parent_id=12ab", "parent_id"), ("?recursive_query=2", "recursive_query"), ("?recursive_query=yes", "recursive_query") })
            Assert.Contains(field, (await (await s.SendAsync(HttpMethod.Get, Orgs + query, master.Token)).AssertErrorAsync(400))["error_msg"]!.GetValue<string>());
        foreach (var (query, field) in new[] { ("?limit=0", "limit"), ("?offset=-1", "offset"), ("?fuzzy_query=5", "fuzzy_query"), ("?org_id=x1", "org_id") })
            Assert.Contains(field, (await (await s.SendAsync(HttpMethod.Get, Members + query, master.Token)).AssertErrorAsync(400))["error_msg"]!.GetValue<string>());
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/units", master.Token, new { name = "" })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/units", master.Token, new { name = new string('x', 65) })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, Members, master.Token, new { party_id = root })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, Members, master.Token, new { party_id = root, financial_custody = "yes", new_sub_customer = new { } })).AssertErrorAsync(400);
        await (await s.SendAsync(HttpMethod.Post, "/v2/enterprises/multi-accounts/sm-verification-code", master.Token, new { mobile_phone = "13800000000", timeout = 0 })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v2/enterprises/multi-accounts/sm-verification-code", master.Token, new { mobile_phone = "13800000000", sm_template_args = new[] { new { key = "other", value = "x" } } }))
            .AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master.Token, new { account_name = "no-such-account-here" })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(1, await CountAsync(db => db.EnterpriseUnits.Where(u => u.MasterAccountId == master.Id)));
        Assert.Equal(0, await CountAsync(db => db.EnterpriseSmsCodes.Where(c => c.MasterAccountId == master.Id)));
        Assert.Equal(0, await CountAsync(db => db.EnterpriseInvitations.Where(i => i.MasterAccountId == master.Id)));
    }

    [Fact]
    public async Task A_master_creates_a_member_with_an_sms_code_and_the_member_signs_in_to_its_own_account()
    {
        var (master, root) = await NewMasterAsync();
        var unit = await UnitAsync(master, "Finance");
        var mobile = "13" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SignedAsync(HttpMethod.Post, "/v2/enterprises/multi-accounts/sm-verification-code", master.AccessKey, master.SecretKey,
            new { mobile_phone = mobile })).StatusCode);
        string code;
        await using (var scope = s.Services.CreateAsyncScope())
        {
            var sms = await scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>().OutboxMessages.Where(m => m.To == "sms:+86-" + mobile).SingleAsync();
            code = Regex.Match(sms.Body, @"\b\d{6}\b").Value;
        }
        var name = TestApi.Unique("member");
        var created = await (await s.SignedAsync(HttpMethod.Post, Members, master.AccessKey, master.SecretKey, new
        {
            party_id = unit, display_name = "Finance team", sub_customer_association_type = 1, financial_custody = 1,
            new_sub_customer = new { customer_name = name, mobile_phone = mobile, password = "Member#Pass123", verification_code = code },
        })).JsonAsync();
        var id = created["sub_customer_id"]!.GetValue<string>();
        var listed = await (await s.SendAsync(HttpMethod.Get, Members + $"?org_id={unit}", master.Token)).JsonAsync();
        Assert.Equal(1, listed["total_count"]!.GetValue<int>());
        var info = listed["sub_customer_infos"]![0]!;
        Assert.Equal((id, name, "Finance team", 1, unit, "Finance"), (info["id"]!.GetValue<string>(), info["name"]!.GetValue<string>(), info["display_name"]!.GetValue<string>(),
            info["status"]!.GetValue<int>(), info["org_id"]!.GetValue<string>(), info["org_name"]!.GetValue<string>()));

        var (memberToken, _) = await s.PasswordTokenAsync(name, name, "Member#Pass123");
        var mine = await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", memberToken)).JsonAsync();
        Assert.Equal(("member", master.Name, "Finance", 1), (mine["role"]!.GetValue<string>(), mine["master_name"]!.GetValue<string>(),
            mine["org_name"]!.GetValue<string>(), mine["financial_custody"]!.GetValue<int>()));
        // A member is refused the master's operations; it manages nothing of the organization.
        await (await s.SendAsync(HttpMethod.Get, Members, memberToken)).AssertErrorAsync(403, "CBC.0155");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/enterprise/members/{id}/unit", master.Token, new { unit_id = root })).JsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/enterprise/members/{id}", master.Token)).StatusCode);
        Assert.Equal("none", (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", memberToken)).JsonAsync())["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Iam_users_of_the_master_act_as_their_policies_allow()
    {
        var (master, _) = await NewMasterAsync();
        var user = (await (await s.SendAsync(HttpMethod.Post, "/v3/users", master.Token, new { user = new { name = "org-viewer", password = "Viewer#Pass123" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
        var (token, _) = await s.PasswordTokenAsync(master.Name, "org-viewer", "Viewer#Pass123");
        await (await s.SendAsync(HttpMethod.Get, Orgs, token)).AssertErrorAsync(403, "CBC.0150");

        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", master.Token, new { group = new { name = "org-viewers" } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{user}", master.Token);
        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{master.Id}/groups/{group}/roles/{SystemRoles.BssReadOnly.Id}", master.Token);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, Orgs, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, Members, token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/units", token, new { name = "Viewer's" })).AssertErrorAsync(403, "CBC.0150");

        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{master.Id}/groups/{group}/roles/{SystemRoles.BssAdministrator.Id}", master.Token);
        Assert.Equal(HttpStatusCode.Created, (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/units", token, new { name = "Admin's" })).StatusCode);
    }

    [Fact]
    public async Task Another_masters_units_and_members_are_not_found_and_a_stranger_is_refused()
    {
        var (master, root) = await NewMasterAsync();
        var (other, _) = await NewMasterAsync();
        var theirs = await UnitAsync(other, "Theirs");
        var joiner = await s.NewAccountAsync("join");
        await JoinAsync(other, joiner, theirs);

        await (await s.SendAsync(HttpMethod.Get, Orgs + $"?parent_id={theirs}", master.Token)).AssertErrorAsync(404, "CBC.99007120");
        await (await s.SendAsync(HttpMethod.Get, Members + $"?org_id={theirs}", master.Token)).AssertErrorAsync(404, "CBC.99007120");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/enterprise/units/{theirs}", master.Token, new { name = "Mine" })).AssertErrorAsync(404, "CBC.99007120");
        await (await s.SendAsync(HttpMethod.Delete, $"/v1/enterprise/units/{theirs}", master.Token)).AssertErrorAsync(404, "CBC.99007120");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/enterprise/members/{joiner.Id}/unit", master.Token, new { unit_id = root })).AssertErrorAsync(404, "CBC.7001");
        await (await s.SendAsync(HttpMethod.Delete, $"/v1/enterprise/members/{joiner.Id}", master.Token)).AssertErrorAsync(404, "CBC.7001");
        var stranger = await s.NewAccountAsync("str");
        await (await s.SendAsync(HttpMethod.Get, Orgs, stranger.Token)).AssertErrorAsync(403, "CBC.0155");
        await (await s.SignedAsync(HttpMethod.Get, Members, stranger.AccessKey, stranger.SecretKey)).AssertErrorAsync(403, "CBC.0155");
        var listed = await (await s.SendAsync(HttpMethod.Get, Members + $"?org_id={theirs}", other.Token)).JsonAsync();
        Assert.Equal(joiner.Id, listed["sub_customer_infos"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invited_account_that_declines_stays_independent_and_one_that_accepts_appears_under_its_unit()
    {
        var (master, _) = await NewMasterAsync();
        var unit = await UnitAsync(master, "Testing");
        var decliner = await s.NewAccountAsync("no");
        var joiner = await s.NewAccountAsync("yes");
        var sent = await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master.Token, new { account_name = decliner.Name, unit_id = unit })).JsonAsync();
        Assert.Contains(sent["requirements"]!.AsArray(), r => r!.GetValue<string>().Contains("enterprise account"));
        var received = (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/received-invitations", decliner.Token)).JsonAsync())["invitations"]!.AsArray().Single()!;
        Assert.Equal((master.Name, "Testing", "pending"), (received["master_name"]!.GetValue<string>(), received["unit_name"]!.GetValue<string>(), received["status"]!.GetValue<string>()));
        // Only the account's own owner answers: the master cannot answer for it.
        await (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{sent["invitation_id"]}/accept", master.Token)).AssertErrorAsync(404, "CBC.99007131");
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{sent["invitation_id"]}/decline", decliner.Token)).StatusCode);
        Assert.Equal("none", (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", decliner.Token)).JsonAsync())["role"]!.GetValue<string>());

        await JoinAsync(master, joiner, unit);
        var listed = await (await s.SendAsync(HttpMethod.Get, Members + $"?org_id={unit}", master.Token)).JsonAsync();
        Assert.Equal(joiner.Id, Assert.Single(listed["sub_customer_infos"]!.AsArray())!["id"]!.GetValue<string>());
        var statuses = (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/invitations", master.Token)).JsonAsync())["invitations"]!.AsArray()
            .Select(i => i!["status"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["accepted", "declined"], statuses);
    }

    [Fact]
    public async Task A_master_cancels_its_pending_invitation_and_the_invitee_can_no_longer_answer_it_but_an_answered_one_stays()
    {
        var (master, _) = await NewMasterAsync();
        var (other, _) = await NewMasterAsync();
        var invitee = await s.NewAccountAsync("inv");
        var sent = await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master.Token, new { account_name = invitee.Name })).JsonAsync();
        var cancel = $"/v1/enterprise/invitations/{sent["invitation_id"]}/cancel";

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync(HttpMethod.Post, cancel, null)).StatusCode);
        // Another master's invitation is not found; the invitee is no master; a malformed id names the field.
        await (await s.SendAsync(HttpMethod.Post, cancel, other.Token)).AssertErrorAsync(404, "CBC.99007131");
        await (await s.SendAsync(HttpMethod.Post, cancel, invitee.Token)).AssertErrorAsync(403, "CBC.0155");
        var bad = await (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/invitations/{new string('9', 40)}/cancel", master.Token)).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("enterprise_invitation_id", bad.ToJsonString());
        Assert.Equal("pending", (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/received-invitations", invitee.Token)).JsonAsync())["invitations"]![0]!["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Post, cancel, master.Token)).StatusCode);
        var received = (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/received-invitations", invitee.Token)).JsonAsync())["invitations"]![0]!;
        Assert.Equal("cancelled", received["status"]!.GetValue<string>());
        await (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{sent["invitation_id"]}/accept", invitee.Token)).AssertErrorAsync(409, "CBC.99007132");
        await (await s.SendAsync(HttpMethod.Post, cancel, master.Token)).AssertErrorAsync(409, "CBC.99007132");
        var events = await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise/events", invitee.Token)).JsonAsync();
        Assert.Equal("invitation.cancelled", events["events"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("none", (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", invitee.Token)).JsonAsync())["role"]!.GetValue<string>());

        // An accepted invitation cannot be withdrawn: the member stays.
        var joiner = await s.NewAccountAsync("join");
        var accepted = await (await s.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master.Token, new { account_name = joiner.Name })).JsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{accepted["invitation_id"]}/accept", joiner.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, $"/v1/enterprise/invitations/{accepted["invitation_id"]}/cancel", master.Token)).AssertErrorAsync(409, "CBC.99007132");
        Assert.Equal("member", (await (await s.SendAsync(HttpMethod.Get, "/v1/enterprise", joiner.Token)).JsonAsync())["role"]!.GetValue<string>());
    }
}
