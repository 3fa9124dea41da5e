using System.Net;
using System.Text.Json.Nodes;
using PartnerCenter.Core.Billing;
using PartnerCenter.Server.Tests.Contracts;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Partner bills over HTTP: the bill run through the sandbox clock, ListPostpaidBillSum, repayment, bank transfers, overdue partners and the operator's tools.</summary>
public sealed class BillingApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static object Card(string number = "4242424242424242") => new { number, expiry_month = 12, expiry_year = 2031, cvc = "123" };

    static object Vm => new
    {
        cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1",
        period_type = 2, period_num = 1, subscription_num = 1,
    };

    Task<string> OperatorTokenAsync() => s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword).ContinueWith(t => t.Result.Token);

    async Task<DateTime> NowAsync(TestAccount a) =>
        (await (await s.SignedAsync(HttpMethod.Get, "/v1/sandbox/clock", a.AccessKey, a.SecretKey)).JsonAsync())["now"]!.GetValue<DateTimeOffset>().UtcDateTime;

    async Task AdvanceToAsync(DateTime utc) =>
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", await OperatorTokenAsync(), new { to = utc.ToString("yyyy-MM-ddTHH:mm:ssZ") })).StatusCode);

    /// <summary>A CSP with a resale customer (password known) that has a budget.</summary>
    async Task<(TestAccount Partner, string Customer, string CustomerName)> PartnerWithCustomerAsync()
    {
        var csp = await s.NewAccountAsync("bcsp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("brc");
        var customer = (await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey,
            new { domain_name = name, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.AccessKey, csp.SecretKey,
            new { customer_id = customer, budget_amount = 500m, budget_type = "MONTHLY", cancel_partner_frozen = "1" });
        return (csp, customer, name);
    }

    async Task<HttpResponseMessage> BuyAsync(TestAccount partner, string customer, string customerName)
    {
        var created = await s.SignedAsync(HttpMethod.Post, "/v1/orders", partner.AccessKey, partner.SecretKey, new { customer_id = customer, product_infos = new[] { Vm }, client_token = Guid.NewGuid().ToString("N") });
        if (!created.IsSuccessStatusCode) return created;
        var order = (await created.JsonAsync())["order_id"]!.GetValue<string>();
        var token = (await s.PasswordTokenAsync(customerName, customerName, "Cust#Pass1234")).Token;
        return await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", token, new { order_id = order, use_coupon = "NO", use_discount = "NO" });
    }

    Task<HttpResponseMessage> Get(TestAccount a, string path) => s.SignedAsync(HttpMethod.Get, path, a.AccessKey, a.SecretKey);
    Task<HttpResponseMessage> Post(TestAccount a, string path, object body) => s.SignedAsync(HttpMethod.Post, path, a.AccessKey, a.SecretKey, body);

    [Fact, SdkContract("ListPostpaidBillSum")]
    public async Task A_month_is_billed_on_the_5th_repaid_online_and_by_bank_transfer_and_an_overdue_partner_stops_its_customers_until_it_pays()
    {
        var (partner, customer, customerName) = await PartnerWithCustomerAsync();
        Assert.Equal(HttpStatusCode.OK, (await BuyAsync(partner, customer, customerName)).StatusCode);
        var owed = decimal.Parse((await (await Get(partner, "/v2/partners/credit/consumption-quota")).JsonAsync())["unbilled_amount"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(owed > 0);

        var cycle = BillCycle.Containing(await NowAsync(partner));
        await (await Get(partner, $"/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle={cycle}")).AssertErrorAsync(400, "CBC.99005049");
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/bill-runs/drafts", await OperatorTokenAsync(), new { bill_cycle = cycle.ToString() })).AssertErrorAsync(400, "CBC.99005050");

        var fifth = new DateTime(cycle.Next.Year, cycle.Next.Month, 5, 3, 0, 0, DateTimeKind.Utc);
        await AdvanceToAsync(fifth);
        var sum = await SdkContract.Of("ListPostpaidBillSum").AnswerFullyAsync(await Get(partner, $"/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle={cycle}"));
        Assert.Equal((cycle.ToString(), owed, owed, 0m, 0m, 0m, "USD"), (sum!["bill_cycle"]!.GetValue<string>(), sum["initial_amount_due"]!.GetValue<decimal>(),
            sum["consume_amount"]!.GetValue<decimal>(), sum["refunds"]!.GetValue<decimal>(), sum["adjustments"]!.GetValue<decimal>(), sum["tax_amount"]!.GetValue<decimal>(),
            sum["currency"]!.GetValue<string>()));

        var bills = await (await Get(partner, "/v1/partner-bills")).JsonAsync();
        var billId = Assert.Single(bills["bills"]!.AsArray())!["bill_id"]!.GetValue<string>();
        var detail = await (await Get(partner, $"/v1/partner-bills/{billId}")).JsonAsync();
        var line = Assert.Single(detail["lines"]!.AsArray())!;
        Assert.Equal((customer, "order_payment", owed), (line["customer_id"]!.GetValue<string>(), line["kind"]!.GetValue<string>(), line["amount"]!.GetValue<decimal>()));
        var due = await (await Get(partner, "/v1/partner-bills/amount-due")).JsonAsync();
        Assert.Equal((owed, 1, false), (due["amount_due"]!.GetValue<decimal>(), due["unpaid_bills"]!.GetValue<int>(), due["overdue"]!.GetValue<bool>()));
        Assert.Single((await (await Get(partner, "/v1/partner-bills/unpaid")).JsonAsync())["bills"]!.AsArray());

        // Repay: refusals write nothing; a valid payment once per client token.
        foreach (var (body, code) in new (object, string)[]
                 {
                     (new { amount = 0m, card = Card(), client_token = "r0" }, "CBC.0100"),
                     (new { amount = -1m, card = Card(), client_token = "r1" }, "CBC.0100"),
                     (new { amount = 0.001m, card = Card(), client_token = "r2" }, "CBC.0100"),
                     (new { amount = owed + 0.01m, card = Card(), client_token = "r3" }, "CBC.99005047"),
                     (new { amount = 40_000.01m, card = Card(), client_token = "r4" }, "CBC.99005048"),
                     (new { amount = 1m, card = Card("4000000000000002"), client_token = "r5" }, "CBC.99005030"),
                 })
            await (await Post(partner, "/v1/partner-bills/repayments", body)).AssertErrorAsync(400, code);
        await (await Post(partner, "/v1/partner-bills/repayments", new { amount = 1m, client_token = "r6" })).AssertErrorAsync(400, "CBC.0100");
        await (await Post(partner, "/v1/partner-bills/repayments", new { amount = 1m, card = Card() })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(0, (await (await Get(partner, "/v1/partner-bills/payments")).JsonAsync())["total_count"]!.GetValue<int>());

        var first = await (await Post(partner, "/v1/partner-bills/repayments", new { amount = 1m, card = Card(), client_token = "pay-1" })).JsonAsync();
        var replay = await (await Post(partner, "/v1/partner-bills/repayments", new { amount = 1m, card = Card(), client_token = "pay-1" })).JsonAsync();
        Assert.Equal((first["top_up_id"]!.GetValue<string>(), 1m, owed - 1m), (replay["top_up_id"]!.GetValue<string>(), first["repaid"]!.GetValue<decimal>(), first["amount_due"]!.GetValue<decimal>()));
        await (await Post(partner, "/v1/partner-bills/repayments", new { amount = 2m, card = Card(), client_token = "pay-1" })).AssertErrorAsync(409, "CBC.99005044");
        Assert.Equal(1, (await (await Get(partner, "/v1/partner-bills/payments")).JsonAsync())["total_count"]!.GetValue<int>());

        // The run is visible to the operator, and a finalized month takes no draft.
        var op = await OperatorTokenAsync();
        var runs = await (await s.SendAsync(HttpMethod.Get, "/v1/operator/bill-runs", op)).JsonAsync();
        var run = runs["runs"]!.AsArray().Single(r => r!["bill_cycle"]!.GetValue<string>() == cycle.ToString() && !r["draft"]!.GetValue<bool>())!;
        Assert.True(run["completed"]!.GetValue<bool>() && run["partners_done"]!.GetValue<int>() == run["partners_total"]!.GetValue<int>());
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/bill-runs/drafts", op, new { bill_cycle = cycle.ToString() })).AssertErrorAsync(409, "CBC.99005051");

        // Past the due date the partner is overdue: its customer cannot buy until the rest is paid by bank transfer.
        await AdvanceToAsync(fifth.AddDays(16));
        await (await BuyAsync(partner, customer, customerName)).AssertErrorAsync(400, "CBC.99005046");
        op = await OperatorTokenAsync();
        var overdue = await (await s.SendAsync(HttpMethod.Get, "/v1/operator/overdue-partners", op)).JsonAsync();
        Assert.Contains(overdue["partners"]!.AsArray(), p => p!["partner_account_id"]!.GetValue<string>() == partner.Id);
        var ticket = (await (await Post(partner, "/v1/tickets", new
        {
            type = "bank_transfer", title = "Repayment", description = "Transferred",
            bank_transfer = new { amount = owed - 1m, transferred_on = fifth.AddDays(15).ToString("yyyy-MM-dd"), payer_name = "Acme", bank_reference = "BR-1" },
        })).JsonAsync())["ticket_id"]!.GetValue<string>();
        await (await Post(partner, $"/v1/operator/bank-transfers/{ticket}/confirm", new { })).AssertErrorAsync(403, "CBC.0150");
        var confirmed = await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/bank-transfers/{ticket}/confirm", op)).JsonAsync();
        var again = await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/bank-transfers/{ticket}/confirm", op)).JsonAsync();
        Assert.Equal((0m, false, 0m), (confirmed["amount_due"]!.GetValue<decimal>(), confirmed["overdue"]!.GetValue<bool>(), again["balance"]!.GetValue<decimal>()));
        var statements = (await (await Get(partner, "/v1/partner-account/statements")).JsonAsync())["statements"]!.AsArray();
        Assert.Equal(2, statements.Count(x => x!["kind"]!.GetValue<string>() == "top_up"));
        Assert.Equal(2, statements.Count(x => x!["kind"]!.GetValue<string>() == "repayment"));
        Assert.Equal(HttpStatusCode.OK, (await BuyAsync(partner, customer, customerName)).StatusCode);
    }

    [Fact]
    public async Task Partner_and_operator_billing_operations_refuse_the_wrong_caller_and_bad_input()
    {
        var (partner, _, _) = await PartnerWithCustomerAsync();
        var stranger = await s.NewAccountAsync("nobill");
        foreach (var path in new[] { "/v1/partner-bills", "/v1/partner-bills/amount-due", "/v1/partner-account/statements", "/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle=2026-01" })
        {
            await (await Get(stranger, path)).AssertErrorAsync(403, "CBC.5001");
            await (await s.SendAsync(HttpMethod.Get, path, null)).AssertErrorAsync(401);
        }
        await (await Get(partner, "/v2/bills/partner-bills/postpaid-bill-summary")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, "/v2/bills/partner-bills/postpaid-bill-summary?bill_cycle=2026-1")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, "/v1/partner-bills?limit=101")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, "/v1/partner-bills/not-a-bill")).AssertErrorAsync(404, "CBC.99005053");
        foreach (var path in new[] { "/v1/operator/bill-runs", "/v1/operator/tax-rates", "/v1/operator/billing-settings", "/v1/operator/overdue-partners" })
            await (await Get(partner, path)).AssertErrorAsync(403, "CBC.0150");

        // A top-up with nothing due stays on the balance; the card on file is kept, shown by its last digits and removed.
        var top = await (await Post(partner, "/v1/partner-account/top-ups", new { amount = 25m, card = Card(), client_token = "t" })).JsonAsync();
        Assert.Equal((25m, 0m), (top["amount"]!.GetValue<decimal>(), top["repaid"]!.GetValue<decimal>()));
        Assert.Equal(25m, (await (await Get(partner, "/v1/partner-bills/amount-due")).JsonAsync())["balance"]!.GetValue<decimal>());
        await (await s.SignedAsync(HttpMethod.Put, "/v1/partner-account/card", partner.AccessKey, partner.SecretKey, new { card = Card("1234") })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Put, "/v1/partner-account/card", partner.AccessKey, partner.SecretKey, new { card = Card() })).StatusCode);
        Assert.Equal("4242", (await (await Get(partner, "/v1/partner-account/card")).JsonAsync())["card_last4"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await s.SignedAsync(HttpMethod.Delete, "/v1/partner-account/card", partner.AccessKey, partner.SecretKey)).StatusCode);
        Assert.False((await (await Get(partner, "/v1/partner-account/card")).JsonAsync())["on_file"]!.GetValue<bool>());

        var op = await OperatorTokenAsync();
        await (await s.SendAsync(HttpMethod.Put, "/v1/operator/tax-rates/sg", op, new { rate = 0.07m })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Put, "/v1/operator/tax-rates/SG", op, new { rate = 2m })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Put, "/v1/operator/billing-settings", op, new { due_days = 0 })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/partner-bill-adjustments", op, new { partner_account_id = partner.Id, amount = 0m, reason = "x", client_token = "a" }))
            .AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/bill-runs/drafts", op, new { bill_cycle = "soon" })).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(15, (await (await s.SendAsync(HttpMethod.Get, "/v1/operator/billing-settings", op)).JsonAsync())["due_days"]!.GetValue<int>());
        var owed = await (await s.SendAsync(HttpMethod.Post, "/v1/operator/partner-bill-adjustments", op, new { partner_account_id = partner.Id, amount = 2.5m, reason = "late fee", client_token = "a" })).JsonAsync();
        Assert.Equal(2.5m, owed["owed"]!.GetValue<decimal>());
    }
}
