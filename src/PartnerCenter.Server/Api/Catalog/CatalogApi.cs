using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Catalog;

public sealed record ResourceSpecsQuery(string? ServiceTypeCode = null, string? ResourceTypeCode = null, string? RegionCode = null, string? ResourceSpecCode = null,
    int? Offset = null, int? Limit = null);

public sealed record PriceVersionRequest(DateTime? EffectiveFrom, Dictionary<string, decimal>? PeriodPrices = null, List<UsagePriceEntry>? UsagePrices = null);

/// <summary>The product catalog (Huawei BSS product and reference-data queries) and the operator's catalog management under /v1.</summary>
public static class CatalogApi
{
    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/v2/products").WithTags("Product catalog");
        products.MapGet("/service-types", async (CatalogService catalog, HttpContext http, string? service_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListServiceTypesAsync(service_type_code, offset, limit, http.RequestAborted);
            return Results.Ok(new
            {
                total_count = total,
                service_types = items.Select(s => new { service_type_name = s.Name, service_type_code = s.Code, abbreviation = s.Abbreviation }),
            });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListServiceTypes");
        products.MapGet("/resource-types", async (CatalogService catalog, HttpContext http, string? resource_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListResourceTypesAsync(resource_type_code, offset, limit, http.RequestAborted);
            return Results.Ok(new { total_count = total, resource_types = items.Select(ResourceTypeBody) });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListResourceTypes");
        products.MapGet("/service-resources", async (CatalogService catalog, HttpContext http, string? service_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListServiceResourcesAsync(service_type_code, offset, limit, http.RequestAborted);
            return Results.Ok(new { total_count = total, infos = items.Select(ResourceTypeBody) });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListServiceResources");
        products.MapGet("/usage-types", async (CatalogService catalog, HttpContext http, string? resource_type_code, int? offset, int? limit) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListUsageTypesAsync(resource_type_code, offset, limit, http.RequestAborted);
            return Results.Ok(new
            {
                total_count = total,
                usage_types = items.Select(u => new
                {
                    code = u.Type.Code, name = u.Type.Name, resource_type_code = u.Type.ResourceTypeCode, service_type_code = u.Type.ServiceTypeCode,
                    resource_type_name = u.ResourceTypeName, service_type_name = u.ServiceTypeName, usage_measure_id = u.Type.UsageMeasureId,
                }),
            });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListUsageTypes");
        products.MapPost("/resource-specs-query", async (CatalogService catalog, HttpContext http, ResourceSpecsQuery body) =>
        {
            http.Caller();
            var (items, total) = await catalog.ListSpecsAsync(new SpecFilter(body.ServiceTypeCode, body.ResourceTypeCode, body.RegionCode, body.ResourceSpecCode, body.Offset, body.Limit), http.RequestAborted);
            return Results.Ok(new { total_count = total, resource_specs = items.Select(SpecBody) });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListResourceSpecs");

        var bases = app.MapGroup("/v2/bases").WithTags("Product catalog");
        bases.MapGet("/measurements", async (CatalogService catalog, HttpContext http) =>
        {
            http.Caller();
            var units = await catalog.ListMeasureUnitsAsync(http.RequestAborted);
            return Results.Ok(new { measure_units = units.Select(m => new { measure_id = m.MeasureId, measure_name = m.Name, abbreviation = m.Abbreviation, measure_type = m.MeasureType }) });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ListMeasureUnits");
        bases.MapGet("/conversions", async (CatalogService catalog, HttpContext http, int? measure_type) =>
        {
            http.Caller();
            var conversions = await catalog.ListConversionsAsync(measure_type, http.RequestAborted);
            return Results.Ok(new
            {
                conversions = conversions.Select(c => new { measure_id = c.MeasureId, ref_measure_id = c.RefMeasureId, conversion_ratio = c.Ratio, measure_type = c.MeasureType }),
            });
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

    static object ResourceTypeBody(ResourceType r) => new { resource_type_code = r.Code, resource_type_name = r.Name, resource_type_desc = r.Description };

    static object SpecBody(SpecWithPrices s) => new
    {
        id = s.Spec.Id,
        resource_spec_code = s.Spec.SpecCode,
        resource_spec_desc = s.Spec.Description,
        service_type_code = s.Spec.ServiceTypeCode,
        resource_type_code = s.Spec.ResourceTypeCode,
        region_code = s.Spec.Region,
        size_measure_id = s.Spec.SizeMeasureId,
        min_size = s.Spec.MinSize,
        max_size = s.Spec.MaxSize,
        effective_time = s.EffectiveFrom is { } e ? UtcText(e) : null,
        period_prices = s.Current.Where(p => p.Kind == PriceKind.Period).Select(p => new { period_type = p.PeriodType, amount = p.UnitPrice, measure_id = 1 }),
        usage_prices = s.Current.Where(p => p.Kind == PriceKind.Usage).Select(p => new
        {
            usage_factor = p.UsageFactor, usage_measure_id = p.UsageMeasureId, tier_start = p.TierStart, unit_price = p.UnitPrice, measure_id = 1,
        }),
        price_versions = s.Versions.Select(UtcText),
    };
}
