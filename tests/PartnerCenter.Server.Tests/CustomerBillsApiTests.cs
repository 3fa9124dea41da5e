using System.Globalization;
using System.Net;
using PartnerCenter.Core.Billing;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Customers' bills over HTTP: who may read them, what a paid order shows, and refused input.</summary>
public sealed class CustomerBillsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static readonly object Card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };
    static object Vm => new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };

    async Task<string> CycleAsync()
    {
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var now = DateTime.Parse((await (await s.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", op)).JsonAsync())["now"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        return BillCycle.Containing(now).ToString();
    }

    /// <summary>A customer that tops up 100 and buys a monthly VM; returns what it paid.</summary>
    async Task<(TestAccount Customer, decimal Paid, string OrderId)> BuyerAsync()
    {
        var c = await s.NewAccountAsync("bills");
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", c.AccessKey, c.SecretKey, new { amount = 100m, card = Card, client_token = "fund" });
        var order = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", c.AccessKey, c.SecretKey, new { product_infos = new[] { Vm }, client_token = "vm" })).JsonAsync())["order_id"]!.GetValue<string>();
        var paid = await (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", c.AccessKey, c.SecretKey, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).JsonAsync();
        Assert.NotNull(paid);
        var details = await (await s.SignedAsync(HttpMethod.Get, $"/v2/orders/customer-orders/details/{order}", c.AccessKey, c.SecretKey)).JsonAsync();
        return (c, details["order_info"]!["amount_after_discount"]!.GetValue<decimal>(), order);
    }

    [Fact]
    public async Task A_paid_order_is_in_the_monthly_sum_and_the_fee_records_paid_from_cash()
    {
        var (c, paid, order) = await BuyerAsync();
        var cycle = await CycleAsync();
        var sum = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal((paid, paid, 0m), (sum["consume_amount"]!.GetValue<decimal>(), sum["cash_amount"]!.GetValue<decimal>(), sum["debt_amount"]!.GetValue<decimal>()));
        var line = Assert.Single(sum["bill_sums"]!.AsArray())!;
        Assert.Equal((1, 1, "hws.service.type.ec2", c.Id), (line["bill_type"]!.GetValue<int>(), line["charging_mode"]!.GetValue<int>(),
            line["service_type_code"]!.GetValue<string>(), line["customer_id"]!.GetValue<string>()));

        var records = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=1&bill_type=1", c.AccessKey, c.SecretKey)).JsonAsync();
        var record = Assert.Single(records["fee_records"]!.AsArray())!;
        Assert.Equal((order, paid, "1"), (record["trade_id"]!.GetValue<string>(), record["amount"]!.GetValue<decimal>(), record["charge_mode"]!.GetValue<string>()));
        var none = await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}&bill_type=5", c.AccessKey, c.SecretKey)).JsonAsync();
        Assert.Equal(0, none["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bills_need_a_signature_and_bss_bill_view()
    {
        var (c, _, _) = await BuyerAsync();
        var cycle = await CycleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Http.GetAsync($"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}")).StatusCode);
        var member = (await (await s.SendAsync(HttpMethod.Post, "/v3/users", c.Token, new { user = new { name = "bill-reader", password = "Reader#Pass123" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
        var (token, _) = await s.PasswordTokenAsync(c.Name, "bill-reader", "Reader#Pass123");
        await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", token)).AssertErrorAsync(403, "CBC.0150");
        var group = (await (await s.SendAsync(HttpMethod.Post, "/v3/groups", c.Token, new { group = new { name = "bill-readers" } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"/v3/groups/{group}/users/{member}", c.Token);
        await s.SendAsync(HttpMethod.Put, $"/v3/domains/{c.Id}/groups/{group}/roles/{PartnerCenter.Core.Iam.SystemRoles.BssReadOnly.Id}", c.Token);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/res-fee-records?cycle={cycle}", token)).StatusCode);

        // Not a partner: the partner's views answer CBC.5001.
        await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}", c.AccessKey, c.SecretKey)).AssertErrorAsync(403, "CBC.5001");
        await (await s.SignedAsync(HttpMethod.Post, "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query", c.AccessKey, c.SecretKey, new { bill_cycle = cycle }))
            .AssertErrorAsync(403, "CBC.5001");
        await (await s.SignedAsync(HttpMethod.Get, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}", c.AccessKey, c.SecretKey)).AssertErrorAsync(403, "CBC.5001");
    }

    [Fact]
    public async Task A_partner_sees_its_customers_bill_as_the_customer_does()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("cust");
        var customer = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = name, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.Token, new { customer_id = customer, budget_amount = 500, cancel_partner_frozen = "1" });
        var order = (await (await s.SendAsync(HttpMethod.Post, "/v1/orders", csp.Token, new { customer_id = customer, product_infos = new[] { Vm }, client_token = "for-cust" })).JsonAsync())["order_id"]!.GetValue<string>();
        var (own, _) = await s.PasswordTokenAsync(name, name, "Cust#Pass1234");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", own, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        var cycle = await CycleAsync();

        var mine = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", own)).JsonAsync();
        Assert.True(mine["consume_amount"]!.GetValue<decimal>() > 0);
        Assert.Equal(0m, mine["cash_amount"]!.GetValue<decimal>()); // the partner pays for a resale customer
        var viaSum = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=sub_customer&sub_customer_id={customer}", csp.Token)).JsonAsync();
        var viaPartner = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}&customer_id={customer}", csp.Token)).JsonAsync();
        Assert.Equal(mine["consume_amount"]!.GetValue<decimal>(), viaSum["consume_amount"]!.GetValue<decimal>());
        Assert.Equal(mine["consume_amount"]!.GetValue<decimal>(), viaPartner["bill_sums"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()));
        var detail = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}&customer_id={customer}", csp.Token)).JsonAsync();
        Assert.Equal(mine["consume_amount"]!.GetValue<decimal>(), detail["fee_records"]!.AsArray().Sum(r => r!["payment_amount"]!.GetValue<decimal>()));
        await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={cycle}&association_type=3", csp.Token)).AssertErrorAsync(400, "CBC.0100");
        var old = BillCycle.Containing(DateTime.UtcNow);
        for (var i = 0; i < 19; i++) old = old.Previous;
        var tooOld = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/subcustomer-bills/res-fee-records?bill_cycle={old}", csp.Token)).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains("18 months", tooOld["error_msg"]!.GetValue<string>());
        var spending = await (await s.SendAsync(HttpMethod.Post, "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query", csp.Token, new { bill_cycle = cycle })).JsonAsync();
        Assert.Equal(customer, Assert.Single(spending["sub_customers"]!.AsArray())!["customer_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_partner_reads_a_former_resale_customers_monthly_bill_for_the_months_it_answered_for_it_and_no_other()
    {
        var csp = await s.NewAccountAsync("csp");
        await s.EnrollAsync(csp);
        var name = TestApi.Unique("former");
        var customer = (await (await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.Token, new { domain_name = name, password = "Cust#Pass1234" })).JsonAsync())["domain_id"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", csp.Token, new { customer_id = customer, budget_amount = 500, cancel_partner_frozen = "1" });
        var order = (await (await s.SendAsync(HttpMethod.Post, "/v1/orders", csp.Token, new { customer_id = customer, product_infos = new[] { Vm }, client_token = "former" })).JsonAsync())["order_id"]!.GetValue<string>();
        var (own, _) = await s.PasswordTokenAsync(name, name, "Cust#Pass1234");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", own, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).StatusCode);
        var cycle = await CycleAsync();
        var mine = (await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}", own)).JsonAsync())["consume_amount"]!.GetValue<decimal>();
        Assert.Equal(HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/sub-customers/{customer}/association", csp.Token)).StatusCode);

        // Dissolved, yet the partner paid its order this month: its bill of the month is still the partner's to read.
        var former = await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}&customer_id={customer}", csp.Token)).JsonAsync();
        Assert.True(mine > 0);
        Assert.Equal(mine, former["bill_sums"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()));
        Assert.All(former["bill_sums"]!.AsArray(), l => Assert.Equal(customer, l!["customer_id"]!.GetValue<string>()));
        // A month it did not answer for it, and another partner, are refused.
        var before = BillCycle.TryParse(cycle, out var c) ? c.Previous.ToString() : throw new InvalidOperationException(cycle);
        await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={before}&customer_id={customer}", csp.Token)).AssertErrorAsync(403, "CBC.99000035");
        var other = await s.NewAccountAsync("csp");
        await s.EnrollAsync(other);
        await (await s.SendAsync(HttpMethod.Get, $"/v2/bills/partner-bills/subcustomer-bills/monthly-sum?cycle={cycle}&customer_id={customer}", other.Token)).AssertErrorAsync(403, "CBC.99000035");
    }

    [Fact]
    public async Task Resource_record_details_refuse_what_they_do_not_offer_naming_the_field()
    {
        var (c, paid, _) = await BuyerAsync();
        var cycle = await CycleAsync();
        const string Path = "/v2/bills/customer-bills/res-records/query";
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { cycle, query_type = "RANGE" }, "query_type"), (new { cycle, bill_cycle_begin = cycle }, "bill_cycle_begin"),
                     (new { cycle, payer_account_id = "someone-else" }, "payer_account_id"), (new { cycle, statistic_type = 3 }, "statistic_type"),
                     (new { cycle, limit = 0 }, "limit"), (new { cycle = "2026/01" }, "cycle"),
                 })
            Assert.Contains(field, (await (await s.SignedAsync(HttpMethod.Post, Path, c.AccessKey, c.SecretKey, body)).AssertErrorAsync(400, "CBC.0100"))["error_msg"]!.GetValue<string>());
        var records = await (await s.SignedAsync(HttpMethod.Post, Path, c.AccessKey, c.SecretKey, new { cycle, payer_account_id = c.Id })).JsonAsync();
        Assert.Equal(paid, records["monthly_records"]!.AsArray().Sum(r => r!["consume_amount"]!.GetValue<decimal>()));
    }

    [Theory]
    [InlineData("/v2/bills/customer-bills/monthly-sum", "bill_cycle")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle=2026-13", "bill_cycle")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle=2099-01", "bill_cycle")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=everyone", "method")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&method=sub_customer", "sub_customer_id")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&limit=0", "limit")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&offset=-1", "offset")]
    [InlineData("/v2/bills/customer-bills/monthly-sum?bill_cycle={cycle}&enterprise_project_id=ep-1", "enterprise_project_id")]
    [InlineData("/v2/bills/customer-bills/res-fee-records?cycle={cycle}&statistic_type=4", "statistic_type")]
    [InlineData("/v2/bills/customer-bills/res-fee-records?cycle={cycle}&bill_type=6", "bill_type")]
    [InlineData("/v2/bills/customer-bills/res-fee-records?cycle={cycle}&charge_mode=2", "charge_mode")]
    [InlineData("/v2/bills/customer-bills/res-fee-records?cycle={cycle}&bill_date_begin=2020-01-01", "bill_date_begin")]
    [InlineData("/v2/bills/customer-bills/res-fee-records?cycle={cycle}&limit=1001", "limit")]
    [InlineData("/v2/bills/customer-bills/res-fee-records", "cycle")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records", "balance_type")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=CASH", "balance_type")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&revenue_expense_type=IN", "revenue_expense_type")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_type=GIFT", "trade_type")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_time_begin=2020-01-01&trade_time_end=2026-01-01", "one year")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_time_end=20260101", "trade_time_end")]
    [InlineData("/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&limit=101", "limit")]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_else(string path, string field)
    {
        var (c, _, _) = await BuyerAsync();
        var body = await (await s.SignedAsync(HttpMethod.Get, path.Replace("{cycle}", await CycleAsync()), c.AccessKey, c.SecretKey)).AssertErrorAsync(400, "CBC.0100");
        Assert.Contains(field, body["error_msg"]!.GetValue<string>());
    }
}
