using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PartnerCenter.Core.Billing;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Partner bills in the console: the Amount Due area and Repay (online payment within the amount due and 40,000.00, a
/// bank transfer through a ticket) and the operator's Billing page. A bill comes from a resale customer's purchase and
/// the bill run on the 5th, reached by moving the sandbox clock.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BillingConsoleTests(ConsoleServer server) : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly PartnerApi api = new(server);
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(300) };

    public void Dispose()
    {
        api.Dispose();
        http.Dispose();
    }

    [Fact]
    public async Task Repaying_online_within_the_amount_due_lowers_it_and_shows_the_top_up_and_repayment_while_over_the_due_or_40000_is_refused()
    {
        var (partner, due, _) = await PartnerWithABillAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GetByTestId("nav-sales-bills").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/bills$"));
        await Expect(page.GetByTestId("amount-due")).ToHaveTextAsync(Money(due));
        await Expect(page.GetByTestId("unpaid-count")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("overdue-warning")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("bills").GetByTestId("bill-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("bills").GetByTestId("bill-due")).ToHaveTextAsync(Money(due));
        // The amount is prefilled with the amount due.
        Assert.Equal(due, decimal.Parse(await page.GetByTestId("repay-amount").InputValueAsync(), CultureInfo.InvariantCulture));

        // Refusals say why, and nothing is paid.
        await FillRepayAsync(page, (due + 0.01m).ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("repay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync($"cannot be more than the amount due ({due:0.00} USD)");
        await FillRepayAsync(page, "40000.01");
        await page.GetByTestId("repay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("cannot be more than 40000.00 USD in one online payment");
        await FillRepayAsync(page, "0");
        await page.GetByTestId("repay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("more than 0");
        await Expect(page.GetByTestId("amount-due")).ToHaveTextAsync(Money(due));
        await Expect(page.GetByTestId("payment-row")).ToHaveCountAsync(0);

        await FillRepayAsync(page, "1.00");
        await page.GetByTestId("repay-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("1.00 USD was paid with the card ending 4242");
        await Expect(page.GetByTestId("amount-due")).ToHaveTextAsync(Money(due - 1m));
        await Expect(page.GetByTestId("payment-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("payment-method")).ToHaveTextAsync(BillPaymentMethods.OnlinePayment);
        var statements = page.GetByTestId("account-statements");
        await Expect(statements.GetByTestId("statement-row").Filter(new() { Has = page.GetByTestId("statement-kind").GetByText("top_up", new() { Exact = true }) })
            .GetByTestId("statement-amount")).ToHaveTextAsync("1.00 USD");
        await Expect(statements.GetByTestId("statement-row").Filter(new() { Has = page.GetByTestId("statement-kind").GetByText("repayment", new() { Exact = true }) })
            .GetByTestId("statement-amount")).ToHaveTextAsync("-1.00 USD");

        // The same rendered form posted twice at once and once more (one client token) pays once.
        await FillRepayAsync(page, "1.00");
        var statuses = await page.EvaluateAsync<int[]>("""
            async () => {
                const form = document.querySelector('[data-testid=repay-submit]').form;
                const post = async () => (await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) })).status;
                const first = await Promise.all([post(), post()]);
                return [...first, await post()];
            }
            """);
        Assert.All(statuses, s => Assert.Equal(200, s));
        await page.ReloadAsync();
        await Expect(page.GetByTestId("amount-due")).ToHaveTextAsync(Money(due - 2m));
        await Expect(page.GetByTestId("payment-row")).ToHaveCountAsync(2);

        // The bill's detail shows its line.
        await page.GetByTestId("bills").GetByTestId("bill-cycle").ClickAsync();
        await Expect(page.GetByTestId("bill-line")).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page, "partner-bills");
    }

    [Fact]
    public async Task An_overdue_partners_bank_transfer_ticket_confirmed_on_the_operators_billing_page_clears_the_amount_due_and_the_overdue()
    {
        var (partner, due, fifth) = await PartnerWithABillAsync();
        // Past the due date (15 days after the 5th) the partner is overdue.
        var today = fifth.AddDays(16);
        await SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", await api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword),
            new { to = today.ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var partnerId = (await (await SendAsync(HttpMethod.Get, "/v1/account", await api.TokenAsync(partner))).Content.ReadFromJsonAsync<JsonObject>())!["domain_id"]!.GetValue<string>();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GotoAsync("/console/sales/bills");
        await Expect(page.GetByTestId("overdue-warning")).ToContainTextAsync("past its due date");
        await Expect(page.GetByTestId("bills").GetByTestId("bill-status")).ToHaveTextAsync("Overdue");
        await page.GetByTestId("repay-bank-tab").ClickAsync();
        await Expect(page.GetByTestId("top-up-account-number")).ToHaveTextAsync(TopUpAccount.Sandbox.AccountNumber);
        var invoice = (await page.GetByTestId("invoice-number").InnerTextAsync()).Trim();
        Assert.NotEqual("—", invoice);

        await page.GetByTestId("bank-transfer-ticket-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/tickets/new"));
        await Expect(page.GetByTestId("transfer-invoice")).ToHaveValueAsync(invoice);
        await Expect(page.GetByTestId("transfer-amount")).ToHaveValueAsync(due.ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("ticket-title").FillAsync("Repayment by bank transfer");
        await page.GetByTestId("ticket-description").FillAsync("Transferred the amount due.");
        await page.GetByTestId("transfer-date").FillAsync(today.ToString("yyyy-MM-dd"));
        await page.GetByTestId("transfer-payer").FillAsync("Acme Pte. Ltd.");
        await page.GetByTestId("transfer-reference").FillAsync("BR-" + PartnerApi.Unique("x"));
        await page.GetByTestId("ticket-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/tickets/[^/?]+\\?created=1$"));
        var ticket = Regex.Match(page.Url, "/console/tickets/([^/?]+)").Groups[1].Value;

        var op = await server.NewPageAsync();
        await SignInAsync(op, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await op.GetByTestId("nav-operator-billing").ClickAsync();
        await Expect(op).ToHaveURLAsync(new Regex("/console/operator/billing$"));
        var row = op.GetByTestId("bank-transfer-row").Filter(new() { Has = op.GetByTestId("bank-transfer-ticket").GetByText(ticket, new() { Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(op.GetByTestId("bill-run-row").First).ToBeVisibleAsync();
        var overdueRow = op.GetByTestId("overdue-partner").GetByText(partnerId, new() { Exact = true });
        await Expect(overdueRow).ToHaveCountAsync(1);
        await row.GetByTestId("confirm-transfer").ClickAsync();
        await Expect(op.GetByTestId("alert-success")).ToContainTextAsync($"Bank transfer {ticket} confirmed: the partner's amount due is now 0.00 USD");
        // Confirmed once: the ticket stays open for the conversation, but offers no second confirmation.
        await Expect(row.GetByTestId("transfer-confirmed")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("confirm-transfer")).ToHaveCountAsync(0);
        await Expect(overdueRow).ToHaveCountAsync(0);
        await SaveScreenshotAsync(op, "operator-billing");

        await page.GotoAsync("/console/sales/bills");
        await Expect(page.GetByTestId("amount-due")).ToHaveTextAsync("0.00 USD");
        await Expect(page.GetByTestId("overdue-warning")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("bills").GetByTestId("bill-status")).ToHaveTextAsync("Paid");
        await Expect(page.GetByTestId("unpaid-bills").GetByTestId("bill-row")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("payment-method")).ToHaveTextAsync(BillPaymentMethods.BankTransfer);
        await Expect(page.GetByTestId("statement-kind").GetByText("top_up", new() { Exact = true })).ToHaveCountAsync(1);

        // A partner does not reach the operator's page.
        await page.GotoAsync("/console/operator/billing");
        await Expect(page.GetByTestId("not-permitted")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("confirm-transfer")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Downloading_a_bill_gives_a_pdf_and_a_csv_carrying_the_bills_amounts_and_another_bill_is_not_found()
    {
        var (partner, due, _) = await PartnerWithABillAsync();
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner);
        await page.GotoAsync("/console/sales/bills");
        var row = page.GetByTestId("bills").GetByTestId("bill-row");
        await Expect(row).ToHaveCountAsync(1);

        var pdf = await page.RunAndWaitForDownloadAsync(() => row.GetByTestId("bill-download-pdf").ClickAsync());
        Assert.Matches("^partner-bill-\\d{4}-\\d{2}-[0-9a-f]+\\.pdf$", pdf.SuggestedFilename);
        var pdfBytes = await File.ReadAllBytesAsync((await pdf.PathAsync())!);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(pdfBytes, 0, 5));

        var csv = await page.RunAndWaitForDownloadAsync(() => row.GetByTestId("bill-download-csv").ClickAsync());
        Assert.Equal(Path.ChangeExtension(pdf.SuggestedFilename, ".csv"), csv.SuggestedFilename);
        using (var reader = CsvHelper.CsvReader.Create(await File.ReadAllBytesAsync((await csv.PathAsync())!)))
        {
            var totals = new Dictionary<string, decimal>();
            while (reader.Read())
                if (reader.GetString("row_type") == "total")
                    totals[reader.GetString("item")] = decimal.Parse(reader.GetString("amount"), NumberStyles.Number, CultureInfo.InvariantCulture);
            Assert.Equal((due, due, 0m), (totals["initial_amount_due"], totals["amount_due"], totals["paid"]));
        }

        // The bill's own card offers the same downloads; a bill that is not the partner's is not found.
        await row.GetByTestId("bill-cycle").ClickAsync();
        var again = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("bill-detail-download-pdf").ClickAsync());
        Assert.Equal(pdf.SuggestedFilename, again.SuggestedFilename);
        Assert.Equal(404, (await page.APIRequest.GetAsync("/console/sales/bills/not-my-bill/export?format=pdf")).Status);
        Assert.Equal(400, (await page.APIRequest.GetAsync(page.Url.Replace("/console/sales/bills?bill=", "/console/sales/bills/") + "/export?format=xls")).Status);

        // The statement route the customer pages link to answers the signed-in account's own statement of the month.
        var cycle = pdf.SuggestedFilename["partner-bill-".Length..][..7];
        var statement = await page.APIRequest.GetAsync($"/console/statements/{cycle}/export?format=csv");
        Assert.Equal(200, statement.Status);
        Assert.StartsWith($"attachment; filename=statement-{cycle}-", statement.Headers["content-disposition"]);
    }

    // ---- setup through the API ----

    /// <summary>
    /// A CSP whose resale customer bought a month of a server, then the sandbox clock past the 5th of the next month,
    /// when the bill run bills it; returns the partner's account, its amount due (its balance is 0, so all of it) and when the bill was made.
    /// </summary>
    async Task<(string Partner, decimal Due, DateTime BilledAt)> PartnerWithABillAsync()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customer, customerName) = await api.NewCustomerAsync(partner, withPassword: true);
        await api.SetAutomaticBudgetAsync(partner, customer, 500m);
        var created = await SendAsync(HttpMethod.Post, "/v1/orders", await api.TokenAsync(partner), new
        {
            customer_id = customer, client_token = Guid.NewGuid().ToString("N"),
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1, subscription_num = 1 } },
        });
        var order = (await created.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", await api.TokenAsync(customerName), new { order_id = order, use_coupon = "NO", use_discount = "NO" });

        var operatorToken = await api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        var clock = await SendAsync(HttpMethod.Get, "/v1/sandbox/clock", operatorToken);
        var now = DateTime.Parse((await clock.Content.ReadFromJsonAsync<JsonObject>())!["now"]!.ToString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var cycle = BillCycle.Containing(now);
        var fifth = new DateTime(cycle.Next.Year, cycle.Next.Month, 5, 3, 0, 0, DateTimeKind.Utc);
        await SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", operatorToken, new { to = fifth.ToString("yyyy-MM-ddTHH:mm:ssZ") });

        var due = await SendAsync(HttpMethod.Get, "/v1/partner-bills/amount-due", await api.TokenAsync(partner));
        var amount = (await due.Content.ReadFromJsonAsync<JsonObject>())!["amount_due"]!.GetValue<decimal>();
        Assert.True(amount > 1m, $"The bill left {amount} due.");
        return (partner, amount, fifth);
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture) + " USD";

    static async Task FillRepayAsync(IPage page, string amount)
    {
        await page.GetByTestId("repay-amount").FillAsync(amount);
        await page.GetByTestId("repay-card-number").FillAsync("4242 4242 4242 4242");
        await page.GetByTestId("repay-expiry-month").FillAsync("12");
        await page.GetByTestId("repay-expiry-year").FillAsync((DateTime.UtcNow.Year + 5).ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("repay-cvc").FillAsync("123");
    }

    static async Task SignInAsync(IPage page, string account, string password = Password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "billing-" + name + ".png"), FullPage = true });
    }
}
