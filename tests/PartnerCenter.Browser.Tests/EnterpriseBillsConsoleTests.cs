using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PartnerCenter.Core.Enterprise;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Enterprise Center > Bills: the master pays a finance-custody member's order from the page, then sees the month's
/// consolidated bill with a chart of each account's spend, drills down into the member, and downloads the statement;
/// a member that did not let it view its consumption is not in it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EnterpriseBillsConsoleTests(ConsoleServer server) : IDisposable
{
    readonly PartnerApi api = new(server);
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl) };

    public void Dispose()
    {
        api.Dispose();
        http.Dispose();
    }

    [Fact]
    public async Task The_master_pays_a_custody_members_order_and_its_consolidated_bill_charts_each_members_spend()
    {
        var (master, custody, independent) = (await api.NewAccountAsync("master"), await api.NewAccountAsync("custody"), await api.NewAccountAsync("indep"));
        var (masterId, custodyId, independentId) = (await IdAsync(master), await IdAsync(custody), await IdAsync(independent));
        await OrganizationAsync(masterId, (custodyId, true), (independentId, false));
        await api.TopUpAsync(master, 50m);
        await api.TopUpAsync(independent, 50m);
        await api.BuyServerWithDiskAsync(independent); // the independent member's spend stays its own
        var order = await OrderAsync(custody);

        var page = await server.NewPageAsync();
        await SignInAsync(page, master);
        await page.GetByTestId("nav-enterprise-bills-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/enterprise/bills$"));
        var row = page.Locator($"[data-testid=bills-to-pay-row][data-order-id='{order}']");
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByTestId("bills-pay").ClickAsync();

        await Expect(page.GetByTestId("bills-success")).ToContainTextAsync($"Order {order} was paid from your balance: 7.15 USD");
        await Expect(page.GetByTestId("bills-to-pay-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("bills-total")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("bills-paid-by-master")).ToHaveTextAsync("7.15 USD");
        var custodyRow = page.Locator($"[data-testid=bills-row][data-account-id='{custodyId}']");
        await Expect(custodyRow.GetByTestId("bills-spend")).ToHaveTextAsync("7.15 USD");
        await Expect(custodyRow.GetByTestId("bills-role")).ToHaveTextAsync("Finance custody");
        await Expect(page.Locator($"[data-testid=bills-row][data-account-id='{independentId}']")).ToHaveCountAsync(0);
        // The chart's bars carry the table's figures.
        await Expect(page.GetByTestId("bills-chart-svg")).ToContainTextAsync(custody);
        await Expect(page.GetByTestId("bills-chart-svg")).ToContainTextAsync("7.15 USD");

        // The statement downloads with the member's line.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("bills-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"{custodyId},{custody},finance custody,USD,7.15,7.15", csv);
        // And the invoice as a PDF; only the master gets it.
        var invoice = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("bills-invoice").ClickAsync());
        Assert.Matches("^organization-invoice-\\d{4}-\\d{2}\\.pdf$", invoice.SuggestedFilename);
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync((await invoice.PathAsync())!), 0, 5));
        var memberPage = await server.NewPageAsync();
        await SignInAsync(memberPage, custody);
        Assert.Equal(404, (await memberPage.APIRequest.GetAsync("/console/enterprise/bills/" + invoice.SuggestedFilename["organization-invoice-".Length..][..7] + "/invoice")).Status);

        // Drill down into the member's month.
        await custodyRow.GetByTestId("bills-account").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/enterprise/bills/members/{custodyId}"));
        await Expect(page.GetByTestId("member-total")).ToHaveTextAsync("7.15 USD");
        await Expect(page.GetByTestId("member-line")).ToHaveCountAsync(1);

        // The independent member's page is refused in words.
        await page.GotoAsync($"/console/enterprise/bills/members/{independentId}");
        await Expect(page.GetByTestId("member-error")).ToContainTextAsync("READ_CONSUME_BILL");
    }

    // ---- steps ----

    async Task<string> IdAsync(string account)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/account");
        request.Headers.Add("X-Auth-Token", await api.TokenAsync(account));
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["domain_id"]!.GetValue<string>();
    }

    /// <summary>A month's server ordered by the account and left pending; returns the order id.</summary>
    async Task<string> OrderAsync(string account)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/orders")
        {
            Content = JsonContent.Create(new
            {
                client_token = Guid.NewGuid().ToString("N"),
                product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
            }),
        };
        request.Headers.Add("X-Auth-Token", await api.TokenAsync(account));
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
    }

    /// <summary>The organization written into the server's database, as the Enterprise Center organization pages will make it.</summary>
    async Task OrganizationAsync(string masterId, params (string Id, bool Custody)[] members)
    {
        await using var db = Core.Data.DatabaseRegistration.CreateContext(Core.Data.DatabaseSettings.SqliteFile(Path.Combine(server.DataDir, "partner-center.db")));
        var now = DateTime.UtcNow;
        var root = new EnterpriseUnit { Id = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), MasterAccountId = masterId, Name = "root", CreatedAt = now };
        db.EnterpriseUnits.Add(root);
        db.EnterpriseMasters.Add(new EnterpriseMaster { AccountId = masterId, RootUnitId = root.Id, EnabledAt = now });
        foreach (var (id, custody) in members)
            db.EnterpriseMembers.Add(new EnterpriseMember
            {
                MemberAccountId = id, MasterAccountId = masterId, UnitId = root.Id, Status = EnterpriseCodes.Normal, Origin = MemberOrigin.Created,
                FinancialCustody = custody, Permissions = custody ? string.Join(' ', EnterpriseCodes.CustodyPermissions) : "", JoinedAt = now,
            });
        await db.SaveChangesAsync();
    }

    static async Task SignInAsync(IPage page, string account)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(PartnerApi.Password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }
}
