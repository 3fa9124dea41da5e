using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Server.ErrorHandling;

/// <summary>One per-item failure of a batch operation.</summary>
public sealed record ErrorDetail(string Id, string ErrorCode, string ErrorMsg);

/// <summary>The Huawei Cloud error body. Every error this server answers goes through <see cref="WriteAsync"/>.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("error_msg")] string ErrorMsg,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("error_details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ErrorDetail>? ErrorDetails = null);

public static class ErrorResponses
{
    static readonly JsonSerializerOptions BodyOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Writes the error body with <c>application/json</c>: without it the .NET SDK takes even a 4xx for a server failure.</summary>
    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(code, message, http.TraceIdentifier), BodyOptions));
    }

    public static Task WriteAsync(HttpContext http, Error error) => WriteAsync(http, StatusOf(error.Kind), error.Code, error.Message);


    /// <summary>
    /// Turns every exception into the error body: expected failures into their status, bad requests (malformed JSON,
    /// wrong types, oversized bodies) into 400/413, anything else into a 500 that names only the request id.
    /// </summary>
    public static async Task HandleExceptionAsync(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PartnerCenter.Errors");
        switch (exception)
        {
            case ServiceException se:
                await WriteAsync(http, se.Error);
                break;
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                await WriteAsync(http, 413, "CBC.0100", "The request body is too large.");
                break;
            case BadHttpRequestException bad:
                await WriteAsync(http, bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "CBC.0100", Describe(bad));
                break;
            case JsonException json:
                await WriteAsync(http, 400, "CBC.0100", Describe(json));
                break;
            default:
                log.LogError(exception, "Unhandled failure");
                await WriteAsync(http, 500, "CBC.0999", "Internal error. Quote the request id to the operator.");
                break;
        }
    }

    /// <summary>
    /// Names the field and what it should be, in the API's words: the reader's own messages name .NET types
    /// ("could not be converted to System.Decimal"), so only the JSON path and our converters' reasons are kept.
    /// </summary>
    static string Describe(JsonException json)
    {
        var field = json.Path is null or "$" ? "The request body" : "Field " + json.Path.TrimStart('$', '.');
        var own = json.Message.Split(" Path:")[0]; // the reader appends where it was to a converter's message
        var reason = own.StartsWith("must ", StringComparison.Ordinal)
            ? own
            : json.Path is null or "$" ? "is not a JSON object of this operation's fields." : "has the wrong JSON type or is malformed: see the operation's fields in /docs.";
        return $"{field} {reason}";
    }

    /// <summary>A clear message for a request that could not be read, without framework internals.</summary>
    static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json => Describe(json),
        _ when bad.Message.Contains("Required parameter", StringComparison.Ordinal) => bad.Message,
        _ when bad.Message.Contains("Failed to read parameter", StringComparison.Ordinal) => "The request body is missing or not valid JSON for this operation.",
        _ when bad.Message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase) => "The request body must be JSON (Content-Type: application/json).",
        _ => bad.Message,
    };
}
