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
/// The customer's Billing Center (monthly bill, fee records paged on the server, account statements, statement download
/// links) and the partner's Customer expenditures (a server-side SVG chart per month, by customer and by service, and a
/// customer's bill). The figures are checked against the server's own BSS answers; months close by moving the sandbox clock.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BillCenterConsoleTests : IDisposable
{
    const string Password = PartnerApi.Password;
    readonly ConsoleServer server;
    readonly PartnerApi api;
    readonly PayPerUseApi usage;
    readonly HttpClient http;

    public BillCenterConsoleTests(ConsoleServer server)
    {
        this.server = server;
        api = new PartnerApi(server);
        usage = new PayPerUseApi(server, api);
        http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(300) };
    }

    public void Dispose()
    {
        http.Dispose();
        usage.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task A_customers_billing_center_shows_the_months_total_the_api_answers_and_pages_through_its_fee_records()
    {
        await AwayFromCycleEndAsync();
        var account = await api.NewAccountAsync("bc");
        await api.TopUpAsync(account, 50);
        await api.BuyServerWithDiskAsync(account);
        await usage.OrderServerAsync(account);
        var page = await SignedInAsync(account);
        await page.GotoAsync("/console/usage");
        var vm = await page.GetByTestId("usage-resource-row").GetAttributeAsync("data-resource-id") ?? throw new InvalidOperationException("no resource id");
        for (var hour = 0; hour < 12; hour++) await usage.UseAndRateAsync(vm, 1 + hour * 0.25m);
        var cycle = BillCycle.Containing(await usage.NowAsync()).ToString();
        var token = await api.TokenAsync(account);
        var sum = await GetAsync($"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself", token);
        var consume = sum["consume_amount"]!.GetValue<decimal>();
        Assert.True(consume > 9m, $"The month's consumption is {consume}.");

        // The sign-in lasts hours of business time: sign in again after the clock moved.
        page = await SignedInAsync(account);
        await page.GetByTestId("nav-billing-center").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/billing-center$"));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Billing Center");
        await Expect(page.GetByLabel("Month", new() { Exact = true })).ToHaveValueAsync(cycle);
        await Expect(page.GetByTestId("bill-total")).ToHaveTextAsync(Money(consume));
        await Expect(page.GetByTestId("bill-lines-total")).ToHaveTextAsync(Money(consume));
        await Expect(page.GetByTestId("bill-cash")).ToHaveTextAsync(Money(sum["cash_amount"]!.GetValue<decimal>()));
        await Expect(page.GetByTestId("bill-line")).ToHaveCountAsync(sum["total_count"]!.GetValue<int>());
        // The month's statement downloads as a PDF and as a CSV whose consumption is the page's.
        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-statement-pdf").ClickAsync());
        Assert.EndsWith(".pdf", pdf.SuggestedFilename);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync((await pdf.PathAsync())!), 0, 5));
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-statement-csv").ClickAsync());
        using (var reader = CsvHelper.CsvReader.Create(await File.ReadAllBytesAsync((await csv.PathAsync())!)))
        {
            var consumption = (decimal?)null;
            while (reader.Read())
                if (reader.GetString("row_type") == "total" && reader.GetString("item") == "consume_amount")
                    consumption = decimal.Parse(reader.GetString("amount"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(consume, consumption);
        }
        await SaveScreenshotAsync(page, "customer-bill");

        // Detailed fee records, 10 a page: the order lines and each rated hour, as many as the API counts.
        var records = await GetAsync($"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=3&limit=1", token);
        var total = records["total_count"]!.GetValue<int>();
        Assert.InRange(total, 14, 100); // 2 order lines and 12 hours
        await page.GetByTestId("tab-records").ClickAsync();
        await page.GetByLabel("Rows per page", new() { Exact = true }).SelectOptionAsync("10");
        await page.GetByTestId("cycle-apply").ClickAsync();
        await Expect(page.GetByTestId("fee-records-count")).ToHaveTextAsync(total.ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("fee-record")).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("fee-records-range")).ToHaveTextAsync($"1–10 of {total}");
        await Expect(page.GetByTestId("fee-records-previous")).ToHaveCountAsync(0);
        var firstPage = await page.GetByTestId("fee-record-amount").AllInnerTextsAsync();
        await page.GetByTestId("fee-records-next").ClickAsync();
        await Expect(page.GetByTestId("fee-records-range")).ToHaveTextAsync($"11–{Math.Min(20, total)} of {total}");
        var pages = new List<string>(firstPage);
        while (true)
        {
            pages.AddRange(await page.GetByTestId("fee-record-amount").AllInnerTextsAsync());
            if (await page.GetByTestId("fee-records-next").CountAsync() == 0) break;
            await page.GetByTestId("fee-records-next").ClickAsync();
        }
        // Every record once, and together they are the month's total.
        Assert.Equal(total, pages.Count);
        Assert.Equal(consume, pages.Sum(ParseMoney));
        // Previous from the last page goes one page back.
        var previous = (total - 1) / 10 * 10 - 10;
        await page.GetByTestId("fee-records-previous").ClickAsync();
        await Expect(page.GetByTestId("fee-records-range")).ToHaveTextAsync($"{previous + 1}–{previous + 10} of {total}");

        // By cycle: one record per order line and one for the resource's usage, as the API answers.
        var byCycle = (await GetAsync($"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=1&limit=1", token))["total_count"]!.GetValue<int>();
        Assert.InRange(byCycle, 3, 10);
        await page.GetByLabel("Records", new() { Exact = true }).SelectOptionAsync("1");
        await page.GetByTestId("cycle-apply").ClickAsync();
        await Expect(page.GetByTestId("fee-record")).ToHaveCountAsync(byCycle);

        // Account statements: the top-up and the deductions, newest first, with the balance after each.
        await page.GetByTestId("tab-statements").ClickAsync();
        var balance = (await GetAsync("/v2/accounts/customer-accounts/balances", token))["account_balances"]!.AsArray()
            .Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();
        await Expect(page.GetByTestId("statement-row").First.GetByTestId("statement-balance")).ToHaveTextAsync(Money(balance));
        await Expect(page.GetByTestId("statement-type").GetByText("Top-up", new() { Exact = true })).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page, "customer-statements");
    }

    [Fact]
    public async Task A_partners_customer_expenditures_chart_one_bar_per_month_with_spend_at_the_tables_figures_and_open_a_customers_bill()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (small, smallName) = await api.NewCustomerAsync(partner, withPassword: true);
        var (large, largeName) = await api.NewCustomerAsync(partner, withPassword: true);
        foreach (var c in new[] { small, large }) await api.SetAutomaticBudgetAsync(partner, c, 500m);
        await AwayFromCycleEndAsync();
        await ResaleServersAsync(partner, small, smallName, 1);
        await ResaleServersAsync(partner, large, largeName, 3);
        var cycle = BillCycle.Containing(await usage.NowAsync());
        var spendOf = new Dictionary<string, decimal>();
        foreach (var (id, name) in new[] { (small, smallName), (large, largeName) })
            spendOf[id] = (await GetAsync($"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=oneself", await api.TokenAsync(name)))["consume_amount"]!.GetValue<decimal>();
        // The month closes: past the 5th of the next one.
        var operatorToken = await api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        var fifth = new DateTime(cycle.Next.Year, cycle.Next.Month, 5, 3, 0, 0, DateTimeKind.Utc);
        await SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", operatorToken, new { to = fifth.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) });

        var page = await SignedInAsync(partner);
        await page.GetByTestId("nav-sales-expenditures").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sales/expenditures$"));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Customer expenditures");

        // The months chart: an SVG drawn on the server, one bar for the one month with spend, at the table's figure.
        var months = page.GetByTestId("months-chart").Locator("svg");
        await Expect(months).ToHaveAttributeAsync("role", "img");
        var bar = months.GetByTestId("chart-bar");
        await Expect(bar).ToHaveCountAsync(1);
        await Expect(bar).ToHaveAttributeAsync("data-label", cycle.ToString());
        var total = spendOf.Values.Sum();
        Assert.Equal(total, decimal.Parse((await bar.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture));
        var monthRow = page.GetByTestId("months-table").Locator($"[data-key='{cycle}']");
        await Expect(monthRow.GetByTestId("expenditure-spend")).ToHaveTextAsync(Money(total));
        await Expect(page.GetByTestId("months-table").GetByTestId("expenditure-row")).ToHaveCountAsync(12);
        var settlement = decimal.Parse((await months.Locator($"[data-testid=chart-point][data-label='{cycle}']").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        await Expect(monthRow.GetByTestId("expenditure-settlement")).ToHaveTextAsync(Money(settlement));
        Assert.True(settlement > 0 && settlement <= total);

        // By customer (largest first) and by service, each with its chart at the same figures.
        var customers = page.GetByTestId("customers-table").GetByTestId("expenditure-row");
        await Expect(customers).ToHaveCountAsync(2);
        await Expect(customers.First).ToHaveAttributeAsync("data-key", large);
        await Expect(page.GetByTestId("customers-chart").GetByTestId("chart-bar")).ToHaveCountAsync(2);
        foreach (var (id, spend) in spendOf)
        {
            await Expect(page.GetByTestId("customers-table").Locator($"[data-key='{id}']").GetByTestId("expenditure-spend")).ToHaveTextAsync(Money(spend));
        }
        var chartValues = (await page.GetByTestId("customers-chart").GetByTestId("chart-bar").EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('data-value'))"))
            .Select(v => decimal.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(spendOf.Values.OrderDescending(), chartValues);
        await Expect(page.GetByTestId("services-table").GetByTestId("services-table-spend-total")).ToHaveTextAsync(Money(total));
        await Expect(page.GetByTestId("services-chart").GetByTestId("chart-bar")).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page, "customer-expenditures");

        // A customer's bill: its month's lines, at list price and settlement price.
        await customers.First.GetByTestId("expenditure-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/sales/expenditures/{large}\\?cycle={cycle}$"));
        await Expect(page.GetByTestId("customer-bill-id")).ToHaveTextAsync(large);
        await Expect(page.GetByTestId("bill-line")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("customer-bill-lines-total")).ToHaveTextAsync(Money(spendOf[large]));
        var largeSettlement = ParseMoney(await page.GetByTestId("customer-bill-lines-settlement").InnerTextAsync());
        Assert.InRange(largeSettlement, 0.01m, spendOf[large]);
        await SaveScreenshotAsync(page, "customer-bill-partner");

        // The resale customer's own Billing Center shows the same month at list price, told that its partner pays.
        var customerPage = await SignedInAsync(largeName);
        await customerPage.GotoAsync($"/console/billing-center?cycle={cycle}");
        await Expect(customerPage.GetByTestId("billing-resale")).ToBeVisibleAsync();
        await Expect(customerPage.GetByTestId("bill-total")).ToHaveTextAsync(Money(spendOf[large]));
        await Expect(customerPage.GetByTestId("bill-cash")).ToHaveCountAsync(0);
        await customerPage.GetByTestId("tab-statements").ClickAsync();
        await Expect(customerPage.GetByTestId("statements-resale")).ToBeVisibleAsync();

        // Another partner does not read this customer's bill.
        var (other, _, _) = await api.NewPartnerAsync();
        var otherPage = await SignedInAsync(other);
        await otherPage.GotoAsync($"/console/sales/expenditures/{large}?cycle={cycle}");
        await Expect(otherPage.GetByTestId("alert-error")).ToBeVisibleAsync();
        await Expect(otherPage.GetByTestId("bill-line")).ToHaveCountAsync(0);
    }

    // ---- setup through the API ----

    /// <summary>Keeps a test's purchases and rated hours within one bill cycle (Beijing time): within a day of its end, moves past it.</summary>
    async Task AwayFromCycleEndAsync()
    {
        var now = await usage.NowAsync();
        var end = BillCycle.Containing(now).EndUtc;
        if (end - now < TimeSpan.FromDays(1)) await usage.AdvanceAsync(end - now + TimeSpan.FromHours(2));
    }

    /// <summary>The partner orders monthly servers for its resale customer, which pays them from the budget the partner set.</summary>
    async Task ResaleServersAsync(string partner, string customerId, string customerName, int count)
    {
        var created = await SendAsync(HttpMethod.Post, "/v1/orders", await api.TokenAsync(partner), new
        {
            customer_id = customerId, client_token = Guid.NewGuid().ToString("N"),
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1, subscription_num = count } },
        });
        var order = (await created.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", await api.TokenAsync(customerName), new { order_id = order, use_coupon = "NO", use_discount = "NO" });
    }

    async Task<JsonObject> GetAsync(string path, string token) => (await (await SendAsync(HttpMethod.Get, path, token)).Content.ReadFromJsonAsync<JsonObject>())!;

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

    async Task<IPage> SignedInAsync(string account, string password = Password)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return page;
    }

    static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture) + " USD";

    static decimal ParseMoney(string text) => decimal.Parse(text.Replace(" USD", "").Trim(), NumberStyles.Number, CultureInfo.InvariantCulture);

    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "billcenter-" + name + ".png"), FullPage = true });
    }
}
