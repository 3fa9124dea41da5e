using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record NamedRef(string? Id = null, string? Name = null);

public sealed record PasswordUser(string? Id = null, string? Name = null, string? Password = null, NamedRef? Domain = null);

public sealed record PasswordIdentity(PasswordUser? User);

public sealed record AssumeRoleIdentity(string? DomainId = null, string? DomainName = null, string? AgencyName = null, int? DurationSeconds = null);

public sealed record TokenIdentity(List<string>? Methods, PasswordIdentity? Password = null, AssumeRoleIdentity? AssumeRole = null);

public sealed record TokenScopeBody(NamedRef? Domain = null, NamedRef? Project = null);

public sealed record TokenAuth(TokenIdentity? Identity, TokenScopeBody? Scope = null);

public sealed record TokenRequest(TokenAuth? Auth);

/// <summary>Keystone tokens: issue (password, assume_role) and validate. The token travels in X-Subject-Token.</summary>
public static class TokensApi
{
    public static void MapTokensApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/v3/auth/tokens").WithTags("IAM tokens");
        tokens.MapPost("", IssueAsync).Anonymous().WithName("KeystoneCreateUserTokenByPassword")
            .WithSummary("Password token, or with the assume_role method (and X-Auth-Token) an agency token: KeystoneCreateAgencyToken.");
        tokens.MapGet("", async (HttpContext http, AuthService auth) =>
        {
            var caller = http.Caller();
            var subject = http.Request.Headers["X-Subject-Token"].ToString();
            var info = await auth.ValidateTokenAsync(subject, http.RequestAborted);
            // A token can be inspected by its own account only: no account learns about another's tokens.
            if (info.Caller.AccountId != caller.AccountId && info.UserAccountId != caller.AccountId)
                throw new ServiceException(Errors.InvalidToken());
            http.Response.Headers["X-Subject-Token"] = subject;
            return Results.Ok(new { token = Body(info, nocatalog: true) });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneValidateToken");
    }

    static async Task<IResult> IssueAsync(HttpContext http, AuthService auth, TokenRequest body, bool? nocatalog)
    {
        var identity = body.Auth?.Identity ?? throw Check.Invalid("auth.identity is required.");
        var scope = new TokenScope(body.Auth.Scope?.Domain?.Id, body.Auth.Scope?.Domain?.Name, body.Auth.Scope?.Project?.Id, body.Auth.Scope?.Project?.Name);
        TokenInfo info;
        if (identity.Methods is ["password"])
        {
            var user = identity.Password?.User ?? throw Check.Invalid("auth.identity.password.user is required.");
            info = await auth.IssuePasswordTokenAsync(user.Domain?.Name, user.Name, user.Password, scope, http.RequestAborted);
        }
        else if (identity.Methods is ["assume_role"])
        {
            var role = identity.AssumeRole ?? throw Check.Invalid("auth.identity.assume_role is required.");
            info = await auth.IssueAgencyTokenAsync(http.Caller(), role.DomainId, role.DomainName, role.AgencyName, role.DurationSeconds, scope, http.RequestAborted);
        }
        else
        {
            throw Check.Invalid("auth.identity.methods must be [\"password\"] or [\"assume_role\"].");
        }
        http.Response.Headers["X-Subject-Token"] = info.Token;
        return Results.Json(new { token = Body(info, nocatalog ?? false) }, statusCode: StatusCodes.Status201Created);
    }

    static object Body(TokenInfo t, bool nocatalog)
    {
        var domain = new { id = t.Caller.AccountId, name = t.Caller.AccountName };
        var user = t.Caller.IsDelegated
            ? new { domain, id = t.Caller.UserId, name = t.Caller.AccountName + "/" + t.Caller.UserName, password_expires_at = "" }
            : new { domain, id = t.Caller.UserId, name = t.Caller.UserName, password_expires_at = Time(t.PasswordExpiresAt) ?? "" };
        return new
        {
            methods = new[] { t.Method },
            expires_at = Time(t.ExpiresAt),
            issued_at = Time(t.IssuedAt),
            user,
            domain = t.Project is null ? domain : null,
            project = t.Project is null ? null : new { id = t.Project.Id, name = t.Project.Name, domain },
            roles = t.Roles.Select(r => new { id = r.Id, name = r.Name }),
            catalog = nocatalog ? null : Array.Empty<object>(),
            assumed_by = t.Caller.IsDelegated
                ? new { user = new { id = t.Caller.UserId, name = t.Caller.UserName, domain = new { id = t.UserAccountId, name = t.UserAccountName } } }
                : null,
        };
    }
}
