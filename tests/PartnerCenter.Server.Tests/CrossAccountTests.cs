using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Server.Auth;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// Account A, fully permitted in its own account, aims every API operation at account B's things. It must get 4xx or
/// an answer holding nothing of B, and B must be unchanged. The route-table test fails when an endpoint is missing here.
/// </summary>
public sealed class CrossAccountTests(CrossAccountTests.World w) : IClassFixture<CrossAccountTests.World>
{
    /// <summary>B's things: ids that A must never see or touch.</summary>
    public sealed class World : ServerFixture
    {
        public TestAccount A = null!, B = null!, C = null!;
        public string BOrder = null!, BResource = null!, BPartnerId = null!, BCustomer = null!, BApplication = null!, BInvitation = null!, BAuthorization = null!, BCustomerName = null!;
        public string BUser = null!, BGroup = null!, BPolicy = null!, BAgency = null!, BProject = null!, BUserName = null!;
        public string BDiscount = null!, SpecId = null!, BTicket = null!, BAttachment = null!, BBill = null!, BQuota = null!, BCoupon = null!;
        /// <summary>An enterprise master (a partner cannot be one, so not B): its unit, its member and its pending invitation.</summary>
        public TestAccount E = null!;
        public string EUnit = null!, EMember = null!, EInvitation = null!;
        /// <summary>A pending partner network application of another account, and B's business information under review.</summary>
        public string NApplication = null!, BSubmission = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            A = await this.NewAccountAsync("a");
            B = await this.NewAccountAsync("b");
            C = await this.NewAccountAsync("c");
            BUserName = TestApi.Unique("buser");
            BUser = (await (await this.SendAsync(HttpMethod.Post, "/v3/users", B.Token, new { user = new { name = BUserName, password = "Buser#Pass123" } })).JsonAsync())["user"]!["id"]!.GetValue<string>();
            BGroup = (await (await this.SendAsync(HttpMethod.Post, "/v3/groups", B.Token, new { group = new { name = TestApi.Unique("bgroup") } })).JsonAsync())["group"]!["id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Put, $"/v3/groups/{BGroup}/users/{BUser}", B.Token);
            BPolicy = (await (await this.SendAsync(HttpMethod.Post, "/v3.0/OS-ROLE/roles", B.Token, new
            {
                role = new { display_name = TestApi.Unique("bpolicy"), type = "AX", policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:listUsers" } } } } },
            })).JsonAsync())["role"]!["id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Put, $"/v3/domains/{B.Id}/groups/{BGroup}/roles/{BPolicy}", B.Token);
            BAgency = (await (await this.SendAsync(HttpMethod.Post, "/v3.0/OS-AGENCY/agencies", B.Token, new { agency = new { name = "to-c", domain_id = B.Id, trust_domain_id = C.Id } })).JsonAsync())["agency"]!["id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Put, $"/v3.0/OS-AGENCY/domains/{B.Id}/agencies/{BAgency}/roles/{BPolicy}", B.Token);
            BProject = (await (await this.SendAsync(HttpMethod.Get, "/v3/projects", B.Token)).JsonAsync())["projects"]![0]!["id"]!.GetValue<string>();

            // A and B are both cloud solution providers; B has a resale customer with a budget. C's application is pending.
            await this.EnrollAsync(A);
            BPartnerId = await this.EnrollAsync(B);
            BCustomerName = TestApi.Unique("bcust");
            BCustomer = (await (await this.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers", B.Token, new { domain_name = BCustomerName })).JsonAsync())["domain_id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/budget", B.Token, new { customer_id = BCustomer, budget_amount = 77, cancel_partner_frozen = "1" });
            // B holds a coupon quota from the operator and issued its customer a coupon from it.
            var operatorToken = (await this.PasswordTokenAsync("operator", "operator", OperatorPassword)).Token;
            BQuota = (await (await this.SendAsync(HttpMethod.Post, $"/v1/operator/partners/{B.Id}/coupon-quotas", operatorToken,
                new { quota_value = 100m, expire_time = "2100-01-01T00:00:00Z" })).JsonAsync())["quota_id"]!.GetValue<string>();
            BCoupon = (await (await this.SendAsync(HttpMethod.Post, "/v2/promotions/benefits/partner-coupons", B.Token,
                new { quota_id = BQuota, customer_ids = new[] { BCustomer }, face_value = 10m })).JsonAsync())["coupon_infos"]![0]!["coupon_id"]!.GetValue<string>();
            BApplication = (await (await this.SendAsync(HttpMethod.Post, "/v1/partner-applications", C.Token, new { program = "distributor", company_name = "C Ltd." })).JsonAsync())["application_id"]!.GetValue<string>();
            var n = await this.NewAccountAsync("n");
            NApplication = (await (await this.SendAsync(HttpMethod.Post, "/v1/partner-network/applications", n.Token, new
            {
                company_name = "N Ltd.", country = "SG", address = "N street", industry = "other", company_size = "1-49", contact_name = "N", contact_email = "n@example.com",
                contact_phone = "+65-81234567", agreements = Core.PartnerNetwork.NetworkCatalog.JoinAgreements.Select(x => new { code = x.Code, version = x.Version }),
            })).JsonAsync())["application_id"]!.GetValue<string>();
            BSubmission = (await (await this.SendAsync(HttpMethod.Post, "/v1/partner-network/business-information", B.Token, BusinessInformation(B.Name + " Ltd."))).JsonAsync())["submission_id"]!.GetValue<string>();
            var d = await this.NewAccountAsync("d");
            BInvitation = (await (await this.SendAsync(HttpMethod.Post, "/v1/partners/invitations", B.Token, new { account_name = d.Name, association_type = "1" })).JsonAsync())["invitation_id"]!.GetValue<string>();
            BOrder = (await (await this.SendAsync(HttpMethod.Post, "/v1/orders", B.Token, new
            {
                customer_id = BCustomer, client_token = "b-order",
                product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
            })).JsonAsync())["order_id"]!.GetValue<string>();
            // B buys a VM for itself: a paid order and a resource A must not touch.
            await this.SendAsync(HttpMethod.Post, "/v1/payments/top-ups", B.Token, new { amount = 20m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "b-fund" });
            var own = (await (await this.SendAsync(HttpMethod.Post, "/v1/orders", B.Token, new
            {
                client_token = "b-own",
                product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
            })).JsonAsync())["order_id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", B.Token, new { order_id = own, use_coupon = "NO", use_discount = "NO" });
            BResource = (await (await this.SendAsync(HttpMethod.Post, "/v2/orders/suscriptions/resources/query", B.Token, new { })).JsonAsync())["data"]![0]!["resource_id"]!.GetValue<string>();
            BAuthorization = (await (await this.SendAsync(HttpMethod.Post, $"/v1/partners/sub-customers/{BCustomer}/authorizations", B.Token)).JsonAsync())["authorization_id"]!.GetValue<string>();
            BDiscount = (await (await this.SendAsync(HttpMethod.Post, "/v1/partners/discounts", B.Token, new { customer_id = BCustomer, discount_rate = 0.1m })).JsonAsync())["discount_id"]!.GetValue<string>();
            BTicket = (await (await this.SendAsync(HttpMethod.Post, "/v1/tickets", B.Token, new { type = "billing", title = "B's question", description = "private" })).JsonAsync())["ticket_id"]!.GetValue<string>();
            var upload = new HttpRequestMessage(HttpMethod.Post, $"/v1/tickets/{BTicket}/attachments?file_name=b.txt") { Content = new ByteArrayContent("B's file"u8.ToArray()) };
            upload.Headers.Add("X-Auth-Token", B.Token);
            BAttachment = (await (await Http.SendAsync(upload)).JsonAsync())["attachment_id"]!.GetValue<string>();
            // A finalized bill of B's with nothing on it (the month's run is the sandbox clock's business, not this fixture's).
            BBill = Core.Common.Ids.New();
            await using (var scope = Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<Core.Data.AppDbContext>();
                db.PartnerBills.Add(new Core.Billing.PartnerBill
                {
                    Id = BBill, PartnerAccountId = B.Id, Cycle = "2026-01", Status = Core.Billing.BillStatus.Finalized, CoversFrom = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                    CoversTo = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), DueAt = DateTime.UnixEpoch, CreatedAt = DateTime.UnixEpoch,
                });
                await db.SaveChangesAsync();
            }
            E = await this.NewAccountAsync("e");
            await this.SendAsync(HttpMethod.Post, "/v1/enterprise/enable", E.Token);
            EUnit = (await (await this.SendAsync(HttpMethod.Post, "/v1/enterprise/units", E.Token, new { name = "E's unit" })).JsonAsync())["id"]!.GetValue<string>();
            var member = await this.NewAccountAsync("em");
            var joined = (await (await this.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", E.Token, new { account_name = member.Name, unit_id = EUnit })).JsonAsync())["invitation_id"]!.GetValue<string>();
            await this.SendAsync(HttpMethod.Post, $"/v1/enterprise/received-invitations/{joined}/accept", member.Token);
            EMember = member.Id;
            var invitee = await this.NewAccountAsync("ei");
            EInvitation = (await (await this.SendAsync(HttpMethod.Post, "/v1/enterprise/invitations", E.Token, new { account_name = invitee.Name })).JsonAsync())["invitation_id"]!.GetValue<string>();
            // The spec's product id, as price inquiry answers it.
            SpecId = (await (await this.SendAsync(HttpMethod.Post, "/v2/bills/ratings/period-resources/subscribe-rate", A.Token, new
            {
                product_infos = new[] { new { id = "1", cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-2", period_type = 2, period_num = 1, subscription_num = 1 } },
            })).JsonAsync())["official_website_rating_result"]!["product_rating_results"]![0]!["product_id"]!.GetValue<string>();
        }

        public static object BusinessInformation(string company) => new
        {
            company = new
            {
                company_name = company, registration_number = "R1", registered_address = "Street 1", tax_id = "T1", finance_contact_name = "F",
                finance_contact_email = "f@example.com", finance_contact_phone = "+65-81234567",
            },
            bank = new { bank_name = "Bank", bank_branch = "Branch", account_name = company, account_number = "12345678", swift_code = "DBSSSGSG" },
            privacy_statement = new { code = "business_info_privacy", version = "2024.1" },
        };

        public IEnumerable<string> SecretsOfB => [NApplication, BSubmission, B.Id, B.Name, BUser, BUserName, BGroup, BPolicy, BAgency, BProject, B.AccessKey, B.Token, B.OwnerUserId, BPartnerId, BCustomer, BApplication, BInvitation, BAuthorization, BCustomerName, BOrder, BDiscount, BResource, BTicket, BAttachment, BBill, BQuota, BCoupon, E.Id, E.Name, EUnit, EMember, EInvitation];

        public string Fill(string template) => template
            .Replace("{user_id}", BUser).Replace("{group_id}", BGroup).Replace("{role_id}", BPolicy).Replace("{agency_id}", BAgency)
            .Replace("{project_id}", BProject).Replace("{domain_id}", B.Id).Replace("{access_key}", B.AccessKey)
            .Replace("{customer_id}", BCustomer).Replace("{indirect_partner_id}", BPartnerId).Replace("{application_id}", BApplication).Replace("{network_application_id}", NApplication).Replace("{submission_id}", BSubmission)
            .Replace("{enterprise_invitation_id}", EInvitation).Replace("{unit_id}", EUnit).Replace("{sub_customer_id}", EMember)
            .Replace("{invitation_id}", BInvitation).Replace("{customer_name}", BCustomerName).Replace("{authorization_id}", BAuthorization).Replace("{partner_account_id}", B.Id).Replace("{order_id}", BOrder).Replace("{resource_id}", BResource)
            .Replace("{discount_id}", BDiscount).Replace("{partner_id}", BPartnerId).Replace("{spec_id}", SpecId)
            .Replace("{ticket_id}", BTicket).Replace("{attachment_id}", BAttachment).Replace("{bill_id}", BBill).Replace("{quota_id}", BQuota).Replace("{coupon_id}", BCoupon).Replace("{bill_cycle}", "2026-01").Replace("{country}", "SG")
            // last month: always a queryable closed cycle, whatever day the tests run
            .Replace("{cycle}", Core.Billing.BillCycle.Containing(DateTime.UtcNow).Previous.ToString())
            .Replace("{month}", Core.Billing.BillCycle.Containing(DateTime.UtcNow).Previous.ToString());
    }

    /// <summary>How an operation aimed at B must end: a status, or any 2xx/4xx answer that simply holds nothing of B.</summary>
    public sealed record Case(string Method, string Template, int? Status, Func<World, object?>? Body = null, string? Query = null);

    static readonly object Policy = new { Version = "1.1", Statement = new[] { new { Effect = "Allow", Action = new[] { "iam:users:getUser" } } } };

    public static readonly Case[] Cases =
    [
        new("POST", "/v3/users", 400, w => new { user = new { name = "intruder", domain_id = w.B.Id, password = "Intruder#123" } }),
        new("GET", "/v3/users", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/users/{user_id}", 404),
        new("PATCH", "/v3/users/{user_id}", 404, _ => new { user = new { enabled = false } }),
        new("DELETE", "/v3/users/{user_id}", 404),
        new("POST", "/v3/users/{user_id}/password", 403, _ => new { user = new { original_password = "Buser#Pass123", password = "Changed#Pass1" } }),
        new("GET", "/v3/users/{user_id}/groups", 404),
        new("GET", "/v3/users/{user_id}/projects", 404),
        new("POST", "/v3.0/OS-USER/users", 400, w => new { user = new { name = "intruder", domain_id = w.B.Id } }),
        new("GET", "/v3.0/OS-USER/users/{user_id}", 404),
        new("PUT", "/v3.0/OS-USER/users/{user_id}", 404, _ => new { user = new { description = "hacked" } }),

        new("POST", "/v3/groups", 400, w => new { group = new { name = "intruders", domain_id = w.B.Id } }),
        new("GET", "/v3/groups", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/groups/{group_id}", 404),
        new("PATCH", "/v3/groups/{group_id}", 404, _ => new { group = new { description = "hacked" } }),
        new("DELETE", "/v3/groups/{group_id}", 404),
        new("GET", "/v3/groups/{group_id}/users", 404),
        new("PUT", "/v3/groups/{group_id}/users/{user_id}", 404),
        new("HEAD", "/v3/groups/{group_id}/users/{user_id}", 404),
        new("DELETE", "/v3/groups/{group_id}/users/{user_id}", 404),
        new("GET", "/v3/domains/{domain_id}/groups/{group_id}/roles", 404),
        new("PUT", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404),
        new("HEAD", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404),
        new("DELETE", "/v3/domains/{domain_id}/groups/{group_id}/roles/{role_id}", 404),

        new("GET", "/v3/roles", null),
        new("GET", "/v3/roles/{role_id}", 404),
        new("GET", "/v3.0/OS-ROLE/roles", null),
        new("POST", "/v3.0/OS-ROLE/roles", null, _ => new { role = new { display_name = TestApi.Unique("mine"), type = "AX", policy = Policy } }),
        new("GET", "/v3.0/OS-ROLE/roles/{role_id}", 404),
        new("PATCH", "/v3.0/OS-ROLE/roles/{role_id}", 404, _ => new { role = new { description = "hacked" } }),
        new("DELETE", "/v3.0/OS-ROLE/roles/{role_id}", 404),

        new("POST", "/v3.0/OS-CREDENTIAL/credentials", 404, w => new { credential = new { user_id = w.BUser } }),
        new("GET", "/v3.0/OS-CREDENTIAL/credentials", null, Query: "?user_id={user_id}"),
        new("GET", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404),
        new("PUT", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404, _ => new { credential = new { status = "inactive" } }),
        new("DELETE", "/v3.0/OS-CREDENTIAL/credentials/{access_key}", 404),
        new("POST", "/v3.0/OS-CREDENTIAL/securitytokens", 403, w => new { auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_id = w.B.Id, agency_name = "to-c" } } } }),

        new("POST", "/v3.0/OS-AGENCY/agencies", 400, w => new { agency = new { name = "sneaky", domain_id = w.B.Id, trust_domain_id = w.A.Id } }),
        new("GET", "/v3.0/OS-AGENCY/agencies", 400, Query: "?domain_id={domain_id}"),
        new("GET", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404),
        new("PUT", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404, w => new { agency = new { trust_domain_id = w.A.Id } }),
        new("DELETE", "/v3.0/OS-AGENCY/agencies/{agency_id}", 404),
        new("GET", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles", 404),
        new("PUT", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", 404),
        new("DELETE", "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", 404),

        new("GET", "/v3/projects", null, Query: "?domain_id={domain_id}"),
        new("GET", "/v3/projects/{project_id}", 404),
        new("GET", "/v3/auth/domains", null),
        new("GET", "/v3/auth/projects", null),
        new("GET", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/password-policy", 404),
        new("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/password-policy", 404, _ => new { password_policy = new { minimum_password_length = 20 } }),
        new("GET", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/login-policy", 404),
        new("PUT", "/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/login-policy", 404, _ => new { login_policy = new { login_failed_times = 3 } }),

        // Tokens: assuming into B without an agency that trusts A is refused; B's token cannot be inspected by A.
        new("POST", "/v3/auth/tokens", 403, w => new { auth = new { identity = new { methods = new[] { "assume_role" }, assume_role = new { domain_id = w.B.Id, agency_name = "to-c" } } } }),
        new("GET", "/v3/auth/tokens", 401),

        // Account operations have no target: they act on the caller's own account only.
        new("POST", "/v1/accounts", 409, w => new { name = w.B.Name, password = "Account#Pass1", email = "x" + w.B.Name + "@example.com", country = "SG" }),
        new("GET", "/v1/account", null),
        new("PUT", "/v1/account", null, _ => new { }),
        new("POST", "/v1/account/password", 400, _ => new { current_password = "Account#Pass1x", new_password = "Another#Pass1" }),
        new("POST", "/v1/account/close", 401, _ => new { password = "not-the-password" }),
        new("GET", "/v1/sandbox/clock", null),

        // Partners: A is a CSP too, and aims at B's customer, B's partner id and C's pending application.
        new("POST", "/v1/partner-applications", 409, _ => new { program = "csp", company_name = "A again" }),
        new("GET", "/v1/partner-applications", null),
        new("POST", "/v1/partner-applications/{application_id}/approve", 404, _ => new { }),
        new("POST", "/v1/partner-applications/{application_id}/reject", 404, _ => new { reason = "no" }),
        new("GET", "/v1/partner", null),
        new("POST", "/v2/partners/sub-customers", 400, _ => new { domain_name = TestApi.Unique("intruder"), indirect_partner_id = "{indirect_partner_id}" }),
        new("POST", "/v2/partners/sub-customers/users/check-identity", null, _ => new { search_type = "name", search_value = TestApi.Unique("free") }),
        new("POST", "/v2/partners/sub-customers/query", null, _ => new { customer_id = "{customer_id}" }),
        new("POST", "/v2/partners/sub-customers/freeze", 403, _ => new { customer_ids = new[] { "{customer_id}" }, reason = "hostile" }),
        new("POST", "/v2/partners/sub-customers/unfreeze", 403, _ => new { customer_ids = new[] { "{customer_id}" }, reason = "hostile" }),
        new("GET", "/v1/partners/sub-customers/{customer_id}/freeze-records", 403),
        new("POST", "/v2/partners/sub-customers/budget", 403, _ => new { customer_id = "{customer_id}", budget_amount = 1 }),
        new("GET", "/v2/partners/sub-customers/budget", 403, Query: "?customer_id={customer_id}"),
        new("POST", "/v2/partners/sub-customers/budget/query", null, _ => new { customer_ids = new[] { "{customer_id}" } }),
        new("GET", "/v2/partners/sub-customers/budget/records", 403, Query: "?customer_id={customer_id}"),
        new("GET", "/v2/accounts/customer-accounts/expenditure-quota", null),
        new("POST", "/v2/partners/indirect-partners/query", 403, _ => new { indirect_partner_id = "{indirect_partner_id}" }),
        new("GET", "/v1/partners/indirect-partners/{indirect_partner_id}/delegation", 403),
        new("PUT", "/v1/partners/indirect-partners/{indirect_partner_id}/delegation", 403, _ => new { monthly_budget_quota = 10 }),
        new("DELETE", "/v1/partners/indirect-partners/{indirect_partner_id}/delegation", 403),
        new("POST", "/v1/partners/invitations", 409, _ => new { account_name = "{customer_name}" }),
        new("GET", "/v1/partners/invitations", null),
        new("PUT", "/v1/partners/sub-customers/{customer_id}/association-type", 403, _ => new { association_type = "1" }),
        new("DELETE", "/v1/partners/sub-customers/{customer_id}/association", 403),
        new("PUT", "/v1/partners/sub-customers/{customer_id}/account-manager", 403, w => new { user_id = w.A.OwnerUserId }),
        new("POST", "/v1/partners/sub-customers/{customer_id}/authorizations", 403),
        new("GET", "/v1/partners/authorizations", null),
        new("GET", "/v1/partners/notifications", null),
        new("GET", "/v1/customer/partner", null),
        new("DELETE", "/v1/customer/partner", 403),
        new("GET", "/v1/customer/invitations", null),
        new("POST", "/v1/customer/invitations/{invitation_id}/accept", 404),
        new("POST", "/v1/customer/invitations/{invitation_id}/decline", 404),
        new("GET", "/v1/customer/authorizations", null),
        new("POST", "/v1/customer/authorizations/{authorization_id}/accept", 404),
        new("POST", "/v1/customer/authorizations/{authorization_id}/decline", 404),
        new("DELETE", "/v1/customer/authorizations/{authorization_id}", 404),
        new("POST", "/v1/sandbox/clock/advance", 403, _ => new { seconds = 60 }),
        new("POST", "/v1/sandbox/spends", 403, _ => new { customer_id = "{customer_id}", amount = 1 }),
        new("GET", "/v2/accounts/customer-accounts/balances", null),
        new("GET", "/v2/partners/credit/consumption-quota", null),
        new("POST", "/v1/payments/top-ups", null, _ => new { amount = 1m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "cross" }),
        new("GET", "/v1/payments/top-ups", null),
        new("POST", "/v1/operator/balance-adjustments", 403, w => new { customer_id = w.B.Id, amount = 5m, reason = "steal", client_token = "cross" }),
        new("PUT", "/v1/operator/customers/{customer_id}/credit-line", 403, _ => new { credit_amount = 1000m }),
        new("PUT", "/v1/operator/partners/{partner_account_id}/consumption-quota", 403, _ => new { consumption_quota = 1000m }),
        // Partner accounts: A (a CSP, not B's distributor) neither funds, reclaims from nor sees B's customer, reseller or balances.
        new("GET", "/v2/accounts/partner-accounts/balances", 400, Query: "?indirect_partner_id={indirect_partner_id}"),
        new("POST", "/v2/accounts/partner-accounts/adjust-amount", 403, _ => new { customer_id = "{customer_id}", amount = 1m }),
        new("POST", "/v2/accounts/partner-accounts/reclaim", 403, _ => new { customer_id = "{customer_id}", amount = 1m }),
        new("POST", "/v2/accounts/customer-accounts/balances/batch-query", null, _ => new { customer_infos = new[] { new { customer_id = "{customer_id}" } } }),
        new("GET", "/v3/accounts/partner-accounts/adjust-records", null, Query: "?customer_id={customer_id}"),
        new("POST", "/v2/accounts/partner-accounts/indirect-partner-adjust", 400, _ => new { indirect_partner_id = "{indirect_partner_id}", amount = 1m }),
        new("POST", "/v2/accounts/partner-accounts/indirect-partner-reclaim", 400, _ => new { indirect_partner_id = "{indirect_partner_id}", amount = 1m }),
        new("GET", "/v2/accounts/partner-accounts/account-change-records", 400, Query: "?indirect_partner_id={indirect_partner_id}"),
        new("PUT", "/v1/operator/partners/{partner_account_id}/credit-line", 403, _ => new { credit_amount = 1000m, expire_time = "2100-01-01T00:00:00Z" }),
        // Enterprise funds and coupons: A is no master of B's (CBC.7001): it moves nothing to or from B and reads nothing of it.
        new("POST", "/v2/enterprises/multi-accounts/transfer-amount", 400, _ => new { customer_id = "{domain_id}", amount = "1" }),
        new("POST", "/v2/enterprises/multi-accounts/retrieve-amount", 400, _ => new { customer_id = "{domain_id}", amount = "1" }),
        new("GET", "/v2/enterprises/multi-accounts/transfer-amount", 400),
        new("GET", "/v2/enterprises/multi-accounts/retrieve-amount", 400, Query: "?sub_customer_id={domain_id}"),
        new("POST", "/v2/enterprises/multi-accounts/transfer-coupon", 400, _ => new { customer_id = "{domain_id}", coupon_id = "{coupon_id}", amount = "1" }),
        new("POST", "/v2/enterprises/multi-accounts/retrieve-coupon", 400, _ => new { customer_id = "{domain_id}", coupon_id = "{coupon_id}", sub_coupon_id = "{coupon_id}" }),
        new("GET", "/v2/enterprises/multi-accounts/transfer-coupons", 400),
        new("GET", "/v2/enterprises/multi-accounts/retrieve-coupons", 400, Query: "?sub_customer_id={domain_id}"),
        // Revenue: A reads and sets only its own; B's customer's invoice is not A's to download; rates are the operator's.
        new("GET", "/v2/products/incentive-discount-policies", null),
        new("GET", "/v1/partners/revenue", null),
        new("GET", "/v1/partners/revenue/{month}", null),
        new("GET", "/v1/partners/revenue/{month}/export", null, Query: "?format=csv"),
        new("GET", "/v1/partners/revenue-goal", null),
        new("PUT", "/v1/partners/revenue-goal", null, _ => new { amount = 1000m }),
        new("GET", "/v1/customer-invoices/{month}/export", 403, Query: "?format=csv&customer_id={customer_id}"),
        new("GET", "/v1/operator/incentive-rates", 403),
        new("PUT", "/v1/operator/incentive-rates", 403, _ => new { program = "CloudSolutionProvider", rate = 0.5m }),

        new("POST", "/v2/partners/coupon-quotas/query", null, _ => new { quota_ids = new[] { "{quota_id}" } }),
        new("POST", "/v2/partners/coupon-quotas/indirect-partner-adjust", 400, _ => new { quota_id = "{quota_id}", indirect_partner_ids = new[] { "{indirect_partner_id}" }, quota_amount = 1m }),
        new("POST", "/v2/partners/coupon-quotas/indirect-partner-reclaim", 400, _ => new { quota_ids = new[] { "{quota_id}" } }),
        new("GET", "/v2/partners/issued-coupon-quotas", 400, Query: "?quota_id={quota_id}"),
        new("GET", "/v2/partners/coupon-quotas/records", 400, Query: "?quota_id={quota_id}"),
        new("POST", "/v2/promotions/benefits/partner-coupons", 400, _ => new { quota_id = "{quota_id}", customer_ids = new[] { "{customer_id}" }, face_value = 1m }),
        new("GET", "/v2/promotions/benefits/partner-coupons", null, Query: "?coupon_id={coupon_id}&customer_id={customer_id}"),
        new("POST", "/v2/promotions/benefits/partner-coupons/reclaim", 400, _ => new { coupon_id = "{coupon_id}" }),
        new("GET", "/v2/promotions/benefits/partner-coupons/records/query", null, Query: "?coupon_ids={coupon_id}"),
        new("GET", "/v2/promotions/benefits/coupons", null, Query: "?coupon_id={coupon_id}"),
        new("GET", "/v2/promotions/benefits/account-change-records", null, Query: "?coupon_id={coupon_id}"),
        new("GET", "/v2/orders/customer-orders/order-coupons", null, Query: "?order_id={order_id}"),
        new("POST", "/v1/operator/partners/{partner_account_id}/coupon-quotas", 403, _ => new { quota_value = 100m, expire_time = "2100-01-01T00:00:00Z" }),
        new("POST", "/v1/operator/partners/{partner_account_id}/test-coupons", 403, _ => new { face_value = 100m, expire_time = "2100-01-01T00:00:00Z" }),
        new("POST", "/v1/orders", 403, _ => new { customer_id = "{customer_id}", client_token = "cross", product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } } }),
        new("GET", "/v2/orders/customer-orders", 403, Query: "?customer_id={customer_id}"),
        new("GET", "/v2/orders/customer-orders/details/{order_id}", 400),
        new("PUT", "/v2/orders/customer-orders/cancel", 400, _ => new { order_id = "{order_id}" }),
        new("GET", "/v2/orders/customer-orders/order-discounts", 400, Query: "?order_id={order_id}"),
        new("POST", "/v3/orders/customer-orders/pay", 400, _ => new { order_id = "{order_id}", use_coupon = "NO", use_discount = "NO" }),
        new("POST", "/v2/orders/suscriptions/resources/query", 403, _ => new { customer_id = "{customer_id}" }),
        new("POST", "/v2/orders/subscriptions/resources/renew", 400, _ => new { resource_ids = new[] { "{resource_id}" }, period_type = 2, period_num = 1, is_auto_pay = 1 }),
        new("POST", "/v2/orders/subscriptions/resources/autorenew/{resource_id}", 400, _ => new { }),
        new("DELETE", "/v2/orders/subscriptions/resources/autorenew/{resource_id}", 400),
        new("POST", "/v2/orders/subscriptions/resources/renew/config", null, _ => new { config_name = "DEDUCTION_DATE", config_value = 5 }),
        new("POST", "/v2/orders/subscriptions/resources/to-on-demand", 400, _ => new { operation = "SET_UP", resource_ids = new[] { "{resource_id}" } }),
        new("POST", "/v2/orders/subscriptions/resources/to-on-demand/instantly", 400, _ => new { resource_ids = new[] { "{resource_id}" } }),
        new("POST", "/v2/orders/subscriptions/resources/unsubscribe", 400, _ => new { resource_ids = new[] { "{resource_id}" }, unsubscribe_type = 1 }),
        new("GET", "/v2/orders/customer-orders/refund-orders", 400, Query: "?order_id={order_id}"),
        new("POST", "/v2/bills/ratings/period-resources/renew-rate", 400, _ => new { resource_ids = new[] { "{resource_id}" }, period_type = 2, period_num = 1 }),

        // Pay-per-use: only the operator reports usage and grants free resources; A sees none of B's customer's
        // pay-per-use resources and none of B's free resources.
        new("POST", "/v1/usage-records", 403, _ => new { records = new[] { new { record_id = "a-1", resource_id = "{resource_id}", usage_factor = "Duration", usage_value = 1, usage_measure_id = 4, begin_time = "2026-01-01T00:00:00Z", end_time = "2026-01-01T01:00:00Z" } } }),
        new("POST", "/v1/free-resource-packages", 403, _ => new { customer_id = "{domain_id}", service_type_code = "hws.service.type.ec2", resource_type_code = "hws.resource.type.vm", region_code = "ap-southeast-1", usage_factor = "Duration", amount = 10 }),
        new("POST", "/v2/partners/sub-customers/on-demand-resources/query", 403, _ => new { customer_id = "{customer_id}" }),
        new("POST", "/v3/payments/free-resources/query", null, _ => new { }),
        new("POST", "/v2/payments/free-resources/usages/details/query", null, _ => new { free_resource_ids = new[] { "{resource_id}" } }),

        // Customers' bills: A (a partner too) reads none of B's customer's bills; its own views hold nothing of B's.
        new("GET", "/v2/bills/customer-bills/monthly-sum", 403, Query: "?bill_cycle={cycle}&method=sub_customer&sub_customer_id={customer_id}"),
        new("GET", "/v2/bills/customer-bills/res-fee-records", 403, Query: "?cycle={cycle}&method=sub_customer&sub_customer_id={customer_id}"),
        new("GET", "/v2/bills/partner-bills/subcustomer-bills/monthly-sum", 403, Query: "?cycle={cycle}&customer_id={customer_id}"),
        new("POST", "/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query", null, _ => new { bill_cycle = "{cycle}" }),
        new("POST", "/v2/bills/customer-bills/res-records/query", 403, _ => new { cycle = "{cycle}", method = "sub_customer", sub_customer_id = "{customer_id}" }),
        new("GET", "/v2/bills/subcustomer-bills/res-fee-records", 403, Query: "?bill_cycle={cycle}&customer_id={customer_id}"),
        new("GET", "/v2/accounts/customer-accounts/account-change-records", null, Query: "?balance_type=BALANCE_TYPE_DEBIT&trade_id={order_id}"),
        new("GET", "/v2/bills/customer-bills/fee-records", 403, Query: "?bill_cycle={cycle}&method=sub_customer&sub_customer_id={customer_id}"),
        new("GET", "/v2/costs/cost-analysed-bills/monthly-breakdown", 403, Query: "?shared_month={cycle}&method=sub_customer&sub_customer_id={customer_id}"),
        // Usage and costs answer the caller's own only (no customer parameter): nothing of B's customer's resource.
        new("GET", "/v2/bills/customer-bills/resources/usage/details", null, Query: "?bill_cycle={cycle}&resource_id={resource_id}"),
        new("GET", "/v2/bills/customer-bills/resources/usage/summary", null, Query: "?bill_cycle={cycle}"),
        new("GET", "/v2/bills/customer-bills/free-resources-usage-records", null, Query: "?resource_type_code=hws.resource.type.vm"),
        new("POST", "/v4/costs/cost-analysed-bills/query", null, _ => new { time_condition = new { time_measure_id = 2, begin_time = "{cycle}", end_time = "{cycle}" },
            groupby = new[] { new { type = "dimension", key = "RESOURCE_ID" } } }),

        // Catalog and rating: the catalog is public to every signed-in caller; A cannot rate in B's project, change the
        // catalog, or touch B's discounts and settlement terms.
        new("GET", "/v2/products/service-types", null),
        new("GET", "/v2/products/resource-types", null),
        new("GET", "/v2/products/service-resources", null, Query: "?service_type_code=hws.service.type.ec2"),
        new("GET", "/v2/products/usage-types", null),
        new("POST", "/v2/products/resource-specs-query", null, _ => new { resource_type = "hws.resource.type.ip" }),
        new("GET", "/v2/bases/measurements", null),
        new("GET", "/v2/bases/conversions", null),
        new("POST", "/v1/catalog/import", 403, _ => new { }),
        new("GET", "/v1/catalog/export", 403),
        new("POST", "/v1/catalog/specs/{spec_id}/price-versions", 403, _ => new { effective_from = "2030-01-01T00:00:00Z", period_prices = new { month = 0.01m } }),
        new("POST", "/v2/bills/ratings/period-resources/subscribe-rate", 400, _ => new
        {
            project_id = "{project_id}",
            product_infos = new[] { new { id = "1", cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-2", period_type = 2, period_num = 1, subscription_num = 1 } },
        }),
        new("POST", "/v2/bills/ratings/on-demand-resources", 400, _ => new
        {
            project_id = "{project_id}",
            product_infos = new[] { new { id = "1", cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-2", usage_factor = "Duration", usage_value = 1, usage_measure_id = 4 } },
        }),
        new("POST", "/v1/partners/discounts", 403, _ => new { customer_id = "{customer_id}", discount_rate = 0.5m }),
        new("GET", "/v1/partners/discounts", null, Query: "?customer_id={customer_id}&include_revoked=true"),
        new("DELETE", "/v1/partners/discounts/{discount_id}", 404),
        new("POST", "/v1/commercial-discounts", 403, _ => new { customer_id = "{customer_id}", discount_rate = 0.5m }),
        new("GET", "/v1/commercial-discounts", 403),
        new("DELETE", "/v1/commercial-discounts/{discount_id}", 403),
        new("PUT", "/v1/partners/{partner_id}/settlement-discount", 403, _ => new { discount_rate = 0.9m }),
        new("GET", "/v1/partners/{partner_id}/settlement-discount", 403),
        new("GET", "/v1/partner/settlement-discount", null),
        new("POST", "/v1/tickets", null, _ => new { type = "other", title = "A's own", description = "d" }),
        new("GET", "/v1/tickets", null, Query: "?side=assigned"),
        new("GET", "/v1/tickets/{ticket_id}", 404),
        new("POST", "/v1/tickets/{ticket_id}/messages", 404, _ => new { message = "hello B" }),
        new("POST", "/v1/tickets/{ticket_id}/accept", 404),
        new("POST", "/v1/tickets/{ticket_id}/resolve", 404),
        new("POST", "/v1/tickets/{ticket_id}/close", 404),
        new("POST", "/v1/tickets/{ticket_id}/cancel", 404),
        new("POST", "/v1/tickets/{ticket_id}/urge", 404),
        new("POST", "/v1/tickets/{ticket_id}/rating", 404, _ => new { score = 1 }),
        new("POST", "/v1/tickets/{ticket_id}/attachments", 404, _ => "not B's", Query: "?file_name=a.txt"),
        new("GET", "/v1/tickets/{ticket_id}/attachments/{attachment_id}", 404),

        // Bills: A is a partner too and sees only its own bills and money; B's bill is not found; the operator's tools refuse A.
        new("GET", "/v2/bills/partner-bills/postpaid-bill-summary", 400, Query: "?bill_cycle={bill_cycle}"),
        new("GET", "/v1/partner-bills", null),
        new("GET", "/v1/partner-bills/amount-due", null),
        new("GET", "/v1/partner-bills/unpaid", null),
        new("GET", "/v1/partner-bills/payments", null),
        new("GET", "/v1/partner-bills/{bill_id}", 404),
        new("GET", "/v1/partner-bills/{bill_id}/export", 404, Query: "?format=pdf"),
        new("GET", "/v1/customer-statements/{bill_cycle}/export", 403, Query: "?format=csv&customer_id={customer_id}"),
        new("GET", "/v1.0/{domain_id}/payments/intl-invoices", 403, Query: "?start_time=2000-01-01T00:00:00Z&end_time=2100-01-01T00:00:00Z&offset=1&limit=10"),
        new("POST", "/v1/partner-bills/repayments", 400, _ => new { amount = 1m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "cross" }),
        new("POST", "/v1/partner-account/top-ups", null, _ => new { amount = 1m, card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" }, client_token = "cross" }),
        new("GET", "/v1/partner-account/statements", null),
        new("GET", "/v1/partner-account/card", null),
        new("PUT", "/v1/partner-account/card", null, _ => new { card = new { number = "4242424242424242", expiry_month = 12, expiry_year = 2031, cvc = "123" } }),
        new("DELETE", "/v1/partner-account/card", null),
        new("GET", "/v1/operator/bill-runs", 403),
        new("POST", "/v1/operator/bill-runs/drafts", 403, _ => new { bill_cycle = "{bill_cycle}" }),
        new("GET", "/v1/operator/bill-runs/{bill_cycle}/bills", 403),
        new("GET", "/v1/operator/tax-rates", 403),
        new("PUT", "/v1/operator/tax-rates/{country}", 403, _ => new { rate = 0.5m }),
        new("GET", "/v1/operator/billing-settings", 403),
        new("PUT", "/v1/operator/billing-settings", 403, _ => new { due_days = 1 }),
        new("POST", "/v1/operator/partner-bill-adjustments", 403, w => new { partner_account_id = w.B.Id, amount = -100m, reason = "steal", client_token = "cross" }),
        new("GET", "/v1/operator/overdue-partners", 403),
        new("POST", "/v1/operator/bank-transfers/{ticket_id}/confirm", 403),

        // Enterprise Center: A is a partner, so no master; E's organization is refused to it, and E's invitation is not A's to answer.
        new("GET", "/v2/enterprises/multi-accounts/enterprise-organizations", 403, Query: "?parent_id={unit_id}&recursive_query=1"),
        new("GET", "/v2/enterprises/multi-accounts/sub-customers", 403, Query: "?org_id={unit_id}"),
        new("POST", "/v2/enterprises/multi-accounts/sub-customers", 403, _ => new { party_id = "{unit_id}", new_sub_customer = new { customer_name = "intruder1", mobile_phone = "13800000000", password = "Member#Pass123", verification_code = "123456" } }),
        new("POST", "/v2/enterprises/multi-accounts/sm-verification-code", 403, _ => new { mobile_phone = "13800000000" }),
        new("POST", "/v1/enterprise/enable", 400),
        new("GET", "/v1/enterprise", null),
        new("POST", "/v1/enterprise/units", 403, _ => new { name = "intruders", parent_id = "{unit_id}" }),
        new("PUT", "/v1/enterprise/units/{unit_id}", 403, _ => new { name = "hacked" }),
        new("DELETE", "/v1/enterprise/units/{unit_id}", 403),
        new("POST", "/v1/enterprise/invitations", 403, _ => new { account_name = "{customer_name}", unit_id = "{unit_id}" }),
        new("GET", "/v1/enterprise/invitations", 403),
        new("POST", "/v1/enterprise/invitations/{enterprise_invitation_id}/cancel", 403),
        new("PUT", "/v1/enterprise/members/{sub_customer_id}/unit", 403, _ => new { unit_id = "{unit_id}" }),
        new("DELETE", "/v1/enterprise/members/{sub_customer_id}", 403),
        new("GET", "/v1/enterprise/events", null),
        new("GET", "/v1/enterprise/received-invitations", null),
        new("POST", "/v1/enterprise/received-invitations/{enterprise_invitation_id}/accept", 404),
        new("POST", "/v1/enterprise/received-invitations/{enterprise_invitation_id}/decline", 404),

        // The partner network: A (a member through its program) works on its own standing; the reviews are the operator's.
        new("GET", "/v1/partner-network", null),
        new("POST", "/v1/partner-network/applications", 409, _ => new { company_name = "A again", country = "SG", address = "A street", industry = "other", company_size = "1-49",
            contact_name = "A", contact_email = "a@example.com", contact_phone = "+65-81234567",
            agreements = Core.PartnerNetwork.NetworkCatalog.JoinAgreements.Select(x => new { code = x.Code, version = x.Version }) }),
        new("GET", "/v1/partner-network/business-information", null),
        new("POST", "/v1/partner-network/business-information", null, w => World.BusinessInformation(w.A.Name + " Ltd.")),
        new("GET", "/v1/partner-network/payment-information", null),
        new("PUT", "/v1/partner-network/payment-information", null, _ => new { tax_rate = 5 }),
        new("GET", "/v1/operator/partner-network/applications", 403),
        new("POST", "/v1/operator/partner-network/applications/{network_application_id}/approve", 404),
        new("POST", "/v1/operator/partner-network/applications/{network_application_id}/reject", 404, _ => new { reason = "no" }),
        new("GET", "/v1/operator/partner-network/business-information", 403),
        new("POST", "/v1/operator/partner-network/business-information/{submission_id}/approve", 404),
        new("POST", "/v1/operator/partner-network/business-information/{submission_id}/reject", 404, _ => new { reason = "no" }),
        new("GET", "/v1/operator/incentive-settlements/{month}", 403),
    ];

    public static IEnumerable<object[]> CaseKeys() => Cases.Select(c => new object[] { c.Method + " " + c.Template });

    [Theory]
    [MemberData(nameof(CaseKeys))]
    public async Task Account_a_cannot_read_or_change_account_bs_data(string key)
    {
        var c = Cases.Single(x => x.Method + " " + x.Template == key);
        var request = new HttpRequestMessage(new HttpMethod(c.Method), w.Fill(c.Template) + (c.Query is null ? "" : w.Fill(c.Query)));
        request.Headers.Add("X-Auth-Token", w.A.Token);
        if (c.Template == "/v3/auth/tokens" && c.Method == "GET") request.Headers.Add("X-Subject-Token", w.B.Token);
        if (c.Body?.Invoke(w) is { } body)
            request.Content = new StringContent(w.Fill(System.Text.Json.JsonSerializer.Serialize(body)), System.Text.Encoding.UTF8, "application/json");
        var response = await w.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        if (c.Status is { } status) Assert.True((int)response.StatusCode == status, $"{key}: expected {status}, got {(int)response.StatusCode} {text}");
        else Assert.True(response.IsSuccessStatusCode, $"{key}: expected success on A's own data, got {(int)response.StatusCode} {text}");
        foreach (var secret in w.SecretsOfB) Assert.DoesNotContain(secret, text);
        Assert.False(response.Headers.Contains("X-Subject-Token") && c.Method == "POST", "no token may be issued into B");

        // B is unchanged: its user, group, grant, policy, agency and key are all still there as they were.
        Assert.Equal(HttpStatusCode.OK, (await w.SendAsync(HttpMethod.Get, $"/v3/users/{w.BUser}", w.B.Token)).StatusCode);
        var user = await (await w.SendAsync(HttpMethod.Get, $"/v3.0/OS-USER/users/{w.BUser}", w.B.Token)).JsonAsync();
        Assert.True(user["user"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("", user["user"]!["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await w.SendAsync(HttpMethod.Head, $"/v3/groups/{w.BGroup}/users/{w.BUser}", w.B.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await w.SendAsync(HttpMethod.Head, $"/v3/domains/{w.B.Id}/groups/{w.BGroup}/roles/{w.BPolicy}", w.B.Token)).StatusCode);
        var agency = await (await w.SendAsync(HttpMethod.Get, $"/v3.0/OS-AGENCY/agencies/{w.BAgency}", w.B.Token)).JsonAsync();
        Assert.Equal(w.C.Id, agency["agency"]!["trust_domain_id"]!.GetValue<string>());
        var keyState = await (await w.SendAsync(HttpMethod.Get, $"/v3.0/OS-CREDENTIAL/credentials/{w.B.AccessKey}", w.B.Token)).JsonAsync();
        Assert.Equal("active", keyState["credential"]!["status"]!.GetValue<string>());
        var policy = await (await w.SendAsync(HttpMethod.Get, $"/v3.0/OS-SECURITYPOLICY/domains/{w.B.Id}/password-policy", w.B.Token)).JsonAsync();
        Assert.Equal(8, policy["password_policy"]!["minimum_password_length"]!.GetValue<int>());
        var budget = await (await w.SendAsync(HttpMethod.Get, $"/v2/partners/sub-customers/budget?customer_id={w.BCustomer}", w.B.Token)).JsonAsync();
        Assert.Equal(77m, budget["budget_amount"]!.GetValue<decimal>());
        var customers = await (await w.SendAsync(HttpMethod.Post, "/v2/partners/sub-customers/query", w.B.Token, new { customer_id = w.BCustomer })).JsonAsync();
        Assert.Equal(0, customers["customer_infos"]![0]!["is_frozen"]!.GetValue<int>());
        Assert.Equal("3", customers["customer_infos"]![0]!["association_type"]!.GetValue<string>());
        var invitations = await (await w.SendAsync(HttpMethod.Get, "/v1/partners/invitations", w.B.Token)).JsonAsync();
        Assert.Equal("pending", invitations["invitations"]![0]!["status"]!.GetValue<string>());
        var authorizations = await (await w.SendAsync(HttpMethod.Get, "/v1/partners/authorizations", w.B.Token)).JsonAsync();
        Assert.Equal("pending", authorizations["authorizations"]![0]!["status"]!.GetValue<string>());
        var discounts = await (await w.SendAsync(HttpMethod.Get, "/v1/partners/discounts", w.B.Token)).JsonAsync();
        Assert.Equal(0.1m, Assert.Single(discounts["discounts"]!.AsArray())!["discount_rate"]!.GetValue<decimal>());
        var ticket = await (await w.SendAsync(HttpMethod.Get, $"/v1/tickets/{w.BTicket}", w.B.Token)).JsonAsync();
        Assert.Equal((0, 0, 0, 1), (ticket["ticket"]!["status"]!.GetValue<int>(), ticket["ticket"]!["urge_count"]!.GetValue<int>(),
            ticket["messages"]!.AsArray().Count, ticket["attachments"]!.AsArray().Count));
        var settlement = await (await w.SendAsync(HttpMethod.Get, "/v1/partner/settlement-discount", w.B.Token)).JsonAsync();
        Assert.Equal(0m, settlement["discount_rate"]!.GetValue<decimal>());
    }

    [Fact]
    public void Every_api_endpoint_declares_its_action_and_has_a_cross_account_case()
    {
        var covered = Cases.Select(c => c.Method + " " + c.Template).ToHashSet();
        var problems = new List<string>();
        var routes = new HashSet<string>();
        foreach (var endpoint in w.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!pattern.StartsWith("/v1/") && !pattern.StartsWith("/v1.0/") && !pattern.StartsWith("/v2/") && !pattern.StartsWith("/v3") && !pattern.StartsWith("/v4/")) continue;
            var hasAction = endpoint.Metadata.GetMetadata<RequiredAction>() is not null || endpoint.Metadata.GetMetadata<AnonymousApi>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
            {
                if (!hasAction) problems.Add($"{method} {pattern}: no declared action (.Action(...) or .Anonymous())");
                if (!covered.Contains(method + " " + pattern)) problems.Add($"{method} {pattern}: no cross-account case");
                routes.Add(method + " " + pattern);
            }
        }
        problems.AddRange(covered.Except(routes).Select(c => $"{c}: a case for an endpoint that does not exist"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
