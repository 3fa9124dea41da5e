using Microsoft.OpenApi;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record NamedRef(string? Id = null, string? Name = null);

// The objects on the way to the password are declared non-null so the OpenAPI schema nests them without nullable
// wrappers (the document stays shallow enough for tools to follow); a request may still leave any of them out, and
// IssueAsync checks each.
public sealed record PasswordUser(string? Id = null, string? Name = null, string? Password = null, NamedRef Domain = null!);

public sealed record PasswordIdentity(PasswordUser User);

public sealed record AssumeRoleIdentity(string? DomainId = null, string? DomainName = null, string? AgencyName = null, int? DurationSeconds = null);

public sealed record TokenIdentity(List<string>? Methods, PasswordIdentity Password = null!, AssumeRoleIdentity? AssumeRole = null);

public sealed record TokenScopeBody(NamedRef? Domain = null, NamedRef? Project = null);

public sealed record TokenAuth(TokenIdentity Identity, TokenScopeBody? Scope = null);

public sealed record TokenRequest(TokenAuth Auth);

public sealed record TokenDomain(string Id, string Name);

public sealed record TokenProject(string Id, string Name, TokenDomain Domain);

public sealed record TokenRole(string Id, string Name);

public sealed record CatalogEndpoint(string Id, string Url, string Region, string RegionId, string Interface);

public sealed record CatalogService(string Id, string Type, string Name, List<CatalogEndpoint> Endpoints);

/// <param name="PasswordExpiresAt">Empty when the password never expires, as IAM writes it in tokens.</param>
public sealed record TokenUser(string Id, string Name, TokenDomain Domain, string PasswordExpiresAt);

/// <summary>A token's body (password method): scoped to the domain (<c>domain</c>) or to one of its projects (<c>project</c>).</summary>
public sealed record PasswordToken(
    List<string> Methods, string ExpiresAt, string IssuedAt, TokenUser User, TokenDomain? Domain, TokenProject? Project,
    List<TokenRole> Roles, List<CatalogService>? Catalog);

public sealed record PasswordTokenResponse(PasswordToken Token);

/// <summary>The agency as a user of the delegating domain ("domain/agency").</summary>
public sealed record AgencyTokenUser(string Id, string Name, TokenDomain Domain);

public sealed record AssumedBy(TokenUser User);

public sealed record AgencyToken(
    List<string> Methods, string ExpiresAt, string IssuedAt, AgencyTokenUser User, AssumedBy AssumedBy, TokenDomain? Domain,
    TokenProject? Project, List<TokenRole> Roles, List<CatalogService>? Catalog);

public sealed record AgencyTokenResponse(AgencyToken Token);

/// <summary>Keystone tokens: issue (password, assume_role) and validate. The token travels in X-Subject-Token.</summary>
public static class TokensApi
{
    public static void MapTokensApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/v3/auth/tokens").WithTags("IAM tokens");
        tokens.MapPost("", IssueAsync).Anonymous().WithName("KeystoneCreateUserTokenByPassword")
            .Produces<PasswordTokenResponse>(StatusCodes.Status201Created)
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                // One route serves two SDK operations: the answer is one of two records, as the method asked.
                var password = await context.GetOrCreateSchemaAsync(typeof(PasswordTokenResponse), null, ct);
                var agency = await context.GetOrCreateSchemaAsync(typeof(AgencyTokenResponse), null, ct);
                operation.Responses!["201"].Content!["application/json"].Schema = new OpenApiSchema { OneOf = [password, agency] };
            })
            .WithSummary("Password token, or with the assume_role method (and X-Auth-Token) an agency token: KeystoneCreateAgencyToken.");
        tokens.MapGet("", async (HttpContext http, AuthService auth, string? nocatalog) =>
        {
            var caller = http.Caller();
            var subject = http.Request.Headers["X-Subject-Token"].ToString();
            var info = await auth.ValidateTokenAsync(subject, http.RequestAborted);
            // A token can be inspected by its own account only: no account learns about another's tokens.
            if (info.Caller.AccountId != caller.AccountId && info.UserAccountId != caller.AccountId)
                throw new ServiceException(Errors.InvalidToken());
            http.Response.Headers["X-Subject-Token"] = subject;
            return TypedResults.Ok(new PasswordTokenResponse(PasswordBody(info, Catalog(http.Request, nocatalog))));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneValidateToken");
    }

    /// <summary>Password guesses count against the client's address like failed signatures (the user's own lockout also applies).</summary>
    static async Task<T> BrakedAsync<T>(HttpContext http, Func<Task<T>> signIn)
    {
        var brake = http.RequestServices.GetRequiredService<AuthFailureBrake>();
        var address = http.Connection.RemoteIpAddress;
        if (brake.IsBlocked(address)) throw new ServiceException(Errors.TooManyAuthenticationFailures());
        try
        {
            return await signIn();
        }
        catch (ServiceException e) when (e.Error.Kind == ErrorKind.Unauthorized)
        {
            if (brake.Fail(address, null)) throw new ServiceException(Errors.TooManyAuthenticationFailures());
            throw;
        }
    }

    static async Task<IResult> IssueAsync(HttpContext http, AuthService auth, TokenRequest body, string? nocatalog)
    {
        var identity = (TokenIdentity?)body.Auth?.Identity ?? throw Check.Invalid("auth.identity is required.");
        var scope = new TokenScope(body.Auth.Scope?.Domain?.Id, body.Auth.Scope?.Domain?.Name, body.Auth.Scope?.Project?.Id, body.Auth.Scope?.Project?.Name);
        var catalog = Catalog(http.Request, nocatalog);
        if (identity.Methods is ["password"])
        {
            var user = (PasswordUser?)identity.Password?.User ?? throw Check.Invalid("auth.identity.password.user is required.");
            var info = await BrakedAsync(http, () => auth.IssuePasswordTokenAsync(user.Domain?.Name, user.Name, user.Password, scope, http.RequestAborted));
            http.Response.Headers["X-Subject-Token"] = info.Token;
            return TypedResults.Created((string?)null, new PasswordTokenResponse(PasswordBody(info, catalog)));
        }
        if (identity.Methods is ["assume_role"])
        {
            var role = identity.AssumeRole ?? throw Check.Invalid("auth.identity.assume_role is required.");
            var info = await auth.IssueAgencyTokenAsync(http.Caller(), role.DomainId, role.DomainName, role.AgencyName, role.DurationSeconds, scope, http.RequestAborted);
            http.Response.Headers["X-Subject-Token"] = info.Token;
            return TypedResults.Created((string?)null, new AgencyTokenResponse(AgencyBody(info, catalog)));
        }
        throw Check.Invalid("auth.identity.methods must be [\"password\"] or [\"assume_role\"].");
    }

    static TokenDomain Domain(TokenInfo t) => new(t.Caller.AccountId, t.Caller.AccountName);

    // Keystone: a project-scoped token names its project (and the project's domain), a domain-scoped one its domain.
    static TokenDomain? ScopeDomain(TokenInfo t) => t.Project is null ? Domain(t) : null;

    static TokenProject? ScopeProject(TokenInfo t) => t.Project is null ? null : new(t.Project.Id, t.Project.Name, Domain(t));

    static List<TokenRole> Roles(TokenInfo t) => t.Roles.Select(r => new TokenRole(r.Id, r.Name)).ToList();

    /// <summary>The user who signed in, in its own account.</summary>
    static TokenUser SignedInUser(TokenInfo t) =>
        new(t.Caller.UserId, t.Caller.UserName, new TokenDomain(t.UserAccountId, t.UserAccountName), Time(t.PasswordExpiresAt) ?? "");

    static PasswordToken PasswordBody(TokenInfo t, List<CatalogService>? catalog)
    {
        // Validating an agency token shows the agency as its user, as the token acts in the delegating domain.
        var user = t.Caller.IsDelegated ? new TokenUser(t.Caller.UserId, t.Caller.AccountName + "/" + t.Caller.UserName, Domain(t), "") : SignedInUser(t);
        return new([t.Method], Time(t.ExpiresAt), Time(t.IssuedAt), user, ScopeDomain(t), ScopeProject(t), Roles(t), catalog);
    }

    static AgencyToken AgencyBody(TokenInfo t, List<CatalogService>? catalog) => new(
        [t.Method], Time(t.ExpiresAt), Time(t.IssuedAt), new AgencyTokenUser(t.Caller.UserId, t.Caller.AccountName + "/" + t.Caller.UserName, Domain(t)),
        new AssumedBy(SignedInUser(t)), ScopeDomain(t), ScopeProject(t), Roles(t), catalog);

    /// <summary>
    /// The services this server answers, as a token's catalog: IAM (identity) and BSS, global endpoints at this server's
    /// public URL. Keystone leaves the catalog out when the request asks <c>nocatalog</c>.
    /// </summary>
    static List<CatalogService>? Catalog(HttpRequest r, string? nocatalog)
    {
        if (nocatalog is not null && !nocatalog.Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        CatalogService Service(string name, string type, string version) =>
            new(StableId("service:" + name), type, name, [new CatalogEndpoint(StableId("endpoint:" + name), Url(r, version), "*", "*", "public")]);
        return [Service("iam", "identity", "/v3"), Service("bss", "bssv2", "/v2")];
    }

    static string StableId(string seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..32];
}
