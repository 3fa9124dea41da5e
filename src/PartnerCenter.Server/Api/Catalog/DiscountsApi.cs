using PartnerCenter.Core.Catalog;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Catalog;

public sealed record GrantDiscountRequest(string? CustomerId, decimal? DiscountRate, string? ServiceTypeCode = null, DateTime? ValidFrom = null, DateTime? ValidTo = null,
    string? IndirectPartnerId = null);

public sealed record SettlementDiscountRequest(decimal? DiscountRate);

/// <summary>
/// Discounts (this server's own /v1 paths: Huawei has no public API to grant them): a partner's discounts for its
/// customers (607), the operator's commercial discounts (605) and partners' settlement discounts.
/// </summary>
public static class DiscountsApi
{
    public static void MapDiscountsApi(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup("/v1/partners/discounts").WithTags("Discounts");
        partner.MapPost("", async (DiscountService discounts, HttpContext http, GrantDiscountRequest body) =>
            Results.Json(View(await discounts.GrantPartnerDiscountAsync(http.Caller(), Input(body), http.RequestAborted)), statusCode: StatusCodes.Status201Created))
            .Action(DiscountActions.Manage).WithName("GrantPartnerDiscount");
        partner.MapGet("", async (DiscountService discounts, HttpContext http, string? customer_id, bool? include_revoked, string? indirect_partner_id) =>
            Results.Ok(new { discounts = (await discounts.ListGrantedAsync(http.Caller(), customer_id, include_revoked ?? false, indirect_partner_id, http.RequestAborted)).Select(View) }))
            .Action(DiscountActions.View).WithName("ListPartnerDiscounts");
        partner.MapDelete("/{discount_id}", async (DiscountService discounts, HttpContext http, string discount_id, string? indirect_partner_id) =>
        {
            await discounts.RevokeAsync(http.Caller(), discount_id, indirect_partner_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(DiscountActions.Manage).WithName("RevokePartnerDiscount");

        var commercial = app.MapGroup("/v1/commercial-discounts").WithTags("Discounts");
        commercial.MapPost("", async (DiscountService discounts, HttpContext http, GrantDiscountRequest body) =>
            Results.Json(View(await discounts.GrantCommercialDiscountAsync(http.Caller(), Input(body), http.RequestAborted)), statusCode: StatusCodes.Status201Created))
            .Action(DiscountActions.Manage).WithName("GrantCommercialDiscount");
        commercial.MapGet("", async (DiscountService discounts, HttpContext http, string? customer_id, bool? include_revoked) =>
            Results.Ok(new { discounts = (await discounts.ListCommercialAsync(http.Caller(), customer_id, include_revoked ?? false, http.RequestAborted)).Select(View) }))
            .Action(DiscountActions.View).WithName("ListCommercialDiscounts");
        commercial.MapDelete("/{discount_id}", async (DiscountService discounts, HttpContext http, string discount_id) =>
        {
            await discounts.RevokeCommercialAsync(http.Caller(), discount_id, http.RequestAborted);
            return Results.NoContent();
        }).Action(DiscountActions.Manage).WithName("RevokeCommercialDiscount");

        app.MapPut("/v1/partners/{partner_id}/settlement-discount", async (DiscountService discounts, HttpContext http, string partner_id, SettlementDiscountRequest body) =>
        {
            await discounts.SetSettlementDiscountAsync(http.Caller(), partner_id, body.DiscountRate, http.RequestAborted);
            return Results.Ok(Settlement(await discounts.ShowSettlementDiscountAsync(http.Caller(), partner_id, http.RequestAborted)));
        }).Action(DiscountActions.Manage).WithTags("Discounts").WithName("SetSettlementDiscount");
        app.MapGet("/v1/partners/{partner_id}/settlement-discount", async (DiscountService discounts, HttpContext http, string partner_id) =>
            Results.Ok(Settlement(await discounts.ShowSettlementDiscountAsync(http.Caller(), partner_id, http.RequestAborted))))
            .Action(DiscountActions.View).WithTags("Discounts").WithName("ShowSettlementDiscount");
        app.MapGet("/v1/partner/settlement-discount", async (DiscountService discounts, HttpContext http) =>
            Results.Ok(Settlement(await discounts.ShowSettlementDiscountAsync(http.Caller(), null, http.RequestAborted))))
            .Action(DiscountActions.View).WithTags("Discounts").WithName("ShowOwnSettlementDiscount");
    }

    static DiscountInput Input(GrantDiscountRequest b) => new(b.CustomerId, b.DiscountRate, b.ServiceTypeCode, b.ValidFrom, b.ValidTo, b.IndirectPartnerId);

    static object View(CustomerDiscount d) => new
    {
        discount_id = d.Id, customer_id = d.CustomerAccountId, discount_type = d.DiscountType, discount_rate = d.Rate, service_type_code = d.ServiceTypeCode,
        valid_from = UtcText(d.ValidFrom), valid_to = d.ValidTo is { } t ? UtcText(t) : null, created_at = UtcText(d.CreatedAt), created_by = d.CreatedBy,
        status = d.RevokedAt is null ? "active" : "revoked", revoked_at = d.RevokedAt is { } r ? UtcText(r) : null,
    };

    static object Settlement(SettlementView s) => new
    {
        partner_id = s.PartnerId, discount_rate = s.Rate ?? 0m, effective_from = s.EffectiveFrom is { } e ? UtcText(e) : null,
    };
}
