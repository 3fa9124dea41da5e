using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Partners;

public sealed record InvitationRequest(string? AccountName, string? AssociationType = null, string? IndirectPartnerId = null);

public sealed record AssociationTypeRequest(string? AssociationType, string? IndirectPartnerId = null);

public sealed record AccountManagerRequest(string? UserId, string? IndirectPartnerId = null);

/// <summary>
/// Our own /v1 operations for how partners and customers associate (the public API has none): invitation links,
/// association type, dissolving, account managers, resource O&amp;M authorization, and the partner's notifications.
/// </summary>
public static class AssociationsApi
{
    public static void MapAssociationsApi(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup("/v1/partners").WithTags("Customer association");
        partner.MapPost("/invitations", async (HttpContext http, AssociationService service, InvitationRequest body) =>
        {
            var invitation = await service.InviteAsync(http.Caller(), body.AccountName, body.AssociationType, body.IndirectPartnerId, http.RequestAborted);
            return Results.Json(new
            {
                invitation_id = invitation.Id, association_type = invitation.AssociationType, expires_at = UtcText(invitation.ExpiresAt),
                link = $"{http.Request.Scheme}://{http.Request.Host}/console/invitations/{invitation.Id}",
            }, statusCode: StatusCodes.Status201Created);
        }).Action(PartnerActions.CreateCustomer).WithName("InviteCustomer")
            .WithSummary("Invites an existing account to associate; the link is valid for 7 days and the account accepts or declines it in its console.");
        partner.MapGet("/invitations", async (HttpContext http, AssociationService service, string? indirect_partner_id) =>
            Results.Ok(new { invitations = (await service.ListSentAsync(http.Caller(), indirect_partner_id, http.RequestAborted)).Select(View) }))
            .Action(PartnerActions.ListCustomers).WithName("ListSentInvitations");
        partner.MapPut("/sub-customers/{customer_id}/association-type", async (HttpContext http, AssociationService service, string customer_id, AssociationTypeRequest body) =>
        {
            var a = await service.ChangeTypeAsync(http.Caller(), customer_id, body.AssociationType, body.IndirectPartnerId, http.RequestAborted);
            return Results.Ok(new { customer_id = a.CustomerAccountId, association_type = a.AssociationType, is_frozen = a.IsFrozen ? 1 : 0 });
        }).Action(PartnerActions.ManageAssociations).WithName("ChangeAssociationType");
        partner.MapDelete("/sub-customers/{customer_id}/association", async (HttpContext http, AssociationService service, string customer_id, string? indirect_partner_id) =>
        {
            await service.DissolveAsync(http.Caller(), customer_id, indirect_partner_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("DissolveAssociation");
        partner.MapPut("/sub-customers/{customer_id}/account-manager", async (HttpContext http, AssociationService service, string customer_id, AccountManagerRequest body) =>
        {
            await service.AssignManagerAsync(http.Caller(), customer_id, body.UserId, body.IndirectPartnerId, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("AssignAccountManager").WithSummary("One of the partner's IAM users manages the customer; user_id null clears it.");
        partner.MapPost("/sub-customers/{customer_id}/authorizations", async (HttpContext http, AssociationService service, string customer_id) =>
            Results.Json(Authorization(await service.RequestAuthorizationAsync(http.Caller(), customer_id, http.RequestAborted)), statusCode: StatusCodes.Status201Created))
            .Action(PartnerActions.ManageAssociations).WithName("RequestCustomerAuthorization")
            .WithSummary("Asks the customer to authorize resource O&M; once accepted, assume_role with the returned agency_name gives a customer token.");
        partner.MapGet("/authorizations", async (HttpContext http, AssociationService service) =>
            Results.Ok(new { authorizations = (await service.ListAuthorizationsAsync(http.Caller(), asCustomer: false, http.RequestAborted)).Select(Authorization) }))
            .Action(PartnerActions.ListCustomers).WithName("ListRequestedAuthorizations");
        partner.MapGet("/notifications", async (HttpContext http, AssociationService service) =>
            Results.Ok(new
            {
                notifications = (await service.NotificationsAsync(http.Caller(), http.RequestAborted))
                    .Select(n => new { kind = n.Kind, customer_id = n.CustomerAccountId, message = n.Message, created_at = UtcText(n.CreatedAt) }),
            })).Action(PartnerActions.ListCustomers).WithName("ListPartnerNotifications").WithSummary("Budget alerts (75, 90, 100 %) and automatic freezes, newest first.");

        var customer = app.MapGroup("/v1/customer").WithTags("Customer association");
        customer.MapGet("/partner", async (HttpContext http, AssociationService service) =>
        {
            var mine = await service.MyPartnerAsync(http.Caller(), http.RequestAborted);
            return Results.Ok(new
            {
                partner = mine is null ? null : new
                {
                    partner_id = mine.Partner.PartnerId, domain_id = mine.Partner.AccountId, account_name = mine.PartnerAccountName, company_name = mine.Partner.CompanyName,
                    association_type = mine.Association.AssociationType, associated_on = UtcText(mine.Association.AssociatedAt), is_frozen = mine.Association.IsFrozen ? 1 : 0,
                },
            });
        }).Action(PartnerActions.ViewMyPartner).WithName("ShowMyPartner");
        customer.MapDelete("/partner", async (HttpContext http, AssociationService service) =>
        {
            await service.DissolveAsync(http.Caller(), null, null, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("LeavePartner");
        customer.MapGet("/invitations", async (HttpContext http, AssociationService service) =>
            Results.Ok(new { invitations = (await service.ListReceivedAsync(http.Caller(), http.RequestAborted)).Select(View) }))
            .Action(PartnerActions.ViewMyPartner).WithName("ListReceivedInvitations");
        customer.MapPost("/invitations/{invitation_id}/accept", async (HttpContext http, AssociationService service, string invitation_id) =>
        {
            var a = await service.AcceptAsync(http.Caller(), invitation_id, http.RequestAborted);
            return Results.Ok(new { partner_domain_id = a.PartnerAccountId, association_type = a.AssociationType });
        }).Action(PartnerActions.ManageAssociations).WithName("AcceptInvitation");
        customer.MapPost("/invitations/{invitation_id}/decline", async (HttpContext http, AssociationService service, string invitation_id) =>
        {
            await service.DeclineAsync(http.Caller(), invitation_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("DeclineInvitation");
        customer.MapGet("/authorizations", async (HttpContext http, AssociationService service) =>
            Results.Ok(new { authorizations = (await service.ListAuthorizationsAsync(http.Caller(), asCustomer: true, http.RequestAborted)).Select(Authorization) }))
            .Action(PartnerActions.ViewMyPartner).WithName("ListReceivedAuthorizations");
        customer.MapPost("/authorizations/{authorization_id}/accept", async (HttpContext http, AssociationService service, string authorization_id) =>
            Results.Ok(Authorization(await service.AcceptAuthorizationAsync(http.Caller(), authorization_id, http.RequestAborted))))
            .Action(PartnerActions.ManageAssociations).WithName("AcceptAuthorization");
        customer.MapPost("/authorizations/{authorization_id}/decline", async (HttpContext http, AssociationService service, string authorization_id) =>
        {
            await service.DeclineAuthorizationAsync(http.Caller(), authorization_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("DeclineAuthorization");
        customer.MapDelete("/authorizations/{authorization_id}", async (HttpContext http, AssociationService service, string authorization_id) =>
        {
            await service.RevokeAuthorizationAsync(http.Caller(), authorization_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageAssociations).WithName("RevokeAuthorization");
    }

    static object View(InvitationView v) => new
    {
        invitation_id = v.Invitation.Id, partner_domain_id = v.Invitation.PartnerAccountId, partner_name = v.PartnerName,
        customer_id = v.Invitation.CustomerAccountId, customer_name = v.CustomerName, association_type = v.Invitation.AssociationType,
        status = v.Expired ? "expired" : v.Invitation.Status.ToString().ToLowerInvariant(), created_at = UtcText(v.Invitation.CreatedAt), expires_at = UtcText(v.Invitation.ExpiresAt),
    };

    static object Authorization(CustomerAuthorization a) => new
    {
        authorization_id = a.Id, partner_domain_id = a.PartnerAccountId, customer_id = a.CustomerAccountId, status = a.Status.ToString().ToLowerInvariant(),
        agency_name = a.AgencyName, created_at = UtcText(a.CreatedAt),
    };
}
