using PartnerCenter.Core.Orders;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Orders;

/// <param name="ChargingMode">Absent or 1: yearly/monthly; 3: pay-per-use (no period; resources created at once, usage charged hourly).</param>
public sealed record OrderProductRequest(string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, decimal? ResourceSize,
    int? SizeMeasureId, int? PeriodType, int? PeriodNum, int? SubscriptionNum, int? ChargingMode = null);
public sealed record CreateOrderRequest(string? CustomerId, List<OrderProductRequest>? ProductInfos, string? ClientToken, string? IndirectPartnerId = null);
public sealed record PayChoiceRequest(string? Id, int? Type);
public sealed record PayOrdersRequest(string? OrderId, string? UseCoupon, string? UseDiscount, List<PayChoiceRequest>? CouponInfos, List<PayChoiceRequest>? DiscountInfos);
public sealed record CancelOrderRequest(string? OrderId, string? ActionId);

/// <summary>
/// Yearly/monthly orders: Huawei's queries, cancel and PayOrders, and our own order creation (the public API has none),
/// for a customer or by its partner on its behalf.
/// </summary>
public static class OrdersApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/orders", async (HttpContext http, OrderService orders, Core.Usage.OnDemandService onDemand, CreateOrderRequest body) =>
        {
            var lines = body.ProductInfos?.Select(p => new NewOrderLine(p.CloudServiceType, p.ResourceType, p.ResourceSpec, p.Region, p.ResourceSize,
                p.SizeMeasureId, p.PeriodType, p.PeriodNum, p.SubscriptionNum, p.ChargingMode)).ToList();
            var request = new NewOrder(body.CustomerId, lines, body.ClientToken, body.IndirectPartnerId);
            var order = lines?.Any(l => l.ChargingMode == Core.Resources.ChargeMode.OnDemand) == true
                ? await onDemand.CreateOrderAsync(http.Caller(), request, http.RequestAborted)
                : await orders.CreateAsync(http.Caller(), request, http.RequestAborted);
            return Results.Ok(new
            {
                order_id = order.Id, order_info = OrderJson(order), optional_discounts = order.DiscountOptions.Select(DiscountJson),
            });
        }).Action(OrderActions.Create).WithTags("Orders").WithName("CreateCustomerOrder")
            .WithSummary("Creates a yearly/monthly order pending payment (status 6): for the caller, or for customer_id by its partner. Idempotent by client_token. "
                         + "Products with charging_mode 3 (and no period) are pay-per-use: their resources exist at once and the order is completed with amount 0.");

        var api = app.MapGroup("/v2/orders/customer-orders").WithTags("Orders");
        api.MapGet("", async (HttpContext http, OrderService orders, string? order_id, string? customer_id, string? create_time_begin, string? create_time_end,
            string? service_type_code, int? status, int? order_type, int? limit, int? offset, string? order_by, string? payment_time_begin,
            string? payment_time_end, string? indirect_partner_id, string? method) =>
        {
            if (method is not (null or "" or "oneself" or "sub_customer")) throw Core.Common.Check.Invalid("method is oneself or sub_customer.");
            var (list, total) = await orders.ListAsync(http.Caller(), new OrderFilter(order_id, customer_id, Utc(create_time_begin, "create_time_begin"),
                Utc(create_time_end, "create_time_end"), service_type_code, status, order_type, Utc(payment_time_begin, "payment_time_begin"),
                Utc(payment_time_end, "payment_time_end"), order_by, offset, limit, indirect_partner_id), http.RequestAborted);
            return Results.Ok(new { total_count = total, order_infos = list.Select(OrderJson) });
        }).Action(OrderActions.View).WithName("ListCustomerOrders");

        api.MapGet("/details/{order_id}", async (HttpContext http, OrderService orders, string order_id, int? offset, int? limit) =>
        {
            var order = await orders.DetailsAsync(http.Caller(), order_id, http.RequestAborted);
            if (limit is < 1 or > 100 || offset < 0) throw Core.Common.Check.Invalid("limit is 1 to 100 and offset 0 or more.");
            var lines = order.Lines.OrderBy(l => l.Id).Skip(offset ?? 0).Take(limit ?? 10);
            return Results.Ok(new
            {
                total_count = order.Lines.Count,
                order_info = OrderJson(order),
                order_line_items = lines.Select(l => new
                {
                    order_line_item_id = l.Id, cloud_service_type = l.CloudServiceType, product_id = l.SpecId, product_spec_desc = l.ResourceSpec,
                    resource_type = l.ResourceType, region = l.Region, resource_size = l.ResourceSize, size_measure_id = l.SizeMeasureId,
                    period_type = l.PeriodType, period_num = l.PeriodNum, subscription_num = l.SubscriptionNum,
                    official_amount = l.OfficialAmount, amount_after_discount = order.Status == OrderStatus.Completed && order.OfficialAmount > 0
                        ? Core.Common.Money.Round2(l.OfficialAmount * order.AmountAfterDiscount / order.OfficialAmount) : l.OfficialAmount,
                    measure_id = MeasureUnit, currency = Currency,
                }),
            });
        }).Action(OrderActions.View).WithName("ShowCustomerOrderDetails");

        api.MapPut("/cancel", async (HttpContext http, OrderService orders, CancelOrderRequest body) =>
        {
            if (body.ActionId is not (null or "cancel")) throw Core.Common.Check.Invalid("action_id is cancel.");
            await orders.CancelAsync(http.Caller(), body.OrderId, http.RequestAborted);
            return Results.Ok(new { });
        }).Action(OrderActions.Cancel).WithName("CancelCustomerOrder");

        api.MapGet("/order-discounts", async (HttpContext http, OrderService orders, string? order_id) =>
        {
            var (order, discounts) = await orders.DiscountsAsync(http.Caller(), order_id, http.RequestAborted);
            return Results.Ok(new
            {
                discounts = discounts.Select(d => new
                {
                    discount_id = d.DiscountId, discount_type = d.DiscountType,
                    discount_value = order.OfficialAmount == 0 ? "1" : (d.AmountAfterDiscount / order.OfficialAmount).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
                    best_offer = d.BestOffer ? 1 : 0,
                    orders = new[] { new { order_id = order.Id, order_amount = d.AmountAfterDiscount } },
                }),
            });
        }).Action(OrderActions.View).WithName("ListOrderDiscounts");

        app.MapPost("/v3/orders/customer-orders/pay", async (HttpContext http, OrderService orders, PayOrdersRequest body) =>
        {
            await orders.PayAsync(http.Caller(), new PayRequest(body.OrderId, body.UseCoupon, body.UseDiscount,
                body.CouponInfos?.Select(c => new PayChoice(c.Id, c.Type)).ToList(), body.DiscountInfos?.Select(d => new PayChoice(d.Id, d.Type)).ToList()), http.RequestAborted);
            return Results.Ok(new { });
        }).Action(OrderActions.Pay).WithTags("Orders").WithName("PayOrders");
    }

    static object OrderJson(Order o) => new
    {
        order_id = o.Id, customer_id = o.CustomerAccountId, service_type_code = o.ServiceTypeCode, source_type = o.SourceType, status = o.Status,
        order_type = o.OrderType, amount_after_discount = o.AmountAfterDiscount, official_amount = o.OfficialAmount, measure_id = MeasureUnit,
        create_time = UtcText(o.CreatedAt), payment_time = o.PaidAt is { } p ? UtcText(p) : null, currency = Currency, user_name = o.CreatedByUserName,
        pending_payment_end_time = o.Status == OrderStatus.PendingPayment ? UtcText(o.PaymentDeadline) : null,
        amount_info = new
        {
            discounts = o.DiscountId is null ? [] : new[] { new { discount_type = o.DiscountType, discount_amount = o.OfficialAmount - o.AmountAfterDiscount } },
            flexipurchase_coupon_amount = 0m, coupon_amount = 0m, stored_card_amount = 0m, commission_amount = 0m, consumed_amount = 0m,
        },
    };

    static object DiscountJson(OrderDiscountOption d) => new
    {
        discount_id = d.DiscountId, discount_type = d.DiscountType, discount_amount = d.DiscountAmount, amount = d.AmountAfterDiscount, best_offer = d.BestOffer ? 1 : 0,
    };
}
