using System.Globalization;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.PartnerAccounts;
using PartnerCenter.Server.Api.Partners;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Funds;

/// <summary>One partner account: 1 cash, 2 credit (credit_amount only there), 8 allocatable (what may be handed to customers now).</summary>
public sealed record PartnerAccountBalance(string AccountId, int AccountType, decimal Amount, string Currency, decimal DesignatedAmount, decimal? CreditAmount,
    int MeasureId, string? Memo);

public sealed record ListPartnerBalancesResponse(List<PartnerAccountBalance> AccountBalances);

/// <summary>AdjustAccountReq, and the same fields for a reclaim; client_token is this server's optional idempotency key.</summary>
public sealed record AdjustAccountRequest(string? CustomerId, decimal? Amount, string? IndirectPartnerId, string? ClientToken);

public sealed record UpdateCustomerAccountAmountResponse(string TransferId);
public sealed record ReclaimToPartnerAccountResponse(string TransId);

public sealed record CustomerInfoRef(string? CustomerId);
public sealed record QueryCustomersBalancesRequest(List<CustomerInfoRef?>? CustomerInfos, string? IndirectPartnerId);
public sealed record CustomerBalanceItem(string CustomerId, decimal DebtAmount, decimal Amount, string Currency, int MeasureId);
public sealed record ListCustomersBalancesDetailResponse(List<CustomerBalanceItem> CustomerBalances);

public sealed record AdjustRecordItem(string CustomerId, string CustomerName, string OperationType, string Amount, string Currency, string? ApplyScene,
    string OperationTime, int MeasureId, string TransId, string Memo);
public sealed record ListPartnerAdjustRecordsResponse(List<AdjustRecordItem> Records, int TotalCount);

public sealed record AdjustToIndirectPartnerRequest(string? IndirectPartnerId, decimal? Amount, string? ClientToken);
public sealed record UpdateIndirectPartnerAccountResponse(string TransferId);
public sealed record ReclaimIndirectPartnerAccountResponse(string TransId);

public sealed record PartnerAccountChangeItem(string AccountChangeId, string TradeDetailType, string TradeTime, string TradeId, string ChangeAmount,
    string BalanceAfterChange, string Type, string? CustomerId, string? AccountName);
public sealed record ListPartnerAccountChangeRecordsResponse(int TotalCount, string Currency, List<PartnerAccountChangeItem> Records);

public sealed record PartnerCreditLineRequest(decimal? CreditAmount, DateTime? ExpireTime);
public sealed record PartnerCreditLineInfo(decimal CreditAmount, string ExpireTime);
public sealed record PartnerCreditResponse(decimal ConsumptionQuota, decimal BaseQuota, PartnerCreditLineInfo? CreditLine, int MeasureId, string Currency);

/// <summary>The China model's partner accounts (Huawei BSS): balances, allocating to and reclaiming from resale customers, their balances and the records.</summary>
public static class PartnerAccountsApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapPartnerAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/accounts/partner-accounts/balances", async (HttpContext http, PartnerAccountService accounts, string? indirect_partner_id) =>
        {
            var b = await accounts.BalancesAsync(http.Caller(), indirect_partner_id, http.RequestAborted);
            return TypedResults.Ok(new ListPartnerBalancesResponse(
            [
                new(LedgerBook.PartnerBalanceOf(b.PartnerAccountId), 1, b.Cash, Currency, 0m, null, MeasureUnit, null),
                new(LedgerBook.PayableOf(b.PartnerAccountId), 2, b.CreditAvailable, Currency, 0m, b.CreditLine, MeasureUnit, CreditMemo(b.TemporaryLine)),
                new("Allocatable:" + b.PartnerAccountId, 8, b.Allocatable, Currency, 0m, null, MeasureUnit, "What may be allocated to customers now: the cash balance."),
            ]));
        }).Action(PartnerAccountActions.ViewBalances).WithTags("Partner accounts").WithName("ListPartnerBalances")
            .WithSummary("The partner's cash (type 1), credit (type 2: its consumption quota and what is left of it) and allocatable amount (type 8); a distributor passes indirect_partner_id for a reseller's.");

        app.MapPost("/v2/accounts/partner-accounts/adjust-amount", async (HttpContext http, PartnerAccountService accounts, AdjustAccountRequest body) =>
            TypedResults.Ok(new UpdateCustomerAccountAmountResponse(
                await accounts.AllocateAsync(http.Caller(), body.CustomerId, body.Amount, body.IndirectPartnerId, body.ClientToken, http.RequestAborted))))
            .Action(PartnerAccountActions.Allocate).WithTags("Partner accounts").WithName("UpdateCustomerAccountAmount")
            .WithSummary("Allocates money from the partner's cash to a resale customer (never more than the cash: CBC.99005003). Idempotent with client_token.");

        app.MapPost("/v2/accounts/partner-accounts/reclaim", async (HttpContext http, PartnerAccountService accounts, AdjustAccountRequest body) =>
            TypedResults.Ok(new ReclaimToPartnerAccountResponse(
                await accounts.ReclaimAsync(http.Caller(), body.CustomerId, body.Amount, body.IndirectPartnerId, body.ClientToken, http.RequestAborted))))
            .Action(PartnerAccountActions.Reclaim).WithTags("Partner accounts").WithName("ReclaimToPartnerAccount")
            .WithSummary("Takes money back from a resale customer (never more than it holds: CBC.99005003). Idempotent with client_token.");

        app.MapPost("/v2/accounts/customer-accounts/balances/batch-query", async (HttpContext http, PartnerAccountService accounts, QueryCustomersBalancesRequest body) =>
        {
            var ids = body.CustomerInfos?.Select(c => c?.CustomerId).ToList();
            var balances = await accounts.CustomerBalancesAsync(http.Caller(), ids, body.IndirectPartnerId, http.RequestAborted);
            return TypedResults.Ok(new ListCustomersBalancesDetailResponse(
                balances.Select(b => new CustomerBalanceItem(b.CustomerId, b.DebtAmount, b.Amount, Currency, MeasureUnit)).ToList()));
        }).Action(Core.Partners.PartnerActions.ListCustomers).WithTags("Partner accounts").WithName("ListCustomersBalancesDetail")
            .WithSummary("The balances of 1 to 100 of the partner's resale customers; other ids are left out.");

        app.MapGet("/v3/accounts/partner-accounts/adjust-records", async (HttpContext http, PartnerAccountService accounts, string? customer_id, string? operation_type,
            string? operation_time_begin, string? operation_time_end, string? trans_id, int? offset, int? limit, string? indirect_partner_id) =>
        {
            var filter = new AdjustRecordFilter(customer_id, operation_type, SubCustomersApi.Utc(operation_time_begin, "operation_time_begin"),
                SubCustomersApi.Utc(operation_time_end, "operation_time_end"), trans_id, offset, limit, indirect_partner_id);
            var (records, total) = await accounts.AdjustRecordsAsync(http.Caller(), filter, http.RequestAborted);
            return TypedResults.Ok(new ListPartnerAdjustRecordsResponse(records.Select(r => new AdjustRecordItem(r.CustomerId, r.CustomerName,
                AllocationKinds.OperationType(r.Kind), r.Amount.ToString("0.00", CultureInfo.InvariantCulture), Currency, null, SubCustomersApi.UtcText(r.At),
                MeasureUnit, r.TransId, r.Memo)).ToList(), total));
        }).Action(PartnerAccountActions.ViewBalances).WithTags("Partner accounts").WithName("ListPartnerAdjustRecords")
            .WithSummary("The partner's allocations (SOURCE_OPERATION_BEADJUST), reclaims (SOURCE_OPERATION_BERETRIEVE) and returns on unbinding (SOURCE_OPERATION_BEUNBIND), newest first.");

        app.MapPost("/v2/accounts/partner-accounts/indirect-partner-adjust", async (HttpContext http, PartnerAccountService accounts, AdjustToIndirectPartnerRequest body) =>
            TypedResults.Ok(new UpdateIndirectPartnerAccountResponse(
                await accounts.AllocateToResellerAsync(http.Caller(), body.IndirectPartnerId, body.Amount, body.ClientToken, http.RequestAborted))))
            .Action(PartnerAccountActions.Allocate).WithTags("Partner accounts").WithName("UpdateIndirectPartnerAccount")
            .WithSummary("A distributor allocates money from its balance to its reseller's (never more than it has: CBC.99005003). Idempotent with client_token.");

        app.MapPost("/v2/accounts/partner-accounts/indirect-partner-reclaim", async (HttpContext http, PartnerAccountService accounts, AdjustToIndirectPartnerRequest body) =>
            TypedResults.Ok(new ReclaimIndirectPartnerAccountResponse(
                await accounts.ReclaimFromResellerAsync(http.Caller(), body.IndirectPartnerId, body.Amount, body.ClientToken, http.RequestAborted))))
            .Action(PartnerAccountActions.Reclaim).WithTags("Partner accounts").WithName("ReclaimIndirectPartnerAccount")
            .WithSummary("A distributor takes money back from its reseller's balance (never more than it holds: CBC.99005003). Idempotent with client_token.");

        app.MapGet("/v2/accounts/partner-accounts/account-change-records", async (HttpContext http, PartnerAccountChanges changes, string? balance_type, string? trade_type,
            string? trade_time_begin, string? trade_time_end, int? offset, int? limit, string? indirect_partner_id) =>
        {
            var (records, total) = await changes.ListAsync(http.Caller(), new PartnerChangeFilter(balance_type, trade_type, trade_time_begin, trade_time_end, offset, limit,
                indirect_partner_id), http.RequestAborted);
            return TypedResults.Ok(new ListPartnerAccountChangeRecordsResponse(total, Currency, records.Select(r => new PartnerAccountChangeItem(
                r.Id.ToString(CultureInfo.InvariantCulture), r.DetailType, SubCustomersApi.UtcText(r.TradeTime), r.TradeId, Text(r.Amount), Text(r.BalanceAfter),
                r.Income ? "1" : "2", r.CustomerId, r.AccountName)).ToList()));
        }).Action(PartnerAccountActions.ViewBalances).WithTags("Partner accounts").WithName("ListPartnerAccountChangeRecords")
            .WithSummary("The partner's income and expense records of its cash (BALANCE_TYPE_DEBIT, the default) or credit (BALANCE_TYPE_CREDIT) account, newest first, with the balance after each; dates are Beijing days.");

        app.MapPut("/v1/operator/partners/{partner_account_id}/credit-line", async (HttpContext http, PartnerCreditLines lines, string partner_account_id, PartnerCreditLineRequest body) =>
        {
            var c = await lines.GrantAsync(http.Caller(), partner_account_id, body.CreditAmount, body.ExpireTime?.ToUniversalTime(), http.RequestAborted);
            return TypedResults.Ok(new PartnerCreditResponse(c.Quota, c.BaseQuota,
                c.Line is { } l ? new PartnerCreditLineInfo(l.Amount, SubCustomersApi.UtcText(l.ExpiresAt)) : null, MeasureUnit, Currency));
        }).Action("operator:credit:set").WithTags("Partner accounts").WithName("GrantPartnerCreditLine")
            .WithSummary("The operator grants a partner a credit line until expire_time (UTC): its consumption quota (credit) rises by credit_amount over the quota set without expiry, and falls back at the first hourly run after expiry.");
    }

    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    static string CreditMemo(PartnerCreditLine? line) => line is null
        ? "The consumption quota: what may still be owed for resale customers' consumption."
        : $"The consumption quota, with a credit line of {line.Amount.ToString("0.00", CultureInfo.InvariantCulture)} until {SubCustomersApi.UtcText(line.ExpiresAt)}.";
}
