using System.Net;
using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// The IAM identity operations (users, groups and their grants, tokens, domains, projects, security policies) answered
/// against the demo world as the official SDK reads them. Each test works on users, groups, policies and agencies it
/// creates itself, in demo-enterprise-test, and puts back the security policies it changes.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class IamIdentityContractTests(DemoWorldServer demo)
{
    DemoLogin Account => demo.Login("demo-enterprise-test");

    Task<HttpResponseMessage> Call(HttpMethod method, string path, object? body = null) => demo.SignedAsync(Account, method, path, body);

    static string Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, name) => n?[name])?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"{path} is missing");

    const string Password = "Contract#Pass1";

    string PasswordPolicyPath => $"/v3.0/OS-SECURITYPOLICY/domains/{Account.DomainId}/password-policy";

    /// <summary>The password policy's writable fields as they were, with another validity period.</summary>
    static JsonObject PasswordPolicy(JsonObject original, int validityDays)
    {
        string[] writable =
        [
            "maximum_consecutive_identical_chars", "minimum_password_age", "minimum_password_length", "number_of_recent_passwords_disallowed",
            "password_not_username_or_invert", "password_validity_period", "password_char_combination",
        ];
        var policy = new JsonObject(writable.Select(f => KeyValuePair.Create(f, original[f]?.DeepClone())));
        policy["password_validity_period"] = validityDays;
        return new JsonObject { ["password_policy"] = policy };
    }

    /// <summary>Runs with passwords of the account expiring (so users answer password_expires_at), then puts the policy back.</summary>
    async Task WithPasswordExpiryAsync(Func<Task> body)
    {
        var original = JsonNode.Parse(await (await Call(HttpMethod.Get, PasswordPolicyPath)).Content.ReadAsStringAsync())!["password_policy"]!.AsObject();
        Assert.True((await Call(HttpMethod.Put, PasswordPolicyPath, PasswordPolicy(original, 90))).IsSuccessStatusCode);
        try { await body(); }
        finally
        {
            Assert.True((await Call(HttpMethod.Put, PasswordPolicyPath, PasswordPolicy(original, original["password_validity_period"]!.GetValue<int>()))).IsSuccessStatusCode);
        }
    }

    [Fact]
    [SdkContract("ShowDomainPasswordPolicy"), SdkContract("UpdateDomainPasswordPolicy"), SdkContract("CreateUser"), SdkContract("ShowUser"),
     SdkContract("UpdateUser"), SdkContract("KeystoneCreateUser"), SdkContract("KeystoneListUsers"), SdkContract("KeystoneShowUser"),
     SdkContract("KeystoneUpdateUserByAdmin"), SdkContract("KeystoneUpdateUserPassword"), SdkContract("KeystoneListProjectsForUser"),
     SdkContract("KeystoneDeleteUser")]
    public async Task Users_answer_every_field_of_their_models()
    {
        var original = (await SdkContract.Of("ShowDomainPasswordPolicy").AnswerFullyAsync(await Call(HttpMethod.Get, PasswordPolicyPath)))!["password_policy"]!.AsObject();
        var update = SdkContract.Of("UpdateDomainPasswordPolicy");
        // A validity period gives every password an expiry the user answers carry.
        var changed = await update.AnswerFullyAsync(await Call(HttpMethod.Put, PasswordPolicyPath, PasswordPolicy(original, 90)));
        Assert.Equal(90, changed!["password_policy"]!["password_validity_period"]!.GetValue<int>());
        try
        {
            var name = TestApi.Unique("cu");
            var created = await SdkContract.Of("CreateUser").AnswerFullyAsync(await Call(HttpMethod.Post, "/v3.0/OS-USER/users", new
            {
                user = new
                {
                    access_mode = "default", name, domain_id = Account.DomainId, password = Password, email = name + "@example.com", areacode = "0065",
                    phone = "81234567", enabled = true, pwd_status = false, xuser_type = "TenantIdp", xuser_id = "ext-" + name, description = "contract user",
                },
            }));
            var userId = Text(created, "user.id");
            Assert.Equal("ext-" + name, Text(created, "user.xuser_id"));

            // Its first sign-in, scoped to a project: the user's last login and last project.
            var (userToken, _) = await demo.PasswordTokenAsync(Account.DomainName, name, Password, new { project = new { name = "ap-southeast-1" } });
            var shown = await SdkContract.Of("ShowUser").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3.0/OS-USER/users/" + userId));
            Assert.Equal("0065", Text(shown, "user.areacode"));

            var updated = await SdkContract.Of("UpdateUser").AnswerFullyAsync(await Call(HttpMethod.Put, "/v3.0/OS-USER/users/" + userId, new
            {
                user = new
                {
                    access_mode = "default", name, password = Password + "x", email = "new-" + name + "@example.com", areacode = "0065", phone = "87654321",
                    enabled = true, pwd_status = false, xuser_type = "TenantIdp", xuser_id = "ext-" + name, description = "changed",
                },
            }));
            Assert.Equal("changed", Text(updated, "user.description"));

            var keystoneShown = await SdkContract.Of("KeystoneShowUser").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3/users/" + userId));
            var project = Text(keystoneShown, "user.last_project_id");
            Assert.False(string.IsNullOrEmpty(project));
            await SdkContract.Of("KeystoneUpdateUserByAdmin").AnswerFullyAsync(await Call(HttpMethod.Patch, "/v3/users/" + userId, new
            {
                user = new { domain_id = Account.DomainId, name, enabled = true, description = "patched", pwd_status = false, password = Password + "y" },
            }));
            var listed = await SdkContract.Of("KeystoneListUsers").AnswerFullyAsync(await Call(HttpMethod.Get,
                $"/v3/users?domain_id={Account.DomainId}&enabled=true&name={name}&password_expires_at=gt:2000-01-01T00:00:00Z"));
            Assert.Equal(userId, Text(listed!["users"]!.AsArray().Single(), "id"));
            await SdkContract.Of("KeystoneListProjectsForUser").AnswerFullyAsync(await Call(HttpMethod.Get, $"/v3/users/{userId}/projects"));

            (userToken, _) = await demo.PasswordTokenAsync(Account.DomainName, name, Password + "y");
            await SdkContract.Of("KeystoneUpdateUserPassword").AnswerAsync(await demo.SendAsync(HttpMethod.Post, $"/v3/users/{userId}/password", userToken,
                new { user = new { original_password = Password + "y", password = Password + "z" } }));

            var keystoneName = TestApi.Unique("ku");
            var keystoneCreated = await SdkContract.Of("KeystoneCreateUser").AnswerFullyAsync(await Call(HttpMethod.Post, "/v3/users", new
            {
                user = new { name = keystoneName, domain_id = Account.DomainId, password = Password, enabled = true, description = "keystone user" },
            }));
            Assert.EndsWith("/v3/users/" + Text(keystoneCreated, "user.id"), Text(keystoneCreated, "user.links.self"));

            var delete = SdkContract.Of("KeystoneDeleteUser");
            await delete.AnswerAsync(await Call(HttpMethod.Delete, "/v3/users/" + userId));
            await delete.AnswerAsync(await Call(HttpMethod.Delete, "/v3/users/" + Text(keystoneCreated, "user.id")));
        }
        finally
        {
            await update.AnswerAsync(await Call(HttpMethod.Put, PasswordPolicyPath, PasswordPolicy(original, original["password_validity_period"]!.GetValue<int>())));
        }
    }

    [Fact]
    [SdkContract("KeystoneCreateGroup"), SdkContract("KeystoneListGroups"), SdkContract("KeystoneShowGroup"), SdkContract("KeystoneUpdateGroup"),
     SdkContract("KeystoneAddUserToGroup"), SdkContract("KeystoneCheckUserInGroup"), SdkContract("KeystoneListUsersForGroupByAdmin"),
     SdkContract("KeystoneListGroupsForUser"), SdkContract("KeystoneRemoveUserFromGroup"), SdkContract("KeystoneDeleteGroup")]
    public async Task Groups_answer_create_time_in_epoch_milliseconds_and_every_field_of_their_models()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var name = TestApi.Unique("cg");
        var created = await SdkContract.Of("KeystoneCreateGroup").AnswerFullyAsync(await Call(HttpMethod.Post, "/v3/groups",
            new { group = new { name, description = "contract group", domain_id = Account.DomainId } }));
        var groupId = Text(created, "group.id");
        Assert.InRange(created!["group"]!["create_time"]!.GetValue<long>(), before, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        await SdkContract.Of("KeystoneListGroups").AnswerFullyAsync(await Call(HttpMethod.Get, $"/v3/groups?domain_id={Account.DomainId}&name={name}"));
        await SdkContract.Of("KeystoneShowGroup").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3/groups/" + groupId));
        await SdkContract.Of("KeystoneUpdateGroup").AnswerFullyAsync(await Call(HttpMethod.Patch, "/v3/groups/" + groupId,
            new { group = new { name, description = "renamed", domain_id = Account.DomainId } }));

        await WithPasswordExpiryAsync(async () =>
        {
            var userName = TestApi.Unique("gu");
            var user = await Call(HttpMethod.Post, "/v3/users", new { user = new { name = userName, password = Password } });
            var userId = Text(JsonNode.Parse(await user.Content.ReadAsStringAsync()), "user.id");
            await SdkContract.Of("KeystoneAddUserToGroup").AnswerAsync(await Call(HttpMethod.Put, $"/v3/groups/{groupId}/users/{userId}"));
            await SdkContract.Of("KeystoneCheckUserInGroup").AnswerAsync(await Call(HttpMethod.Head, $"/v3/groups/{groupId}/users/{userId}"));
            // A project-scoped sign-in gives the member a last project.
            await demo.PasswordTokenAsync(Account.DomainName, userName, Password, new { project = new { name = "ap-southeast-1" } });
            await SdkContract.Of("KeystoneListUsersForGroupByAdmin").AnswerFullyAsync(await Call(HttpMethod.Get, $"/v3/groups/{groupId}/users"));
            var groups = await SdkContract.Of("KeystoneListGroupsForUser").AnswerFullyAsync(await Call(HttpMethod.Get, $"/v3/users/{userId}/groups"));
            Assert.Contains(groups!["groups"]!.AsArray(), g => g!["id"]!.GetValue<string>() == groupId);
            await SdkContract.Of("KeystoneRemoveUserFromGroup").AnswerAsync(await Call(HttpMethod.Delete, $"/v3/groups/{groupId}/users/{userId}"));
            Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Head, $"/v3/groups/{groupId}/users/{userId}")).StatusCode);
            Assert.True((await Call(HttpMethod.Delete, "/v3/users/" + userId)).IsSuccessStatusCode);
        });

        await SdkContract.Of("KeystoneDeleteGroup").AnswerAsync(await Call(HttpMethod.Delete, "/v3/groups/" + groupId));
    }

    [Fact]
    [SdkContract("KeystoneAssociateGroupWithDomainPermission"), SdkContract("KeystoneCheckDomainPermissionForGroup"),
     SdkContract("KeystoneListDomainPermissionsForGroup"), SdkContract("KeystoneRemoveDomainPermissionFromGroup")]
    public async Task A_groups_roles_answer_every_field_of_their_model()
    {
        var group = await Call(HttpMethod.Post, "/v3/groups", new { group = new { name = TestApi.Unique("rg") } });
        var groupId = Text(JsonNode.Parse(await group.Content.ReadAsStringAsync()), "group.id");
        // A custom policy with a condition and resources, beside a system-defined one.
        var custom = await Call(HttpMethod.Post, "/v3.0/OS-ROLE/roles", new JsonObject
        {
            ["role"] = new JsonObject
            {
                ["display_name"] = TestApi.Unique("cp"), ["type"] = "AX", ["description"] = "contract policy",
                ["policy"] = JsonNode.Parse("""
                    {"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:order:view"],
                     "Condition":{"StringEquals":{"g:ServiceName":["bss"]}},"Resource":["bss:*:*:order:*"]}]}
                    """),
            },
        });
        var customText = await custom.Content.ReadAsStringAsync();
        Assert.True(custom.IsSuccessStatusCode, customText);
        var customId = Text(JsonNode.Parse(customText), "role.id");
        var system = PartnerCenter.Core.Iam.SystemRoles.BssReadOnly.Id;
        var grants = $"/v3/domains/{Account.DomainId}/groups/{groupId}/roles";

        var grant = SdkContract.Of("KeystoneAssociateGroupWithDomainPermission");
        await grant.AnswerAsync(await Call(HttpMethod.Put, $"{grants}/{customId}"));
        await grant.AnswerAsync(await Call(HttpMethod.Put, $"{grants}/{system}"));
        await SdkContract.Of("KeystoneCheckDomainPermissionForGroup").AnswerAsync(await Call(HttpMethod.Head, $"{grants}/{system}"));
        var listed = await SdkContract.Of("KeystoneListDomainPermissionsForGroup").AnswerFullyAsync(await Call(HttpMethod.Get, grants));
        var roles = listed!["roles"]!.AsArray();
        Assert.Equal("fine_grained", roles.Single(r => Text(r, "id") == system)!["flag"]!.GetValue<string>());
        Assert.True(long.TryParse(Text(roles.Single(r => Text(r, "id") == customId), "created_time"), out _));

        var remove = SdkContract.Of("KeystoneRemoveDomainPermissionFromGroup");
        await remove.AnswerAsync(await Call(HttpMethod.Delete, $"{grants}/{customId}"));
        await remove.AnswerAsync(await Call(HttpMethod.Delete, $"{grants}/{system}"));
        Assert.True((await Call(HttpMethod.Delete, "/v3/groups/" + groupId)).IsSuccessStatusCode);
        Assert.True((await Call(HttpMethod.Delete, "/v3.0/OS-ROLE/roles/" + customId)).IsSuccessStatusCode);
    }

    static object PasswordAuth(DemoLogin who, object scope) => new
    {
        auth = new
        {
            identity = new { methods = new[] { "password" }, password = new { user = new { domain = new { name = who.DomainName }, name = who.DomainName, password = who.Password } } },
            scope,
        },
    };

    [Fact]
    [SdkContract("KeystoneCreateUserTokenByPassword"), SdkContract("KeystoneValidateToken")]
    public async Task Password_tokens_answer_every_field_of_their_model_with_the_catalog_unless_nocatalog()
    {
        var issue = SdkContract.Of("KeystoneCreateUserTokenByPassword");
        var domainScoped = await demo.Http.PostAsync("/v3/auth/tokens", Json(PasswordAuth(Account, new { domain = new { name = Account.DomainName } })));
        var body = await issue.AnswerAsync(domainScoped);
        Assert.Equal(Account.DomainId, Text(body, "token.domain.id"));
        Assert.NotEmpty(body!["token"]!["catalog"]!.AsArray());
        var projectScoped = await demo.Http.PostAsync("/v3/auth/tokens?nocatalog=true", Json(PasswordAuth(Account, new { project = new { name = "ap-southeast-1" } })));
        body = await issue.AnswerAsync(projectScoped);
        Assert.Null(body!["token"]!["catalog"]);
        Assert.Equal(Account.DomainId, Text(body, "token.project.domain.id"));
        issue.AssertCovered();

        var validate = SdkContract.Of("KeystoneValidateToken");
        var callerToken = domainScoped.Headers.GetValues("X-Subject-Token").Single();
        foreach (var subject in new[] { callerToken, projectScoped.Headers.GetValues("X-Subject-Token").Single() })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v3/auth/tokens");
            request.Headers.Add("X-Auth-Token", callerToken);
            request.Headers.Add("X-Subject-Token", subject);
            var validated = await demo.Http.SendAsync(request);
            await validate.AnswerAsync(validated);
            Assert.Equal(subject, validated.Headers.GetValues("X-Subject-Token").Single());
        }
        validate.AssertCovered();
    }

    [Fact]
    [SdkContract("KeystoneCreateAgencyToken")]
    public async Task Agency_tokens_answer_every_field_of_their_model()
    {
        var trusted = demo.Login("demo-enterprise-dev");
        var agencyName = TestApi.Unique("ca");
        var created = await Call(HttpMethod.Post, "/v3.0/OS-AGENCY/agencies", new
        {
            agency = new { name = agencyName, domain_id = Account.DomainId, trust_domain_name = trusted.DomainName, duration = "FOREVER" },
        });
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, createdText);
        var agencyId = Text(JsonNode.Parse(createdText), "agency.id");
        var role = PartnerCenter.Core.Iam.SystemRoles.BssReadOnly.Id;
        Assert.True((await Call(HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{Account.DomainId}/agencies/{agencyId}/roles/{role}")).IsSuccessStatusCode);
        try
        {
            var token = await demo.TokenAsync(trusted);
            var contract = SdkContract.Of("KeystoneCreateAgencyToken");
            foreach (var scope in new object[] { new { domain = new { id = Account.DomainId } }, new { project = new { name = "ap-southeast-1" } } })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v3/auth/tokens")
                {
                    Content = Json(new
                    {
                        auth = new
                        {
                            identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_name = Account.DomainName, agency_name = agencyName } },
                            scope,
                        },
                    }),
                };
                request.Headers.Add("X-Auth-Token", token);
                var body = await contract.AnswerAsync(await demo.Http.SendAsync(request));
                Assert.Equal(trusted.DomainId, Text(body, "token.assumed_by.user.domain.id"));
                Assert.Equal(Account.DomainId, Text(body, "token.user.domain.id"));
            }
            contract.AssertCovered();
        }
        finally
        {
            Assert.True((await Call(HttpMethod.Delete, "/v3.0/OS-AGENCY/agencies/" + agencyId)).IsSuccessStatusCode);
        }
    }

    [Fact]
    [SdkContract("KeystoneListAuthDomains"), SdkContract("KeystoneListAuthProjects"), SdkContract("KeystoneListProjects"), SdkContract("KeystoneShowProject")]
    public async Task Domains_and_projects_answer_every_field_of_their_models()
    {
        var domains = await SdkContract.Of("KeystoneListAuthDomains").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3/auth/domains"));
        Assert.Equal(Account.DomainId, Text(domains!["domains"]!.AsArray().Single(), "id"));
        var scopable = await SdkContract.Of("KeystoneListAuthProjects").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3/auth/projects"));
        var projectIds = scopable!["projects"]!.AsArray().Select(p => Text(p, "id")).ToList();
        Assert.True(projectIds.Count >= 3);

        // The middle page of three has both neighbours.
        var list = SdkContract.Of("KeystoneListProjects");
        var page = await list.AnswerAsync(await Call(HttpMethod.Get,
            $"/v3/projects?domain_id={Account.DomainId}&parent_id={Account.DomainId}&enabled=true&is_domain=false&page=2&per_page=1"));
        Assert.Contains("page=1", Text(page, "links.previous"));
        Assert.Contains("page=3", Text(page, "links.next"));
        list.AssertCovered();
        var all = await list.AnswerAsync(await Call(HttpMethod.Get, "/v3/projects"));
        Assert.Equal(projectIds.Order(), all!["projects"]!.AsArray().Select(p => Text(p, "id")).Order());
        Assert.Empty((await list.AnswerAsync(await Call(HttpMethod.Get, "/v3/projects?is_domain=true")))!["projects"]!.AsArray());

        var shown = await SdkContract.Of("KeystoneShowProject").AnswerFullyAsync(await Call(HttpMethod.Get, "/v3/projects/" + projectIds[0]));
        Assert.Equal(Account.DomainId, Text(shown, "project.parent_id"));
    }

    [Fact]
    [SdkContract("ShowDomainLoginPolicy"), SdkContract("UpdateDomainLoginPolicy")]
    public async Task Login_policy_answers_every_field_of_its_model()
    {
        var path = $"/v3.0/OS-SECURITYPOLICY/domains/{Account.DomainId}/login-policy";
        var original = (await SdkContract.Of("ShowDomainLoginPolicy").AnswerFullyAsync(await Call(HttpMethod.Get, path)))!["login_policy"]!.AsObject();
        var changed = original.DeepClone().AsObject();
        changed["custom_info_for_login"] = "Contract test";
        var update = SdkContract.Of("UpdateDomainLoginPolicy");
        try
        {
            var answer = await update.AnswerFullyAsync(await Call(HttpMethod.Put, path, new JsonObject { ["login_policy"] = changed }));
            Assert.Equal("Contract test", Text(answer, "login_policy.custom_info_for_login"));
        }
        finally
        {
            await update.AnswerAsync(await Call(HttpMethod.Put, path, new JsonObject { ["login_policy"] = original.DeepClone() }));
        }
    }

    [Fact]
    public async Task Links_carry_the_servers_port_when_the_host_header_has_none()
    {
        var token = await demo.TokenAsync(Account);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v3/auth/domains");
        request.Headers.Host = demo.BaseAddress.Host;
        request.Headers.Add("X-Auth-Token", token);
        var body = JsonNode.Parse(await (await demo.Http.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal($"http://{demo.BaseAddress.Host}:{demo.BaseAddress.Port}/v3/auth/domains", Text(body, "links.self"));
        Assert.Equal($"http://{demo.BaseAddress.Host}:{demo.BaseAddress.Port}/v3/domains/{Account.DomainId}", Text(body!["domains"]![0], "links.self"));
    }

    static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
