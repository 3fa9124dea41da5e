using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Catalog;

/// <summary>One product of a ListRateOnPeriodDetail request; <see cref="Id"/> is unique within the request.</summary>
public sealed record PeriodInquiry(string? Id, PeriodProduct Product);

/// <summary>One product of a ListOnDemandResourceRatings request.</summary>
public sealed record UsageInquiry(string? Id, string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region,
    decimal? ResourceSize, string? UsageFactor, decimal? UsageValue, int? UsageMeasureId, int SubscriptionNum);

/// <summary>
/// Price inquiry for the calling account (a partner asks for a customer with the customer's token, obtained by
/// assume_role): the whole request is checked first, every product is rated by <see cref="RatingEngine"/>, nothing is written.
/// </summary>
public sealed class PriceInquiryService(AppDbContext db, AccessControl access, RatingEngine engine)
{
    public const int MaxProducts = 100;

    public async Task<List<(string Id, PeriodQuote Quote)>> RatePeriodAsync(Caller caller, string? projectId, IReadOnlyList<PeriodInquiry>? products, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, DiscountActions.Rate, ct);
        var ids = CheckIds(products?.Select(p => p.Id).ToList());
        await CheckProjectAsync(caller, projectId, ct);
        var quotes = new List<(string, PeriodQuote)>();
        for (var i = 0; i < products!.Count; i++) quotes.Add((ids[i], await engine.RatePeriodAsync(caller.AccountId, products[i].Product, ct)));
        return quotes;
    }

    public async Task<List<(string Id, UsageQuote Quote)>> RateUsageAsync(Caller caller, string? projectId, IReadOnlyList<UsageInquiry>? products, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, DiscountActions.Rate, ct);
        var ids = CheckIds(products?.Select(p => p.Id).ToList());
        await CheckProjectAsync(caller, projectId, ct);
        var quotes = new List<(string, UsageQuote)>();
        for (var i = 0; i < products!.Count; i++)
        {
            var p = products[i];
            if (p.SubscriptionNum is < 1 or > RatingEngine.MaxSubscriptionNum) throw Check.Invalid($"product_infos[{i}].subscription_num must be 1 to {RatingEngine.MaxSubscriptionNum}.");
            if (p.UsageValue is null) throw Check.Invalid($"product_infos[{i}].usage_value is required.");
            if (p.UsageMeasureId is null) throw Check.Invalid($"product_infos[{i}].usage_measure_id is required.");
            // N identical resources use N times the usage.
            quotes.Add((ids[i], await engine.RateUsageAsync(caller.AccountId, p.CloudServiceType!, p.ResourceType!, p.ResourceSpec!, p.Region!, p.UsageFactor!,
                p.UsageValue.Value * p.SubscriptionNum, p.UsageMeasureId.Value, p.ResourceSize, ct)));
        }
        return quotes;
    }

    static List<string> CheckIds(List<string?>? ids)
    {
        if (ids is null || ids.Count is < 1 or > MaxProducts) throw Check.Invalid($"product_infos must hold 1 to {MaxProducts} products.");
        var seen = new HashSet<string>();
        foreach (var id in ids)
        {
            if (string.IsNullOrEmpty(id) || id.Length > 64) throw Check.Invalid("each product_infos id is 1 to 64 characters.");
            if (!seen.Add(id)) throw new ServiceException(Errors.DuplicateProductId(id));
        }
        return ids!;
    }

    /// <summary>project_id, when given, must be a project of the caller's account (Huawei: CBC.99006073).</summary>
    async Task CheckProjectAsync(Caller caller, string? projectId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(projectId)) return;
        if (projectId.Length > 64 || !await db.Projects.AnyAsync(p => p.Id == projectId && p.AccountId == caller.AccountId, ct))
            throw new ServiceException(Errors.ProjectOfCallerNotFound());
    }
}
