using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests.Contracts;

/// <summary>
/// Enterprise Center's organization and members as the official SDK reads them, against the demo world's master
/// (units Development and Testing, one member in each). Tests that add units remove them again.
/// </summary>
[Collection(SdkContractCollection.Name)]
public sealed class EnterpriseOrganizationContractTests(DemoWorldServer demo)
{
    DemoLogin Master => demo.Login("demo-enterprise");

    [Fact, SdkContract("ListEnterpriseOrganizations")]
    public async Task ListEnterpriseOrganizations_answers_the_root_and_nested_child_nodes_of_a_recursive_listing()
    {
        var c = SdkContract.Of("ListEnterpriseOrganizations");
        var direct = await c.AnswerAsync(await demo.SignedAsync(Master, HttpMethod.Get, "/v2/enterprises/multi-accounts/enterprise-organizations"));
        var development = direct!["child_nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "Development")!["id"]!.GetValue<string>();
        var token = await demo.TokenAsync(Master);
        var sub = (await (await demo.SendAsync(HttpMethod.Post, "/v1/enterprise/units", token, new { parent_id = development, name = TestApi.Unique("contract-") })).JsonAsync())["id"]!.GetValue<string>();
        try
        {
            var recursive = await c.AnswerFullyAsync(await demo.SignedAsync(Master, HttpMethod.Get, "/v2/enterprises/multi-accounts/enterprise-organizations?recursive_query=1"));
            Assert.Equal("demo-enterprise", recursive!["root_name"]!.GetValue<string>());
            var below = await c.AnswerAsync(await demo.SignedAsync(Master, HttpMethod.Get, $"/v2/enterprises/multi-accounts/enterprise-organizations?parent_id={development}&recursive_query=0"));
            Assert.Null(below!["root_id"]);
            Assert.Equal(sub, below["child_nodes"]!.AsArray().Single()!["id"]!.GetValue<string>());
        }
        finally
        {
            await demo.SendAsync(HttpMethod.Delete, $"/v1/enterprise/units/{sub}", token);
        }
    }

    [Fact, SdkContract("ListEnterpriseSubCustomers")]
    public async Task ListEnterpriseSubCustomers_answers_every_field_of_a_member()
    {
        var c = SdkContract.Of("ListEnterpriseSubCustomers");
        var body = await c.AnswerFullyAsync(await demo.SignedAsync(Master, HttpMethod.Get, "/v2/enterprises/multi-accounts/sub-customers?sub_customer_account_name=demo-enterprise-dev&fuzzy_query=0&offset=0&limit=10"));
        var member = body!["sub_customer_infos"]!.AsArray().Single()!;
        Assert.Equal((demo.Login("demo-enterprise-dev").DomainId, 1, "Development"),
            (member["id"]!.GetValue<string>(), member["status"]!.GetValue<int>(), member["org_name"]!.GetValue<string>()));
        var fuzzy = await c.AnswerAsync(await demo.SignedAsync(Master, HttpMethod.Get, "/v2/enterprises/multi-accounts/sub-customers?sub_customer_display_name=demo-enterprise&fuzzy_query=1"));
        Assert.True(fuzzy!["total_count"]!.GetValue<int>() >= 2);
    }

    [Fact, SdkContract("SendSmsVerificationCode"), SdkContract("CreateSubEnterpriseAccount")]
    public async Task A_code_sent_with_SendSmsVerificationCode_creates_a_member_with_CreateSubEnterpriseAccount()
    {
        var mobile = "13" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        var sent = await demo.SignedAsync(Master, HttpMethod.Post, "/v2/enterprises/multi-accounts/sm-verification-code", new
        {
            mobile_phone = mobile, timeout = 10, language = "en-us", sm_template_args = new[] { new { key = "sub_customer_name", value = "contract member" } },
        });
        await SdkContract.Of("SendSmsVerificationCode").AnswerAsync(sent);
        string code;
        await using (var scope = demo.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
            var sms = await db.OutboxMessages.Where(m => m.To == "sms:+86-" + mobile).OrderByDescending(m => m.Id).FirstAsync();
            code = Regex.Match(sms.Body, @"\b\d{6}\b").Value;
        }
        var units = await (await demo.SignedAsync(Master, HttpMethod.Get, "/v2/enterprises/multi-accounts/enterprise-organizations")).JsonAsync();
        var testing = units["child_nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "Testing")!["id"]!.GetValue<string>();
        var name = TestApi.Unique("member-");
        var created = await SdkContract.Of("CreateSubEnterpriseAccount").AnswerAsync(await demo.SignedAsync(Master, HttpMethod.Post, "/v2/enterprises/multi-accounts/sub-customers", new
        {
            party_id = testing, display_name = "Contract member", sub_customer_association_type = 1, permission_ids = new[] { "READ_FINANCE_INFO" }, financial_custody = 0,
            new_sub_customer = new { customer_name = name, mobile_phone = mobile, use_pri_mobile_phone = "N", password = "Member#Pass123", verification_code = code },
        }));
        var id = created!["sub_customer_id"]!.GetValue<string>();
        var listed = await (await demo.SignedAsync(Master, HttpMethod.Get, $"/v2/enterprises/multi-accounts/sub-customers?sub_customer_account_name={name}")).JsonAsync();
        Assert.Equal((id, "Contract member", testing), (listed["sub_customer_infos"]![0]!["id"]!.GetValue<string>(),
            listed["sub_customer_infos"]![0]!["display_name"]!.GetValue<string>(), listed["sub_customer_infos"]![0]!["org_id"]!.GetValue<string>()));
        // The member leaves again, so the demo's organization reads as it was.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await demo.SendAsync(HttpMethod.Delete, $"/v1/enterprise/members/{id}", await demo.TokenAsync(Master))).StatusCode);
    }
}
