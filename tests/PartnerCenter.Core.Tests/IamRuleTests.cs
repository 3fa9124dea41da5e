using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

public sealed class IamRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task An_iam_user_without_groups_may_not_write_until_its_group_is_granted_admin()
    {
        var (owner, _) = await h.NewAccountAsync();
        var user = await h.NewIamUserAsync(owner);
        var denied = await h.FailsAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(user, new UserInput("newbie", "Newbie#1234")));
        Assert.Equal(ErrorKind.Forbidden, denied.Kind);

        await h.InScopeAsync(async sp =>
        {
            var groups = sp.GetRequiredService<GroupService>();
            var group = await groups.CreateAsync(owner, "ops", null);
            await groups.AddUserAsync(owner, group.Id, user.UserId);
            await sp.GetRequiredService<RoleService>().GrantToGroupAsync(owner, owner.AccountId, group.Id, SystemRoles.Admin.Id);
        });
        var created = await h.InScopeAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(user, new UserInput("newbie", "Newbie#1234")));
        Assert.Equal(owner.AccountId, created.AccountId);
    }

    [Fact]
    public async Task A_custom_deny_policy_beats_the_admin_role()
    {
        var (owner, _) = await h.NewAccountAsync();
        var user = await h.NewIamUserAsync(owner);
        await h.InScopeAsync(async sp =>
        {
            var groups = sp.GetRequiredService<GroupService>();
            var roles = sp.GetRequiredService<RoleService>();
            var group = await groups.CreateAsync(owner, "almost-admins", null);
            await groups.AddUserAsync(owner, group.Id, user.UserId);
            await roles.GrantToGroupAsync(owner, owner.AccountId, group.Id, SystemRoles.Admin.Id);
            var deny = await roles.CreateCustomAsync(owner, new CustomPolicyInput("no-deletes", "AX", null,
                JsonNode.Parse("""{"Version":"1.1","Statement":[{"Effect":"Deny","Action":["iam:users:deleteUser"]}]}""")));
            await roles.GrantToGroupAsync(owner, owner.AccountId, group.Id, deny.Id);
        });
        var victim = await h.NewIamUserAsync(owner);
        var error = await h.FailsAsync(sp => sp.GetRequiredService<UserService>().DeleteAsync(user, victim.UserId));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        await h.InScopeAsync(sp => sp.GetRequiredService<UserService>().GetAsync(user, victim.UserId));
    }

    [Fact]
    public async Task Another_accounts_users_groups_and_keys_are_not_found()
    {
        var (a, _) = await h.NewAccountAsync();
        var (b, _) = await h.NewAccountAsync();
        var bUser = await h.NewIamUserAsync(b);
        var bKey = await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(b, bUser.UserId, null));
        var bGroup = await h.InScopeAsync(sp => sp.GetRequiredService<GroupService>().CreateAsync(b, "b-group", null));

        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<UserService>().GetAsync(a, bUser.UserId))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<UserService>().DeleteAsync(a, bUser.UserId))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<AccessKeyService>().GetAsync(a, bKey.Key.Access))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<GroupService>().AddUserAsync(a, bGroup.Id, a.UserId))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<RoleService>().GrantToGroupAsync(a, b.AccountId, bGroup.Id, SystemRoles.Admin.Id))).Kind);
        var listed = await h.InScopeAsync(sp => sp.GetRequiredService<UserService>().ListAsync(a, null, null));
        Assert.All(listed, u => Assert.Equal(a.AccountId, u.AccountId));
    }

    [Fact]
    public async Task A_user_has_at_most_two_access_keys_and_secrets_are_stored_encrypted()
    {
        var (owner, _) = await h.NewAccountAsync();
        var first = await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(owner, null, "one"));
        await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(owner, null, "two"));
        var third = await h.FailsAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(owner, null, "three"));
        Assert.Equal("IAM.0012", third.Code);

        await using var db = h.NewDbContext();
        var stored = await db.AccessKeys.SingleAsync(k => k.Access == first.Key.Access);
        Assert.DoesNotContain(first.Secret, stored.ProtectedSecret);
        var found = await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().FindAccessKeyAsync(first.Key.Access));
        Assert.Equal(first.Secret, found.Secret);
    }

    [Fact]
    public async Task A_disabled_key_no_longer_authenticates()
    {
        var (owner, _) = await h.NewAccountAsync();
        var key = await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(owner, null, null));
        await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().UpdateAsync(owner, key.Key.Access, "inactive", null));
        var error = await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().FindAccessKeyAsync(key.Key.Access));
        Assert.Equal(ErrorKind.Unauthorized, error.Kind);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_lock_the_user_until_the_lockout_ends()
    {
        var (owner, password) = await h.NewAccountAsync();
        for (var i = 0; i < 5; i++)
            await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().SignInAsync(owner.AccountName, owner.UserName, "Wrong#Pass1"));
        var locked = await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().SignInAsync(owner.AccountName, owner.UserName, password));
        Assert.Equal("IAM.0102", locked.Code);

        h.RealTime.Advance(TimeSpan.FromMinutes(16));
        await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().SignInAsync(owner.AccountName, owner.UserName, password));
    }

    [Fact]
    public async Task Tokens_expire_after_24_hours()
    {
        var (owner, password) = await h.NewAccountAsync();
        var token = await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().IssuePasswordTokenAsync(owner.AccountName, owner.UserName, password, new TokenScope()));
        Assert.Equal(TimeSpan.FromHours(24), token.ExpiresAt - token.IssuedAt);
        h.RealTime.Advance(TimeSpan.FromHours(23));
        await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().ValidateTokenAsync(token.Token));
        h.RealTime.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ErrorKind.Unauthorized, (await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().ValidateTokenAsync(token.Token))).Kind);
    }

    [Fact]
    public async Task An_agency_token_acts_in_the_delegating_account_with_the_agency_roles_only()
    {
        var (customer, _) = await h.NewAccountAsync("customer");
        var (partner, partnerPassword) = await h.NewAccountAsync("partner");
        await h.InScopeAsync(async sp =>
        {
            var agencies = sp.GetRequiredService<AgencyService>();
            var agency = await agencies.CreateAsync(customer, new AgencyInput("partner-ops", null, partner.AccountId, null, null, null));
            await agencies.GrantAsync(customer, customer.AccountId, agency.Id, SystemRoles.TenantGuest.Id);
        });
        var partnerToken = await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().IssuePasswordTokenAsync(partner.AccountName, partner.UserName, partnerPassword, new TokenScope()));
        var agencyToken = await h.InScopeAsync(sp => sp.GetRequiredService<AuthService>().IssueAgencyTokenAsync(partnerToken.Caller, null, customer.AccountName, "partner-ops", null, new TokenScope()));

        var delegated = agencyToken.Caller;
        Assert.Equal(customer.AccountId, delegated.AccountId);
        Assert.True(delegated.IsDelegated);
        var users = await h.InScopeAsync(sp => sp.GetRequiredService<UserService>().ListAsync(delegated, null, null));
        Assert.Contains(users, u => u.Id == customer.UserId);
        var write = await h.FailsAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(delegated, new UserInput("sneaky", "Sneaky#1234")));
        Assert.Equal(ErrorKind.Forbidden, write.Kind);
    }

    [Fact]
    public async Task Only_the_trusted_account_may_assume_an_agency()
    {
        var (customer, _) = await h.NewAccountAsync();
        var (partner, _) = await h.NewAccountAsync();
        var (stranger, _) = await h.NewAccountAsync();
        await h.InScopeAsync(sp => sp.GetRequiredService<AgencyService>().CreateAsync(customer, new AgencyInput("ops", null, partner.AccountId, null, null, null)));
        var error = await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().IssueAgencyTokenAsync(stranger, customer.AccountId, null, "ops", null, new TokenScope()));
        Assert.Equal("IAM.0107", error.Code);
    }

    [Fact]
    public async Task Account_names_and_emails_are_unique()
    {
        var (owner, _) = await h.NewAccountAsync();
        var sameName = await h.FailsAsync(sp => sp.GetRequiredService<AccountService>().RegisterAsync(new Registration(owner.AccountName, "Secret#Pass123", "other@example.com", null, null, "SG")));
        Assert.Equal("CBC.30000052", sameName.Code);
        var sameEmail = await h.FailsAsync(sp => sp.GetRequiredService<AccountService>().RegisterAsync(new Registration("another-name", "Secret#Pass123", owner.AccountName + "@example.com", null, null, "SG")));
        Assert.Equal("CBC.30000053", sameEmail.Code);
    }

    [Theory]
    [InlineData("ab", "Secret#Pass123", "x@example.com", "SG")]       // name too short
    [InlineData("1abcdef", "Secret#Pass123", "x@example.com", "SG")]  // starts with a digit
    [InlineData("goodname", "weak", "x@example.com", "SG")]           // weak password
    [InlineData("goodname", "Secret#Pass123", "not-an-email", "SG")]
    [InlineData("goodname", "Secret#Pass123", null, "SG")]            // neither email nor mobile
    [InlineData("goodname", "Secret#Pass123", "x@example.com", "Singapore")]
    public async Task Invalid_registrations_are_refused_and_write_nothing(string name, string password, string? email, string country)
    {
        await using var before = h.NewDbContext();
        var count = await before.Accounts.CountAsync();
        var error = await h.FailsAsync(sp => sp.GetRequiredService<AccountService>().RegisterAsync(new Registration(name, password, email, null, null, country)));
        Assert.Equal(ErrorKind.Validation, error.Kind);
        await using var after = h.NewDbContext();
        Assert.Equal(count, await after.Accounts.CountAsync());
    }

    [Fact]
    public async Task A_closed_account_can_no_longer_sign_in_and_its_keys_stop_working()
    {
        var (owner, password) = await h.NewAccountAsync();
        var key = await h.InScopeAsync(sp => sp.GetRequiredService<AccessKeyService>().CreateAsync(owner, null, null));
        await h.InScopeAsync(sp => sp.GetRequiredService<AccountService>().CloseAsync(owner, password));
        Assert.Equal("IAM.0104", (await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().SignInAsync(owner.AccountName, owner.UserName, password))).Code);
        Assert.Equal(ErrorKind.Unauthorized, (await h.FailsAsync(sp => sp.GetRequiredService<AuthService>().FindAccessKeyAsync(key.Key.Access))).Kind);
    }

    [Fact]
    public async Task An_iam_user_cannot_close_the_account()
    {
        var (owner, _) = await h.NewAccountAsync();
        var user = await h.NewIamUserAsync(owner);
        Assert.Equal(ErrorKind.Forbidden, (await h.FailsAsync(sp => sp.GetRequiredService<AccountService>().CloseAsync(user, "User#Pass1234"))).Kind);
    }
}

/// <summary>Closing is refused while any registered check holds the account open (money owed, resources, a partner).</summary>
public sealed class AccountClosureTests : IAsyncLifetime
{
    sealed class OwesMoney : IAccountClosureCheck
    {
        public static readonly HashSet<string> Debtors = [];
        public Task<string?> ReasonToKeepOpenAsync(string accountId, CancellationToken ct) =>
            Task.FromResult(Debtors.Contains(accountId) ? "it still owes 12.34 USD." : null);
    }

    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(s => s.AddSingleton<IAccountClosureCheck, OwesMoney>());
    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Closing_is_refused_with_the_reason_while_a_check_holds_the_account()
    {
        var (owner, password) = await h.NewAccountAsync();
        OwesMoney.Debtors.Add(owner.AccountId);
        var error = await h.FailsAsync(sp => sp.GetRequiredService<AccountService>().CloseAsync(owner, password));
        Assert.Equal("CBC.30000060", error.Code);
        Assert.Contains("owes", error.Message);
        await using var db = h.NewDbContext();
        Assert.Equal(AccountStatus.Active, (await db.Accounts.SingleAsync(a => a.Id == owner.AccountId)).Status);
    }
}
