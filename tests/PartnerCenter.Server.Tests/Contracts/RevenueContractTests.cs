using System.Globalization;
using System.Net;
using System.Text;
using PartnerCenter.Core.Billing;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Revenue and incentives over HTTP on the demo world (three closed months of the CSP's resale and referral customers):
/// ListIncentiveDiscountPolicies as the SDK reads it, the statement and its files, customer invoices, the goal and the
/// operator's rates, each with its refusals.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class RevenueContractTests(DemoWorldServer demo)
{
    static string LastMonth => BillCycle.Containing(DateTime.UtcNow).Previous.ToString();

    Task<HttpResponseMessage> AsCsp(HttpMethod method, string path, object? body = null) => demo.SignedAsync(demo.Login("demo-csp"), method, path, body);

    [Fact, SdkContract("ListIncentiveDiscountPolicies")]
    public async Task ListIncentiveDiscountPolicies_answers_each_service_with_the_demo_programs_rate_as_non_specific_product()
    {
        var contract = SdkContract.Of("ListIncentiveDiscountPolicies");
        var body = await contract.AnswerFullyAsync(await AsCsp(HttpMethod.Get, $"/v2/products/incentive-discount-policies?time={LastMonth}&offset=0&limit=100"));
        var policies = body!["policies"]!.AsArray();
        Assert.Equal(body["total_count"]!.GetValue<int>(), policies.Count);
        Assert.Contains(policies, p => p!["service_type_code"]!.GetValue<string>() == "hws.service.type.ec2" && p["incentive_policy"]!.GetValue<string>() == "0"
            && p["allow_discount"]!.GetValue<string>() == "YES");
        var one = await AsCsp(HttpMethod.Get, "/v2/products/incentive-discount-policies?service_type_code=hws.service.type.obs");
        Assert.Single((await one.JsonAsync())["policies"]!.AsArray());

        await (await AsCsp(HttpMethod.Get, "/v2/products/incentive-discount-policies?time=2026-13")).AssertErrorAsync(400, "CBC.0100");
        await (await AsCsp(HttpMethod.Get, "/v2/products/incentive-discount-policies?limit=0")).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.Unauthorized, (await demo.Http.GetAsync("/v2/products/incentive-discount-policies")).StatusCode);
        // A customer is no partner: it has no incentive policy.
        await (await demo.SignedAsync(demo.Login("demo-csp-referral1"), HttpMethod.Get, "/v2/products/incentive-discount-policies")).AssertErrorAsync(403, "CBC.5001");
    }

    [Fact]
    public async Task The_revenue_statement_of_a_closed_demo_month_is_price_minus_settlement_and_downloads_with_the_same_figures()
    {
        var months = await (await AsCsp(HttpMethod.Get, "/v1/partners/revenue")).JsonAsync();
        Assert.Equal(12, months["months"]!.AsArray().Count);
        var statement = await (await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}")).JsonAsync();
        var totals = statement["totals"]!;
        Assert.True(statement["closed"]!.GetValue<bool>());
        Assert.Equal(totals["resale_price"]!.GetValue<decimal>() - totals["settlement"]!.GetValue<decimal>(), totals["revenue"]!.GetValue<decimal>());
        Assert.True(totals["revenue"]!.GetValue<decimal>() > 0);
        Assert.True(totals["incentive"]!.GetValue<decimal>() > 0);
        Assert.All(statement["lines"]!.AsArray().Where(l => l!["association_type"]!.GetValue<string>() == "resale"),
            l => Assert.Equal(l!["price"]!.GetValue<decimal>() - l["settlement"]!.GetValue<decimal>(), l["revenue"]!.GetValue<decimal>()));
        var monthRow = months["months"]!.AsArray().Single(m => m!["month"]!.GetValue<string>() == LastMonth)!;
        Assert.Equal(totals["earnings"]!.GetValue<decimal>(), monthRow["totals"]!["earnings"]!.GetValue<decimal>());

        var csv = await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains($",total,,,,,,earnings,,,,,{totals["earnings"]!.GetValue<decimal>().ToString(CultureInfo.InvariantCulture)}", text);
        var pdf = await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}/export?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync()));

        await (await AsCsp(HttpMethod.Get, "/v1/partners/revenue/2026-13")).AssertErrorAsync(400, "CBC.0100");
        await (await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{BillCycle.Containing(DateTime.UtcNow).Next.Next}")).AssertErrorAsync(400, "CBC.0100");
        await (await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}/export?format=xlsx")).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.Unauthorized, (await demo.Http.GetAsync($"/v1/partners/revenue/{LastMonth}")).StatusCode);
        await (await demo.SignedAsync(demo.Login("demo-csp-customer1"), HttpMethod.Get, "/v1/partners/revenue")).AssertErrorAsync(403, "CBC.5001");
    }

    [Fact]
    public async Task A_distributor_reads_its_resellers_revenue_as_the_reseller_does_and_no_other_partners()
    {
        var (distributor, reseller) = (demo.Login("demo-distributor"), demo.Login("demo-reseller"));
        var scope = $"indirect_partner_id={reseller.PartnerId}";
        async Task<string> Both(string path, string query = "")
        {
            var own = await (await demo.SignedAsync(reseller, HttpMethod.Get, path + (query == "" ? "" : "?" + query))).JsonAsync();
            var seen = await (await demo.SignedAsync(distributor, HttpMethod.Get, $"{path}?{scope}{(query == "" ? "" : "&" + query)}")).JsonAsync();
            Assert.Equal(own.ToJsonString(), seen.ToJsonString());
            return seen.ToJsonString();
        }
        var statement = await Both($"/v1/partners/revenue/{LastMonth}");
        Assert.Contains(demo.Login("demo-reseller-customer1").DomainId, statement);
        await Both("/v1/partners/revenue");
        await Both("/v1/partners/revenue-goal");
        var csv = await demo.SignedAsync(distributor, HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}/export?format=csv&{scope}");
        Assert.Equal($"revenue-statement-{LastMonth}-{reseller.PartnerId}.csv", csv.Content.Headers.ContentDisposition!.FileName);

        // Another partner's id, or a partner that is no distributor, is CBC.99000037; the distributor's own view stays its own.
        await (await demo.SignedAsync(distributor, HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}?indirect_partner_id={demo.Login("demo-csp").PartnerId}"))
            .AssertErrorAsync(400, "CBC.99000037");
        await (await AsCsp(HttpMethod.Get, $"/v1/partners/revenue?{scope}")).AssertErrorAsync(400, "CBC.99000037");
        await (await demo.SignedAsync(distributor, HttpMethod.Get, $"/v1/partners/revenue-goal?indirect_partner_id={new string('x', 65)}")).AssertErrorAsync(400, "CBC.0100");
        var own = await (await demo.SignedAsync(distributor, HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}")).JsonAsync();
        Assert.Equal(distributor.PartnerId, own["partner_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resale_customers_invoice_is_the_partners_and_the_customers_own_never_another_partners()
    {
        var customer = demo.Login("demo-csp-customer1");
        var statement = await (await AsCsp(HttpMethod.Get, $"/v1/partners/revenue/{LastMonth}")).JsonAsync();
        var price = statement["customers"]!.AsArray().Single(c => c!["customer_id"]!.GetValue<string>() == customer.DomainId)!["price"]!.GetValue<decimal>();

        var byPartner = await AsCsp(HttpMethod.Get, $"/v1/customer-invoices/{LastMonth}/export?format=csv&customer_id={customer.DomainId}");
        Assert.Equal(HttpStatusCode.OK, byPartner.StatusCode);
        Assert.Contains($",total,,,total,{price.ToString(CultureInfo.InvariantCulture)}", await byPartner.Content.ReadAsStringAsync());
        var own = await demo.SignedAsync(customer, HttpMethod.Get, $"/v1/customer-invoices/{LastMonth}/export?format=pdf");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal($"invoice-{demo.Login("demo-csp").PartnerId}-{LastMonth.Replace("-", "")}-{customer.DomainId}.pdf", own.Content.Headers.ContentDisposition!.FileName);

        // The distributor's reseller's customer is not the CSP's; the referral customer gets no partner invoice; the month must be over.
        var other = demo.Login("demo-reseller-customer1");
        await (await AsCsp(HttpMethod.Get, $"/v1/customer-invoices/{LastMonth}/export?format=csv&customer_id={other.DomainId}")).AssertErrorAsync(403, "CBC.99000035");
        await (await AsCsp(HttpMethod.Get, $"/v1/customer-invoices/{LastMonth}/export?format=csv&customer_id={demo.Login("demo-csp-referral1").DomainId}"))
            .AssertErrorAsync(400, "CBC.5023");
        await (await demo.SignedAsync(customer, HttpMethod.Get, $"/v1/customer-invoices/{BillCycle.Containing(DateTime.UtcNow)}/export?format=csv")).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(customer, HttpMethod.Get, "/v1/customer-invoices/last-month/export?format=csv")).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.Unauthorized, (await demo.Http.GetAsync($"/v1/customer-invoices/{LastMonth}/export?format=csv")).StatusCode);
    }

    [Fact]
    public async Task A_partner_sets_its_annual_goal_and_sees_its_progress_while_the_operator_alone_sets_incentive_rates()
    {
        var reseller = demo.Login("demo-reseller");
        var year = BillCycle.Containing(DateTime.UtcNow).Year;
        var goal = await (await demo.SignedAsync(reseller, HttpMethod.Put, "/v1/partners/revenue-goal", new { year, amount = 50_000m })).JsonAsync();
        Assert.Equal((year, 50_000m), (goal["year"]!.GetValue<int>(), goal["goal"]!.GetValue<decimal>()));
        var shown = await (await demo.SignedAsync(reseller, HttpMethod.Get, $"/v1/partners/revenue-goal?year={year}")).JsonAsync();
        Assert.Equal(50_000m, shown["goal"]!.GetValue<decimal>());
        Assert.Equal(Math.Round(shown["achieved"]!.GetValue<decimal>() * 100 / 50_000m, 1, MidpointRounding.AwayFromZero), shown["percent"]!.GetValue<decimal>());
        await (await demo.SignedAsync(reseller, HttpMethod.Put, "/v1/partners/revenue-goal", new { year, amount = -1m })).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(reseller, HttpMethod.Put, "/v1/partners/revenue-goal", new { year = year - 1, amount = 1m })).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(reseller, HttpMethod.Put, "/v1/partners/revenue-goal", new { year })).AssertErrorAsync(400, "CBC.0100");

        var op = demo.Login("operator");
        var set = await demo.SignedAsync(op, HttpMethod.Put, "/v1/operator/incentive-rates", new { program = "Reseller", rate = 0.03m, effective_from = BillCycle.Containing(DateTime.UtcNow).Next.ToString() });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var history = (await (await demo.SignedAsync(op, HttpMethod.Get, "/v1/operator/incentive-rates")).JsonAsync())["rates"]!.AsArray();
        Assert.Contains(history, r => r!["program"]!.GetValue<string>() == "Reseller" && r["rate"]!.GetValue<decimal>() == 0.03m);
        Assert.Contains(history, r => r!["program"]!.GetValue<string>() == "CloudSolutionProvider");
        await (await demo.SignedAsync(op, HttpMethod.Put, "/v1/operator/incentive-rates", new { program = "Gold", rate = 0.1m })).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(op, HttpMethod.Put, "/v1/operator/incentive-rates", new { program = "Reseller", rate = 2m })).AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(op, HttpMethod.Put, "/v1/operator/incentive-rates", new { program = "Reseller", rate = 0.1m, effective_from = LastMonth }))
            .AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(HttpStatusCode.Forbidden, (await demo.SignedAsync(reseller, HttpMethod.Put, "/v1/operator/incentive-rates", new { program = "Reseller", rate = 0.5m })).StatusCode);
    }
}
