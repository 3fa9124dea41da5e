using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.PartnerNetwork;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Revenue;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Core.Tests;

/// <summary>Joining the partner network, business information authentication and payment information.</summary>
public class PartnerNetworkRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T S<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();

    static readonly IReadOnlyList<AcceptedAgreement> AllAgreements = NetworkCatalog.JoinAgreements.Select(a => new AcceptedAgreement(a.Code, a.Version)).ToList();
    static readonly IReadOnlyList<AcceptedAgreement> Privacy = [new(NetworkCatalog.PrivacyStatement.Code, NetworkCatalog.PrivacyStatement.Version)];

    static NetworkApplicationInput Form(string company = "Acme Cloud Pte. Ltd.") =>
        new(company, "sg", "1 Raffles Place, Singapore", "https://acme.example", "software", "50-199", "Ann Lee", "ann@acme.example", "+65-81234567");

    static BusinessCompanyInput Step1(string company = "Acme Cloud Pte. Ltd.") =>
        new(company, "201912345K", "1 Raffles Place, Singapore", "M2-1234567-8", "Bo Tan", "finance@acme.example", "+65-87654321");

    static BankInput Step2(string accountName = "Acme Cloud Pte. Ltd.") =>
        new("DBS Bank", "Raffles Place", accountName, "0123456789", "DBSSSGSG", null, null);

    Task<NetworkApplication> ApplyAsync(Caller c, NetworkApplicationInput? form = null, IReadOnlyList<AcceptedAgreement>? agreements = null) =>
        h.InScopeAsync(sp => S<NetworkService>(sp).ApplyAsync(c, form ?? Form(), agreements ?? AllAgreements));

    async Task<Caller> MemberAsync(string company = "Acme Cloud Pte. Ltd.")
    {
        var (c, _) = await h.NewAccountAsync("net");
        var application = await ApplyAsync(c, Form(company));
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<NetworkService>(sp).DecideAsync(op, application.Id, true, null));
        return c;
    }

    Task<BusinessInfoSubmission> SubmitAsync(Caller c, string company = "Acme Cloud Pte. Ltd.") =>
        h.InScopeAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(company), Step2(company), Privacy));

    async Task DecideBusinessAsync(string id, bool approve, string? reason = null)
    {
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<BusinessInformationService>(sp).DecideAsync(op, id, approve, reason));
    }

    [Fact]
    public async Task Applying_needs_every_agreement_in_its_current_version_and_records_each_version_with_the_acceptance_time()
    {
        var (c, _) = await h.NewAccountAsync();
        var stale = AllAgreements.Select(a => a.Code == "code_of_conduct" ? a with { Version = "2019.1" } : a).ToList();
        var refused = await h.FailsAsync(sp => S<NetworkService>(sp).ApplyAsync(c, Form(), stale));
        Assert.Equal("CBC.99008004", refused.Code);
        Assert.Contains("Partner Code of Conduct", refused.Message);
        Assert.Equal("CBC.99008004", (await h.FailsAsync(sp => S<NetworkService>(sp).ApplyAsync(c, Form(), AllAgreements.Skip(1).ToList()))).Code);
        await using (var db = h.NewDbContext())
            Assert.False(await db.NetworkApplications.AnyAsync(a => a.AccountId == c.AccountId));

        var application = await ApplyAsync(c);
        Assert.Equal("SG", application.Country);
        await using (var db = h.NewDbContext())
        {
            var accepted = await db.AgreementAcceptances.Where(a => a.AccountId == c.AccountId).ToListAsync();
            Assert.Equal(NetworkCatalog.JoinAgreements.Select(a => (a.Code, a.Version)).Order(), accepted.Select(a => (a.AgreementCode, a.Version)).Order());
            Assert.All(accepted, a => Assert.Equal((application.Id, application.CreatedAt), (a.AcceptedWith, a.AcceptedAt)));
        }
        await h.AssertLedgerSoundAsync();
    }

    [Theory]
    [InlineData("company_name", "")]
    [InlineData("country", "Singapore")]
    [InlineData("website", "ftp://acme.example")]
    [InlineData("industry", "mining")]
    [InlineData("company_size", "huge")]
    [InlineData("contact_email", "not-an-address")]
    [InlineData("contact_phone", "call me")]
    public async Task A_bad_field_of_the_application_is_refused_by_name_and_nothing_is_written(string field, string value)
    {
        var (c, _) = await h.NewAccountAsync();
        var f = Form();
        f = field switch
        {
            "company_name" => f with { CompanyName = value }, "country" => f with { Country = value }, "website" => f with { Website = value },
            "industry" => f with { Industry = value }, "company_size" => f with { CompanySize = value }, "contact_email" => f with { ContactEmail = value },
            _ => f with { ContactPhone = value },
        };
        var error = await h.FailsAsync(sp => S<NetworkService>(sp).ApplyAsync(c, f, AllAgreements));
        Assert.Equal("CBC.0100", error.Code);
        Assert.StartsWith(field, error.Message);
        await using var db = h.NewDbContext();
        Assert.False(await db.NetworkApplications.AnyAsync(a => a.AccountId == c.AccountId));
        Assert.False(await db.AgreementAcceptances.AnyAsync(a => a.AccountId == c.AccountId));
    }

    [Fact]
    public async Task An_approval_makes_the_applicant_the_master_of_a_new_company_and_tells_it_by_mail_and_notification()
    {
        var (c, _) = await h.NewAccountAsync();
        var application = await ApplyAsync(c);
        Assert.Equal("CBC.99008001", (await h.FailsAsync(sp => S<NetworkService>(sp).ApplyAsync(c, Form(), AllAgreements))).Code);
        var op = await h.OperatorAsync();
        var decided = await h.InScopeAsync(sp => S<NetworkService>(sp).DecideAsync(op, application.Id, true, null));

        var standing = await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(c));
        Assert.NotNull(standing.Member);
        Assert.True(standing.IsCompanyMaster);
        Assert.Equal(("Acme Cloud Pte. Ltd.", "SG", "software", "50-199"), (standing.Company!.Name, standing.Company.Country, standing.Company.Industry, standing.Company.Size));
        Assert.Equal("network.approved", Assert.Single(standing.Notifications).Kind);
        await using (var db = h.NewDbContext())
        {
            var mail = Assert.Single(await db.OutboxMessages.Where(m => m.To == "ann@acme.example").ToListAsync());
            Assert.Equal(decided.DecidedAt, mail.CreatedAt);
            Assert.Equal("network_application", Assert.Single(await db.CompanyRevisions.Where(r => r.CompanyId == standing.Company.Id).ToListAsync()).Source);
        }
        Assert.Equal("CBC.99008003", (await h.FailsAsync(sp => S<NetworkService>(sp).DecideAsync(op, application.Id, false, "late"))).Code);
        Assert.Equal("CBC.99008001", (await h.FailsAsync(sp => S<NetworkService>(sp).ApplyAsync(c, Form(), AllAgreements))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_rejection_needs_its_reason_which_the_applicant_reads_and_it_may_apply_again()
    {
        var (c, _) = await h.NewAccountAsync();
        var application = await ApplyAsync(c);
        var op = await h.OperatorAsync();
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<NetworkService>(sp).DecideAsync(op, application.Id, false, "  "))).Code);
        await h.InScopeAsync(sp => S<NetworkService>(sp).DecideAsync(op, application.Id, false, "The website does not answer."));

        var standing = await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(c));
        Assert.Null(standing.Member);
        Assert.Contains("The website does not answer.", Assert.Single(standing.Notifications).Message);
        Assert.Equal(NetworkApplicationStatus.Pending, (await ApplyAsync(c)).Status);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_operator_queue_shows_each_application_with_its_age_and_only_the_operator_decides()
    {
        var (c, _) = await h.NewAccountAsync();
        var (other, _) = await h.NewAccountAsync();
        var application = await ApplyAsync(c);
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, 5 * 3600, null));

        var queued = Assert.Single(await h.InScopeAsync(sp => S<NetworkService>(sp).QueueAsync(op, NetworkApplicationStatus.Pending)), q => q.Application.Id == application.Id);
        Assert.Equal(5, Math.Round(queued.Age.TotalHours));
        Assert.Equal("CBC.99008002", (await h.FailsAsync(sp => S<NetworkService>(sp).DecideAsync(other, application.Id, true, null))).Code);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => S<NetworkService>(sp).QueueAsync(other, null))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_program_approval_joins_the_network_with_the_programs_company_and_a_pending_network_application_holds_program_applications()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var standing = await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(partner));
        Assert.Equal("Acme " + partner.AccountName, standing.Company!.Name);
        Assert.True(standing.IsCompanyMaster);

        var (c, _) = await h.NewAccountAsync();
        await ApplyAsync(c);
        Assert.Equal("CBC.5010", (await h.FailsAsync(sp => S<PartnerProgramService>(sp).ApplyAsync(c, PartnerProgram.CloudSolutionProvider, "Acme", null))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Business_information_is_refused_when_the_bank_account_name_is_not_the_company_name()
    {
        var c = await MemberAsync();
        var error = await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2("Ann Lee"), Privacy));
        Assert.Equal("CBC.99008011", error.Code);
        Assert.Contains("bank.account_name", error.Message);
        // Case and runs of spaces do not make another holder.
        Assert.Equal(BusinessInfoStatus.UnderReview, (await h.InScopeAsync(sp =>
            S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2("ACME  cloud pte. ltd."), Privacy))).Status);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Business_information_needs_the_network_the_privacy_statement_and_one_review_at_a_time()
    {
        var (outsider, _) = await h.NewAccountAsync();
        Assert.Equal("CBC.99008005", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(outsider, Step1(), Step2(), Privacy))).Code);
        var c = await MemberAsync();
        Assert.Equal("CBC.99008004", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2(), []))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2() with { SwiftCode = "12" }, Privacy))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2() with { IntermediaryBankName = "Citi" }, Privacy))).Code);
        await SubmitAsync(c);
        Assert.Equal("CBC.99008010", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2(), Privacy))).Code);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Three_rejections_in_a_row_block_resubmission_until_a_business_information_ticket_is_opened()
    {
        var c = await MemberAsync();
        for (var i = 1; i <= 3; i++)
            await DecideBusinessAsync((await SubmitAsync(c)).Id, false, $"Bank letter {i} unreadable.");
        var standing = await h.InScopeAsync(sp => S<BusinessInformationService>(sp).StandingAsync(c));
        Assert.Equal((3, true), (standing.RejectionsInARow, standing.Blocked));
        Assert.Equal("CBC.99008012", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2(), Privacy))).Code);

        // A ticket about something else does not lift it; one about business information does.
        await h.InScopeAsync(sp => S<TicketService>(sp).CreateAsync(c, new NewTicket("billing", 3, "Invoice", "Where is it?")));
        Assert.Equal("CBC.99008012", (await h.FailsAsync(sp => S<BusinessInformationService>(sp).SubmitAsync(c, Step1(), Step2(), Privacy))).Code);
        await h.InScopeAsync(sp => S<TicketService>(sp).CreateAsync(c, new NewTicket(TicketTypes.BusinessInformation, 3, "Rejected three times", "Please help.")));
        var again = await SubmitAsync(c);
        await DecideBusinessAsync(again.Id, true);

        standing = await h.InScopeAsync(sp => S<BusinessInformationService>(sp).StandingAsync(c));
        Assert.Equal((0, false, again.Id), (standing.RejectionsInARow, standing.Blocked, standing.Approved!.Id));
        Assert.Equal(4, standing.History.Count);
        await using (var db = h.NewDbContext())
        {
            var kinds = await db.PartnerNotifications.Where(n => n.PartnerAccountId == c.AccountId && n.Kind.StartsWith("business_info.")).Select(n => n.Kind).ToListAsync();
            Assert.Equal((3, 1), (kinds.Count(k => k == "business_info.rejected"), kinds.Count(k => k == "business_info.approved")));
        }
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task An_approval_makes_the_authenticated_name_the_companys_and_keeps_the_old_one_in_its_history()
    {
        var c = await MemberAsync("Acme Cloud");
        await DecideBusinessAsync((await SubmitAsync(c, "Acme Cloud Pte. Ltd.")).Id, true);
        var standing = await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(c));
        Assert.Equal("Acme Cloud Pte. Ltd.", standing.Company!.Name);
        await using var db = h.NewDbContext();
        Assert.Equal(["Acme Cloud", "Acme Cloud Pte. Ltd."], await db.CompanyRevisions.Where(r => r.CompanyId == standing.Company.Id).OrderBy(r => r.Id).Select(r => r.Name).ToListAsync());
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_tax_rate_is_a_percentage_with_two_decimals_and_every_setting_stays_as_history()
    {
        var c = await MemberAsync();
        foreach (var bad in new decimal?[] { null, -1m, 100.01m, 6.125m })
            Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<PaymentInformationService>(sp).SetTaxRateAsync(c, bad))).Code);
        await h.InScopeAsync(sp => S<PaymentInformationService>(sp).SetTaxRateAsync(c, 6m));
        var info = await h.InScopeAsync(sp => S<PaymentInformationService>(sp).SetTaxRateAsync(c, 8.25m));
        Assert.Equal(8.25m, info.TaxRatePercent);
        Assert.Equal([8.25m, 6m], info.History.Select(r => r.RatePercent));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Incentive_settlement_skips_and_reports_a_partner_whose_business_information_change_is_under_review()
    {
        var (ready, _) = await h.NewPartnerAsync();
        var (changing, _) = await h.NewPartnerAsync();
        var (never, _) = await h.NewPartnerAsync();
        foreach (var p in new[] { ready, changing })
        {
            var name = (await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(p))).Company!.Name;
            await DecideBusinessAsync((await SubmitAsync(p, name)).Id, true);
        }
        var changingName = (await h.InScopeAsync(sp => S<NetworkService>(sp).StandingAsync(changing))).Company!.Name;
        await SubmitAsync(changing, changingName);
        await h.InScopeAsync(sp => S<PaymentInformationService>(sp).SetTaxRateAsync(ready, 6m));

        var op = await h.OperatorAsync();
        var month = await h.InScopeAsync(sp => Task.FromResult(S<RevenueService>(sp).Current.Previous.ToString()));
        var lines = await h.InScopeAsync(sp => S<IncentiveSettlement>(sp).ForMonthAsync(op, month));
        var byAccount = lines.ToDictionary(l => l.PartnerAccountId);
        Assert.Equal((SettlementStatus.Ready, null, 6m), (byAccount[ready.AccountId].Status, byAccount[ready.AccountId].WaitingReason, byAccount[ready.AccountId].TaxRatePercent));
        Assert.Equal((SettlementStatus.Waiting, "business information change under review"), (byAccount[changing.AccountId].Status, byAccount[changing.AccountId].WaitingReason));
        Assert.Equal((SettlementStatus.Waiting, "no approved business information"), (byAccount[never.AccountId].Status, byAccount[never.AccountId].WaitingReason));
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<IncentiveSettlement>(sp).ForMonthAsync(op, S<RevenueService>(sp).Current.ToString()))).Code);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => S<IncentiveSettlement>(sp).ForMonthAsync(ready, month))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
