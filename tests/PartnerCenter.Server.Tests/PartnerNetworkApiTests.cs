using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Joining the partner network and business information over HTTP: who may, the flow, bad input by field, another account's things.</summary>
public sealed class PartnerNetworkApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    async Task<string> OperatorTokenAsync() => (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;

    static object Application(string company, object? agreements = null, string contactEmail = "ann@acme.example") => new
    {
        company_name = company, country = "SG", address = "1 Raffles Place", website = "https://acme.example", industry = "software", company_size = "50-199",
        contact_name = "Ann Lee", contact_email = contactEmail, contact_phone = "+65-81234567",
        agreements = agreements ?? new[]
        {
            new { code = "integrity_commitment", version = "2024.1" }, new { code = "code_of_conduct", version = "2024.1" },
            new { code = "order_management_rules", version = "2023.2" }, new { code = "certification_agreement", version = "2024.1" },
        },
    };

    static object Business(string company, string accountName) => new
    {
        company = new
        {
            company_name = company, registration_number = "201912345K", registered_address = "1 Raffles Place", tax_id = "M2-1234567-8",
            finance_contact_name = "Bo Tan", finance_contact_email = "finance@acme.example", finance_contact_phone = "+65-87654321",
        },
        bank = new { bank_name = "DBS Bank", bank_branch = "Raffles Place", account_name = accountName, account_number = "0123456789", swift_code = "DBSSSGSG" },
        privacy_statement = new { code = "business_info_privacy", version = "2024.1" },
    };

    async Task<(TestAccount Account, string ApplicationId)> ApplyAsync(string company)
    {
        var a = await s.NewAccountAsync("net");
        var applied = await s.SignedAsync(HttpMethod.Post, "/v1/partner-network/applications", a.AccessKey, a.SecretKey, Application(company));
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        return (a, (await applied.JsonAsync())["application_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_account_applies_with_its_company_and_agreements_and_the_operator_approves_it_from_the_queue()
    {
        var (a, id) = await ApplyAsync("Acme Cloud Pte. Ltd.");
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network", a.Token)).JsonAsync();
        Assert.False(standing["joined"]!.GetValue<bool>());
        Assert.Equal(4, standing["accepted_agreements"]!.AsArray().Count);
        Assert.Equal("pending", standing["applications"]![0]!["status"]!.GetValue<string>());

        var op = await OperatorTokenAsync();
        var queue = await (await s.SendAsync(HttpMethod.Get, "/v1/operator/partner-network/applications?status=pending", op)).JsonAsync();
        var row = Assert.Single(queue["applications"]!.AsArray(), r => r!["application"]!["application_id"]!.GetValue<string>() == id)!;
        Assert.Equal(a.Name, row["domain_name"]!.GetValue<string>());
        Assert.True(row["age_hours"]!.GetValue<double>() >= 0);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/approve", op)).StatusCode);
        standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network", a.Token)).JsonAsync();
        Assert.True(standing["joined"]!.GetValue<bool>());
        Assert.Equal(("Acme Cloud Pte. Ltd.", true), (standing["company"]!["name"]!.GetValue<string>(), standing["company"]!["is_master"]!.GetValue<bool>()));
        Assert.Equal("network.approved", standing["notifications"]![0]!["kind"]!.GetValue<string>());
        await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/reject", op, new { reason = "late" })).AssertErrorAsync(409, "CBC.99008003");
    }

    [Fact]
    public async Task A_rejection_without_a_reason_is_refused_and_with_one_the_applicant_reads_it()
    {
        var (a, id) = await ApplyAsync("Reject Me Ltd.");
        var op = await OperatorTokenAsync();
        var body = await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/reject", op, new { })).AssertErrorAsync(400, "CBC.0100");
        Assert.StartsWith("reason", body["error_msg"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/reject", op, new { reason = "No such company." })).StatusCode);
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network", a.Token)).JsonAsync();
        Assert.Equal(("rejected", "No such company."), (standing["applications"]![0]!["status"]!.GetValue<string>(), standing["applications"]![0]!["decision_reason"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("company_name", "{\"company_name\":\"\"}")]
    [InlineData("country", "{\"country\":\"Singapore\"}")]
    [InlineData("industry", "{\"industry\":\"mining\"}")]
    [InlineData("contact_email", "{\"contact_email\":\"nobody\"}")]
    public async Task A_bad_application_field_is_a_400_naming_it_and_nothing_is_written(string field, string patch)
    {
        var a = await s.NewAccountAsync("bad");
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Application("Bad Input Ltd.")))!.AsObject();
        foreach (var (k, v) in System.Text.Json.Nodes.JsonNode.Parse(patch)!.AsObject()) body[k] = v?.DeepClone();
        var error = await (await s.SendAsync(HttpMethod.Post, "/v1/partner-network/applications", a.Token, body.ToJsonString())).AssertErrorAsync(400, "CBC.0100");
        Assert.StartsWith(field, error["error_msg"]!.GetValue<string>());
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network", a.Token)).JsonAsync();
        Assert.Empty(standing["applications"]!.AsArray());
    }

    [Fact]
    public async Task An_application_without_the_current_agreements_is_refused_naming_the_agreement()
    {
        var a = await s.NewAccountAsync("agr");
        var error = await (await s.SendAsync(HttpMethod.Post, "/v1/partner-network/applications", a.Token,
            Application("Old Terms Ltd.", new[] { new { code = "integrity_commitment", version = "2024.1" } }))).AssertErrorAsync(400, "CBC.99008004");
        Assert.Contains("Partner Code of Conduct", error["error_msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_operator_reviews_and_another_accounts_application_is_not_found()
    {
        var (_, id) = await ApplyAsync("Someone Else Ltd.");
        var other = await s.NewAccountAsync("oth");
        await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/approve", other.Token)).AssertErrorAsync(404, "CBC.99008002");
        await (await s.SendAsync(HttpMethod.Get, "/v1/operator/partner-network/applications", other.Token)).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Get, "/v1/operator/partner-network/business-information", other.Token)).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network", null)).AssertErrorAsync(401);
    }

    [Fact]
    public async Task Business_information_is_reviewed_and_a_bank_account_in_another_name_is_refused_with_its_own_code()
    {
        var (a, id) = await ApplyAsync("Bank Name Ltd.");
        var op = await OperatorTokenAsync();
        await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/approve", op);

        var refused = await (await s.SendAsync(HttpMethod.Post, "/v1/partner-network/business-information", a.Token, Business("Bank Name Ltd.", "Ann Lee"))).AssertErrorAsync(400, "CBC.99008011");
        Assert.Contains("bank.account_name", refused["error_msg"]!.GetValue<string>());
        var submitted = await s.SendAsync(HttpMethod.Post, "/v1/partner-network/business-information", a.Token, Business("Bank Name Ltd.", "Bank Name Ltd."));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var submission = (await submitted.JsonAsync())["submission_id"]!.GetValue<string>();
        var standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network/business-information", a.Token)).JsonAsync();
        Assert.Equal("under_review", standing["status"]!.GetValue<string>());

        var other = await s.NewAccountAsync("oth");
        await (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/business-information/{submission}/approve", other.Token)).AssertErrorAsync(404, "CBC.99008013");
        var queue = await (await s.SendAsync(HttpMethod.Get, "/v1/operator/partner-network/business-information?status=under_review", op)).JsonAsync();
        Assert.Contains(queue["submissions"]!.AsArray(), q => q!["submission"]!["submission_id"]!.GetValue<string>() == submission);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/business-information/{submission}/approve", op)).StatusCode);
        standing = await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network/business-information", a.Token)).JsonAsync();
        Assert.Equal(("approved", submission), (standing["status"]!.GetValue<string>(), standing["approved"]!["submission_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Business_and_payment_information_need_the_network_and_the_tax_rate_is_validated_by_name()
    {
        var outsider = await s.NewAccountAsync("out");
        await (await s.SendAsync(HttpMethod.Get, "/v1/partner-network/business-information", outsider.Token)).AssertErrorAsync(403, "CBC.99008005");
        await (await s.SendAsync(HttpMethod.Put, "/v1/partner-network/payment-information", outsider.Token, new { tax_rate = 6 })).AssertErrorAsync(403, "CBC.99008005");

        var (a, id) = await ApplyAsync("Tax Rate Ltd.");
        await s.SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/applications/{id}/approve", await OperatorTokenAsync());
        var bad = await (await s.SendAsync(HttpMethod.Put, "/v1/partner-network/payment-information", a.Token, new { tax_rate = 101 })).AssertErrorAsync(400, "CBC.0100");
        Assert.StartsWith("tax_rate", bad["error_msg"]!.GetValue<string>());
        await s.SendAsync(HttpMethod.Put, "/v1/partner-network/payment-information", a.Token, new { tax_rate = 6 });
        var info = await (await s.SendAsync(HttpMethod.Put, "/v1/partner-network/payment-information", a.Token, new { tax_rate = 8.25 })).JsonAsync();
        Assert.Equal((8.25m, 2), (info["tax_rate"]!.GetValue<decimal>(), info["history"]!.AsArray().Count));
    }

    [Fact]
    public async Task The_operator_reads_a_closed_months_incentive_settlement_and_nobody_else_does()
    {
        var op = await OperatorTokenAsync();
        var month = Core.Billing.BillCycle.Containing(DateTime.UtcNow).Previous.ToString();
        var settlement = await s.SendAsync(HttpMethod.Get, $"/v1/operator/incentive-settlements/{month}", op);
        Assert.Equal(HttpStatusCode.OK, settlement.StatusCode);
        Assert.Equal(month, (await settlement.JsonAsync())["month"]!.GetValue<string>());
        var a = await s.NewAccountAsync("set");
        await (await s.SendAsync(HttpMethod.Get, $"/v1/operator/incentive-settlements/{month}", a.Token)).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Get, "/v1/operator/incentive-settlements/2026-13", op)).AssertErrorAsync(400, "CBC.0100");
    }
}
