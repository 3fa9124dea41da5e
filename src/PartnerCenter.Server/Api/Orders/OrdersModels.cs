namespace PartnerCenter.Server.Api.Orders;

/// <param name="ChargingMode">Absent or 1: yearly/monthly; 3: pay-per-use (no period; resources created at once, usage charged hourly).</param>
public sealed record OrderProductRequest(string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, decimal? ResourceSize,
    int? SizeMeasureId, int? PeriodType, int? PeriodNum, int? SubscriptionNum, int? ChargingMode = null);
public sealed record CreateOrderRequest(string? CustomerId, List<OrderProductRequest>? ProductInfos, string? ClientToken, string? IndirectPartnerId = null);
public sealed record PayChoiceRequest(string? Id, int? Type);
public sealed record PayOrdersRequest(string? OrderId, string? UseCoupon, string? UseDiscount, List<PayChoiceRequest>? CouponInfos, List<PayChoiceRequest>? DiscountInfos);
public sealed record CancelOrderRequest(string? OrderId, string? ActionId);

/// <summary>A discount an amount was paid with; its type is the order discount code as text (the SDK reads a string here).</summary>
public sealed record UsedDiscount(string DiscountType, decimal DiscountAmount);

/// <summary>How an amount was paid. Coupons, flexi-purchase coupons and stored-value cards do not exist here yet: 0.</summary>
public sealed record OrderAmountInfo(List<UsedDiscount> Discounts, decimal FlexipurchaseCouponAmount, decimal CouponAmount, decimal StoredCardAmount,
    decimal CommissionAmount, decimal ConsumedAmount);

public sealed record EnterpriseProjectInfo(string Id, string Name);

/// <param name="PayingAgentId">The account id of the partner that paid (a resale customer's order) or of the enterprise master that paid (a finance-custody member's); absent when the customer pays itself.</param>
public sealed record AgentPayInfo(string? PayingAgentId, bool IsAgentPay);

/// <summary>An order as ListCustomerOrders answers it.</summary>
public sealed record ListedOrder(string OrderId, string CustomerId, string ServiceTypeCode, string ServiceTypeName, int SourceType, int Status, int OrderType,
    decimal AmountAfterDiscount, decimal OfficialAmount, int MeasureId, string CreateTime, string? PaymentTime, string Currency, OrderAmountInfo AmountInfo,
    List<EnterpriseProjectInfo> EnterpriseProjects, AgentPayInfo AgentPayInfo);

public sealed record ListCustomerOrdersResponse(int TotalCount, List<ListedOrder> OrderInfos);

/// <summary>An order as ShowCustomerOrderDetails (and our order creation) answers it.</summary>
public sealed record OrderInfo(string OrderId, string CustomerId, string ServiceTypeCode, string ServiceTypeName, int SourceType, int Status, int OrderType,
    decimal AmountAfterDiscount, decimal OfficialAmount, int MeasureId, string CreateTime, string? PaymentTime, string Currency, OrderAmountInfo AmountInfo,
    string UserName, string? PendingPaymentEndTime);

/// <summary>The product a line is for; a product here has no base product of its own, so it is the line's product.</summary>
public sealed record BaseProductInfo(string ProductId, string ProductSpecDesc, string CategoryCode, string ProductOwnerService, string CommercialResource);

/// <param name="EffectiveTime">When the line's resources start (absent until the order is paid).</param>
/// <param name="ExpireTime">When the time the line paid for ends (absent until the order is paid).</param>
public sealed record OrderLineItem(string OrderLineItemId, string ServiceTypeCode, string ServiceTypeName, string ProductId, string ProductSpecDesc, int PeriodType,
    int PeriodNum, string? EffectiveTime, string? ExpireTime, int SubscriptionNum, decimal AmountAfterDiscount, decimal OfficialAmount, OrderAmountInfo AmountInfo,
    string Currency, string CategoryCode, string ProductOwnerService, string CommercialResource, BaseProductInfo BaseProductInfo, string OrderId);

public sealed record ShowCustomerOrderDetailsResponse(int TotalCount, OrderInfo OrderInfo, List<OrderLineItem> OrderLineItems);

/// <param name="DiscountMode">0: a discount rate (the only mode here; 1 is a fixed price, 2 an amount off).</param>
/// <param name="DiscountRatio">The share of the list price paid with the discount (0.9: 10 % off).</param>
public sealed record DiscountedLineItems(List<string> OrderLineItemIds, int DiscountMode, decimal DiscountAmount, decimal DiscountRatio);
public sealed record DiscountedOrder(string OrderId, List<DiscountedLineItems> OrderLineItems);

/// <param name="DiscountValue">The discount rate: the share of the list price paid, as text.</param>
public sealed record OrderDiscountInfo(string DiscountId, string DiscountValue, int DiscountType, List<DiscountedOrder> Orders);
public sealed record ListOrderDiscountsResponse(List<OrderDiscountInfo> Discounts);

/// <summary>A discount a new order may be paid with (our own order creation).</summary>
public sealed record OrderDiscountChoice(string DiscountId, int DiscountType, decimal DiscountAmount, decimal Amount, int BestOffer);
public sealed record CreateOrderResponse(string OrderId, OrderInfo OrderInfo, List<OrderDiscountChoice> OptionalDiscounts);
