using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record UserBody(
    string? Name = null, string? DomainId = null, string? Password = null, string? Email = null, string? Areacode = null, string? Phone = null,
    bool? Enabled = null, string? Description = null, bool? PwdStatus = null, string? XuserType = null, string? XuserId = null, string? AccessMode = null)
{
    public UserInput ToInput() => new(Name, Password, Email, Areacode, Phone, Enabled, Description, PwdStatus, XuserType, XuserId, AccessMode);
}

public sealed record UserRequest(UserBody? User);

public sealed record PasswordChangeBody(string? OriginalPassword, string? Password);

public sealed record PasswordChangeRequest(PasswordChangeBody? User);

/// <summary>IAM users: the Keystone operations under /v3/users and Huawei's extended ones under /v3.0/OS-USER.</summary>
public static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder app)
    {
        var keystone = app.MapGroup("/v3/users").WithTags("IAM users");
        keystone.MapPost("", async (HttpContext http, UserService users, UserRequest body) =>
        {
            var user = await CreateAsync(http, users, body);
            var facts = await users.FactsAsync(user, http.RequestAborted);
            return TypedResults.Created(Url(http.Request, "/v3/users/" + user.Id), new KeystoneCreatedUserResponse(KeystoneCreatedUser(user, facts, http.Request)));
        }).Action(IamActions.CreateUser).WithName("KeystoneCreateUser");
        keystone.MapGet("", async (HttpContext http, UserService users, string? name, bool? enabled, string? domain_id, string? password_expires_at) =>
        {
            var caller = http.Caller();
            var expiry = password_expires_at is null ? null : PasswordExpiryFilter.Parse(password_expires_at);
            // Users of another domain are never listed: asking for one finds none.
            var list = domain_id is not null && domain_id != caller.AccountId ? [] : await users.ListAsync(caller, name, enabled, http.RequestAborted);
            var facts = await users.FactsAsync(caller.AccountId, list, http.RequestAborted);
            var matching = list.Where(u => expiry is null || expiry(facts[u.Id].PasswordExpiresAt));
            return TypedResults.Ok(new KeystoneUsersResponse(
                matching.Select(u => KeystoneUser(u, facts[u.Id], http.Request)).ToList(), Self(http.Request, "/v3/users")));
        }).Action(IamActions.ListUsers).WithName("KeystoneListUsers");
        keystone.MapGet("/{user_id}", async (HttpContext http, UserService users, string user_id) =>
        {
            var user = await users.GetAsync(http.Caller(), user_id, http.RequestAborted);
            return TypedResults.Ok(new KeystoneUserResponse(KeystoneUser(user, await users.FactsAsync(user, http.RequestAborted), http.Request)));
        }).Action(IamActions.GetUser).WithName("KeystoneShowUser");
        keystone.MapPatch("/{user_id}", async (HttpContext http, UserService users, string user_id, UserRequest body) =>
        {
            var user = await UpdateAsync(http, users, user_id, body);
            return TypedResults.Ok(new KeystoneUpdatedUserResponse(KeystoneUpdatedUser(user, await users.FactsAsync(user, http.RequestAborted), http.Request)));
        }).Action(IamActions.UpdateUser).WithName("KeystoneUpdateUserByAdmin");
        keystone.MapDelete("/{user_id}", async (HttpContext http, UserService users, string user_id) =>
        {
            await users.DeleteAsync(http.Caller(), user_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.DeleteUser).WithName("KeystoneDeleteUser");
        keystone.MapPost("/{user_id}/password", async (HttpContext http, UserService users, string user_id, PasswordChangeRequest body) =>
        {
            await users.ChangeOwnPasswordAsync(http.Caller(), user_id, body.User?.OriginalPassword, body.User?.Password, http.RequestAborted);
            return Results.NoContent();
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneUpdateUserPassword");
        keystone.MapGet("/{user_id}/groups", async (HttpContext http, GroupService groups, string user_id) =>
        {
            var list = await groups.ListForUserAsync(http.Caller(), user_id, http.RequestAborted);
            return TypedResults.Ok(new KeystoneGroupsResponse(list.Select(g => Group(g, http.Request)).ToList(), Self(http.Request, $"/v3/users/{user_id}/groups")));
        }).Action(IamActions.ListGroupsForUser).WithName("KeystoneListGroupsForUser");
        keystone.MapGet("/{user_id}/projects", async (HttpContext http, ProjectService projects, string user_id) =>
        {
            var list = await projects.ListForUserAsync(http.Caller(), user_id, http.RequestAborted);
            return TypedResults.Ok(new ProjectsResponse(list.Select(p => Project(p, http.Request)).ToList(), Self(http.Request, $"/v3/users/{user_id}/projects")));
        }).Action(IamActions.ListProjects).WithName("KeystoneListProjectsForUser");

        var extended = app.MapGroup("/v3.0/OS-USER/users").WithTags("IAM users");
        extended.MapPost("", async (HttpContext http, UserService users, UserRequest body) =>
        {
            var user = await CreateAsync(http, users, body);
            var facts = await users.FactsAsync(user, http.RequestAborted);
            return TypedResults.Created(Url(http.Request, "/v3/users/" + user.Id), new CreatedUserResponse(CreatedUser(user, facts)));
        }).Action(IamActions.CreateUser).WithName("CreateUser");
        extended.MapGet("/{user_id}", async (HttpContext http, UserService users, string user_id) =>
            TypedResults.Ok(new UserDetailResponse(UserDetail(await users.GetAsync(http.Caller(), user_id, http.RequestAborted), http.Request))))
            .Action(IamActions.GetUser).WithName("ShowUser");
        extended.MapPut("/{user_id}", async (HttpContext http, UserService users, string user_id, UserRequest body) =>
        {
            var user = await UpdateAsync(http, users, user_id, body);
            return TypedResults.Ok(new UpdatedUserResponse(UpdatedUser(user, await users.FactsAsync(user, http.RequestAborted), http.Request)));
        }).Action(IamActions.UpdateUser).WithName("UpdateUser");
    }

    static async Task<IamUser> CreateAsync(HttpContext http, UserService users, UserRequest body)
    {
        var caller = http.Caller();
        var input = body.User ?? throw PartnerCenter.Core.Common.Check.Invalid("user is required.");
        if (input.DomainId is not null && input.DomainId != caller.AccountId)
            throw PartnerCenter.Core.Common.Check.Invalid("user.domain_id must be the caller's account.");
        return await users.CreateAsync(caller, input.ToInput(), http.RequestAborted);
    }

    static async Task<IamUser> UpdateAsync(HttpContext http, UserService users, string user_id, UserRequest body)
    {
        var input = body.User ?? throw PartnerCenter.Core.Common.Check.Invalid("user is required.");
        if (input.DomainId is not null && input.DomainId != http.Caller().AccountId)
            throw PartnerCenter.Core.Common.Check.Invalid("user.domain_id must be the caller's account.");
        return await users.UpdateAsync(http.Caller(), user_id, input.ToInput(), http.RequestAborted);
    }
}
