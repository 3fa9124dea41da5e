using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

// The request and response shapes of access keys, agencies and permissions, field for field as the official SDK's IAM
// models send and read them. Policy documents keep Huawei's capitalised names (Version, Statement, Action...).

// ---- Permanent and temporary access keys ----

public sealed record CredentialBody(string? UserId = null, string? Description = null, string? Status = null);

public sealed record CredentialRequest(CredentialBody? Credential);

public sealed record NewCredential(string CreateTime, string Access, string Secret, string Status, string UserId, string Description);

public sealed record CreatePermanentAccessKeyResponse(NewCredential Credential);

public sealed record CredentialEntry(string UserId, string Access, string Status, string CreateTime, string Description);

public sealed record ListPermanentAccessKeysResponse(List<CredentialEntry> Credentials);

public sealed record UpdatePermanentAccessKeyResponse(CredentialEntry Credential);

/// <param name="LastUseTime">Absent until the key has signed a request.</param>
public sealed record CredentialDetails(string UserId, string Access, string Status, string CreateTime, string? LastUseTime, string Description);

public sealed record ShowPermanentAccessKeyResponse(CredentialDetails Credential);

/// <param name="Id">A token of the caller's own; without it the request's own token or access key stands.</param>
public sealed record SecurityTokenSource(string? Id = null, int? DurationSeconds = null);

public sealed record SessionUser(string? Name = null);

public sealed record AgencyIdentity(
    string? AgencyName = null, string? DomainId = null, string? DomainName = null, int? DurationSeconds = null, SessionUser? SessionUser = null);

/// <param name="Policy">A session policy document, checked as one (see AuthService.IssueTemporaryKeyAsync).</param>
public sealed record SecurityTokenIdentity(List<string>? Methods, SecurityTokenSource? Token = null, AgencyIdentity? AssumeRole = null, JsonNode? Policy = null);

public sealed record SecurityTokenAuth(SecurityTokenIdentity? Identity);

public sealed record SecurityTokenRequest(SecurityTokenAuth? Auth);

public sealed record TemporaryCredential(string ExpiresAt, string Access, string Secret, string Securitytoken);

/// <summary>CreateTemporaryAccessKeyByToken's and CreateTemporaryAccessKeyByAgency's answer (the two share the path and the shape).</summary>
public sealed record CreateTemporaryAccessKeyResponse(TemporaryCredential Credential);

// ---- Agencies ----

/// <param name="Duration">FOREVER, ONEDAY or a number of days; the SDK model sends it as a string or a number.</param>
public sealed record AgencyBody(
    string? Name = null, string? DomainId = null, string? TrustDomainId = null, string? TrustDomainName = null, string? Description = null, JsonNode? Duration = null)
{
    public AgencyInput ToInput() => new(Name, DomainId, TrustDomainId, TrustDomainName, Description, DurationText(Duration));

    static string? DurationText(JsonNode? duration) => duration switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.TryGetValue<int>(out var days) => days.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw Check.Invalid("agency.duration must be FOREVER, ONEDAY or a whole number of days."),
    };
}

public sealed record AgencyRequest(AgencyBody? Agency);

/// <summary>An agency as CreateAgency and UpdateAgency answer it.</summary>
/// <param name="ExpireTime">Absent for an agency valid forever.</param>
public sealed record AgencySummary(
    string CreateTime, string Description, string DomainId, string Duration, string? ExpireTime, string Id, string Name, string TrustDomainId);

public sealed record CreateAgencyResponse(AgencySummary Agency);

public sealed record UpdateAgencyResponse(AgencySummary Agency);

/// <summary>An agency as ListAgencies and ShowAgency answer it.</summary>
public sealed record AgencyDetails(
    string CreateTime, string Description, string DomainId, string Duration, string? ExpireTime, string Id, string Name,
    string TrustDomainId, string TrustDomainName, string AgencyUrn);

public sealed record ListAgenciesResponse(List<AgencyDetails> Agencies);

public sealed record ShowAgencyResponse(AgencyDetails Agency);

// ---- Permissions: system roles and policies (Keystone) and custom policies ----

public sealed record CustomPolicyBody(string? DisplayName = null, string? Type = null, string? Description = null, string? DescriptionCn = null, JsonNode? Policy = null)
{
    public CustomPolicyInput ToInput() => new(DisplayName, Type, Description, Policy, DescriptionCn);
}

public sealed record CustomPolicyRequest(CustomPolicyBody? Role);

/// <summary>A statement as the Keystone role model reads it: Condition and Resource whatever shape the policy gives them.</summary>
public sealed record RoleStatement(
    [property: JsonPropertyName("Action")] List<string> Action,
    [property: JsonPropertyName("Effect")] string Effect,
    [property: JsonPropertyName("Condition")] JsonNode? Condition,
    [property: JsonPropertyName("Resource")] JsonNode? Resource);

public sealed record RolePolicy(
    [property: JsonPropertyName("Statement")] List<RoleStatement> Statement,
    [property: JsonPropertyName("Version")] string Version);

/// <summary>A system role or policy, or a custom policy, as KeystoneListPermissions, KeystoneShowPermission and ListDomainPermissionsForAgency answer it.</summary>
/// <param name="Flag">fine_grained for a system policy; absent for a system role and a custom policy.</param>
/// <param name="DescriptionCn">The description in Chinese: every system role's, a custom policy's when it was given one.</param>
public sealed record Permission(
    string? DomainId, string? Flag, string? DescriptionCn, string Catalog, string Name, string Description, Links Links, string Id,
    string DisplayName, string Type, RolePolicy Policy, string UpdatedTime, string CreatedTime);

public sealed record KeystoneListPermissionsResponse(PageLinks Links, List<Permission> Roles, int TotalNumber);

public sealed record KeystoneShowPermissionResponse(Permission Role);

public sealed record ListDomainPermissionsForAgencyResponse(List<Permission> Roles);

/// <summary>A custom policy's statement as ListCustomPolicies and ShowCustomPolicy read it (Resource of any shape).</summary>
public sealed record CustomPolicyStatement(
    [property: JsonPropertyName("Action")] List<string> Action,
    [property: JsonPropertyName("Effect")] string Effect,
    [property: JsonPropertyName("Condition")] Dictionary<string, Dictionary<string, List<string>>>? Condition,
    [property: JsonPropertyName("Resource")] JsonNode? Resource);

public sealed record CustomPolicyDocument(
    [property: JsonPropertyName("Version")] string Version,
    [property: JsonPropertyName("Statement")] List<CustomPolicyStatement> Statement);

/// <summary>A custom policy's statement as the create and update answers read it (Resource a list of strings).</summary>
public sealed record WrittenPolicyStatement(
    [property: JsonPropertyName("Action")] List<string> Action,
    [property: JsonPropertyName("Effect")] string Effect,
    [property: JsonPropertyName("Condition")] Dictionary<string, Dictionary<string, List<string>>>? Condition,
    [property: JsonPropertyName("Resource")] List<string>? Resource);

public sealed record WrittenPolicyDocument(
    [property: JsonPropertyName("Version")] string Version,
    [property: JsonPropertyName("Statement")] List<WrittenPolicyStatement> Statement);

/// <summary>A custom policy as ListCustomPolicies answers it.</summary>
public sealed record CustomPolicy(
    string DomainId, string UpdatedTime, string CreatedTime, string? DescriptionCn, string Catalog, string Name, string Description,
    Links Links, string Id, string DisplayName, string Type, CustomPolicyDocument Policy);

public sealed record ListCustomPoliciesResponse(PageLinks Links, List<CustomPolicy> Roles, int TotalNumber);

/// <summary>A custom policy as ShowCustomPolicy answers it, with how many grants use it.</summary>
public sealed record CustomPolicyDetails(
    string DomainId, int References, string UpdatedTime, string CreatedTime, string? DescriptionCn, string Catalog, string Name,
    string Description, Links Links, string Id, string DisplayName, string Type, CustomPolicyDocument Policy);

public sealed record ShowCustomPolicyResponse(CustomPolicyDetails Role);

/// <summary>A custom policy as CreateCloudServiceCustomPolicy and UpdateCloudServiceCustomPolicy answer it.</summary>
public sealed record WrittenCustomPolicy(
    string Catalog, string DisplayName, string Description, Links Links, WrittenPolicyDocument Policy, string? DescriptionCn,
    string DomainId, string Type, string Id, string Name, string UpdatedTime, string CreatedTime);

public sealed record CreateCloudServiceCustomPolicyResponse(WrittenCustomPolicy Role);

public sealed record UpdateCloudServiceCustomPolicyResponse(WrittenCustomPolicy Role);

public sealed record DeleteCustomPolicyResponse(string Message);

/// <summary>Maps Core's keys, agencies and roles to the shapes above.</summary>
public static class AccessViews
{
    public static CredentialEntry Credential(AccessKey k) => new(k.UserId, k.Access, Status(k), Time(k.CreatedAt), k.Description);

    public static CredentialDetails CredentialDetails(AccessKey k) => new(k.UserId, k.Access, Status(k), Time(k.CreatedAt), Time(k.LastUsedAt), k.Description);

    public static NewCredential NewCredential(NewAccessKey created) =>
        new(Time(created.Key.CreatedAt), created.Key.Access, created.Secret, Status(created.Key), created.Key.UserId, created.Key.Description);

    static string Status(AccessKey k) => k.Active ? "active" : "inactive";

    public static AgencySummary AgencySummary(Agency a) =>
        new(Time(a.CreatedAt), a.Description, a.AccountId, a.Duration, Time(a.ExpiresAt), a.Id, a.Name, a.TrustAccountId);

    public static AgencyDetails AgencyDetails(Agency a, string trustDomainName) =>
        new(Time(a.CreatedAt), a.Description, a.AccountId, a.Duration, Time(a.ExpiresAt), a.Id, a.Name, a.TrustAccountId, trustDomainName,
            $"iam::{a.AccountId}:agency:{a.Name}");

    /// <summary>Role and policy times are epoch milliseconds written as strings, as IAM writes them.</summary>
    public static string Millis(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Permission Permission(IamRole r, HttpRequest request)
    {
        var system = SystemRoles.ById.GetValueOrDefault(r.Id);
        var policy = JsonNode.Parse(r.PolicyJson)!;
        var statements = Statements(policy).Select(s => new RoleStatement(Actions(s), Effect(s), s["Condition"]?.DeepClone(), s["Resource"]?.DeepClone())).ToList();
        return new(r.AccountId, system is { IsPolicy: true } ? "fine_grained" : null, r.DescriptionCn, r.Catalog, r.Name, r.Description,
            new Links(Self(request, "/v3/roles/" + r.Id).Self), r.Id, r.DisplayName, r.Type, new RolePolicy(statements, Version(policy)),
            Millis(r.UpdatedAt), Millis(r.CreatedAt));
    }

    public static CustomPolicy CustomPolicy(IamRole r, HttpRequest request) =>
        new(r.AccountId!, Millis(r.UpdatedAt), Millis(r.CreatedAt), r.DescriptionCn, r.Catalog, r.Name, r.Description, CustomLink(r, request), r.Id,
            r.DisplayName, r.Type, CustomDocument(r));

    public static CustomPolicyDetails CustomPolicyDetails(IamRole r, int references, HttpRequest request) =>
        new(r.AccountId!, references, Millis(r.UpdatedAt), Millis(r.CreatedAt), r.DescriptionCn, r.Catalog, r.Name, r.Description, CustomLink(r, request), r.Id,
            r.DisplayName, r.Type, CustomDocument(r));

    public static WrittenCustomPolicy WrittenCustomPolicy(IamRole r, HttpRequest request)
    {
        var policy = JsonNode.Parse(r.PolicyJson)!;
        var statements = Statements(policy).Select(s => new WrittenPolicyStatement(Actions(s), Effect(s), Condition(s), s["Resource"]?.AsArray().Select(x => x!.GetValue<string>()).ToList())).ToList();
        return new(r.Catalog, r.DisplayName, r.Description, CustomLink(r, request), new WrittenPolicyDocument(Version(policy), statements), r.DescriptionCn,
            r.AccountId!, r.Type, r.Id, r.Name, Millis(r.UpdatedAt), Millis(r.CreatedAt));
    }

    static CustomPolicyDocument CustomDocument(IamRole r)
    {
        var policy = JsonNode.Parse(r.PolicyJson)!;
        return new(Version(policy), Statements(policy).Select(s => new CustomPolicyStatement(Actions(s), Effect(s), Condition(s), s["Resource"]?.DeepClone())).ToList());
    }

    static Links CustomLink(IamRole r, HttpRequest request) => new(Self(request, "/v3.0/OS-ROLE/roles/" + r.Id).Self);

    /// <summary>The list's own link and, when paged, the neighbouring pages.</summary>
    public static PageLinks PageLinks(HttpRequest request, string path, int? page, int? perPage, int total)
    {
        string At(int p) => Self(request, $"{path}?page={p}&per_page={perPage}").Self;
        var self = Self(request, path + request.QueryString).Self;
        if (page is not { } p || perPage is not { } n) return new(self, null, null);
        return new(self, p > 1 ? At(p - 1) : null, (long)p * n < total ? At(p + 1) : null);
    }

    // Stored documents were checked by PolicyDocument when written; these read the parts the models carry.
    static IEnumerable<JsonObject> Statements(JsonNode policy) => policy["Statement"]!.AsArray().OfType<JsonObject>();

    static string Version(JsonNode policy) => policy["Version"]!.GetValue<string>();

    static string Effect(JsonObject statement) => statement["Effect"]!.GetValue<string>();

    static List<string> Actions(JsonObject statement) => statement["Action"]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [];

    static Dictionary<string, Dictionary<string, List<string>>>? Condition(JsonObject statement) =>
        statement["Condition"]?.Deserialize<Dictionary<string, Dictionary<string, List<string>>>>();
}
