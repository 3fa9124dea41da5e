using System.Text.Json.Nodes;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record CustomPolicyBody(string? DisplayName = null, string? Type = null, string? Description = null, string? DescriptionCn = null, JsonNode? Policy = null)
{
    public CustomPolicyInput ToInput() => new(DisplayName, Type, Description, Policy);
}

public sealed record CustomPolicyRequest(CustomPolicyBody? Role);

/// <summary>System roles and policies (/v3/roles) and the account's custom policies (/v3.0/OS-ROLE/roles).</summary>
public static class RolesApi
{
    public static void MapRolesApi(this IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/v3/roles").WithTags("IAM permissions");
        roles.MapGet("", async (HttpContext http, RoleService service, string? name, string? display_name) =>
        {
            var list = await service.ListAsync(http.Caller(), name ?? display_name, customOnly: false, http.RequestAborted);
            return Results.Ok(new { roles = list.Select(r => Role(r, http.Request)), links = Self(http.Request, "/v3/roles"), total_number = list.Count });
        }).Action(IamActions.ListRoles).WithName("KeystoneListPermissions");
        roles.MapGet("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
            Results.Ok(new { role = Role(await service.GetAsync(http.Caller(), role_id, customOnly: false, http.RequestAborted), http.Request) }))
            .Action(IamActions.GetRole).WithName("KeystoneShowPermission");

        var custom = app.MapGroup("/v3.0/OS-ROLE/roles").WithTags("IAM permissions");
        custom.MapGet("", async (HttpContext http, RoleService service) =>
        {
            var list = await service.ListAsync(http.Caller(), null, customOnly: true, http.RequestAborted);
            return Results.Ok(new { roles = list.Select(r => Role(r, http.Request)), links = Self(http.Request, "/v3.0/OS-ROLE/roles"), total_number = list.Count });
        }).Action(IamActions.ListRoles).WithName("ListCustomPolicies");
        custom.MapPost("", async (HttpContext http, RoleService service, CustomPolicyRequest body) =>
        {
            var input = body.Role ?? throw Check.Invalid("role is required.");
            var role = await service.CreateCustomAsync(http.Caller(), input.ToInput(), http.RequestAborted);
            return Results.Json(new { role = Role(role, http.Request) }, statusCode: StatusCodes.Status201Created);
        }).Action(IamActions.CreateRole).WithName("CreateCloudServiceCustomPolicy");
        custom.MapGet("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
            Results.Ok(new { role = Role(await service.GetAsync(http.Caller(), role_id, customOnly: true, http.RequestAborted), http.Request) }))
            .Action(IamActions.GetRole).WithName("ShowCustomPolicy");
        custom.MapPatch("/{role_id}", async (HttpContext http, RoleService service, string role_id, CustomPolicyRequest body) =>
        {
            var input = body.Role ?? throw Check.Invalid("role is required.");
            var role = await service.UpdateCustomAsync(http.Caller(), role_id, input.ToInput(), http.RequestAborted);
            return Results.Ok(new { role = Role(role, http.Request) });
        }).Action(IamActions.UpdateRole).WithName("UpdateCloudServiceCustomPolicy");
        custom.MapDelete("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
        {
            await service.DeleteCustomAsync(http.Caller(), role_id, http.RequestAborted);
            return Results.Ok(new { });
        }).Action(IamActions.DeleteRole).WithName("DeleteCustomPolicy");
    }
}
