using System.Security.Cryptography;
using System.Text;

namespace PartnerCenter.Core.Iam;

/// <summary>The built-in roles and policies every account can grant. Ids are derived from the name so they are the same everywhere.</summary>
public static class SystemRoles
{
    /// <param name="IsPolicy">A fine-grained system policy rather than a system role (what KeystoneListPermissions' permission_type tells apart).</param>
    public sealed record Definition(string Name, string DisplayName, string Type, string Description, string DescriptionCn, string PolicyJson, bool IsPolicy = false)
    {
        public string Id { get; } = IdOf(Name);
    }

    public static string IdOf(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("system-role:" + name)))[..32];

    const string AllActions = """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["*:*:*"]}]}""";
    // Every service but IAM, named one by one: the SDK's policy model has no NotAction, and a Deny of iam:*:* would also
    // take IAM away from a user who holds Security Administrator beside this role.
    const string AllButIam = """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:*:*","osm:*:*","operator:*:*","sandbox:*:*"]}]}""";
    const string ReadOnly = """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["*:*:get*","*:*:list*","*:*:show*","*:*:check*","*:*:view*"]}]}""";

    public static readonly Definition Admin = new("admin", "Administrator", "AA",
        "All operations on every service of the account, IAM included.", "账号下所有服务的全部操作权限，包括IAM。", AllActions);
    public static readonly Definition TenantAdministrator = new("te_admin", "Tenant Administrator", "AA",
        "All operations on every service except IAM.", "除IAM外所有服务的全部操作权限。", AllButIam);
    public static readonly Definition SecurityAdministrator = new("secu_admin", "Security Administrator", "AX",
        "IAM: users, groups, permissions, access keys, agencies and security policies.", "IAM的全部权限：用户、用户组、权限、访问密钥、委托和安全策略。",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["iam:*:*"]}]}""");
    public static readonly Definition TenantGuest = new("readonly", "Tenant Guest", "AA",
        "Read-only access to every service.", "所有服务的只读权限。", ReadOnly);
    public static readonly Definition FullAccess = new("FullAccess", "FullAccess", "AA",
        "Full permissions for all services that support policy-based authorization, except IAM.", "支持策略授权的所有服务的全部权限，IAM除外。", AllButIam, IsPolicy: true);
    public static readonly Definition ReadOnlyAccess = new("ReadOnlyAccess", "ReadOnlyAccess", "AA",
        "Read-only permissions for all services that support policy-based authorization.", "支持策略授权的所有服务的只读权限。", ReadOnly, IsPolicy: true);
    public static readonly Definition BssAdministrator = new("bss_adm", "BSS Administrator", "AX",
        "All operations on billing center resources: orders, budgets, customers, bills.", "费用中心的全部操作权限：订单、预算、客户、账单。",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:*:*"]}]}""");
    public static readonly Definition BssReadOnly = new("bss_viewer", "BSS ReadOnlyAccess", "AX",
        "Read-only access to billing center resources.", "费用中心的只读权限。",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:*:get*","bss:*:list*","bss:*:show*","bss:*:view*"]}]}""", IsPolicy: true);

    public static IReadOnlyList<Definition> All { get; } =
        [Admin, TenantAdministrator, SecurityAdministrator, TenantGuest, FullAccess, ReadOnlyAccess, BssAdministrator, BssReadOnly];

    public static IReadOnlyDictionary<string, Definition> ById { get; } = All.ToDictionary(d => d.Id);
}
