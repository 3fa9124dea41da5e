using System.Globalization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Orders;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Coupons;

public sealed record LimitValue(string Value1, string Value2);
public sealed record LimitInfo(string LimitKey, List<LimitValue> LimitValues);

public sealed record QuotaItem(string QuotaId, int QuotaType, string CreateTime, string LastUpdateTime, decimal QuotaValue, int QuotaStatus, decimal Balance,
    int MeasureId, string Currency, string EffectiveTime, string ExpireTime, List<LimitInfo> LimitInfos);
public sealed record IssuedQuotaItem(string QuotaId, int QuotaType, string CreateTime, string LastUpdateTime, decimal QuotaValue, int QuotaStatus, decimal Balance,
    int MeasureId, string Currency, string EffectiveTime, string ExpireTime, List<LimitInfo> LimitInfos, string? IndirectPartnerId, string? IndirectPartnerAccountName,
    string? IndirectPartnerName, string? ParentQuotaId);

public sealed record QueryCouponQuotasRequest(List<string?>? QuotaIds, List<int>? QuotaStatusList, int? QuotaType, string? CreateTimeBegin, string? CreateTimeEnd,
    string? EffectiveTimeBegin, string? EffectiveTimeEnd, string? ExpireTimeBegin, string? ExpireTimeEnd, int? Offset, int? Limit, string? IndirectPartnerId);
public sealed record ListQuotaCouponsResponse(int TotalCount, List<QuotaItem> Quotas);
public sealed record ListIssuedCouponQuotasResponse(int TotalCount, List<IssuedQuotaItem> Quotas);

public sealed record ErrorDetail(string ErrorCode, string ErrorMsg, string Id);
/// <summary>AdjustCouponQuotasReq; client_token is this server's optional idempotency key.</summary>
public sealed record AdjustCouponQuotasRequest(string? QuotaId, List<string?>? IndirectPartnerIds, decimal? QuotaAmount, string? ClientToken);
public sealed record SimpleQuotaInfo(string Id, string QuotaId);
public sealed record UpdateCouponQuotasResponse(List<ErrorDetail>? ErrorDetails, List<SimpleQuotaInfo> SimpleQuotaInfos);
/// <summary>ReclaimCouponQuotasReq; client_token is this server's optional idempotency key.</summary>
public sealed record ReclaimCouponQuotasRequest(List<string?>? QuotaIds, string? Remark, string? ClientToken);
public sealed record ReclaimedQuotaInfo(string QuotaId, decimal QuotaBalance);
public sealed record ReclaimCouponQuotasResponse(List<ErrorDetail>? ErrorDetails, List<ReclaimedQuotaInfo> SimpleQuotaInfos);

public sealed record QuotaRecordItem(string Id, string Operator, string OperationType, string QuotaId, string ParentQuotaId, decimal Amount, string OperationTime,
    string Result, string IndirectPartnerAccountName, string IndirectPartnerId, string IndirectPartnerName, string Remark);
public sealed record ListCouponQuotasRecordsResponse(int TotalCount, List<QuotaRecordItem> Records);

/// <summary>CreatePartnerCouponsReq; client_token is this server's optional idempotency key.</summary>
public sealed record CreatePartnerCouponsRequest(string? QuotaId, List<string?>? CustomerIds, decimal? FaceValue, string? ValidTime, string? ExpireTime,
    List<string?>? CloudServiceTypes, List<string?>? ProductIds, string? Memo, string? IndirectPartnerId, string? ClientToken);
public sealed record IssuedCouponInfo(string Id, string CouponId);
public sealed record CreatePartnerCouponsResponse(List<ErrorDetail>? ErrorDetails, List<IssuedCouponInfo> CouponInfos);

public sealed record UseLimit(string UseLimitiInfoId, string LimitKey, string Value1, string Value2, string ValueUnit, string LimitType, string PromotionPlanId);
public sealed record PartnerCouponItem(string CouponId, int Status, string CustomerId, int CouponType, int MeasureId, decimal FaceValue, string EffectiveTime,
    string ExpireTime, string? OrderId, string PromotionPlanId, string PromotionPlanName, string PromotionPlanDesc, int MediaType, int FetchMethod,
    List<UseLimit> UseLimits, string ActiveTime, string? LastUsedTime, string PromotionId, string CreateTime, decimal Balance, string? LockOrderId, string IsFrozen);
public sealed record ListIssuedPartnerCouponsResponse(int TotalCount, List<PartnerCouponItem> UserCoupons);

public sealed record ReclaimPartnerCouponsRequest(string? CouponId, string? IndirectPartnerId);

public sealed record CouponRecordItem(string Id, string OperationType, string? QuotaId, int QuotaType, string CouponId, string CustomerId, decimal OperationAmount,
    string OperationTime, string Result, string Remark);
public sealed record ListPartnerCouponsRecordResponse(int TotalCount, List<CouponRecordItem> Records);

public sealed record CustomerCouponItem(string CouponId, string CouponCode, int Status, string CustomerId, int CouponType, int MeasureId, decimal FaceValue,
    string ValidTime, string ExpireTime, string? OrderId, string PromotionPlanId, string PlanName, string PlanDesc, int MediaType, int FetchMethod,
    List<UseLimit> UseLimits, string ActiveTime, string ReserveTime, string PromotionId, string CreateTime, int CouponVersion, decimal Balance, string? LockOrderId,
    string CouponUsage, string IsFrozen, string Currency, string ExtendParam1, string SourceId);
public sealed record ListSubCustomerCouponsResponse(int Count, List<CustomerCouponItem> UserCoupons);

public sealed record CouponChangeItem(string CouponId, string TradeDetailType, string TradeTime, string TradeId, string ChangeAmount, string BalanceAfterChange,
    string RevenueExpenseType, string BillCycle, string AccountName, string CloudServiceTypeName, string ResourceTypeName);
public sealed record ListCustomerCouponChangeRecordsResponse(int TotalCount, string Currency, List<CouponChangeItem> Records);

public sealed record OrderCouponItem(string CouponId, string CouponCode, int Status, int CouponType, int MeasureId, decimal FaceValue, string EffectiveTime,
    string ExpireTime, string PlanName, string PlanDesc, List<UseLimit> UseLimits, string ActiveTime, string? LastUsedTime, string CreateTime, int CouponVersion,
    decimal Balance, string UsedByOrderId, string CouponUsage, int CouponGroup);
/// <summary>How many coupons of a type and group one payment may use.</summary>
public sealed record CouponMaxUseQuantity(int CouponType, int CouponGroup, int UseQuantityValue);
public sealed record ListOrderCouponsByOrderIdResponse(int Count, List<OrderCouponItem> UserCoupons, List<CouponMaxUseQuantity> CouponMaxUseQuantity);

/// <summary>Our operator endpoints: a quota for a partner, and a test coupon for its proof of concept.</summary>
public sealed record GrantCouponQuotaRequest(int? QuotaType, decimal? QuotaValue, DateTime? EffectiveTime, DateTime? ExpireTime, decimal? MinFaceValue,
    decimal? MaxFaceValue, List<string?>? CloudServiceTypes, List<string?>? ProductIds);
public sealed record TestCouponRequest(int? CouponType, decimal? FaceValue, decimal? DiscountRatio, DateTime? ExpireTime, List<string?>? CloudServiceTypes);
public sealed record TestCouponResponse(string CouponId, int CouponType, decimal FaceValue, decimal Balance, string ExpireTime);

/// <summary>Coupon quotas and coupons (Huawei BSS, China site): the partner's quotas and issued coupons, the customer's coupons, and our operator's grants.</summary>
public static class CouponsApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapCouponsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/partners/coupon-quotas/query", async (HttpContext http, CouponQuotaService quotas, QueryCouponQuotasRequest body) =>
        {
            var filter = new QuotaFilter(body.QuotaIds, body.QuotaStatusList, body.QuotaType, Utc(body.CreateTimeBegin, "create_time_begin"), Utc(body.CreateTimeEnd, "create_time_end"),
                Utc(body.EffectiveTimeBegin, "effective_time_begin"), Utc(body.EffectiveTimeEnd, "effective_time_end"), Utc(body.ExpireTimeBegin, "expire_time_begin"),
                Utc(body.ExpireTimeEnd, "expire_time_end"), body.Offset, body.Limit, body.IndirectPartnerId);
            var (list, total) = await quotas.ListAsync(http.Caller(), filter, http.RequestAborted);
            return TypedResults.Ok(new ListQuotaCouponsResponse(total, list.Select(v => new QuotaItem(v.Quota.Id, v.Quota.QuotaType, UtcText(v.Quota.CreatedAt),
                UtcText(v.Quota.UpdatedAt), v.Quota.QuotaValue, v.Status, v.Quota.Balance, MeasureUnit, Currency, UtcText(v.Quota.EffectiveTime), UtcText(v.Quota.ExpireTime),
                Limits(v.Quota))).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListQuotaCoupons")
            .WithSummary("The partner's coupon quotas (a distributor names its reseller with indirect_partner_id); quota_status 3 once expired.");

        app.MapPost("/v2/partners/coupon-quotas/indirect-partner-adjust", async (HttpContext http, CouponQuotaService quotas, AdjustCouponQuotasRequest body) =>
        {
            var (done, errors) = await quotas.DelegateAsync(http.Caller(), body.QuotaId, body.IndirectPartnerIds, body.QuotaAmount, body.ClientToken, http.RequestAborted);
            return TypedResults.Ok(new UpdateCouponQuotasResponse(Details(errors), done.Select(d => new SimpleQuotaInfo(d.ResellerId, d.QuotaId)).ToList()));
        }).Action(CouponActions.AdjustQuota).WithTags("Coupons").WithName("UpdateCouponQuotas")
            .WithSummary("A distributor gives each reseller a coupon quota of quota_amount out of its own; each reseller succeeds or fails alone (error_details, HTTP 200). Idempotent with client_token.");

        app.MapPost("/v2/partners/coupon-quotas/indirect-partner-reclaim", async (HttpContext http, CouponQuotaService quotas, ReclaimCouponQuotasRequest body) =>
        {
            var (done, errors) = await quotas.ReclaimAsync(http.Caller(), body.QuotaIds, body.Remark, body.ClientToken, http.RequestAborted);
            return TypedResults.Ok(new ReclaimCouponQuotasResponse(Details(errors), done.Select(d => new ReclaimedQuotaInfo(d.QuotaId, d.Reclaimed)).ToList()));
        }).Action(CouponActions.AdjustQuota).WithTags("Coupons").WithName("ReclaimCouponQuotas")
            .WithSummary("A distributor takes back what is left of its resellers' quotas (quota_balance: what came back); CBC.99000012 per quota in error_details. Idempotent with client_token.");

        app.MapGet("/v2/partners/issued-coupon-quotas", async (HttpContext http, CouponQuotaService quotas, string? quota_id, string? indirect_partner_id,
            string? parent_quota_id, int? offset, int? limit) =>
        {
            var (list, total) = await quotas.IssuedAsync(http.Caller(), quota_id, indirect_partner_id, parent_quota_id, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListIssuedCouponQuotasResponse(total, list.Select(v => new IssuedQuotaItem(v.Quota.Id, v.Quota.QuotaType, UtcText(v.Quota.CreatedAt),
                UtcText(v.Quota.UpdatedAt), v.Quota.QuotaValue, v.Status, v.Quota.Balance, MeasureUnit, Currency, UtcText(v.Quota.EffectiveTime), UtcText(v.Quota.ExpireTime),
                Limits(v.Quota), v.ResellerPartnerId, v.ResellerAccountName, v.ResellerName, v.Quota.ParentQuotaId)).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListIssuedCouponQuotas")
            .WithSummary("The coupon quotas a distributor gave its resellers.");

        app.MapGet("/v2/partners/coupon-quotas/records", async (HttpContext http, CouponQuotaService quotas, string? indirect_partner_id, string? quota_id,
            string? operation_time_begin, string? operation_time_end, string? parent_quota_id, string? operation_type, int? offset, int? limit) =>
        {
            var (list, total) = await quotas.RecordsAsync(http.Caller(), new QuotaRecordFilter(indirect_partner_id, quota_id, Utc(operation_time_begin, "operation_time_begin"),
                Utc(operation_time_end, "operation_time_end"), parent_quota_id, operation_type, offset, limit), http.RequestAborted);
            return TypedResults.Ok(new ListCouponQuotasRecordsResponse(total, list.Select(v => new QuotaRecordItem(v.Record.Id.ToString(CultureInfo.InvariantCulture),
                v.Record.Operator, v.Record.OperationType, v.Record.QuotaId, v.Record.ParentQuotaId, v.Record.Amount, UtcText(v.Record.At), "0", v.ResellerAccountName,
                v.ResellerPartnerId, v.ResellerName, v.Record.Remark)).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListCouponQuotasRecords")
            .WithSummary("A distributor's coupon quota delegations (operation_type 10) and reclaims (11), newest first.");

        app.MapPost("/v2/promotions/benefits/partner-coupons", async (HttpContext http, CouponService coupons, CreatePartnerCouponsRequest body) =>
        {
            var (issued, errors) = await coupons.IssueAsync(http.Caller(), new NewPartnerCoupons(body.QuotaId, body.CustomerIds, body.FaceValue,
                Utc(body.ValidTime, "valid_time"), Utc(body.ExpireTime, "expire_time"), body.CloudServiceTypes, body.ProductIds, body.Memo, body.IndirectPartnerId,
                body.ClientToken), http.RequestAborted);
            return TypedResults.Ok(new CreatePartnerCouponsResponse(Details(errors), issued.Select(i => new IssuedCouponInfo(i.CustomerId, i.CouponId)).ToList()));
        }).Action(CouponActions.Issue).WithTags("Coupons").WithName("CreatePartnerCoupons")
            .WithSummary("Issues one coupon of face_value to each resale customer out of a quota; per-customer failures in error_details (HTTP 200). Idempotent with client_token.");

        app.MapGet("/v2/promotions/benefits/partner-coupons", async (HttpContext http, CouponService coupons, string? coupon_id, string? customer_id, string? order_id,
            int? coupon_type, int? status, string? create_time_begin, string? create_time_end, string? effective_time_begin, string? effective_time_end,
            string? expire_time_begin, string? expire_time_end, int? offset, int? limit, string? indirect_partner_id) =>
        {
            var (list, total) = await coupons.IssuedAsync(http.Caller(), new IssuedCouponFilter(coupon_id, customer_id, order_id, coupon_type, status,
                Utc(create_time_begin, "create_time_begin"), Utc(create_time_end, "create_time_end"), Utc(effective_time_begin, "effective_time_begin"),
                Utc(effective_time_end, "effective_time_end"), Utc(expire_time_begin, "expire_time_begin"), Utc(expire_time_end, "expire_time_end"), offset, limit,
                indirect_partner_id), http.RequestAborted);
            return TypedResults.Ok(new ListIssuedPartnerCouponsResponse(total, list.Select(v => new PartnerCouponItem(v.Coupon.Id, v.Status, v.Coupon.CustomerAccountId,
                v.Coupon.CouponType, MeasureUnit, v.Coupon.FaceValue, UtcText(v.Coupon.EffectiveTime), UtcText(v.Coupon.ExpireTime), v.Coupon.OrderId, PlanOf(v.Coupon),
                PlanNameOf(v.Coupon), v.Coupon.Memo, 1, FetchMethodOf(v.Coupon), UseLimits(v.Coupon), UtcText(v.Coupon.EffectiveTime),
                v.Coupon.LastUsedTime is { } u ? UtcText(u) : null, PlanOf(v.Coupon), UtcText(v.Coupon.CreatedAt), v.Coupon.Balance, v.Coupon.LockOrderId,
                v.Coupon.IsFrozen ? "1" : "0")).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListIssuedPartnerCoupons")
            .WithSummary("The coupons the partner issued to its resale customers (status 1 not activated, 2 usable, 3 used, 4 expired, 5 reclaimed).");

        app.MapPost("/v2/promotions/benefits/partner-coupons/reclaim", async (HttpContext http, CouponService coupons, ReclaimPartnerCouponsRequest body) =>
        {
            await coupons.ReclaimAsync(http.Caller(), body.CouponId, body.IndirectPartnerId, http.RequestAborted);
            return TypedResults.NoContent();
        }).Action(CouponActions.Reclaim).WithTags("Coupons").WithName("ReclaimPartnerCoupons")
            .WithSummary("Takes back a usable coupon the partner issued; what is left of it returns to the quota.");

        app.MapGet("/v2/promotions/benefits/partner-coupons/records/query", async (HttpContext http, CouponService coupons, [Microsoft.AspNetCore.Mvc.FromQuery] string[]? operation_types,
            string? quota_id, int? quota_type, [Microsoft.AspNetCore.Mvc.FromQuery] string[]? coupon_ids, string? customer_id, string? operation_time_begin,
            string? operation_time_end, string? result, int? offset, int? limit, string? indirect_partner_id) =>
        {
            var (list, total) = await coupons.RecordsAsync(http.Caller(), new CouponRecordFilter(operation_types is { Length: > 0 } ? operation_types : null, quota_id, quota_type,
                coupon_ids is { Length: > 0 } ? coupon_ids : null, customer_id, Utc(operation_time_begin, "operation_time_begin"), Utc(operation_time_end, "operation_time_end"),
                result, offset, limit, indirect_partner_id), http.RequestAborted);
            return TypedResults.Ok(new ListPartnerCouponsRecordResponse(total, list.Select(r => new CouponRecordItem(r.Id.ToString(CultureInfo.InvariantCulture),
                CouponChangeKinds.OperationType(r.Kind)!, r.QuotaId, r.QuotaType, r.CouponId, r.CustomerAccountId, Math.Abs(r.Amount), UtcText(r.At), "0", r.Remark)).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListPartnerCouponsRecord")
            .WithSummary("The partner's coupon issue (1), reclaim (2), unbind reclaim (3), expiry (4) and refund (6) records, newest first.");

        app.MapGet("/v2/promotions/benefits/coupons", async (HttpContext http, CouponService coupons, string? coupon_id, string? order_id, string? promotion_plan_id,
            int? coupon_type, int? status, string? active_start_time, string? active_end_time, int? offset, int? limit, string? source_id, string? indirect_partner_id) =>
        {
            // source_id and indirect_partner_id narrow partner views of other systems; a customer's own coupons are all its own.
            Check.MaxLength(source_id, "source_id", 64);
            Check.MaxLength(indirect_partner_id, "indirect_partner_id", 64);
            var (list, total) = await coupons.MineAsync(http.Caller(), new MyCouponFilter(coupon_id, order_id, promotion_plan_id, coupon_type, status,
                Utc(active_start_time, "active_start_time"), Utc(active_end_time, "active_end_time"), offset, limit), http.RequestAborted);
            return TypedResults.Ok(new ListSubCustomerCouponsResponse(total, list.Select(v => new CustomerCouponItem(v.Coupon.Id, v.Coupon.Id, v.Status,
                v.Coupon.CustomerAccountId, v.Coupon.CouponType, MeasureUnit, v.Coupon.FaceValue, UtcText(v.Coupon.EffectiveTime), UtcText(v.Coupon.ExpireTime),
                v.Coupon.OrderId, PlanOf(v.Coupon), PlanNameOf(v.Coupon), v.Coupon.Memo, 1, FetchMethodOf(v.Coupon), UseLimits(v.Coupon), UtcText(v.Coupon.EffectiveTime),
                UtcText(v.Coupon.CreatedAt), PlanOf(v.Coupon), UtcText(v.Coupon.CreatedAt), 1, v.Coupon.Balance, v.Coupon.LockOrderId,
                UsageOf(v.Coupon), v.Coupon.IsFrozen ? "1" : "0", Currency,
                v.Coupon.DiscountRatio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "", v.Coupon.PartnerAccountId ?? "operator")).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListSubCustomerCoupons")
            .WithSummary("The caller's own coupons (extend_param1: a discount coupon's share off), newest first.");

        app.MapGet("/v2/promotions/benefits/account-change-records", async (HttpContext http, CouponService coupons, string? balance_type, string? revenue_expense_type,
            string? trade_type, string? trade_id, string? trade_time_begin, string? trade_time_end, string? coupon_id, int? offset, int? limit) =>
        {
            var (list, total) = await coupons.ChangesAsync(http.Caller(), new CouponChangeFilter(balance_type, revenue_expense_type, trade_type, trade_id, trade_time_begin,
                trade_time_end, coupon_id, offset, limit), http.RequestAborted);
            var name = http.Caller().AccountName;
            return TypedResults.Ok(new ListCustomerCouponChangeRecordsResponse(total, Currency, list.Select(r => new CouponChangeItem(r.CouponId,
                CouponChangeKinds.TradeType(r.Kind), UtcText(r.At), r.Reference ?? r.CouponId, Text(Math.Abs(r.Amount)), Text(r.BalanceAfter),
                r.Amount >= 0 ? "REVENUE" : "EXPENSE", Core.Billing.BillCycle.Containing(r.At).ToString(), name, "", "")).ToList()));
        }).Action(CouponActions.View).WithTags("Coupons").WithName("ListCustomerCouponChangeRecords")
            .WithSummary("Every change of the caller's coupons with the balance after it; dates are Beijing days at most a year apart.");

        app.MapGet("/v2/orders/customer-orders/order-coupons", async (HttpContext http, CouponPayment payment, Core.Iam.AccessControl access, TimeProvider clock, string? order_id) =>
        {
            var caller = http.Caller();
            await access.RequireAsync(caller, OrderActions.View, http.RequestAborted);
            var id = Check.MaxLength(Check.Required(order_id, "order_id"), "order_id", 64);
            var used = await payment.OfOrderAsync(caller.AccountId, id, http.RequestAborted);
            return TypedResults.Ok(new ListOrderCouponsByOrderIdResponse(used.Count, used.Select(u => new OrderCouponItem(u.Coupon.Id, u.Coupon.Id,
                CouponService.StatusOf(u.Coupon, clock.GetUtcNow().UtcDateTime), u.Coupon.CouponType, MeasureUnit, u.Amount, UtcText(u.Coupon.EffectiveTime), UtcText(u.Coupon.ExpireTime),
                PlanNameOf(u.Coupon), u.Coupon.Memo, UseLimits(u.Coupon), UtcText(u.Coupon.EffectiveTime), u.Coupon.LastUsedTime is { } t ? UtcText(t) : null,
                UtcText(u.Coupon.CreatedAt), 1, u.Coupon.Balance, id, UsageOf(u.Coupon), 0)).ToList(),
                // One payment: at most one discount coupon, and at most three coupons in all (general group 0).
                [new(CouponCodes.Cash, 0, CouponPayment.MaxCoupons), new(CouponCodes.Discount, 0, 1), new(CouponCodes.FlexiPurchase, 0, CouponPayment.MaxCoupons)]));
        }).Action(OrderActions.View).WithTags("Orders").WithName("ListOrderCouponsByOrderId")
            .WithSummary("The coupons the caller's own order was paid with; face_value is what each paid of it.");

        app.MapPost("/v1/operator/partners/{partner_account_id}/coupon-quotas", async (HttpContext http, CouponQuotaService quotas, string partner_account_id,
            GrantCouponQuotaRequest body) =>
        {
            var q = await quotas.GrantAsync(http.Caller(), partner_account_id, new NewCouponQuota(body.QuotaType, body.QuotaValue, body.EffectiveTime?.ToUniversalTime(),
                body.ExpireTime?.ToUniversalTime(), body.MinFaceValue, body.MaxFaceValue, body.CloudServiceTypes, body.ProductIds), http.RequestAborted);
            return TypedResults.Ok(new QuotaItem(q.Id, q.QuotaType, UtcText(q.CreatedAt), UtcText(q.UpdatedAt), q.QuotaValue, q.Status, q.Balance, MeasureUnit, Currency,
                UtcText(q.EffectiveTime), UtcText(q.ExpireTime), Limits(q)));
        }).Action("operator:coupons:grant").WithTags("Coupons").WithName("GrantCouponQuota")
            .WithSummary("The operator grants a partner a coupon quota (type 0 cash, 1 flexi-purchase) with its window, face-value range and product limits.");

        app.MapPost("/v1/operator/partners/{partner_account_id}/test-coupons", async (HttpContext http, CouponService coupons, string partner_account_id, TestCouponRequest body) =>
        {
            var c = await coupons.IssueTestCouponAsync(http.Caller(), partner_account_id, body.CouponType, body.FaceValue, body.DiscountRatio, body.ExpireTime?.ToUniversalTime(),
                body.CloudServiceTypes, http.RequestAborted);
            return TypedResults.Ok(new TestCouponResponse(c.Id, c.CouponType, c.FaceValue, c.Balance, UtcText(c.ExpireTime)));
        }).Action("operator:coupons:grant").WithTags("Coupons").WithName("IssueTestCoupon")
            .WithSummary("The operator gives a partner's own account a test coupon for a proof of concept: cash (1) or discount (2, discount_ratio off, at most face_value).");
    }

    static List<ErrorDetail>? Details(IReadOnlyList<BatchError> errors) =>
        errors.Count == 0 ? null : errors.Select(e => new ErrorDetail(e.Error.Code, e.Error.Message, e.Id)).ToList();

    static List<LimitInfo> Limits(CouponQuota q)
    {
        var limits = new List<LimitInfo> { new("FACE_VALUE", [new(Text(q.MinFaceValue), Text(q.MaxFaceValue))]) };
        if (q.ServiceTypes.Length > 0) limits.Add(new("CLOUD_SERVICE_TYPE", CouponLimits.Split(q.ServiceTypes).Select(s => new LimitValue(s, "")).ToList()));
        if (q.ProductIds.Length > 0) limits.Add(new("PRODUCT_ID", CouponLimits.Split(q.ProductIds).Select(s => new LimitValue(s, "")).ToList()));
        return limits;
    }

    static List<UseLimit> UseLimits(Coupon c) =>
        CouponLimits.Split(c.ServiceTypes).Select(s => new UseLimit($"{c.Id}:service:{s}", "CLOUD_SERVICE_TYPE", s, "", "", "INCLUDE", PlanOf(c)))
            .Concat(CouponLimits.Split(c.ProductIds).Select(p => new UseLimit($"{c.Id}:product:{p}", "PRODUCT_ID", p, "", "", "INCLUDE", PlanOf(c)))).ToList();

    /// <summary>A partner coupon's promotion plan is the quota it came from; a test coupon's is the operator's test plan.</summary>
    static string PlanOf(Coupon c) => c.QuotaId ?? "operator-test";
    static string PlanNameOf(Coupon c) => c.QuotaId is null ? "Test coupon" : "Partner coupon";
    /// <summary>fetch_method: 1 issued by the partner, 5 granted by the operator.</summary>
    static int FetchMethodOf(Coupon c) => c.PartnerAccountId is null ? 5 : 1;
    static string UsageOf(Coupon c) => c.CouponType switch { CouponCodes.Discount => "DISCOUNT", CouponCodes.FlexiPurchase => "FLEXIPURCHASE", _ => "CASH" };
    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
