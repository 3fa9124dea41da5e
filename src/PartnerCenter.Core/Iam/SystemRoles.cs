using System.Security.Cryptography;
using System.Text;

namespace PartnerCenter.Core.Iam;

/// <summary>The built-in roles and policies every account can grant. Ids are derived from the name so they are the same everywhere.</summary>
public static class SystemRoles
{
    public sealed record Definition(string Name, string DisplayName, string Type, string Description, string PolicyJson)
    {
        public string Id { get; } = IdOf(Name);
    }

    public static string IdOf(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("system-role:" + name)))[..32];

    const string AllActions = """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["*:*:*"]}]}""";
    const string AllButIam = """{"Version":"1.1","Statement":[{"Effect":"Allow","NotAction":["iam:*:*"]}]}""";
    const string ReadOnly = """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["*:*:get*","*:*:list*","*:*:show*","*:*:check*","*:*:view*"]}]}""";

    public static readonly Definition Admin = new("admin", "Administrator", "AA",
        "All operations on every service of the account, IAM included.", AllActions);
    public static readonly Definition TenantAdministrator = new("te_admin", "Tenant Administrator", "AA",
        "All operations on every service except IAM.", AllButIam);
    public static readonly Definition SecurityAdministrator = new("secu_admin", "Security Administrator", "AX",
        "IAM: users, groups, permissions, access keys, agencies and security policies.",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["iam:*:*"]}]}""");
    public static readonly Definition TenantGuest = new("readonly", "Tenant Guest", "AA",
        "Read-only access to every service.", ReadOnly);
    public static readonly Definition FullAccess = new("FullAccess", "FullAccess", "AA",
        "Full permissions for all services that support policy-based authorization, except IAM.", AllButIam);
    public static readonly Definition ReadOnlyAccess = new("ReadOnlyAccess", "ReadOnlyAccess", "AA",
        "Read-only permissions for all services that support policy-based authorization.", ReadOnly);
    public static readonly Definition BssAdministrator = new("bss_adm", "BSS Administrator", "AX",
        "All operations on billing center resources: orders, budgets, customers, bills.",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:*:*"]}]}""");
    public static readonly Definition BssReadOnly = new("bss_viewer", "BSS ReadOnlyAccess", "AX",
        "Read-only access to billing center resources.",
        """{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["bss:*:get*","bss:*:list*","bss:*:show*","bss:*:view*"]}]}""");

    public static IReadOnlyList<Definition> All { get; } =
        [Admin, TenantAdministrator, SecurityAdministrator, TenantGuest, FullAccess, ReadOnlyAccess, BssAdministrator, BssReadOnly];
}
