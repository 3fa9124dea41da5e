using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Partners, budgets, funds and pay-per-use as the official SDK reads them, against the demo world. Tests that change
/// data change customers they create themselves, or put back what they changed.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class PartnersContractTests(DemoWorldServer demo)
{
    DemoLogin Csp => demo.Login("demo-csp");

    static string NewName() => TestApi.Unique("cust-");

    /// <summary>A unique Chinese mobile number (11 digits starting with 1), as the China API takes it.</summary>
    static string NewChinaMobile() => "13" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    async Task<string> CreateCustomerAsync(object body) =>
        (await (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers", body)).JsonAsync())["domain_id"]!.GetValue<string>();

    async Task<JsonObject> CustomerInfoAsync(string customerId)
    {
        var list = await (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/query", new { customer_id = customerId })).JsonAsync();
        return list["customer_infos"]!.AsArray().Single()!.AsObject();
    }

    [Fact, SdkContract("CreateSubCustomer")]
    public async Task CreateSubCustomer_takes_both_clients_fields_and_answers_the_new_account()
    {
        var c = SdkContract.Of("CreateSubCustomer");
        var international = NewName();
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers", new
        {
            domain_name = international, email = international + "@example.com", domain_area = "SG", xaccount_id = international, xaccount_type = "contract_idp",
            password = "Contract#Pass1", is_close_market_ms = "false", include_association_result = false,
        }));
        Assert.Equal(international, body!["domain_name"]!.GetValue<string>());
        var created = await CustomerInfoAsync(body["domain_id"]!.GetValue<string>());
        Assert.Equal((international + "@example.com", "3"), (created["email"]!.GetValue<string>(), created["association_type"]!.GetValue<string>()));

        // The China model: a bare Chinese mobile number, and cooperation_type "1" for a referral customer.
        var mobile = NewChinaMobile();
        var china = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers", new
        {
            domain_name = NewName(), mobile_phone = mobile, verification_code = "123456", cooperation_type = "1",
        }));
        var referral = await CustomerInfoAsync(china!["domain_id"]!.GetValue<string>());
        Assert.Equal(("+86-" + mobile, "1"), (referral["telephone"]!.GetValue<string>(), referral["association_type"]!.GetValue<string>()));

        // Any other cooperation_type makes a resale customer, as Huawei documents; a malformed mobile is a clear 400.
        var resale = await CreateCustomerAsync(new { domain_name = NewName(), cooperation_type = "2" });
        Assert.Equal("3", (await CustomerInfoAsync(resale))["association_type"]!.GetValue<string>());
        await (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = NewName(), mobile_phone = "not-a-number" }))
            .AssertErrorAsync(400, "CBC.0100");
        await (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers", new { domain_name = NewName(), mobile_phone = mobile }))
            .AssertErrorAsync(409, "CBC.30000054");
    }

    [Fact, SdkContract("CheckUserIdentity")]
    public async Task CheckUserIdentity_answers_the_result_and_for_a_mobile_how_many_more_accounts_it_may_hold()
    {
        var c = SdkContract.Of("CheckUserIdentity");
        var taken = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/users/check-identity",
            new { search_type = "name", search_value = "demo-csp-customer1" }));
        Assert.Equal("used_by_user", taken!["check_result"]!.GetValue<string>());
        var mobile = await c.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/users/check-identity",
            new { search_type = "mobile", search_value = "0065-8" + Random.Shared.Next(1_000_000, 9_999_999) }));
        Assert.Equal(("available", 5), (mobile!["check_result"]!.GetValue<string>(), mobile["mobile_remain_available_num"]!.GetValue<int>()));
        c.AssertCovered();
    }

    [Fact, SdkContract("ListSubCustomers")]
    public async Task ListSubCustomers_answers_every_field_of_a_customer()
    {
        var c = SdkContract.Of("ListSubCustomers");
        var name = NewName();
        var customer = await CreateCustomerAsync(new { domain_name = name, email = name + "@example.com", mobile_phone = NewChinaMobile(), label = "contract" });
        var (token, ownerUserId) = await demo.PasswordTokenAsync(Csp.DomainName, Csp.DomainName, Csp.Password);
        (await demo.SendAsync(HttpMethod.Put, $"/v1/partners/sub-customers/{customer}/account-manager", token, new { user_id = ownerUserId })).EnsureSuccessStatusCode();

        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/query", new
        {
            account_name = name, customer = name, offset = 0, limit = 10, label = "contract", association_type = "3",
            associated_on_begin = "2000-01-01T00:00:00Z", associated_on_end = "2100-01-01T00:00:00Z", customer_id = customer,
        }));
        var info = body!["customer_infos"]![0]!;
        Assert.Equal((1, customer, 1, Csp.DomainName), (body["count"]!.GetValue<int>(), info["customer_id"]!.GetValue<string>(), info["is_frozen"]!.GetValue<int>(),
            info["account_managers"]![0]!["account_name"]!.GetValue<string>()));
    }

    [Fact, SdkContract("FreezeSubCustomers"), SdkContract("UnfreezeSubCustomers")]
    public async Task Freezing_and_unfreezing_answer_the_customers_that_failed()
    {
        var customer = await CreateCustomerAsync(new { domain_name = NewName() });
        (await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/budget",
            new { customer_id = customer, budget_amount = 10m, budget_type = "MONTHLY", cancel_partner_frozen = "1" })).EnsureSuccessStatusCode();

        var freeze = SdkContract.Of("FreezeSubCustomers");
        var frozen = await freeze.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/freeze",
            new { customer_ids = new[] { customer, "no-such-customer" }, reason = "contract", freeze_type = "ACCOUNT" }));
        Assert.Equal("no-such-customer", frozen!["error_details"]!.AsArray().Single()!["id"]!.GetValue<string>());
        Assert.Equal(1, (await CustomerInfoAsync(customer))["is_frozen"]!.GetValue<int>());

        var unfreeze = SdkContract.Of("UnfreezeSubCustomers");
        var unfrozen = await unfreeze.AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/unfreeze",
            new { customer_ids = new[] { customer, "no-such-customer" }, reason = "contract", unfreeze_type = "ACCOUNT" }));
        Assert.Equal("no-such-customer", unfrozen!["error_details"]!.AsArray().Single()!["id"]!.GetValue<string>());
        Assert.Equal(0, (await CustomerInfoAsync(customer))["is_frozen"]!.GetValue<int>());

        // All succeeded: an empty answer.
        var alone = await freeze.AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/freeze", new { customer_ids = new[] { customer }, reason = "contract" }));
        Assert.Empty(alone!.AsObject());
    }

    [Fact, SdkContract("UpdateSubCustomerBudget"), SdkContract("ShowSubCustomerBudget"), SdkContract("ListSubCustomerBudgetRecords")]
    public async Task A_budget_set_through_the_sdk_is_shown_and_recorded()
    {
        var customer = await CreateCustomerAsync(new { domain_name = NewName() });
        await SdkContract.Of("UpdateSubCustomerBudget").AnswerAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/budget",
            new { customer_id = customer, budget_amount = 123.45m, budget_type = "PACKAGE", cancel_partner_frozen = "1", frozen_operate_type = 0 }));

        var budget = await SdkContract.Of("ShowSubCustomerBudget").AnswerFullyAsync(
            await demo.SignedAsync(Csp, HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={customer}"));
        Assert.Equal((123.45m, 0m, "PACKAGE", 1, "USD"), (budget!["budget_amount"]!.GetValue<decimal>(), budget["used_amount"]!.GetValue<decimal>(),
            budget["budget_type"]!.GetValue<string>(), budget["measure_id"]!.GetValue<int>(), budget["currency"]!.GetValue<string>()));

        var records = await SdkContract.Of("ListSubCustomerBudgetRecords").AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Get,
            $"/v2/partners/sub-customers/budget/records?customer_id={customer}&operation_type=SETTING&budget_type=PACKAGE&offset=0&limit=10"));
        var record = records!["record_list"]![0]!;
        Assert.Equal((1, 123.45m, "SETTING", "Demo Cloud Solutions Pte. Ltd.", Csp.DomainName),
            (records["total_count"]!.GetValue<int>(), record["budget_amount"]!.GetValue<decimal>(), record["operation_type"]!.GetValue<string>(),
             record["partner_corp_name"]!.GetValue<string>(), record["partner_account_name"]!.GetValue<string>()));
    }

    [Fact, SdkContract("ListSubCustomerBudget")]
    public async Task ListSubCustomerBudget_answers_the_demo_customers_budgets()
    {
        var (monthly, package) = (demo.Login("demo-csp-customer1").DomainId, demo.Login("demo-csp-customer2").DomainId);
        var body = await SdkContract.Of("ListSubCustomerBudget").AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post, "/v2/partners/sub-customers/budget/query",
            new { customer_ids = new[] { monthly, package } }));
        var budgets = body!["budget_infos"]!.AsArray().ToDictionary(b => b!["customer_id"]!.GetValue<string>(), b => b!["budget_type"]!.GetValue<string>());
        Assert.Equal(("MONTHLY", "PACKAGE"), (budgets[monthly], budgets[package]));
    }

    [Fact, SdkContract("ShowCustomerExpenditureQuota")]
    public async Task A_resale_customer_sees_its_expenditure_quota()
    {
        var body = await SdkContract.Of("ShowCustomerExpenditureQuota").AnswerFullyAsync(
            await demo.SignedAsync(demo.Login("demo-csp-customer1"), HttpMethod.Get, "/v2/accounts/customer-accounts/expenditure-quota"));
        Assert.Equal(1000m, body!["granting_amount"]!.GetValue<decimal>());
    }

    [Fact, SdkContract("ListIndirectPartners")]
    public async Task ListIndirectPartners_answers_a_distributors_resellers()
    {
        // The demo reseller has no mobile number: give it one for this test and take it away again.
        var reseller = demo.Login("demo-reseller");
        var resellerToken = await demo.TokenAsync(reseller);
        var mobile = "+65-8" + Random.Shared.Next(1_000_000, 9_999_999);
        (await demo.SendAsync(HttpMethod.Put, "/v1/account", resellerToken, new { mobile })).EnsureSuccessStatusCode();
        try
        {
            var body = await SdkContract.Of("ListIndirectPartners").AnswerFullyAsync(await demo.SignedAsync(demo.Login("demo-distributor"), HttpMethod.Post,
                "/v2/partners/indirect-partners/query", new
                {
                    account_name = reseller.DomainName, associated_on_begin = "2000-01-01T00:00:00Z", associated_on_end = "2100-01-01T00:00:00Z",
                    offset = 0, limit = 10, indirect_partner_id = reseller.PartnerId,
                }));
            var listed = body!["indirect_partners"]!.AsArray().Single()!;
            Assert.Equal((reseller.PartnerId, mobile, "Demo Reseller Co."),
                (listed["indirect_partner_id"]!.GetValue<string>(), listed["mobile_phone"]!.GetValue<string>(), listed["name"]!.GetValue<string>()));
        }
        finally
        {
            (await demo.SendAsync(HttpMethod.Put, "/v1/account", resellerToken, new { mobile = "" })).EnsureSuccessStatusCode();
        }
    }

    [Fact, SdkContract("ShowCustomerAccountBalances")]
    public async Task Every_customer_sees_its_account_balances_a_resale_customer_too()
    {
        var c = SdkContract.Of("ShowCustomerAccountBalances");
        var referral = await c.AnswerFullyAsync(await demo.SignedAsync(demo.Login("demo-csp-referral1"), HttpMethod.Get, "/v2/accounts/customer-accounts/balances"));
        var accounts = referral!["account_balances"]!.AsArray();
        Assert.Equal(new[] { 1, 2 }, accounts.Select(a => a!["account_type"]!.GetValue<int>()));
        Assert.True(accounts[0]!["amount"]!.GetValue<decimal>() > 0);

        // A resale customer's partner pays for it: it holds nothing, and is answered so.
        var resale = await c.AnswerAsync(await demo.SignedAsync(demo.Login("demo-csp-customer1"), HttpMethod.Get, "/v2/accounts/customer-accounts/balances"));
        Assert.Equal((0m, 0m), (resale!["account_balances"]![0]!["amount"]!.GetValue<decimal>(), resale["debt_amount"]!.GetValue<decimal>()));
    }

    [Fact, SdkContract("ShowPartnerConsumptionQuota")]
    public async Task ShowPartnerConsumptionQuota_answers_amounts_as_strings()
    {
        var body = await SdkContract.Of("ShowPartnerConsumptionQuota").AnswerFullyAsync(
            await demo.SignedAsync(Csp, HttpMethod.Get, "/v2/partners/credit/consumption-quota"));
        Assert.Matches(@"^-?\d+\.\d{2,}$", body!["used_consumption_quota"]!.GetValue<string>());
    }

    [Fact, SdkContract("ListCustomerOnDemandResources")]
    public async Task ListCustomerOnDemandResources_answers_a_customers_pay_per_use_resources_with_their_names()
    {
        var body = await SdkContract.Of("ListCustomerOnDemandResources").AnswerFullyAsync(await demo.SignedAsync(Csp, HttpMethod.Post,
            "/v2/partners/sub-customers/on-demand-resources/query", new
            {
                customer_id = demo.Login("demo-csp-customer1").DomainId, region_code = "ap-southeast-1", service_type_code = "hws.service.type.ec2",
                effective_time_begin = "2000-01-01T00:00:00Z", effective_time_end = "2100-01-01T00:00:00Z", offset = 0, limit = 10,
            }));
        var vm = body!["resources"]!.AsArray().First(r => r!["resource_type_code"]!.GetValue<string>() == "hws.resource.type.vm")!;
        Assert.NotEqual("hws.service.type.ec2", vm["service_type_name"]!.GetValue<string>());
        Assert.True(body["total_count"]!.GetValue<int>() >= 1);
    }

    [Fact, SdkContract("ListFreeResourceInfos"), SdkContract("ListFreeResourceUsages")]
    public async Task A_customer_lists_its_free_resource_packages_and_their_usage()
    {
        var referral = demo.Login("demo-csp-referral1");
        var infos = await SdkContract.Of("ListFreeResourceInfos").AnswerFullyAsync(await demo.SignedAsync(referral, HttpMethod.Post,
            "/v3/payments/free-resources/query", new { region_code = "ap-southeast-1", offset = 0, limit = 10, service_type_code_list = new[] { "hws.service.type.obs" } }));
        var item = infos!["free_resource_packages"]![0]!["free_resources"]![0]!;
        Assert.Equal("100000", item["original_amount"]!.GetValue<string>());

        var usages = await SdkContract.Of("ListFreeResourceUsages").AnswerFullyAsync(await demo.SignedAsync(referral, HttpMethod.Post,
            "/v2/payments/free-resources/usages/details/query", new { free_resource_ids = new[] { item["free_resource_id"]!.GetValue<string>() } }));
        var usage = usages!["free_resources"]![0]!;
        Assert.Equal((100_000m, decimal.Parse(item["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)),
            (usage["original_amount"]!.GetValue<decimal>(), usage["amount"]!.GetValue<decimal>()));
    }
}
