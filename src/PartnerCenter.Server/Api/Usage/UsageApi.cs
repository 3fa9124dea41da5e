using System.Globalization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Usage;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Usage;

public sealed record UsageRecordRequest(string? RecordId, string? ResourceId, string? UsageFactor, decimal? UsageValue, int? UsageMeasureId,
    string? BeginTime, string? EndTime);
public sealed record UsageBatchRequest(List<UsageRecordRequest>? Records);
public sealed record OnDemandQueryRequest(string? CustomerId, string? RegionCode = null, string? ServiceTypeCode = null, List<string>? ResourceIds = null,
    string? EffectiveTimeBegin = null, string? EffectiveTimeEnd = null, int? Status = null, int? Offset = null, int? Limit = null, string? IndirectPartnerId = null);
public sealed record FreePackageGrantRequest(string? CustomerId, string? ProductName, string? ServiceTypeCode, string? ResourceTypeCode, string? RegionCode,
    string? ResourceSpec, string? UsageFactor, decimal? Amount, int? MeasureId, string? EffectiveTime = null, string? ExpireTime = null);
public sealed record FreeResourceInfosRequest(string? RegionCode = null, string? OrderId = null, string? ProductId = null, string? ProductName = null,
    string? EnterpriseProjectId = null, int? Status = null, int? Offset = null, int? Limit = null, List<string>? ServiceTypeCodeList = null);
public sealed record FreeResourceUsagesRequest(List<string>? FreeResourceIds);

public sealed record ListCustomerOnDemandResourcesResponse(List<CustomerOnDemandResource> Resources, int TotalCount);

/// <summary>No availability_zone_code (resources here are regional) and no expire_time (pay-per-use runs until deleted).</summary>
public sealed record CustomerOnDemandResource(
    string CustomerId, string RegionCode, string ServiceTypeCode, string ResourceTypeCode, string ServiceTypeName, string ResourceTypeName,
    string ResourceId, string ResourceName, string EffectiveTime, int Status, string ResourceSpecCode, string ResourceInfo,
    string ProductSpecDesc);

public sealed record ListFreeResourceInfosResponse(List<FreeResourcePackageInfo> FreeResourcePackages, int TotalCount);

/// <summary>No order_id: packages here are granted by the operator, not bought through an order.</summary>
public sealed record FreeResourcePackageInfo(
    string OrderInstanceId, string ProductId, string ProductName, string EnterpriseProjectId, int EnterpriseProjectScope, string EffectiveTime,
    string ExpireTime, int Status, string ServiceTypeCode, string ServiceTypeName, string RegionCode, int SourceType, string BundleType,
    int QuotaReuseMode, List<FreeResourceItem> FreeResources);

/// <summary>Huawei answers this list's amounts as strings (ListFreeResourceUsages answers numbers).</summary>
public sealed record FreeResourceItem(string FreeResourceId, string UsageTypeName, string Amount, string OriginalAmount, int MeasureId);

public sealed record ListFreeResourceUsagesResponse(List<FreeResourceUsage> FreeResources);

/// <summary>No quota_reuse_cycle(_type): they apply to resettable packages only, and packages here never reset (quota_reuse_mode 2).</summary>
public sealed record FreeResourceUsage(
    string FreeResourceId, string FreeResourceTypeName, string UsageTypeName, string StartTime, string EndTime, decimal Amount, decimal OriginalAmount, int MeasureId);

/// <summary>
/// Pay-per-use: our own usage ingestion for the cloud services' metering and the operator's free-resource grants, and
/// Huawei's ListCustomerOnDemandResources, ListFreeResourceInfos and ListFreeResourceUsages.
/// </summary>
public static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/usage-records", async (HttpContext http, UsageIngestion ingestion, UsageBatchRequest body) =>
        {
            // Times are parsed per record: a bad time refuses that record only.
            var inputs = body.Records?.Select(r => new UsageRecordInput(r.RecordId, r.ResourceId, r.UsageFactor, r.UsageValue, r.UsageMeasureId,
                Time(r.BeginTime), Time(r.EndTime))).ToList();
            var result = await ingestion.IngestAsync(http.Caller(), inputs, http.RequestAborted);
            return Results.Ok(new
            {
                accepted = result.Accepted, duplicates = result.Duplicates, refused = result.Refused,
                results = result.Results.Select(r => new { record_id = r.RecordId, status = r.Status, error_code = r.Error?.Code, error_msg = r.Error?.Message }),
                error_details = result.Results.Where(r => r.Error is not null).Select(r => new { id = r.RecordId, error_code = r.Error!.Code, error_msg = r.Error.Message }),
            });
        }).Action("operator:usage:report").WithTags("Pay-per-use").WithName("ReportUsageRecords")
            .WithSummary("The cloud services' metering (operator credentials) reports up to 1000 usage records; each is accepted, a duplicate (its record_id was received before) or refused with its error. HTTP 200 on partial failure.");

        app.MapPost("/v1/free-resource-packages", async (HttpContext http, OnDemandService service, FreePackageGrantRequest body) =>
        {
            var package = await service.GrantFreePackageAsync(http.Caller(), new FreePackageGrant(body.CustomerId, body.ProductName, body.ServiceTypeCode,
                body.ResourceTypeCode, body.RegionCode, body.ResourceSpec, body.UsageFactor, body.Amount, body.MeasureId,
                Utc(body.EffectiveTime, "effective_time"), Utc(body.ExpireTime, "expire_time")), http.RequestAborted);
            return Results.Ok(new { order_instance_id = package.Id, free_resource_id = package.FreeResourceId });
        }).Action("operator:freeResources:grant").WithTags("Pay-per-use").WithName("GrantFreeResourcePackage")
            .WithSummary("The operator grants a customer a free-resource package (an amount of one usage factor), consumed by matching usage before it is rated.");

        app.MapPost("/v2/partners/sub-customers/on-demand-resources/query", async (HttpContext http, OnDemandService service, OnDemandQueryRequest body) =>
        {
            var (list, total) = await service.ListCustomerResourcesAsync(http.Caller(), new OnDemandFilter(body.CustomerId, body.RegionCode, body.ServiceTypeCode,
                body.ResourceIds, Utc(body.EffectiveTimeBegin, "effective_time_begin"), Utc(body.EffectiveTimeEnd, "effective_time_end"), body.Status,
                body.Offset, body.Limit, body.IndirectPartnerId), http.RequestAborted);
            var names = await service.TypeNamesAsync(list.SelectMany(r => new[] { r.ServiceTypeCode, r.ResourceTypeCode }), http.RequestAborted);
            return TypedResults.Ok(new ListCustomerOnDemandResourcesResponse(list.Select(r => new CustomerOnDemandResource(
                r.CustomerAccountId, r.Region, r.ServiceTypeCode, r.ResourceTypeCode, names[r.ServiceTypeCode], names[r.ResourceTypeCode], r.Id, r.Name,
                Format(r.EffectiveTime), OnDemandService.HuaweiStatus(r.Status), r.SpecCode,
                // a JSON text of the resource's capacity, as Huawei writes it; empty for a resource without one (a VM)
                r.SpecSize is { } size ? $"{{\"specSize\":{size.ToString("0.0", CultureInfo.InvariantCulture)}}}" : "{}",
                r.SpecSize is { } s ? $"{r.SpecCode}|{s.ToString(CultureInfo.InvariantCulture)}GB" : r.SpecCode)).ToList(), total));
        }).Action(PartnerActions.ListCustomers).WithTags("Pay-per-use").WithName("ListCustomerOnDemandResources");

        app.MapPost("/v3/payments/free-resources/query", async (HttpContext http, OnDemandService service, FreeResourceInfosRequest body) =>
        {
            var (list, total) = await service.ListFreePackagesAsync(http.Caller(), new FreePackageFilter(body.RegionCode, body.OrderId, body.ProductId,
                body.ProductName, body.Status, body.ServiceTypeCodeList, body.Offset, body.Limit), http.RequestAborted);
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var names = await service.TypeNamesAsync(list.Select(p => p.ServiceTypeCode), http.RequestAborted);
            return TypedResults.Ok(new ListFreeResourceInfosResponse(list.Select(p => new FreeResourcePackageInfo(
                p.Id, p.Id, p.ProductName, EnterpriseProjectId: "0", EnterpriseProjectScope: 0, Format(p.EffectiveTime), Format(p.ExpireTime), p.StatusAt(now),
                p.ServiceTypeCode, names[p.ServiceTypeCode], p.Region, SourceType: 1, BundleType: "ATOMIC_PKG", QuotaReuseMode: 2,
                [new FreeResourceItem(p.FreeResourceId, p.UsageFactor, p.Remaining.ToString(CultureInfo.InvariantCulture),
                    p.OriginalAmount.ToString(CultureInfo.InvariantCulture), p.MeasureId)])).ToList(), total));
        }).Action(UsageActions.ViewFreeResources).WithTags("Pay-per-use").WithName("ListFreeResourceInfos");

        app.MapPost("/v2/payments/free-resources/usages/details/query", async (HttpContext http, OnDemandService service, FreeResourceUsagesRequest body) =>
        {
            var list = await service.FreeResourceUsagesAsync(http.Caller(), body.FreeResourceIds, http.RequestAborted);
            var names = await service.TypeNamesAsync(list.Select(p => p.ResourceTypeCode), http.RequestAborted);
            return TypedResults.Ok(new ListFreeResourceUsagesResponse(list.Select(p => new FreeResourceUsage(p.FreeResourceId, names[p.ResourceTypeCode],
                p.UsageFactor, Format(p.EffectiveTime), Format(p.ExpireTime), p.Remaining, p.OriginalAmount, p.MeasureId)).ToList()));
        }).Action(UsageActions.ViewFreeResources).WithTags("Pay-per-use").WithName("ListFreeResourceUsages");
    }

    static string Format(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A record's time, or null (the record is then refused for a missing or malformed time).</summary>
    static DateTime? Time(string? text) =>
        text is not null && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
}
