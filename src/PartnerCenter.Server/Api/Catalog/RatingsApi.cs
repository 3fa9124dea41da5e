using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Catalog;

public sealed record PeriodProductInfo(string? Id, string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, string? AvailableZone = null,
    decimal? ResourceSize = null, int? SizeMeasureId = null, int? PeriodType = null, int? PeriodNum = null, int? SubscriptionNum = null);

public sealed record RateOnPeriodRequest(string? ProjectId, List<PeriodProductInfo>? ProductInfos);

public sealed record DemandProductInfo(string? Id, string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, string? AvailableZone = null,
    decimal? ResourceSize = null, int? SizeMeasureId = null, string? UsageFactor = null, decimal? UsageValue = null, int? UsageMeasureId = null, int? SubscriptionNum = null);

public sealed record RateOnDemandRequest(string? ProjectId, List<DemandProductInfo>? ProductInfos, int? InquiryPrecision = null);

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
            var products = body.ProductInfos?.Select((p, i) => new PeriodInquiry(p.Id, new PeriodProduct(p.CloudServiceType!, p.ResourceType!, p.ResourceSpec!, p.Region!,
                p.ResourceSize, p.SizeMeasureId, Required(p.PeriodType, i, "period_type"), Required(p.PeriodNum, i, "period_num"), Required(p.SubscriptionNum, i, "subscription_num")))).ToList();
            var quotes = await inquiry.RatePeriodAsync(http.Caller(), body.ProjectId, products, http.RequestAborted);
            return Results.Ok(PeriodBody(quotes));
        }).Action(DiscountActions.Rate).WithName("ListRateOnPeriodDetail");
        ratings.MapPost("/on-demand-resources", async (PriceInquiryService inquiry, HttpContext http, RateOnDemandRequest body) =>
        {
            var decimals = body.InquiryPrecision switch
            {
                null or 0 => 6,
                1 => 8,
                _ => throw Check.Invalid("inquiry_precision must be 0 (6 decimals) or 1 (more decimals)."),
            };
            var products = body.ProductInfos?.Select(p => new UsageInquiry(p.Id, p.CloudServiceType, p.ResourceType, p.ResourceSpec, p.Region, p.ResourceSize,
                p.UsageFactor, p.UsageValue, p.UsageMeasureId, p.SubscriptionNum ?? 1)).ToList();
            var quotes = await inquiry.RateUsageAsync(http.Caller(), body.ProjectId, products, http.RequestAborted);
            return Results.Ok(DemandBody(quotes, decimals));
        }).Action(DiscountActions.Rate).WithName("ListOnDemandResourceRatings");
    }

    static int Required(int? value, int index, string field) => value ?? throw Check.Invalid($"product_infos[{index}].{field} is required.");

    /// <summary>
    /// The list price of every product, and one result per discount the customer holds: a discount that does not cover
    /// a product (another service type) leaves that product at list price in its result.
    /// </summary>
    internal static object PeriodBody(List<(string Id, PeriodQuote Quote)> quotes)
    {
        var official = quotes.Sum(q => q.Quote.OfficialAmount);
        var discounts = quotes.SelectMany(q => q.Quote.Discounts).GroupBy(d => d.DiscountId).Select(g => g.First()).ToList();
        var results = discounts.Select(d =>
        {
            var lines = quotes.Select(q =>
            {
                var option = q.Quote.Discounts.FirstOrDefault(o => o.DiscountId == d.DiscountId);
                var off = option?.DiscountAmount ?? 0m;
                return new { id = q.Id, product_id = q.Quote.SpecId, amount = q.Quote.OfficialAmount - off, official_website_amount = q.Quote.OfficialAmount, discount_amount = off, measure_id = Dollar };
            }).ToList();
            var saving = lines.Sum(l => l.discount_amount);
            return new
            {
                discount_id = d.DiscountId, amount = official - saving, official_website_amount = official, discount_amount = saving, measure_id = Dollar,
                discount_type = d.DiscountType, discount_name = DiscountName(d.DiscountType), best_offer = 0, product_rating_results = lines,
            };
        }).ToList();
        // Best offer over the whole request: the largest total saving; ties go to commercial, then distributor, then partner discounts.
        var best = results.Where(r => r.discount_amount > 0).OrderByDescending(r => r.discount_amount).ThenBy(r => DiscountTypes.Priority(r.discount_type)).FirstOrDefault();
        return new
        {
            official_website_rating_result = new
            {
                official_website_amount = official, measure_id = Dollar,
                product_rating_results = quotes.Select(q => new { id = q.Id, product_id = q.Quote.SpecId, official_website_amount = q.Quote.OfficialAmount, measure_id = Dollar }),
            },
            optional_discount_rating_results = results.Select(r => r with { best_offer = ReferenceEquals(r, best) ? 1 : 0 }),
            currency = Currency,
        };
    }

    static object DemandBody(List<(string Id, UsageQuote Quote)> quotes, int decimals)
    {
        decimal R(decimal v) => Math.Round(v, decimals, MidpointRounding.AwayFromZero);
        var lines = quotes.Select(q => new
        {
            id = q.Id, product_id = q.Quote.SpecId, amount = R(q.Quote.Amount), discount_amount = R(q.Quote.OfficialAmount - q.Quote.Amount),
            official_website_amount = R(q.Quote.OfficialAmount), measure_id = Dollar,
            // Commercial discounts first, as Huawei lists them.
            discount_rating_results = q.Quote.Discounts.OrderBy(d => DiscountTypes.Priority(d.DiscountType)).Select(d => new
            {
                discount_id = d.DiscountId, discount_type = d.DiscountType, discount_name = DiscountName(d.DiscountType), discount_amount = R(d.DiscountAmount),
                best_offer = d.BestOffer ? 1 : 0,
            }),
        }).ToList();
        return new
        {
            amount = lines.Sum(l => l.amount), discount_amount = lines.Sum(l => l.discount_amount), official_website_amount = lines.Sum(l => l.official_website_amount),
            measure_id = Dollar, currency = Currency, product_rating_results = lines,
        };
    }

    static string DiscountName(int type) => type switch
    {
        DiscountTypes.Commercial => "Commercial discount",
        DiscountTypes.DistributorCommercial => "Distributor commercial discount",
        _ => "Partner discount",
    };
}
