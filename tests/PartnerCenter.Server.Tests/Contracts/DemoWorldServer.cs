using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>One account of the demo world as demo-credentials.json lists it.</summary>
public sealed record DemoLogin(string Role, string DomainName, string DomainId, string Password, string AccessKey, string SecretKey, string? PartnerId, string? Partner);

/// <summary>
/// A server started with --demo, as the SDK check starts one: the contract tests call every operation against the demo
/// world, signed with the demo accounts' keys the way the official SDKs sign. Shared by every contract test class.
/// </summary>
public sealed class DemoWorldServer : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("demo", "true")];

    IReadOnlyList<DemoLogin>? logins;

    public IReadOnlyList<DemoLogin> Logins => logins ??= JsonNode.Parse(File.ReadAllText(Path.Combine(DataDir, "demo-credentials.json")))!["accounts"]!.AsArray()
        .Select(a => new DemoLogin(Text(a, "role")!, Text(a, "domain_name")!, Text(a, "domain_id")!, Text(a, "password")!, Text(a, "access_key")!,
            Text(a, "secret_key")!, Text(a, "partner_id"), Text(a, "partner")))
        .ToList();

    /// <summary>The demo account with this domain name (e.g. demo-csp, demo-csp-customer1, operator).</summary>
    public DemoLogin Login(string domainName) => Logins.Single(a => a.DomainName == domainName);

    /// <summary>A request signed with the account's access key, as the SDK sends it (X-Domain-Id left out).</summary>
    public Task<HttpResponseMessage> SignedAsync(DemoLogin who, HttpMethod method, string pathAndQuery, object? body = null) =>
        this.SignedAsync(method, pathAndQuery, who.AccessKey, who.SecretKey, body);

    /// <summary>A token of the account's owner user, for operations the SDK calls with X-Auth-Token.</summary>
    public async Task<string> TokenAsync(DemoLogin who) => (await this.PasswordTokenAsync(who.DomainName, who.DomainName, who.Password)).Token;

    static string? Text(JsonNode? a, string field) => a?[field]?.GetValue<string>();
}

/// <summary>The contract test classes share one demo server.</summary>
[CollectionDefinition(Name)]
public sealed class SdkContractCollection : ICollectionFixture<DemoWorldServer>
{
    public const string Name = "SDK contracts";
}
