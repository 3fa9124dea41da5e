using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core;
using PartnerCenter.Core.Data;
using PartnerCenter.Tests.Support;

namespace PartnerCenter.Server.Tests.Support;

/// <summary>A real server on a loopback port (Kestrel, real HTTP) over a fresh database of the run's provider.</summary>
public class ServerFixture : IAsyncLifetime, ITestServer
{
    public const string OperatorPassword = "Operator#Pass1";
    TestDatabase database = null!;
    string dataDir = null!;
    public string DataDir => dataDir;
    Factory factory = null!;
    public HttpClient Http { get; private set; } = null!;
    public Uri BaseAddress => Http.BaseAddress!;
    public IServiceProvider Services => factory.Services;

    /// <summary>Extra server settings a fixture subclass needs (e.g. a low rate limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>Extra services a fixture subclass adds to the server (e.g. a job to observe).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>Starts one more server instance over the same database and data dir, as a second node of a cluster.</summary>
    public async Task<IAsyncDisposable> StartSecondInstanceAsync()
    {
        var second = new Factory(settings, ConfigureServices);
        second.UseKestrel(0);
        second.StartServer();
        await Task.CompletedTask;
        return second;
    }

    Dictionary<string, string> settings = null!;

    public virtual async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        dataDir = Directory.CreateTempSubdirectory("pc-server-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["data-dir"] = dataDir,
            ["database"] = database.Settings.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["connection-string"] = database.Settings.ConnectionString,
            ["operator-password"] = OperatorPassword,
            ["jobs:background"] = "false",
            ["urls"] = "http://127.0.0.1:0",
            ["rate-limit:permits-per-second"] = "100000",
            ["rate-limit:burst"] = "100000",
            ["auth-brake:burst"] = "100000",
            ["auth-brake:per-second"] = "100000",
        };
        foreach (var (k, v) in Settings) settings[k] = v;
        this.settings = settings;
        factory = new Factory(settings, ConfigureServices);
        factory.UseKestrel(0);
        factory.StartServer();
        Http = factory.CreateClient();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
        await database.DisposeAsync();
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }

    public sealed class Factory(Dictionary<string, string> settings, Action<IServiceCollection> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (k, v) in settings) builder.UseSetting(k, v);
            builder.ConfigureServices(configure);
        }
    }
}

/// <summary>A live server the helpers below talk to over real HTTP: hosted in the test process or run as a child process.</summary>
public interface ITestServer
{
    HttpClient Http { get; }
    Uri BaseAddress { get; }
}

/// <summary>An account created through the API, with a token and an access key of its owner.</summary>
public sealed record TestAccount(string Name, string Id, string Password, string OwnerUserId, string Token, string AccessKey, string SecretKey);

/// <summary>Intent-level helpers over real HTTP.</summary>
public static class TestApi
{
    static int counter;

    public static string Unique(string prefix) => prefix + Interlocked.Increment(ref counter) + Guid.NewGuid().ToString("N")[..6];

    public static async Task<TestAccount> NewAccountAsync(this ITestServer s, string prefix = "acct")
    {
        var name = Unique(prefix);
        const string password = "Account#Pass1";
        var reg = await s.Http.PostAsJsonAsync("/v1/accounts", new { name, password, email = name + "@example.com", type = "enterprise", country = "SG" });
        Assert.Equal(System.Net.HttpStatusCode.Created, reg.StatusCode);
        var id = (await reg.Content.ReadFromJsonAsync<JsonObject>())!["domain_id"]!.GetValue<string>();
        var (token, userId) = await s.PasswordTokenAsync(name, name, password);
        var key = await s.SendAsync(HttpMethod.Post, "/v3.0/OS-CREDENTIAL/credentials", token, new { credential = new { user_id = userId } });
        Assert.Equal(System.Net.HttpStatusCode.Created, key.StatusCode);
        var credential = (await key.Content.ReadFromJsonAsync<JsonObject>())!["credential"]!;
        return new TestAccount(name, id, password, userId, token, credential["access"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
    }

    /// <summary>Enrolls the account in a program: it applies, and the operator (or, for a reseller, the distributor) approves. Returns the partner_id.</summary>
    public static async Task<string> EnrollAsync(this ITestServer s, TestAccount a, string program = "csp", TestAccount? distributor = null, string? distributorPartnerId = null)
    {
        var applied = await s.SendAsync(HttpMethod.Post, "/v1/partner-applications", a.Token, new { program, company_name = a.Name + " Ltd.", distributor_partner_id = distributorPartnerId });
        Assert.Equal(System.Net.HttpStatusCode.Created, applied.StatusCode);
        var id = (await applied.JsonAsync())["application_id"]!.GetValue<string>();
        var decider = distributor?.Token ?? (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/partner-applications/{id}/approve", decider, new { })).StatusCode);
        return (await (await s.SendAsync(HttpMethod.Get, "/v1/partner", a.Token)).JsonAsync())["enrolled"]!["partner_id"]!.GetValue<string>();
    }

    public static async Task<(string Token, string UserId)> PasswordTokenAsync(this ITestServer s, string domain, string user, string password, object? scope = null)
    {
        var response = await s.Http.PostAsJsonAsync("/v3/auth/tokens", new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, password, domain = new { name = domain } } } },
                scope = scope ?? new { domain = new { name = domain } },
            },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.Headers.GetValues("X-Subject-Token").Single(), body!["token"]!["user"]!["id"]!.GetValue<string>());
    }

    /// <summary>A request with X-Auth-Token (or none when token is null) and a JSON body (or raw text when body is a string).</summary>
    public static Task<HttpResponseMessage> SendAsync(this ITestServer s, HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        return s.Http.SendAsync(request);
    }

    /// <summary>A request signed with AK/SK the way the .NET SDK signs it.</summary>
    public static Task<HttpResponseMessage> SignedAsync(this ITestServer s, HttpMethod method, string pathAndQuery, string ak, string sk,
        object? body = null, DateTimeOffset? signedAt = null, string? domainId = null, string? securityToken = null)
    {
        var request = new HttpRequestMessage(method, new Uri(s.BaseAddress, pathAndQuery));
        byte[] bytes = body is null ? [] : Encoding.UTF8.GetBytes(body as string ?? JsonSerializer.Serialize(body));
        if (body is not null) request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } };
        TestSigner.Sign(request, ak, sk, signedAt ?? DateTimeOffset.UtcNow, domainId, bytes, securityToken);
        return s.Http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Asserts the status and that the body is the Huawei error body with the given code (when given).</summary>
    public static async Task<JsonObject> AssertErrorAsync(this HttpResponseMessage response, int status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.False(string.IsNullOrEmpty(body["error_msg"]?.GetValue<string>()));
        if (code is not null) Assert.Equal(code, body["error_code"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("X-Request-Id"));
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return body;
    }
}
