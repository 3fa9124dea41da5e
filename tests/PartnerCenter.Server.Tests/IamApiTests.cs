using System.Net;
using System.Text.Json.Nodes;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

public sealed class IamApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    async Task<(string Id, string Token)> NewIamUserAsync(TestAccount a, string password = "Member#Pass123")
    {
        var name = TestApi.Unique("member");
        var created = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-USER/users", a.Token, new { user = new { name, password, domain_id = a.Id, email = name + "@example.com" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())["user"]!["id"]!.GetValue<string>();
        var (token, _) = await s.PasswordTokenAsync(a.Name, name, password);
        return (id, token);
    }

    [Fact]
    public async Task Bad_list_filters_and_pages_are_400s()
    {
        var a = await s.NewAccountAsync();
        await (await s.SendAsync(HttpMethod.Get, "/v3/projects?page=0&per_page=1", a.Token)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Get, "/v3/projects?page=1&per_page=5001", a.Token)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Get, "/v3/projects?per_page=many", a.Token)).AssertErrorAsync(400);
        await (await s.SendAsync(HttpMethod.Get, "/v3/users?password_expires_at=soon", a.Token)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Get, "/v3/users?password_expires_at=before:2026-01-01T00:00:00Z", a.Token)).AssertErrorAsync(400, "CBC.0100");
        // A password that never expires is not before any time.
        var listed = await (await s.SendAsync(HttpMethod.Get, "/v3/users?password_expires_at=lt:2999-01-01T00:00:00Z", a.Token)).JsonAsync();
        Assert.Empty(listed["users"]!.AsArray());
    }

    [Fact]
    public async Task An_iam_user_without_permissions_gets_403_on_a_write_until_its_group_is_granted_admin()
    {
        var a = await s.NewAccountAsync();
        var (userId, userToken) = await NewIamUserAsync(a);
        var attempt = new { user = new { name = TestApi.Unique("x"), password = "Xuser#Pass123" } };
        await (await s.SendAsync(HttpMethod.Post, "/v3/users", userToken, attempt)).AssertErrorAsync(403, "CBC.0150");

        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, new { group = new { name = TestApi.Unique("ops") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{userId}", a.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Put, $"/v3/domains/{a.Id}/groups/{group}/roles/{SystemRoles.Admin.Id}", a.Token)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await s.SendAsync(HttpMethod.Post, "/v3/users", userToken, attempt)).StatusCode);
    }

    [Fact]
    public async Task A_read_only_user_can_list_but_not_create()
    {
        var a = await s.NewAccountAsync();
        var (userId, userToken) = await NewIamUserAsync(a);
        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, new { group = new { name = TestApi.Unique("viewers") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{userId}", a.Token);
        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{a.Id}/groups/{group}/roles/{SystemRoles.TenantGuest.Id}", a.Token);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, "/v3/users", userToken)).StatusCode);
        await (await s.SendAsync(HttpMethod.Post, "/v3/groups", userToken, new { group = new { name = "nope" } })).AssertErrorAsync(403);
    }

    [Fact]
    public async Task The_secret_key_is_shown_once_and_a_user_has_at_most_two_keys()
    {
        var a = await s.NewAccountAsync();
        var second = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials", a.Token, new { credential = new { user_id = a.OwnerUserId, description = "ci" } });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var created = (await second.JsonAsync())["credential"]!;
        var secret = created["secret"]!.GetValue<string>();
        Assert.Equal(40, secret.Length);

        var list = await (await s.SendAsync(HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials?user_id={a.OwnerUserId}", a.Token)).Content.ReadAsStringAsync();
        var show = await (await s.SendAsync(HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{created["access"]}", a.Token)).Content.ReadAsStringAsync();
        Assert.Equal(2, JsonNode.Parse(list)!["credentials"]!.AsArray().Count);
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain(secret, show);
        Assert.DoesNotContain("\"secret\"", show);

        await (await s.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials", a.Token, new { credential = new { user_id = a.OwnerUserId } })).AssertErrorAsync(400, "IAM.0012");
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v3.0/OS-CREDENTIAL/credentials/{created["access"]}", a.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{created["access"]}", a.Token)).AssertErrorAsync(404);
    }

    [Fact]
    public async Task A_partner_exchanges_its_token_for_an_agency_token_scoped_to_the_delegating_customer()
    {
        var customer = await s.NewAccountAsync("cust");
        var partner = await s.NewAccountAsync("partner");
        var agency = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-AGENCY/agencies", customer.Token,
            new { agency = new { name = "partner-om", domain_id = customer.Id, trust_domain_name = partner.Name, duration = "FOREVER", description = "partner O&M" } });
        Assert.Equal(HttpStatusCode.Created, agency.StatusCode);
        var agencyId = (await agency.JsonAsync())["agency"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{customer.Id}/agencies/{agencyId}/roles/{SystemRoles.TenantGuest.Id}", customer.Token)).StatusCode);

        var assume = await s.SendAsync(HttpMethod.Post, "/v3/auth/tokens", partner.Token, new
        {
            auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_name = customer.Name, agency_name = "partner-om" } }, scope = new { domain = new { name = customer.Name } } },
        });
        Assert.Equal(HttpStatusCode.Created, assume.StatusCode);
        var agencyToken = assume.Headers.GetValues("X-Subject-Token").Single();
        var body = (await assume.JsonAsync())["token"]!;
        Assert.Equal(customer.Id, body["domain"]!["id"]!.GetValue<string>());
        Assert.Equal(partner.Id, body["assumed_by"]!["user"]!["domain"]!["id"]!.GetValue<string>());
        Assert.Equal("assume_role", body["methods"]![0]!.GetValue<string>());

        var domains = await (await s.SendAsync(HttpMethod.Get, "/v3/auth/domains", agencyToken)).JsonAsync();
        Assert.Equal(customer.Id, domains["domains"]![0]!["id"]!.GetValue<string>());
        var users = await (await s.SendAsync(HttpMethod.Get, "/v3/users", agencyToken)).Content.ReadAsStringAsync();
        Assert.Contains(customer.OwnerUserId, users);
        await (await s.SendAsync(HttpMethod.Post, "/v3/users", agencyToken, new { user = new { name = "sneaky", password = "Sneaky#Pass1" } })).AssertErrorAsync(403);

        // Revoking the agency ends the delegated token.
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v3.0/OS-AGENCY/agencies/{agencyId}", customer.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Get, "/v3/users", agencyToken)).AssertErrorAsync(401);
    }

    [Fact]
    public async Task A_temporary_key_signs_with_its_security_token_and_not_without_it()
    {
        var a = await s.NewAccountAsync();
        var issued = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", a.Token,
            new { auth = new { identity = new { methods = new[] { "token" }, token = new { duration_seconds = 900 } } } });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var credential = (await issued.JsonAsync())["credential"]!;
        var (ak, sk, st) = (credential["access"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), credential["securitytoken"]!.GetValue<string>());
        var expires = DateTimeOffset.Parse(credential["expires_at"]!.GetValue<string>());
        Assert.InRange((expires - DateTimeOffset.UtcNow).TotalMinutes, 13, 16);

        var ok = await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", ak, sk, securityToken: st);
        Assert.Equal(a.Id, (await ok.JsonAsync())["domains"]![0]!["id"]!.GetValue<string>());
        await (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", ak, sk)).AssertErrorAsync(401, "APIGW.0301");
        await (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", ak, sk, securityToken: a.Token)).AssertErrorAsync(401, "APIGW.0301");
    }

    [Fact]
    public async Task A_temporary_key_by_agency_acts_in_the_delegating_account()
    {
        var customer = await s.NewAccountAsync("cust");
        var partner = await s.NewAccountAsync("partner");
        var agencyId = (await (await s.SendAsync(HttpMethod.Post, "/v3.0/OS-AGENCY/agencies", customer.Token,
            new { agency = new { name = "om", domain_id = customer.Id, trust_domain_id = partner.Id } })).JsonAsync())["agency"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{customer.Id}/agencies/{agencyId}/roles/{SystemRoles.TenantGuest.Id}", customer.Token);

        var issued = await s.SignedAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", partner.AccessKey, partner.SecretKey,
            new { auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { agency_name = "om", domain_id = customer.Id, duration_seconds = 3600 } } } });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var credential = (await issued.JsonAsync())["credential"]!;
        var users = await s.SignedAsync(HttpMethod.Get, "/v3/users", credential["access"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(),
            securityToken: credential["securitytoken"]!.GetValue<string>());
        Assert.Contains(customer.OwnerUserId, await users.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Groups_hold_members_that_can_be_checked_and_removed()
    {
        var a = await s.NewAccountAsync();
        var (userId, _) = await NewIamUserAsync(a);
        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, new { group = new { name = TestApi.Unique("devs"), description = "developers" } })).JsonAsync())["group"]!;
        var groupId = group["id"]!.GetValue<string>();
        Assert.Equal("developers", group["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Head, $"/v3/groups/{groupId}/users/{userId}", a.Token)).StatusCode);
        await s.SendAsync(HttpMethod.Put, $"/v3/groups/{groupId}/users/{userId}", a.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Head, $"/v3/groups/{groupId}/users/{userId}", a.Token)).StatusCode);
        var members = await (await s.SendAsync(HttpMethod.Get, $"/v3/groups/{groupId}/users", a.Token)).JsonAsync();
        Assert.Single(members["users"]!.AsArray());
        var groupsOfUser = await (await s.SendAsync(HttpMethod.Get, $"/v3/users/{userId}/groups", a.Token)).JsonAsync();
        Assert.Contains(groupsOfUser["groups"]!.AsArray(), g => g!["id"]!.GetValue<string>() == groupId);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v3/groups/{groupId}/users/{userId}", a.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Head, $"/v3/groups/{groupId}/users/{userId}", a.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v3/groups/{groupId}", a.Token)).StatusCode);
    }

    [Fact]
    public async Task Custom_policies_are_created_updated_granted_and_deleted_once_revoked()
    {
        var a = await s.NewAccountAsync();
        var created = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-ROLE/roles", a.Token, new
        {
            role = new { display_name = "user-readers", type = "AX", description = "read users", policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:get*", "iam:users:list*" } } } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var role = (await created.JsonAsync())["role"]!;
        var roleId = role["id"]!.GetValue<string>();
        Assert.Equal("CUSTOMED", role["catalog"]!.GetValue<string>());
        Assert.Equal(a.Id, role["domain_id"]!.GetValue<string>());
        var patched = await s.SendAsync(HttpMethod.Patch, $"/v3.0/OS-ROLE/roles/{roleId}", a.Token, new { role = new { description = "read users only" } });
        Assert.Equal("read users only", (await patched.JsonAsync())["role"]!["description"]!.GetValue<string>());

        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, new { group = new { name = TestApi.Unique("readers") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{a.Id}/groups/{group}/roles/{roleId}", a.Token);
        await (await s.SendAsync(HttpMethod.Delete, $"/v3.0/OS-ROLE/roles/{roleId}", a.Token)).AssertErrorAsync(409, "IAM.0110");
        await s.SendAsync(HttpMethod.Delete, $"/v3/domains/{a.Id}/groups/{group}/roles/{roleId}", a.Token);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Delete, $"/v3.0/OS-ROLE/roles/{roleId}", a.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Get, $"/v3.0/OS-ROLE/roles/{roleId}", a.Token)).AssertErrorAsync(404);
    }

    [Fact]
    public async Task System_roles_are_listed_for_every_account()
    {
        var a = await s.NewAccountAsync();
        var roles = await (await s.SendAsync(HttpMethod.Get, "/v3/roles", a.Token)).JsonAsync();
        var names = roles["roles"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("admin", names);
        Assert.Contains("te_admin", names);
        Assert.Contains("secu_admin", names);
        Assert.Contains("readonly", names);
    }

    [Fact]
    public async Task Users_are_updated_disabled_and_deleted_and_change_their_own_password()
    {
        var a = await s.NewAccountAsync();
        var (userId, userToken) = await NewIamUserAsync(a);
        var updated = await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-USER/users/{userId}", a.Token, new { user = new { description = "on call", areacode = "65", phone = "81234567" } });
        var user = (await updated.JsonAsync())["user"]!;
        Assert.Equal("on call", user["description"]!.GetValue<string>());
        Assert.Equal("65", user["areacode"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Post, $"/v3/users/{userId}/password", userToken,
            new { user = new { original_password = "Member#Pass123", password = "Member#Pass456" } })).StatusCode);

        var disabled = await s.SendAsync(HttpMethod.Patch, $"/v3/users/{userId}", a.Token, new { user = new { enabled = false } });
        Assert.False((await disabled.JsonAsync())["user"]!["enabled"]!.GetValue<bool>());
        await (await s.SendAsync(HttpMethod.Get, "/v3/auth/domains", userToken)).AssertErrorAsync(401);

        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v3/users/{userId}", a.Token)).StatusCode);
        await (await s.SendAsync(HttpMethod.Get, $"/v3/users/{userId}", a.Token)).AssertErrorAsync(404, "IAM.0004");
        await (await s.SendAsync(HttpMethod.Delete, $"/v3/users/{a.OwnerUserId}", a.Token)).AssertErrorAsync(400, "IAM.0106");
    }

    [Fact]
    public async Task Password_and_login_policies_are_readable_and_settable_within_their_ranges()
    {
        var a = await s.NewAccountAsync();
        var put = await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-SECURITYPOLICY/domains/{a.Id}/password-policy", a.Token,
            new { password_policy = new { minimum_password_length = 12, password_char_combination = 3 } });
        Assert.Equal(12, (await put.JsonAsync())["password_policy"]!["minimum_password_length"]!.GetValue<int>());
        await (await s.SendAsync(HttpMethod.Post, "/v3/users", a.Token, new { user = new { name = TestApi.Unique("u"), password = "Short#123" } })).AssertErrorAsync(400, "IAM.0105");

        var login = await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-SECURITYPOLICY/domains/{a.Id}/login-policy", a.Token, new { login_policy = new { login_failed_times = 3, lockout_duration = 20 } });
        Assert.Equal(3, (await login.JsonAsync())["login_policy"]!["login_failed_times"]!.GetValue<int>());
        await (await s.SendAsync(HttpMethod.Put, $"/v3.0/OS-SECURITYPOLICY/domains/{a.Id}/login-policy", a.Token, new { login_policy = new { login_failed_times = 1 } })).AssertErrorAsync(400);
        var after = await (await s.SendAsync(HttpMethod.Get, $"/v3.0/OS-SECURITYPOLICY/domains/{a.Id}/login-policy", a.Token)).JsonAsync();
        Assert.Equal(3, after["login_policy"]!["login_failed_times"]!.GetValue<int>());
    }

    [Fact]
    public async Task Accounts_register_update_change_password_and_close()
    {
        var a = await s.NewAccountAsync();
        var me = await (await s.SendAsync(HttpMethod.Get, "/v1/account", a.Token)).JsonAsync();
        Assert.Equal(a.Id, me["domain_id"]!.GetValue<string>());
        var updated = await s.SendAsync(HttpMethod.Put, "/v1/account", a.Token, new { mobile = "+65-81234567" });
        Assert.Equal("+65-81234567", (await updated.JsonAsync())["mobile"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Post, "/v1/account/password", a.Token, new { current_password = a.Password, new_password = "Renewed#Pass1" })).StatusCode);
        await s.PasswordTokenAsync(a.Name, a.Name, "Renewed#Pass1");
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Post, "/v1/account/close", a.Token, new { password = "Renewed#Pass1" })).StatusCode);
        await (await s.SignedAsync(HttpMethod.Get, "/v3/auth/domains", a.AccessKey, a.SecretKey)).AssertErrorAsync(401);
    }
}

/// <summary>A server behind a proxy: its API links name the public URL it is told, not the address it listens on.</summary>
public sealed class PublicUrlServer : ServerFixture
{
    public const string PublicUrl = "https://partner-center.example.com:8443";

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("public-url", PublicUrl + "/")];
}

public sealed class PublicUrlTests(PublicUrlServer s) : IClassFixture<PublicUrlServer>
{
    [Fact]
    public async Task Links_are_built_from_the_configured_public_url()
    {
        var a = await s.NewAccountAsync();
        var created = await (await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, new { group = new { name = TestApi.Unique("g") } })).JsonAsync();
        Assert.Equal(PublicUrlServer.PublicUrl + "/v3/groups/" + created["group"]!["id"]!.GetValue<string>(), created["group"]!["links"]!["self"]!.GetValue<string>());
        var projects = await (await s.SendAsync(HttpMethod.Get, "/v3/auth/projects", a.Token)).JsonAsync();
        Assert.Equal(PublicUrlServer.PublicUrl + "/v3/auth/projects", projects["links"]!["self"]!.GetValue<string>());
    }
}
