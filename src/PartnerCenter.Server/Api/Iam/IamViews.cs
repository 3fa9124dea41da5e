using System.Text.Json.Nodes;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Server.Api.Iam;

/// <summary>A resource's or a list's own URL. Keystone also has previous/next, which only a paged list answers.</summary>
public sealed record Links(string Self);

/// <summary>The links of a paged list: the neighbouring pages when there are any.</summary>
public sealed record PageLinks(string Self, string? Previous = null, string? Next = null);

// Keystone users (/v3/users): the list, a group's members and one user.
public sealed record KeystoneUser(
    string Id, string Name, string DomainId, bool Enabled, string Description, bool PwdStatus, string AccessMode,
    string? PasswordExpiresAt, string? LastProjectId, Links Links);

public sealed record KeystoneUsersResponse(List<KeystoneUser> Users, Links Links);

public sealed record KeystoneUserResponse(KeystoneUser User);

public sealed record KeystoneCreatedUser(
    string Id, string Name, string DomainId, bool Enabled, string Description, bool PwdStatus, string? PasswordExpiresAt, Links Links);

public sealed record KeystoneCreatedUserResponse(KeystoneCreatedUser User);

public sealed record KeystoneUpdatedUser(
    string Id, string Name, string DomainId, bool Enabled, string Description, bool PwdStatus, string? PasswordExpiresAt,
    string? LastProjectId, Links Links);

public sealed record KeystoneUpdatedUserResponse(KeystoneUpdatedUser User);

// Huawei's extended users (/v3.0/OS-USER/users): create, show, update each answer their own set of fields.
public sealed record CreatedUser(
    string Id, string Name, string DomainId, bool Enabled, string Description, string AccessMode, bool PwdStatus, bool IsDomainOwner,
    string? Email, string? Areacode, string? Phone, string? XuserType, string? XuserId, string CreateTime, string? PasswordExpiresAt);

public sealed record CreatedUserResponse(CreatedUser User);

public sealed record UserDetail(
    string Id, string Name, string DomainId, bool Enabled, string Description, string AccessMode, bool PwdStatus, bool IsDomainOwner,
    string? Email, string? Areacode, string? Phone, string? XuserType, string? XuserId, string CreateTime, string? LastLoginTime,
    string? LastPwdAuthTime, string PwdCreateTime, string ModifyPwdTime, Links Links);

public sealed record UserDetailResponse(UserDetail User);

public sealed record UpdatedUser(
    string Id, string Name, string DomainId, bool Enabled, string Description, string AccessMode, bool PwdStatus, bool IsDomainOwner,
    string? Email, string? Areacode, string? Phone, string? XuserType, string? XuserId, string CreateTime, string? PasswordExpiresAt, Links Links);

public sealed record UpdatedUserResponse(UpdatedUser User);

/// <param name="CreateTime">Epoch milliseconds: the SDK's group models read a number.</param>
public sealed record KeystoneGroup(string Id, string Name, string Description, string DomainId, long CreateTime, Links Links);

public sealed record KeystoneGroupResponse(KeystoneGroup Group);

public sealed record KeystoneGroupsResponse(List<KeystoneGroup> Groups, Links Links);

/// <param name="Flag">"fine_grained" for a system-defined policy, absent for a custom one.</param>
/// <param name="Policy">The policy document as stored (Version, Statement[…]).</param>
/// <param name="CreatedTime">Epoch milliseconds as a string, as IAM writes role times.</param>
public sealed record GrantedRole(
    string Id, string Name, string DisplayName, string Type, string Catalog, string Description, string? DomainId, string? Flag,
    JsonNode? Policy, string CreatedTime, string UpdatedTime, Links Links);

public sealed record GrantedRolesResponse(List<GrantedRole> Roles, Links Links);

public sealed record ProjectView(string Id, string Name, string DomainId, string ParentId, string Description, bool Enabled, bool IsDomain, Links Links);

public sealed record ProjectsResponse(List<ProjectView> Projects, Links Links);

public sealed record PagedProjectsResponse(List<ProjectView> Projects, PageLinks Links);

public sealed record ProjectResponse(ProjectView Project);

/// <summary>Maps Core entities to the IAM API's JSON shapes. Times are ISO 8601 UTC with microseconds, as IAM writes them.</summary>
public static class IamViews
{
    public static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
    public static string? Time(DateTime? t) => t is { } v ? Time(v) : null;

    public static long EpochMilliseconds(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public static KeystoneUser KeystoneUser(IamUser u, UserFacts f, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.PasswordResetRequired, u.AccessMode, Time(f.PasswordExpiresAt), f.LastProjectId, UserLink(r, u));

    public static KeystoneCreatedUser KeystoneCreatedUser(IamUser u, UserFacts f, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.PasswordResetRequired, Time(f.PasswordExpiresAt), UserLink(r, u));

    public static KeystoneUpdatedUser KeystoneUpdatedUser(IamUser u, UserFacts f, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.PasswordResetRequired, Time(f.PasswordExpiresAt), f.LastProjectId, UserLink(r, u));

    public static CreatedUser CreatedUser(IamUser u, UserFacts f) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.AccessMode, u.PasswordResetRequired, u.IsAccountOwner,
        u.Email, u.AreaCode, u.Phone, u.XUserType, u.XUserId, Time(u.CreatedAt), Time(f.PasswordExpiresAt));

    // Every sign-in checks a password (there is no other way to sign in), so the last one is also the last password check.
    public static UserDetail UserDetail(IamUser u, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.AccessMode, u.PasswordResetRequired, u.IsAccountOwner,
        u.Email, u.AreaCode, u.Phone, u.XUserType, u.XUserId, Time(u.CreatedAt), Time(u.LastLoginAt), Time(u.LastLoginAt),
        Time(u.CreatedAt), Time(u.PasswordChangedAt), UserLink(r, u));

    public static UpdatedUser UpdatedUser(IamUser u, UserFacts f, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.AccessMode, u.PasswordResetRequired, u.IsAccountOwner,
        u.Email, u.AreaCode, u.Phone, u.XUserType, u.XUserId, Time(u.CreatedAt), Time(f.PasswordExpiresAt), UserLink(r, u));

    static Links UserLink(HttpRequest r, IamUser u) => Self(r, "/v3/users/" + u.Id);

    public static KeystoneGroup Group(IamGroup g, HttpRequest r) =>
        new(g.Id, g.Name, g.Description, g.AccountId, EpochMilliseconds(g.CreatedAt), Self(r, "/v3/groups/" + g.Id));

    public static GrantedRole GrantedRole(IamRole x, HttpRequest r) => new(
        x.Id, x.Name, x.DisplayName, x.Type, x.Catalog, x.Description, x.AccountId,
        x.AccountId is null && JsonNode.Parse(x.PolicyJson)?["Version"]?.GetValue<string>() == "1.1" ? "fine_grained" : null,
        JsonNode.Parse(x.PolicyJson), EpochMilliseconds(x.CreatedAt).ToString(), EpochMilliseconds(x.UpdatedAt).ToString(), Self(r, "/v3/roles/" + x.Id));

    // Region projects sit directly under their account: the account is their parent.
    public static ProjectView Project(Project p, HttpRequest r) => new(p.Id, p.Name, p.AccountId, p.AccountId, p.Description, p.Enabled, false, Self(r, "/v3/projects/" + p.Id));

    /// <summary>An absolute URL of this server (its public URL, see ServerSettings.PublicBaseUrl) for a path.</summary>
    public static string Url(HttpRequest r, string pathAndQuery) =>
        r.HttpContext.RequestServices.GetRequiredService<ServerSettings>().PublicBaseUrl(r.HttpContext) + pathAndQuery;

    public static Links Self(HttpRequest r, string path) => new(Url(r, path));
}
