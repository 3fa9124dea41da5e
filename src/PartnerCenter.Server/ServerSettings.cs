using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Server;

/// <summary>
/// The server's command-line contract (also readable from appsettings or PC_-prefixed environment variables):
/// <c>--urls</c>, <c>--public-url</c>, <c>--data-dir</c>, <c>--demo</c>, <c>--database sqlite|postgres</c>, <c>--connection-string</c>.
/// </summary>
/// <param name="PublicUrl">The base URL clients reach the server at (behind a proxy, say); null: the address it listens on.</param>
public sealed record ServerSettings(string DataDir, bool Demo, DatabaseSettings Database, string Urls, bool Sandbox, string? OperatorPassword,
    double RatePermitsPerSecond, int RateBurst, long MaxRequestBodyBytes, bool RunJobsInBackground, string? PublicUrl = null)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary><c>--demo</c> and <c>--log-sql</c> are bare flags; the configuration reader wants a value, so give them one.</summary>
    public static string[] NormalizeArgs(string[] args) => args.Select(a => a is "--demo" or "--log-sql" ? a + "=true" : a).ToArray();

    public static ServerSettings From(IConfiguration config)
    {
        var dataDir = Path.GetFullPath(config["data-dir"] ?? config["DataDir"] ?? "data");
        var provider = (config["database"] ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            var other => throw new ArgumentException($"--database must be sqlite or postgres, not '{other}'."),
        };
        var connection = config["connection-string"];
        var database = provider == DatabaseProvider.Sqlite
            ? connection is null ? DatabaseSettings.SqliteFile(Path.Combine(dataDir, "partner-center.db")) : new DatabaseSettings(provider, connection)
            : new DatabaseSettings(provider, connection ?? throw new ArgumentException("--database postgres needs --connection-string \"Host=…;Database=…\"."));
        return new ServerSettings(
            dataDir,
            config.GetValue("demo", false),
            database,
            config["urls"] ?? DefaultUrls,
            config.GetValue("sandbox", true),
            config["operator-password"],
            config.GetValue("rate-limit:permits-per-second", 50.0),
            config.GetValue("rate-limit:burst", 100),
            config.GetValue("max-request-body-bytes", 1L << 20),
            config.GetValue("jobs:background", true),
            PublicUrlOf(config["public-url"]));
    }

    static string? PublicUrlOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--public-url must be an absolute http(s) URL, not '{value}'.");
        return value.TrimEnd('/');
    }

    /// <summary>
    /// The base URL of API links (<c>links.self</c>): <c>--public-url</c>, else the address the server is bound to (the
    /// real port when it listens on port 0). Never the request's Host alone: the SDKs send a Host without the port.
    /// </summary>
    public string PublicBaseUrl(HttpContext http)
    {
        if (PublicUrl is not null) return PublicUrl;
        var bound = http.RequestServices.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? Urls.Split(';')[0];
        var scheme = bound.Split("://")[0];
        var hostAndPort = bound[(scheme.Length + 3)..].TrimEnd('/');
        var colon = hostAndPort.LastIndexOf(':');
        var (host, port) = colon > hostAndPort.LastIndexOf(']') ? (hostAndPort[..colon], hostAndPort[colon..]) : (hostAndPort, "");
        // Bound to every interface: the host the client used, with the port the server really listens on.
        if (host is "+" or "*" or "0.0.0.0" or "[::]") host = http.Request.Host.Host;
        return $"{scheme}://{host}{port}";
    }
}
