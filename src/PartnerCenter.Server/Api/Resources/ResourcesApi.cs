using System.Globalization;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Resources;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Resources;

/// <summary>Yearly/monthly resources (Huawei BSS): query, renew, auto-renew, renewal settings, to pay-per-use, unsubscribe and refund details.</summary>
public static class ResourcesApi
{
    const string Currency = "USD";
    /// <summary>Huawei's "default" enterprise project, where everything outside an enterprise project is; this product has no others yet.</summary>
    static readonly ResourceEnterpriseProject DefaultEnterpriseProject = new("0", "default");

    public static void MapResourcesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/orders/suscriptions/resources/query", async (HttpContext http, ResourceService resources, ResourceQueryRequest body) =>
        {
            var (items, total) = await resources.ListAsync(http.Caller(), new ResourceFilter(body.ResourceIds, body.OrderId, body.OnlyMainResource, body.StatusList,
                Utc(body.ExpireTimeBegin, "expire_time_begin"), Utc(body.ExpireTimeEnd, "expire_time_end"), body.ServiceTypeCode, body.CustomerId, body.Offset, body.Limit, body.IndirectPartnerId),
                http.RequestAborted);
            var labels = await resources.LabelsAsync(items, http.RequestAborted);
            return TypedResults.Ok(new ListPayPerUseCustomerResourcesResponse(items.Select(r => Resource(r, labels)).ToList(), total));
        }).Action(ResourceActions.View).WithTags("Resources").WithName("ListPayPerUseCustomerResources")
            .WithSummary("The customer's yearly/monthly resources (the path's spelling \"suscriptions\" is Huawei's). A partner names its customer with " +
                         "customer_id, a distributor its reseller's customer with customer_id and indirect_partner_id (also on renew, autorenew and unsubscribe).");

        var api = app.MapGroup("/v2/orders/subscriptions/resources").WithTags("Resources");
        api.MapPost("/renew", async (HttpContext http, ResourceService resources, RenewRequest body) =>
        {
            if (body.ExpirePolicy is not (null or 0 or 1 or 2 or 3)) throw Core.Common.Check.Invalid("expire_policy is 0 to 3.");
            var ids = await resources.RenewAsync(http.Caller(), body.ResourceIds, body.PeriodType, body.PeriodNum, body.IsAutoPay, body.CustomerId, http.RequestAborted, body.IndirectPartnerId);
            return TypedResults.Ok(new RenewalResourcesResponse(ids.ToList()));
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
            return TypedResults.Ok(new SetResourcesRenewConfigResponse());
        }).Action(ResourceActions.Renew).WithName("SetResourcesRenewConfig")
            .WithSummary("Sets the caller's renewal settings. Success answers an empty object; a refusal is the error body, whose error_code and error_msg the SDK reads.");
        api.MapPost("/to-on-demand", async (HttpContext http, ResourceService resources, ToOnDemandRequest body) =>
        {
            await resources.SetToOnDemandAsync(http.Caller(), body.Operation, body.ResourceIds, http.RequestAborted);
            return TypedResults.Ok(new UpdatePeriodToOnDemandResponse());
        }).Action(ResourceActions.Renew).WithName("UpdatePeriodToOnDemand")
            .WithSummary("Sets or cancels pay-per-use at expiry for all the resources, or refuses the whole request with an error (no resource fails alone).");
        api.MapPost("/to-on-demand/instantly", async (HttpContext http, ResourceService resources, ToOnDemandNowRequest body) =>
        {
            var results = await resources.ToOnDemandNowAsync(http.Caller(), body.ResourceIds, http.RequestAborted);
            return TypedResults.Ok(new UpdatePeriodToOnDemandInstantlyResponse(
                results.Select(r => new ToOnDemandServiceResult(r.ResourceId, r.Result, r.ErrorCode, r.ErrorMessage, r.OrderId)).ToList()));
        }).Action(ResourceActions.Unsubscribe).WithName("UpdatePeriodToOnDemandInstantly")
            .WithSummary("Yearly/monthly resources become pay-per-use now, their unused time refunded as an unsubscribe would; each resource succeeds or fails on its own.");
        api.MapPost("/unsubscribe", async (HttpContext http, ResourceService resources, UnsubscribeRequest body) =>
        {
            var result = await resources.UnsubscribeAsync(http.Caller(), body.ResourceIds, body.UnsubscribeType, body.UnsubscribeReasonType, body.UnsubscribeReason, http.RequestAborted,
                body.CustomerId, body.IndirectPartnerId);
            return TypedResults.Ok(new CancelResourcesSubscriptionResponse(result.OrderIds.ToList()));
        }).Action(ResourceActions.Unsubscribe).WithName("CancelResourcesSubscription");

        app.MapPost("/v2/bills/ratings/period-resources/renew-rate", async (HttpContext http, ResourceService resources, RenewRateRequest body) =>
        {
            var quotes = await resources.RenewQuotesAsync(http.Caller(), body.ResourceIds, body.PeriodType, body.PeriodNum, body.IncludeRelativeResources ?? false, http.RequestAborted);
            return TypedResults.Ok(RenewRate(quotes));
        }).Action(ResourceActions.View).WithTags("Price inquiry").WithName("ListRenewRateOnPeriod");

        app.MapGet("/v2/orders/customer-orders/refund-orders", async (HttpContext http, ResourceService resources, string? order_id, string? customer_id, string? indirect_partner_id) =>
        {
            var (order, lines, refunded, names) = await resources.RefundOrderAsync(http.Caller(), order_id, customer_id, indirect_partner_id, http.RequestAborted);
            return TypedResults.Ok(new ShowRefundOrderDetailsResponse(lines.Count, lines.Select(l =>
            {
                var r = refunded[l.ResourceId];
                return new RefundInfo(l.Id.ToString(CultureInfo.InvariantCulture), l.Amount, "1", order.CustomerAccountId, r.ResourceTypeCode, r.ServiceTypeCode,
                    names.ResourceType(r.ResourceTypeCode), names.ServiceType(r.ServiceTypeCode), r.Region, l.BaseOrderId);
            }).ToList()));
        }).Action(ResourceActions.View).WithTags("Orders").WithName("ShowRefundOrderDetails")
            .WithSummary("A refund order's lines (an unsubscribe or a switch to pay-per-use now): a refund is negative, what was consumed or charged as a fee positive. "
                         + "A partner names its customer with customer_id, a distributor its reseller with indirect_partner_id.");
    }

    static SubscribedResource Resource(CloudResource r, ResourceLabels labels) => new(r.Id, r.Id, r.Name, r.Region, r.ServiceTypeCode, r.ResourceTypeCode,
        labels.Names.ResourceType(r.ResourceTypeCode), labels.Names.ServiceType(r.ServiceTypeCode), r.SpecCode, labels.ProjectOf(r), r.SpecId, r.ParentResourceId,
        r.IsMain ? 1 : 0, r.Status, UtcText(r.EffectiveTime), r.ExpireTime is { } e ? UtcText(e) : null, r.ExpirePolicy, r.SpecCode, r.SpecSize, r.SpecSizeMeasureId,
        UtcText(r.UpdatedAt), DefaultEnterpriseProject);

    /// <summary>
    /// The renewal's list price per main resource and in all, and one result per discount the customer holds: a discount
    /// that does not cover a resource leaves it at list price. The best offer is the largest saving (ties: commercial first).
    /// </summary>
    static ListRenewRateOnPeriodResponse RenewRate(IReadOnlyList<(CloudResource Resource, PeriodQuote Quote)> quotes)
    {
        var official = quotes.Sum(q => q.Quote.OfficialAmount);
        var perMain = quotes.GroupBy(q => q.Resource.ParentResourceId ?? q.Resource.Id)
            .Select(g => new RenewInquiryResult(g.Key, Text(g.Sum(q => q.Quote.OfficialAmount)))).ToList();
        var discounts = quotes.SelectMany(q => q.Quote.Discounts).GroupBy(d => d.DiscountId)
            .Select(g => (Id: g.Key, Type: g.First().DiscountType, Saving: g.Sum(d => d.DiscountAmount))).ToList();
        var best = discounts.Where(d => d.Saving > 0).OrderByDescending(d => d.Saving).ThenBy(d => DiscountTypes.Priority(d.Type)).Select(d => d.Id).FirstOrDefault();
        var options = discounts.Select(d => new RenewDiscountRating(d.Id, Text(official - d.Saving), Text(official), Text(d.Saving), d.Type, DiscountName(d.Type),
            d.Id == best ? 1 : 0)).ToList();
        return new ListRenewRateOnPeriodResponse(Currency, perMain, new RenewOfficialRating(Text(official)), options);
    }

    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    static string DiscountName(int type) => type switch
    {
        DiscountTypes.Commercial => "Commercial discount",
        DiscountTypes.DistributorCommercial => "Distributor commercial discount",
        _ => "Partner discount",
    };
}
