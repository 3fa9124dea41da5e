using System.Text.RegularExpressions;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>One field of a model: its JSON path (<c>a.b</c> nested, <c>a[]</c> array elements, <c>a{}</c> map values) and kind.</summary>
/// <param name="NotAnswered">Why this server never answers the field (a line ending in "(not answered: why)"), or null.</param>
/// <param name="Recursive">The field holds its parent's own model again (a line ending in "(recursive: Model)"), like a tree's child nodes.</param>
public sealed record ContractField(string Path, string Kind, string? NotAnswered, bool Recursive = false);

/// <summary>An operation of the SDK contract: method, path, the query parameters and request fields it sends, the fields it reads.</summary>
/// <param name="BodyNotParsed">The SDK keeps the raw body of the answer and reads no field of it.</param>
public sealed record ContractOperation(
    string Name, string Method, string Path, IReadOnlyList<ContractField> Query, IReadOnlyList<ContractField> Request,
    IReadOnlyList<ContractField> Response, bool BodyNotParsed)
{
    /// <summary>The response fields by path. Where the Bss and Bssintl models differ, the union of both.</summary>
    public IReadOnlyDictionary<string, ContractField> ResponseByPath { get; } =
        Response.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.First(), new RecursivePaths(Response));

    /// <summary>Compares response paths with every level of a recursive field folded onto its parent's (a.b[].b[].c is a.b[].c).</summary>
    public IEqualityComparer<string> PathComparer => (IEqualityComparer<string>)((Dictionary<string, ContractField>)ResponseByPath).Comparer;
}

/// <summary>Folds the levels of recursive fields: with <c>child_nodes[].child_nodes[]</c> recursive, a path below it reads as one level up (<c>child_nodes[].child_nodes[].id</c> is <c>child_nodes[].id</c>).</summary>
sealed class RecursivePaths(IEnumerable<ContractField> fields) : IEqualityComparer<string>
{
    readonly List<(string Deeper, string Parent)> folds = fields.Where(f => f.Recursive)
        .Select(f => (f.Path, f.Path[..f.Path.LastIndexOf('.')])).ToList();

    public string Canonical(string path)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (deeper, parent) in folds)
                if (path.StartsWith(deeper + ".") || path.StartsWith(deeper + "[]"))
                {
                    path = parent + path[deeper.Length..];
                    changed = true;
                }
        }
        return path;
    }

    public bool Equals(string? x, string? y) => x is null || y is null ? x == y : Canonical(x) == Canonical(y);
    public int GetHashCode(string obj) => Canonical(obj).GetHashCode(StringComparison.Ordinal);
}

/// <summary>
/// The SDK contract tables (the Markdown files beside this one): one section per operation, written from the official
/// SDK models. Notation: <c>## Name — METHOD path — clients</c>, then <c>- query: name kind · name kind</c>,
/// <c>- request body (Model):</c> and <c>- response (Model):</c> each followed by <c>  - path kind</c> lines. A
/// <c>[Bss]</c>/<c>[Bssintl]</c> tag marks a part where the two clients' models differ; both are kept. A field line may
/// end in <c>(not answered: why)</c>: the answer may omit it, and says why here, next to the fact.
/// </summary>
public static partial class ContractTable
{
    static readonly Lazy<IReadOnlyDictionary<string, ContractOperation>> all = new(Load);

    public static IReadOnlyDictionary<string, ContractOperation> Operations => all.Value;

    public static ContractOperation Get(string name) =>
        Operations.TryGetValue(name, out var op) ? op : throw new InvalidOperationException($"{name} is not in the SDK contract tables.");

    static IReadOnlyDictionary<string, ContractOperation> Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Contracts");
        var operations = new Dictionary<string, ContractOperation>();
        foreach (var file in Directory.GetFiles(folder, "*.md").Order())
            foreach (var op in Parse(File.ReadAllLines(file)))
                if (!operations.TryAdd(op.Name, op)) throw new InvalidOperationException($"{op.Name} appears twice in the contract tables.");
        return operations;
    }

    static IEnumerable<ContractOperation> Parse(string[] lines)
    {
        string? name = null, method = null, path = null;
        List<ContractField> query = [], request = [], response = [];
        List<ContractField>? current = null;
        var bodyNotParsed = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("## "))
            {
                if (name is not null) yield return new(name, method!, path!, query, request, response, bodyNotParsed);
                var head = HeadLine().Match(line);
                if (!head.Success) throw new FormatException("Not an operation heading: " + line);
                (name, method, path) = (head.Groups["name"].Value, head.Groups["method"].Value, head.Groups["path"].Value);
                (query, request, response, current, bodyNotParsed) = ([], [], [], null, false);
            }
            else if (name is null) continue;
            else if (line.StartsWith("- query"))
            {
                current = null;
                foreach (var part in line[(line.IndexOf(':') + 1)..].Split('·', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    query.Add(Field(part));
            }
            else if (line.StartsWith("- request body ("))
                current = request;
            else if (line.StartsWith("- response ("))
            {
                current = response;
                if (line.Contains("body not parsed")) (bodyNotParsed, current) = (true, null);
            }
            else if (line.StartsWith("  - ") && current is not null)
                current.Add(Field(line[4..]));
            else if (line.StartsWith('-'))
                current = null;
        }
        if (name is not null) yield return new(name, method!, path!, query, request, response, bodyNotParsed);
    }

    static ContractField Field(string text)
    {
        string? why = null;
        var note = NotAnsweredNote().Match(text);
        if (note.Success)
        {
            why = note.Groups["why"].Value;
            text = text[..note.Index].TrimEnd();
        }
        var space = text.IndexOf(' ');
        if (space < 0) throw new FormatException("A field needs a path and a kind: " + text);
        var kind = text[(space + 1)..].Trim();
        if (kind.StartsWith("string enum")) kind = "string";
        var recursive = kind.StartsWith("object (recursive:");
        return new ContractField(text[..space], recursive ? "object" : kind, why, recursive);
    }

    [GeneratedRegex(@"^## (?<name>\S+) — (?<method>[A-Z]+) (?<path>\S+)")]
    private static partial Regex HeadLine();

    [GeneratedRegex(@"\(not answered: (?<why>[^)]+)\)\s*$")]
    private static partial Regex NotAnsweredNote();
}
