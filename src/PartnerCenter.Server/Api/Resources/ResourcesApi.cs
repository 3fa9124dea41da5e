using PartnerCenter.Core.Resources;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Resources;

public sealed record ResourceQueryRequest(List<string>? ResourceIds = null, string? OrderId = null, int? OnlyMainResource = null, List<int>? StatusList = null,
    string? ExpireTimeBegin = null, string? ExpireTimeEnd = null, string? ServiceTypeCode = null, string? CustomerId = null, int? Offset = null, int? Limit = null, string? IndirectPartnerId = null);
public sealed record RenewRequest(List<string>? ResourceIds, int? PeriodType, int? PeriodNum, int? IsAutoPay = null, int? ExpirePolicy = null, string? CustomerId = null,
    string? IndirectPartnerId = null);
public sealed record AutoRenewRequest(int? AutoRenewTimes = null, string? PeriodType = null, string? CustomerId = null, string? IndirectPartnerId = null);
/// <summary>The SDKs send config_value as a string ("7"); a number is accepted too.</summary>
public sealed record RenewConfigRequest(string? ConfigName,
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString)] int? ConfigValue);
public sealed record ToOnDemandRequest(string? Operation, List<string>? ResourceIds);
public sealed record ToOnDemandNowRequest(List<string>? ResourceIds);
public sealed record RenewRateRequest(List<string>? ResourceIds, int? PeriodType, int? PeriodNum, bool? IncludeRelativeResources = null);
public sealed record UnsubscribeRequest(List<string>? ResourceIds, int? UnsubscribeType, int? UnsubscribeReasonType = null, string? UnsubscribeReason = null,
    string? CustomerId = null, string? IndirectPartnerId = null);

/// <summary>Yearly/monthly resources (Huawei BSS): query, renew, auto-renew, renewal settings, to pay-per-use, unsubscribe and refund details.</summary>
public static class ResourcesApi
{
    public static void MapResourcesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/orders/suscriptions/resources/query", async (HttpContext http, ResourceService resources, ResourceQueryRequest body) =>
        {
            var (items, total) = await resources.ListAsync(http.Caller(), new ResourceFilter(body.ResourceIds, body.OrderId, body.OnlyMainResource, body.StatusList,
                Utc(body.ExpireTimeBegin, "expire_time_begin"), Utc(body.ExpireTimeEnd, "expire_time_end"), body.ServiceTypeCode, body.CustomerId, body.Offset, body.Limit, body.IndirectPartnerId),
                http.RequestAborted);
            return Results.Ok(new { total_count = total, data = items.Select(ResourceJson) });
        }).Action(ResourceActions.View).WithTags("Resources").WithName("ListPayPerUseCustomerResources")
            .WithSummary("The customer's yearly/monthly resources (the path's spelling \"suscriptions\" is Huawei's). A partner names its customer with " +
                         "customer_id, a distributor its reseller's customer with customer_id and indirect_partner_id (also on renew, autorenew and unsubscribe).");

        var api = app.MapGroup("/v2/orders/subscriptions/resources").WithTags("Resources");
        api.MapPost("/renew", async (HttpContext http, ResourceService resources, RenewRequest body) =>
        {
            if (body.ExpirePolicy is not (null or 0 or 1 or 2 or 3)) throw Core.Common.Check.Invalid("expire_policy is 0 to 3.");
            var ids = await resources.RenewAsync(http.Caller(), body.ResourceIds, body.PeriodType, body.PeriodNum, body.IsAutoPay, body.CustomerId, http.RequestAborted, body.IndirectPartnerId);
            return Results.Ok(new { order_ids = ids });
        }).Action(ResourceActions.Renew).WithName("RenewalResources");
        api.MapPost("/autorenew/{resource_id}", async (HttpContext http, ResourceService resources, string resource_id, AutoRenewRequest? body) =>
        {
            await resources.EnableAutoRenewAsync(http.Caller(), resource_id, body?.PeriodType, body?.AutoRenewTimes, body?.CustomerId, http.RequestAborted, body?.IndirectPartnerId);
            return Results.Ok(new { });
        }).Action(ResourceActions.Renew).WithName("AutoRenewalResources");
        api.MapDelete("/autorenew/{resource_id}", async (HttpContext http, ResourceService resources, string resource_id, string? customer_id, string? indirect_partner_id) =>
        {
            await resources.CancelAutoRenewAsync(http.Caller(), resource_id, customer_id, http.RequestAborted, indirect_partner_id);
            return Results.Ok(new { });
        }).Action(ResourceActions.Renew).WithName("CancelAutoRenewalResources");
        api.MapPost("/renew/config", async (HttpContext http, ResourceService resources, RenewConfigRequest body) =>
        {
            await resources.SetRenewConfigAsync(http.Caller(), body.ConfigName, body.ConfigValue, http.RequestAborted);
            return Results.Ok(new { });
        }).Action(ResourceActions.Renew).WithName("SetResourcesRenewConfig");
        api.MapPost("/to-on-demand", async (HttpContext http, ResourceService resources, ToOnDemandRequest body) =>
        {
            await resources.SetToOnDemandAsync(http.Caller(), body.Operation, body.ResourceIds, http.RequestAborted);
            return Results.Ok(new { });
        }).Action(ResourceActions.Renew).WithName("UpdatePeriodToOnDemand");
        api.MapPost("/to-on-demand/instantly", async (HttpContext http, ResourceService resources, ToOnDemandNowRequest body) =>
        {
            var results = await resources.ToOnDemandNowAsync(http.Caller(), body.ResourceIds, http.RequestAborted);
            return Results.Ok(new
            {
                to_ondemand_service_results = results.Select(r => new
                {
                    resource_id = r.ResourceId, result = r.Result, error_code = r.ErrorCode, error_msg = r.ErrorMessage, order_id = r.OrderId,
                }),
            });
        }).Action(ResourceActions.Unsubscribe).WithName("UpdatePeriodToOnDemandInstantly")
            .WithSummary("Yearly/monthly resources become pay-per-use now, their unused time refunded as an unsubscribe would; each resource succeeds or fails on its own.");
        api.MapPost("/unsubscribe", async (HttpContext http, ResourceService resources, UnsubscribeRequest body) =>
        {
            var result = await resources.UnsubscribeAsync(http.Caller(), body.ResourceIds, body.UnsubscribeType, body.UnsubscribeReasonType, body.UnsubscribeReason, http.RequestAborted,
                body.CustomerId, body.IndirectPartnerId);
            return Results.Ok(new { order_ids = result.OrderIds, fail_resource_infos = Array.Empty<object>() });
        }).Action(ResourceActions.Unsubscribe).WithName("CancelResourcesSubscription");

        app.MapPost("/v2/bills/ratings/period-resources/renew-rate", async (HttpContext http, ResourceService resources, RenewRateRequest body) =>
        {
            var quotes = await resources.RenewQuotesAsync(http.Caller(), body.ResourceIds, body.PeriodType, body.PeriodNum, body.IncludeRelativeResources ?? false, http.RequestAborted);
            var rated = quotes.Select(q => (q.Resource.Id, q.Quote)).ToList();
            var perMain = quotes.GroupBy(q => q.Resource.ParentResourceId ?? q.Resource.Id).Select(g => new
            {
                resource_id = g.Key, amount = g.Sum(q => q.Quote.OfficialAmount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            });
            var body2 = System.Text.Json.JsonSerializer.SerializeToNode(Catalog.RatingsApi.PeriodBody(rated), http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions)!.AsObject();
            body2["renew_inquiry_results"] = System.Text.Json.JsonSerializer.SerializeToNode(perMain);
            body2["fail_resource_infos"] = new System.Text.Json.Nodes.JsonArray();
            return Results.Ok(body2);
        }).Action(ResourceActions.View).WithTags("Price inquiry").WithName("ListRenewRateOnPeriod");

        app.MapGet("/v2/orders/customer-orders/refund-orders", async (HttpContext http, ResourceService resources, string? order_id) =>
        {
            var lines = await resources.RefundLinesAsync(http.Caller(), order_id, http.RequestAborted);
            return Results.Ok(new
            {
                total_count = lines.Count,
                refund_infos = lines.Select(l => new
                {
                    id = l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), amount = l.Amount, measure_id = 1, customer_id = (string?)null,
                    resource_id = l.ResourceId, base_order_id = l.BaseOrderId, order_id = l.OrderId, amount_type = l.Kind, currency = "USD",
                }),
            });
        }).Action(ResourceActions.View).WithTags("Orders").WithName("ShowRefundOrderDetails");
    }

    static object ResourceJson(CloudResource r) => new
    {
        id = r.Id, resource_id = r.Id, resource_name = r.Name, region_code = r.Region, service_type_code = r.ServiceTypeCode,
        resource_type_code = r.ResourceTypeCode, resource_spec_code = r.SpecCode, product_id = r.SpecId, parent_resource_id = r.ParentResourceId,
        is_main_resource = r.IsMain ? 1 : 0, status = r.Status, effective_time = UtcText(r.EffectiveTime),
        expire_time = r.ExpireTime is { } e ? UtcText(e) : null, expire_policy = r.ExpirePolicy, product_spec_desc = r.SpecCode,
        spec_size = r.SpecSize, spec_size_measure_id = r.SpecSizeMeasureId, update_time = UtcText(r.UpdatedAt), order_id = r.OrderId,
    };
}
