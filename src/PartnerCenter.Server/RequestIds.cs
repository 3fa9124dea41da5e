using PartnerCenter.Core.Common;

namespace PartnerCenter.Server;

/// <summary>Gives every request a Huawei-style request id, in the X-Request-Id header and in every log line's scope.</summary>
public sealed class RequestIds(RequestDelegate next, ILogger<RequestIds> log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        http.TraceIdentifier = Ids.New();
        // Set when the response starts, so error responses (whose headers the exception handler clears) carry it too.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers["X-Request-Id"] = http.TraceIdentifier;
            return Task.CompletedTask;
        });
        using (log.BeginScope(new Dictionary<string, object> { ["RequestId"] = http.TraceIdentifier }))
            await next(http);
    }
}
