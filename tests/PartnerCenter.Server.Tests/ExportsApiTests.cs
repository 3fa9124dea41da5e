using System.Globalization;
using System.Net;
using System.Text;
using CsvHelper;
using PartnerCenter.Core.Billing;
using PartnerCenter.Server.Tests.Contracts;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Invoices and exports over HTTP: a bill and a statement as PDF and CSV downloads with the API's figures, and ListInvoices.</summary>
public sealed class ExportsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Password = "Cust#Pass1234";

    Task<HttpResponseMessage> Get(TestAccount a, string path) => s.SignedAsync(HttpMethod.Get, path, a.AccessKey, a.SecretKey);

    /// <summary>A CSP whose resale customer bought a VM this month, then the sandbox clock past the 5th of next month: one finalized bill.</summary>
    async Task<(TestAccount Partner, string Customer, string CustomerToken, BillCycle Cycle)> BilledPartnerAsync()
    {
        var partner = await s.NewAccountAsync("xcsp");
        await s.EnrollAsync(partner);
        var name = TestApi.Unique("xrc");
        var customer = (await (await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", partner.AccessKey, partner.SecretKey,
            new { domain_name = name, password = Password })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", partner.AccessKey, partner.SecretKey,
            new { customer_id = customer, budget_amount = 500m, budget_type = "MONTHLY", cancel_partner_frozen = "1" });
        var order = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", partner.AccessKey, partner.SecretKey, new
        {
            customer_id = customer, client_token = Guid.NewGuid().ToString("N"),
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1, subscription_num = 2 } },
        })).JsonAsync())["order_id"]!.GetValue<string>();
        var token = (await s.PasswordTokenAsync(name, name, Password)).Token;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", token, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);

        var now = (await (await Get(partner, "/v1/sandbox/clock")).JsonAsync())["now"]!.GetValue<DateTimeOffset>().UtcDateTime;
        var cycle = BillCycle.Containing(now);
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var fifth = new DateTime(cycle.Next.Year, cycle.Next.Month, 5, 3, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", op, new { to = fifth.ToString("yyyy-MM-ddTHH:mm:ssZ") })).StatusCode);
        // A token is dated by the sandbox clock: the customer signs in again after the jump.
        return (partner, customer, (await s.PasswordTokenAsync(name, name, Password)).Token, cycle);
    }

    [Fact, SdkContract("ListInvoices")]
    public async Task A_bill_downloads_as_pdf_and_csv_with_the_api_figures_and_lists_as_the_invoice_to_quote()
    {
        var (partner, customer, _, cycle) = await BilledPartnerAsync();
        var bill = (await (await Get(partner, "/v1/partner-bills")).JsonAsync())["bills"]![0]!;
        var id = bill["bill_id"]!.GetValue<string>();

        var csv = await Get(partner, $"/v1/partner-bills/{id}/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(("text/csv", "attachment", $"partner-bill-{cycle}-{id}.csv"),
            (csv.Content.Headers.ContentType!.MediaType, csv.Content.Headers.ContentDisposition!.DispositionType, csv.Content.Headers.ContentDisposition.FileName));
        var rows = Rows(await csv.Content.ReadAsByteArrayAsync());
        var totals = rows.Where(r => r["row_type"] == "total").ToDictionary(r => r["item"], r => Dec(r["amount"]));
        foreach (var field in new[] { "consume_amount", "refunds", "adjustments", "initial_amount_due", "tax_amount", "deducted", "paid", "amount_due" })
            Assert.Equal(bill[field]!.GetValue<decimal>(), totals[field]);
        var line = Assert.Single(rows, r => r["row_type"] == "line");
        Assert.Equal((customer, "order_payment", bill["initial_amount_due"]!.GetValue<decimal>()), (line["customer_id"], line["item"], Dec(line["amount"])));

        var pdf = await Get(partner, $"/v1/partner-bills/{id}/export?format=pdf");
        Assert.Equal(("application/pdf", $"partner-bill-{cycle}-{id}.pdf"), (pdf.Content.Headers.ContentType!.MediaType, pdf.Content.Headers.ContentDisposition!.FileName));
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync()));

        // The operator exports any partner's bill; nobody exports without credentials or in another format.
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, $"/v1/partner-bills/{id}/export?format=csv", op)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Http.GetAsync($"/v1/partner-bills/{id}/export?format=csv")).StatusCode);
        await (await Get(partner, $"/v1/partner-bills/{id}/export?format=docx")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, $"/v1/partner-bills/{id}/export")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, "/v1/partner-bills/no-such-bill/export?format=pdf")).AssertErrorAsync(404, "CBC.99005053");

        // ListInvoices: the bill is the invoice, numbered as the Bank Transfer tab quotes it.
        var contract = SdkContract.Of("ListInvoices");
        var range = "start_time=2000-01-01T00:00:00Z&end_time=2100-01-01T00:00:00Z";
        var listed = await contract.AnswerAsync(await Get(partner, $"/v1.0/{partner.Id}/payments/intl-invoices?{range}&offset=1&limit=10"));
        contract.AssertCovered();
        var invoice = Assert.Single(listed!["invoices"]!.AsArray())!;
        Assert.Equal((1, id, id, cycle.ToString(), bill["initial_amount_due"]!.GetValue<decimal>(), 6),
            (listed["count"]!.GetValue<int>(), invoice["invoiceNo"]!.GetValue<string>(), invoice["requestId"]!.GetValue<string>(),
                invoice["billCycle"]!.GetValue<string>(), invoice["invoiceAmount"]!.GetValue<decimal>(), invoice["tradeType"]!.GetValue<int>()));
        var unpaid = (await (await Get(partner, "/v1/partner-bills/unpaid")).JsonAsync())["bills"]!.AsArray();
        Assert.Equal(id, unpaid[0]!["bill_id"]!.GetValue<string>());
        Assert.Empty((await contract.AnswerAsync(await Get(partner, $"/v1.0/{partner.Id}/payments/intl-invoices?{range}&offset=2&limit=10")))!["invoices"]!.AsArray());
        var before = "start_time=2000-01-01T00:00:00Z&end_time=2001-01-01T00:00:00Z";
        Assert.Equal(0, (await contract.AnswerAsync(await Get(partner, $"/v1.0/{partner.Id}/payments/intl-invoices?{before}&offset=1&limit=10")))!["count"]!.GetValue<int>());
        foreach (var bad in new[] { "end_time=2100-01-01T00:00:00Z", $"{range}&offset=0", $"{range}&limit=101", "start_time=2000-01-01&end_time=2100-01-01T00:00:00Z",
                     "start_time=2100-01-01T00:00:00Z&end_time=2000-01-01T00:00:00Z" })
            await (await Get(partner, $"/v1.0/{partner.Id}/payments/intl-invoices?{bad}")).AssertErrorAsync(400, "CBC.0100");
        await (await Get(partner, $"/v1.0/{customer}/payments/intl-invoices?{range}")).AssertErrorAsync(403, "CBC.0150");
    }

    [Fact]
    public async Task A_customer_downloads_its_statement_at_list_price_and_its_partner_a_copy_with_the_settlement_price()
    {
        var (partner, customer, customerToken, cycle) = await BilledPartnerAsync();
        var sum = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", customerToken)).JsonAsync();

        var own = await s.SendAsync(HttpMethod.Get, $"/v1/customer-statements/{cycle}/export?format=csv", customerToken);
        Assert.Equal((HttpStatusCode.OK, $"statement-{cycle}-{customer}.csv"), (own.StatusCode, own.Content.Headers.ContentDisposition?.FileName));
        var rows = Rows(await own.Content.ReadAsByteArrayAsync());
        Assert.Equal(sum["consume_amount"]!.GetValue<decimal>(), Dec(Assert.Single(rows, r => r["item"] == "consume_amount")["amount"]));
        var line = Assert.Single(rows, r => r["row_type"] == "line");
        var item = Assert.Single(sum["bill_sums"]!.AsArray())!;
        Assert.Equal((item["official_amount"]!.GetValue<decimal>(), item["consume_amount"]!.GetValue<decimal>(), ""),
            (Dec(line["official_amount"]), Dec(line["amount"]), line["settlement_amount"]));

        var copy = Rows(await (await Get(partner, $"/v1/customer-statements/{cycle}/export?format=csv&customer_id={customer}")).Content.ReadAsByteArrayAsync());
        var bill = (await (await Get(partner, "/v1/partner-bills")).JsonAsync())["bills"]![0]!;
        Assert.Equal(bill["consume_amount"]!.GetValue<decimal>(), Dec(Assert.Single(copy, r => r["row_type"] == "line")["settlement_amount"]));

        var pdf = await s.SendAsync(HttpMethod.Get, $"/v1/customer-statements/{cycle}/export?format=pdf", customerToken);
        Assert.Equal(("application/pdf", "attachment"), (pdf.Content.Headers.ContentType!.MediaType, pdf.Content.Headers.ContentDisposition!.DispositionType));
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync()));

        await (await s.SendAsync(HttpMethod.Get, $"/v1/customer-statements/{cycle}/export?format=xml", customerToken)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Get, "/v1/customer-statements/2026-13/export?format=csv", customerToken)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Get, $"/v1/customer-statements/{cycle}/export?format=csv&customer_id={partner.Id}", customerToken)).AssertErrorAsync(403);
    }

    static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    static List<Dictionary<string, string>> Rows(byte[] content)
    {
        using var csv = CsvReader.Create(content);
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(csv.Headers.ToDictionary(h => h, h => csv.GetString(h)));
        return rows;
    }
}
