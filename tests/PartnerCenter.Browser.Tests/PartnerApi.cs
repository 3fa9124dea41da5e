using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PartnerCenter.Browser.Tests;

/// <summary>Sets up partner test data through the server's own HTTP API (accounts, program applications, approvals).</summary>
public sealed class PartnerApi(ConsoleServer server) : IDisposable
{
    public const string Password = "Browser#Pass1";

    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Registers an enterprise account; returns its name (the password is <see cref="Password"/>).</summary>
    public async Task<string> NewAccountAsync(string prefix = "acct")
    {
        var name = Unique(prefix);
        var response = await http.PostAsJsonAsync("/v1/accounts", new { name, password = Password, email = name + "@example.com", type = "enterprise", country = "SG" });
        await ExpectAsync(response, HttpStatusCode.Created);
        return name;
    }

    public async Task<string> TokenAsync(string account, string password = Password)
    {
        var response = await http.PostAsJsonAsync("/v3/auth/tokens", new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = account, password, domain = new { name = account } } } },
                scope = new { domain = new { name = account } },
            },
        });
        await ExpectAsync(response, HttpStatusCode.Created);
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    /// <summary>The account applies to a program; returns the application id.</summary>
    public async Task<string> ApplyAsync(string account, string program, string company, string? distributorPartnerId = null)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/partner-applications", await TokenAsync(account),
            new { program, company_name = company, distributor_partner_id = distributorPartnerId });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["application_id"]!.GetValue<string>();
    }

    /// <summary>A new account enrolled in the program (approved by the operator); returns its name and partner id.</summary>
    public async Task<(string Account, string PartnerId, string Company)> NewPartnerAsync(string program = "csp")
    {
        var account = await NewAccountAsync(program == "distributor" ? "dist" : "csp");
        var company = account + " Ltd.";
        var application = await ApplyAsync(account, program, company);
        var approve = await SendAsync(HttpMethod.Post, $"/v1/partner-applications/{application}/approve",
            await TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword), new { });
        await ExpectAsync(approve, HttpStatusCode.OK);
        var mine = await SendAsync(HttpMethod.Get, "/v1/partner", await TokenAsync(account));
        await ExpectAsync(mine, HttpStatusCode.OK);
        return (account, (await mine.Content.ReadFromJsonAsync<JsonObject>())!["enrolled"]!["partner_id"]!.GetValue<string>(), company);
    }

    /// <summary>The partner submits business information in its company's name; returns the submission id.</summary>
    public async Task<string> SubmitBusinessInformationAsync(string account, string company)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/partner-network/business-information", await TokenAsync(account), new
        {
            company = new
            {
                company_name = company, registration_number = "201912345K", registered_address = "1 Raffles Place", tax_id = "M2-1234567-8",
                finance_contact_name = "Bo Tan", finance_contact_email = "finance@example.com", finance_contact_phone = "+65-87654321",
            },
            bank = new { bank_name = "DBS Bank", bank_branch = "Raffles Place", account_name = company, account_number = "0123456789", swift_code = "DBSSSGSG" },
            privacy_statement = new { code = "business_info_privacy", version = "2024.1" },
        });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["submission_id"]!.GetValue<string>();
    }

    public async Task RejectBusinessInformationAsync(string submissionId, string reason) => await ExpectAsync(
        await SendAsync(HttpMethod.Post, $"/v1/operator/partner-network/business-information/{submissionId}/reject",
            await TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword), new { reason }), HttpStatusCode.OK);

    /// <summary>A new reseller of the distributor (applied and approved by it); returns its name, partner id and company.</summary>
    public async Task<(string Account, string PartnerId, string Company)> NewResellerAsync(string distributor, string distributorPartnerId)
    {
        var account = await NewAccountAsync("resl");
        var company = account + " Reseller Co.";
        var application = await ApplyAsync(account, "reseller", company, distributorPartnerId);
        await ExpectAsync(await SendAsync(HttpMethod.Post, $"/v1/partner-applications/{application}/approve", await TokenAsync(distributor), new { }), HttpStatusCode.OK);
        var mine = await SendAsync(HttpMethod.Get, "/v1/partner", await TokenAsync(account));
        await ExpectAsync(mine, HttpStatusCode.OK);
        return (account, (await mine.Content.ReadFromJsonAsync<JsonObject>())!["enrolled"]!["partner_id"]!.GetValue<string>(), company);
    }

    /// <summary>The partner sets its revenue goal for this year.</summary>
    public async Task SetRevenueGoalAsync(string partner, decimal amount) =>
        await ExpectAsync(await SendAsync(HttpMethod.Put, "/v1/partners/revenue-goal", await TokenAsync(partner), new { amount }), HttpStatusCode.OK);

    /// <summary>
    /// The partner creates a customer, resale unless <paramref name="referral"/> (which can sign in with <see cref="Password"/> when asked);
    /// returns its id and name.
    /// </summary>
    public async Task<(string Id, string Name)> NewCustomerAsync(string partner, bool withPassword = false, bool referral = false)
    {
        var name = Unique("cust");
        var type = referral ? "1" : "3";
        object body = withPassword ? new { domain_name = name, password = Password, association_type = type } : new { domain_name = name, association_type = type };
        var response = await SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", await TokenAsync(partner), body);
        await ExpectAsync(response, HttpStatusCode.OK);
        return ((await response.Content.ReadFromJsonAsync<JsonObject>())!["domain_id"]!.GetValue<string>(), name);
    }

    /// <summary>Sets a monthly budget that freezes the customer automatically when used up, and unfreezes it.</summary>
    public async Task SetAutomaticBudgetAsync(string partner, string customerId, decimal amount)
    {
        var response = await SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", await TokenAsync(partner),
            new { customer_id = customerId, budget_amount = amount, cancel_partner_frozen = "1", frozen_operate_type = 1 });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The operator records a spend for the customer in the sandbox, as a purchase will.</summary>
    public async Task SpendAsync(string customerId, decimal amount)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/sandbox/spends", await TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword),
            new { customer_id = customerId, amount });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The partner grants its customer a discount (the share taken off list price) on every service.</summary>
    public async Task GrantPartnerDiscountAsync(string partner, string customerId, decimal rate)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/partners/discounts", await TokenAsync(partner), new { customer_id = customerId, discount_rate = rate });
        await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>The account tops up its cash balance with the sandbox's succeeding test card.</summary>
    public async Task TopUpAsync(string account, decimal amount, string password = Password)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/payments/top-ups", await TokenAsync(account, password), new
        {
            amount, client_token = Guid.NewGuid().ToString("N"),
            card = new { number = "4242424242424242", expiry_month = 12, expiry_year = DateTime.UtcNow.Year + 3, cvc = "123" },
        });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>
    /// The account orders an s6.small.1.linux server with a 40 GB SATA disk attached, in CN-Hong Kong for a month
    /// (7.15 + 2.20 USD at list price), and pays it; returns the order id.
    /// </summary>
    public async Task<string> BuyServerWithDiskAsync(string account)
    {
        var token = await TokenAsync(account);
        var created = await SendAsync(HttpMethod.Post, "/v1/orders", token, new
        {
            client_token = Guid.NewGuid().ToString("N"),
            product_infos = new object[]
            {
                new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 },
                new { cloud_service_type = "hws.service.type.ebs", resource_type = "hws.resource.type.volume", resource_spec = "SATA", region = "ap-southeast-1", resource_size = 40, size_measure_id = 17, period_type = 2, period_num = 1 },
            },
        });
        await ExpectAsync(created, HttpStatusCode.OK);
        var orderId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
        var paid = await SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", token, new { order_id = orderId, use_coupon = "NO", use_discount = "NO" });
        await ExpectAsync(paid, HttpStatusCode.OK);
        return orderId;
    }

    /// <summary>The partner tops up its own cash balance (what it allocates to customers) with the succeeding test card.</summary>
    public async Task PartnerTopUpAsync(string partner, decimal amount)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", await TokenAsync(partner), new
        {
            amount, client_token = Guid.NewGuid().ToString("N"),
            card = new { number = "4242424242424242", expiry_month = 12, expiry_year = DateTime.UtcNow.Year + 3, cvc = "123" },
        });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The operator sets the partner's settlement discount (the share off list price it pays for resale customers).</summary>
    public async Task SetSettlementDiscountAsync(string partnerId, decimal rate)
    {
        var response = await SendAsync(HttpMethod.Put, $"/v1/partners/{partnerId}/settlement-discount",
            await TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword), new { discount_rate = rate });
        if (!response.IsSuccessStatusCode) await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The partner orders a monthly s6.small.1.linux server for its resale customer, who pays it (at list price, from its budget).</summary>
    public async Task BuyServerForCustomerAsync(string partner, string customerId, string customerName)
    {
        var created = await SendAsync(HttpMethod.Post, "/v1/orders", await TokenAsync(partner), new
        {
            client_token = Guid.NewGuid().ToString("N"),
            customer_id = customerId,
            product_infos = new object[]
            {
                new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 },
            },
        });
        await ExpectAsync(created, HttpStatusCode.OK);
        var orderId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
        var paid = await SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", await TokenAsync(customerName), new { order_id = orderId, use_coupon = "NO", use_discount = "NO" });
        await ExpectAsync(paid, HttpStatusCode.OK);
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return http.SendAsync(request);
    }

    static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => http.Dispose();
}
