using System.Net;
using PartnerCenter.Server.Tests.Support;
using static PartnerCenter.Server.Tests.Support.TestProducts;

namespace PartnerCenter.Server.Tests;

/// <summary>One rule for every money request with a key: the same request again is answered as before and charged once; the key with another request is 409.</summary>
public sealed class IdempotencyApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    async Task<int> OrderCountAsync(TestAccount a) =>
        (await (await s.SignedAsync(HttpMethod.Get, "/v2/orders/customer-orders", a.AccessKey, a.SecretKey)).JsonAsync())["total_count"]!.GetValue<int>();

    [Fact]
    public async Task An_order_key_reused_with_another_product_list_is_refused_and_the_same_request_answers_the_first_order()
    {
        var customer = await s.NewAccountAsync("idem");
        var first = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { Vm(1) }, client_token = "k1" })).JsonAsync();
        var again = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { Vm(1) }, client_token = "k1" })).JsonAsync();
        Assert.Equal(first["order_id"]!.GetValue<string>(), again["order_id"]!.GetValue<string>());

        await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { Vm(2) }, client_token = "k1" }))
            .AssertErrorAsync(409, "CBC.99005044");
        await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { PayPerUseVm }, client_token = "k1" }))
            .AssertErrorAsync(409, "CBC.99005044");
        Assert.Equal(1, await OrderCountAsync(customer));

        var ppu = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { PayPerUseVm }, client_token = "k2" })).JsonAsync();
        var ppuAgain = await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { PayPerUseVm }, client_token = "k2" })).JsonAsync();
        Assert.Equal(ppu["order_id"]!.GetValue<string>(), ppuAgain["order_id"]!.GetValue<string>());
        await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey, new { product_infos = new[] { Vm(1) }, client_token = "k2" }))
            .AssertErrorAsync(409, "CBC.99005044");
        Assert.Equal(2, await OrderCountAsync(customer));
    }

    [Fact]
    public async Task Paying_a_paid_order_again_answers_success_and_charges_nothing_but_another_choice_for_it_is_refused()
    {
        var customer = await s.NewAccountAsync("idem");
        var card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };
        await s.SignedAsync(HttpMethod.Post, "/v1/payments/top-ups", customer.AccessKey, customer.SecretKey, new { amount = 50m, card, client_token = "fund" });
        var orderId = (await (await s.SignedAsync(HttpMethod.Post, "/v1/orders", customer.AccessKey, customer.SecretKey,
            new { product_infos = new[] { Vm(1) }, client_token = "pay-1" })).JsonAsync())["order_id"]!.GetValue<string>();
        var pay = new { order_id = orderId, use_coupon = "NO", use_discount = "NO" };
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey, pay)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey, pay)).StatusCode);
        await (await s.SignedAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", customer.AccessKey, customer.SecretKey,
            new { order_id = orderId, use_coupon = "YES", use_discount = "NO", coupon_infos = new[] { new { id = "c1", type = 1 } } })).AssertErrorAsync(409, "CBC.99005044");
        var cash = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", customer.AccessKey, customer.SecretKey)).JsonAsync())
            ["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();
        Assert.Equal(50m - 7.15m, cash);
    }

    [Fact]
    public async Task An_adjustment_key_reused_with_another_amount_is_refused_and_the_same_adjustment_credits_once()
    {
        var customer = await s.NewAccountAsync("idem");
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        async Task<HttpResponseMessage> AdjustAsync(decimal amount, string reason = "goodwill") =>
            await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, new { customer_id = customer.Id, amount, reason, client_token = "adj-1" });

        Assert.Equal(15m, (await (await AdjustAsync(15m)).JsonAsync())["cash_amount"]!.GetValue<decimal>());
        Assert.Equal(15m, (await (await AdjustAsync(15m)).JsonAsync())["cash_amount"]!.GetValue<decimal>());
        await (await AdjustAsync(20m)).AssertErrorAsync(409, "CBC.99005044");
        await (await AdjustAsync(15m, "another reason")).AssertErrorAsync(409, "CBC.99005044");
        var cash = (await (await s.SignedAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", customer.AccessKey, customer.SecretKey)).JsonAsync())
            ["account_balances"]!.AsArray().Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();
        Assert.Equal(15m, cash);
    }
}
