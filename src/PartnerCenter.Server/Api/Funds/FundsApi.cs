using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Funds;

public sealed record CardRequest(string? Number, int? ExpiryMonth, int? ExpiryYear, string? Cvc, string? HolderName);
public sealed record TopUpRequest(decimal? Amount, CardRequest? Card, string? ClientToken);
public sealed record AdjustmentRequest(string? CustomerId, decimal? Amount, string? Reason, string? ClientToken);
public sealed record CreditLineRequest(decimal? CreditAmount);
public sealed record ConsumptionQuotaRequest(decimal? ConsumptionQuota);

public sealed record ShowCustomerAccountBalancesResponse(List<AccountBalance> AccountBalances, decimal DebtAmount, int MeasureId, string Currency);

/// <summary>One account: type 1 cash, 2 credit (credit_amount only there).</summary>
public sealed record AccountBalance(string AccountId, int AccountType, decimal Amount, string Currency, decimal DesignatedAmount, decimal? CreditAmount, int MeasureId);

/// <summary>Huawei answers the amounts of this one operation as strings.</summary>
public sealed record ShowPartnerConsumptionQuotaResponse(
    string ConsumptionQuota, string Amount, string CouponAmount, string DueAmount, string UnbilledAmount, string UsedConsumptionQuota, int MeasureId, string Currency);

/// <summary>Balances (Huawei BSS), card top-ups, the operator's adjustments, credit lines and partner quotas (our /v1).</summary>
public static class FundsApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapFundsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/accounts/customer-accounts/balances", async (HttpContext http, FundsService funds) =>
        {
            var b = await funds.AccountBalancesAsync(http.Caller(), http.RequestAborted);
            return TypedResults.Ok(new ShowCustomerAccountBalancesResponse(
            [
                new(b.CashAccountId, 1, b.Cash, Currency, 0m, null, MeasureUnit),
                new(b.CreditAccountId, 2, b.CreditAvailable, Currency, 0m, b.CreditLimit, MeasureUnit),
            ], b.Debt, MeasureUnit, Currency));
        }).Action(FundsActions.ViewBalances).WithTags("Funds").WithName("ShowCustomerAccountBalances");

        app.MapGet("/v2/partners/credit/consumption-quota", async (HttpContext http, FundsService funds) =>
            Quota(await funds.ConsumptionQuotaAsync(http.Caller(), http.RequestAborted)))
            .Action(FundsActions.ViewConsumptionQuota).WithTags("Funds").WithName("ShowPartnerConsumptionQuota");

        var v1 = app.MapGroup("/v1").WithTags("Funds");
        v1.MapPost("/payments/top-ups", async (HttpContext http, FundsService funds, TopUpRequest body) =>
        {
            var card = body.Card is { } c ? new CardDetails(c.Number, c.ExpiryMonth, c.ExpiryYear, c.Cvc, c.HolderName) : null;
            return Results.Ok(TopUpJson(await funds.TopUpAsync(http.Caller(), body.Amount, card, body.ClientToken, http.RequestAborted)));
        }).Action(FundsActions.TopUp).WithName("TopUpBalance")
            .WithSummary("Charges a card through the payment gateway and credits the cash balance; idempotent by client_token. Sandbox test cards: see the README.");
        v1.MapGet("/payments/top-ups", async (HttpContext http, FundsService funds) =>
            Results.Ok(new { top_ups = (await funds.TopUpsAsync(http.Caller(), http.RequestAborted)).Select(TopUpJson) }))
            .Action(FundsActions.ViewBalances).WithName("ListTopUps");

        v1.MapPost("/operator/balance-adjustments", async (HttpContext http, FundsService funds, AdjustmentRequest body) =>
            Balances(await funds.AdjustAsync(http.Caller(), body.CustomerId, body.Amount, body.Reason, body.ClientToken, http.RequestAborted)))
            .Action("operator:balances:adjust").WithName("AdjustCustomerBalance");
        v1.MapPut("/operator/customers/{customer_id}/credit-line", async (HttpContext http, FundsService funds, string customer_id, CreditLineRequest body) =>
            Balances(await funds.SetCreditLimitAsync(http.Caller(), customer_id, body.CreditAmount, http.RequestAborted)))
            .Action("operator:credit:set").WithName("SetCustomerCreditLine");
        v1.MapPut("/operator/partners/{partner_account_id}/consumption-quota", async (HttpContext http, FundsService funds, string partner_account_id, ConsumptionQuotaRequest body) =>
            Quota(await funds.SetConsumptionQuotaAsync(http.Caller(), partner_account_id, body.ConsumptionQuota, http.RequestAborted)))
            .Action("operator:quota:set").WithName("SetPartnerConsumptionQuota");
    }

    static Ok<ShowPartnerConsumptionQuotaResponse> Quota(ConsumptionQuota q) => TypedResults.Ok(new ShowPartnerConsumptionQuotaResponse(
        Text(q.Quota), Text(q.Amount), Text(q.CouponAmount), Text(q.DueAmount), Text(q.UnbilledAmount), Text(q.Used), MeasureUnit, Currency));

    /// <summary>An amount as a string with at least two decimals (and every decimal it has), e.g. "2500.00".</summary>
    static string Text(decimal amount) => amount.ToString("0.00####", CultureInfo.InvariantCulture);

    static IResult Balances(CustomerBalances b) => Results.Ok(new
    {
        cash_amount = b.Cash, credit_amount = b.CreditLimit, available_credit = b.CreditAvailable, debt_amount = b.Debt, measure_id = MeasureUnit, currency = Currency,
    });

    static object TopUpJson(TopUp t) => new
    {
        top_up_id = t.Id, amount = t.Amount, currency = Currency, status = t.Status.ToString().ToUpperInvariant(), card_last4 = t.CardLast4,
        gateway_reference = t.GatewayReference, client_token = t.ClientToken, create_time = t.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    };
}
