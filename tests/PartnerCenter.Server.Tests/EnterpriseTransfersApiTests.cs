using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Funds and coupons between an enterprise master and its members over HTTP, signed as the SDK signs.</summary>
public sealed class EnterpriseTransfersApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static object Card() => new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" };

    Task<HttpResponseMessage> Signed(TestAccount a, HttpMethod method, string path, object? body = null) => s.SignedAsync(method, path, a.AccessKey, a.SecretKey, body);

    /// <summary>A master with <paramref name="cash"/> (a card top-up) and one member in status normal, made as rows until the organization's operations are merged.</summary>
    internal static async Task<(TestAccount Master, TestAccount Member)> OrganizationAsync(ITestServer s, IServiceProvider services, decimal cash)
    {
        var master = await s.NewAccountAsync("emaster");
        var member = await s.NewAccountAsync("emember");
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var root = Guid.NewGuid().ToString("N")[..16];
            db.EnterpriseMasters.Add(new EnterpriseMaster { AccountId = master.Id, RootUnitId = root, EnabledAt = DateTime.UtcNow });
            db.EnterpriseUnits.Add(new EnterpriseUnit { Id = root, MasterAccountId = master.Id, Name = "Root", CreatedAt = DateTime.UtcNow });
            db.EnterpriseMembers.Add(new EnterpriseMember { MemberAccountId = member.Id, MasterAccountId = master.Id, UnitId = root, Status = EnterpriseCodes.Normal, JoinedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        if (cash > 0) (await s.SendAsync(HttpMethod.Post, "/v1/payments/top-ups", master.Token, new { amount = cash, card = Card(), client_token = "cash" })).EnsureSuccessStatusCode();
        return (master, member);
    }

    async Task<decimal> CashAsync(TestAccount a) =>
        (await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/balances", a.Token)).JsonAsync())["account_balances"]!.AsArray()
        .Single(b => b!["account_type"]!.GetValue<int>() == 1)!["amount"]!.GetValue<decimal>();

    async Task<List<(string, string, string, string)>> TransRecordsAsync(TestAccount a) =>
        (await (await s.SendAsync(HttpMethod.Get, "/v2/accounts/customer-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_type=TRANS", a.Token)).JsonAsync())["records"]!
        .AsArray().Select(r => (r!["trade_id"]!.GetValue<string>(), r["change_amount"]!.GetValue<string>(), r["balance_after_change"]!.GetValue<string>(),
            r["revenue_expense_type"]!.GetValue<string>())).ToList();

    [Fact]
    public async Task Transfer_100_and_retrieve_40_agree_on_both_sides_and_a_repeated_trans_id_moves_nothing()
    {
        var (master, member) = await OrganizationAsync(s, s.Services, 500m);
        var sent = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-amount", new { customer_id = member.Id, amount = "100.00", trans_id = "t100" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/retrieve-amount", new { customer_id = member.Id, amount = "40", trans_id = "r40" })).StatusCode);

        var again = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-amount", new { customer_id = member.Id, amount = "5.00", trans_id = "t100" });
        Assert.Equal((HttpStatusCode.BadRequest, "CBC.99007009"), (again.StatusCode, (await again.JsonAsync())["error_code"]!.GetValue<string>()));
        var tooMuch = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/retrieve-amount", new { customer_id = member.Id, amount = "60.01" });
        Assert.Equal("CBC.99005003", (await tooMuch.JsonAsync())["error_code"]!.GetValue<string>());

        Assert.Equal((440m, 60m), (await CashAsync(master), await CashAsync(member)));
        Assert.Equal([("r40", "40.00", "440.00", "REVENUE"), ("t100", "100.00", "400.00", "EXPENSE")], await TransRecordsAsync(master));
        Assert.Equal([("r40", "40.00", "60.00", "EXPENSE"), ("t100", "100.00", "100.00", "REVENUE")], await TransRecordsAsync(member));

        var retrievable = await (await Signed(master, HttpMethod.Get, $"/v2/enterprises/multi-accounts/retrieve-amount?sub_customer_id={member.Id}&balance_type=BALANCE_TYPE_DEBIT")).JsonAsync();
        Assert.Equal(60m, retrievable["amount_infos"]![0]!["avail_retrieve_amount"]!.GetValue<decimal>());
        var transferable = await (await Signed(master, HttpMethod.Get, "/v2/enterprises/multi-accounts/transfer-amount")).JsonAsync();
        Assert.Equal((2, 440m), (transferable["total_count"]!.GetValue<int>(), transferable["amount_infos"]![0]!["avail_transfer_amount"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_moves_nothing()
    {
        var (master, member) = await OrganizationAsync(s, s.Services, 50m);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { customer_id = member.Id, amount = "1.001" }, "amount"),
            (new { customer_id = member.Id, amount = "-3" }, "amount"),
            (new { amount = "1" }, "customer_id"),
            (new { customer_id = member.Id, amount = "1", balance_type = "CASH" }, "balance_type"),
            (new { customer_id = member.Id, amount = "1", balance_type = "BALANCE_TYPE_CREDIT", expire_time = "tomorrow" }, "expire_time"),
            (new { customer_id = member.Id, amount = "1", trans_id = new string('x', 65) }, "trans_id"),
        })
        {
            var r = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-amount", body);
            var error = await r.JsonAsync();
            Assert.Equal((HttpStatusCode.BadRequest, "CBC.0100"), (r.StatusCode, error["error_code"]!.GetValue<string>()));
            Assert.Contains(field, error["error_msg"]!.GetValue<string>());
        }
        var limit = await Signed(master, HttpMethod.Get, $"/v2/enterprises/multi-accounts/retrieve-amount?sub_customer_id={member.Id}&limit=101");
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Equal(50m, await CashAsync(master));
    }

    [Fact]
    public async Task Another_organizations_member_and_a_member_acting_as_master_are_refused_without_credentials_nothing_is_answered()
    {
        var (master, member) = await OrganizationAsync(s, s.Services, 50m);
        var (otherMaster, otherMember) = await OrganizationAsync(s, s.Services, 50m);
        var theirs = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-amount", new { customer_id = otherMember.Id, amount = "1" });
        Assert.Equal("CBC.7001", (await theirs.JsonAsync())["error_code"]!.GetValue<string>());
        var peek = await Signed(otherMaster, HttpMethod.Get, $"/v2/enterprises/multi-accounts/retrieve-amount?sub_customer_id={member.Id}");
        Assert.Equal("CBC.7001", (await peek.JsonAsync())["error_code"]!.GetValue<string>());
        var upward = await Signed(member, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-amount", new { customer_id = master.Id, amount = "1" });
        Assert.Equal("CBC.7001", (await upward.JsonAsync())["error_code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Http.GetAsync("/v2/enterprises/multi-accounts/transfer-amount")).StatusCode);
        Assert.Equal((50m, 50m), (await CashAsync(master), await CashAsync(otherMaster)));
    }

    [Fact]
    public async Task A_platform_coupon_is_shared_with_a_member_and_what_it_has_left_comes_back()
    {
        var (master, member) = await OrganizationAsync(s, s.Services, 0m);
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        (await s.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{master.Id}/test-coupons", op,
            new { coupon_type = 1, face_value = 80m, expire_time = DateTime.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        var list = await (await Signed(master, HttpMethod.Get, "/v2/enterprises/multi-accounts/transfer-coupons")).JsonAsync();
        var couponId = list["avail_transfer_coupons"]![0]!["coupon_id"]!.GetValue<string>();

        var claimed = await (await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-coupon",
            new { customer_id = member.Id, coupon_id = couponId, amount = "30.00", trans_id = "c30" })).JsonAsync();
        var sub = claimed["sub_coupon_id"]!.GetValue<string>();
        var again = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-coupon", new { customer_id = member.Id, coupon_id = couponId, amount = "1", trans_id = "c30" });
        Assert.Equal("CBC.99007009", (await again.JsonAsync())["error_code"]!.GetValue<string>());
        var tooMuch = await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/transfer-coupon", new { customer_id = member.Id, coupon_id = couponId, amount = "50.01" });
        Assert.Equal("CBC.99005003", (await tooMuch.JsonAsync())["error_code"]!.GetValue<string>());
        list = await (await Signed(master, HttpMethod.Get, "/v2/enterprises/multi-accounts/transfer-coupons")).JsonAsync();
        Assert.Equal("50.00", list["avail_transfer_coupons"]![0]!["balance"]!.GetValue<string>());

        var retrievable = await (await Signed(master, HttpMethod.Get, $"/v2/enterprises/multi-accounts/retrieve-coupons?sub_customer_id={member.Id}")).JsonAsync();
        Assert.Equal((couponId, sub, "30.00"), (retrievable["avail_retrieve_coupons"]![0]!["coupon_id"]!.GetValue<string>(),
            retrievable["avail_retrieve_coupons"]![0]!["sub_coupon_id"]!.GetValue<string>(), retrievable["avail_retrieve_coupons"]![0]!["balance"]!.GetValue<string>()));
        // Another organization's master cannot list or take this member's coupons.
        var (stranger, _) = await OrganizationAsync(s, s.Services, 0m);
        var foreign = await Signed(stranger, HttpMethod.Post, "/v2/enterprises/multi-accounts/retrieve-coupon", new { customer_id = member.Id, coupon_id = couponId, sub_coupon_id = sub });
        Assert.Equal("CBC.7001", (await foreign.JsonAsync())["error_code"]!.GetValue<string>());

        var back = await (await Signed(master, HttpMethod.Post, "/v2/enterprises/multi-accounts/retrieve-coupon",
            new { customer_id = member.Id, coupon_id = couponId, sub_coupon_id = sub, trans_id = "b30" })).JsonAsync();
        Assert.Equal("30.00", back["real_retrieve_amout"]!.GetValue<string>());
        list = await (await Signed(master, HttpMethod.Get, "/v2/enterprises/multi-accounts/transfer-coupons")).JsonAsync();
        Assert.Equal("80.00", list["avail_transfer_coupons"]![0]!["balance"]!.GetValue<string>());
        // The member's own coupon change records show the coupon coming and going.
        var changes = await (await s.SendAsync(HttpMethod.Get, "/v2/promotions/benefits/account-change-records", member.Token)).JsonAsync();
        Assert.Equal([("COUPONCANCEL", "b30", "30.00", "0.00", "EXPENSE"), ("COUPONADJUST", "c30", "30.00", "30.00", "REVENUE")], changes["records"]!.AsArray()
            .Select(r => (r!["trade_detail_type"]!.GetValue<string>(), r["trade_id"]!.GetValue<string>(), r["change_amount"]!.GetValue<string>(), r["balance_after_change"]!.GetValue<string>(),
                r["revenue_expense_type"]!.GetValue<string>())).ToList());
    }
}
