using System.Text.Json;
using System.Text.Json.Nodes;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>Names the SDK operation whose contract a test proves; a coverage test requires one for every operation in the tables.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SdkContractAttribute(string operation) : Attribute
{
    public string Operation { get; } = operation;
}

/// <summary>
/// Checks answers of one operation against its contract table. Every answer: each field it sends is one the SDK's model
/// has, with the model's JSON kind, and none is null. Across the answers a test collects: every model field has been
/// answered at least once (array elements through a non-empty array), except lines marked "not answered".
/// </summary>
public sealed class SdkContract(ContractOperation operation)
{
    readonly HashSet<string> answered = [];

    public static SdkContract Of(string name) => new(ContractTable.Get(name));

    public ContractOperation Operation => operation;

    /// <summary>Asserts a 2xx answer whose body keeps to the model; returns the body (null when empty).</summary>
    public async Task<JsonNode?> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation.Name}: {(int)response.StatusCode} {text}");
        if (operation.BodyNotParsed || text.Length == 0) return text.Length == 0 ? null : JsonNode.Parse(text);
        var body = JsonNode.Parse(text) ?? throw new Xunit.Sdk.XunitException($"{operation.Name}: the body is null");
        var problems = new List<string>();
        Walk(body, "", problems);
        Assert.True(problems.Count == 0, $"{operation.Name} answered outside its SDK model:\n  {string.Join("\n  ", problems)}\nbody: {Shorten(text)}");
        return body;
    }

    /// <summary>Asserts every model field was answered by some answer checked so far.</summary>
    public void AssertCovered()
    {
        var missing = operation.Response
            .Where(f => f.NotAnswered is null && !answered.Contains(f.Path) && !UnderNotAnswered(f.Path))
            .Select(f => $"{f.Path} {f.Kind}").Distinct().ToList();
        Assert.True(missing.Count == 0, $"{operation.Name} never answered these fields of its SDK model:\n  {string.Join("\n  ", missing)}");
    }

    /// <summary>A 2xx answer that keeps to the model and, alone, answers every field of it.</summary>
    public async Task<JsonNode?> AnswerFullyAsync(HttpResponseMessage response)
    {
        var body = await AnswerAsync(response);
        AssertCovered();
        return body;
    }

    bool UnderNotAnswered(string path) => operation.Response.Any(f => f.NotAnswered is not null && (path.StartsWith(f.Path + ".") || path.StartsWith(f.Path + "[]") || path.StartsWith(f.Path + "{}")));

    void Walk(JsonNode node, string at, List<string> problems)
    {
        if (node is not JsonObject obj)
        {
            problems.Add($"{(at == "" ? "the body" : at)} is {Kind(node)}, not an object");
            return;
        }
        foreach (var (name, value) in obj)
        {
            var path = at == "" ? name : at + "." + name;
            if (value is null)
            {
                problems.Add($"{path} is null (the SDK reads null: answer a value or leave the field out)");
                continue;
            }
            if (value is JsonArray array && operation.ResponseByPath.TryGetValue(path + "[]", out var element))
            {
                answered.Add(path + "[]");
                foreach (var item in array) Value(item, path + "[]", element, problems);
            }
            else if (value is JsonObject map && operation.ResponseByPath.TryGetValue(path + "{}", out var entry))
            {
                answered.Add(path + "{}");
                foreach (var (_, item) in map) Value(item, path + "{}", entry, problems);
            }
            else if (operation.ResponseByPath.TryGetValue(path, out var field))
                Value(value, path, field, problems);
            else
                problems.Add($"{path} ({Kind(value)}) is not a field of the SDK model");
        }
    }

    void Value(JsonNode? value, string path, ContractField field, List<string> problems)
    {
        if (value is null)
        {
            problems.Add($"{path} holds a null");
            return;
        }
        answered.Add(path);
        if (!Fits(value, field.Kind)) problems.Add($"{path} is {Kind(value)} ({Shorten(value.ToJsonString())}); the model reads {field.Kind}");
        else if (field.Kind == "object") Walk(value, path, problems);
        else if (value is JsonObject map && operation.ResponseByPath.TryGetValue(path + "{}", out var entry))
            foreach (var (_, item) in map) Value(item, path + "{}", entry, problems); // a map of maps or of arrays
        else if (value is JsonArray array && operation.ResponseByPath.TryGetValue(path + "[]", out var element))
            foreach (var item in array) Value(item, path + "[]", element, problems); // a map's array values
    }

    static bool Fits(JsonNode value, string kind)
    {
        var json = value.GetValueKind();
        return kind switch
        {
            "any" => true,
            "object" or "map" => json == JsonValueKind.Object,
            "array" => json == JsonValueKind.Array,
            "string" => json == JsonValueKind.String,
            "boolean" => json is JsonValueKind.True or JsonValueKind.False,
            "integer" => json == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out _),
            "integer(long)" => json == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _),
            "number(decimal)" or "number(double)" => json == JsonValueKind.Number,
            _ => throw new InvalidOperationException($"Unknown kind in the contract table: {kind}"),
        };
    }

    static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
