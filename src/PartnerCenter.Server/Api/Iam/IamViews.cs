using System.Text.Json.Nodes;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Server.Api.Iam;

public sealed record Links(string Self, string? Previous = null, string? Next = null);

public sealed record UserView(
    string Id, string Name, string DomainId, bool Enabled, string Description, string? Email, string? Areacode, string? Phone,
    bool PwdStatus, string? XuserType, string? XuserId, string AccessMode, bool IsDomainOwner, string CreateTime,
    string? LastLoginTime, string ModifyPwdTime, string? PasswordExpiresAt, Links Links);

public sealed record GroupView(string Id, string Name, string Description, string DomainId, string CreateTime, Links Links);

public sealed record RoleView(
    string Id, string Name, string DisplayName, string Type, string Catalog, string Description, string? DomainId,
    JsonNode? Policy, string CreatedTime, string UpdatedTime, Links Links);

public sealed record CredentialView(string UserId, string Access, string Status, string CreateTime, string Description, string? LastUseTime);

public sealed record AgencyView(
    string Id, string Name, string DomainId, string TrustDomainId, string? TrustDomainName, string Description,
    string Duration, string? ExpireTime, string CreateTime);

public sealed record ProjectView(string Id, string Name, string DomainId, string ParentId, string Description, bool Enabled, bool IsDomain, Links Links);

/// <summary>Maps Core entities to the IAM API's JSON shapes. Times are ISO 8601 UTC with microseconds, as IAM writes them.</summary>
public static class IamViews
{
    public static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
    public static string? Time(DateTime? t) => t is { } v ? Time(v) : null;

    public static UserView User(IamUser u, HttpRequest r) => new(
        u.Id, u.Name, u.AccountId, u.Enabled, u.Description, u.Email, u.AreaCode, u.Phone, u.PasswordResetRequired, u.XUserType, u.XUserId,
        u.AccessMode, u.IsAccountOwner, Time(u.CreatedAt), Time(u.LastLoginAt), Time(u.PasswordChangedAt), null, Self(r, "/v3/users/" + u.Id));

    public static GroupView Group(IamGroup g, HttpRequest r) => new(g.Id, g.Name, g.Description, g.AccountId, Time(g.CreatedAt), Self(r, "/v3/groups/" + g.Id));

    public static RoleView Role(IamRole x, HttpRequest r) => new(
        x.Id, x.Name, x.DisplayName, x.Type, x.Catalog, x.Description, x.AccountId, JsonNode.Parse(x.PolicyJson),
        Time(x.CreatedAt), Time(x.UpdatedAt), Self(r, "/v3/roles/" + x.Id));

    public static CredentialView Credential(AccessKey k) => new(k.UserId, k.Access, k.Active ? "active" : "inactive", Time(k.CreatedAt), k.Description, Time(k.LastUsedAt));

    public static AgencyView Agency(Agency a, string? trustName) => new(
        a.Id, a.Name, a.AccountId, a.TrustAccountId, trustName, a.Description, a.Duration, Time(a.ExpiresAt), Time(a.CreatedAt));

    public static ProjectView Project(Project p, HttpRequest r) => new(p.Id, p.Name, p.AccountId, p.AccountId, p.Description, p.Enabled, false, Self(r, "/v3/projects/" + p.Id));

    public static Links Self(HttpRequest r, string path) => new($"{r.Scheme}://{r.Host}{path}");
}
