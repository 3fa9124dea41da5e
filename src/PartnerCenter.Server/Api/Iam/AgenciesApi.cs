using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record AgencyBody(
    string? Name = null, string? DomainId = null, string? TrustDomainId = null, string? TrustDomainName = null, string? Description = null, string? Duration = null)
{
    public AgencyInput ToInput() => new(Name, DomainId, TrustDomainId, TrustDomainName, Description, Duration);
}

public sealed record AgencyRequest(AgencyBody? Agency);

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
            return Results.Json(new { agency = await ViewAsync(service, agency, http) }, statusCode: StatusCodes.Status201Created);
        }).Action(IamActions.CreateAgency).WithName("CreateAgency");
        agencies.MapGet("/agencies", async (HttpContext http, AgencyService service, string? domain_id, string? trust_domain_id, string? name) =>
        {
            var list = await service.ListAsync(http.Caller(), trust_domain_id, name, http.RequestAborted);
            var names = await service.TrustedNamesAsync(list, http.RequestAborted);
            return Results.Ok(new { agencies = list.Select(a => Agency(a, names.GetValueOrDefault(a.TrustAccountId))) });
        }).Action(IamActions.ListAgencies).WithName("ListAgencies");
        agencies.MapGet("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id) =>
            Results.Ok(new { agency = await ViewAsync(service, await service.GetAsync(http.Caller(), agency_id, http.RequestAborted), http) }))
            .Action(IamActions.GetAgency).WithName("ShowAgency");
        agencies.MapPut("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id, AgencyRequest body) =>
        {
            var input = body.Agency ?? throw Check.Invalid("agency is required.");
            var agency = await service.UpdateAsync(http.Caller(), agency_id, input.ToInput(), http.RequestAborted);
            return Results.Ok(new { agency = await ViewAsync(service, agency, http) });
        }).Action(IamActions.UpdateAgency).WithName("UpdateAgency");
        agencies.MapDelete("/agencies/{agency_id}", async (HttpContext http, AgencyService service, string agency_id) =>
        {
            await service.DeleteAsync(http.Caller(), agency_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(IamActions.DeleteAgency).WithName("DeleteAgency");

        agencies.MapGet("/domains/{domain_id}/agencies/{agency_id}/roles", async (HttpContext http, AgencyService service, string domain_id, string agency_id) =>
        {
            var list = await service.ListRolesAsync(http.Caller(), domain_id, agency_id, http.RequestAborted);
            return Results.Ok(new { roles = list.Select(r => Role(r, http.Request)) });
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

    static async Task<AgencyView> ViewAsync(AgencyService service, Agency agency, HttpContext http)
    {
        var names = await service.TrustedNamesAsync([agency], http.RequestAborted);
        return Agency(agency, names.GetValueOrDefault(agency.TrustAccountId));
    }
}
