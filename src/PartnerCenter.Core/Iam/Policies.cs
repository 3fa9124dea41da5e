using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Iam;

public enum Decision { ImplicitDeny, Allow, ExplicitDeny }

/// <summary>One statement of an IAM policy document.</summary>
public sealed record PolicyStatement(bool IsAllow, IReadOnlyList<string> Actions, IReadOnlyList<string> NotActions, bool HasCondition);

/// <summary>
/// An IAM policy document: <c>{"Version": "1.1", "Statement": [{"Effect", "Action" | "NotAction", "Resource"?, "Condition"?}]}</c>.
/// Decisions are made per action for the whole account: Resource narrows nothing yet, and a statement with a Condition
/// is never taken to allow (but is taken to deny), so an unsupported condition can only make a policy stricter.
/// </summary>
public sealed partial record PolicyDocument(string Version, IReadOnlyList<PolicyStatement> Statements)
{
    [GeneratedRegex(@"^[A-Za-z0-9*?]+:[A-Za-z0-9*?]+:[A-Za-z0-9*?]+$")]
    private static partial Regex ActionShape();

    /// <summary>Parses and validates a document; the error says what is wrong.</summary>
    public static PolicyDocument Parse(JsonNode? node)
    {
        if (node is not JsonObject obj) throw Invalid("policy must be a JSON object");
        var version = obj["Version"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid("policy.Version is required");
        if (version is not ("1.0" or "1.1")) throw Invalid("policy.Version must be \"1.0\" or \"1.1\"");
        if (obj["Statement"] is not JsonArray array || array.Count == 0) throw Invalid("policy.Statement must be a non-empty array");
        if (array.Count > 8) throw Invalid("policy.Statement holds at most 8 statements");
        var statements = new List<PolicyStatement>();
        foreach (var item in array)
        {
            if (item is not JsonObject st) throw Invalid("each statement must be an object");
            var effect = st["Effect"] is JsonValue ev && ev.TryGetValue<string>(out var e) ? e : null;
            if (effect is not ("Allow" or "Deny")) throw Invalid("Statement.Effect must be \"Allow\" or \"Deny\"");
            var actions = Strings(st["Action"], "Action");
            var notActions = Strings(st["NotAction"], "NotAction");
            if (actions.Count == 0 == (notActions.Count == 0)) throw Invalid("a statement needs exactly one of Action or NotAction, non-empty");
            foreach (var a in actions.Concat(notActions))
                if (!ActionShape().IsMatch(a)) throw Invalid($"action \"{a}\" is not of the form service:resource:operation");
            if (st["Condition"] is not (null or JsonObject)) throw Invalid("Statement.Condition must be an object");
            if (st["Resource"] is not (null or JsonArray)) throw Invalid("Statement.Resource must be an array");
            statements.Add(new PolicyStatement(effect == "Allow", actions, notActions, st["Condition"] is JsonObject c && c.Count > 0));
        }
        return new PolicyDocument(version, statements);
    }

    public static PolicyDocument Parse(string json) => Parse(JsonNode.Parse(json));

    /// <summary>
    /// A parsed document as stored: IAM's element names (Version, Statement, Effect, Action, NotAction, Resource,
    /// Condition) whatever their case in the request, which the JSON binder reads case-insensitively.
    /// </summary>
    public static string Canonical(JsonNode policy)
    {
        static JsonNode? Get(JsonObject o, string name) => o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        var document = policy.AsObject();
        var statements = Get(document, "Statement")!.AsArray().OfType<JsonObject>().Select(statement =>
        {
            var canonical = new JsonObject();
            foreach (var name in new[] { "Effect", "Action", "NotAction", "Resource", "Condition" })
                if (Get(statement, name) is { } value) canonical[name] = value.DeepClone();
            return (JsonNode)canonical;
        });
        return new JsonObject { ["Version"] = Get(document, "Version")!.DeepClone(), ["Statement"] = new JsonArray(statements.ToArray()) }.ToJsonString();
    }

    static List<string> Strings(JsonNode? node, string field) => node switch
    {
        null => [],
        JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String) => a.Select(x => x!.GetValue<string>()).ToList(),
        _ => throw Invalid($"Statement.{field} must be an array of strings"),
    };

    static ServiceException Invalid(string why) => new(Errors.InvalidParameter("Invalid policy: " + why + "."));

    /// <summary>This document's say on an action.</summary>
    public Decision Evaluate(string action)
    {
        var decision = Decision.ImplicitDeny;
        foreach (var st in Statements)
        {
            var matches = st.Actions.Count > 0
                ? st.Actions.Any(p => Matches(p, action))
                : !st.NotActions.Any(p => Matches(p, action));
            if (!matches) continue;
            if (!st.IsAllow) return Decision.ExplicitDeny;
            if (!st.HasCondition) decision = Decision.Allow;
        }
        return decision;
    }

    /// <summary>Explicit deny in any document wins over any allow; no allow means deny.</summary>
    public static Decision Combine(IEnumerable<PolicyDocument> documents, string action)
    {
        var result = Decision.ImplicitDeny;
        foreach (var d in documents)
        {
            var one = d.Evaluate(action);
            if (one == Decision.ExplicitDeny) return one;
            if (one == Decision.Allow) result = one;
        }
        return result;
    }

    /// <summary>Case-insensitive glob: <c>*</c> any run of characters, <c>?</c> any one character.</summary>
    public static bool Matches(string pattern, string action)
    {
        int p = 0, a = 0, star = -1, mark = 0;
        while (a < action.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(action[a]))) { p++; a++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = a; }
            else if (star >= 0) { p = star + 1; a = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
