using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>Service tickets in the console: a customer and its partner, a partner's bank transfer and the operator's queue.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TicketConsoleTests(ConsoleServer server) : IDisposable
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

    static async Task OpenTicketAsync(IPage page, string type, string title, string? handler = null)
    {
        await page.GetByTestId("nav-tickets").ClickAsync();
        await page.GetByTestId("ticket-new").ClickAsync();
        await page.GetByTestId("ticket-type").SelectOptionAsync(type);
        if (handler is not null) await page.GetByTestId("ticket-handler").SelectOptionAsync(handler);
        await page.GetByTestId("ticket-title").FillAsync(title);
        await page.GetByTestId("ticket-description").FillAsync("Details of " + title);
    }

    static Task UploadAsync(IPage page, string name, string mime, string content) => UploadAsync(page, name, mime, Encoding.ASCII.GetBytes(content));

    static Task UploadAsync(IPage page, string name, string mime, byte[] content) =>
        page.GetByTestId("ticket-upload-file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = mime, Buffer = content });

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "tickets-" + name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task A_customer_asks_its_partner_who_answers_and_the_customer_confirms_and_rates()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (_, customer) = await api.NewCustomerAsync(partner, withPassword: true);

        var page = await server.NewPageAsync();
        await SignInAsync(page, customer);
        await OpenTicketAsync(page, "billing", "Budget too low", handler: "partner");
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-success")).ToContainTextAsync("submitted");
        await Expect(page.GetByTestId("ticket-handler")).ToHaveTextAsync("The partner");
        await Expect(page.GetByTestId("ticket-status").First).ToHaveTextAsync("Pending acceptance");
        await UploadAsync(page, "screenshot.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x01]);
        await page.GetByTestId("ticket-upload-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-attachment")).ToContainTextAsync("screenshot.png");
        // A file that is not what its name says is refused, and nothing is attached.
        await UploadAsync(page, "invoice.pdf", "application/pdf", "MZ not a pdf");
        await page.GetByTestId("ticket-upload-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-error")).ToContainTextAsync("not a application/pdf file");
        await Expect(page.GetByTestId("ticket-attachment")).ToHaveCountAsync(1);
        var ticketUrl = page.Url;

        var partnerPage = await server.NewPageAsync();
        await SignInAsync(partnerPage, partner);
        await partnerPage.GotoAsync("/console/tickets?side=assigned");
        await partnerPage.GetByTestId("ticket-row").Filter(new() { HasText = "Budget too low" }).GetByTestId("ticket-link").ClickAsync();
        await partnerPage.GetByTestId("ticket-accept").ClickAsync();
        await Expect(partnerPage.GetByTestId("ticket-status").First).ToHaveTextAsync("Processing");
        await partnerPage.GetByTestId("ticket-message-input").FillAsync("Raised to 500 USD.");
        await partnerPage.GetByTestId("ticket-message-send").ClickAsync();
        await Expect(partnerPage.GetByTestId("ticket-message")).ToContainTextAsync("Raised to 500 USD.");
        var download = await partnerPage.RunAndWaitForDownloadAsync(() => partnerPage.GetByTestId("ticket-attachment-link").ClickAsync());
        Assert.Equal("screenshot.png", download.SuggestedFilename);
        await partnerPage.GetByTestId("ticket-resolve").ClickAsync();
        await Expect(partnerPage.GetByTestId("ticket-status").First).ToHaveTextAsync("Pending confirmation");

        await page.GotoAsync(ticketUrl);
        await Expect(page.GetByTestId("ticket-message")).ToContainTextAsync("Raised to 500 USD.");
        await page.GetByTestId("ticket-close").ClickAsync();
        await Expect(page.GetByTestId("ticket-status").First).ToHaveTextAsync("Completed");
        await page.GetByTestId("ticket-rate-score").SelectOptionAsync("4");
        await page.GetByTestId("ticket-rate-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-satisfaction")).ToContainTextAsync("4 / 5");
        await SaveScreenshotAsync(page, "completed");
        await Expect(page.GetByTestId("ticket-message-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_partner_registers_a_bank_transfer_with_its_receipt_and_the_operator_finds_it_in_the_queue()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await OpenTicketAsync(page, "bank_transfer", "Transfer for November");
        await page.GetByTestId("transfer-amount").FillAsync("1250.50");
        await page.GetByTestId("transfer-date").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await page.GetByTestId("transfer-payer").FillAsync("Acme Ltd");
        await page.GetByTestId("transfer-reference").FillAsync("BNK-2026-001");
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-transfer-amount")).ToHaveTextAsync("1,250.50 USD");
        await Expect(page.GetByTestId("ticket-receipt-owner")).ToHaveTextAsync(partner);
        await UploadAsync(page, "receipt.pdf", "application/pdf", "%PDF-1.4 bank receipt");
        await page.GetByTestId("ticket-upload-submit").ClickAsync();
        await Expect(page.GetByTestId("ticket-attachment")).ToContainTextAsync("receipt.pdf");
        var id = await page.GetByTestId("ticket-id").InnerTextAsync();

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await op.GetByTestId("nav-tickets").ClickAsync();
        await op.GetByTestId("ticket-filter-type").SelectOptionAsync("bank_transfer");
        await op.GetByTestId("ticket-filter-apply").ClickAsync();
        var row = op.Locator($"[data-testid=ticket-row][data-ticket-id='{id}']");
        await Expect(row).ToContainTextAsync("Transfer for November");
        await row.GetByTestId("ticket-link").ClickAsync();
        await Expect(op.GetByTestId("ticket-transfer-amount")).ToHaveTextAsync("1,250.50 USD");
        await Expect(op.GetByTestId("ticket-attachment")).ToContainTextAsync("receipt.pdf");
        await Expect(op.GetByTestId("ticket-due")).ToContainTextAsync("UTC");
        await SaveScreenshotAsync(op, "bank-transfer");
        await op.GoBackAsync();
        await SaveScreenshotAsync(op, "queue");
    }
}
