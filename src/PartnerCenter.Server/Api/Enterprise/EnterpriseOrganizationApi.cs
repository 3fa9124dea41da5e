using PartnerCenter.Core.Enterprise;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Enterprise;

/// <summary>EmChildNodeV2: a unit and, for a recursive listing, the units under it. relation_id is the unit's own id (a unit has one parent).</summary>
public sealed record EmChildNode(string RelationId, string Id, string Name, List<EmChildNode>? ChildNodes);
/// <summary>root_id and root_name only when listing from the root, as documented.</summary>
public sealed record ListEnterpriseOrganizationsResponse(string? RootId, string? RootName, List<EmChildNode> ChildNodes);

public sealed record SubCustomerInfoV2(string Id, string Name, string DisplayName, int Status, string OrgId, string OrgName);
public sealed record ListEnterpriseSubCustomersResponse(int TotalCount, List<SubCustomerInfoV2> SubCustomerInfos);

public sealed record NewSubCustomerFields(string? CustomerName, string? MobilePhone, string? UsePriMobilePhone, string? Password, string? VerificationCode);
public sealed record CreateSubEnterpriseAccountRequest(string? PartyId, string? DisplayName, int? SubCustomerAssociationType, List<string?>? PermissionIds,
    NewSubCustomerFields? NewSubCustomer, int? FinancialCustody);
/// <summary>The SDK keeps this body raw; it names the new member account.</summary>
public sealed record CreateSubEnterpriseAccountResponse(string SubCustomerId, string SubCustomerName);

public sealed record SendSmVerificationCodeRequest(string? MobilePhone, int? Timeout, string? Language, List<SmsTemplateArg?>? SmTemplateArgs);

public sealed record UnitRequest(string? Name, string? ParentId);
public sealed record UnitResponse(string Id, string Name, string? ParentId);
public sealed record EnterpriseInvitationRequest(string? AccountName, string? UnitId, int? FinancialCustody);
public sealed record MoveMemberRequest(string? UnitId);

/// <summary>
/// Enterprise Center's organization and members: Huawei's four operations under /v2/enterprises/multi-accounts, and our
/// own /v1/enterprise operations where the public API has none (enabling, units, invitations, moving and removing).
/// </summary>
public static class EnterpriseOrganizationApi
{
    public static void MapEnterpriseOrganizationApi(this IEndpointRouteBuilder app)
    {
        var huawei = app.MapGroup("/v2/enterprises/multi-accounts").WithTags("Enterprise Center");
        huawei.MapGet("/enterprise-organizations", async (HttpContext http, EnterpriseOrganization service, string? recursive_query, string? parent_id) =>
        {
            var listing = await service.ListAsync(http.Caller(), parent_id, Int(recursive_query, "recursive_query"), http.RequestAborted);
            return TypedResults.Ok(new ListEnterpriseOrganizationsResponse(listing.Root?.Id, listing.Root?.Name, Nodes(listing.Nodes)!));
        }).Action(EnterpriseActions.View).WithName("ListEnterpriseOrganizations")
            .WithSummary("The units under parent_id (empty: the root), direct children only unless recursive_query is 1.");

        huawei.MapGet("/sub-customers", async (HttpContext http, EnterpriseMembers service, string? sub_customer_account_name, string? sub_customer_display_name,
            string? fuzzy_query, string? offset, string? limit, string? org_id) =>
        {
            var filter = new MemberFilter(sub_customer_account_name, sub_customer_display_name, Int(fuzzy_query, "fuzzy_query"), org_id, Int(offset, "offset"), Int(limit, "limit"));
            var (items, total) = await service.ListAsync(http.Caller(), filter, http.RequestAborted);
            return TypedResults.Ok(new ListEnterpriseSubCustomersResponse(total,
                items.Select(v => new SubCustomerInfoV2(v.Member.MemberAccountId, v.AccountName, v.Member.DisplayName, v.Status, v.Member.UnitId, v.UnitName)).ToList()));
        }).Action(EnterpriseActions.View).WithName("ListEnterpriseSubCustomers")
            .WithSummary("The master's members; names match exactly, or contain the text with fuzzy_query 1; org_id narrows to one unit.");

        huawei.MapPost("/sub-customers", async (HttpContext http, EnterpriseMembers service, CreateSubEnterpriseAccountRequest body) =>
        {
            var n = body.NewSubCustomer ?? throw PartnerCenter.Core.Common.Check.Invalid("new_sub_customer is required.");
            var account = await service.CreateAsync(http.Caller(), new NewEnterpriseMember(body.PartyId, body.DisplayName, body.SubCustomerAssociationType, body.PermissionIds,
                body.FinancialCustody, n.CustomerName, n.MobilePhone, n.UsePriMobilePhone, n.Password, n.VerificationCode), http.RequestAborted);
            return TypedResults.Ok(new CreateSubEnterpriseAccountResponse(account.Id, account.Name));
        }).Action(EnterpriseActions.ManageMembers).WithName("CreateSubEnterpriseAccount")
            .WithSummary("Creates a member account of the same legal entity in party_id; the verification code comes from SendSmsVerificationCode. financial_custody 1 grants the three custody permissions.");

        huawei.MapPost("/sm-verification-code", async (HttpContext http, EnterpriseSmsCodes service, SendSmVerificationCodeRequest body) =>
        {
            await service.SendAsync(http.Caller(), body.MobilePhone, body.Timeout, body.Language, body.SmTemplateArgs, http.RequestAborted);
            return Results.NoContent();
        }).Action(EnterpriseActions.ManageMembers).WithName("SendSmsVerificationCode")
            .WithSummary("Sends a 6-digit code to mobile_phone for CreateSubEnterpriseAccount (through the outbox, addressed sms:+country-number); at most 5 an hour per number (CBC.99000082).");

        var own = app.MapGroup("/v1/enterprise").WithTags("Enterprise Center");
        own.MapPost("/enable", async (HttpContext http, EnterpriseCenter service) =>
        {
            var master = await service.EnableAsync(http.Caller(), http.RequestAborted);
            return Results.Json(new { domain_id = master.AccountId, root_id = master.RootUnitId, enabled_at = UtcText(master.EnabledAt) }, statusCode: StatusCodes.Status201Created);
        }).Action(EnterpriseActions.Enable).WithName("EnableEnterpriseCenter")
            .WithSummary("The caller's enterprise account becomes a master with a root unit; refused for an individual account, a partner, a member of another organization, a master.");
        own.MapGet("", async (HttpContext http, EnterpriseCenter service) =>
        {
            var s = await service.StandingAsync(http.Caller(), http.RequestAborted);
            return Results.Ok(new
            {
                role = s.Master is not null ? "master" : s.Membership is not null ? "member" : "none",
                root_id = s.Master?.RootUnitId,
                master_id = s.Master?.AccountId ?? s.Membership?.MasterAccountId,
                master_name = s.MasterName,
                org_id = s.Membership?.UnitId,
                org_name = s.UnitName,
                financial_custody = s.Membership is null ? (int?)null : s.Membership.FinancialCustody ? 1 : 0,
                can_enable = s.Master is null && s.Membership is null && s.WhyNotEligible is null,
                why_not = s.WhyNotEligible,
            });
        }).Action(EnterpriseActions.ViewMyOrganization).WithName("ShowEnterpriseStanding").WithSummary("Whether the caller's account is a master, a member (of which unit), or may enable Enterprise Center.");

        own.MapPost("/units", async (HttpContext http, EnterpriseOrganization service, UnitRequest body) =>
            Results.Json(Unit(await service.CreateUnitAsync(http.Caller(), body.ParentId, body.Name, http.RequestAborted)), statusCode: StatusCodes.Status201Created))
            .Action(EnterpriseActions.ManageOrganization).WithName("CreateEnterpriseUnit").WithSummary("A unit under parent_id (empty: the root); names are unique under one parent.");
        own.MapPut("/units/{unit_id}", async (HttpContext http, EnterpriseOrganization service, string unit_id, UnitRequest body) =>
        {
            if (body.Name is null && body.ParentId is null) throw PartnerCenter.Core.Common.Check.Invalid("name or parent_id is required.");
            var unit = body.Name is null ? null : await service.RenameUnitAsync(http.Caller(), unit_id, body.Name, http.RequestAborted);
            if (body.ParentId is not null) unit = await service.MoveUnitAsync(http.Caller(), unit_id, body.ParentId, http.RequestAborted);
            return Results.Ok(Unit(unit!));
        }).Action(EnterpriseActions.ManageOrganization).WithName("UpdateEnterpriseUnit").WithSummary("Renames (name) and/or moves (parent_id) a unit; never under itself, never the root.");
        own.MapDelete("/units/{unit_id}", async (HttpContext http, EnterpriseOrganization service, string unit_id) =>
        {
            await service.DeleteUnitAsync(http.Caller(), unit_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(EnterpriseActions.ManageOrganization).WithName("DeleteEnterpriseUnit").WithSummary("Only a unit with no units, members or pending invitations under it; never the root.");

        own.MapPost("/invitations", async (HttpContext http, EnterpriseMembers service, EnterpriseInvitationRequest body) =>
        {
            if (body.FinancialCustody is not (null or 0 or 1)) throw PartnerCenter.Core.Common.Check.Invalid("financial_custody must be 0 or 1.");
            var i = await service.InviteAsync(http.Caller(), body.AccountName, body.UnitId, body.FinancialCustody == 1, http.RequestAborted);
            return Results.Json(new { invitation_id = i.Id, unit_id = i.UnitId, expires_at = UtcText(i.ExpiresAt), requirements = EnterpriseMembers.JoinRequirements },
                statusCode: StatusCodes.Status201Created);
        }).Action(EnterpriseActions.ManageMembers).WithName("InviteEnterpriseMember")
            .WithSummary("Invites an existing account to a unit (empty: the root); it must meet the requirements now and when it accepts, within 15 days.");
        own.MapGet("/invitations", async (HttpContext http, EnterpriseMembers service) =>
            Results.Ok(new { invitations = (await service.SentInvitationsAsync(http.Caller(), http.RequestAborted)).Select(Invitation) }))
            .Action(EnterpriseActions.View).WithName("ListEnterpriseInvitations");
        own.MapPost("/invitations/{enterprise_invitation_id}/cancel", async (HttpContext http, EnterpriseMembers service, string enterprise_invitation_id) =>
        {
            await service.CancelInvitationAsync(http.Caller(), enterprise_invitation_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(EnterpriseActions.ManageMembers).WithName("CancelEnterpriseInvitation")
            .WithSummary("Withdraws an invitation the master sent that is still pending; an answered or expired one cannot be cancelled (CBC.99007132).");
        own.MapPut("/members/{sub_customer_id}/unit", async (HttpContext http, EnterpriseMembers service, string sub_customer_id, MoveMemberRequest body) =>
        {
            var m = await service.MoveAsync(http.Caller(), sub_customer_id, body.UnitId, http.RequestAborted);
            return Results.Ok(new { sub_customer_id = m.MemberAccountId, org_id = m.UnitId });
        }).Action(EnterpriseActions.ManageMembers).WithName("MoveEnterpriseMember");
        own.MapDelete("/members/{sub_customer_id}", async (HttpContext http, EnterpriseMembers service, string sub_customer_id) =>
        {
            await service.RemoveAsync(http.Caller(), sub_customer_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(EnterpriseActions.ManageMembers).WithName("RemoveEnterpriseMember")
            .WithSummary("The account leaves the organization and carries on independent; refused while it is held (custody orders pending payment, money or coupons not retrieved).");
        own.MapGet("/events", async (HttpContext http, EnterpriseMembers service) =>
            Results.Ok(new
            {
                events = (await service.EventsAsync(http.Caller(), http.RequestAborted))
                    .Select(e => new { kind = e.Kind, message = e.Message, master_id = e.MasterAccountId, created_at = UtcText(e.CreatedAt) }),
            })).Action(EnterpriseActions.ViewMyOrganization).WithName("ListEnterpriseEvents");

        own.MapGet("/received-invitations", async (HttpContext http, EnterpriseMembers service) =>
            Results.Ok(new { invitations = (await service.ReceivedInvitationsAsync(http.Caller(), http.RequestAborted)).Select(Invitation) }))
            .Action(EnterpriseActions.ViewMyOrganization).WithName("ListReceivedEnterpriseInvitations");
        own.MapPost("/received-invitations/{enterprise_invitation_id}/accept", async (HttpContext http, EnterpriseMembers service, string enterprise_invitation_id) =>
        {
            var m = await service.AcceptAsync(http.Caller(), enterprise_invitation_id, http.RequestAborted);
            return Results.Ok(new { master_id = m.MasterAccountId, org_id = m.UnitId, financial_custody = m.FinancialCustody ? 1 : 0 });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("AcceptEnterpriseInvitation").WithSummary("The account's owner only.");
        own.MapPost("/received-invitations/{enterprise_invitation_id}/decline", async (HttpContext http, EnterpriseMembers service, string enterprise_invitation_id) =>
        {
            await service.DeclineAsync(http.Caller(), enterprise_invitation_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(CallerAccess.AuthenticatedOnly).WithName("DeclineEnterpriseInvitation").WithSummary("The account's owner only; the account stays independent.");
    }

    /// <summary>An integer query parameter read here, so a malformed one is refused naming it (the SDK sends these as numbers).</summary>
    static int? Int(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw PartnerCenter.Core.Common.Check.Invalid($"{field} must be an integer.");

    static List<EmChildNode>? Nodes(IReadOnlyList<UnitNode> nodes) =>
        nodes.Select(n => new EmChildNode(n.Unit.Id, n.Unit.Id, n.Unit.Name, n.Children.Count == 0 ? null : Nodes(n.Children))).ToList();

    static UnitResponse Unit(EnterpriseUnit u) => new(u.Id, u.Name, u.ParentId);

    static object Invitation(EnterpriseInvitationView v) => new
    {
        invitation_id = v.Invitation.Id, master_id = v.Invitation.MasterAccountId, master_name = v.MasterName, invitee_id = v.Invitation.InviteeAccountId,
        invitee_name = v.InviteeName, unit_id = v.Invitation.UnitId, unit_name = v.UnitName, financial_custody = v.Invitation.FinancialCustody ? 1 : 0,
        status = v.Expired ? "expired" : v.Invitation.Status.ToString().ToLowerInvariant(), created_at = UtcText(v.Invitation.CreatedAt),
        expires_at = UtcText(v.Invitation.ExpiresAt), requirements = EnterpriseMembers.JoinRequirements,
    };
}
