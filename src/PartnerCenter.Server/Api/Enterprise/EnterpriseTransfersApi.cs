using System.Globalization;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Server.Api.Partners;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Enterprise;

/// <summary>TransferEnterpriseMultiAccountReq and RetrieveEnterpriseMultiAccountReq: amount and expire_time are strings on the wire.</summary>
public sealed record EnterpriseFundsBody(string? CustomerId, string? Amount, string? TransId, string? BalanceType, string? ExpireTime);

/// <summary>The SDK keeps these answers' raw body only; the trans_id is answered for clients that let the server generate it.</summary>
public sealed record EnterpriseFundsResponse(string TransId);

public sealed record TransferAmountInfo(decimal AvailTransferAmount, int MeasureId, string Currency, decimal Amount, decimal CreditAmount, string? ExpireTime);
public sealed record ShowMultiAccountTransferAmountResponse(int TotalCount, List<TransferAmountInfo> AmountInfos);

public sealed record RetrieveAmountInfo(decimal AvailRetrieveAmount, int MeasureId, string Currency, decimal Amount, decimal CreditAmount, string? ExpireTime);
public sealed record ListEnterpriseMultiAccountResponse(int TotalCount, List<RetrieveAmountInfo> AmountInfos);

public sealed record TransferCouponBody(string? CustomerId, string? CouponId, string? Amount, string? TransId);
public sealed record ClaimEnterpriseMultiAccountCouponResponse(string SubCouponId);
public sealed record RetrieveCouponBody(string? CustomerId, string? CouponId, string? SubCouponId, string? TransId);
/// <summary>real_retrieve_amout: Huawei's spelling.</summary>
public sealed record ReclaimEnterpriseMultiAccountCouponResponse(string RealRetrieveAmout);

public sealed record EnterpriseUseLimit(string UseLimitiInfoId, string LimitKey, string Value1, string Value2, string ValueUnit, string LimitType, string PromotionPlanId);
public sealed record TransferCouponItem(string CouponId, string PlanName, string Balance, string EffectiveTime, string ExpireTime, List<EnterpriseUseLimit> UseLimits);
public sealed record ListMultiAccountTransferCouponsResponse(int TotalCount, List<TransferCouponItem> AvailTransferCoupons);
public sealed record RetrieveCouponItem(string CouponId, string PlanName, string SubCouponId, string Balance, string EffectiveTime, string ExpireTime, List<EnterpriseUseLimit> UseLimits);
public sealed record ListMultiAccountRetrieveCouponsResponse(int TotalCount, List<RetrieveCouponItem> AvailRetrieveCoupons);

/// <summary>Funds and coupons between an enterprise master and its members (Huawei BSS enterprise multi-account).</summary>
public static class EnterpriseTransfersApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD", Tag = "Enterprise funds and coupons";

    public static void MapEnterpriseTransfersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/enterprises/multi-accounts/transfer-amount", async (HttpContext http, EnterpriseTransfers transfers, EnterpriseFundsBody body) =>
            TypedResults.Ok(new EnterpriseFundsResponse(await transfers.TransferAsync(http.Caller(), Request(body), http.RequestAborted))))
            .Action(EnterpriseTransferActions.Transfer).WithTags(Tag).WithName("UpdateSubEnterpriseAmount")
            .WithSummary("The master transfers cash (BALANCE_TYPE_DEBIT, default) or credit (BALANCE_TYPE_CREDIT, with an optional expire_time) to a member in status normal; a used trans_id is CBC.99007009.");

        app.MapPost("/v2/enterprises/multi-accounts/retrieve-amount", async (HttpContext http, EnterpriseTransfers transfers, EnterpriseFundsBody body) =>
            TypedResults.Ok(new EnterpriseFundsResponse(await transfers.RetrieveAsync(http.Caller(), Request(body), http.RequestAborted))))
            .Action(EnterpriseTransferActions.Retrieve).WithTags(Tag).WithName("ReclaimSubEnterpriseAmount")
            .WithSummary("The master takes back cash or credit (the credit ledger named by expire_time) it gave a member, never more than it gave and the member holds (CBC.99005003).");

        app.MapGet("/v2/enterprises/multi-accounts/transfer-amount", async (HttpContext http, EnterpriseTransfers transfers, string? balance_type, int? offset, int? limit) =>
        {
            var (items, total) = await transfers.TransferableAsync(http.Caller(), balance_type, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ShowMultiAccountTransferAmountResponse(total,
                items.Select(i => new TransferAmountInfo(i.Available, MeasureUnit, Currency, i.Amount, i.CreditAmount, Time(i.ExpireTime))).ToList()));
        }).Action(EnterpriseTransferActions.View).WithTags(Tag).WithName("ShowMultiAccountTransferAmount")
            .WithSummary("What the master can transfer now: its cash, then its available credit (one type with balance_type).");

        app.MapGet("/v2/enterprises/multi-accounts/retrieve-amount", async (HttpContext http, EnterpriseTransfers transfers, string? sub_customer_id, string? balance_type, int? offset, int? limit) =>
        {
            var (items, total) = await transfers.RetrievableAsync(http.Caller(), sub_customer_id, balance_type, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListEnterpriseMultiAccountResponse(total,
                items.Select(i => new RetrieveAmountInfo(i.Available, MeasureUnit, Currency, i.Amount, i.CreditAmount, Time(i.ExpireTime))).ToList()));
        }).Action(EnterpriseTransferActions.View).WithTags(Tag).WithName("ListEnterpriseMultiAccount")
            .WithSummary("What the master can retrieve from a member: its cash, then each credit ledger the master gave it (with its expiry), paged by offset/limit.");

        app.MapPost("/v2/enterprises/multi-accounts/transfer-coupon", async (HttpContext http, EnterpriseCoupons coupons, TransferCouponBody body) =>
            TypedResults.Ok(new ClaimEnterpriseMultiAccountCouponResponse(
                await coupons.TransferAsync(http.Caller(), body.CustomerId, body.CouponId, body.Amount, body.TransId, http.RequestAborted))))
            .Action(EnterpriseTransferActions.Transfer).WithTags(Tag).WithName("ClaimEnterpriseMultiAccountCoupon")
            .WithSummary("Part or all of the master's platform cash coupon becomes a coupon of the member (sub_coupon_id), same limits and validity.");

        app.MapPost("/v2/enterprises/multi-accounts/retrieve-coupon", async (HttpContext http, EnterpriseCoupons coupons, RetrieveCouponBody body) =>
            TypedResults.Ok(new ReclaimEnterpriseMultiAccountCouponResponse(Text(
                await coupons.RetrieveAsync(http.Caller(), body.CustomerId, body.CouponId, body.SubCouponId, body.TransId, http.RequestAborted)))))
            .Action(EnterpriseTransferActions.Retrieve).WithTags(Tag).WithName("ReclaimEnterpriseMultiAccountCoupon")
            .WithSummary("What the member's coupon has left goes back to the master's coupon it came from; real_retrieve_amout says how much.");

        app.MapGet("/v2/enterprises/multi-accounts/transfer-coupons", async (HttpContext http, EnterpriseCoupons coupons, int? offset, int? limit) =>
        {
            var (items, total) = await coupons.TransferableAsync(http.Caller(), offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListMultiAccountTransferCouponsResponse(total, items.Select(v => new TransferCouponItem(v.CouponId, PlanName(v.Coupon),
                Text(v.Coupon.Balance), SubCustomersApi.UtcText(v.Coupon.EffectiveTime), SubCustomersApi.UtcText(v.Coupon.ExpireTime), UseLimits(v.Coupon))).ToList()));
        }).Action(EnterpriseTransferActions.View).WithTags(Tag).WithName("ListMultiAccountTransferCoupons")
            .WithSummary("The master's usable platform cash coupons it may transfer to members.");

        app.MapGet("/v2/enterprises/multi-accounts/retrieve-coupons", async (HttpContext http, EnterpriseCoupons coupons, string? sub_customer_id, int? offset, int? limit) =>
        {
            var (items, total) = await coupons.RetrievableAsync(http.Caller(), sub_customer_id, offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListMultiAccountRetrieveCouponsResponse(total, items.Select(v => new RetrieveCouponItem(v.CouponId, PlanName(v.Coupon), v.SubCouponId!,
                Text(v.Coupon.Balance), SubCustomersApi.UtcText(v.Coupon.EffectiveTime), SubCustomersApi.UtcText(v.Coupon.ExpireTime), UseLimits(v.Coupon))).ToList()));
        }).Action(EnterpriseTransferActions.View).WithTags(Tag).WithName("ListMultiAccountRetrieveCoupons")
            .WithSummary("The member's coupons made from the master's that still hold value: coupon_id is the master's, sub_coupon_id the member's.");
    }

    static EnterpriseFundsRequest Request(EnterpriseFundsBody b) => new(b.CustomerId, b.Amount, b.TransId, b.BalanceType, b.ExpireTime);

    static string? Time(DateTime? t) => t is { } v ? SubCustomersApi.UtcText(v) : null;

    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    static string PlanName(Coupon c) => c.Memo.Length > 0 ? c.Memo : "Cash coupon";

    static List<EnterpriseUseLimit> UseLimits(Coupon c) =>
        CouponLimits.Split(c.ServiceTypes).Select(s => new EnterpriseUseLimit($"{c.Id}:service:{s}", "CLOUD_SERVICE_TYPE", s, "", "", "INCLUDE", "operator-test"))
            .Concat(CouponLimits.Split(c.ProductIds).Select(p => new EnterpriseUseLimit($"{c.Id}:product:{p}", "PRODUCT_ID", p, "", "", "INCLUDE", "operator-test"))).ToList();
}
