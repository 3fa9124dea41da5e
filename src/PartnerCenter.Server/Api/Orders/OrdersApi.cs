using System.Globalization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Orders;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Orders;

/// <summary>
/// Yearly/monthly orders: Huawei's queries, cancel and PayOrders, and our own order creation (the public API has none),
/// for a customer or by its partner on its behalf.
/// </summary>
public static class OrdersApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";
    /// <summary>Huawei's "default" enterprise project, where everything outside an enterprise project is; this product has no others yet.</summary>
    static readonly EnterpriseProjectInfo DefaultEnterpriseProject = new("0", "default");

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
            var names = await orders.ServiceTypeNameAsync(order.ServiceTypeCode);
            return TypedResults.Ok(new CreateOrderResponse(order.Id, Info(order, names),
                order.DiscountOptions.Select(d => new OrderDiscountChoice(d.DiscountId, d.DiscountType, d.DiscountAmount, d.AmountAfterDiscount, d.BestOffer ? 1 : 0)).ToList()));
        }).Action(OrderActions.Create).WithTags("Orders").WithName("CreateCustomerOrder")
            .WithSummary("Creates a yearly/monthly order pending payment (status 6): for the caller, or for customer_id by its partner. Idempotent by client_token. "
                         + "Products with charging_mode 3 (and no period) are pay-per-use: their resources exist at once and the order is completed with amount 0.");

        var api = app.MapGroup("/v2/orders/customer-orders").WithTags("Orders");
        api.MapGet("", async (HttpContext http, OrderService orders, string? order_id, string? customer_id, string? create_time_begin, string? create_time_end,
            string? service_type_code, int? status, string? order_type, int? limit, int? offset, string? order_by, string? payment_time_begin,
            string? payment_time_end, string? indirect_partner_id, string? method) =>
        {
            if (method is not (null or "" or "oneself" or "sub_customer")) throw Check.Invalid("method is oneself or sub_customer.");
            // The SDK sends order_type as text ("1").
            int? type = string.IsNullOrEmpty(order_type) ? null
                : int.TryParse(order_type, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : throw Check.Invalid("order_type is an order type code such as 1.");
            var (list, total) = await orders.ListAsync(http.Caller(), new OrderFilter(order_id, customer_id, Utc(create_time_begin, "create_time_begin"),
                Utc(create_time_end, "create_time_end"), service_type_code, status, type, Utc(payment_time_begin, "payment_time_begin"),
                Utc(payment_time_end, "payment_time_end"), order_by, offset, limit, indirect_partner_id, method), http.RequestAborted);
            var names = await orders.CatalogNamesAsync(http.RequestAborted);
            return TypedResults.Ok(new ListCustomerOrdersResponse(total, list.Select(o => new ListedOrder(o.Id, o.CustomerAccountId, o.ServiceTypeCode,
                names.ServiceType(o.ServiceTypeCode), o.SourceType, o.Status, o.OrderType, o.AmountAfterDiscount, o.OfficialAmount, MeasureUnit, UtcText(o.CreatedAt),
                o.PaidAt is { } p ? UtcText(p) : null, Currency, AmountOf(o, o.OfficialAmount, o.AmountAfterDiscount, o.CouponAmount), [DefaultEnterpriseProject],
                AgentPay(o))).ToList()));
        }).Action(OrderActions.View).WithName("ListCustomerOrders");

        api.MapGet("/details/{order_id}", async (HttpContext http, OrderService orders, string order_id, int? offset, int? limit, string? indirect_partner_id) =>
        {
            if (limit is < 1 or > 100 || offset < 0) throw Check.Invalid("limit is 1 to 100 and offset 0 or more.");
            var (order, terms, names) = await orders.DetailsWithTermsAsync(http.Caller(), order_id, indirect_partner_id, http.RequestAborted);
            var lines = order.Lines.OrderBy(l => l.Id).Skip(offset ?? 0).Take(limit ?? 10).Select(l =>
            {
                var paid = order.Status == OrderStatus.Completed && order.OfficialAmount > 0
                    ? Money.Round2(l.OfficialAmount * order.AmountAfterDiscount / order.OfficialAmount) : l.OfficialAmount;
                var term = terms.GetValueOrDefault(l.Id);
                return new OrderLineItem(l.Id, l.CloudServiceType, names.ServiceType(l.CloudServiceType), l.SpecId, l.ResourceSpec, l.PeriodType, l.PeriodNum,
                    term is null ? null : UtcText(term.Effective), term is null ? null : UtcText(term.Expire), l.SubscriptionNum, paid, l.OfficialAmount,
                    AmountOf(order, l.OfficialAmount, paid, order.OfficialAmount == 0 ? 0 : Money.Round2(order.CouponAmount * l.OfficialAmount / order.OfficialAmount)), Currency, l.ResourceType, l.CloudServiceType, l.ResourceType,
                    new BaseProductInfo(l.SpecId, l.ResourceSpec, l.ResourceType, l.CloudServiceType, l.ResourceType), order.Id);
            }).ToList();
            return TypedResults.Ok(new ShowCustomerOrderDetailsResponse(order.Lines.Count, Info(order, names), lines));
        }).Action(OrderActions.View).WithName("ShowCustomerOrderDetails");

        api.MapPut("/cancel", async (HttpContext http, OrderService orders, CancelOrderRequest body) =>
        {
            if (body.ActionId is not (null or "cancel")) throw Check.Invalid("action_id is cancel.");
            await orders.CancelAsync(http.Caller(), body.OrderId, http.RequestAborted);
            return Results.Ok(new { });
        }).Action(OrderActions.Cancel).WithName("CancelCustomerOrder");

        api.MapGet("/order-discounts", async (HttpContext http, OrderService orders, string? order_id) =>
        {
            var (order, discounts) = await orders.DiscountsAsync(http.Caller(), order_id, http.RequestAborted);
            var lineIds = order.Lines.OrderBy(l => l.Id).Select(l => l.Id).ToList();
            return TypedResults.Ok(new ListOrderDiscountsResponse(discounts.Select(d =>
            {
                var ratio = order.OfficialAmount == 0 ? 1m : Math.Round(d.AmountAfterDiscount / order.OfficialAmount, 4, MidpointRounding.AwayFromZero);
                // The order's options hold each discount's saving over the whole order, so its lines are answered as one group.
                return new OrderDiscountInfo(d.DiscountId, ratio.ToString("0.####", CultureInfo.InvariantCulture), d.DiscountType,
                    [new DiscountedOrder(order.Id, [new DiscountedLineItems(lineIds, 0, d.DiscountAmount, ratio)])]);
            }).ToList()));
        }).Action(OrderActions.View).WithName("ListOrderDiscounts");

        app.MapPost("/v3/orders/customer-orders/pay", async (HttpContext http, OrderService orders, PayOrdersRequest body) =>
        {
            await orders.PayAsync(http.Caller(), new PayRequest(body.OrderId, body.UseCoupon, body.UseDiscount,
                body.CouponInfos?.Select(c => new PayChoice(c.Id, c.Type)).ToList(), body.DiscountInfos?.Select(d => new PayChoice(d.Id, d.Type)).ToList()), http.RequestAborted);
            return Results.Ok(new { });
        }).Action(OrderActions.Pay).WithTags("Orders").WithName("PayOrders");
    }

    static OrderInfo Info(Order o, CatalogNames names) => new(o.Id, o.CustomerAccountId, o.ServiceTypeCode, names.ServiceType(o.ServiceTypeCode), o.SourceType,
        o.Status, o.OrderType, o.AmountAfterDiscount, o.OfficialAmount, MeasureUnit, UtcText(o.CreatedAt), o.PaidAt is { } p ? UtcText(p) : null, Currency,
        AmountOf(o, o.OfficialAmount, o.AmountAfterDiscount, o.CouponAmount), o.CreatedByUserName,
        o.Status == OrderStatus.PendingPayment ? UtcText(o.PaymentDeadline) : null);

    /// <summary>How an amount (the order's or one line's) was paid: the order's discount, if it used one, took the difference.</summary>
    /// <param name="coupons">What coupons paid of it (coupon_amount: the order's coupons are not told apart by kind here).</param>
    /// <summary>Who paid for the customer: its resale partner, or its enterprise master for a finance-custody member.</summary>
    static AgentPayInfo AgentPay(Order o) => (o.FundingPartnerAccountId ?? o.PaidByAccountId) is { } agent ? new AgentPayInfo(agent, true) : new AgentPayInfo(null, false);

    static OrderAmountInfo AmountOf(Order o, decimal official, decimal paid, decimal coupons) => new(
        o.DiscountType is { } type && official > paid ? [new UsedDiscount(type.ToString(CultureInfo.InvariantCulture), official - paid)] : [],
        0m, coupons, 0m, 0m, 0m);
}
