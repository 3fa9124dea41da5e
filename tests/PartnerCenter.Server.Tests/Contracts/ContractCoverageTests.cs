using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Holds the contract by construction: every operation under a Huawei path is in the SDK contract tables and has a
/// contract test, and every query parameter and request field its SDK model sends is one the endpoint reads (its
/// OpenAPI description, generated from the typed request, names it).
/// </summary>
public sealed class ContractCoverageTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static string Shape(string template) => System.Text.RegularExpressions.Regex.Replace("/" + template.Trim('/'), @"\{[^}]+\}", "{}");

    static bool IsHuaweiPath(string pattern) => !pattern.StartsWith("/v1/") && (pattern.StartsWith("/v1.0/") || pattern.StartsWith("/v2/") || pattern.StartsWith("/v3") || pattern.StartsWith("/v4/"));

    IEnumerable<(string Method, string Pattern, string? Name)> HuaweiRoutes() =>
        from endpoint in s.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/')
        where IsHuaweiPath(pattern)
        from method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []
        select (method, pattern, endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);

    [Fact]
    public void Every_operation_under_a_huawei_path_is_in_the_contract_tables_and_every_table_operation_is_served()
    {
        var routes = HuaweiRoutes().ToList();
        var tabled = ContractTable.Operations.Values.Select(o => o.Method + " " + Shape(o.Path)).ToHashSet();
        var served = routes.Select(r => r.Method + " " + Shape(r.Pattern)).ToHashSet();
        var problems = routes.Where(r => !tabled.Contains(r.Method + " " + Shape(r.Pattern))).Select(r => $"{r.Method} {r.Pattern} ({r.Name}): not in the contract tables")
            .Concat(ContractTable.Operations.Values.Where(o => !served.Contains(o.Method + " " + Shape(o.Path))).Select(o => $"{o.Name} {o.Method} {o.Path}: in the tables but not served"))
            .Concat(routes.Where(r => r.Name is not null && ContractTable.Operations.ContainsKey(r.Name) && ContractTable.Operations[r.Name] is var o
                && o.Method + " " + Shape(o.Path) != r.Method + " " + Shape(r.Pattern)).Select(r => $"{r.Name}: served at {r.Method} {r.Pattern}, the SDK calls another path"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_operation_in_the_contract_tables_has_a_contract_test()
    {
        var tested = typeof(ContractCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .SelectMany(m => m.GetCustomAttributes<SdkContractAttribute>()).Select(a => a.Operation).ToHashSet();
        var untested = ContractTable.Operations.Keys.Where(k => !tested.Contains(k)).Order().ToList();
        Assert.True(untested.Count == 0, "No contract test for: " + string.Join(", ", untested));
        var unknown = tested.Where(t => !ContractTable.Operations.ContainsKey(t)).ToList();
        Assert.True(unknown.Count == 0, "Contract tests name operations the tables lack: " + string.Join(", ", unknown));
    }

    [Fact]
    public async Task Every_query_parameter_and_request_field_the_sdk_sends_is_read_by_the_endpoint()
    {
        var doc = JsonNode.Parse(await (await s.Http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var byShape = new Dictionary<string, JsonNode>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                if (operation is JsonObject) byShape[method.ToUpperInvariant() + " " + Shape(path)] = operation;

        var problems = new List<string>();
        foreach (var op in ContractTable.Operations.Values)
        {
            if (!byShape.TryGetValue(op.Method + " " + Shape(op.Path), out var described)) continue; // the routing test reports it
            var parameters = described["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
            problems.AddRange(op.Query.Where(q => !parameters.Contains(q.Path.TrimEnd('[', ']'))).Select(q => $"{op.Name}: query parameter {q.Path} is not read"));

            if (op.Request.Count == 0) continue;
            var body = described["requestBody"]?["content"]?["application/json"]?["schema"];
            var fields = new HashSet<string>();
            if (body is not null) Collect(body, "", schemas, fields, 0);
            problems.AddRange(op.Request.Where(f => !fields.Contains(f.Path) && !UnderFreeForm(f.Path, fields)).Select(f => $"{op.Name}: request field {f.Path} is not read"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_operation_declares_a_typed_response_with_exactly_its_models_fields_and_kinds()
    {
        var doc = JsonNode.Parse(await (await s.Http.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var schemas = doc["components"]?["schemas"]?.AsObject();
        var byShape = new Dictionary<string, JsonNode>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                if (operation is JsonObject) byShape[method.ToUpperInvariant() + " " + Shape(path)] = operation;

        var problems = new List<string>();
        foreach (var op in ContractTable.Operations.Values.Where(o => !o.BodyNotParsed && o.Response.Count > 0))
        {
            if (!byShape.TryGetValue(op.Method + " " + Shape(op.Path), out var described)) continue; // the routing test reports it
            var schema = described["responses"]?.AsObject().Where(r => r.Key.StartsWith('2')).Select(r => r.Value?["content"]?["application/json"]?["schema"]).FirstOrDefault(x => x is not null);
            if (schema is null)
            {
                problems.Add($"{op.Name}: no typed JSON response in the OpenAPI document");
                continue;
            }
            // A route serving several SDK operations (POST /v3/auth/tokens) answers one of several types: one must fit.
            var alternatives = schema["oneOf"]?.AsArray().Where(o => o is not null && o["type"]?.ToString() != "null").Select(o => o!).ToList() is { Count: > 1 } many
                ? many : [schema];
            problems.AddRange(alternatives.Select(a => ResponseProblems(op, a, schemas)).MinBy(p => p.Count)!);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static List<string> ResponseProblems(ContractOperation op, JsonNode schema, JsonObject? schemas)
    {
        var problems = new List<string>();
        var kinds = new Dictionary<string, string>();
        CollectKinds(schema, "", schemas, kinds, 0);
        foreach (var field in op.Response.GroupBy(f => f.Path).Select(g => g.First()))
        {
            if (!kinds.TryGetValue(field.Path, out var kind))
            {
                if (field.NotAnswered is null && !kinds.Keys.Any(k => k.EndsWith(" *") && field.Path.StartsWith(k[..^2])))
                    problems.Add($"{op.Name}: {field.Path} ({field.Kind}) is not in the response type");
                continue;
            }
            if (!KindMatches(field.Kind, kind)) problems.Add($"{op.Name}: {field.Path} is {kind} in the response type; the model reads {field.Kind}");
        }
        var known = op.Response.Select(f => f.Path).ToHashSet(op.PathComparer);
        problems.AddRange(kinds.Keys.Where(k => !k.EndsWith(" *") && !known.Contains(k)).Select(k => $"{op.Name}: the response type has {k}, which the model lacks"));
        return problems;
    }

    static bool KindMatches(string model, string openApi) => model switch
    {
        "any" => true,
        "string" => openApi == "string",
        "integer" => openApi is "integer(int32)" or "integer",
        "integer(long)" => openApi is "integer(int64)" or "integer(int32)" or "integer",
        "number(decimal)" or "number(double)" => openApi.StartsWith("number") || openApi.StartsWith("integer"),
        "boolean" => openApi == "boolean",
        "object" or "map" => openApi == "object",
        "array" => openApi == "array",
        _ => false,
    };

    /// <summary>The field paths of a response schema with their OpenAPI kind: "string", "integer(int64)", "number(double)", "object"…</summary>
    static void CollectKinds(JsonNode schema, string at, JsonObject? schemas, Dictionary<string, string> kinds, int depth)
    {
        if (depth > 16) return;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            if (schemas?[reference[(reference.LastIndexOf('/') + 1)..]] is { } target) CollectKinds(target, at, schemas, kinds, depth + 1);
            return;
        }
        foreach (var option in schema["anyOf"]?.AsArray() ?? schema["oneOf"]?.AsArray() ?? [])
            if (option is not null) CollectKinds(option, at, schemas, kinds, depth + 1);
        if (schema["properties"] is JsonObject properties)
            foreach (var (name, property) in properties)
            {
                if (property is null) continue;
                var path = at == "" ? name : at + "." + name;
                var target = Resolve(property, schemas);
                if (target is JsonObject o && IsFreeForm(o)) { kinds[path] = "object"; kinds[path + " *"] = "any"; continue; }
                var kind = KindOf(target);
                if (kind == "array")
                {
                    var items = target["items"] is { } i ? Resolve(i, schemas) : null;
                    if (items is not null)
                    {
                        kinds[path + "[]"] = KindOf(items);
                        if (KindOf(items) == "object") CollectKinds(items, path + "[]", schemas, kinds, depth + 1);
                    }
                    continue;
                }
                if (kind == "object" && target["additionalProperties"] is { } values && target["properties"] is null)
                {
                    CollectMapValues(values, path + "{}", schemas, kinds, depth + 1);
                    continue;
                }
                kinds[path] = kind;
                if (kind == "object") CollectKinds(target, path, schemas, kinds, depth + 1);
            }
    }

    /// <summary>A map's values at <paramref name="at"/> (<c>a{}</c>): themselves maps (<c>a{}{}</c>), arrays (<c>a{}[]</c>) or objects.</summary>
    static void CollectMapValues(JsonNode values, string at, JsonObject? schemas, Dictionary<string, string> kinds, int depth)
    {
        if (depth > 16) return;
        var value = Resolve(values, schemas);
        var kind = KindOf(value);
        kinds[at] = kind;
        if (kind == "object" && value["additionalProperties"] is { } inner && value["properties"] is null) CollectMapValues(inner, at + "{}", schemas, kinds, depth + 1);
        else if (kind == "array" && value["items"] is { } items)
        {
            var element = Resolve(items, schemas);
            kinds[at + "[]"] = KindOf(element);
            if (KindOf(element) == "object") CollectKinds(element, at + "[]", schemas, kinds, depth + 1);
        }
        else if (kind == "object") CollectKinds(value, at, schemas, kinds, depth + 1);
    }

    static JsonNode Resolve(JsonNode schema, JsonObject? schemas)
    {
        for (var i = 0; i < 8 && schema["$ref"]?.GetValue<string>() is { } reference; i++)
            schema = schemas?[reference[(reference.LastIndexOf('/') + 1)..]] ?? schema;
        var option = (schema["anyOf"] ?? schema["oneOf"])?.AsArray().FirstOrDefault(o => o is not null && KindOf(Resolve(o, schemas)) != "null");
        return option is null ? schema : Resolve(option, schemas);
    }

    static string KindOf(JsonNode schema)
    {
        var type = schema["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
            JsonValue one => one.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : "any",
        };
        return type is "integer" or "number" && schema["format"]?.GetValue<string>() is { } format ? $"{type}({format})" : type;
    }

    /// <summary>A field inside a value the endpoint takes whole as JSON (e.g. a policy document it parses itself).</summary>
    static bool UnderFreeForm(string path, HashSet<string> fields) =>
        fields.Where(f => f.EndsWith(" *")).Any(f => path.StartsWith(f[..^2] + ".") || path.StartsWith(f[..^2] + "[]") || path.StartsWith(f[..^2] + "{}"));

    /// <summary>A schema that says nothing of its shape: the endpoint takes any JSON there.</summary>
    static bool IsFreeForm(JsonObject schema) =>
        new[] { "$ref", "properties", "items", "additionalProperties", "anyOf", "oneOf", "allOf" }.All(k => !schema.ContainsKey(k))
        && (schema["type"] is null || schema["type"]!.ToJsonString() == "\"object\"");

    /// <summary>The field paths of an OpenAPI schema in the tables' notation (a.b, a[], a{}), following $ref.</summary>
    static void Collect(JsonNode schema, string at, JsonObject? schemas, HashSet<string> fields, int depth)
    {
        if (depth > 16) return;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = schemas?[reference[(reference.LastIndexOf('/') + 1)..]];
            if (target is not null) Collect(target, at, schemas, fields, depth + 1);
            return;
        }
        foreach (var variant in new[] { "anyOf", "oneOf", "allOf" })
            foreach (var option in schema[variant]?.AsArray() ?? [])
                if (option is not null) Collect(option, at, schemas, fields, depth + 1);
        if (schema["properties"] is JsonObject properties)
            foreach (var (name, property) in properties)
            {
                var path = at == "" ? name : at + "." + name;
                fields.Add(path);
                if (property is JsonObject free && IsFreeForm(free)) fields.Add(path + " *");
                else if (property is not null) Collect(property, path, schemas, fields, depth + 1);
            }
        if (schema["items"] is { } items)
        {
            fields.Add(at + "[]");
            Collect(items, at + "[]", schemas, fields, depth + 1);
        }
        if (schema["additionalProperties"] is JsonObject values)
        {
            fields.Add(at + "{}");
            Collect(values, at + "{}", schemas, fields, depth + 1);
        }
    }
}
