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
            return Results.Ok(new
            {
                total_count = total,
                resources = list.Select(r => new
                {
                    customer_id = r.CustomerAccountId, region_code = r.Region, availability_zone_code = (string?)null, service_type_code = r.ServiceTypeCode,
                    resource_type_code = r.ResourceTypeCode, resource_id = r.Id, resource_name = r.Name, effective_time = Format(r.EffectiveTime),
                    expire_time = r.ExpireTime is { } e ? Format(e) : null, status = OnDemandService.HuaweiStatus(r.Status), resource_spec_code = r.SpecCode,
                    resource_info = r.SpecSize is { } size ? $"{{\"specSize\":{size.ToString("0.0", CultureInfo.InvariantCulture)}}}" : null,
                    product_spec_desc = r.SpecSize is { } s ? $"{r.SpecCode}|{s.ToString(CultureInfo.InvariantCulture)}GB" : r.SpecCode,
                }),
            });
        }).Action(PartnerActions.ListCustomers).WithTags("Pay-per-use").WithName("ListCustomerOnDemandResources");

        app.MapPost("/v3/payments/free-resources/query", async (HttpContext http, OnDemandService service, FreeResourceInfosRequest body) =>
        {
            var (list, total) = await service.ListFreePackagesAsync(http.Caller(), new FreePackageFilter(body.RegionCode, body.OrderId, body.ProductId,
                body.ProductName, body.Status, body.ServiceTypeCodeList, body.Offset, body.Limit), http.RequestAborted);
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            return Results.Ok(new
            {
                total_count = total,
                free_resource_packages = list.Select(p => new
                {
                    order_instance_id = p.Id, order_id = (string?)null, product_id = p.Id, product_name = p.ProductName, enterprise_project_id = "0",
                    enterprise_project_scope = 0, effective_time = Format(p.EffectiveTime), expire_time = Format(p.ExpireTime), status = p.StatusAt(now),
                    service_type_code = p.ServiceTypeCode, service_type_name = (string?)null, region_code = p.Region, source_type = 1, bundle_type = "ATOMIC_PKG",
                    quota_reuse_mode = 2,
                    free_resources = new[]
                    {
                        new
                        {
                            free_resource_id = p.FreeResourceId, usage_type_name = p.UsageFactor, amount = p.Remaining.ToString(CultureInfo.InvariantCulture),
                            original_amount = p.OriginalAmount.ToString(CultureInfo.InvariantCulture), measure_id = p.MeasureId,
                        },
                    },
                }),
            });
        }).Action(UsageActions.ViewFreeResources).WithTags("Pay-per-use").WithName("ListFreeResourceInfos");

        app.MapPost("/v2/payments/free-resources/usages/details/query", async (HttpContext http, OnDemandService service, FreeResourceUsagesRequest body) =>
        {
            var list = await service.FreeResourceUsagesAsync(http.Caller(), body.FreeResourceIds, http.RequestAborted);
            return Results.Ok(new
            {
                free_resources = list.Select(p => new
                {
                    free_resource_id = p.FreeResourceId, free_resource_type_name = p.ProductName, quota_reuse_cycle = (int?)null, quota_reuse_cycle_type = (int?)null,
                    usage_type_name = p.UsageFactor, start_time = Format(p.EffectiveTime), end_time = Format(p.ExpireTime), amount = p.Remaining,
                    original_amount = p.OriginalAmount, measure_id = p.MeasureId,
                }),
            });
        }).Action(UsageActions.ViewFreeResources).WithTags("Pay-per-use").WithName("ListFreeResourceUsages");
    }

    static string Format(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A record's time, or null (the record is then refused for a missing or malformed time).</summary>
    static DateTime? Time(string? text) =>
        text is not null && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;
}
