using PartnerCenter.Core.Common;

namespace PartnerCenter.Server.Auth;

/// <summary>Declares the IAM action an endpoint performs; the route table test requires one on every API endpoint.</summary>
public sealed record RequiredAction(string Action);

/// <summary>Marks an endpoint that anyone may call without credentials.</summary>
public sealed record AnonymousApi;

public static class CallerAccess
{
    /// <summary>An action that needs an authenticated caller but no IAM permission (e.g. reading one's own account).</summary>
    public const string AuthenticatedOnly = "authenticated";

    const string Key = "PartnerCenter.Caller";

    public static void SetCaller(this HttpContext http, Caller caller) => http.Items[Key] = caller;

    public static Caller? FindCaller(this HttpContext http) => http.Items.TryGetValue(Key, out var c) ? c as Caller : null;

    /// <summary>The authenticated caller, or a 401.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.FindCaller() ?? throw new ServiceException(Errors.Unauthenticated("Authentication required: sign the request with an access key (SDK-HMAC-SHA256) or send X-Auth-Token."));

    public static RouteHandlerBuilder Action(this RouteHandlerBuilder builder, string action) =>
        builder.WithMetadata(new RequiredAction(action)).WithDescription($"IAM action: `{action}`");

    public static RouteHandlerBuilder Anonymous(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new AnonymousApi()).WithDescription("No credentials needed.");
}
