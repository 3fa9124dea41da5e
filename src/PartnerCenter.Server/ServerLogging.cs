namespace PartnerCenter.Server;

/// <summary>
/// What the server writes to its console. By default short readable lines: one per request, handled failures without
/// a trace, unhandled ones at Error with one trace, no SQL. Switches: <c>--log-format json</c> (one JSON object a line,
/// for log shippers), <c>--log-sql</c> (every EF Core command), <c>--log-level debug|information|warning</c> (the
/// server's own lines; the framework's stay at Warning).
/// </summary>
public static class ServerLogging
{
    public static void Configure(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var level = Enum.TryParse<LogLevel>(config["log-level"], ignoreCase: true, out var l) ? l : LogLevel.Information;
        builder.Logging.ClearProviders();
        if (string.Equals(config["log-format"], "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' "; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = false; o.UseUtcTimestamp = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(level)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning)
            // The one error handler logs what it could not handle, once; the framework's copy would log every 4xx with a trace.
            .AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None)
            // The key ring lives in the database by design (docs/decisions.md); its "not encrypted at rest" warning says nothing new.
            .AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", config.GetValue("log-sql", false) ? LogLevel.Information : LogLevel.Warning);
    }
}
