using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Iam;

/// <summary>System roles and policies (/v3/roles) and the account's custom policies (/v3.0/OS-ROLE/roles).</summary>
public static class RolesApi
{
    public static void MapRolesApi(this IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/v3/roles").WithTags("IAM permissions");
        roles.MapGet("", async (HttpContext http, RoleService service, string? name, string? domain_id, int? page, int? per_page,
            string? permission_type, string? display_name, string? type, string? catalog) =>
        {
            var query = new PermissionQuery(domain_id, name, display_name, permission_type, type, catalog, page, per_page);
            var (list, total) = await service.ListAsync(http.Caller(), query, http.RequestAborted);
            return TypedResults.Ok(new KeystoneListPermissionsResponse(
                AccessViews.PageLinks(http.Request, "/v3/roles", page, per_page, total), list.Select(r => AccessViews.Permission(r, http.Request)).ToList(), total));
        }).Action(IamActions.ListRoles).WithName("KeystoneListPermissions");
        roles.MapGet("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
            TypedResults.Ok(new KeystoneShowPermissionResponse(AccessViews.Permission(await service.GetAsync(http.Caller(), role_id, customOnly: false, http.RequestAborted), http.Request))))
            .Action(IamActions.GetRole).WithName("KeystoneShowPermission");

        var custom = app.MapGroup("/v3.0/OS-ROLE/roles").WithTags("IAM permissions");
        custom.MapGet("", async (HttpContext http, RoleService service, int? page, int? per_page) =>
        {
            var (list, total) = await service.ListCustomAsync(http.Caller(), page, per_page, http.RequestAborted);
            return TypedResults.Ok(new ListCustomPoliciesResponse(
                AccessViews.PageLinks(http.Request, "/v3.0/OS-ROLE/roles", page, per_page, total), list.Select(r => AccessViews.CustomPolicy(r, http.Request)).ToList(), total));
        }).Action(IamActions.ListRoles).WithName("ListCustomPolicies");
        custom.MapPost("", async (HttpContext http, RoleService service, CustomPolicyRequest body) =>
        {
            var input = body.Role ?? throw Check.Invalid("role is required.");
            var role = await service.CreateCustomAsync(http.Caller(), input.ToInput(), http.RequestAborted);
            return TypedResults.Created((string?)null, new CreateCloudServiceCustomPolicyResponse(AccessViews.WrittenCustomPolicy(role, http.Request)));
        }).Action(IamActions.CreateRole).WithName("CreateCloudServiceCustomPolicy");
        custom.MapGet("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
        {
            var caller = http.Caller();
            var role = await service.GetAsync(caller, role_id, customOnly: true, http.RequestAborted);
            var references = await service.ReferencesAsync(caller, role.Id, http.RequestAborted);
            return TypedResults.Ok(new ShowCustomPolicyResponse(AccessViews.CustomPolicyDetails(role, references, http.Request)));
        }).Action(IamActions.GetRole).WithName("ShowCustomPolicy");
        custom.MapPatch("/{role_id}", async (HttpContext http, RoleService service, string role_id, CustomPolicyRequest body) =>
        {
            var input = body.Role ?? throw Check.Invalid("role is required.");
            var role = await service.UpdateCustomAsync(http.Caller(), role_id, input.ToInput(), http.RequestAborted);
            return TypedResults.Ok(new UpdateCloudServiceCustomPolicyResponse(AccessViews.WrittenCustomPolicy(role, http.Request)));
        }).Action(IamActions.UpdateRole).WithName("UpdateCloudServiceCustomPolicy");
        custom.MapDelete("/{role_id}", async (HttpContext http, RoleService service, string role_id) =>
        {
            await service.DeleteCustomAsync(http.Caller(), role_id, http.RequestAborted);
            return TypedResults.Ok(new DeleteCustomPolicyResponse("The custom policy was deleted."));
        }).Action(IamActions.DeleteRole).WithName("DeleteCustomPolicy");
    }
}
