using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>Enterprise Center: who may become a master, the organization tree, and how accounts join and leave it.</summary>
public sealed class EnterpriseOrganizationRuleTests : IAsyncLifetime
{
    /// <summary>Holds the members a test names, as a transfer or bill capability would.</summary>
    sealed class HeldMembers : IEnterpriseMemberRemovalCheck
    {
        public static readonly HashSet<string> Held = [];
        public Task<string?> ReasonToKeepAsync(string masterAccountId, string memberAccountId, CancellationToken ct) =>
            Task.FromResult(Held.Contains(memberAccountId) ? "money it was transferred has not been retrieved." : null);
    }

    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(s => s.AddScoped<IEnterpriseMemberRemovalCheck, HeldMembers>());
    public async Task DisposeAsync() => await h.DisposeAsync();

    Task<T> Run<T>(Func<IServiceProvider, Task<T>> work) => h.InScopeAsync(work);
    static EnterpriseCenter Center(IServiceProvider sp) => sp.GetRequiredService<EnterpriseCenter>();
    static EnterpriseOrganization Org(IServiceProvider sp) => sp.GetRequiredService<EnterpriseOrganization>();
    static EnterpriseMembers Members(IServiceProvider sp) => sp.GetRequiredService<EnterpriseMembers>();

    async Task<(Caller Caller, EnterpriseMaster Master)> NewMasterAsync()
    {
        var (owner, _) = await h.NewAccountAsync("ent");
        return (owner, await Run(sp => Center(sp).EnableAsync(owner)));
    }

    async Task<Caller> NewIndividualAsync()
    {
        var name = "ind" + Guid.NewGuid().ToString("N")[..10];
        return await Run(async sp =>
        {
            await sp.GetRequiredService<AccountService>().RegisterAsync(new Registration(name, "Secret#Pass123", name + "@example.com", null, "individual", "SG"));
            var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(name, name, "Secret#Pass123");
            return AuthService.CallerOf(user, account, null, null);
        });
    }

    /// <summary>Sends a code to the number and reads it from the outbox, as the phone's owner would read the SMS.</summary>
    async Task<string> SendCodeAsync(Caller master, string mobile, string storedAs)
    {
        await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseSmsCodes>().SendAsync(master, mobile, null, "en-us", [new SmsTemplateArg("sub_customer_name", "dev")]));
        await using var db = h.NewDbContext();
        var sms = await db.OutboxMessages.Where(m => m.To == "sms:" + storedAs).OrderByDescending(m => m.Id).FirstAsync();
        return Regex.Match(sms.Body, @"\b\d{6}\b").Value;
    }

    static string NewMobile() => "13" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    [Fact]
    public async Task An_enterprise_account_becomes_a_master_with_a_root_unit_and_is_told_in_the_same_transaction()
    {
        var (owner, master) = await NewMasterAsync();
        await using var db = h.NewDbContext();
        var root = await db.EnterpriseUnits.SingleAsync(u => u.MasterAccountId == owner.AccountId);
        Assert.Equal((master.RootUnitId, null, owner.AccountName), (root.Id, root.ParentId, root.Name));
        Assert.True(root.Id.All(char.IsAsciiDigit));
        Assert.Equal("enterprise.enabled", (await db.EnterpriseEvents.SingleAsync(e => e.AccountId == owner.AccountId)).Kind);
        Assert.True(await db.OutboxMessages.AnyAsync(m => m.To == owner.AccountName + "@example.com" && m.Subject == "Enterprise Center enabled"));
        Assert.Equal("CBC.99007113", (await h.FailsAsync(sp => Center(sp).EnableAsync(owner))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Individual_accounts_partners_applicants_and_members_of_another_organization_cannot_enable_and_nothing_is_written()
    {
        var individual = await NewIndividualAsync();
        Assert.Equal("CBC.99007110", (await h.FailsAsync(sp => Center(sp).EnableAsync(individual))).Code);
        var (partner, _) = await h.NewPartnerAsync();
        Assert.Equal("CBC.99007111", (await h.FailsAsync(sp => Center(sp).EnableAsync(partner))).Code);
        var (applicant, _) = await h.NewAccountAsync("app");
        await Run(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(applicant, PartnerProgram.Distributor, "Pending Ltd.", null));
        Assert.Equal("CBC.99007111", (await h.FailsAsync(sp => Center(sp).EnableAsync(applicant))).Code);

        var (master, _) = await NewMasterAsync();
        var (joiner, _) = await h.NewAccountAsync("join");
        var invitation = await Run(sp => Members(sp).InviteAsync(master, joiner.AccountName, null, false));
        await Run(sp => Members(sp).AcceptAsync(joiner, invitation.Id));
        var refusal = await h.FailsAsync(sp => Center(sp).EnableAsync(joiner));
        Assert.Equal("CBC.99007112", refusal.Code);
        Assert.Contains("member", refusal.Message);

        await using var db = h.NewDbContext();
        string[] refused = [individual.AccountId, partner.AccountId, applicant.AccountId, joiner.AccountId];
        Assert.False(await db.EnterpriseMasters.AnyAsync(m => refused.Contains(m.AccountId)));
        Assert.False(await db.EnterpriseUnits.AnyAsync(u => refused.Contains(u.MasterAccountId)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_master_cannot_apply_to_any_partner_program()
    {
        var (master, _) = await NewMasterAsync();
        var (distributor, d) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        foreach (var program in new[] { PartnerProgram.CloudSolutionProvider, PartnerProgram.Distributor, PartnerProgram.Reseller })
        {
            var error = await h.FailsAsync(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(master, program, "Master Ltd.", d.PartnerId));
            Assert.Equal("CBC.5011", error.Code);
        }
        await using var db = h.NewDbContext();
        Assert.False(await db.PartnerApplications.AnyAsync(a => a.AccountId == master.AccountId));
        Assert.NotNull(distributor);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Units_are_created_renamed_moved_without_cycles_and_deleted_only_when_empty_and_never_the_root()
    {
        var (master, m) = await NewMasterAsync();
        var dev = await Run(sp => Org(sp).CreateUnitAsync(master, null, "Development"));
        var backend = await Run(sp => Org(sp).CreateUnitAsync(master, dev.Id, "Backend"));
        var test = await Run(sp => Org(sp).CreateUnitAsync(master, m.RootUnitId, "Testing"));
        Assert.Equal("CBC.99007124", (await h.FailsAsync(sp => Org(sp).CreateUnitAsync(master, null, "Development"))).Code);

        Assert.Equal("CBC.99007122", (await h.FailsAsync(sp => Org(sp).MoveUnitAsync(master, dev.Id, backend.Id))).Code);
        Assert.Equal("CBC.99007122", (await h.FailsAsync(sp => Org(sp).MoveUnitAsync(master, dev.Id, dev.Id))).Code);
        Assert.Equal("CBC.99007123", (await h.FailsAsync(sp => Org(sp).MoveUnitAsync(master, m.RootUnitId, test.Id))).Code);
        await Run(sp => Org(sp).MoveUnitAsync(master, backend.Id, test.Id));
        await Run(sp => Org(sp).RenameUnitAsync(master, backend.Id, "QA automation"));

        Assert.Equal("CBC.99007121", (await h.FailsAsync(sp => Org(sp).DeleteUnitAsync(master, test.Id))).Code);
        Assert.Equal("CBC.99007123", (await h.FailsAsync(sp => Org(sp).DeleteUnitAsync(master, m.RootUnitId))).Code);
        var (joiner, _) = await h.NewAccountAsync("join");
        var invitation = await Run(sp => Members(sp).InviteAsync(master, joiner.AccountName, dev.Id, false));
        Assert.Equal("CBC.99007121", (await h.FailsAsync(sp => Org(sp).DeleteUnitAsync(master, dev.Id))).Code);
        await Run(sp => Members(sp).AcceptAsync(joiner, invitation.Id));
        Assert.Equal("CBC.99007121", (await h.FailsAsync(sp => Org(sp).DeleteUnitAsync(master, dev.Id))).Code);
        await Run(sp => Members(sp).MoveAsync(master, joiner.AccountId, m.RootUnitId));
        await h.InScopeAsync(sp => Org(sp).DeleteUnitAsync(master, dev.Id));

        var direct = await Run(sp => Org(sp).ListAsync(master, null, null));
        Assert.Equal(m.RootUnitId, direct.Root!.Id);
        Assert.Equal(["Testing"], direct.Nodes.Select(n => n.Unit.Name));
        Assert.Empty(direct.Nodes[0].Children);
        var recursive = await Run(sp => Org(sp).ListAsync(master, null, 1));
        Assert.Equal("QA automation", Assert.Single(recursive.Nodes[0].Children).Unit.Name);
        var fromTesting = await Run(sp => Org(sp).ListAsync(master, test.Id, 0));
        Assert.Null(fromTesting.Root);
        Assert.Equal(backend.Id, Assert.Single(fromTesting.Nodes).Unit.Id);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Org(sp).ListAsync(master, "12ab", 0))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Org(sp).ListAsync(master, null, 2))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Another_masters_units_and_members_are_not_found_and_a_member_or_stranger_is_refused()
    {
        var (master, m) = await NewMasterAsync();
        var (other, o) = await NewMasterAsync();
        var unit = await Run(sp => Org(sp).CreateUnitAsync(other, null, "Theirs"));
        var (joiner, _) = await h.NewAccountAsync("join");
        await Run(async sp => await Members(sp).AcceptAsync(joiner, (await Members(sp).InviteAsync(other, joiner.AccountName, unit.Id, false)).Id));

        Assert.Equal("CBC.99007120", (await h.FailsAsync(sp => Org(sp).RenameUnitAsync(master, unit.Id, "Mine"))).Code);
        Assert.Equal("CBC.99007120", (await h.FailsAsync(sp => Org(sp).CreateUnitAsync(master, unit.Id, "Under theirs"))).Code);
        Assert.Equal("CBC.99007120", (await h.FailsAsync(sp => Org(sp).MoveUnitAsync(master, unit.Id, m.RootUnitId))).Code);
        Assert.Equal("CBC.99007120", (await h.FailsAsync(sp => Org(sp).ListAsync(master, o.RootUnitId, 1))).Code);
        Assert.Equal("CBC.7001", (await h.FailsAsync(sp => Members(sp).MoveAsync(master, joiner.AccountId, m.RootUnitId))).Code);
        Assert.Equal("CBC.7001", (await h.FailsAsync(sp => Members(sp).RemoveAsync(master, joiner.AccountId))).Code);
        Assert.Equal(0, (await Run(sp => Members(sp).ListAsync(master, new MemberFilter(null, null, null, null, null, null)))).Total);

        var (stranger, _) = await h.NewAccountAsync("str");
        Assert.Equal("CBC.0155", (await h.FailsAsync(sp => Org(sp).ListAsync(joiner, null, null))).Code);
        Assert.Equal("CBC.0155", (await h.FailsAsync(sp => Members(sp).ListAsync(stranger, new MemberFilter(null, null, null, null, null, null)))).Code);
        var iamUser = await h.NewIamUserAsync(master);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => Org(sp).CreateUnitAsync(iamUser, null, "Sneaky"))).Code);
        await using var db = h.NewDbContext();
        Assert.Equal(unit.Id, (await db.EnterpriseMembers.SingleAsync(x => x.MemberAccountId == joiner.AccountId)).UnitId);
        Assert.Equal("Theirs", (await db.EnterpriseUnits.SingleAsync(u => u.Id == unit.Id)).Name);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_created_member_is_a_new_enterprise_account_of_the_masters_country_with_its_own_root_user_after_a_one_time_sms_code()
    {
        var (master, m) = await NewMasterAsync();
        var unit = await Run(sp => Org(sp).CreateUnitAsync(master, null, "Development"));
        var mobile = NewMobile();
        var code = await SendCodeAsync(master, mobile, "+86-" + mobile);
        var name = "mem" + Guid.NewGuid().ToString("N")[..10];
        NewEnterpriseMember Input(string? verification, int? custody = 1, string? party = null) =>
            new(party ?? unit.Id, "Dev team", 1, ["READ_FINANCE_INFO"], custody, name, mobile, "N", "Member#Pass123", verification);

        var wrong = code == "000000" ? "111111" : "000000";
        Assert.Equal("CBC.99004010", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Input(wrong)))).Code);
        var account = await Run(sp => Members(sp).CreateAsync(master, Input(code)));
        // The number belongs to the new member now, and the code was taken.
        Assert.Equal("CBC.30000054", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Input(code) with { CustomerName = name + "x" }))).Code);

        await using var db = h.NewDbContext();
        Assert.NotNull((await db.EnterpriseSmsCodes.SingleAsync(c => c.Mobile == "+86-" + mobile)).UsedAt);
        var stored = await db.Accounts.SingleAsync(a => a.Id == account.Id);
        Assert.Equal((AccountType.Enterprise, "SG", "+86-" + mobile), (stored.Type, stored.Country, stored.Mobile));
        var member = await db.EnterpriseMembers.SingleAsync(x => x.MemberAccountId == account.Id);
        Assert.Equal((m.AccountId, unit.Id, EnterpriseCodes.Normal, MemberOrigin.Created, true, "Dev team"),
            (member.MasterAccountId, member.UnitId, member.Status, member.Origin, member.FinancialCustody, member.DisplayName));
        Assert.Equal(string.Join(' ', EnterpriseCodes.CustodyPermissions), member.Permissions);
        var (user, signedIn) = await Run(sp => sp.GetRequiredService<AuthService>().SignInAsync(name, name, "Member#Pass123"));
        Assert.True(user.IsAccountOwner);
        Assert.Equal(account.Id, signedIn.Id);
        Assert.True(await db.EnterpriseEvents.AnyAsync(e => e.AccountId == m.AccountId && e.Kind == "member.created"));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Bad_member_fields_are_refused_naming_the_field_and_write_nothing()
    {
        var (master, m) = await NewMasterAsync();
        var mobile = NewMobile();
        var code = await SendCodeAsync(master, mobile, "+86-" + mobile);
        NewEnterpriseMember Good() => new(m.RootUnitId, null, 1, null, 0, "bad" + Guid.NewGuid().ToString("N")[..8], mobile, null, "Member#Pass123", code);
        (NewEnterpriseMember Input, string Field)[] cases =
        [
            (Good() with { SubCustomerAssociationType = 2 }, "sub_customer_association_type"),
            (Good() with { FinancialCustody = 3 }, "financial_custody"),
            (Good() with { PermissionIds = ["ALL_OF_IT"] }, "permission_ids"),
            (Good() with { CustomerName = "9starts-with-digit" }, "customer_name"),
            (Good() with { PartyId = "abc" }, "party_id"),
            (Good() with { MobilePhone = "not a number" }, "mobile_phone"),
            (Good() with { UsePriMobilePhone = "maybe" }, "use_pri_mobile_phone"),
            (Good() with { VerificationCode = null }, "verification_code"),
        ];
        foreach (var (input, field) in cases)
        {
            var error = await h.FailsAsync(sp => Members(sp).CreateAsync(master, input));
            Assert.True(error.Code == "CBC.0100" && error.Message.Contains(field), $"{field}: {error.Code} {error.Message}");
        }
        Assert.Equal("IAM.0105", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Good() with { Password = "short" }))).Code);
        Assert.Equal("CBC.99007120", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Good() with { PartyId = "123456789012" }))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Good() with { UsePriMobilePhone = "Y" }))).Code); // the master has no mobile

        await using var db = h.NewDbContext();
        Assert.False(await db.EnterpriseMembers.AnyAsync(x => x.MasterAccountId == m.AccountId));
        Assert.Equal(0, (await db.EnterpriseSmsCodes.SingleAsync(c => c.Mobile == "+86-" + mobile)).FailedAttempts);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_code_entered_wrongly_three_times_is_dead_and_a_number_gets_at_most_five_codes_an_hour()
    {
        var (master, m) = await NewMasterAsync();
        var mobile = NewMobile();
        var code = await SendCodeAsync(master, mobile, "+86-" + mobile);
        var wrong = code == "000000" ? "111111" : "000000";
        NewEnterpriseMember Input(string c) => new(m.RootUnitId, null, 1, null, 0, "lock" + Guid.NewGuid().ToString("N")[..8], mobile, null, "Member#Pass123", c);
        for (var i = 0; i < EnterpriseSmsCodes.MaxFailedAttempts; i++)
            Assert.Equal("CBC.99004010", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Input(wrong)))).Code);
        Assert.Equal("CBC.99004009", (await h.FailsAsync(sp => Members(sp).CreateAsync(master, Input(code)))).Code);

        for (var i = 1; i < EnterpriseSmsCodes.SendsPerHour; i++) await SendCodeAsync(master, mobile, "+86-" + mobile);
        Assert.Equal("CBC.99000082", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseSmsCodes>().SendAsync(master, mobile, null, null, null))).Code);
        h.RealTime.Advance(TimeSpan.FromMinutes(61));
        await SendCodeAsync(master, mobile, "+86-" + mobile);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_invitation_states_the_requirements_checks_them_when_sent_and_again_when_accepted()
    {
        var (master, m) = await NewMasterAsync();
        Assert.Contains(EnterpriseMembers.JoinRequirements, r => r.Contains("partner"));
        var individual = await NewIndividualAsync();
        Assert.Equal("CBC.99007130", (await h.FailsAsync(sp => Members(sp).InviteAsync(master, individual.AccountName, null, false))).Code);
        var (otherMaster, _) = await NewMasterAsync();
        Assert.Contains("master", (await h.FailsAsync(sp => Members(sp).InviteAsync(master, otherMaster.AccountName, null, false))).Message);
        var (partner, _) = await h.NewPartnerAsync();
        Assert.Contains("partner", (await h.FailsAsync(sp => Members(sp).InviteAsync(master, partner.AccountName, null, false))).Message);
        var (customer, _) = await h.NewAccountAsync("cust");
        var association = await Run(sp => sp.GetRequiredService<AssociationService>().InviteAsync(partner, customer.AccountName, AssociationTypes.Referral, null));
        await Run(sp => sp.GetRequiredService<AssociationService>().AcceptAsync(customer, association.Id));
        Assert.Contains("customer of a partner", (await h.FailsAsync(sp => Members(sp).InviteAsync(master, customer.AccountName, null, false))).Message);

        // Eligible when invited, a partner applicant by the time it accepts: refused then, and it stays independent.
        var (late, _) = await h.NewAccountAsync("late");
        var invitation = await Run(sp => Members(sp).InviteAsync(master, late.AccountName, null, true));
        Assert.Equal(invitation.CreatedAt + TimeSpan.FromDays(15), invitation.ExpiresAt);
        await Run(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(late, PartnerProgram.CloudSolutionProvider, "Late Ltd.", null));
        Assert.Equal("CBC.99007130", (await h.FailsAsync(sp => Members(sp).AcceptAsync(late, invitation.Id))).Code);
        await using var db = h.NewDbContext();
        Assert.False(await db.EnterpriseMembers.AnyAsync(x => x.MemberAccountId == late.AccountId));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_account_that_declines_stays_independent_and_one_that_accepts_joins_its_unit_under_the_custody_it_was_offered()
    {
        var (master, m) = await NewMasterAsync();
        var unit = await Run(sp => Org(sp).CreateUnitAsync(master, null, "Testing"));
        var (decliner, _) = await h.NewAccountAsync("no");
        var (joiner, _) = await h.NewAccountAsync("yes");
        var declined = await Run(sp => Members(sp).InviteAsync(master, decliner.AccountName, unit.Id, false));
        var accepted = await Run(sp => Members(sp).InviteAsync(master, joiner.AccountName, unit.Id, true));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Members(sp).InviteAsync(master, joiner.AccountName, unit.Id, true))).Code);

        var inbox = await Run(sp => Members(sp).ReceivedInvitationsAsync(decliner));
        Assert.Equal(("Testing", master.AccountName), (Assert.Single(inbox).UnitName, inbox[0].MasterName));
        await h.InScopeAsync(sp => Members(sp).DeclineAsync(decliner, declined.Id));
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).AcceptAsync(decliner, declined.Id))).Code);
        Assert.Equal("CBC.99007131", (await h.FailsAsync(sp => Members(sp).AcceptAsync(decliner, accepted.Id))).Code);
        var member = await Run(sp => Members(sp).AcceptAsync(joiner, accepted.Id));
        Assert.Equal((unit.Id, true, MemberOrigin.Invited), (member.UnitId, member.FinancialCustody, member.Origin));

        var standing = await Run(sp => Center(sp).StandingAsync(decliner));
        Assert.Null(standing.Membership);
        Assert.Null(standing.WhyNotEligible);
        var mine = await Run(sp => Center(sp).StandingAsync(joiner));
        Assert.Equal((master.AccountName, "Testing"), (mine.MasterName, mine.UnitName));
        var listed = await Run(sp => Members(sp).ListAsync(master, new MemberFilter(null, null, null, unit.Id, null, null)));
        Assert.Equal(joiner.AccountId, Assert.Single(listed.Items).Member.MemberAccountId);
        await using var db = h.NewDbContext();
        Assert.Equal(["invitation.accepted", "invitation.declined"],
            (await db.EnterpriseEvents.Where(e => e.AccountId == m.AccountId && e.Kind.StartsWith("invitation.")).Select(e => e.Kind).ToListAsync()).Order());
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_invitation_cannot_be_accepted_after_fifteen_days()
    {
        var (master, _) = await NewMasterAsync();
        var (late, _) = await h.NewAccountAsync("late");
        var invitation = await Run(sp => Members(sp).InviteAsync(master, late.AccountName, null, false));
        h.RealTime.Advance(TimeSpan.FromDays(15) + TimeSpan.FromMinutes(1));
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).AcceptAsync(late, invitation.Id))).Code);
        Assert.True(Assert.Single(await Run(sp => Members(sp).SentInvitationsAsync(master))).Expired);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_master_cancels_only_its_own_pending_invitations_and_the_invitee_is_told_in_the_same_transaction()
    {
        var (master, m) = await NewMasterAsync();
        var (other, _) = await NewMasterAsync();
        var (invitee, _) = await h.NewAccountAsync("inv");
        var invitation = await Run(sp => Members(sp).InviteAsync(master, invitee.AccountName, null, false));
        Assert.Equal("CBC.99007131", (await h.FailsAsync(sp => Members(sp).CancelInvitationAsync(other, invitation.Id))).Code);
        Assert.Equal("CBC.0155", (await h.FailsAsync(sp => Members(sp).CancelInvitationAsync(invitee, invitation.Id))).Code);
        Assert.Equal(Enterprise.InvitationStatus.Pending, Assert.Single(await Run(sp => Members(sp).ReceivedInvitationsAsync(invitee))).Invitation.Status);

        var cancelled = await Run(sp => Members(sp).CancelInvitationAsync(master, invitation.Id));
        Assert.Equal(Enterprise.InvitationStatus.Cancelled, cancelled.Status);
        // The invitee's list shows it withdrawn (My organization offers only pending ones), and it can no longer be answered or cancelled again.
        Assert.Equal(Enterprise.InvitationStatus.Cancelled, Assert.Single(await Run(sp => Members(sp).ReceivedInvitationsAsync(invitee))).Invitation.Status);
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).AcceptAsync(invitee, invitation.Id))).Code);
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).DeclineAsync(invitee, invitation.Id))).Code);
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).CancelInvitationAsync(master, invitation.Id))).Code);

        // An answered invitation stays answered: the member who accepted is not undone.
        var (joiner, _) = await h.NewAccountAsync("join");
        var accepted = await Run(sp => Members(sp).InviteAsync(master, joiner.AccountName, null, false));
        await Run(sp => Members(sp).AcceptAsync(joiner, accepted.Id));
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).CancelInvitationAsync(master, accepted.Id))).Code);
        // An expired one neither.
        var (late, _) = await h.NewAccountAsync("late");
        var expired = await Run(sp => Members(sp).InviteAsync(master, late.AccountName, null, false));
        h.RealTime.Advance(EnterpriseMembers.InvitationValidity + TimeSpan.FromMinutes(1));
        Assert.Equal("CBC.99007132", (await h.FailsAsync(sp => Members(sp).CancelInvitationAsync(master, expired.Id))).Code);

        await using var db = h.NewDbContext();
        Assert.True(await db.EnterpriseMembers.AnyAsync(x => x.MemberAccountId == joiner.AccountId && x.MasterAccountId == m.AccountId));
        Assert.Equal(Enterprise.InvitationStatus.Accepted, (await db.EnterpriseInvitations.SingleAsync(i => i.Id == accepted.Id)).Status);
        var told = await db.EnterpriseEvents.SingleAsync(e => e.AccountId == invitee.AccountId && e.Kind == "invitation.cancelled");
        Assert.Equal(m.AccountId, told.MasterAccountId);
        Assert.True(await db.OutboxMessages.AnyAsync(o => o.To == invitee.AccountName + "@example.com" && o.Subject.Contains("withdrew")));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_removed_member_is_independent_again_and_removal_waits_while_a_capability_holds_it()
    {
        var (master, m) = await NewMasterAsync();
        var (joiner, _) = await h.NewAccountAsync("join");
        await Run(async sp => await Members(sp).AcceptAsync(joiner, (await Members(sp).InviteAsync(master, joiner.AccountName, null, false)).Id));
        HeldMembers.Held.Add(joiner.AccountId);
        var held = await h.FailsAsync(sp => Members(sp).RemoveAsync(master, joiner.AccountId));
        Assert.Equal("CBC.99007133", held.Code);
        Assert.Contains("not been retrieved", held.Message);
        HeldMembers.Held.Remove(joiner.AccountId);

        await h.InScopeAsync(sp => Members(sp).RemoveAsync(master, joiner.AccountId));
        await using var db = h.NewDbContext();
        Assert.False(await db.EnterpriseMembers.AnyAsync(x => x.MemberAccountId == joiner.AccountId));
        Assert.True(await db.EnterpriseEvents.AnyAsync(e => e.AccountId == joiner.AccountId && e.Kind == "member.removed"));
        // Independent: it may now enable Enterprise Center itself.
        await Run(sp => Center(sp).EnableAsync(joiner));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Members_are_listed_by_exact_or_contained_names_within_a_unit_and_paged()
    {
        var (master, m) = await NewMasterAsync();
        var unit = await Run(sp => Org(sp).CreateUnitAsync(master, null, "Ops"));
        var joined = new List<Caller>();
        for (var i = 0; i < 3; i++)
        {
            var (joiner, _) = await h.NewAccountAsync("opsmember");
            await Run(async sp => await Members(sp).AcceptAsync(joiner, (await Members(sp).InviteAsync(master, joiner.AccountName, i == 0 ? m.RootUnitId : unit.Id, false)).Id));
            joined.Add(joiner);
            h.RealTime.Advance(TimeSpan.FromSeconds(1)); // members list oldest first
        }
        MemberFilter All() => new(null, null, null, null, null, null);
        Assert.Equal(3, (await Run(sp => Members(sp).ListAsync(master, All()))).Total);
        Assert.Equal(2, (await Run(sp => Members(sp).ListAsync(master, All() with { OrgId = unit.Id }))).Total);
        Assert.Equal(0, (await Run(sp => Members(sp).ListAsync(master, All() with { AccountName = "opsmember" }))).Total);
        Assert.Equal(3, (await Run(sp => Members(sp).ListAsync(master, All() with { AccountName = "opsmember", FuzzyQuery = 1 }))).Total);
        Assert.Equal(1, (await Run(sp => Members(sp).ListAsync(master, All() with { DisplayName = joined[1].AccountName }))).Total);
        var page = await Run(sp => Members(sp).ListAsync(master, All() with { Offset = 1, Limit = 1 }));
        Assert.Equal((3, joined[1].AccountId), (page.Total, Assert.Single(page.Items).Member.MemberAccountId));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Members(sp).ListAsync(master, All() with { Limit = 101 }))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Members(sp).ListAsync(master, All() with { FuzzyQuery = 2 }))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
