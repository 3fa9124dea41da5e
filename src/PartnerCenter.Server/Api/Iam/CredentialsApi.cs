using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record CredentialBody(string? UserId = null, string? Description = null, string? Status = null);

public sealed record CredentialRequest(CredentialBody? Credential);

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
    }
}
