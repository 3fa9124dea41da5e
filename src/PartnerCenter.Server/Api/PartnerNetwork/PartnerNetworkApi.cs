using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.PartnerNetwork;
using PartnerCenter.Core.Revenue;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.PartnerNetwork;

public sealed record AgreementRequest(string? Code, string? Version);
public sealed record NetworkApplicationRequest(string? CompanyName, string? Country, string? Address, string? Website, string? Industry, string? CompanySize,
    string? ContactName, string? ContactEmail, string? ContactPhone, List<AgreementRequest>? Agreements);
public sealed record ReviewDecisionRequest(string? Reason = null);

public sealed record AgreementInfo(string Code, string Title, string Version);
public sealed record AcceptanceInfo(string Code, string Version, string AcceptedWith, string AcceptedBy, string AcceptTime);
public sealed record NetworkApplicationInfo(string ApplicationId, string DomainId, string CompanyName, string Country, string Address, string? Website, string Industry,
    string CompanySize, string ContactName, string ContactEmail, string ContactPhone, string Status, string CreateTime, string? DecideTime, string? DecisionReason);
public sealed record CompanyInfo(string CompanyId, string Name, string Country, string Address, string? Website, string Industry, string CompanySize, bool IsMaster, string UpdateTime);
public sealed record NotificationInfo(string Kind, string Message, string CreateTime);
public sealed record NetworkStandingResponse(bool Joined, string? JoinTime, CompanyInfo? Company, List<NetworkApplicationInfo> Applications, List<AcceptanceInfo> AcceptedAgreements,
    List<AgreementInfo> AgreementsToAccept, List<NotificationInfo> Notifications);
public sealed record QueuedApplicationInfo(NetworkApplicationInfo Application, string DomainName, double AgeHours);
public sealed record ListNetworkApplicationsResponse(int TotalCount, List<QueuedApplicationInfo> Applications);

public sealed record BusinessCompanyRequest(string? CompanyName, string? RegistrationNumber, string? RegisteredAddress, string? TaxId,
    string? FinanceContactName, string? FinanceContactEmail, string? FinanceContactPhone);
public sealed record BankRequest(string? BankName, string? BankBranch, string? AccountName, string? AccountNumber, string? SwiftCode,
    string? IntermediaryBankName, string? IntermediarySwiftCode);
public sealed record BusinessInfoRequest(BusinessCompanyRequest? Company, BankRequest? Bank, AgreementRequest? PrivacyStatement);
public sealed record BusinessInfoInfo(string SubmissionId, string CompanyName, string RegistrationNumber, string RegisteredAddress, string TaxId,
    string FinanceContactName, string FinanceContactEmail, string FinanceContactPhone, string BankName, string BankBranch, string AccountName,
    string AccountNumber, string SwiftCode, string? IntermediaryBankName, string? IntermediarySwiftCode, string Status, string SubmitTime, string SubmittedBy,
    string? DecideTime, string? DecisionReason);
/// <param name="Blocked">Rejected three times in a row: a service ticket of type business_information must be opened before submitting again.</param>
public sealed record BusinessInfoStandingResponse(string Status, BusinessInfoInfo? Approved, BusinessInfoInfo? Latest, int RejectionsInARow, bool Blocked,
    string UnblockTicketType, AgreementInfo PrivacyStatement, List<BusinessInfoInfo> History);
public sealed record QueuedBusinessInfoInfo(BusinessInfoInfo Submission, string DomainId, string DomainName, double AgeHours);
public sealed record ListBusinessInfoResponse(int TotalCount, List<QueuedBusinessInfoInfo> Submissions);

public sealed record TaxRateRequest(decimal? TaxRate);
public sealed record TaxRateInfo(decimal TaxRate, string SetBy, string SetTime);
public sealed record PaymentInformationResponse(decimal? TaxRate, List<TaxRateInfo> History);

public sealed record SettlementLineInfo(string DomainId, string PartnerId, string CompanyName, decimal Incentive, decimal? TaxRate, decimal Tax, decimal Payable,
    string Status, string? WaitingReason);
public sealed record IncentiveSettlementResponse(string Month, string Currency, List<SettlementLineInfo> Partners);

/// <summary>
/// Joining the partner network and business information authentication (our own /v1 paths: the public API has none),
/// for the applicant and for the operator who reviews.
/// </summary>
public static class PartnerNetworkApi
{
    public static void MapPartnerNetworkApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/v1/partner-network").WithTags("Partner network");
        mine.MapGet("", async (HttpContext http, NetworkService network) => TypedResults.Ok(Standing(await network.StandingAsync(http.Caller(), http.RequestAborted))))
            .Action(PartnerActions.ViewPrograms).WithName("ShowPartnerNetworkStanding")
            .WithSummary("Whether the caller's account joined the partner network, its company, applications, accepted agreements and the agreements to accept.");
        mine.MapPost("/applications", async (HttpContext http, NetworkService network, NetworkApplicationRequest body) =>
        {
            var application = await network.ApplyAsync(http.Caller(), new NetworkApplicationInput(body.CompanyName, body.Country, body.Address, body.Website,
                body.Industry, body.CompanySize, body.ContactName, body.ContactEmail, body.ContactPhone),
                body.Agreements?.Select(a => new AcceptedAgreement(a.Code, a.Version)).ToList(), http.RequestAborted);
            return TypedResults.Json(Info(application), statusCode: StatusCodes.Status201Created);
        }).Action(PartnerActions.Apply).WithName("ApplyToPartnerNetwork")
            .WithSummary("Applies to join the partner network with the company, its contact and the network's agreements (codes and versions as GET /v1/partner-network lists them).");

        mine.MapGet("/business-information", async (HttpContext http, BusinessInformationService business) =>
            TypedResults.Ok(BusinessStanding(await business.StandingAsync(http.Caller(), http.RequestAborted))))
            .Action(BusinessInfoActions.View).WithName("ShowBusinessInformation");
        mine.MapPost("/business-information", async (HttpContext http, BusinessInformationService business, BusinessInfoRequest body) =>
        {
            var c = body.Company ?? throw Check.Invalid("company is required (step 1: company, tax and financial contact).");
            var b = body.Bank;
            var submission = await business.SubmitAsync(http.Caller(),
                new BusinessCompanyInput(c.CompanyName, c.RegistrationNumber, c.RegisteredAddress, c.TaxId, c.FinanceContactName, c.FinanceContactEmail, c.FinanceContactPhone),
                b is null ? null : new BankInput(b.BankName, b.BankBranch, b.AccountName, b.AccountNumber, b.SwiftCode, b.IntermediaryBankName, b.IntermediarySwiftCode),
                body.PrivacyStatement is { } p ? [new AcceptedAgreement(p.Code, p.Version)] : null, http.RequestAborted);
            return TypedResults.Json(Info(submission), statusCode: StatusCodes.Status201Created);
        }).Action(BusinessInfoActions.Update).WithName("SubmitBusinessInformation")
            .WithSummary("Submits business information for review: company, tax and financial contact, then the bank (its account name must be the company name), with the privacy statement accepted.");

        mine.MapGet("/payment-information", async (HttpContext http, PaymentInformationService payment) =>
            TypedResults.Ok(Payment(await payment.ShowAsync(http.Caller(), http.RequestAborted))))
            .Action(BusinessInfoActions.View).WithName("ShowPaymentInformation");
        mine.MapPut("/payment-information", async (HttpContext http, PaymentInformationService payment, TaxRateRequest body) =>
            TypedResults.Ok(Payment(await payment.SetTaxRateAsync(http.Caller(), body.TaxRate, http.RequestAborted))))
            .Action(BusinessInfoActions.Update).WithName("SetPaymentTaxRate")
            .WithSummary("Sets the tax rate (percent, 0 to 100, 2 decimals) the partner charges on its incentive invoices; earlier rates stay as history.");

        var review = app.MapGroup("/v1/operator/partner-network").WithTags("Partner network");
        review.MapGet("/applications", async (HttpContext http, NetworkService network, string? status) =>
        {
            var list = await network.QueueAsync(http.Caller(), ParseApplicationStatus(status), http.RequestAborted);
            return TypedResults.Ok(new ListNetworkApplicationsResponse(list.Count, list.Select(q => new QueuedApplicationInfo(Info(q.Application), q.AccountName, Hours(q.Age))).ToList()));
        }).Action(PartnerActions.DecideApplications).WithName("ListPartnerNetworkApplications").WithSummary("The operator's review queue, oldest first, with each application's age.");
        review.MapPost("/applications/{network_application_id}/approve", async (HttpContext http, NetworkService network, string network_application_id) =>
            TypedResults.Ok(Info(await network.DecideAsync(http.Caller(), network_application_id, true, null, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("ApprovePartnerNetworkApplication");
        review.MapPost("/applications/{network_application_id}/reject", async (HttpContext http, NetworkService network, string network_application_id, ReviewDecisionRequest body) =>
            TypedResults.Ok(Info(await network.DecideAsync(http.Caller(), network_application_id, false, body.Reason, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("RejectPartnerNetworkApplication");
        review.MapGet("/business-information", async (HttpContext http, BusinessInformationService business, string? status) =>
        {
            var list = await business.QueueAsync(http.Caller(), ParseBusinessStatus(status), http.RequestAborted);
            return TypedResults.Ok(new ListBusinessInfoResponse(list.Count, list.Select(q => new QueuedBusinessInfoInfo(Info(q.Submission), q.Submission.AccountId, q.AccountName, Hours(q.Age))).ToList()));
        }).Action(PartnerActions.DecideApplications).WithName("ListBusinessInformationReviews");
        review.MapPost("/business-information/{submission_id}/approve", async (HttpContext http, BusinessInformationService business, string submission_id) =>
            TypedResults.Ok(Info(await business.DecideAsync(http.Caller(), submission_id, true, null, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("ApproveBusinessInformation");
        review.MapPost("/business-information/{submission_id}/reject", async (HttpContext http, BusinessInformationService business, string submission_id, ReviewDecisionRequest body) =>
            TypedResults.Ok(Info(await business.DecideAsync(http.Caller(), submission_id, false, body.Reason, http.RequestAborted))))
            .Action(PartnerActions.DecideApplications).WithName("RejectBusinessInformation");

        app.MapGet("/v1/operator/incentive-settlements/{month}", async (HttpContext http, IncentiveSettlement settlement, string month) =>
        {
            var lines = await settlement.ForMonthAsync(http.Caller(), month, http.RequestAborted);
            return TypedResults.Ok(new IncentiveSettlementResponse(month, "USD", lines.Select(l => new SettlementLineInfo(l.PartnerAccountId, l.PartnerId, l.CompanyName,
                l.Incentive, l.TaxRatePercent, l.Tax, l.Payable, l.Status.ToString().ToLowerInvariant(), l.WaitingReason)).ToList()));
        }).Action(RevenueActions.Settle).WithTags("Revenue").WithName("ShowIncentiveSettlement")
            .WithSummary("A closed month's incentives per partner with the tax at its payment-information rate; partners whose business information is under review (or missing) wait, with the reason.");
    }

    static double Hours(TimeSpan age) => Math.Round(age.TotalHours, 1);

    static NetworkApplicationStatus? ParseApplicationStatus(string? status) => status switch
    {
        null or "" => null, "pending" => NetworkApplicationStatus.Pending, "approved" => NetworkApplicationStatus.Approved, "rejected" => NetworkApplicationStatus.Rejected,
        _ => throw Check.Invalid("status must be pending, approved or rejected."),
    };

    static BusinessInfoStatus? ParseBusinessStatus(string? status) => status switch
    {
        null or "" => null, "under_review" => BusinessInfoStatus.UnderReview, "approved" => BusinessInfoStatus.Approved, "rejected" => BusinessInfoStatus.Rejected,
        _ => throw Check.Invalid("status must be under_review, approved or rejected."),
    };

    public static string StatusText(BusinessInfoStatus s) => s switch
    {
        BusinessInfoStatus.UnderReview => "under_review", BusinessInfoStatus.Approved => "approved", _ => "rejected",
    };

    static NetworkStandingResponse Standing(NetworkStanding s) => new(s.Member is not null, s.Member is { } m ? UtcText(m.JoinedAt) : null,
        s.Company is { } c ? new CompanyInfo(c.Id, c.Name, c.Country, c.Address, c.Website, c.Industry, c.Size, s.IsCompanyMaster, UtcText(c.UpdatedAt)) : null,
        s.Applications.Select(Info).ToList(),
        s.Acceptances.Select(a => new AcceptanceInfo(a.AgreementCode, a.Version, a.AcceptedWith, a.AcceptedBy, UtcText(a.AcceptedAt))).ToList(),
        NetworkCatalog.JoinAgreements.Select(a => new AgreementInfo(a.Code, a.Title, a.Version)).ToList(),
        s.Notifications.Select(n => new NotificationInfo(n.Kind, n.Message, UtcText(n.CreatedAt))).ToList());

    static NetworkApplicationInfo Info(NetworkApplication a) => new(a.Id, a.AccountId, a.CompanyName, a.Country, a.Address, a.Website, a.Industry, a.Size,
        a.ContactName, a.ContactEmail, a.ContactPhone, a.Status.ToString().ToLowerInvariant(), UtcText(a.CreatedAt), a.DecidedAt is { } d ? UtcText(d) : null, a.DecisionReason);

    static BusinessInfoInfo Info(BusinessInfoSubmission s) => new(s.Id, s.CompanyName, s.RegistrationNumber, s.RegisteredAddress, s.TaxId, s.FinanceContactName,
        s.FinanceContactEmail, s.FinanceContactPhone, s.BankName, s.BankBranch, s.AccountName, s.AccountNumber, s.SwiftCode, s.IntermediaryBankName, s.IntermediarySwiftCode,
        StatusText(s.Status), UtcText(s.SubmittedAt), s.SubmittedBy, s.DecidedAt is { } d ? UtcText(d) : null, s.DecisionReason);

    static BusinessInfoStandingResponse BusinessStanding(BusinessInfoStanding s) => new(
        s.Blocked ? "blocked" : s.Latest is { } l ? StatusText(l.Status) : "not_submitted",
        s.Approved is { } a ? Info(a) : null, s.Latest is { } x ? Info(x) : null, s.RejectionsInARow, s.Blocked, Core.Tickets.TicketTypes.BusinessInformation,
        new AgreementInfo(NetworkCatalog.PrivacyStatement.Code, NetworkCatalog.PrivacyStatement.Title, NetworkCatalog.PrivacyStatement.Version),
        s.History.Select(Info).ToList());

    static PaymentInformationResponse Payment(PaymentInformation p) => new(p.TaxRatePercent,
        p.History.Select(r => new TaxRateInfo(r.RatePercent, r.SetBy, UtcText(r.SetAt))).ToList());
}
