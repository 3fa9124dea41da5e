using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record CredentialBody(string? UserId = null, string? Description = null, string? Status = null);

public sealed record CredentialRequest(CredentialBody? Credential);

public sealed record DurationBody(int? DurationSeconds = null);

public sealed record SecurityTokenIdentity(List<string>? Methods, DurationBody? Token = null, AssumeRoleIdentity? AssumeRole = null);

public sealed record SecurityTokenAuth(SecurityTokenIdentity? Identity);

public sealed record SecurityTokenRequest(SecurityTokenAuth? Auth);

/// <summary>Permanent access keys. The secret is in the creation response only.</summary>
public static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v3.0/OS-CREDENTIAL/credentials").WithTags("IAM access keys");
        keys.MapPost("", async (HttpContext http, AccessKeyService service, CredentialRequest body) =>
        {
            var input = body.Credential ?? throw Check.Invalid("credential is required.");
            var created = await service.CreateAsync(http.Caller(), input.UserId, input.Description, http.RequestAborted);
            var k = created.Key;
            return Results.Json(new
            {
                credential = new { access = k.Access, secret = created.Secret, status = "active", user_id = k.UserId, create_time = Time(k.CreatedAt), description = k.Description },
            }, statusCode: StatusCodes.Status201Created);
        }).Action(IamActions.CreateCredential).WithName("CreatePermanentAccessKey");
        keys.MapGet("", async (HttpContext http, AccessKeyService service, string? user_id) =>
        {
            var list = await service.ListAsync(http.Caller(), user_id, http.RequestAborted);
            return Results.Ok(new { credentials = list.Select(Credential) });
        }).Action(IamActions.ListCredentials).WithName("ListPermanentAccessKeys");
        keys.MapGet("/{access_key}", async (HttpContext http, AccessKeyService service, string access_key) =>
            Results.Ok(new { credential = Credential(await service.GetAsync(http.Caller(), access_key, http.RequestAborted)) }))
            .Action(IamActions.GetCredential).WithName("ShowPermanentAccessKey");
        keys.MapPut("/{access_key}", async (HttpContext http, AccessKeyService service, string access_key, CredentialRequest body) =>
        {
            var input = body.Credential ?? throw Check.Invalid("credential is required.");
            var key = await service.UpdateAsync(http.Caller(), access_key, input.Status, input.Description, http.RequestAborted);
            return Results.Ok(new { credential = Credential(key) });
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
                ["token"] => await auth.IssueTemporaryKeyAsync(caller, identity.Token?.DurationSeconds, null, null, null, http.RequestAborted),
                ["assume_role"] when identity.AssumeRole is { } role => await auth.IssueTemporaryKeyAsync(
                    caller, role.DurationSeconds, role.DomainId, role.DomainName, role.AgencyName ?? throw Check.Invalid("auth.identity.assume_role.agency_name is required."), http.RequestAborted),
                _ => throw Check.Invalid("auth.identity.methods must be [\"token\"] or [\"assume_role\"] with auth.identity.assume_role."),
            };
            return Results.Json(new
            {
                credential = new { access = issued.Access, secret = issued.Secret, securitytoken = issued.SecurityToken.Token, expires_at = Time(issued.SecurityToken.ExpiresAt) },
            }, statusCode: StatusCodes.Status201Created);
        }).Action(CallerAccess.AuthenticatedOnly).WithTags("IAM access keys").WithName("CreateTemporaryAccessKeyByToken")
            .WithSummary("A temporary AK/SK and security token for the caller (method token) or for an agency (method assume_role: CreateTemporaryAccessKeyByAgency).");
    }
}
