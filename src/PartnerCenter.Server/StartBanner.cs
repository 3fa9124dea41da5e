using System.Data.Common;
using System.Text;
using PartnerCenter.Core;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Server;

/// <summary>The few lines the server prints once it listens: where everything is and how to sign in.</summary>
public static class StartBanner
{
    public static string Text(ServerSettings settings, string url, string? newOperatorPassword, TimeSpan startup)
    {
        url = url.TrimEnd('/');
        var text = new StringBuilder();
        text.AppendLine($"Partner Center is ready ({startup.TotalSeconds:0.0} s)");
        text.AppendLine($"  API         {url}  (Huawei BSS and IAM paths: AK/SK signatures or X-Auth-Token)");
        text.AppendLine($"  Console     {url}/console");
        text.AppendLine($"  API docs    {url}/docs  (OpenAPI: {url}/openapi/v1.json)");
        text.AppendLine($"  Health      {url}/health/live, {url}/health/ready; metrics {url}/metrics");
        var passwordFile = Path.Combine(settings.DataDir, "operator-password.txt");
        text.AppendLine(newOperatorPassword is not null
            ? $"  Operator    {Bootstrap.OperatorName} / {newOperatorPassword}"
            : File.Exists(passwordFile)
                ? $"  Operator    {Bootstrap.OperatorName}, password in {passwordFile}"
                : $"  Operator    {Bootstrap.OperatorName}, with the password set on the first start");
        var demo = Path.Combine(settings.DataDir, DemoCredentials.FileName);
        if (File.Exists(demo)) text.AppendLine($"  Demo        every demo account's password and keys: {demo}");
        text.AppendLine($"  Database    {Describe(settings.Database)}");
        text.AppendLine($"  Data dir    {settings.DataDir}");
        if (settings.Sandbox) text.AppendLine("  Sandbox     clock on: POST /v1/sandbox/clock/advance moves business time (operator)");
        text.AppendLine("  Logs        a line per request; --log-format json, --log-sql, --log-level debug");
        return text.ToString();
    }

    /// <summary>The database without its secrets: the SQLite file, or PostgreSQL's host and database.</summary>
    static string Describe(DatabaseSettings database)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = database.ConnectionString };
        string? Part(string key) => parts.TryGetValue(key, out var v) ? v?.ToString() : null;
        return database.Provider == DatabaseProvider.Sqlite
            ? $"SQLite {Part("Data Source")}"
            : $"PostgreSQL {Part("Host")}{(Part("Port") is { } port ? ":" + port : "")}/{Part("Database")}";
    }
}
