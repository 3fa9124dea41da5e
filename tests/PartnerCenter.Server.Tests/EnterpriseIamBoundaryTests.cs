using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// Enterprise Center's IAM boundary: a master and its members each manage only their own IAM users. For every IAM
/// operation of the route table, the master (a finance-custody master, the closest relation there is) aims its token
/// and its AK/SK at a member's users, groups, policies, agencies, keys, projects and security policies: 4xx, or an
/// answer holding nothing of the member, and the member's IAM unchanged. The member's own root (the agency's trusted
/// account for assume-role, the user itself for its password) then succeeds on the very same request.
/// </summary>
public sealed class EnterpriseIamBoundaryTests(EnterpriseIamBoundaryTests.World w) : IClassFixture<EnterpriseIamBoundaryTests.World>
{
    public sealed class World : ServerFixture
    {
        public TestAccount Master = null!, Member = null!, Trusted = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Master = await this.NewAccountAsync("master");
            Member = await this.NewAccountAsync("member");
            Trusted = await this.NewAccountAsync("trusted");
            await EnterpriseRows.AddAsync(Services, Master.Id, (Member.Id, custody: true));
        }
    }

    /// <summary>The member's IAM things for one case, made fresh so that the member's own request may change or delete them.</summary>
    public sealed record Things(string User, string UserName, string Group, string Policy, string Agency, string AgencyName, string Project, string Key);

    public enum Actor { MemberRoot, MemberUser, TrustedAccount }

    /// <param name="MasterStatus">What the master gets; null: a 2xx answer about its own account holding nothing of the member's.</param>
    /// <param name="MemberStatus">What the member's side gets on the same request (2xx by default).</param>
    public sealed record Case(string Method, string Template, int? MasterStatus, Func<World, Things, object?>? Body = null, string? Query = null,
        int? MemberStatus = null, Actor By = Actor.MemberRoot);

    // Long enough for the member's password policy after its own case raised the minimum length to 20.
    const string UserPassword = "Xuser#Pass1234567890123";
    static readonly object Policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:getUser" } } } };
    static object AssumeRole(World w, Things t) => new { auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_id = w.Member.Id, agency_name = t.AgencyName } } } };

    public static readonly Case[] Cases =
    [
        new("POST", "/v3/users", 400, (w, _) => new { user = new { name = TestApi.Unique("u"), domain_id = w.Member.Id, password = "Intruder#Pass1234567890" } }, MemberStatus: 201),
        new("GET", "/v3/users", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/users/{user_id}", 404),
        new("PATCH", "/v3/users/{user_id}", 404, (_, _) => new { user = new { enabled = false } }),
        new("DELETE", "/v3/users/{user_id}", 404, MemberStatus: 204),
        new("POST", "/v3/users/{user_id}/password", 403, (_, _) => new { user = new { original_password = UserPassword, password = "Changed#Pass1234567890" } }, MemberStatus: 204, By: Actor.MemberUser),
        new("GET", "/v3/users/{user_id}/groups", 404),
        new("GET", "/v3/users/{user_id}/projects", 404),
        new("POST", "/v3.0/OS-USER/users", 400, (w, _) => new { user = new { name = TestApi.Unique("u"), domain_id = w.Member.Id } }, MemberStatus: 201),
        new("GET", "/v3.0/OS-USER/users/{user_id}", 404),
        new("PUT", "/v3.0/OS-USER/users/{user_id}", 404, (_, _) => new { user = new { description = "changed" } }),

        new("POST", "/v3/groups", 400, (w, _) => new { group = new { name = TestApi.Unique("g"), domain_id = w.Member.Id } }, MemberStatus: 201),
        new("GET", "/v3/groups", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/groups/{group_id}", 404),
        new("PATCH", "/v3/groups/{group_id}", 404, (_, _) => new { group = new { description = "changed" } }),
        new("DELETE", "/v3/groups/{group_id}", 404, MemberStatus: 204),
        new("GET", "/v3/groups/{group_id}/users", 404),
        new("PUT", "/v3/groups/{group_id}/users/{user_id}", 404, MemberStatus: 204),
        new("HEAD", "/v3/groups/{group_id}/users/{user_id}", 404, MemberStatus: 204),
        new("DELETE", "/v3/groups/{group_id}/users/{user_id}", 404, MemberStatus: 204),
        new("GET", "/v3/domains/{domain_id}/groups/{group_id}/roles", 404),
        new("PUT", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404, MemberStatus: 204),
        new("HEAD", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404, MemberStatus: 204),
        new("DELETE", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404, MemberStatus: 204),

        new("GET", "/v3/roles", null),
        new("GET", "/v3/roles/{role_id}", 404),
        new("GET", "/v3.0/OS-ROLE/roles", null),
        new("POST", "/v3.0/OS-ROLE/roles", null, (_, _) => new { role = new { display_name = TestApi.Unique("p"), type = "AX", policy = Policy } }, MemberStatus: 201),
        new("GET", "/v3.0/OS-ROLE/roles/{role_id}", 404),
        new("PATCH", "/v3.0/OS-ROLE/roles/{role_id}", 404, (_, _) => new { role = new { description = "changed" } }),
        // The member reaches its policy: refused only because it is still granted to its group and agency (IAM.0110).
        new("DELETE", "/v3.0/OS-ROLE/roles/{role_id}", 404, MemberStatus: 409),

        new("POST", "/v3.0/OS-CREDENTIAL/credentials", 404, (_, t) => new { credential = new { user_id = t.User } }, MemberStatus: 201),
        new("GET", "/v3.0/OS-CREDENTIAL/credentials", null, Query: "?user_id={user_id}"),
        new("GET", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404),
        new("PUT", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404, (_, _) => new { credential = new { status = "inactive" } }),
        new("DELETE", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404, MemberStatus: 204),
        new("POST", "/v3.0/OS-CREDENTIAL/securitytokens", 403, AssumeRole, MemberStatus: 201, By: Actor.TrustedAccount),

        new("POST", "/v3.0/OS-AGENCY/agencies", 400, (w, _) => new { agency = new { name = TestApi.Unique("a"), domain_id = w.Member.Id, trust_domain_id = w.Trusted.Id } }, MemberStatus: 201),
        new("GET", "/v3.0/OS-AGENCY/agencies", 400, Query: "?domain_id={domain_id}"),
        new("GET", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404),
        new("PUT", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404, (w, _) => new { agency = new { trust_domain_id = w.Master.Id } }),
        new("DELETE", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404, MemberStatus: 204),
        new("GET", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles", 404),
        new("PUT", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", 404, MemberStatus: 204),
        new("DELETE", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", 404, MemberStatus: 204),

        new("GET", "/v3/projects", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/projects/{project_id}", 404),
        new("GET", "/v3/auth/domains", null),
        new("GET", "/v3/auth/projects", null),
        new("GET", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/password-policy", 404),
        new("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/password-policy", 404, (_, _) => new { password_policy = new { minimum_password_length = 20 } }),
        new("GET", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/login-policy", 404),
        new("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/login-policy", 404, (_, _) => new { login_policy = new { login_failed_times = 3 } }),

        new("POST", "/v3/auth/tokens", 403, AssumeRole, MemberStatus: 201, By: Actor.TrustedAccount),
        // The member's root token as the subject: the master cannot inspect it; the member can.
        new("GET", "/v3/auth/tokens", 401),
    ];

    public static IEnumerable<object[]> CaseKeys() => Cases.Select(c => new object[] { c.Method + " " + c.Template });

    async Task<Things> FreshThingsAsync()
    {
        var token = w.Member.Token;
        var userName = TestApi.Unique("xuser");
        var user = (await (await w.SendAsync(HttpMethod.Post, "/v3/users", token, new { user = new { name = userName, password = UserPassword } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
        var group = (await (await w.SendAsync(HttpMethod.Post, "/v3/groups", token, new { group = new { name = TestApi.Unique("xgroup") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await w.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{user}", token)).StatusCode);
        var policy = (await (await w.SendAsync(HttpMethod.Post, "/v3.0/OS-ROLE/roles", token, new
        {
            role = new { display_name = TestApi.Unique("xpolicy"), type = "AX", policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:listUsers" } } } } },
        })).JsonAsync())["role"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await w.SendAsync(HttpMethod.Put, $"/v3/domains/{w.Member.Id}/groups/{group}/roles/{policy}", token)).StatusCode);
        var agencyName = TestApi.Unique("xagency");
        var agency = (await (await w.SendAsync(HttpMethod.Post, "/v3.0/OS-AGENCY/agencies", token, new { agency = new { name = agencyName, domain_id = w.Member.Id, trust_domain_id = w.Trusted.Id } })).JsonAsync())["agency"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await w.SendAsync(HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{w.Member.Id}/agencies/{agency}/roles/{policy}", token)).StatusCode);
        var key = (await (await w.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials", token, new { credential = new { user_id = user } })).JsonAsync())["credential"]!["access"]!.GetValue<string>();
        var project = (await (await w.SendAsync(HttpMethod.Get, "/v3/projects", token)).JsonAsync())["projects"]![0]!["id"]!.GetValue<string>();
        return new Things(user, userName, group, policy, agency, agencyName, project, key);
    }

    string Fill(string template, Things t) => template
        .Replace("{user_id}", t.User).Replace("{group_id}", t.Group).Replace("{role_id}", t.Policy).Replace("{agency_id}", t.Agency)
        .Replace("{project_id}", t.Project).Replace("{domain_id}", w.Member.Id).Replace("{access_key}", t.Key);

    /// <summary>Everything of the member's IAM the case could touch, as the member reads it.</summary>
    async Task<string> SnapshotAsync(Things t)
    {
        var token = w.Member.Token;
        var reads = new List<(HttpMethod, string)>
        {
            (HttpMethod.Get, "/v3/users"), (HttpMethod.Get, $"/v3.0/OS-USER/users/{t.User}"), (HttpMethod.Get, "/v3/groups"),
            (HttpMethod.Head, $"/v3/groups/{t.Group}/users/{t.User}"), (HttpMethod.Get, $"/v3/domains/{w.Member.Id}/groups/{t.Group}/roles"),
            (HttpMethod.Get, "/v3.0/OS-ROLE/roles"), (HttpMethod.Get, $"/v3.0/OS-ROLE/roles/{t.Policy}"), (HttpMethod.Get, "/v3.0/OS-AGENCY/agencies?domain_id=" + w.Member.Id),
            (HttpMethod.Get, $"/v3.0/OS-AGENCY/domains/{w.Member.Id}/agencies/{t.Agency}/roles"), (HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials?user_id={t.User}"),
            (HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{w.Member.AccessKey}"),
            (HttpMethod.Get, $"/v3.0/OS-SECURITYPOLICY/domains/{w.Member.Id}/password-policy"), (HttpMethod.Get, $"/v3.0/OS-SECURITYPOLICY/domains/{w.Member.Id}/login-policy"),
        };
        var text = new StringBuilder();
        foreach (var (method, path) in reads)
        {
            var response = await w.SendAsync(method, path, token);
            text.Append(method).Append(' ').Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
        }
        return text.ToString();
    }

    HttpRequestMessage Request(Case c, Things t, string? token, out byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(w.BaseAddress, Fill(c.Template, t) + (c.Query is null ? "" : Fill(c.Query, t))));
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        if (c.Template == "/v3/auth/tokens" && c.Method == "GET") request.Headers.Add("X-Subject-Token", w.Member.Token);
        body = c.Body?.Invoke(w, t) is { } b ? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(b)) : [];
        if (body.Length > 0) request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        return request;
    }

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public async Task The_master_does_nothing_to_a_members_iam_and_the_member_does_it_itself(string key)
    {
        var c = Cases.Single(x => x.Method + " " + x.Template == key);
        var t = await FreshThingsAsync();
        var secrets = new[] { w.Member.Id, w.Member.Name, w.Member.Token, w.Member.AccessKey, w.Member.OwnerUserId, t.User, t.UserName, t.Group, t.Policy, t.Agency, t.AgencyName, t.Project, t.Key };
        var before = await SnapshotAsync(t);

        // The master's token, then the master's AK/SK signature, on the same request.
        foreach (var signed in new[] { false, true })
        {
            var request = Request(c, t, signed ? null : w.Master.Token, out var body);
            if (signed) TestSigner.Sign(request, w.Master.AccessKey, w.Master.SecretKey, DateTimeOffset.UtcNow, body: body);
            var response = await w.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var how = signed ? "AK/SK" : "token";
            if (c.MasterStatus is { } status) Assert.True((int)response.StatusCode == status, $"{key} ({how}): expected {status}, got {(int)response.StatusCode} {text}");
            else Assert.True(response.IsSuccessStatusCode, $"{key} ({how}): expected an answer about the master's own account, got {(int)response.StatusCode} {text}");
            foreach (var secret in secrets) Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{key} ({how}) answered something of the member's: {text}");
            Assert.False(response.Headers.Contains("X-Subject-Token") && c.MasterStatus is not null, "no token may be issued into the member");
        }
        Assert.Equal(before, await SnapshotAsync(t));

        // The member's side succeeds on the very same request.
        var actorToken = c.By switch
        {
            Actor.MemberUser => (await w.PasswordTokenAsync(w.Member.Name, t.UserName, UserPassword)).Token,
            Actor.TrustedAccount => w.Trusted.Token,
            _ => w.Member.Token,
        };
        var own = await w.Http.SendAsync(Request(c, t, actorToken, out _));
        var ownText = await own.Content.ReadAsStringAsync();
        var expected = c.MemberStatus ?? 200;
        Assert.True((int)own.StatusCode == expected, $"{key} by {c.By}: expected {expected}, got {(int)own.StatusCode} {ownText}");
    }

    [Fact]
    public void Every_iam_operation_of_the_route_table_has_a_boundary_case()
    {
        var covered = Cases.Select(c => c.Method + " " + c.Template).ToHashSet();
        var routes = new HashSet<string>();
        foreach (var endpoint in w.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Any(tag => tag.StartsWith("IAM", StringComparison.Ordinal)) != true) continue;
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]) routes.Add(method + " " + pattern);
        }
        Assert.NotEmpty(routes);
        var problems = routes.Except(covered).Select(r => $"{r}: no enterprise boundary case")
            .Concat(covered.Except(routes).Select(c => $"{c}: a case for an IAM operation that does not exist")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

/// <summary>
/// Masters and members written straight into the foundation's tables (the organization's own services come with the
/// Enterprise Center organization part): a master with its root unit, and its members in the root unit, status normal.
/// A finance-custody member grants the fixed custody permissions; another grants what it is given.
/// </summary>
public static class EnterpriseRows
{
    public static async Task AddAsync(IServiceProvider services, string masterId, params (string Id, bool custody)[] members) =>
        await AddAsync(services, masterId, members.Select(m => (m.Id, m.custody, m.custody ? EnterpriseCodes.CustodyPermissions : Array.Empty<string>())).ToArray());

    public static async Task AddAsync(IServiceProvider services, string masterId, params (string Id, bool Custody, string[] Permissions)[] members)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
        var now = DateTime.UtcNow;
        var root = await db.EnterpriseMasters.FindAsync(masterId);
        if (root is null)
        {
            var unit = new EnterpriseUnit { Id = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), MasterAccountId = masterId, Name = "root", CreatedAt = now };
            db.EnterpriseUnits.Add(unit);
            db.EnterpriseMasters.Add(root = new EnterpriseMaster { AccountId = masterId, RootUnitId = unit.Id, EnabledAt = now });
        }
        foreach (var (id, custody, permissions) in members)
            db.EnterpriseMembers.Add(new EnterpriseMember
            {
                MemberAccountId = id, MasterAccountId = masterId, UnitId = root.RootUnitId, Status = EnterpriseCodes.Normal, Origin = MemberOrigin.Created,
                FinancialCustody = custody, Permissions = string.Join(' ', permissions), JoinedAt = now,
            });
        await db.SaveChangesAsync();
    }
}
