using System.Text;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// Values a fuzzer sent that once reached a 500 or slipped through: null list elements, numbers out of range or sent as
/// strings, over-precise money. Each is a clear 400 naming the field, with no .NET type name, and writes nothing.
/// </summary>
public sealed class MalformedValueTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    const string Vm = """{"cloud_service_type":"hws.service.type.ec2","resource_type":"hws.resource.type.vm","resource_spec":"s6.small.1.linux","region":"ap-southeast-1","period_type":2,"period_num":1,"subscription_num":1}""";

    public static readonly TheoryData<string, string, string> CustomerRequests = new()
    {
        { "POST", "/v3/orders/customer-orders/pay", """{"order_id":"x","use_coupon":"YES","coupon_infos":[null]}""" },
        { "POST", "/v3/orders/customer-orders/pay", """{"order_id":"x","use_discount":"YES","discount_infos":[null]}""" },
        { "POST", "/v1/usage-records", """{"records":[null]}""" },
        { "POST", "/v2/bills/ratings/period-resources/subscribe-rate", """{"product_infos":[null]}""" },
        { "POST", "/v2/bills/ratings/on-demand-resources", """{"product_infos":[null]}""" },
        { "POST", "/v1/orders", """{"product_infos":[null],"client_token":"n1"}""" },
        { "POST", "/v1/orders", """{"product_infos":[{"cloud_service_type":"hws.service.type.ebs","resource_type":"hws.resource.type.volume","resource_spec":"SAS","region":"ap-southeast-1","resource_size":9223372036854775808,"size_measure_id":17,"period_type":2,"period_num":1,"subscription_num":1}],"client_token":"n2"}""" },
        { "POST", "/v1/orders", """{"product_infos":[{"cloud_service_type":"hws.service.type.ebs","resource_type":"hws.resource.type.volume","resource_spec":"SAS","region":"ap-southeast-1","resource_size":"40","size_measure_id":17,"period_type":2,"period_num":1,"subscription_num":1}],"client_token":"n3"}""" },
        { "POST", "/v1/orders", "{\"product_infos\":[" + Vm.Replace("\"period_num\":1", "\"period_num\":\"1\"") + "],\"client_token\":\"n4\"}" },
        { "POST", "/v3/payments/free-resources/query", """{"service_type_code_list":[null]}""" },
        { "POST", "/v3/payments/free-resources/query", """{"limit":"10"}""" },
        { "POST", "/v3.0/OS-USER/users", """{"user":5}""" },
        { "POST", "/v3/users", """{"user":{"name":"x","password":"Valid#Pass123","enabled":"true"}}""" },
        { "POST", "/v1/payments/top-ups", """{"amount":"1e5","card":{"number":"4242424242424242","expiry_month":12,"expiry_year":2031,"cvc":"123"},"client_token":"t1"}""" },
        { "POST", "/v1/payments/top-ups", """{"amount":10.001,"card":{"number":"4242424242424242","expiry_month":12,"expiry_year":2031,"cvc":"123"},"client_token":"t2"}""" },
    };

    async Task<string> SnapshotAsync(TestAccount a)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { "/v2/orders/customer-orders?limit=100", "/v2/accounts/customer-accounts/balances", "/v1/payments/top-ups", "/v3/users" })
            text.Append(await (await s.SendAsync(HttpMethod.Get, path, a.Token)).Content.ReadAsStringAsync());
        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), "\"last_use_time\":\"[^\"]*\"", "");
    }

    static async Task AssertClearRefusalAsync(HttpResponseMessage response)
    {
        var body = await response.AssertErrorAsync(400);
        var message = body["error_msg"]!.GetValue<string>();
        Assert.DoesNotContain("PartnerCenter.", message);
        Assert.DoesNotContain("System.", message);
    }

    [Theory]
    [MemberData(nameof(CustomerRequests))]
    public async Task A_malformed_value_is_a_400_that_names_no_dotnet_type_and_writes_nothing(string method, string path, string body)
    {
        var a = await s.NewAccountAsync("mal");
        var before = await SnapshotAsync(a);
        await AssertClearRefusalAsync(await s.SendAsync(new HttpMethod(method), path, a.Token, body));
        Assert.Equal(before, await SnapshotAsync(a));
    }

    [Theory]
    [InlineData("""{"customer_id":"{c}","amount":"15","reason":"r","client_token":"m1"}""")]
    [InlineData("""{"customer_id":"{c}","amount":0.001,"reason":"r","client_token":"m2"}""")]
    [InlineData("""{"customer_id":"{c}","amount":1e-30,"reason":"r","client_token":"m3"}""")]
    [InlineData("""{"customer_id":"{c}","amount":1e30,"reason":"r","client_token":"m4"}""")]
    public async Task The_operators_adjustment_takes_only_a_json_number_with_at_most_two_decimals(string body)
    {
        var a = await s.NewAccountAsync("mal");
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var before = await SnapshotAsync(a);
        await AssertClearRefusalAsync(await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, body.Replace("{c}", a.Id)));
        Assert.Equal(before, await SnapshotAsync(a));
    }

    [Theory]
    [InlineData("""{"credit_amount":1e-30}""")]
    [InlineData("""{"credit_amount":"100"}""")]
    [InlineData("""{"credit_amount":100.001}""")]
    public async Task A_credit_line_below_a_cent_or_sent_as_a_string_is_refused_not_stored_as_zero(string body)
    {
        var a = await s.NewAccountAsync("mal");
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var before = await SnapshotAsync(a);
        await AssertClearRefusalAsync(await s.SendAsync(HttpMethod.Put, $"/v1/operator/customers/{a.Id}/credit-line", op, body));
        Assert.Equal(before, await SnapshotAsync(a));
    }
}
