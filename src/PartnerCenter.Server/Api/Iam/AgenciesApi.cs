using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Iam;

/// <summary>Agencies (delegations to another account) and the roles they carry.</summary>
public static class AgenciesApi
{
    public static void MapAgenciesApi(this IEndpointRouteBuilder app)
    {
        var agencies = app.MapGroup("/v3.0/OS-AGENCY").WithTags("IAM agencies");
        agencies.MapPost("/agencies", async (HttpContext http, AgencyService service, AgencyRequest body) =>
        {
            var input = body.Agency ?? throw Check.Invalid("agency is required.");
            var agency = await service.CreateAsync(http.Caller(), input.ToInput(), http.RequestAborted);
            return TypedResults.Created((string?)null, new CreateAgencyResponse(AccessViews.AgencySummary(agency)));
        }).Action(IamActions.CreateAgency).WithName("CreateAgency");
        agencies.MapGet("/agencies", async (HttpContext http, AgencyService service, string? domain_id, string? trust_domain_id, string? name, int? page, int? per_page) =>
        {
            var list = await service.ListAsync(http.Caller(), domain_id, trust_domain_id, name, page, per_page, http.RequestAborted);
            var names = await service.TrustedNamesAsync(list, http.RequestAborted);
            return TypedResults.Ok(new ListAgenciesResponse(list.Select(a => AccessViews.AgencyDetails(a, names.GetValueOrDefault(a.TrustAccountId, ""))).ToList()));
        }).Action(IamActions.ListAgencies).WithName("ListAgencies");
        agencies.MapGet("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id) =>
        {
            var agency = await service.GetAsync(http.Caller(), agency_id, http.RequestAborted);
            var names = await service.TrustedNamesAsync([agency], http.RequestAborted);
            return TypedResults.Ok(new ShowAgencyResponse(AccessViews.AgencyDetails(agency, names.GetValueOrDefault(agency.TrustAccountId, ""))));
        }).Action(IamActions.GetAgency).WithName("ShowAgency");
        agencies.MapPut("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id, AgencyRequest body) =>
        {
            var input = body.Agency ?? throw Check.Invalid("agency is required.");
            var agency = await service.UpdateAsync(http.Caller(), agency_id, input.ToInput(), http.RequestAborted);
            return TypedResults.Ok(new UpdateAgencyResponse(AccessViews.AgencySummary(agency)));
        }).Action(IamActions.UpdateAgency).WithName("UpdateAgency");
        agencies.MapDelete("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id) =>
        {
            await service.DeleteAsync(http.Caller(), agency_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.DeleteAgency).WithName("DeleteAgency");

        agencies.MapGet("/domains/{domain_id}/agencies/{agency_id}/roles", async (HttpContext http, AgencyService service, string domain_id, string agency_id) =>
        {
            var list = await service.ListRolesAsync(http.Caller(), domain_id, agency_id, http.RequestAborted);
            return TypedResults.Ok(new ListDomainPermissionsForAgencyResponse(list.Select(r => AccessViews.Permission(r, http.Request)).ToList()));
        }).Action(IamActions.ListAgencyRoles).WithName("ListDomainPermissionsForAgency");
        agencies.MapPut("/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", async (HttpContext http, AgencyService service, string domain_id, string agency_id, string role_id) =>
        {
            await service.GrantAsync(http.Caller(), domain_id, agency_id, role_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.GrantAgencyRole).WithName("AssociateAgencyWithDomainPermission");
        agencies.MapDelete("/domains/{domain_id}/agencies/{agency_id}/roles/{role_id}", async (HttpContext http, AgencyService service, string domain_id, string agency_id, string role_id) =>
        {
            await service.RevokeAsync(http.Caller(), domain_id, agency_id, role_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.RevokeAgencyRole).WithName("RemoveDomainPermissionFromAgency");
    }
}
