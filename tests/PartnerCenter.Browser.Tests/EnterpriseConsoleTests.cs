using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Enterprise Center in the console: enabling it, the organization's units, members created and invited, and the member's side.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class EnterpriseConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    static async Task SignInAsync(IPage page, string account)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(Password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    /// <summary>A new enterprise account enables Enterprise Center in the console; ends on the organization page.</summary>
    async Task<(IPage Page, string Master)> NewMasterAsync()
    {
        var master = await api.NewAccountAsync("ent");
        var page = await server.NewPageAsync();
        await SignInAsync(page, master);
        await page.GetByTestId("nav-enterprise-enable").ClickAsync();
        await page.GetByTestId("enterprise-enable").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/enterprise/organization"));
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("enterprise master");
        return (page, master);
    }

    static ILocator UnitRow(IPage page, string name) => page.Locator($"[data-testid=unit-row][data-unit-name=\"{name}\"]");
    static ILocator MemberRow(IPage page, string name) => page.Locator($"[data-testid=member-row][data-member-name=\"{name}\"]");

    static async Task CreateUnitAsync(IPage page, string name, string parentLabel)
    {
        await page.GetByTestId("unit-create-name").FillAsync(name);
        await page.GetByTestId("unit-create-parent").SelectOptionAsync(new SelectOptionValue { Label = parentLabel });
        await page.GetByTestId("unit-create-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(name);
    }

    [Fact]
    public async Task An_enterprise_account_enables_enterprise_center_and_a_partner_sees_no_entry()
    {
        var (page, master) = await NewMasterAsync();
        await Expect(page.GetByTestId("nav-enterprise-organization")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-enterprise-enable")).ToHaveCountAsync(0);
        await Expect(UnitRow(page, master)).ToHaveCountAsync(1);

        var (partner, _, _) = await api.NewPartnerAsync();
        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        await Expect(partnerPage.GetByTestId("nav-enterprise")).ToHaveCountAsync(0);
        await partnerPage.GotoAsync("/console/enterprise");
        await Expect(partnerPage.GetByTestId("enterprise-not-eligible")).ToContainTextAsync("partner");
        await Expect(partnerPage.GetByTestId("enterprise-enable")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_master_builds_its_organization_tree_renames_moves_and_deletes_units()
    {
        var (page, master) = await NewMasterAsync();
        await CreateUnitAsync(page, "Development", master);
        await CreateUnitAsync(page, "Testing", master);
        await CreateUnitAsync(page, "Backend", "\u00A0\u00A0\u00A0Development");
        await Expect(UnitRow(page, "Backend")).ToHaveAttributeAsync("data-depth", "2");

        // Development cannot go under its own Backend unit.
        var dev = UnitRow(page, "Development");
        await dev.GetByTestId("unit-move-parent").SelectOptionAsync(new SelectOptionValue { Label = "\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0Backend" });
        await dev.GetByTestId("unit-move").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("descendants");

        var backend = UnitRow(page, "Backend");
        await backend.GetByTestId("unit-move-parent").SelectOptionAsync(new SelectOptionValue { Label = "\u00A0\u00A0\u00A0Testing" });
        await backend.GetByTestId("unit-move").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("moved");
        await UnitRow(page, "Backend").GetByTestId("unit-rename-name").FillAsync("Automation");
        await UnitRow(page, "Backend").GetByTestId("unit-rename").ClickAsync();
        await Expect(UnitRow(page, "Automation")).ToHaveCountAsync(1);

        await UnitRow(page, "Testing").GetByTestId("unit-delete").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("move or remove them first");
        await UnitRow(page, "Automation").GetByTestId("unit-delete").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("deleted");
        await Expect(UnitRow(page, "Automation")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=unit-row]")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task A_master_invites_an_account_that_accepts_in_my_organization_and_another_that_declines()
    {
        var (page, master) = await NewMasterAsync();
        await CreateUnitAsync(page, "Testing", master);
        var joiner = await api.NewAccountAsync("yes");
        var decliner = await api.NewAccountAsync("no");
        await page.GotoAsync("/console/enterprise/members");
        await Expect(page.GetByTestId("invite-requirements")).ToContainTextAsync("not a customer of a partner");
        foreach (var (name, custody) in new[] { (joiner, true), (decliner, false) })
        {
            await page.GetByTestId("member-invite-account").FillAsync(name);
            await page.GetByTestId("member-invite-unit").SelectOptionAsync(new SelectOptionValue { Label = "\u00A0\u00A0\u00A0Testing" });
            if (custody) await page.GetByTestId("member-invite-custody").CheckAsync();
            await page.GetByTestId("member-invite-submit").ClickAsync();
            await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(name);
        }

        var joinerPage = await server.NewPageAsync();
        await SignInAsync(joinerPage, joiner);
        await joinerPage.GetByTestId("nav-my-organization").ClickAsync();
        var row = joinerPage.Locator($"[data-testid=enterprise-received-row][data-master=\"{master}\"]");
        await Expect(row).ToContainTextAsync("Financial custody");
        await row.GetByTestId("enterprise-invitation-accept").ClickAsync();
        await Expect(joinerPage.GetByTestId("alert-success")).ToContainTextAsync(master);
        await Expect(joinerPage.GetByTestId("my-organization-master")).ToHaveTextAsync(master);
        await Expect(joinerPage.GetByTestId("my-organization-unit")).ToHaveTextAsync("Testing");
        await Expect(joinerPage.GetByTestId("my-organization-custody")).ToContainTextAsync("financial custody");

        var declinerPage = await server.NewPageAsync();
        await SignInAsync(declinerPage, decliner);
        await declinerPage.GotoAsync("/console/my-organization");
        await declinerPage.GetByTestId("enterprise-invitation-decline").ClickAsync();
        await Expect(declinerPage.GetByTestId("alert-success")).ToContainTextAsync("independent");
        await Expect(declinerPage.GetByTestId("no-organization")).ToBeVisibleAsync();

        await page.GotoAsync("/console/enterprise/members");
        await Expect(MemberRow(page, joiner).GetByTestId("member-unit")).ToHaveTextAsync("Testing");
        await Expect(MemberRow(page, joiner).GetByTestId("member-custody")).ToHaveTextAsync("Custody");
        await Expect(MemberRow(page, decliner)).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-testid=enterprise-invitation-row][data-invitee=\"{decliner}\"]").GetByTestId("enterprise-invitation-status")).ToHaveTextAsync("Declined");
    }

    [Fact]
    public async Task A_master_cancels_a_sent_invitation_and_the_invitees_my_organization_no_longer_offers_it()
    {
        var (page, master) = await NewMasterAsync();
        var invitee = await api.NewAccountAsync("inv");
        await page.GotoAsync("/console/enterprise/members");
        await page.GetByTestId("member-invite-account").FillAsync(invitee);
        await page.GetByTestId("member-invite-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(invitee);

        var inviteePage = await server.NewPageAsync();
        await SignInAsync(inviteePage, invitee);
        await inviteePage.GotoAsync("/console/my-organization");
        await Expect(inviteePage.Locator($"[data-testid=enterprise-received-row][data-master=\"{master}\"]")).ToHaveCountAsync(1);

        var row = page.Locator($"[data-testid=enterprise-invitation-row][data-invitee=\"{invitee}\"]");
        await row.GetByTestId("enterprise-invitation-cancel").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("withdrawn");
        await Expect(row.GetByTestId("enterprise-invitation-status")).ToHaveTextAsync("Cancelled");
        await Expect(row.GetByTestId("enterprise-invitation-cancel")).ToHaveCountAsync(0);

        await inviteePage.ReloadAsync();
        await Expect(inviteePage.Locator("[data-testid=enterprise-received-row]")).ToHaveCountAsync(0);
        await Expect(inviteePage.GetByTestId("no-organization")).ToBeVisibleAsync();
        await Expect(inviteePage.GetByTestId("enterprise-events")).ToContainTextAsync("withdrew its invitation");
    }

    [Fact]
    public async Task A_master_creates_a_member_with_a_verification_code_filters_moves_and_removes_it()
    {
        var (page, master) = await NewMasterAsync();
        await CreateUnitAsync(page, "Finance", master);
        await page.GotoAsync("/console/enterprise/members");
        await Expect(page.GetByTestId("members-empty")).ToBeVisibleAsync();
        var mobile = "13" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        await page.GetByTestId("member-code-mobile").FillAsync(mobile);
        await page.GetByTestId("member-send-code").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("verification code was sent");
        var code = Regex.Match(await server.LatestMessageAsync("sms:+86-" + mobile), @"\b\d{6}\b").Value;

        var name = PartnerApi.Unique("member");
        await page.GetByTestId("member-create-name").FillAsync(name);
        await page.GetByTestId("member-create-display").FillAsync("Finance team");
        await page.GetByTestId("member-create-password").FillAsync(Password);
        await page.GetByTestId("member-create-code").FillAsync(code);
        await page.GetByTestId("member-create-unit").SelectOptionAsync(new SelectOptionValue { Label = "\u00A0\u00A0\u00A0Finance" });
        await page.GetByTestId("member-create-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(name);
        await Expect(MemberRow(page, name).GetByTestId("member-unit")).ToHaveTextAsync("Finance");
        await Expect(MemberRow(page, name).GetByTestId("member-status")).ToHaveTextAsync("Normal");

        await page.GetByTestId("filter-member-account").FillAsync(name[..8]);
        await page.GetByTestId("filter-member-submit").ClickAsync();
        await Expect(page.GetByTestId("members-empty")).ToBeVisibleAsync();
        await page.GetByTestId("filter-member-fuzzy").CheckAsync();
        await page.GetByTestId("filter-member-submit").ClickAsync();
        await Expect(MemberRow(page, name)).ToHaveCountAsync(1);

        await MemberRow(page, name).GetByTestId("member-move-unit").SelectOptionAsync(new SelectOptionValue { Label = master });
        await MemberRow(page, name).GetByTestId("member-move").ClickAsync();
        await Expect(MemberRow(page, name).GetByTestId("member-unit")).ToHaveTextAsync(master);

        // The new member signs in to its own account and sees its organization.
        var memberPage = await server.NewPageAsync();
        await SignInAsync(memberPage, name);
        await memberPage.GetByTestId("nav-my-organization").ClickAsync();
        await Expect(memberPage.GetByTestId("my-organization-master")).ToHaveTextAsync(master);

        await MemberRow(page, name).GetByTestId("member-remove").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("independent");
        await Expect(MemberRow(page, name)).ToHaveCountAsync(0);
        await memberPage.ReloadAsync();
        await Expect(memberPage.Locator("[data-testid=enterprise-event][data-kind=\"member.removed\"]")).ToHaveCountAsync(1);
    }
}
