using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Partners;

public sealed record UpdateBudgetRequest(
    string? CustomerId, decimal? BudgetAmount, string? CancelPartnerFrozen = null, string? BudgetType = null, int? FrozenOperateType = null, string? IndirectPartnerId = null);

public sealed record ListBudgetsRequest(List<string>? CustomerIds, string? IndirectPartnerId = null);

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
            return Results.Ok(new { });
        }).Action(PartnerActions.UpdateBudget).WithName("UpdateSubCustomerBudget");
        api.MapGet("", async (HttpContext http, BudgetService service, string? customer_id, string? indirect_partner_id) =>
        {
            var b = await service.ShowAsync(http.Caller(), customer_id, indirect_partner_id, http.RequestAborted);
            return Results.Ok(new { budget_amount = b.BudgetAmount, used_amount = b.UsedAmount, measure_id = MeasureUnit, currency = Currency, budget_type = TypeText(b.BudgetType) });
        }).Action(PartnerActions.ViewBudget).WithName("ShowSubCustomerBudget");
        api.MapPost("/query", async (HttpContext http, BudgetService service, ListBudgetsRequest body) =>
        {
            var budgets = await service.ListAsync(http.Caller(), body.CustomerIds, body.IndirectPartnerId, http.RequestAborted);
            return Results.Ok(new
            {
                measure_id = MeasureUnit, currency = Currency,
                budget_infos = budgets.Select(b => new { customer_id = b.CustomerId, budget_amount = b.BudgetAmount, used_amount = b.UsedAmount, budget_type = TypeText(b.BudgetType) }),
            });
        }).Action(PartnerActions.ViewBudget).WithName("ListSubCustomerBudget");
        api.MapGet("/records", async (HttpContext http, BudgetService service, string? customer_id, string? indirect_partner_id, string? operation_type,
            string? budget_type, int? offset, int? limit) =>
        {
            var (records, total) = await service.RecordsAsync(http.Caller(), new BudgetRecordFilter(customer_id, indirect_partner_id, operation_type, budget_type, offset, limit), http.RequestAborted);
            return Results.Ok(new
            {
                total_count = total, measure_id = MeasureUnit, currency = Currency,
                record_list = records.Select(r => new
                {
                    budget_amount = r.Record.BudgetAmount,
                    operation_type = r.Record.Operation == BudgetOperation.Setting ? "SETTING" : "DELETE",
                    operation_time = UtcText(r.Record.OperatedAt),
                    @operator = r.Record.Operator,
                    budget_type = TypeText(r.Record.BudgetType),
                    partner_corp_name = r.PartnerName,
                    partner_account_name = r.PartnerAccountName,
                }),
            });
        }).Action(PartnerActions.ViewBudget).WithName("ListSubCustomerBudgetRecords");

        app.MapGet("/v2/accounts/customer-accounts/expenditure-quota", async (HttpContext http, BudgetService service) =>
        {
            var q = await service.ExpenditureQuotaAsync(http.Caller(), http.RequestAborted);
            return Results.Ok(new
            {
                granting_amount = q.GrantingAmount, granting_amount_used = q.GrantingAmountUsed, percentage_granting_amount_used = q.PercentageUsed,
                measure_id = MeasureUnit, currency = Currency,
            });
        }).Action(PartnerActions.ViewExpenditureQuota).WithTags("Customer budgets").WithName("ShowCustomerExpenditureQuota");
    }

    static string TypeText(BudgetType t) => t == BudgetType.Monthly ? "MONTHLY" : "PACKAGE";
}
