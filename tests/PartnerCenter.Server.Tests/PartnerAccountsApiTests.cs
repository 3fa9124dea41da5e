using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>The China model's partner accounts over HTTP: balances, allocating to and reclaiming from resale customers, records.</summary>
public sealed class PartnerAccountsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Password = "Cust#Pass1234";
    static object Card() => new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };

    Task<HttpResponseMessage> Signed(TestAccount a, HttpMethod method, string path, object? body = null) => s.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);

    /// <summary>A CSP with <paramref name="cash"/> on its balance (a card top-up) and a resale customer whose owner can sign in.</summary>
    async Task<(TestAccount Partner, string Customer, string CustomerName)> PartnerWithResaleCustomerAsync(decimal cash)
    {
        var csp = await s.NewAccountAsync("acsp");
        await s.EnrollAsync(csp);
        if (cash > 0)
            (await s.SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", csp.Token, new { amount = cash, card = Card(), client_token = "cash" })).EnsureSuccessStatusCode();
        var name = TestApi.Unique("arc");
        var customer = (await (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = name, password = Password })).JsonAsync())["domain_id"]!.GetValue<string>();
        return (csp, customer, name);
    }

    async Task<JsonObject> BalancesAsync(TestAccount partner, string? indirect = null) =>
        await (await Signed(partner, HttpMethod.Get, "/v2/accounts/partner-accounts/balances" + (indirect is null ? "" : "?indirect_partner_id=" + indirect))).JsonAsync();

    static decimal Amount(JsonObject balances, int type) =>
        balances["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == type)!["amount"]!.GetValue<decimal>();

    async Task<decimal> CustomerHoldsAsync(TestAccount partner, string customer)
    {
        var body = await (await Signed(partner, HttpMethod.Post, "/v2/accounts/customer-accounts/balances/batch-query", new { customer_infos = new[] { new { customer_id = customer } } })).JsonAsync();
        return body["customer_balances"]!.AsArray().Single()!["amount"]!.GetValue<decimal>();
    }

    [Fact]
    public async Task Allocating_100_and_reclaiming_40_leaves_both_sides_balances_and_change_records_in_agreement()
    {
        var (csp, customer, name) = await PartnerWithResaleCustomerAsync(500m);
        var allocated = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 100m })).JsonAsync();
        var reclaimed = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 40m })).JsonAsync();
        var (transfer, trans) = (allocated["transfer_id"]!.GetValue<string>(), reclaimed["trans_id"]!.GetValue<string>());

        var balances = await BalancesAsync(csp);
        Assert.Equal((440m, 440m), (Amount(balances, 1), Amount(balances, 8)));
        Assert.Equal(60m, await CustomerHoldsAsync(csp, customer));

        // The partner's records: newest first, each with the customer, the documented operation type and its transfer id.
        var records = await (await Signed(csp, HttpMethod.Get, $"/v3/accounts/partner-accounts/adjust-records?customer_id={customer}")).JsonAsync();
        Assert.Equal(2, records["total_count"]!.GetValue<int>());
        var rows = records["records"]!.AsArray().Select(r => (r!["operation_type"]!.GetValue<string>(), r["amount"]!.GetValue<string>(), r["trans_id"]!.GetValue<string>(),
            r["customer_name"]!.GetValue<string>())).ToList();
        Assert.Equal([("SOURCE_OPERATION_BERETRIEVE", "40.00", trans, name), ("SOURCE_OPERATION_BEADJUST", "100.00", transfer, name)], rows);
        var onlyReclaims = await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?operation_type=SOURCE_OPERATION_BERETRIEVE&trans_id=" + trans)).JsonAsync();
        Assert.Equal(1, onlyReclaims["total_count"]!.GetValue<int>());

        // The customer's own records of its cash account say the same, with the same ids and the balance after each.
        var token = (await s.PasswordTokenAsync(name, name, Password)).Token;
        var own = await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT", token)).JsonAsync();
        var mine = own["records"]!.AsArray().Select(r => (r!["trade_detail_type"]!.GetValue<string>(), r["trade_id"]!.GetValue<string>(), r["change_amount"]!.GetValue<string>(),
            r["balance_after_change"]!.GetValue<string>(), r["revenue_expense_type"]!.GetValue<string>())).ToList();
        Assert.Equal([("SOURCE_OPERATION_BERETRIEVE", trans, "40.00", "60.00", "EXPENSE"), ("SOURCE_OPERATION_BEADJUST", transfer, "100.00", "100.00", "REVENUE")], mine);
        var beadjust = await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_type=BEADJUST", token)).JsonAsync();
        Assert.Equal(1, beadjust["total_count"]!.GetValue<int>());
        var cash = await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", token)).JsonAsync();
        Assert.Equal(60m, Amount(cash, 1));
    }

    [Fact]
    public async Task Reclaiming_more_than_the_customer_holds_or_allocating_more_than_the_partner_has_is_refused_and_moves_nothing()
    {
        var (csp, customer, _) = await PartnerWithResaleCustomerAsync(50m);
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 1m })).AssertErrorAsync(400, "CBC.99000047");
        (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 30m })).EnsureSuccessStatusCode();
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 30.01m })).AssertErrorAsync(400, "CBC.99005003");
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 20.01m })).AssertErrorAsync(400, "CBC.99005003");
        Assert.Equal(20m, Amount(await BalancesAsync(csp), 1));
        Assert.Equal(30m, await CustomerHoldsAsync(csp, customer));
    }

    [Fact]
    public async Task A_client_token_makes_an_allocation_idempotent_and_the_token_with_another_request_is_409()
    {
        var (csp, customer, _) = await PartnerWithResaleCustomerAsync(100m);
        var first = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 10m, client_token = "k1" })).JsonAsync();
        var again = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 10m, client_token = "k1" })).JsonAsync();
        Assert.Equal(first["transfer_id"]!.GetValue<string>(), again["transfer_id"]!.GetValue<string>());
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 11m, client_token = "k1" })).AssertErrorAsync(409, "CBC.99005044");
        var reclaimed = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 4m, client_token = "k1" })).JsonAsync();
        var reclaimedAgain = await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 4m, client_token = "k1" })).JsonAsync();
        Assert.Equal(reclaimed["trans_id"]!.GetValue<string>(), reclaimedAgain["trans_id"]!.GetValue<string>());
        Assert.Equal(6m, await CustomerHoldsAsync(csp, customer));
        Assert.Equal(94m, Amount(await BalancesAsync(csp), 1));
    }

    [Fact]
    public async Task Bad_input_gets_the_documented_codes_and_writes_nothing()
    {
        var (csp, customer, _) = await PartnerWithResaleCustomerAsync(100m);
        foreach (var body in new object[]
                 {
                     new { customer_id = customer, amount = 0m }, new { customer_id = customer, amount = -1m }, new { customer_id = customer, amount = 1.001m },
                     new { customer_id = customer }, new { amount = 1m }, new { customer_id = customer, amount = 2147483648m },
                     new { customer_id = new string('c', 65), amount = 1m }, new { customer_id = customer, amount = 1m, client_token = new string('t', 65) },
                 })
        {
            await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", body)).AssertErrorAsync(400, "CBC.0100");
            await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", body)).AssertErrorAsync(400, "CBC.0100");
        }
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = "ten" })).AssertErrorAsync(400);
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 1m, indirect_partner_id = "nobody" }))
            .AssertErrorAsync(400, "CBC.99000037");

        // A referral customer pays for itself; an unknown id is nobody's customer here.
        var referral = (await (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = TestApi.Unique("ref"), cooperation_type = "1" })).JsonAsync())["domain_id"]!.GetValue<string>();
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = referral, amount = 1m })).AssertErrorAsync(400, "CBC.99000000");
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = "no-such-customer", amount = 1m })).AssertErrorAsync(403, "CBC.99000035");

        await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?operation_type=BEADJUST")).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?limit=101")).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?operation_time_begin=2026-01-01")).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/customer-accounts/balances/batch-query", new { customer_infos = Array.Empty<object>() })).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(csp, HttpMethod.Post, "/v2/accounts/customer-accounts/balances/batch-query",
            new { customer_infos = Enumerable.Range(0, 101).Select(i => new { customer_id = "c" + i }) })).AssertErrorAsync(400, "CBC.0100");

        Assert.Equal(100m, Amount(await BalancesAsync(csp), 1));
        Assert.Equal(0, (await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records")).JsonAsync())["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_partners_customer_is_neither_funded_nor_shown_and_a_non_partner_is_refused()
    {
        var (csp, customer, name) = await PartnerWithResaleCustomerAsync(100m);
        (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 25m })).EnsureSuccessStatusCode();
        var (other, _, _) = await PartnerWithResaleCustomerAsync(100m);
        await (await Signed(other, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 1m })).AssertErrorAsync(403, "CBC.99000035");
        await (await Signed(other, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 1m })).AssertErrorAsync(403, "CBC.99000035");
        var seen = await (await Signed(other, HttpMethod.Post, "/v2/accounts/customer-accounts/balances/batch-query", new { customer_infos = new[] { new { customer_id = customer } } })).JsonAsync();
        Assert.Empty(seen["customer_balances"]!.AsArray());
        Assert.Equal(0, (await (await Signed(other, HttpMethod.Get, $"/v3/accounts/partner-accounts/adjust-records?customer_id={customer}")).JsonAsync())["total_count"]!.GetValue<int>());

        // The customer itself is no partner; unsigned requests are refused before anything.
        var token = (await s.PasswordTokenAsync(name, name, Password)).Token;
        await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/partner-accounts/balances", token)).AssertErrorAsync(403, "CBC.5001");
        await (await s.SendAsync(HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", token, new { customer_id = customer, amount = 1m })).AssertErrorAsync(403, "CBC.5001");
        await (await s.SendAsync(HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", null, new { customer_id = customer, amount = 1m })).AssertErrorAsync(401);
        Assert.Equal(25m, await CustomerHoldsAsync(csp, customer));
    }

    [Fact]
    public async Task Dissolving_the_association_returns_what_the_customer_still_holds_with_a_BEUNBIND_record()
    {
        var (csp, customer, _) = await PartnerWithResaleCustomerAsync(100m);
        (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 70m })).EnsureSuccessStatusCode();
        (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/reclaim", new { customer_id = customer, amount = 5m })).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/sub-customers/{customer}/association", csp.Token)).StatusCode);

        Assert.Equal(100m, Amount(await BalancesAsync(csp), 1));
        var unbind = await (await Signed(csp, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?operation_type=SOURCE_OPERATION_BEUNBIND")).JsonAsync();
        var record = unbind["records"]!.AsArray().Single()!;
        Assert.Equal((customer, "65.00"), (record["customer_id"]!.GetValue<string>(), record["amount"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_refund_of_an_order_allocated_cash_paid_goes_back_to_the_partner_once_the_association_has_ended()
    {
        var (csp, customer, name) = await PartnerWithResaleCustomerAsync(100m);
        (await Signed(csp, HttpMethod.Post, "/v2/partners/sub-customers/budget", new { customer_id = customer, budget_amount = 1000, cancel_partner_frozen = "1" })).EnsureSuccessStatusCode();
        (await Signed(csp, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 50m })).EnsureSuccessStatusCode();
        var token = (await s.PasswordTokenAsync(name, name, Password)).Token;
        var vm = new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 };
        var order = (await (await s.SendAsync(HttpMethod.Post, "/v1/orders", token, new { product_infos = new[] { vm }, client_token = "alloc-order" })).JsonAsync())["order_id"]!.GetValue<string>();
        (await s.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", token, new { order_id = order, use_coupon = "NO", use_discount = "NO" })).EnsureSuccessStatusCode();
        var resource = (await (await s.SendAsync(HttpMethod.Post, "/v2/orders/suscriptions/resources/query", token, new { })).JsonAsync())["data"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await s.SendAsync(HttpMethod.Delete, $"/v1/partners/sub-customers/{customer}/association", csp.Token)).StatusCode);
        Assert.Equal(100m - 7.15m, Amount(await BalancesAsync(csp), 1)); // what was left of the 50.00 came back on dissolving

        // Unsubscribed within 5 days: the 7.15 the allocation paid reaches the customer's cash and goes on to the partner.
        var refund = (await (await s.SendAsync(HttpMethod.Post, "/v2/orders/subscriptions/resources/unsubscribe", token,
            new { resource_ids = new[] { resource }, unsubscribe_type = 1 })).JsonAsync())["order_ids"]![0]!.GetValue<string>();
        Assert.Equal(100m, Amount(await BalancesAsync(csp), 1));
        async Task<(string, string, string)> OwnRecordAsync(string tradeType)
        {
            var own = await (await s.SendAsync(HttpMethod.Get, $"/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_type={tradeType}&trade_id={refund}",
                token)).JsonAsync();
            var r = own["records"]!.AsArray().Single()!;
            return (r["change_amount"]!.GetValue<string>(), r["balance_after_change"]!.GetValue<string>(), r["revenue_expense_type"]!.GetValue<string>());
        }
        Assert.Equal(("7.15", "7.15", "REVENUE"), await OwnRecordAsync("REFUND"));
        Assert.Equal(("7.15", "0.00", "EXPENSE"), await OwnRecordAsync("BEUNBIND"));
        var theirs = await (await Signed(csp, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?trade_type=BEUNBIND")).JsonAsync();
        var back = theirs["records"]!.AsArray().Single(r => r!["trade_id"]!.GetValue<string>() == refund)!;
        Assert.Equal(("7.15", "100.00", "1", customer), (back["change_amount"]!.GetValue<string>(), back["balance_after_change"]!.GetValue<string>(),
            back["type"]!.GetValue<string>(), back["customer_id"]!.GetValue<string>()));
        // Another partner sees none of it.
        var other = await s.NewAccountAsync("acsp");
        await s.EnrollAsync(other);
        Assert.Equal(0, (await (await Signed(other, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?trade_type=BEUNBIND")).JsonAsync())["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_distributor_sees_its_resellers_balances_and_no_one_elses()
    {
        var distributor = await s.NewAccountAsync("adis");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("ares");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        (await s.SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", reseller.Token, new { amount = 12.5m, card = Card(), client_token = "r" })).EnsureSuccessStatusCode();

        var of = await BalancesAsync(distributor, resellerId);
        Assert.Equal((12.5m, 12.5m), (Amount(of, 1), Amount(of, 8)));
        var credit = of["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 2)!;
        Assert.Equal(credit["credit_amount"]!.GetValue<decimal>(), credit["amount"]!.GetValue<decimal>());
        Assert.Equal(0m, Amount(await BalancesAsync(distributor), 1));
        await (await Signed(reseller, HttpMethod.Get, "/v2/accounts/partner-accounts/balances?indirect_partner_id=" + distributorId)).AssertErrorAsync(400, "CBC.99000037");
        var (csp, _, _) = await PartnerWithResaleCustomerAsync(0m);
        await (await Signed(csp, HttpMethod.Get, "/v2/accounts/partner-accounts/balances?indirect_partner_id=" + resellerId)).AssertErrorAsync(400, "CBC.99000037");
    }

    [Fact]
    public async Task The_operator_grants_a_partner_a_credit_line_until_a_date_and_balances_and_quota_agree_on_it()
    {
        var (csp, _, _) = await PartnerWithResaleCustomerAsync(0m);
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var clock = await (await s.SendAsync(HttpMethod.Get, "/v1/sandbox/clock", op)).JsonAsync();
        var until = DateTime.Parse(clock["now"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).AddDays(30);
        var expire = until.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{csp.Id}/credit-line", csp.Token, new { credit_amount = 500m, expire_time = expire })).AssertErrorAsync(403, "CBC.0150");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{csp.Id}/credit-line", op, new { credit_amount = 500m, expire_time = "2000-01-01T00:00:00Z" })).AssertErrorAsync(400, "CBC.0100");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{csp.Id}/credit-line", op, new { credit_amount = 500m, expire_time = "soon" })).AssertErrorAsync(400);
        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{csp.Id}/consumption-quota", op, new { consumption_quota = 1000m })).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var granted = await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{csp.Id}/credit-line", op, new { credit_amount = 500m, expire_time = expire })).JsonAsync();
        Assert.Equal((1500m, 1000m, 500m, expire), (granted["consumption_quota"]!.GetValue<decimal>(), granted["base_quota"]!.GetValue<decimal>(),
            granted["credit_line"]!["credit_amount"]!.GetValue<decimal>(), granted["credit_line"]!["expire_time"]!.GetValue<string>()));

        var credit = (await BalancesAsync(csp))["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 2)!;
        Assert.Equal((1500m, 1500m), (credit["credit_amount"]!.GetValue<decimal>(), credit["amount"]!.GetValue<decimal>()));
        Assert.Contains(expire, credit["memo"]!.GetValue<string>());
        var quota = await (await Signed(csp, HttpMethod.Get, "/v2/partners/credit/consumption-quota")).JsonAsync();
        Assert.Equal("1500.00", quota["consumption_quota"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_distributor_funds_its_reseller_takes_back_no_more_than_it_holds_and_both_see_the_records()
    {
        var distributor = await s.NewAccountAsync("fdis");
        var distributorId = await s.EnrollAsync(distributor, "distributor");
        var reseller = await s.NewAccountAsync("fres");
        var resellerId = await s.EnrollAsync(reseller, "reseller", distributor, distributorId);
        (await s.SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", distributor.Token, new { amount = 100m, card = Card(), client_token = "d" })).EnsureSuccessStatusCode();

        (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", new { indirect_partner_id = resellerId, amount = 40m })).EnsureSuccessStatusCode();
        await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", new { indirect_partner_id = resellerId, amount = 60.01m }))
            .AssertErrorAsync(400, "CBC.99005003");
        await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-reclaim", new { indirect_partner_id = resellerId, amount = 40.01m }))
            .AssertErrorAsync(400, "CBC.99005003");
        var reclaimed = await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-reclaim", new { indirect_partner_id = resellerId, amount = 15m })).JsonAsync();
        await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", new { amount = 1m })).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", new { indirect_partner_id = "nobody", amount = 1m })).AssertErrorAsync(400, "CBC.99000037");
        await (await Signed(reseller, HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", new { indirect_partner_id = distributorId, amount = 1m })).AssertErrorAsync(400, "CBC.99000037");
        Assert.Equal((75m, 25m), (Amount(await BalancesAsync(distributor), 1), Amount(await BalancesAsync(reseller), 1)));

        // The distributor's income and expense records: the reclaim with its reseller, the balance after each.
        var changes = await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?trade_type=BERETRIEVE")).JsonAsync();
        var record = changes["records"]!.AsArray().Single()!;
        Assert.Equal(("SOURCE_OPERATION_BERETRIEVE", reclaimed["trans_id"]!.GetValue<string>(), "15.00", "75.00", "1", reseller.Id, reseller.Name),
            (record["trade_detail_type"]!.GetValue<string>(), record["trade_id"]!.GetValue<string>(), record["change_amount"]!.GetValue<string>(),
             record["balance_after_change"]!.GetValue<string>(), record["type"]!.GetValue<string>(), record["customer_id"]!.GetValue<string>(), record["account_name"]!.GetValue<string>()));
        var all = await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records")).JsonAsync();
        Assert.Equal(["SOURCE_OPERATION_BERETRIEVE", "SOURCE_OPERATION_BEADJUST", "SOURCE_OPERAIION_RECHARGE"],
            all["records"]!.AsArray().Select(r => r!["trade_detail_type"]!.GetValue<string>()));
        await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?trade_type=DEDUCT")).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?balance_type=CASH")).AssertErrorAsync(400, "CBC.0100");
        await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?trade_time_begin=2026/01/01")).AssertErrorAsync(400, "CBC.0100");
        var resellersOwn = await (await Signed(distributor, HttpMethod.Get, "/v2/accounts/partner-accounts/account-change-records?indirect_partner_id=" + resellerId)).JsonAsync();
        Assert.Equal(2, resellersOwn["total_count"]!.GetValue<int>());

        // What the reseller received is not its own adjustment; what it hands its customer is, and its distributor sees it.
        Assert.Equal(0, (await (await Signed(reseller, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records")).JsonAsync())["total_count"]!.GetValue<int>());
        var customer = (await (await Signed(reseller, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = TestApi.Unique("frc") })).JsonAsync())["domain_id"]!.GetValue<string>();
        (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 10m, indirect_partner_id = resellerId })).EnsureSuccessStatusCode();
        await (await Signed(distributor, HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", new { customer_id = customer, amount = 15.01m, indirect_partner_id = resellerId }))
            .AssertErrorAsync(400, "CBC.99005003");
        var seen = await (await Signed(distributor, HttpMethod.Get, "/v3/accounts/partner-accounts/adjust-records?indirect_partner_id=" + resellerId)).JsonAsync();
        Assert.Equal(customer, seen["records"]!.AsArray().Single()!["customer_id"]!.GetValue<string>());
        Assert.Equal((75m, 15m), (Amount(await BalancesAsync(distributor), 1), Amount(await BalancesAsync(reseller), 1)));
    }
}
