using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Server.Auth;

/// <summary>
/// Authenticates API requests by AK/SK signature (<c>SDK-HMAC-SHA256</c>) or by IAM token (<c>X-Auth-Token</c>) and
/// records the caller. A request with neither stays anonymous; endpoints that need a caller answer 401 themselves.
/// </summary>
public sealed class ApiAuthentication(RequestDelegate next)
{
    /// <summary>How far X-Sdk-Date may be from the server's real clock, either way.</summary>
    public static readonly TimeSpan SignatureWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When this process last recorded each access key's use (business time). The record is kept at most once a minute
    /// per key; remembering it here spares every other signed request the UPDATE, which on SQLite takes the write lock.
    /// </summary>
    static readonly ConcurrentDictionary<string, DateTime> Touched = new();

    public async Task InvokeAsync(HttpContext http, AuthService auth, ProjectService projects, AuthFailureBrake brake, TimeProvider clock)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var signed = authorization.StartsWith("SDK-", StringComparison.Ordinal);
        var hasToken = http.Request.Headers.TryGetValue("X-Auth-Token", out var token);
        if (signed || hasToken)
        {
            var address = http.Connection.RemoteIpAddress;
            if (brake.IsBlocked(address)) throw new ServiceException(Errors.TooManyAuthenticationFailures());
            try
            {
                var caller = signed
                    ? await VerifySignatureAsync(http, authorization, auth, clock)
                    : await auth.AuthenticateTokenAsync(token.ToString(), http.RequestAborted);
                http.SetCaller(await ApplyScopeHeadersAsync(http, caller, projects));
            }
            catch (ServiceException e) when (e.Error.Kind == ErrorKind.Unauthorized)
            {
                var accessKey = signed ? AkSkSignature.ParseAuthorization(authorization)?.Access : null;
                if (brake.Fail(address, accessKey)) throw new ServiceException(Errors.TooManyAuthenticationFailures());
                throw;
            }
        }
        await next(http);
    }

    static async Task<Caller> VerifySignatureAsync(HttpContext http, string authorization, AuthService auth, TimeProvider clock)
    {
        var header = AkSkSignature.ParseAuthorization(authorization) ?? throw new ServiceException(Errors.UnsupportedAlgorithm());
        if (!header.SignedHeaders.Contains("x-sdk-date") || !header.SignedHeaders.Contains("host"))
            throw new ServiceException(Errors.SignatureMismatch());
        var sdkDate = http.Request.Headers["X-Sdk-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(sdkDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            throw new ServiceException(Errors.SignatureMismatch());
        // Signatures are dated by the client's real clock, so the window is checked against real time, not the sandbox clock.
        if ((TimeProvider.System.GetUtcNow() - signedAt).Duration() > SignatureWindow)
            throw new ServiceException(Errors.RequestExpired());

        var securityToken = http.Request.Headers["X-Security-Token"].ToString();
        var key = await auth.FindAccessKeyAsync(header.Access, securityToken.Length > 0 ? securityToken : null, http.RequestAborted);
        var payloadHash = await PayloadHashAsync(http);
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        var q = target.IndexOf('?');
        var (rawPath, rawQuery) = q < 0 ? (target, "") : (target[..q], target[(q + 1)..]);
        var canonical = AkSkSignature.CanonicalRequest(http.Request.Method, rawPath, rawQuery, header.SignedHeaders,
            name => http.Request.Headers[name].ToString(), payloadHash);
        var expected = AkSkSignature.Sign(key.Secret, AkSkSignature.StringToSign(sdkDate, canonical));
        if (!AkSkSignature.Matches(expected, header.Signature)) throw new ServiceException(Errors.SignatureMismatch());
        var now = clock.GetUtcNow().UtcDateTime;
        if (!Touched.TryGetValue(header.Access, out var last) || now - last >= TimeSpan.FromMinutes(1) || now < last)
        {
            await auth.TouchAccessKeyAsync(header.Access, http.RequestAborted);
            Touched[header.Access] = now;
        }
        return key.Caller;
    }

    /// <summary>The SHA-256 of the raw body as received (also on GET), or the client's declared UNSIGNED-PAYLOAD.</summary>
    static async Task<string> PayloadHashAsync(HttpContext http)
    {
        var declared = http.Request.Headers["X-Sdk-Content-Sha256"].ToString();
        if (declared == "UNSIGNED-PAYLOAD") return declared;
        http.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        http.Request.Body.Position = 0;
        return AkSkSignature.HexSha256(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>X-Domain-Id must name the caller's account; X-Project-Id one of its projects, which then scopes the caller.</summary>
    static async Task<Caller> ApplyScopeHeadersAsync(HttpContext http, Caller caller, ProjectService projects)
    {
        var domainId = http.Request.Headers["X-Domain-Id"].ToString();
        if (domainId.Length > 0 && domainId != caller.AccountId && !caller.IsDelegated)
            throw new ServiceException(Errors.Unauthenticated("X-Domain-Id does not match the account of the credentials."));
        var projectId = http.Request.Headers["X-Project-Id"].ToString();
        if (projectId.Length == 0 || projectId == caller.ProjectId) return caller;
        if (!await projects.BelongsToAsync(caller.AccountId, projectId, http.RequestAborted))
            throw new ServiceException(Errors.Unauthenticated("X-Project-Id is not a project of the account."));
        return caller with { ProjectId = projectId };
    }
}
