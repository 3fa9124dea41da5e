using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Catalog;

/// <summary>The product catalog (Huawei BSS product and reference-data queries) and the operator's catalog management under /v1.</summary>
public static class CatalogApi
{
    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/v2/products").WithTags("Product catalog");
        products.MapGet("/service-types", async (CatalogService catalog, HttpContext http, string? service_type_code, string? service_type_name, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListServiceTypesAsync(service_type_code, service_type_name, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListServiceTypesResponse(total, items.Select(s => new ServiceTypeItem(s.Name, s.Code, s.Abbreviation)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListServiceTypes");
        products.MapGet("/resource-types", async (CatalogService catalog, HttpContext http, string? resource_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListResourceTypesAsync(resource_type_code, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListResourceTypesResponse(total,
                items.Select(r => new ResourceTypeItem(r.Type.Code, r.Type.Name, r.Type.Description, r.ServiceTypeCode)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListResourceTypes");
        products.MapGet("/service-resources", async (CatalogService catalog, HttpContext http, string? service_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListServiceResourcesAsync(service_type_code, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListServiceResourcesResponse(total,
                items.Select(r => new ServiceResourceInfo(new ServiceResourceBasicInfo(r.Code, service_type_code!, r.Name, r.Description))).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListServiceResources");
        products.MapGet("/usage-types", async (CatalogService catalog, HttpContext http, string? resource_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListUsageTypesAsync(resource_type_code, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListUsageTypesResponse(total, items.Select(u => new UsageTypeItem(
                u.Type.Code, u.Type.Name, u.Type.ResourceTypeCode, u.Type.ServiceTypeCode, u.ResourceTypeName, u.ServiceTypeName)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListUsageTypes");
        products.MapPost("/resource-specs-query", async (CatalogService catalog, HttpContext http, ResourceSpecsQuery body) =>
        {
            http.Caller();
            var (items, next) = await catalog.ListSpecBasicsAsync(
                new SpecBasicsFilter(body.CloudServiceType, body.ResourceType, body.RegionCode, body.ChargeMode, SpecCodeFilter(body.Filters)), body.Marker, body.Limit, http.RequestAborted);
            return TypedResults.Ok(new ListResourceSpecsResponse(new SpecsPageInfo(next), items.Select(s => new CloudServiceBasic(
                s.ServiceTypeCode, s.ServiceTypeName, s.ResourceTypeCode, s.ResourceTypeName, s.SpecCode, s.SpecName, s.ChargeMode, s.Region)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListResourceSpecs");

        var bases = app.MapGroup("/v2/bases").WithTags("Product catalog");
        bases.MapGet("/measurements", async (CatalogService catalog, HttpContext http) =>
        {
            http.Caller();
            var units = await catalog.ListMeasureUnitsAsync(http.RequestAborted);
            return TypedResults.Ok(new ListMeasureUnitsResponse(units.Select(m => new MeasureUnitItem(m.MeasureId, m.Name, m.Abbreviation, m.MeasureType)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListMeasureUnits");
        bases.MapGet("/conversions", async (CatalogService catalog, HttpContext http, int? measure_type) =>
        {
            http.Caller();
            var conversions = await catalog.ListConversionsAsync(measure_type, http.RequestAborted);
            return TypedResults.Ok(new ListConversionsResponse(conversions.Select(c => new ConversionItem(c.MeasureId, c.RefMeasureId, c.Ratio, c.MeasureType)).ToList()));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListConversions");

        // The operator's catalog management: no public Huawei API exists for it.
        var manage = app.MapGroup("/v1/catalog").WithTags("Catalog management");
        manage.MapPost("/import", async (CatalogService catalog, HttpContext http, string? mode) =>
        {
            var caller = http.Caller();
            var replace = mode switch
            {
                null or "" or "merge" => false,
                "replace" => true,
                _ => throw Check.Invalid("mode must be merge (default) or replace."),
            };
            using var reader = new StreamReader(http.Request.Body);
            var document = CatalogDocument.Parse(await reader.ReadToEndAsync(http.RequestAborted));
            var s = await catalog.ImportAsync(caller, document, replace, http.RequestAborted);
            return Results.Ok(new { service_types = s.ServiceTypes, resource_types = s.ResourceTypes, usage_types = s.UsageTypes, specs = s.Specs, price_versions = s.PriceVersions });
        }).Action(CatalogService.ImportAction).WithName("ImportCatalog")
          .WithDescription("IAM action: `bss:catalog:update`. Operator only. Body: the catalog file (see docs/decisions.md); `?mode=replace` makes the catalog exactly the file.");
        manage.MapGet("/export", async (CatalogService catalog, HttpContext http) =>
            Results.Text((await catalog.ExportAsync(http.Caller(), http.RequestAborted)).ToJson(), "application/json"))
            .Action(CatalogService.ExportAction).WithName("ExportCatalog");
        manage.MapPost("/specs/{spec_id}/price-versions", async (CatalogService catalog, HttpContext http, string spec_id, PriceVersionRequest body) =>
        {
            await catalog.AddPriceVersionAsync(http.Caller(), spec_id, new PriceVersionInput(body.EffectiveFrom, body.PeriodPrices, body.UsagePrices), http.RequestAborted);
            return Results.Json(new { spec_id, effective_from = body.EffectiveFrom is { } e ? UtcText(e.ToUniversalTime()) : null }, statusCode: StatusCodes.Status201Created);
        }).Action(CatalogService.ImportAction).WithName("AddPriceVersion");
    }

    /// <summary>The spec code of the RESOURCE_SPEC filter (the only key Huawei defines; at most one filter).</summary>
    static string? SpecCodeFilter(List<ResourceSpecsFilter>? filters)
    {
        if (filters is null or { Count: 0 }) return null;
        if (filters.Count > 1) throw Check.Invalid("filters holds at most one filter.");
        var filter = filters[0] ?? throw Check.Invalid("filters[0] must be an object.");
        if (filter.Key != "RESOURCE_SPEC") throw Check.Invalid("filters[0].key must be RESOURCE_SPEC.");
        return filter.Value;
    }
}
