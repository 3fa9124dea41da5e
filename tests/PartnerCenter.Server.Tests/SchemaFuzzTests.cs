using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;
using PartnerCenter.Server.Tests.Contracts;
using PartnerCenter.Server.Tests.Support;
using Xunit.Abstractions;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// A schema-driven fuzz of every operation in the OpenAPI document, as the demo world's operator, a partner and a
/// customer: wrong JSON kinds, nulls, null elements, missing fields, huge, negative and over-precise numbers, invalid
/// UTF-8, odd and foreign ids. It fails on any 5xx, on a .NET type name or stack frame in a body, and on any change to
/// the data after a refused request. Seeded and bounded: PC_FUZZ_SEED and PC_FUZZ_SECONDS (default 60) replay or
/// lengthen a run; a failure prints the seed and the request.
/// </summary>
public sealed class SchemaFuzzTests(SchemaFuzzTests.FuzzServer s, ITestOutputHelper output) : IClassFixture<SchemaFuzzTests.FuzzServer>
{
    /// <summary>A demo world of its own: the fuzz must not disturb the contract tests' demo.</summary>
    public sealed class FuzzServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("demo", "true")];
    }

    // Moving the sandbox clock by a fuzzed amount would run years of jobs: that operation is tested on its own.
    static readonly HashSet<string> Skipped = ["POST /v1/sandbox/clock/advance"];

    static readonly string[] Leaks = ["PartnerCenter.", "System.", "Microsoft.", "   at ", "Exception", "NullReference"];

    sealed record Login(string Role, string AccessKey, string SecretKey, string DomainId);

    [Fact]
    public async Task No_operation_answers_a_malformed_request_with_a_5xx_a_dotnet_name_or_a_write()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PC_FUZZ_SEED"), out var given) ? given : 20261206;
        var budget = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("PC_FUZZ_SECONDS"), out var secs) ? secs : 60);
        var random = new Random(seed);
        var doc = JsonNode.Parse(await (await s.Http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var logins = Logins();
        var foreignIds = logins.Select(l => l.DomainId).ToArray();
        var operations = (from path in doc["paths"]!.AsObject()
                          from op in path.Value!.AsObject()
                          let key = op.Key.ToUpperInvariant() + " " + path.Key
                          where !Skipped.Contains(key)
                          select (Method: op.Key.ToUpperInvariant(), Path: path.Key, Operation: op.Value!)).ToList();

        var started = DateTime.UtcNow;
        var sent = 0;
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var round = 0; DateTime.UtcNow - started < budget && failures.Count < 10; round++)
            foreach (var (method, path, operation) in operations)
            {
                if (DateTime.UtcNow - started >= budget || failures.Count >= 10) break;
                var login = logins[random.Next(logins.Count)];
                var mutation = random.Next(Mutations);
                var target = FillPath(path, random, foreignIds) + Query(operation, random, mutation);
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema
                    ? Body(schema, schemas, random, mutation)
                    : null;
                var before = await FingerprintAsync();
                var request = new HttpRequestMessage(new HttpMethod(method), new Uri(s.BaseAddress, target));
                if (body is not null) request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
                TestSigner.Sign(request, login.AccessKey, login.SecretKey, DateTimeOffset.UtcNow, body: body ?? []);
                var response = await s.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                sent++;
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var what = $"seed {seed}, round {round}: {method} {target} as {login.Role}, body {Shorten(body)} -> {status} {Shorten(text)}";
                if (status >= 500) failures.Add("5xx: " + what);
                else if (status >= 400 && Leaks.FirstOrDefault(text.Contains) is { } leak) failures.Add($"names '{leak}': " + what);
                else if (status >= 400 && await FingerprintAsync() != before) failures.Add("a refused request changed data: " + what);
            }
        output.WriteLine($"seed {seed}: {sent} requests over {operations.Count} operations in {(DateTime.UtcNow - started).TotalSeconds:0} s; "
                         + string.Join(", ", statuses.Select(x => $"{x.Value}× {x.Key}")));
        Assert.True(failures.Count == 0, $"Replay with PC_FUZZ_SEED={seed}:\n" + string.Join("\n", failures));
    }

    List<Login> Logins()
    {
        var accounts = JsonNode.Parse(File.ReadAllText(Path.Combine(s.DataDir, "demo-credentials.json")))!["accounts"]!.AsArray();
        return accounts.Where(a => a!["role"]!.GetValue<string>() is "operator" or "csp" or "customer" or "distributor")
            .Select(a => new Login(a!["role"]!.GetValue<string>(), a["access_key"]!.GetValue<string>(), a["secret_key"]!.GetValue<string>(), a["domain_id"]!.GetValue<string>()))
            .ToList();
    }

    /// <summary>What a refused request must not change: the rows of every table that holds business, and the money in them.</summary>
    async Task<string> FingerprintAsync()
    {
        using var scope = s.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var counts = new long[]
        {
            await db.Accounts.CountAsync(), await db.Users.CountAsync(), await db.Groups.CountAsync(), await db.GroupMembers.CountAsync(),
            await db.Roles.CountAsync(), await db.GroupRoles.CountAsync(), await db.AccessKeys.CountAsync(), await db.Agencies.CountAsync(),
            await db.AgencyRoles.CountAsync(), await db.Partners.CountAsync(), await db.PartnerApplications.CountAsync(),
            await db.CustomerAssociations.CountAsync(), await db.CustomerBudgets.CountAsync(), await db.BudgetRecords.CountAsync(),
            await db.FreezeRecords.CountAsync(), await db.AssociationInvitations.CountAsync(), await db.CustomerAuthorizations.CountAsync(),
            await db.JournalEntries.CountAsync(), await db.Postings.CountAsync(), await db.TopUps.CountAsync(), await db.Orders.CountAsync(),
            await db.CloudResources.CountAsync(), await db.RenewConfigs.CountAsync(), await db.UsageRecords.CountAsync(),
            await db.FreeResourcePackages.CountAsync(), await db.CustomerDiscounts.CountAsync(), await db.SettlementDiscounts.CountAsync(),
            await db.SpecPrices.CountAsync(), await db.IdempotencyKeys.CountAsync(), await db.SecurityPolicies.CountAsync(),
        };
        var money = await db.LedgerAccounts.SumAsync(a => a.Balance);
        var budgets = await db.CustomerBudgets.SumAsync(b => b.BudgetAmount);
        return string.Join(",", counts) + "|" + money + "|" + budgets;
    }

    const int Mutations = 12;

    static string FillPath(string template, Random random, string[] foreignIds) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", _ => random.Next(6) switch
        {
            0 => foreignIds[random.Next(foreignIds.Length)],
            1 => "0",
            2 => "-1",
            3 => new string('a', 300),
            4 => "%C0%AF",
            _ => "x" + random.Next(1000),
        });

    static string Query(JsonNode operation, Random random, int mutation)
    {
        var names = operation["parameters"]?.AsArray().Where(p => p!["in"]?.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
        if (names.Count == 0) return "";
        var picked = names.Where(_ => random.Next(2) == 0).ToList();
        string Odd() => (mutation % 7) switch
        {
            0 => "abc",
            1 => "-1",
            2 => "99999999999999999999",
            3 => "",
            4 => "%FF",
            5 => "1e400",
            _ => "0.000000001",
        };
        return picked.Count == 0 ? "" : "?" + string.Join("&", picked.Select(n => n + "=" + Odd()));
    }

    /// <summary>A body shaped like the schema, then broken in one way the mutation picks.</summary>
    static byte[] Body(JsonNode schema, JsonObject? schemas, Random random, int mutation)
    {
        var valid = Sample(schema, schemas, random, 0);
        JsonNode? broken = mutation switch
        {
            0 => new JsonObject(),
            1 => new JsonArray(),
            2 => JsonValue.Create("not an object"),
            3 => Break(valid, random, JsonValue.Create("x")),
            4 => Break(valid, random, null),
            5 => Break(valid, random, new JsonArray((JsonNode?)null)),
            6 => Break(valid, random, JsonValue.Create(1e300)),
            7 => Break(valid, random, JsonValue.Create(-1)),
            8 => Break(valid, random, JsonValue.Create(0.123456789123m)),
            9 => Break(valid, random, new JsonObject { ["nested"] = new JsonObject() }),
            10 => valid,
            _ => null,
        };
        if (mutation == 11) return Encoding.UTF8.GetBytes("{\"name\":\"").Concat(new byte[] { 0xC0, 0xAF }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        var text = broken?.ToJsonString() ?? "null";
        if (mutation == 10) text = text.Replace("12345", "9223372036854775808"); // a number past every integer type
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Replaces one field somewhere in the body (or adds one) with the given value.</summary>
    static JsonNode Break(JsonNode? valid, Random random, JsonNode? value)
    {
        if (valid is not JsonObject root) return value ?? JsonValue.Create(0)!;
        var objects = new List<JsonObject>();
        void Collect(JsonNode? n)
        {
            if (n is JsonObject o) { objects.Add(o); foreach (var (_, v) in o) Collect(v); }
            else if (n is JsonArray a) foreach (var v in a) Collect(v);
        }
        Collect(root);
        var target = objects[random.Next(objects.Count)];
        var keys = target.Select(p => p.Key).ToList();
        var key = keys.Count == 0 ? "unexpected" : keys[random.Next(keys.Count)];
        target[key] = value?.DeepClone();
        return root;
    }

    /// <summary>A value of the schema's shape: objects with every property, one-element arrays, plausible scalars.</summary>
    static JsonNode? Sample(JsonNode schema, JsonObject? schemas, Random random, int depth)
    {
        if (depth > 6) return null;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return schemas?[reference[(reference.LastIndexOf('/') + 1)..]] is { } target ? Sample(target, schemas, random, depth + 1) : null;
        if ((schema["anyOf"] ?? schema["oneOf"])?.AsArray().FirstOrDefault(o => o?["type"]?.ToJsonString() != "\"null\"") is { } option)
            return Sample(option, schemas, random, depth + 1);
        var type = schema["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue one => one.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : null,
        };
        switch (type)
        {
            case "object":
                var o = new JsonObject();
                foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
                    if (property is not null) o[name] = Sample(property, schemas, random, depth + 1);
                return o;
            case "array":
                return schema["items"] is { } items ? new JsonArray(Sample(items, schemas, random, depth + 1)) : new JsonArray();
            case "integer": return JsonValue.Create(random.Next(2) == 0 ? 1 : 12345);
            case "number": return JsonValue.Create(10.5m);
            case "boolean": return JsonValue.Create(true);
            case "string": return JsonValue.Create(random.Next(3) == 0 ? "" : "fuzz-" + random.Next(100));
            default: return JsonValue.Create("x");
        }
    }

    static string Shorten(byte[]? body) => body is null ? "(none)" : Shorten(Encoding.UTF8.GetString(body));
    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
