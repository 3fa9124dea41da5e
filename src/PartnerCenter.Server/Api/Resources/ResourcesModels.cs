using System.Text.Json.Serialization;

namespace PartnerCenter.Server.Api.Resources;

public sealed record ResourceQueryRequest(List<string>? ResourceIds = null, string? OrderId = null, int? OnlyMainResource = null, List<int>? StatusList = null,
    string? ExpireTimeBegin = null, string? ExpireTimeEnd = null, string? ServiceTypeCode = null, string? CustomerId = null, int? Offset = null, int? Limit = null, string? IndirectPartnerId = null);
public sealed record RenewRequest(List<string>? ResourceIds, int? PeriodType, int? PeriodNum, int? IsAutoPay = null, int? ExpirePolicy = null, string? CustomerId = null,
    string? IndirectPartnerId = null);
public sealed record AutoRenewRequest(int? AutoRenewTimes = null, string? PeriodType = null, string? CustomerId = null, string? IndirectPartnerId = null);
/// <summary>The SDKs send config_value as a string ("7"); a number is accepted too.</summary>
public sealed record RenewConfigRequest(string? ConfigName, [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] int? ConfigValue);
public sealed record ToOnDemandRequest(string? Operation, List<string>? ResourceIds);
public sealed record ToOnDemandNowRequest(List<string>? ResourceIds);
public sealed record RenewRateRequest(List<string>? ResourceIds, int? PeriodType, int? PeriodNum, bool? IncludeRelativeResources = null);
public sealed record UnsubscribeRequest(List<string>? ResourceIds, int? UnsubscribeType, int? UnsubscribeReasonType = null, string? UnsubscribeReason = null,
    string? CustomerId = null, string? IndirectPartnerId = null);

public sealed record ResourceEnterpriseProject(string Id, string Name);

/// <summary>A yearly/monthly resource as ListPayPerUseCustomerResources answers it.</summary>
/// <param name="ProjectId">The owner's project of the resource's region.</param>
/// <param name="ExpireTime">When its paid time ends.</param>
public sealed record SubscribedResource(string Id, string ResourceId, string ResourceName, string RegionCode, string ServiceTypeCode, string ResourceTypeCode,
    string ResourceTypeName, string ServiceTypeName, string ResourceSpecCode, string? ProjectId, string ProductId, string? ParentResourceId, int IsMainResource,
    int Status, string EffectiveTime, string? ExpireTime, int ExpirePolicy, string ProductSpecDesc, decimal? SpecSize, int? SpecSizeMeasureId, string UpdateTime,
    ResourceEnterpriseProject EnterpriseProject);

public sealed record ListPayPerUseCustomerResourcesResponse(List<SubscribedResource> Data, int TotalCount);

/// <summary>RenewalResources: the renewal order. A refusal is the error answer of the whole request, so no resource fails alone.</summary>
public sealed record RenewalResourcesResponse(List<string> OrderIds);

/// <summary>CancelResourcesSubscription: the refund order. A refusal is the error answer of the whole request, so no resource fails alone.</summary>
public sealed record CancelResourcesSubscriptionResponse(List<string> OrderIds);

/// <summary>SetResourcesRenewConfig's success: nothing to say (a refusal is the error body).</summary>
public sealed record SetResourcesRenewConfigResponse;

/// <summary>UpdatePeriodToOnDemand's success: every resource was set (a refusal is the error body of the whole request).</summary>
public sealed record UpdatePeriodToOnDemandResponse;

public sealed record ToOnDemandServiceResult(string ResourceId, string Result, string? ErrorCode, string? ErrorMsg, string? OrderId);
public sealed record UpdatePeriodToOnDemandInstantlyResponse(List<ToOnDemandServiceResult> ToOndemandServiceResults);

/// <summary>What renewing one main resource (with its attached ones, when asked) costs at list price, as text.</summary>
public sealed record RenewInquiryResult(string ResourceId, string Amount);
public sealed record RenewOfficialRating(string OfficialWebsiteAmount);
public sealed record RenewDiscountRating(string DiscountId, string Amount, string OfficialWebsiteAmount, string DiscountAmount, int DiscountType, string DiscountName, int BestOffer);
public sealed record ListRenewRateOnPeriodResponse(string Currency, List<RenewInquiryResult> RenewInquiryResults, RenewOfficialRating OfficialWebsiteRatingResult,
    List<RenewDiscountRating> OptionalDiscountRatingResults);

/// <summary>One line of a refund order: a refund is negative, what was consumed or charged as a fee positive.</summary>
/// <param name="MeasureId">The unit of <see cref="Amount"/> (1: dollar), as text as the SDK reads it.</param>
/// <param name="BaseOrderId">The order that bought the refunded time.</param>
public sealed record RefundInfo(string Id, decimal Amount, string MeasureId, string CustomerId, string ResourceTypeCode, string ServiceTypeCode, string ResourceTypeName,
    string ServiceTypeName, string RegionCode, string BaseOrderId);
public sealed record ShowRefundOrderDetailsResponse(int TotalCount, List<RefundInfo> RefundInfos);
