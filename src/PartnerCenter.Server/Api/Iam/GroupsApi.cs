using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record GroupBody(string? Name = null, string? Description = null, string? DomainId = null);

public sealed record GroupRequest(GroupBody? Group);

/// <summary>User groups, their members, and the roles granted to them on the account.</summary>
public static class GroupsApi
{
    public static void MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/v3/groups").WithTags("IAM groups");
        groups.MapPost("", async (HttpContext http, GroupService service, GroupRequest body) =>
        {
            var input = body.Group ?? throw Check.Invalid("group is required.");
            var caller = http.Caller();
            if (input.DomainId is not null && input.DomainId != caller.AccountId) throw Check.Invalid("group.domain_id must be the caller's account.");
            var group = await service.CreateAsync(caller, input.Name, input.Description, http.RequestAborted);
            return TypedResults.Created(Url(http.Request, "/v3/groups/" + group.Id), new KeystoneGroupResponse(Group(group, http.Request)));
        }).Action(IamActions.CreateGroup).WithName("KeystoneCreateGroup");
        groups.MapGet("", async (HttpContext http, GroupService service, string? name, string? domain_id) =>
        {
            var caller = http.Caller();
            // Groups of another domain are never listed: asking for one finds none.
            var list = domain_id is not null && domain_id != caller.AccountId ? [] : await service.ListAsync(caller, name, http.RequestAborted);
            return TypedResults.Ok(new KeystoneGroupsResponse(list.Select(g => Group(g, http.Request)).ToList(), Self(http.Request, "/v3/groups")));
        }).Action(IamActions.ListGroups).WithName("KeystoneListGroups");
        groups.MapGet("/{group_id}", async (HttpContext http, GroupService service, string group_id) =>
            TypedResults.Ok(new KeystoneGroupResponse(Group(await service.GetAsync(http.Caller(), group_id, http.RequestAborted), http.Request))))
            .Action(IamActions.GetGroup).WithName("KeystoneShowGroup");
        groups.MapPatch("/{group_id}", async (HttpContext http, GroupService service, string group_id, GroupRequest body) =>
        {
            var input = body.Group ?? throw Check.Invalid("group is required.");
            if (input.DomainId is not null && input.DomainId != http.Caller().AccountId) throw Check.Invalid("group.domain_id must be the caller's account.");
            var group = await service.UpdateAsync(http.Caller(), group_id, input.Name, input.Description, http.RequestAborted);
            return TypedResults.Ok(new KeystoneGroupResponse(Group(group, http.Request)));
        }).Action(IamActions.UpdateGroup).WithName("KeystoneUpdateGroup");
        groups.MapDelete("/{group_id}", async (HttpContext http, GroupService service, string group_id) =>
        {
            await service.DeleteAsync(http.Caller(), group_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.DeleteGroup).WithName("KeystoneDeleteGroup");

        groups.MapGet("/{group_id}/users", async (HttpContext http, GroupService service, UserService users, string group_id) =>
        {
            var caller = http.Caller();
            var list = await service.ListUsersAsync(caller, group_id, http.RequestAborted);
            var facts = await users.FactsAsync(caller.AccountId, list, http.RequestAborted);
            return TypedResults.Ok(new KeystoneUsersResponse(
                list.Select(u => KeystoneUser(u, facts[u.Id], http.Request)).ToList(), Self(http.Request, $"/v3/groups/{group_id}/users")));
        }).Action(IamActions.ListUsersForGroup).WithName("KeystoneListUsersForGroupByAdmin");
        groups.MapPut("/{group_id}/users/{user_id}", async (HttpContext http, GroupService service, string group_id, string user_id) =>
        {
            await service.AddUserAsync(http.Caller(), group_id, user_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.AddUserToGroup).WithName("KeystoneAddUserToGroup");
        groups.MapMethods("/{group_id}/users/{user_id}", ["HEAD"], async (HttpContext http, GroupService service, string group_id, string user_id) =>
            await service.ContainsUserAsync(http.Caller(), group_id, user_id, http.RequestAborted) ? Results.NoContent() : Results.NotFound())
            .Action(IamActions.CheckUserInGroup).WithName("KeystoneCheckUserInGroup");
        groups.MapDelete("/{group_id}/users/{user_id}", async (HttpContext http, GroupService service, string group_id, string user_id) =>
        {
            await service.RemoveUserAsync(http.Caller(), group_id, user_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.RemoveUserFromGroup).WithName("KeystoneRemoveUserFromGroup");

        var grants = app.MapGroup("/v3/domains/{domain_id}/groups/{group_id}/roles").WithTags("IAM permissions");
        grants.MapGet("", async (HttpContext http, RoleService roles, string domain_id, string group_id) =>
        {
            var list = await roles.ListForGroupAsync(http.Caller(), domain_id, group_id, http.RequestAborted);
            return TypedResults.Ok(new GrantedRolesResponse(list.Select(r => GrantedRole(r, http.Request)).ToList(), Self(http.Request, http.Request.Path)));
        }).Action(IamActions.ListGroupRoles).WithName("KeystoneListDomainPermissionsForGroup");
        grants.MapPut("/{role_id}", async (HttpContext http, RoleService roles, string domain_id, string group_id, string role_id) =>
        {
            await roles.GrantToGroupAsync(http.Caller(), domain_id, group_id, role_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.GrantRole).WithName("KeystoneAssociateGroupWithDomainPermission");
        grants.MapMethods("/{role_id}", ["HEAD"], async (HttpContext http, RoleService roles, string domain_id, string group_id, string role_id) =>
            await roles.IsGrantedToGroupAsync(http.Caller(), domain_id, group_id, role_id, http.RequestAborted) ? Results.NoContent() : Results.NotFound())
            .Action(IamActions.CheckGroupRole).WithName("KeystoneCheckDomainPermissionForGroup");
        grants.MapDelete("/{role_id}", async (HttpContext http, RoleService roles, string domain_id, string group_id, string role_id) =>
        {
            await roles.RevokeFromGroupAsync(http.Caller(), domain_id, group_id, role_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.RevokeRole).WithName("KeystoneRemoveDomainPermissionFromGroup");
    }
}
