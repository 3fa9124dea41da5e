using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Catalog;

public sealed record PeriodProductInfo(string? Id, string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, string? AvailableZone = null,
    decimal? ResourceSize = null, int? SizeMeasureId = null, int? PeriodType = null, int? PeriodNum = null, int? SubscriptionNum = null,
    string? FeeInstallmentMode = null);

public sealed record RateOnPeriodRequest(string? ProjectId, List<PeriodProductInfo>? ProductInfos);

public sealed record DemandProductInfo(string? Id, string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, string? AvailableZone = null,
    decimal? ResourceSize = null, int? SizeMeasureId = null, string? UsageFactor = null, decimal? UsageValue = null, int? UsageMeasureId = null, int? SubscriptionNum = null);

public sealed record RateOnDemandRequest(string? ProjectId, List<DemandProductInfo>? ProductInfos, int? InquiryPrecision = null);

// ListRateOnPeriodDetail's answer: the union of the Bss and Bssintl models less the installment fields (nothing is sold in installments).
public sealed record PeriodRatingResponse(OfficialWebsiteRatingResult OfficialWebsiteRatingResult, List<OptionalDiscountRatingResult> OptionalDiscountRatingResults, string Currency);
public sealed record OfficialWebsiteRatingResult(decimal OfficialWebsiteAmount, int MeasureId, List<OfficialProductRatingResult> ProductRatingResults);
public sealed record OfficialProductRatingResult(string Id, string ProductId, decimal OfficialWebsiteAmount, int MeasureId);
/// <param name="Amount">List price less <paramref name="DiscountAmount"/>.</param>
public sealed record OptionalDiscountRatingResult(string DiscountId, decimal Amount, decimal OfficialWebsiteAmount, decimal DiscountAmount, int MeasureId, int DiscountType,
    string DiscountName, int BestOffer, List<PeriodProductRatingResult> ProductRatingResults);
public sealed record PeriodProductRatingResult(string Id, string ProductId, decimal Amount, decimal OfficialWebsiteAmount, decimal DiscountAmount, int MeasureId);

// ListOnDemandResourceRatings' answer.
public sealed record DemandRatingResponse(decimal Amount, decimal DiscountAmount, decimal OfficialWebsiteAmount, int MeasureId, string Currency,
    List<DemandProductRatingResult> ProductRatingResults);
public sealed record DemandProductRatingResult(string Id, string ProductId, decimal Amount, decimal DiscountAmount, decimal OfficialWebsiteAmount, int MeasureId,
    List<DemandDiscountRatingResult> DiscountRatingResults);
/// <param name="Amount">What this discount takes off the list price.</param>
public sealed record DemandDiscountRatingResult(string DiscountId, int DiscountType, decimal Amount, int MeasureId, string DiscountName);

/// <summary>Price inquiry (Huawei BSS): yearly/monthly products and pay-per-use usage, for the calling account.</summary>
public static class RatingsApi
{
    const int Dollar = 1;
    const string Currency = "USD";

    public static void MapRatingsApi(this IEndpointRouteBuilder app)
    {
        var ratings = app.MapGroup("/v2/bills/ratings").WithTags("Price inquiry");
        ratings.MapPost("/period-resources/subscribe-rate", async (PriceInquiryService inquiry, HttpContext http, RateOnPeriodRequest body) =>
        {
            var products = body.ProductInfos?.Select((p, i) => CheckNoInstallments(p, i)).Select((p, i) => new PeriodInquiry(p.Id, new PeriodProduct(p.CloudServiceType!, p.ResourceType!, p.ResourceSpec!, p.Region!,
                p.ResourceSize, p.SizeMeasureId, Required(p.PeriodType, i, "period_type"), Required(p.PeriodNum, i, "period_num"), Required(p.SubscriptionNum, i, "subscription_num")))).ToList();
            var quotes = await inquiry.RatePeriodAsync(http.Caller(), body.ProjectId, products, http.RequestAborted);
            return TypedResults.Ok(PeriodBody(quotes));
        }).Action(DiscountActions.Rate).WithName("ListRateOnPeriodDetail");
        ratings.MapPost("/on-demand-resources", async (PriceInquiryService inquiry, HttpContext http, RateOnDemandRequest body) =>
        {
            var decimals = body.InquiryPrecision switch
            {
                null or 0 => 6,
                1 => 8,
                _ => throw Check.Invalid("inquiry_precision must be 0 (6 decimals) or 1 (more decimals)."),
            };
            var products = body.ProductInfos?.Select(Present).Select(p => new UsageInquiry(p.Id, p.CloudServiceType, p.ResourceType, p.ResourceSpec, p.Region, p.ResourceSize,
                p.UsageFactor, p.UsageValue, p.UsageMeasureId, p.SubscriptionNum ?? 1)).ToList();
            var quotes = await inquiry.RateUsageAsync(http.Caller(), body.ProjectId, products, http.RequestAborted);
            return TypedResults.Ok(DemandBody(quotes, decimals));
        }).Action(DiscountActions.Rate).WithName("ListOnDemandResourceRatings");
    }

    static T Present<T>(T? product, int index) where T : class => product ?? throw Check.Invalid($"product_infos[{index}] must be an object.");

    static int Required(int? value, int index, string field) => value ?? throw Check.Invalid($"product_infos[{index}].{field} is required.");

    /// <summary>fee_installment_mode (Bss): NA (or none) only; Huawei sells only CloudPond in installments, and this catalog has no such product.</summary>
    static PeriodProductInfo CheckNoInstallments(PeriodProductInfo? product, int index)
    {
        var p = Present(product, index);
        return p.FeeInstallmentMode switch
        {
            null or "" or "NA" => p,
            "HALF_PAY" or "ZERO_PAY" => throw Check.Invalid($"product_infos[{index}].fee_installment_mode {p.FeeInstallmentMode}: no product here is sold in installments; use NA."),
            _ => throw Check.Invalid($"product_infos[{index}].fee_installment_mode must be NA, HALF_PAY or ZERO_PAY."),
        };
    }

    /// <summary>
    /// The list price of every product, and one result per discount the customer holds: a discount that does not cover
    /// a product (another service type) leaves that product at list price in its result.
    /// </summary>
    internal static PeriodRatingResponse PeriodBody(List<(string Id, PeriodQuote Quote)> quotes)
    {
        var official = quotes.Sum(q => q.Quote.OfficialAmount);
        var discounts = quotes.SelectMany(q => q.Quote.Discounts).GroupBy(d => d.DiscountId).Select(g => g.First()).ToList();
        var results = discounts.Select(d =>
        {
            var lines = quotes.Select(q =>
            {
                var option = q.Quote.Discounts.FirstOrDefault(o => o.DiscountId == d.DiscountId);
                var off = option?.DiscountAmount ?? 0m;
                return new PeriodProductRatingResult(q.Id, q.Quote.SpecId, q.Quote.OfficialAmount - off, q.Quote.OfficialAmount, off, Dollar);
            }).ToList();
            var saving = lines.Sum(l => l.DiscountAmount);
            return new OptionalDiscountRatingResult(d.DiscountId, official - saving, official, saving, Dollar, d.DiscountType, DiscountName(d.DiscountType), 0, lines);
        }).ToList();
        // Best offer over the whole request: the largest total saving; ties go to commercial, then distributor, then partner discounts.
        var best = results.Where(r => r.DiscountAmount > 0).OrderByDescending(r => r.DiscountAmount).ThenBy(r => DiscountTypes.Priority(r.DiscountType)).FirstOrDefault();
        return new PeriodRatingResponse(
            new OfficialWebsiteRatingResult(official, Dollar, quotes.Select(q => new OfficialProductRatingResult(q.Id, q.Quote.SpecId, q.Quote.OfficialAmount, Dollar)).ToList()),
            results.Select(r => r with { BestOffer = ReferenceEquals(r, best) ? 1 : 0 }).ToList(),
            Currency);
    }

    static DemandRatingResponse DemandBody(List<(string Id, UsageQuote Quote)> quotes, int decimals)
    {
        decimal R(decimal v) => Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        var lines = quotes.Select(q => new DemandProductRatingResult(q.Id, q.Quote.SpecId, R(q.Quote.Amount), R(q.Quote.OfficialAmount - q.Quote.Amount), R(q.Quote.OfficialAmount), Dollar,
            // Commercial discounts first, as Huawei lists them.
            q.Quote.Discounts.OrderBy(d => DiscountTypes.Priority(d.DiscountType))
                .Select(d => new DemandDiscountRatingResult(d.DiscountId, d.DiscountType, R(d.DiscountAmount), Dollar, DiscountName(d.DiscountType))).ToList())).ToList();
        return new DemandRatingResponse(lines.Sum(l => l.Amount), lines.Sum(l => l.DiscountAmount), lines.Sum(l => l.OfficialWebsiteAmount), Dollar, Currency, lines);
    }

    static string DiscountName(int type) => type switch
    {
        DiscountTypes.Commercial => "Commercial discount",
        DiscountTypes.DistributorCommercial => "Distributor commercial discount",
        _ => "Partner discount",
    };
}
