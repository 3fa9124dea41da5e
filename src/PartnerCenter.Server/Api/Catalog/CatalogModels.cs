using PartnerCenter.Core.Catalog;

namespace PartnerCenter.Server.Api.Catalog;

// The product catalog's requests and answers, shaped as the Huawei SDK models (Bss and Bssintl alike) send and read them.

public sealed record ListServiceTypesResponse(int TotalCount, List<ServiceTypeItem> ServiceTypes);
public sealed record ServiceTypeItem(string ServiceTypeName, string ServiceTypeCode, string Abbreviation);

public sealed record ListResourceTypesResponse(int TotalCount, List<ResourceTypeItem> ResourceTypes);
/// <param name="ServiceTypeCode">Omitted for a resource type no service sells.</param>
public sealed record ResourceTypeItem(string ResourceTypeCode, string ResourceTypeName, string ResourceTypeDesc, string? ServiceTypeCode);

public sealed record ListServiceResourcesResponse(int TotalCount, List<ServiceResourceInfo> Infos);
public sealed record ServiceResourceInfo(ServiceResourceBasicInfo BasicInfo);
public sealed record ServiceResourceBasicInfo(string ResourceTypeCode, string ProductOwnerService, string Name, string Description);

public sealed record ListUsageTypesResponse(int TotalCount, List<UsageTypeItem> UsageTypes);
public sealed record UsageTypeItem(string Code, string Name, string ResourceTypeCode, string ServiceTypeCode, string ResourceTypeName, string ServiceTypeName);

/// <summary>ResourceSpecsQueryReq. <see cref="Filters"/>: at most one, key RESOURCE_SPEC (a spec code).</summary>
public sealed record ResourceSpecsQuery(string? CloudServiceType = null, string? ResourceType = null, string? RegionCode = null, string? ChargeMode = null,
    List<ResourceSpecsFilter>? Filters = null, string? Marker = null, int? Limit = null);
public sealed record ResourceSpecsFilter(string? Key, string? Value);

public sealed record ListResourceSpecsResponse(SpecsPageInfo PageInfo, List<CloudServiceBasic> CloudServiceBasics);
/// <param name="NextMarker">Omitted on the last page.</param>
public sealed record SpecsPageInfo(string? NextMarker);
public sealed record CloudServiceBasic(string CloudServiceType, string CloudServiceTypeName, string ResourceType, string ResourceTypeName, string ResourceSpec,
    string ResourceSpecName, string ChargeMode, string RegionCode);

public sealed record ListMeasureUnitsResponse(List<MeasureUnitItem> MeasureUnits);
public sealed record MeasureUnitItem(int MeasureId, string MeasureName, string Abbreviation, int MeasureType);

public sealed record ListConversionsResponse(List<ConversionItem> Conversions);
public sealed record ConversionItem(int MeasureId, int RefMeasureId, long ConversionRatio, int MeasureType);

public sealed record PriceVersionRequest(DateTime? EffectiveFrom, Dictionary<string, decimal>? PeriodPrices = null, List<UsagePriceEntry>? UsagePrices = null);
