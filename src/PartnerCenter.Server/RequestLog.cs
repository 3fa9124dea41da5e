using System.Diagnostics;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server;

/// <summary>
/// Gives every request a Huawei-style request id (the X-Request-Id header and every log line's scope) and writes one
/// line when it ends: method, route, status, milliseconds, request id and the calling account.
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> log, IdleMemory idle)
{
    public async Task InvokeAsync(HttpContext http)
    {
        idle.NoteRequest();
        http.TraceIdentifier = Ids.New();
        // Set when the response starts, so error responses (whose headers the exception handler clears) carry it too.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers["X-Request-Id"] = http.TraceIdentifier;
            return Task.CompletedTask;
        });
        var started = Stopwatch.GetTimestamp();
        // Routing has chosen the endpoint already; read it now, since the error handler clears it on a failure.
        var endpoint = http.GetEndpoint();
        using (log.BeginScope(new Dictionary<string, object> { ["RequestId"] = http.TraceIdentifier }))
        {
            try
            {
                await next(http);
            }
            finally
            {
                // The request-duration histogram of /metrics gets the operation's name beside its route.
                if (endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } operation)
                    http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMetricsTagsFeature>()?.Tags.Add(new("operation", operation));
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? "/" + pattern.Trim('/') : http.Request.Path.Value;
                var status = http.Response.StatusCode;
                log.Log(status >= 500 ? LogLevel.Warning : LogLevel.Information, "{Method} {Route} {Status} {Milliseconds:0.0} ms {RequestId} {Account}",
                    http.Request.Method, route, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.TraceIdentifier,
                    http.FindCaller()?.AccountName ?? "-");
            }
        }
    }
}
