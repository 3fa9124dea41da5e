using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Joining the partner network and business information in the console, with the operator's review queues.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PartnerNetworkConsoleTests(ConsoleServer server) : IDisposable
{
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    static async Task SignInAsync(IPage page, string account, string password = PartnerApi.Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    async Task<IPage> OperatorQueueAsync(string queue)
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await page.GetByTestId("nav-operator-partner-network").ClickAsync();
        if (queue == "business") await page.GetByTestId("review-tab-business").ClickAsync();
        return page;
    }

    [Fact]
    public async Task An_account_applies_to_join_the_partner_network_and_reads_the_operators_approval()
    {
        var account = await api.NewAccountAsync("join");
        var company = account + " Pte. Ltd.";
        var page = await server.NewPageAsync();
        await SignInAsync(page, account);
        await page.GetByTestId("nav-partner-network").ClickAsync();
        await page.GetByTestId("network-company-name").FillAsync(company);
        await page.GetByTestId("network-country").FillAsync("SG");
        await page.GetByTestId("network-address").FillAsync("1 Raffles Place");
        await page.GetByTestId("network-website").FillAsync("https://example.com");
        await page.GetByTestId("network-industry").SelectOptionAsync("software");
        await page.GetByTestId("network-size").SelectOptionAsync("50-199");
        await page.GetByTestId("network-contact-name").FillAsync("Ann Lee");
        await page.GetByTestId("network-contact-email").FillAsync("ann@example.com");
        await page.GetByTestId("network-contact-phone").FillAsync("+65-81234567");
        // Without the agreements the application is refused, naming the first one, and the typed fields stay.
        await page.GetByTestId("network-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("Partner Integrity Commitment Letter");
        await Expect(page.GetByTestId("network-company-name")).ToHaveValueAsync(company);
        foreach (var code in new[] { "integrity_commitment", "code_of_conduct", "order_management_rules", "certification_agreement" })
            await page.GetByTestId("network-agreement-" + code).CheckAsync();
        await page.GetByTestId("network-submit").ClickAsync();
        await Expect(page.GetByTestId("network-pending")).ToBeVisibleAsync();

        var op = await OperatorQueueAsync("applications");
        var row = op.GetByTestId("review-application-row").Filter(new() { HasText = company });
        await Expect(row.GetByTestId("review-age")).ToContainTextAsync("h");
        await row.GetByTestId("review-approve").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("approved");
        await Expect(op.GetByTestId("review-application-row").Filter(new() { HasText = company })).ToHaveCountAsync(0);

        await page.GotoAsync("/console/partner-network");
        await Expect(page.GetByTestId("network-company")).ToHaveTextAsync(company);
        await Expect(page.GetByTestId("network-notification").First).ToContainTextAsync("approved");
        await Expect(page.GetByTestId("nav-business-info")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Business_information_rejected_three_times_is_blocked_until_a_ticket_is_opened_then_resubmitted_and_approved()
    {
        var (partner, _, company) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GetByTestId("nav-business-info").ClickAsync();
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Not submitted");

        async Task FillAsync(string accountName)
        {
            await Expect(page.GetByTestId("business-company-name")).ToHaveValueAsync(company);
            await page.GetByTestId("business-registration").FillAsync("201912345K");
            await page.GetByTestId("business-address").FillAsync("1 Raffles Place");
            await page.GetByTestId("business-tax-id").FillAsync("M2-1234567-8");
            await page.GetByTestId("business-finance-name").FillAsync("Bo Tan");
            await page.GetByTestId("business-finance-email").FillAsync("finance@example.com");
            await page.GetByTestId("business-finance-phone").FillAsync("+65-87654321");
            await page.GetByTestId("business-bank").FillAsync("DBS Bank");
            await page.GetByTestId("business-branch").FillAsync("Raffles Place");
            await page.GetByTestId("business-swift").FillAsync("DBSSSGSG");
            await page.GetByTestId("business-account-name").FillAsync(accountName);
            await page.GetByTestId("business-account-number").FillAsync("0123456789");
            await page.GetByTestId("business-privacy").CheckAsync();
            await page.GetByTestId("business-submit").ClickAsync();
        }

        // A bank account in another name is refused in words.
        await FillAsync("Someone Else");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("must equal the company name");
        await FillAsync(company);
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Under review");

        // The operator rejects it from the queue with a reason; two more rejections follow.
        var op = await OperatorQueueAsync("business");
        var row = op.GetByTestId("review-business-row").Filter(new() { HasText = company });
        await row.GetByTestId("review-reason").FillAsync("The registration number does not match the certificate.");
        await row.GetByTestId("review-reject").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("rejected");
        for (var i = 2; i <= 3; i++)
            await api.RejectBusinessInformationAsync(await api.SubmitBusinessInformationAsync(partner, company), $"Rejection {i}.");

        await page.GotoAsync("/console/partner-info/business");
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Blocked");
        await Expect(page.GetByTestId("business-rejection-reason")).ToHaveTextAsync("Rejection 3.");
        await Expect(page.GetByTestId("business-form")).ToHaveCountAsync(0);
        await page.GetByTestId("business-open-ticket").ClickAsync();
        await Expect(page.GetByTestId("ticket-type")).ToHaveValueAsync("business_information");
        await page.GetByTestId("ticket-title").FillAsync("Business information rejected three times");
        await page.GetByTestId("ticket-description").FillAsync("Please tell us what to correct.");
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-success")).ToContainTextAsync("submitted");

        await page.GetByTestId("nav-business-info").ClickAsync();
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Rejected");
        await FillAsync(company);
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Under review");

        await op.GotoAsync("/console/operator/partner-network?queue=business");
        await op.GetByTestId("review-business-row").Filter(new() { HasText = company }).GetByTestId("review-approve").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync("approved");
        await page.GotoAsync("/console/partner-info/business");
        await Expect(page.GetByTestId("business-status")).ToHaveTextAsync("Approved");
        await Expect(page.GetByTestId("business-approved")).ToContainTextAsync("ending 6789");
        await Expect(page.GetByTestId("business-history-row")).ToHaveCountAsync(4);
    }
}
