using System.Text.Json.Nodes;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Access keys, agencies and permissions against the demo world, signed as the SDK signs. Each test creates what it
/// changes (a key, an agency, custom policies in demo-enterprise-test) and removes it again.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class IamAccessContractTests(DemoWorldServer demo)
{
    DemoLogin Owner => demo.Login("demo-enterprise-test");

    static readonly object ConditionedPolicy = new
    {
        Version = "1.1",
        Statement = new object[]
        {
            new { Effect = "Allow", Action = new[] { "iam:users:listUsers", "iam:users:getUser" } },
            new
            {
                Effect = "Deny", Action = new[] { "iam:users:deleteUser" }, Resource = new[] { "iam:*:*:user:*" },
                Condition = new Dictionary<string, Dictionary<string, string[]>> { ["StringEquals"] = new() { ["g:DomainName"] = ["demo-enterprise-test"] } },
            },
        },
    };

    [Fact, SdkContract("CreatePermanentAccessKey"), SdkContract("ListPermanentAccessKeys"), SdkContract("ShowPermanentAccessKey"),
     SdkContract("UpdatePermanentAccessKey"), SdkContract("DeletePermanentAccessKey")]
    public async Task A_permanent_access_key_is_created_listed_shown_updated_and_deleted()
    {
        var create = SdkContract.Of("CreatePermanentAccessKey");
        var created = (await create.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials",
            new { credential = new { description = "contract key" } })))!["credential"]!;
        var access = created["access"]!.GetValue<string>();
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(created["secret"]!.GetValue<string>()));
        var userId = created["user_id"]!.GetValue<string>();

        var list = SdkContract.Of("ListPermanentAccessKeys");
        var listed = (await list.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials?user_id={userId}")))!["credentials"]!.AsArray();
        Assert.Contains(listed, k => k!["access"]!.GetValue<string>() == access && k["description"]!.GetValue<string>() == "contract key");
        Assert.Contains(listed, k => k!["access"]!.GetValue<string>() == Owner.AccessKey);

        // The demo key has just signed requests, so it has a last use time.
        var show = SdkContract.Of("ShowPermanentAccessKey");
        var shown = (await show.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{Owner.AccessKey}")))!["credential"]!;
        Assert.True(DateTimeOffset.Parse(shown["last_use_time"]!.GetValue<string>()) > DateTimeOffset.UtcNow.AddHours(-1));
        await show.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{access}"));

        var update = SdkContract.Of("UpdatePermanentAccessKey");
        var updated = (await update.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3.0/OS-CREDENTIAL/credentials/{access}",
            new { credential = new { status = "inactive", description = "parked" } })))!["credential"]!;
        Assert.Equal("inactive", updated["status"]!.GetValue<string>());
        Assert.Equal("parked", updated["description"]!.GetValue<string>());
        await (await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3.0/OS-CREDENTIAL/credentials/{access}", new { credential = new { status = "paused" } })).AssertErrorAsync(400);

        await SdkContract.Of("DeletePermanentAccessKey").AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3.0/OS-CREDENTIAL/credentials/{access}"));
        await (await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{access}")).AssertErrorAsync(404);
    }

    [Fact, SdkContract("CreateTemporaryAccessKeyByToken")]
    public async Task A_temporary_key_is_issued_for_the_token_named_in_the_body_and_narrowed_by_its_session_policy()
    {
        var token = await demo.TokenAsync(Owner);
        var contract = SdkContract.Of("CreateTemporaryAccessKeyByToken");
        var policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:listUsers" } } } };
        var credential = (await contract.AnswerFullyAsync(await demo.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", token,
            new { auth = new { identity = new { methods = new[] { "token" }, token = new { id = token, duration_seconds = 900 }, policy } } })))!["credential"]!;
        var expires = DateTimeOffset.Parse(credential["expires_at"]!.GetValue<string>());
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));

        // The key signs as its token's user, narrowed by the session policy: listing users is allowed, listing groups not.
        Task<HttpResponseMessage> WithKey(string path) => demo.SignedAsync(HttpMethod.Get, path, credential["access"]!.GetValue<string>(),
            credential["secret"]!.GetValue<string>(), securityToken: credential["securitytoken"]!.GetValue<string>());
        var users = await WithKey("/v3/users");
        Assert.True(users.IsSuccessStatusCode, await users.Content.ReadAsStringAsync());
        await (await WithKey("/v3/groups")).AssertErrorAsync(403);
        Assert.True((await demo.SendAsync(HttpMethod.Get, "/v3/groups", token)).IsSuccessStatusCode);

        // Another user's token, a malformed session policy and an out-of-range duration are refused.
        var other = await demo.TokenAsync(demo.Login("demo-enterprise-dev"));
        await (await demo.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", token,
            new { auth = new { identity = new { methods = new[] { "token" }, token = new { id = other } } } })).AssertErrorAsync(400);
        await (await demo.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", token,
            new { auth = new { identity = new { methods = new[] { "token" }, policy = new { Version = "1.1", Statement = new[] { new { Effect = "Maybe", Action = new[] { "iam:users:listUsers" } } } } } } })).AssertErrorAsync(400);
        await (await demo.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", token,
            new { auth = new { identity = new { methods = new[] { "token" }, token = new { duration_seconds = 60 } } } })).AssertErrorAsync(400);
    }

    [Fact, SdkContract("CreateAgency"), SdkContract("ListAgencies"), SdkContract("ShowAgency"), SdkContract("UpdateAgency"), SdkContract("DeleteAgency"),
     SdkContract("AssociateAgencyWithDomainPermission"), SdkContract("ListDomainPermissionsForAgency"), SdkContract("RemoveDomainPermissionFromAgency"),
     SdkContract("CreateTemporaryAccessKeyByAgency")]
    public async Task An_agency_is_created_granted_assumed_with_a_temporary_key_updated_and_deleted()
    {
        var trusted = demo.Login("demo-csp");
        var name = "contract-om-" + Guid.NewGuid().ToString("N")[..8];
        var create = SdkContract.Of("CreateAgency");
        var agency = (await create.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Post, "/v3.0/OS-AGENCY/agencies",
            new { agency = new { name, domain_id = Owner.DomainId, trust_domain_name = trusted.DomainName, description = "contract O&M", duration = 30 } })))!["agency"]!;
        var agencyId = agency["id"]!.GetValue<string>();
        Assert.Equal("30", agency["duration"]!.GetValue<string>());
        Assert.Equal(trusted.DomainId, agency["trust_domain_id"]!.GetValue<string>());

        var list = SdkContract.Of("ListAgencies");
        var listed = (await list.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-AGENCY/agencies?domain_id={Owner.DomainId}&name={name}&page=1&per_page=10")))!["agencies"]!.AsArray();
        var only = Assert.Single(listed)!;
        Assert.Equal(trusted.DomainName, only["trust_domain_name"]!.GetValue<string>());
        Assert.Equal($"iam::{Owner.DomainId}:agency:{name}", only["agency_urn"]!.GetValue<string>());
        Assert.Empty((await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-AGENCY/agencies?name={name}&page=2&per_page=10")))!["agencies"]!.AsArray());
        await (await demo.SignedAsync(Owner, HttpMethod.Get, "/v3.0/OS-AGENCY/agencies?page=1")).AssertErrorAsync(400);

        await SdkContract.Of("ShowAgency").AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-AGENCY/agencies/{agencyId}"));

        var policyId = await CreatePolicyAsync("contract agency policy");
        var grant = SdkContract.Of("AssociateAgencyWithDomainPermission");
        foreach (var role in new[] { SystemRoles.TenantGuest.Id, SystemRoles.BssReadOnly.Id, policyId })
            await grant.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{Owner.DomainId}/agencies/{agencyId}/roles/{role}"));
        var roles = (await SdkContract.Of("ListDomainPermissionsForAgency").AnswerFullyAsync(
            await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-AGENCY/domains/{Owner.DomainId}/agencies/{agencyId}/roles")))!["roles"]!.AsArray();
        Assert.Equal(3, roles.Count);
        Assert.Equal("fine_grained", roles.Single(r => r!["id"]!.GetValue<string>() == SystemRoles.BssReadOnly.Id)!["flag"]!.GetValue<string>());

        var assume = SdkContract.Of("CreateTemporaryAccessKeyByAgency");
        var credential = (await assume.AnswerFullyAsync(await demo.SignedAsync(trusted, HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", new
        {
            auth = new
            {
                identity = new
                {
                    methods = new[] { "assume_role" },
                    assume_role = new { agency_name = name, domain_name = Owner.DomainName, duration_seconds = 3600, session_user = new { name = "oncall_engineer" } },
                    policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:listUsers" } } } },
                },
            },
        })))!["credential"]!;
        // Tenant Guest lets the agency list users and groups; the session policy leaves only users.
        Task<HttpResponseMessage> WithKey(string path) => demo.SignedAsync(HttpMethod.Get, path, credential["access"]!.GetValue<string>(),
            credential["secret"]!.GetValue<string>(), securityToken: credential["securitytoken"]!.GetValue<string>());
        var users = await WithKey("/v3/users");
        Assert.True(users.IsSuccessStatusCode, await users.Content.ReadAsStringAsync());
        await (await WithKey("/v3/groups")).AssertErrorAsync(403);
        await (await demo.SignedAsync(trusted, HttpMethod.Post, "/v3.0/OS-CREDENTIAL/securitytokens", new
        {
            auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { agency_name = name, domain_id = Owner.DomainId, session_user = new { name = "x" } } } },
        })).AssertErrorAsync(400);

        var remove = SdkContract.Of("RemoveDomainPermissionFromAgency");
        foreach (var role in new[] { SystemRoles.TenantGuest.Id, SystemRoles.BssReadOnly.Id, policyId })
            await remove.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3.0/OS-AGENCY/domains/{Owner.DomainId}/agencies/{agencyId}/roles/{role}"));

        var update = SdkContract.Of("UpdateAgency");
        var updated = (await update.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3.0/OS-AGENCY/agencies/{agencyId}",
            new { agency = new { description = "one day only", duration = "ONEDAY" } })))!["agency"]!;
        Assert.Equal("one day only", updated["description"]!.GetValue<string>());
        Assert.InRange(DateTimeOffset.Parse(updated["expire_time"]!.GetValue<string>()), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        await (await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3.0/OS-AGENCY/agencies/{agencyId}", new { agency = new { duration = new { days = 3 } } })).AssertErrorAsync(400);

        await SdkContract.Of("DeleteAgency").AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3.0/OS-AGENCY/agencies/{agencyId}"));
        await (await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-AGENCY/agencies/{agencyId}")).AssertErrorAsync(404);
        await DeletePolicyAsync(policyId);
    }

    [Fact, SdkContract("KeystoneListPermissions"), SdkContract("KeystoneShowPermission")]
    public async Task System_permissions_are_filtered_and_paged_and_custom_ones_listed_with_the_domain_id()
    {
        var policyId = await CreatePolicyAsync("contract keystone policy");
        var list = SdkContract.Of("KeystoneListPermissions");
        var all = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles")))!;
        var total = all["total_number"]!.GetValue<int>();
        Assert.Equal(SystemRoles.All.Count, total);
        Assert.DoesNotContain(all["roles"]!.AsArray(), r => r!["id"]!.GetValue<string>() == policyId);

        var page = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?page=2&per_page=2")))!;
        Assert.Equal(2, page["roles"]!.AsArray().Count);
        Assert.Equal(total, page["total_number"]!.GetValue<int>());
        Assert.Contains("page=1", page["links"]!["previous"]!.GetValue<string>());
        Assert.Contains("page=3", page["links"]!["next"]!.GetValue<string>());

        var policies = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?permission_type=policy")))!["roles"]!.AsArray();
        Assert.All(policies, r => Assert.Equal("fine_grained", r!["flag"]!.GetValue<string>()));
        Assert.Equal(SystemRoles.All.Count(d => d.IsPolicy), policies.Count);
        var systemRoles = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?permission_type=role&catalog=BASE")))!["roles"]!.AsArray();
        Assert.All(systemRoles, r => Assert.Null(r!["flag"]));
        Assert.False(string.IsNullOrEmpty(systemRoles[0]!["description_cn"]!.GetValue<string>()));
        var project = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?type=project")))!["roles"]!.AsArray();
        Assert.All(project, r => Assert.Contains(r!["type"]!.GetValue<string>(), new[] { "AA", "XA" }));
        Assert.DoesNotContain(project, r => r!["name"]!.GetValue<string>() == SystemRoles.SecurityAdministrator.Name);
        var admins = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?display_name=administrator")))!["roles"]!.AsArray();
        Assert.Equal(["admin", "bss_adm", "secu_admin", "te_admin"], admins.Select(r => r!["name"]!.GetValue<string>()).Order().ToArray());
        var byName = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?name=readonly")))!["roles"]!.AsArray();
        Assert.Equal(SystemRoles.TenantGuest.Id, Assert.Single(byName)!["id"]!.GetValue<string>());

        // With the account's own domain_id: its custom policies, conditions and resources included.
        var custom = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3/roles?domain_id={Owner.DomainId}")))!["roles"]!.AsArray();
        Assert.Contains(custom, r => r!["id"]!.GetValue<string>() == policyId);
        Assert.All(custom, r => Assert.Equal(Owner.DomainId, r!["domain_id"]!.GetValue<string>()));
        list.AssertCovered();

        foreach (var bad in new[] { "type=region", "permission_type=group", "page=1", "page=0&per_page=10", "per_page=301&page=1", "domain_id=" + demo.Login("demo-csp").DomainId })
            await (await demo.SignedAsync(Owner, HttpMethod.Get, "/v3/roles?" + bad)).AssertErrorAsync(400);

        var show = SdkContract.Of("KeystoneShowPermission");
        var shown = (await show.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3/roles/{SystemRoles.BssReadOnly.Id}")))!["role"]!;
        Assert.Equal("fine_grained", shown["flag"]!.GetValue<string>());
        Assert.Equal(SystemRoles.BssReadOnly.DescriptionCn, shown["description_cn"]!.GetValue<string>());
        var created = long.Parse(shown["created_time"]!.GetValue<string>());
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(created), DateTimeOffset.UtcNow.AddYears(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        await show.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3/roles/{policyId}"));
        show.AssertCovered();
        await DeletePolicyAsync(policyId);
    }

    [Fact, SdkContract("CreateCloudServiceCustomPolicy"), SdkContract("ListCustomPolicies"), SdkContract("ShowCustomPolicy"),
     SdkContract("UpdateCloudServiceCustomPolicy"), SdkContract("DeleteCustomPolicy")]
    public async Task Custom_policies_are_created_paged_shown_with_their_references_updated_and_deleted()
    {
        var create = SdkContract.Of("CreateCloudServiceCustomPolicy");
        var created = (await create.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Post, "/v3.0/OS-ROLE/roles", new
        {
            role = new { display_name = "contract-readers-" + Guid.NewGuid().ToString("N")[..6], type = "AX", description = "read users", description_cn = "查看用户", policy = ConditionedPolicy },
        })))!["role"]!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("CUSTOMED", created["catalog"]!.GetValue<string>());
        Assert.Equal("g:DomainName", created["policy"]!["Statement"]![1]!["Condition"]!["StringEquals"]!.AsObject().Single().Key);
        var others = new[] { await CreatePolicyAsync("contract page a"), await CreatePolicyAsync("contract page b") };

        var list = SdkContract.Of("ListCustomPolicies");
        var all = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3.0/OS-ROLE/roles")))!;
        var total = all["total_number"]!.GetValue<int>();
        Assert.True(total >= 3);
        var second = (await list.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, "/v3.0/OS-ROLE/roles?page=2&per_page=1")))!;
        Assert.Single(second["roles"]!.AsArray());
        Assert.NotNull(second["links"]!["previous"]);
        Assert.NotNull(second["links"]!["next"]);
        list.AssertCovered();

        // A grant to a group counts as a reference.
        var show = SdkContract.Of("ShowCustomPolicy");
        Assert.Equal(0, (await show.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-ROLE/roles/{id}")))!["role"]!["references"]!.GetValue<int>());
        var group = (await (await demo.SignedAsync(Owner, HttpMethod.Post, "/v3/groups", new { group = new { name = "contract-group-" + Guid.NewGuid().ToString("N")[..6] } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        Assert.True((await demo.SignedAsync(Owner, HttpMethod.Put, $"/v3/domains/{Owner.DomainId}/groups/{group}/roles/{id}")).IsSuccessStatusCode);
        Assert.Equal(1, (await show.AnswerAsync(await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-ROLE/roles/{id}")))!["role"]!["references"]!.GetValue<int>());
        show.AssertCovered();
        Assert.True((await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3/groups/{group}")).IsSuccessStatusCode);

        var update = SdkContract.Of("UpdateCloudServiceCustomPolicy");
        var updated = (await update.AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Patch, $"/v3.0/OS-ROLE/roles/{id}",
            new { role = new { description = "read users only", description_cn = "只读用户", policy = ConditionedPolicy } })))!["role"]!;
        Assert.Equal("read users only", updated["description"]!.GetValue<string>());
        Assert.True(long.Parse(updated["updated_time"]!.GetValue<string>()) >= long.Parse(created["updated_time"]!.GetValue<string>()));
        await (await demo.SignedAsync(Owner, HttpMethod.Patch, $"/v3.0/OS-ROLE/roles/{id}", new
        {
            role = new { policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:listUsers" }, Condition = new { StringEquals = new { k = "not-a-list" } } } } } },
        })).AssertErrorAsync(400);
        await (await demo.SignedAsync(Owner, HttpMethod.Patch, $"/v3.0/OS-ROLE/roles/{id}", new
        {
            role = new { policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", NotAction = new[] { "iam:*:*" } } } } },
        })).AssertErrorAsync(400);

        var deleted = (await SdkContract.Of("DeleteCustomPolicy").AnswerFullyAsync(await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3.0/OS-ROLE/roles/{id}")))!;
        Assert.False(string.IsNullOrEmpty(deleted["message"]!.GetValue<string>()));
        foreach (var other in others) await DeletePolicyAsync(other);
        await (await demo.SignedAsync(Owner, HttpMethod.Get, $"/v3.0/OS-ROLE/roles/{id}")).AssertErrorAsync(404);
    }

    async Task<string> CreatePolicyAsync(string displayName)
    {
        var response = await demo.SignedAsync(Owner, HttpMethod.Post, "/v3.0/OS-ROLE/roles", new
        {
            role = new { display_name = displayName + " " + Guid.NewGuid().ToString("N")[..6], type = "XA", description = displayName, description_cn = "合同测试", policy = ConditionedPolicy },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["role"]!["id"]!.GetValue<string>();
    }

    async Task DeletePolicyAsync(string id) =>
        Assert.True((await demo.SignedAsync(Owner, HttpMethod.Delete, $"/v3.0/OS-ROLE/roles/{id}")).IsSuccessStatusCode);
}
