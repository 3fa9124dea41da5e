using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Partners;

public sealed record UpdateBudgetRequest(
    string? CustomerId, decimal? BudgetAmount, string? CancelPartnerFrozen = null, string? BudgetType = null, int? FrozenOperateType = null, string? IndirectPartnerId = null);

public sealed record ListBudgetsRequest(List<string>? CustomerIds, string? IndirectPartnerId = null);

/// <summary>An empty object: the SDK keeps the raw body of this answer and reads no field.</summary>
public sealed record UpdateSubCustomerBudgetResponse;

public sealed record ShowSubCustomerBudgetResponse(decimal BudgetAmount, decimal UsedAmount, int MeasureId, string Currency, string BudgetType);

public sealed record ListSubCustomerBudgetResponse(int MeasureId, string Currency, List<SubCustomerBudgetInfo> BudgetInfos);

public sealed record SubCustomerBudgetInfo(string CustomerId, decimal BudgetAmount, decimal UsedAmount, string BudgetType);

public sealed record ListSubCustomerBudgetRecordsResponse(int TotalCount, int MeasureId, string Currency, List<BudgetRecordInfo> RecordList);

public sealed record BudgetRecordInfo(
    decimal BudgetAmount, string OperationType, string OperationTime, string Operator, string BudgetType, string PartnerCorpName, string PartnerAccountName);

public sealed record ShowCustomerExpenditureQuotaResponse(
    decimal GrantingAmount, decimal GrantingAmountUsed, decimal PercentageGrantingAmountUsed, int MeasureId, string Currency);

/// <summary>Resale customers' budgets (Huawei BSS), and a customer's own view of its quota.</summary>
public static class BudgetsApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapBudgetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v2/partners/sub-customers/budget").WithTags("Customer budgets");
        api.MapPost("", async (HttpContext http, BudgetService service, UpdateBudgetRequest body) =>
        {
            await service.SetAsync(http.Caller(), new BudgetInput(body.CustomerId, body.BudgetAmount, body.BudgetType, body.CancelPartnerFrozen,
                body.FrozenOperateType, body.IndirectPartnerId), http.RequestAborted);
            return TypedResults.Ok(new UpdateSubCustomerBudgetResponse());
        }).Action(PartnerActions.UpdateBudget).WithName("UpdateSubCustomerBudget");
        api.MapGet("", async (HttpContext http, BudgetService service, string? customer_id, string? indirect_partner_id) =>
        {
            var b = await service.ShowAsync(http.Caller(), customer_id, indirect_partner_id, http.RequestAborted);
            return TypedResults.Ok(new ShowSubCustomerBudgetResponse(b.BudgetAmount, b.UsedAmount, MeasureUnit, Currency, TypeText(b.BudgetType)));
        }).Action(PartnerActions.ViewBudget).WithName("ShowSubCustomerBudget");
        api.MapPost("/query", async (HttpContext http, BudgetService service, ListBudgetsRequest body) =>
        {
            var budgets = await service.ListAsync(http.Caller(), body.CustomerIds, body.IndirectPartnerId, http.RequestAborted);
            return TypedResults.Ok(new ListSubCustomerBudgetResponse(MeasureUnit, Currency,
                budgets.Select(b => new SubCustomerBudgetInfo(b.CustomerId, b.BudgetAmount, b.UsedAmount, TypeText(b.BudgetType))).ToList()));
        }).Action(PartnerActions.ViewBudget).WithName("ListSubCustomerBudget");
        api.MapGet("/records", async (HttpContext http, BudgetService service, string? customer_id, string? indirect_partner_id, string? operation_type,
            string? budget_type, int? offset, int? limit) =>
        {
            var (records, total) = await service.RecordsAsync(http.Caller(), new BudgetRecordFilter(customer_id, indirect_partner_id, operation_type, budget_type, offset, limit), http.RequestAborted);
            return TypedResults.Ok(new ListSubCustomerBudgetRecordsResponse(total, MeasureUnit, Currency, records.Select(r => new BudgetRecordInfo(
                r.Record.BudgetAmount, r.Record.Operation == BudgetOperation.Setting ? "SETTING" : "DELETE", UtcText(r.Record.OperatedAt), r.Record.Operator,
                TypeText(r.Record.BudgetType), r.PartnerName, r.PartnerAccountName)).ToList()));
        }).Action(PartnerActions.ViewBudget).WithName("ListSubCustomerBudgetRecords");

        app.MapGet("/v2/accounts/customer-accounts/expenditure-quota", async (HttpContext http, BudgetService service) =>
        {
            var q = await service.ExpenditureQuotaAsync(http.Caller(), http.RequestAborted);
            return TypedResults.Ok(new ShowCustomerExpenditureQuotaResponse(q.GrantingAmount, q.GrantingAmountUsed, q.PercentageUsed, MeasureUnit, Currency));
        }).Action(PartnerActions.ViewExpenditureQuota).WithTags("Customer budgets").WithName("ShowCustomerExpenditureQuota");
    }

    static string TypeText(BudgetType t) => t == BudgetType.Monthly ? "MONTHLY" : "PACKAGE";
}
