using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>The partner's accounts and allocations as the official SDK reads them, on a partner and customer made for the test.</summary>
[Collection(SdkContractCollection.Name)]
public sealed class PartnerAccountsContractTests(DemoWorldServer demo)
{
    /// <summary>A new CSP with 200.00 on its balance and one resale customer that holds 50.00 of it.</summary>
    async Task<(TestAccount Partner, string Customer)> FundedAsync()
    {
        var csp = await demo.NewAccountAsync("ccsp");
        await demo.EnrollAsync(csp);
        (await demo.SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", csp.Token,
            new { amount = 200m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "c" })).EnsureSuccessStatusCode();
        var customer = (await (await demo.SignedAsync(HttpMethod.Post, "/v2/partners/sub-customers", csp.AccessKey, csp.SecretKey,
            new { domain_name = TestApi.Unique("ccust") })).JsonAsync())["domain_id"]!.GetValue<string>();
        (await demo.SignedAsync(HttpMethod.Post, "/v2/accounts/partner-accounts/adjust-amount", csp.AccessKey, csp.SecretKey,
            new { customer_id = customer, amount = 50m, indirect_partner_id = "" })).EnsureSuccessStatusCode();
        return (csp, customer);
    }

    [Fact, SdkContract("ListPartnerBalances")]
    public async Task ListPartnerBalances_answers_cash_credit_and_allocatable()
    {
        var (csp, _) = await FundedAsync();
        var body = await SdkContract.Of("ListPartnerBalances").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Get, "/v2/accounts/partner-accounts/balances", csp.AccessKey, csp.SecretKey));
        Assert.Equal(new[] { 1, 2, 8 }, body!["account_balances"]!.AsArray().Select(a => a!["account_type"]!.GetValue<int>()));
        Assert.Equal(150m, body["account_balances"]![0]!["amount"]!.GetValue<decimal>());
    }

    [Fact, SdkContract("UpdateCustomerAccountAmount")]
    public async Task UpdateCustomerAccountAmount_answers_the_transfer_id()
    {
        var (csp, customer) = await FundedAsync();
        var body = await SdkContract.Of("UpdateCustomerAccountAmount").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Post,
            "/v2/accounts/partner-accounts/adjust-amount", csp.AccessKey, csp.SecretKey, new { customer_id = customer, amount = 1.25m, indirect_partner_id = "" }));
        Assert.NotEmpty(body!["transfer_id"]!.GetValue<string>());
    }

    [Fact, SdkContract("ReclaimToPartnerAccount")]
    public async Task ReclaimToPartnerAccount_answers_the_trans_id()
    {
        var (csp, customer) = await FundedAsync();
        var body = await SdkContract.Of("ReclaimToPartnerAccount").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Post,
            "/v2/accounts/partner-accounts/reclaim", csp.AccessKey, csp.SecretKey, new { customer_id = customer, amount = 0.5m }));
        Assert.NotEmpty(body!["trans_id"]!.GetValue<string>());
    }

    [Fact, SdkContract("ListCustomersBalancesDetail")]
    public async Task ListCustomersBalancesDetail_answers_each_resale_customers_balance()
    {
        var (csp, customer) = await FundedAsync();
        var body = await SdkContract.Of("ListCustomersBalancesDetail").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Post,
            "/v2/accounts/customer-accounts/balances/batch-query", csp.AccessKey, csp.SecretKey, new { customer_infos = new[] { new { customer_id = customer } }, indirect_partner_id = "" }));
        Assert.Equal(50m, body!["customer_balances"]![0]!["amount"]!.GetValue<decimal>());
    }

    [Fact, SdkContract("ListPartnerAdjustRecords")]
    public async Task ListPartnerAdjustRecords_answers_the_allocation_with_its_customer()
    {
        var (csp, customer) = await FundedAsync();
        var body = await SdkContract.Of("ListPartnerAdjustRecords").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Get,
            $"/v3/accounts/partner-accounts/adjust-records?customer_id={customer}&operation_type=SOURCE_OPERATION_BEADJUST&operation_time_begin=2000-01-01T00:00:00Z" +
            "&operation_time_end=2100-01-01T00:00:00Z&offset=0&limit=10&indirect_partner_id=", csp.AccessKey, csp.SecretKey));
        Assert.Equal(("SOURCE_OPERATION_BEADJUST", "50.00"), (body!["records"]![0]!["operation_type"]!.GetValue<string>(), body["records"]![0]!["amount"]!.GetValue<string>()));
    }

    /// <summary>A new distributor with 100.00 on its balance and a reseller it gave 30.00 of it.</summary>
    async Task<(TestAccount Distributor, string ResellerId)> DistributorAsync()
    {
        var distributor = await demo.NewAccountAsync("cdis");
        var distributorId = await demo.EnrollAsync(distributor, "distributor");
        var reseller = await demo.NewAccountAsync("cres");
        var resellerId = await demo.EnrollAsync(reseller, "reseller", distributor, distributorId);
        (await demo.SendAsync(HttpMethod.Post, "/v1/partner-account/top-ups", distributor.Token,
            new { amount = 100m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "d" })).EnsureSuccessStatusCode();
        (await demo.SignedAsync(HttpMethod.Post, "/v2/accounts/partner-accounts/indirect-partner-adjust", distributor.AccessKey, distributor.SecretKey,
            new { indirect_partner_id = resellerId, amount = 30m })).EnsureSuccessStatusCode();
        return (distributor, resellerId);
    }

    [Fact, SdkContract("UpdateIndirectPartnerAccount")]
    public async Task UpdateIndirectPartnerAccount_answers_the_transfer_id()
    {
        var (distributor, reseller) = await DistributorAsync();
        var body = await SdkContract.Of("UpdateIndirectPartnerAccount").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Post,
            "/v2/accounts/partner-accounts/indirect-partner-adjust", distributor.AccessKey, distributor.SecretKey, new { indirect_partner_id = reseller, amount = 2.5m }));
        Assert.NotEmpty(body!["transfer_id"]!.GetValue<string>());
    }

    [Fact, SdkContract("ReclaimIndirectPartnerAccount")]
    public async Task ReclaimIndirectPartnerAccount_answers_the_trans_id()
    {
        var (distributor, reseller) = await DistributorAsync();
        var body = await SdkContract.Of("ReclaimIndirectPartnerAccount").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Post,
            "/v2/accounts/partner-accounts/indirect-partner-reclaim", distributor.AccessKey, distributor.SecretKey, new { indirect_partner_id = reseller, amount = 10m }));
        Assert.NotEmpty(body!["trans_id"]!.GetValue<string>());
    }

    [Fact, SdkContract("ListPartnerAccountChangeRecords")]
    public async Task ListPartnerAccountChangeRecords_answers_the_top_up_and_the_allocation_with_its_reseller()
    {
        var (distributor, _) = await DistributorAsync();
        var body = await SdkContract.Of("ListPartnerAccountChangeRecords").AnswerFullyAsync(await demo.SignedAsync(HttpMethod.Get,
            "/v2/accounts/partner-accounts/account-change-records?balance_type=BALANCE_TYPE_DEBIT&trade_time_begin=2000-01-01&trade_time_end=2100-01-01&offset=0&limit=10&indirect_partner_id=",
            distributor.AccessKey, distributor.SecretKey));
        var rows = body!["records"]!.AsArray().Select(r => (r!["trade_detail_type"]!.GetValue<string>(), r["change_amount"]!.GetValue<string>(),
            r["balance_after_change"]!.GetValue<string>(), r["type"]!.GetValue<string>())).ToList();
        Assert.Equal([("SOURCE_OPERATION_BEADJUST", "30.00", "70.00", "2"), ("SOURCE_OPERAIION_RECHARGE", "100.00", "100.00", "1")], rows);
    }
}
