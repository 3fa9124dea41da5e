using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Ledger;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Enterprise Center > Funds and Coupons: the master moves cash and coupon value to a member and takes it back, both sides'
/// figures agree, a form sent twice moves the money once, a retrieval beyond what the member holds is refused in words,
/// and the member sees the movements on its My organization page. Every scenario ends with the ledger's invariants.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EnterpriseFundsConsoleTests(ConsoleServer server) : IDisposable
{
    readonly PartnerApi api = new(server);
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl) };

    public void Dispose()
    {
        api.Dispose();
        http.Dispose();
    }

    [Fact]
    public async Task The_master_transfers_100_and_retrieves_40_and_both_sides_figures_agree()
    {
        var org = await OrganizationAsync(500m);
        var page = await SignedInAsync(org.Master);
        await page.GetByTestId("nav-enterprise-funds").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/enterprise/funds$"));
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("500.00 USD");

        await TransferAsync(page, org.Member, "100.00");
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex($"Transferred 100.00 USD of cash to {org.Member}"));
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("400.00 USD");
        await Expect(CashRow(page, org.Member).GetByTestId("holding-retrievable")).ToHaveTextAsync("100.00 USD");

        await RetrieveAsync(page, org.Member, "40");
        await Expect(page.GetByTestId("alert-success")).ToHaveTextAsync(new Regex($"Retrieved 40.00 USD of cash from {org.Member}"));
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("440.00 USD");
        await Expect(CashRow(page, org.Member).GetByTestId("holding-retrievable")).ToHaveTextAsync("60.00 USD");
        // The movements with the member's balance after each, and the master's own TRANS records with its own.
        await Expect(page.GetByTestId("movement-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("movement-balance-after").First).ToHaveTextAsync("60.00 USD");
        await Expect(page.GetByTestId("movement-amount").First).ToHaveTextAsync("-40.00 USD");
        await Expect(page.GetByTestId("record-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("record-balance-after").First).ToHaveTextAsync("440.00 USD");

        // The member's side: the same movements, the same balance.
        var memberPage = await SignedInAsync(org.Member);
        await memberPage.GetByTestId("nav-my-organization").ClickAsync();
        await Expect(memberPage.GetByTestId("received-cash")).ToHaveTextAsync("60.00 USD");
        await Expect(memberPage.GetByTestId("received-cash-balance")).ToHaveTextAsync("60.00 USD");
        await Expect(memberPage.GetByTestId("received-record-row")).ToHaveCountAsync(2);
        await Expect(memberPage.GetByTestId("received-record-amount")).ToHaveTextAsync(["-40.00 USD", "+100.00 USD"]);
        await Expect(memberPage.GetByTestId("received-record-balance-after")).ToHaveTextAsync(["60.00 USD", "100.00 USD"]);
        await AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_transfer_form_sent_twice_moves_the_money_once_and_says_what_the_first_did()
    {
        var org = await OrganizationAsync(300m);
        var page = await SignedInAsync(org.Master);
        await page.GotoAsync("/console/enterprise/funds");
        var transId = await page.GetByTestId("funds-transfer-trans-id").InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}$", transId);
        await page.GetByTestId("funds-transfer-amount").FillAsync("100.00");

        // A double click: the same rendered form (antiforgery token and trans_id included) is posted twice at once, then once more.
        var answers = await page.EvaluateAsync<string[]>("""
            async () => {
                const form = document.querySelector('[data-testid=funds-transfer-submit]').form;
                const post = async () => {
                    const response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
                    const html = await response.text();
                    return response.status + ' ' + (html.includes('data-testid="alert-success"') ? 'success' : 'no success') + ' ' + (html.includes('data-testid="alert-error"') ? 'error' : 'no error')
                        + (html.includes('This form was already sent') ? ' (already sent)' : '');
                };
                const first = await Promise.all([post(), post()]);
                return [...first, await post()];
            }
            """);
        Assert.All(answers, a => Assert.StartsWith("200 success no error", a));
        Assert.Equal("200 success no error (already sent)", answers[2]);

        await page.ReloadAsync();
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("200.00 USD");
        await Expect(page.GetByTestId("movement-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("movement-trans-id")).ToHaveTextAsync(transId);
        // Each render of the form has its own trans_id: this page's form is a new transfer.
        Assert.NotEqual(transId, await page.GetByTestId("funds-transfer-trans-id").InputValueAsync());
        await AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Retrieving_more_than_the_member_holds_is_refused_in_words_and_moves_nothing()
    {
        var org = await OrganizationAsync(200m);
        await api.TopUpAsync(org.Member, 30m); // the member's own money is not the master's to take
        var page = await SignedInAsync(org.Master);
        await page.GotoAsync("/console/enterprise/funds");
        await TransferAsync(page, org.Member, "50");
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("150.00 USD");
        await Expect(CashRow(page, org.Member).GetByTestId("holding-balance")).ToHaveTextAsync("80.00 USD");
        await Expect(CashRow(page, org.Member).GetByTestId("holding-retrievable")).ToHaveTextAsync("50.00 USD");

        await RetrieveAsync(page, org.Member, "60");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync($"{org.Member} holds less than that of what you gave it");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("CBC.99005003");
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("150.00 USD");
        await Expect(CashRow(page, org.Member).GetByTestId("holding-retrievable")).ToHaveTextAsync("50.00 USD");
        await Expect(page.GetByTestId("movement-row")).ToHaveCountAsync(1);

        // A credit expiry date with cash is refused before anything moves.
        await page.GetByTestId("funds-transfer-expiry").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await TransferAsync(page, org.Member, "10");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("expiry date is for credit only");
        await Expect(page.GetByTestId("funds-master-cash")).ToHaveTextAsync("150.00 USD");
        await AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_master_transfers_part_of_a_platform_coupon_and_retrieves_what_is_left_and_the_member_sees_both()
    {
        var org = await OrganizationAsync(0m);
        var coupon = await TestCouponAsync(org.MasterId, 1, 100m, null);
        var discount = await TestCouponAsync(org.MasterId, 2, 20m, 0.1m);
        var page = await SignedInAsync(org.Master);
        await page.GetByTestId("nav-enterprise-coupons").ClickAsync();
        await Expect(MineRow(page, coupon)).ToHaveAttributeAsync("data-transferable", "yes");
        await Expect(MineRow(page, discount)).ToHaveAttributeAsync("data-transferable", "no");
        await Expect(MineRow(page, discount).GetByTestId("coupon-mine-transfer")).ToContainTextAsync("Only cash coupons can be transferred");

        await page.GetByTestId("coupons-transfer-coupon").SelectOptionAsync(coupon);
        await page.GetByTestId("coupons-transfer-amount").FillAsync("30");
        await page.GetByTestId("coupons-transfer-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Transferred 30.00 USD of coupon {coupon} to {org.Member}");
        await Expect(MineRow(page, coupon).GetByTestId("coupon-mine-balance")).ToHaveTextAsync("70.00 USD");
        var given = page.Locator($"[data-testid=coupon-given-row][data-member='{org.Member}']");
        await Expect(given.GetByTestId("coupon-given-left")).ToHaveTextAsync("30.00 USD");
        var sub = (await given.GetAttributeAsync("data-sub-coupon-id"))!;

        var memberPage = await SignedInAsync(org.Member);
        await memberPage.GotoAsync("/console/my-organization");
        var received = memberPage.Locator($"[data-testid=received-coupon-row][data-coupon-id='{sub}']");
        await Expect(received.GetByTestId("received-coupon-left")).ToHaveTextAsync("30.00 USD");
        await Expect(received.GetByTestId("received-coupon-status")).ToHaveTextAsync("Usable");

        await given.GetByTestId("coupon-given-retrieve").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync($"Retrieved 30.00 USD from {org.Member}'s coupon {sub}");
        await Expect(MineRow(page, coupon).GetByTestId("coupon-mine-balance")).ToHaveTextAsync("100.00 USD");
        await Expect(given.GetByTestId("coupon-given-status")).ToHaveTextAsync("Reclaimed");
        await Expect(given.GetByTestId("coupon-given-retrieve")).ToHaveCountAsync(0);

        await memberPage.ReloadAsync();
        await Expect(received.GetByTestId("received-coupon-status")).ToHaveTextAsync("Reclaimed");
        await Expect(memberPage.Locator("[data-testid=received-record-row]")).ToHaveCountAsync(2);
        await Expect(memberPage.GetByTestId("received-record-amount")).ToHaveTextAsync(["-30.00 USD", "+30.00 USD"]);
        await AssertLedgerSoundAsync();
    }

    // ---- steps ----

    sealed record Organization(string Master, string MasterId, string Member, string MemberId);

    /// <summary>A master with <paramref name="cash"/> of its own and one member that accepted its invitation, through the API.</summary>
    async Task<Organization> OrganizationAsync(decimal cash)
    {
        var (master, member) = (await api.NewAccountAsync("efmaster"), await api.NewAccountAsync("efmember"));
        var enabled = await SendAsync(HttpMethod.Post, "/v1/enterprise/enable", master, null);
        var invitation = await SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", master,
            new { account_name = member, unit_id = enabled["root_id"]!.GetValue<string>(), financial_custody = 1 });
        var accepted = await SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{invitation["invitation_id"]!.GetValue<string>()}/accept", member, null);
        var memberId = (await SendAsync(HttpMethod.Get, "/v1/account", member, null))["domain_id"]!.GetValue<string>();
        Assert.Equal(enabled["domain_id"]!.GetValue<string>(), accepted["master_id"]!.GetValue<string>());
        if (cash > 0) await api.TopUpAsync(master, cash);
        return new Organization(master, enabled["domain_id"]!.GetValue<string>(), member, memberId);
    }

    async Task<string> TestCouponAsync(string accountId, int type, decimal face, decimal? ratio)
    {
        var body = await SendAsync(HttpMethod.Post, $"/v1/operator/partners/{accountId}/test-coupons", null,
            new { coupon_type = type, face_value = face, discount_ratio = ratio, expire_time = DateTime.UtcNow.AddDays(30) });
        return body["coupon_id"]!.GetValue<string>();
    }

    /// <summary>A request as <paramref name="account"/> (null: the operator); the answer's JSON (empty for no content).</summary>
    async Task<JsonObject> SendAsync(HttpMethod method, string path, string? account, object? body)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Auth-Token", account is null
            ? await api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword)
            : await api.TokenAsync(account));
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    async Task<IPage> SignedInAsync(string account)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(PartnerApi.Password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return page;
    }

    static ILocator CashRow(IPage page, string member) => page.Locator($"[data-testid=holding-row][data-member='{member}'][data-kind='cash']");

    static ILocator MineRow(IPage page, string coupon) => page.Locator($"[data-testid=coupon-mine-row][data-coupon-id='{coupon}']");

    static async Task TransferAsync(IPage page, string member, string amount)
    {
        await page.GetByTestId("funds-transfer-member").SelectOptionAsync(new SelectOptionValue { Label = member });
        await page.GetByTestId("funds-transfer-amount").FillAsync(amount);
        await page.GetByTestId("funds-transfer-submit").ClickAsync();
    }

    static async Task RetrieveAsync(IPage page, string member, string amount)
    {
        var row = CashRow(page, member);
        await row.GetByTestId("holding-amount").FillAsync(amount);
        await row.GetByTestId("holding-retrieve").ClickAsync();
    }

    /// <summary>The server's ledger after the scenario: every entry balanced, every balance its postings' sum and within its floor, coupons and ledger agreeing.</summary>
    async Task AssertLedgerSoundAsync()
    {
        await using var db = Core.Data.DatabaseRegistration.CreateContext(Core.Data.DatabaseSettings.SqliteFile(Path.Combine(server.DataDir, "partner-center.db")));
        // One transaction: a snapshot the running server's jobs cannot change halfway through the check.
        await using var tx = await db.Database.BeginTransactionAsync();
        Assert.Empty(await LedgerInvariants.CheckAsync(db));
    }
}
