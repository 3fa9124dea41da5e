using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Demo;

/// <summary>One account of the demo world, with everything a developer needs to sign in or sign requests as it.</summary>
public sealed record DemoAccount(
    string Role, string DomainName, string DomainId, string Password, string AccessKey, string SecretKey,
    string? PartnerId = null, string? Partner = null, string? AssociationType = null);

/// <summary>
/// The demo world: the operator, a cloud solution provider, a distributor with one reseller, their customers, an
/// enterprise master with members, IAM users. Partners and customers are plain accounts until the partner capability
/// lands; it will associate them and fill partner_id.
/// </summary>
public sealed class DemoWorld(AppDbContext db, AccountService accounts, UserService users, GroupService groups, AccessKeyService keys, AuthService auth)
{
    /// <summary>True when the data dir holds nothing but what a bare start creates (the operator).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default) => await db.Accounts.CountAsync(a => !a.IsOperator, ct) == 0;

    public async Task<IReadOnlyList<DemoAccount>> CreateAsync(string operatorPassword, CancellationToken ct = default)
    {
        var world = new List<DemoAccount> { await WithKeyAsync("operator", Bootstrap.OperatorName, operatorPassword, ct) };
        world.Add(await NewAsync("csp", "demo-csp", "enterprise", ct));
        world.Add(await NewAsync("distributor", "demo-distributor", "enterprise", ct));
        world.Add(await NewAsync("reseller", "demo-reseller", "enterprise", ct));
        world.Add(await NewAsync("customer", "demo-csp-customer1", "individual", ct));
        world.Add(await NewAsync("customer", "demo-csp-customer2", "enterprise", ct));
        world.Add(await NewAsync("customer", "demo-csp-referral1", "enterprise", ct));
        world.Add(await NewAsync("customer", "demo-reseller-customer1", "individual", ct));
        world.Add(await NewAsync("enterprise_master", "demo-enterprise", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-dev", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-test", "enterprise", ct));
        await AddTeamAsync(world.Single(a => a.Role == "csp"), ct);
        return world;
    }

    async Task<DemoAccount> NewAsync(string role, string name, string type, CancellationToken ct)
    {
        var password = Bootstrap.NewPassword();
        await accounts.RegisterAsync(new Registration(name, password, name + "@demo.partner-center.local", null, type, "SG"), ct);
        return await WithKeyAsync(role, name, password, ct);
    }

    async Task<DemoAccount> WithKeyAsync(string role, string name, string password, CancellationToken ct)
    {
        var (owner, account) = await auth.SignInAsync(name, name, password, ct);
        var caller = AuthService.CallerOf(owner, account, null, null);
        var key = await keys.CreateAsync(caller, owner.Id, "demo key", ct);
        return new DemoAccount(role, account.Name, account.Id, password, key.Key.Access, key.Secret);
    }

    /// <summary>The CSP's staff: an administrator and a read-only sales user, in groups of their own.</summary>
    async Task AddTeamAsync(DemoAccount csp, CancellationToken ct)
    {
        var (owner, account) = await auth.SignInAsync(csp.DomainName, csp.DomainName, csp.Password, ct);
        var caller = AuthService.CallerOf(owner, account, null, null);
        var admin = await users.CreateAsync(caller, new UserInput("alice-admin", Bootstrap.NewPassword(), "alice@demo.partner-center.local"), ct);
        var sales = await users.CreateAsync(caller, new UserInput("bob-sales", Bootstrap.NewPassword(), "bob@demo.partner-center.local"), ct);
        var adminGroup = await db.Groups.SingleAsync(g => g.AccountId == account.Id && g.Name == GroupService.AdminGroupName, ct);
        await groups.AddUserAsync(caller, adminGroup.Id, admin.Id, ct);
        var viewers = await groups.CreateAsync(caller, "sales", "Read-only sales staff", ct);
        await groups.AddUserAsync(caller, viewers.Id, sales.Id, ct);
        db.GroupRoles.Add(new GroupRole { AccountId = account.Id, GroupId = viewers.Id, RoleId = SystemRoles.TenantGuest.Id });
        await db.SaveChangesAsync(ct);
    }
}
