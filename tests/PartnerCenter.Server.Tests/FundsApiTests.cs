using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Balances, card top-ups and the operator's funds tools over HTTP.</summary>
public sealed class FundsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static object Card(string number = "4242424242424242") => new { number, expiry_month = 12, expiry_year = 2031, cvc = "123", holder_name = "Test" };

    async Task<decimal> CashAsync(TestAccount a)
    {
        var json = await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", a.AccessKey, a.SecretKey)).JsonAsync();
        return json["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();
    }

    [Fact]
    public async Task A_customer_tops_up_by_card_once_per_client_token_and_sees_its_balances()
    {
        var customer = await s.NewAccountAsync("payer");
        var first = await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = 20.5m, card = Card(), client_token = "t-1" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var again = await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = 20.5m, card = Card(), client_token = "t-1" });
        Assert.Equal((await first.JsonAsync())["top_up_id"]!.GetValue<string>(), (await again.JsonAsync())["top_up_id"]!.GetValue<string>());

        var balances = await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(("USD", 1, 0m), (balances["currency"]!.GetValue<string>(), balances["measure_id"]!.GetValue<int>(), balances["debt_amount"]!.GetValue<decimal>()));
        Assert.Equal(20.5m, await CashAsync(customer));
        var listed = await (await s.SignedAsync(HttpMethod.Get, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(("4242", "SUCCEEDED"), (listed["top_ups"]![0]!["card_last4"]!.GetValue<string>(), listed["top_ups"]![0]!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Declined_cards_and_bad_top_ups_are_4xx_and_leave_the_balance_alone()
    {
        var customer = await s.NewAccountAsync("payer");
        await (await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = 5m, card = Card("4000000000000002"), client_token = "d" }))
            .AssertErrorAsync(400, "CBC.99005030");
        foreach (var body in new object[]
                 {
                     new { amount = 0m, card = Card(), client_token = "b1" },
                     new { amount = 1.001m, card = Card(), client_token = "b2" },
                     new { amount = 40000.01m, card = Card(), client_token = "b3" },
                     new { amount = 5m, client_token = "b4" },
                     new { amount = 5m, card = Card() },
                     new { amount = 5m, card = Card("1234"), client_token = "b5" },
                 })
            await (await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, body)).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = "ten", card = Card(), client_token = "b6" }))
            .AssertErrorAsync(400);
        Assert.Equal(0m, await CashAsync(customer));
        await (await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", "NOSUCHKEY0000000000A", "x", new { amount = 5m, card = Card(), client_token = "u" }))
            .AssertErrorAsync(401);
    }

    [Fact]
    public async Task Only_the_operator_adjusts_balances_credit_lines_and_partner_quotas()
    {
        var customer = await s.NewAccountAsync("adj");
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", customer.Token, new { customer_id = customer.Id, amount = 5m, reason = "self", client_token = "x" }))
            .AssertErrorAsync(403, "CBC.0150");
        var adjusted = await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, new { customer_id = customer.Id, amount = 15m, reason = "goodwill", client_token = "g1" });
        Assert.Equal(15m, (await adjusted.JsonAsync())["cash_amount"]!.GetValue<decimal>());
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, new { customer_id = customer.Id, amount = -20m, reason = "too much", client_token = "g2" }))
            .AssertErrorAsync(400, "CBC.99005003");
        await (await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, new { customer_id = "nobody", amount = 1m, reason = "x", client_token = "g3" }))
            .AssertErrorAsync(404);
        Assert.Equal(15m, await CashAsync(customer));

        var line = await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/customers/{customer.Id}/credit-line", op, new { credit_amount = 300m })).JsonAsync();
        Assert.Equal((300m, 300m), (line["credit_amount"]!.GetValue<decimal>(), line["available_credit"]!.GetValue<decimal>()));
        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/customers/{customer.Id}/credit-line", op, new { credit_amount = -1m })).AssertErrorAsync(400, "CBC.0100");

        var partner = await s.NewAccountAsync("quota");
        await s.EnrollAsync(partner);
        await (await s.SignedAsync(HttpMethod.Get, "/v2/partners/credit/consumption-quota", customer.AccessKey, customer.SecretKey)).AssertErrorAsync(403, "CBC.5001");
        await (await s.SendAsync(HttpMethod.Put, $"/v1/operator/partners/{partner.Id}/consumption-quota", op, new { consumption_quota = 2500m })).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var quota = await (await s.SignedAsync(HttpMethod.Get, "/v2/partners/credit/consumption-quota", partner.AccessKey, partner.SecretKey)).JsonAsync();
        Assert.Equal(("2500.00", "0.00", "USD"), (quota["consumption_quota"]!.GetValue<string>(), quota["used_consumption_quota"]!.GetValue<string>(), quota["currency"]!.GetValue<string>()));
    }
}
