using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Partners;

public sealed record PartnerApplicationRequest(string? Program, string? CompanyName, string? DistributorPartnerId = null);

public sealed record DecisionRequest(string? Reason = null);

public sealed record ListIndirectPartnersRequest(
    string? AccountName = null, string? AssociatedOnBegin = null, string? AssociatedOnEnd = null, string? IndirectPartnerId = null, int? Offset = null, int? Limit = null);

public sealed record ListIndirectPartnersResponse(List<IndirectPartnerInfo> IndirectPartners, int Count);

/// <summary>A reseller as Huawei lists it (no account manager: this product assigns those to customers only).</summary>
public sealed record IndirectPartnerInfo(string IndirectPartnerId, string? MobilePhone, string? Email, string AccountName, string Name, string AssociatedOn);

public sealed record DelegationRequest(decimal? MonthlyBudgetQuota, decimal? PackageBudgetQuota);

/// <summary>A reseller's delegation: with <paramref name="CanManageBudgets"/> it sets its customers' budgets (each type up to its quota; null: not that type) and freezes them.</summary>
public sealed record ResellerDelegation(string IndirectPartnerId, bool CanManageBudgets, decimal? MonthlyBudgetQuota, decimal? PackageBudgetQuota);

/// <summary>Joining the partner network (our own /v1 paths: the public API has none), and a distributor's resellers.</summary>
public static class PartnerProgramsApi
{
    public static void MapPartnerProgramsApi(this IEndpointRouteBuilder app)
    {
        var programs = app.MapGroup("/v1").WithTags("Partner programs");
        programs.MapPost("/partner-applications", async (HttpContext http, PartnerProgramService service, PartnerApplicationRequest body) =>
        {
            var application = await service.ApplyAsync(http.Caller(), PartnerProgramService.ParseProgram(body.Program), body.CompanyName, body.DistributorPartnerId, http.RequestAborted);
            return Results.Json(View(application), statusCode: StatusCodes.Status201Created);
        }).Action(PartnerActions.Apply).WithName("ApplyToPartnerProgram")
            .WithSummary("Applies to the csp or distributor program (decided by the operator), or as a distributor's reseller (decided by that distributor).");
        programs.MapGet("/partner-applications", async (HttpContext http, PartnerProgramService service, string? status) =>
        {
            ApplicationStatus? s = status switch
            {
                null or "" => null, "pending" => ApplicationStatus.Pending, "approved" => ApplicationStatus.Approved, "rejected" => ApplicationStatus.Rejected,
                _ => throw PartnerCenter.Core.Common.Check.Invalid("status must be pending, approved or rejected."),
            };
            return Results.Ok(new { applications = (await service.ListApplicationsAsync(http.Caller(), s, http.RequestAborted)).Select(View) });
        }).Action(PartnerActions.ViewPrograms).WithName("ListPartnerApplications");
        programs.MapPost("/partner-applications/{application_id}/approve", async (HttpContext http, PartnerProgramService service, string application_id, DecisionRequest? body) =>
            Results.Ok(View(await service.DecideAsync(http.Caller(), application_id, true, body?.Reason, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("ApprovePartnerApplication");
        programs.MapPost("/partner-applications/{application_id}/reject", async (HttpContext http, PartnerProgramService service, string application_id, DecisionRequest? body) =>
            Results.Ok(View(await service.DecideAsync(http.Caller(), application_id, false, body?.Reason, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("RejectPartnerApplication");
        programs.MapGet("/partner", async (HttpContext http, PartnerProgramService service) =>
        {
            var mine = await service.MineAsync(http.Caller(), http.RequestAborted);
            return Results.Ok(new
            {
                enrolled = mine.Enrolled is { } p ? new { partner_id = p.PartnerId, program = ProgramText(p.Program), company_name = p.CompanyName, joined_at = UtcText(p.JoinedAt) } : null,
                applications = mine.Applications.Select(View),
            });
        }).Action(PartnerActions.ViewPrograms).WithName("ShowPartnerPrograms").WithSummary("The caller's enrolled and requested programs.");

        app.MapPost("/v2/partners/indirect-partners/query", async (HttpContext http, IndirectPartnerService service, ListIndirectPartnersRequest body) =>
        {
            var (items, count) = await service.ListAsync(http.Caller(), new ResellerFilter(body.AccountName, Utc(body.AssociatedOnBegin, "associated_on_begin"),
                Utc(body.AssociatedOnEnd, "associated_on_end"), body.IndirectPartnerId, body.Offset, body.Limit), http.RequestAborted);
            return TypedResults.Ok(new ListIndirectPartnersResponse(items.Select(r => new IndirectPartnerInfo(r.Reseller.PartnerId, r.Account.Mobile,
                r.Account.Email, r.Account.Name, r.Reseller.CompanyName, UtcText(r.Reseller.JoinedAt))).ToList(), count));
        }).Action(PartnerActions.ListResellers).WithTags("Resellers").WithName("ListIndirectPartners");
        app.MapGet("/v1/partners/indirect-partners/{indirect_partner_id}/delegation", async (HttpContext http, IndirectPartnerService service, string indirect_partner_id) =>
            Delegation(await service.DelegationAsync(http.Caller(), indirect_partner_id, http.RequestAborted)))
            .Action(PartnerActions.ListResellers).WithTags("Resellers").WithName("ShowResellerDelegation")
            .WithSummary("Whether the reseller sets its customers' budgets and freezes them itself, and up to which quotas.");
        app.MapPut("/v1/partners/indirect-partners/{indirect_partner_id}/delegation", async (HttpContext http, IndirectPartnerService service, string indirect_partner_id, DelegationRequest body) =>
            Delegation(await service.DelegateAsync(http.Caller(), indirect_partner_id, body.MonthlyBudgetQuota, body.PackageBudgetQuota, http.RequestAborted))).Action(PartnerActions.ManageResellers).WithTags("Resellers").WithName("DelegateBudgetsToReseller")
            .WithSummary("Lets a reseller set its customers' budgets (up to the quota of each type) and freeze them.");
        app.MapDelete("/v1/partners/indirect-partners/{indirect_partner_id}/delegation", async (HttpContext http, IndirectPartnerService service, string indirect_partner_id) =>
        {
            await service.RevokeAsync(http.Caller(), indirect_partner_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(PartnerActions.ManageResellers).WithTags("Resellers").WithName("RevokeResellerDelegation");
    }

    static Ok<ResellerDelegation> Delegation(Partner r) => TypedResults.Ok(new ResellerDelegation(r.PartnerId, r.CanManageBudgets, r.MonthlyBudgetQuota, r.PackageBudgetQuota));

    static object View(PartnerApplication a) => new
    {
        application_id = a.Id, domain_id = a.AccountId, program = ProgramText(a.Program), company_name = a.CompanyName,
        status = a.Status.ToString().ToLowerInvariant(), created_at = UtcText(a.CreatedAt), decided_at = a.DecidedAt is { } d ? UtcText(d) : null,
        decision_reason = a.DecisionReason,
    };

    static string ProgramText(PartnerProgram p) => p switch
    {
        PartnerProgram.CloudSolutionProvider => "csp",
        PartnerProgram.Distributor => "distributor",
        _ => "reseller",
    };
}
