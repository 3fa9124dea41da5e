using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Exports;
using PartnerCenter.Core.Revenue;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Revenue;

/// <summary>ListIncentiveDiscountPolicies (Bss ListIncentiveDiscountPoliciesResponse): the codes are strings on the wire.</summary>
public sealed record IncentiveDiscountPolicy(string ServiceTypeCode, string ServiceTypeName, string IncentivePolicy, string AllowDiscount);
public sealed record ListIncentiveDiscountPoliciesResponse(List<IncentiveDiscountPolicy> Policies, int TotalCount);

public sealed record RevenueTotalsInfo(decimal ResalePrice, decimal Settlement, decimal Revenue, decimal ReferralConsumption, decimal Incentive, decimal Earnings);
public sealed record RevenueMonthInfo(string Month, bool Closed, RevenueTotalsInfo Totals);
public sealed record ListRevenueMonthsResponse(string Currency, List<RevenueMonthInfo> Months);
public sealed record RevenueCustomerInfo(string CustomerId, string CustomerName, string AssociationType, decimal Price, decimal Settlement, decimal Revenue, decimal Incentive);
public sealed record RevenueLineInfo(string CustomerId, string AssociationType, string TradeId, string Kind, int BillType, string TradeTime, decimal Price,
    decimal Settlement, decimal Revenue, decimal Incentive);
public sealed record RevenueStatementResponse(string Month, bool Closed, string PartnerId, string Program, decimal? IncentiveRate, RevenueTotalsInfo Totals,
    List<RevenueCustomerInfo> Customers, List<RevenueLineInfo> Lines, string Currency);

public sealed record RevenueGoalRequest(int? Year, decimal? Amount);
public sealed record RevenueGoalResponse(int Year, decimal? Goal, decimal Achieved, decimal? Percent, string? UpdateTime, string Currency);

public sealed record IncentiveRateRequest(string? Program, string? ServiceTypeCode, decimal? Rate, bool? AllowDiscount, string? EffectiveFrom);
public sealed record IncentiveRateInfo(long Id, string Program, string? ServiceTypeCode, decimal Rate, bool AllowDiscount, string EffectiveFrom, string SetBy, string SetTime);
public sealed record ListIncentiveRatesResponse(List<IncentiveRateInfo> Rates);

/// <summary>
/// Revenue and incentives: ListIncentiveDiscountPolicies as Huawei names it; the partner's revenue by month, its
/// statement and customer invoices, and its annual goal under our /v1; the operator's incentive rates.
/// </summary>
public static class RevenueApi
{
    const string Currency = "USD";
    /// <summary>How many months the month list covers, up to the current one.</summary>
    const int RecentMonths = 12;

    public static void MapRevenueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/products/incentive-discount-policies", async (HttpContext http, IncentivePolicies policies, string? time, string? service_type_code,
            int? offset, int? limit) =>
        {
            var (list, total) = await policies.ListAsync(http.Caller(), time, service_type_code, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListIncentiveDiscountPoliciesResponse(
                list.Select(p => new IncentiveDiscountPolicy(p.ServiceTypeCode, p.ServiceTypeName, p.IncentivePolicyCode, p.AllowDiscount ? "YES" : "NO")).ToList(), total));
        }).Action(RevenueActions.View).WithTags("Revenue").WithName("ListIncentiveDiscountPolicies")
            .WithSummary("Per service, the incentive policy of the caller's partner program for a month (time YYYY-MM, default this month): 0 the program's rate, " +
                         "1 a rate for this service, 2 no rate, 13 a rate of 0; allow_discount YES/NO whether the partner may discount the service.");

        var partner = app.MapGroup("/v1/partners").WithTags("Revenue");
        partner.MapGet("/revenue", async (HttpContext http, RevenueService revenue, string? indirect_partner_id) =>
        {
            var months = await revenue.RecentAsync(http.Caller(), RecentMonths, http.RequestAborted, indirect_partner_id);
            return TypedResults.Ok(new ListRevenueMonthsResponse(Currency, months.Select(s => new RevenueMonthInfo(s.Cycle.ToString(), s.Closed, Totals(s.Totals))).ToList()));
        }).Action(RevenueActions.View).WithName("ListPartnerRevenueMonths")
            .WithSummary("The partner's revenue of the last 12 months up to the current one (Beijing months), oldest first: resale customers at their price, " +
                         "the settlement price, the revenue between them, referral consumption and the incentive. A distributor passes indirect_partner_id for its reseller's.");

        partner.MapGet("/revenue/{month}", async (HttpContext http, RevenueService revenue, string month, string? indirect_partner_id) =>
        {
            var s = await revenue.StatementAsync(http.Caller(), month, http.RequestAborted, indirect_partner_id);
            return TypedResults.Ok(new RevenueStatementResponse(s.Cycle.ToString(), s.Closed, s.PartnerId, s.Program.ToString(), s.DefaultIncentiveRate, Totals(s.Totals),
                s.Customers.Select(c => new RevenueCustomerInfo(c.CustomerId, c.CustomerName, Type(c.Resale), c.Price, c.Settlement, c.Revenue, c.Incentive)).ToList(),
                s.Lines.Select(l => new RevenueLineInfo(l.CustomerId, Type(l.Resale), l.TradeId, RevenueDocuments.KindOf(l.BillType), l.BillType, UtcText(l.TradeTime),
                    l.Price, l.Settlement, l.Revenue, l.Incentive)).ToList(), Currency));
        }).Action(RevenueActions.View).WithName("ShowPartnerRevenueStatement")
            .WithSummary("The partner's revenue statement of a month (YYYY-MM, not in the future): per trade and per customer, resale revenue = price - settlement, " +
                         "referral incentive at the rate in force. A distributor passes indirect_partner_id for its reseller's.");

        partner.MapGet("/revenue/{month}/export", async (HttpContext http, RevenueDocuments documents, string month, string? format, string? indirect_partner_id) =>
                File(await documents.StatementAsync(http.Caller(), month, format, http.RequestAborted, indirect_partner_id)))
            .Action(RevenueActions.View).WithName("ExportPartnerRevenueStatement")
            .WithSummary("The revenue statement of a month as a PDF or CSV file: format=pdf or csv (indirect_partner_id: a distributor's reseller's).");

        partner.MapGet("/revenue-goal", async (HttpContext http, RevenueService revenue, int? year, string? indirect_partner_id) =>
                TypedResults.Ok(Goal(await revenue.GoalAsync(http.Caller(), year, http.RequestAborted, indirect_partner_id))))
            .Action(RevenueActions.View).WithName("ShowPartnerRevenueGoal")
            .WithSummary("The partner's revenue goal of a year (default this year) and its earnings so far (resale revenue + referral incentive), with the percentage " +
                         "reached; a distributor passes indirect_partner_id for its reseller's.");

        partner.MapPut("/revenue-goal", async (HttpContext http, RevenueService revenue, RevenueGoalRequest body) =>
                TypedResults.Ok(Goal(await revenue.SetGoalAsync(http.Caller(), body.Year, body.Amount, http.RequestAborted))))
            .Action(RevenueActions.SetGoal).WithName("SetPartnerRevenueGoal")
            .WithSummary("Sets the partner's annual revenue goal (amount > 0, 2 decimals) for this year or a later one.");

        app.MapGet("/v1/customer-invoices/{month}/export", async (HttpContext http, RevenueDocuments documents, string month, string? format, string? customer_id) =>
                File(await documents.CustomerInvoiceAsync(http.Caller(), month, customer_id, format, http.RequestAborted)))
            .Action(RevenueActions.View).WithTags("Revenue").WithName("ExportCustomerInvoice")
            .WithSummary("The invoice a partner issues its resale customer for a closed month, at the customer's price, as PDF or CSV: the partner passes customer_id; " +
                         "the resale customer downloads its own without it.");

        var op = app.MapGroup("/v1/operator").WithTags("Revenue");
        op.MapGet("/incentive-rates", async (HttpContext http, IncentiveRates rates) =>
                TypedResults.Ok(new ListIncentiveRatesResponse((await rates.HistoryAsync(http.Caller(), http.RequestAborted)).Select(Rate).ToList())))
            .Action("operator:incentives:view").WithName("ListIncentiveRates")
            .WithSummary("Every referral incentive rate the operator set, newest first (the history: a month uses the newest rate in force for it).");

        op.MapPut("/incentive-rates", async (HttpContext http, IncentiveRates rates, IncentiveRateRequest body) =>
                TypedResults.Ok(Rate(await rates.SetAsync(http.Caller(), new IncentiveRateInput(body.Program, body.ServiceTypeCode, body.Rate, body.AllowDiscount,
                    body.EffectiveFrom), http.RequestAborted))))
            .Action("operator:incentives:set").WithName("SetIncentiveRate")
            .WithSummary("Sets the referral incentive rate (0-1, 4 decimals) of a partner program (CloudSolutionProvider, Distributor, Reseller), for one service " +
                         "or every service, from a month (effective_from YYYY-MM, default and earliest this month); allow_discount (default true).");
    }

    static string Type(bool resale) => resale ? "resale" : "referral";

    static RevenueTotalsInfo Totals(RevenueTotals t) => new(t.ResalePrice, t.Settlement, t.Revenue, t.ReferralConsumption, t.Incentive, t.Earnings);

    static RevenueGoalResponse Goal(RevenueGoalProgress g) => new(g.Year, g.Goal, g.Achieved, g.Percent, g.UpdatedAt is { } u ? UtcText(u) : null, Currency);

    static IncentiveRateInfo Rate(IncentiveRate r) => new(r.Id, r.Program.ToString(), r.ServiceTypeCode, r.Rate, r.AllowDiscount, r.EffectiveFrom, r.SetBy, UtcText(r.SetAt));

    static FileContentHttpResult File(ExportFile f) => TypedResults.File(f.Content, f.ContentType, f.FileName);
}
