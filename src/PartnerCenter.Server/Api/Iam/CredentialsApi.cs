using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Iam;

/// <summary>Permanent access keys (the secret is in the creation answer only) and temporary ones with a security token.</summary>
public static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v3.0/OS-CREDENTIAL/credentials").WithTags("IAM access keys");
        keys.MapPost("", async (HttpContext http, AccessKeyService service, CredentialRequest body) =>
        {
            var input = body.Credential ?? throw Check.Invalid("credential is required.");
            var created = await service.CreateAsync(http.Caller(), input.UserId, input.Description, http.RequestAborted);
            return TypedResults.Created((string?)null, new CreatePermanentAccessKeyResponse(AccessViews.NewCredential(created)));
        }).Action(IamActions.CreateCredential).WithName("CreatePermanentAccessKey");
        keys.MapGet("", async (HttpContext http, AccessKeyService service, string? user_id) =>
        {
            var list = await service.ListAsync(http.Caller(), user_id, http.RequestAborted);
            return TypedResults.Ok(new ListPermanentAccessKeysResponse(list.Select(AccessViews.Credential).ToList()));
        }).Action(IamActions.ListCredentials).WithName("ListPermanentAccessKeys");
        keys.MapGet("/{access_key}", async (HttpContext http, AccessKeyService service, string access_key) =>
            TypedResults.Ok(new ShowPermanentAccessKeyResponse(AccessViews.CredentialDetails(await service.GetAsync(http.Caller(), access_key, http.RequestAborted)))))
            .Action(IamActions.GetCredential).WithName("ShowPermanentAccessKey");
        keys.MapPut("/{access_key}", async (HttpContext http, AccessKeyService service, string access_key, CredentialRequest body) =>
        {
            var input = body.Credential ?? throw Check.Invalid("credential is required.");
            var key = await service.UpdateAsync(http.Caller(), access_key, input.Status, input.Description, http.RequestAborted);
            return TypedResults.Ok(new UpdatePermanentAccessKeyResponse(AccessViews.Credential(key)));
        }).Action(IamActions.UpdateCredential).WithName("UpdatePermanentAccessKey");
        keys.MapDelete("/{access_key}", async (HttpContext http, AccessKeyService service, string access_key) =>
        {
            await service.DeleteAsync(http.Caller(), access_key, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.DeleteCredential).WithName("DeletePermanentAccessKey");

        app.MapPost("/v3.0/OS-CREDENTIAL/securitytokens", async (HttpContext http, AuthService auth, SecurityTokenRequest body) =>
        {
            var identity = body.Auth?.Identity ?? throw Check.Invalid("auth.identity is required.");
            var caller = http.Caller();
            var issued = identity.Methods switch
            {
                ["token"] => await auth.IssueTemporaryKeyAsync(
                    await TokenCallerAsync(auth, caller, identity.Token?.Id, http.RequestAborted), identity.Token?.DurationSeconds, null, null, null,
                    null, identity.Policy, http.RequestAborted),
                ["assume_role"] when identity.AssumeRole is { } role => await auth.IssueTemporaryKeyAsync(
                    caller, role.DurationSeconds, role.DomainId, role.DomainName, role.AgencyName ?? throw Check.Invalid("auth.identity.assume_role.agency_name is required."),
                    role.SessionUser?.Name, identity.Policy, http.RequestAborted),
                _ => throw Check.Invalid("auth.identity.methods must be [\"token\"] or [\"assume_role\"] with auth.identity.assume_role."),
            };
            return TypedResults.Created((string?)null, new CreateTemporaryAccessKeyResponse(new TemporaryCredential(
                IamViews.Time(issued.SecurityToken.ExpiresAt), issued.Access, issued.Secret, issued.SecurityToken.Token)));
        }).Action(CallerAccess.AuthenticatedOnly).WithTags("IAM access keys").WithName("CreateTemporaryAccessKeyByToken")
            .WithSummary("A temporary AK/SK and security token for the caller (method token) or for an agency (method assume_role: CreateTemporaryAccessKeyByAgency).");
    }

    /// <summary>The token method's auth.identity.token.id, when given, names the token the key stands for: the caller's own.</summary>
    static async Task<Caller> TokenCallerAsync(AuthService auth, Caller caller, string? tokenId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(tokenId)) return caller;
        var named = await auth.AuthenticateTokenAsync(tokenId, ct);
        return named.UserId == caller.UserId ? named : throw Check.Invalid("auth.identity.token.id must be a token of the calling user.");
    }
}
