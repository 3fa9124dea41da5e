using System.Globalization;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.CustomerBills.CustomerBillsApi; // the shared formats and the enterprise-project rule

namespace PartnerCenter.Server.Api.CustomerBills;

public sealed record ListCustomerBillsFeeRecordsResponse(int TotalCount, List<BillFeeRecord> Records, string Currency);

/// <summary>
/// A fee record (Huawei's transaction record). No per-record payment split (cash, credit, debt: the monthly sum's totals
/// answer how a cycle was paid); coupons, cards, bonus and write-offs do not exist here and are 0.
/// </summary>
public sealed record BillFeeRecord(string BillCycle, string CustomerId, string ServiceTypeCode, string ResourceTypeCode, string ServiceTypeName,
    string ResourceTypeName, string RegionCode, string EnterpriseProjectId, string EnterpriseProjectName, int ChargingMode, string? ConsumeTime,
    string TradeTime, int ProviderType, string TradeId, string Id, int BillType, int Status, decimal OfficialAmount, decimal OfficialDiscountAmount,
    decimal EraseAmount, decimal ConsumeAmount, decimal CouponAmount, decimal FlexipurchaseCouponAmount, decimal StoredValueCardAmount, decimal BonusAmount,
    decimal WriteoffAmount, string RegionName, string AccountName);

/// <summary>ListResourceUsage: usage per day and usage type. The 95th-percentile bandwidth figures are not computed here (no bandwidth metering).</summary>
public sealed record ListResourceUsageResponse(string ActualDays, int TotalCount, List<UsageInfo> UsageInfoList);
public sealed record UsageInfo(string StatTime, string Usage, int MeasureId);

public sealed record ListResourceUsageSummaryResponse(int TotalCount, List<SummaryUsageInfo> SummaryUsageInfoList);
public sealed record SummaryUsageInfo(string ResourceId, string ActualDays);

public sealed record ListFreeResourcesUsageRecordsResponse(List<FreeResourceUsageRecord> FreeResourceRecords, int TotalCount);

/// <summary>
/// One deduction from a free-resource package: the package's order instance is its product_id; amounts in the package's
/// unit as text, as the model reads them. Resources carry no tags here.
/// </summary>
public sealed record FreeResourceUsageRecord(string DeductTime, string FreeResourceId, string ResourceId, string ResourceTypeCode, string ResourceTypeName,
    string ProductId, string ProductName, string UsageTypeCode, string AvailableAmount, string RemainingAmount, string UsedAmount, int MeasureId,
    string EffectiveTime, string ExpireTime);

public sealed record ListCustomerBillsMonthlyBreakDownResponse(string Currency, int TotalCount, List<AmortizedDetail> Details);

/// <summary>
/// One charge's amortized cost in a month. Not answered: the resource's term (on its order), tags, cost units, RI usage,
/// sub-resources, and the amortized payment split (the monthly sum's totals answer how a cycle was paid).
/// </summary>
public sealed record AmortizedDetail(string SharedMonth, string BillCycle, int BillType, string CustomerId, string RegionCode, string RegionName,
    string ServiceTypeCode, string ResourceTypeCode, string ServiceTypeName, string ResourceTypeName, string ResourceId, string ResourceName,
    string ProductSpecDesc, string EnterpriseProjectId, string EnterpriseProjectName, int ChargingMode, string? OrderId, int? PeriodType, string? UsageType,
    decimal? Usage, int? UsageMeasureId, decimal? FreeResourceUsage, int? FreeResourceMeasureId, decimal ConsumeAmount, decimal PastMonthsAmortizedAmount,
    decimal CurrentMonthAmortizedAmount, decimal FutureMonthsAmortizedAmount, decimal AmortizedCouponAmount, decimal AmortizedFlexipurchaseCouponAmount,
    decimal AmortizedStoredValueCardAmount, decimal AmortizedBonusAmount);

public sealed record ListCostsReq(CostTimeCondition? TimeCondition, List<CostGroupBy?>? Groupby, string? CostType, string? AmountType, int? Offset, int? Limit,
    List<CostFilter?>? Filters);
public sealed record CostTimeCondition(int? TimeMeasureId, string? BeginTime, string? EndTime);
public sealed record CostGroupBy(string? Type, string? Key);
public sealed record CostFilter(int? Operator, CostFilterFactor? FilterFactor);
public sealed record CostFilterFactor(string? Key, List<string>? Value);

public sealed record ListCostsResponse(string Currency, int TotalCount, List<CostData> CostData);
public sealed record CostData(List<CostDimension> Dimensions, List<CostAmount> Costs, string AmountByCosts, string OfficialAmountByCosts);
public sealed record CostDimension(string Key, string Value);
public sealed record CostAmount(string TimeDimensionValue, int TimeMeasureId, string Amount, string OfficialAmount);

/// <summary>Fee records, usage and costs of a customer's bills (Huawei BSS): thin endpoints over <see cref="CustomerBillService"/>.</summary>
public static class CostsAndUsageApi
{
    const string Currency = "USD";

    public static void MapCostsAndUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/bills/customer-bills/fee-records", async (HttpContext http, CustomerBillService bills, string? bill_cycle, int? provider_type,
            string? service_type_code, string? resource_type_code, string? region_code, int? charging_mode, int? bill_type, string? trade_id,
            string? enterprise_project_id, bool? include_zero_record, int? status, string? method, string? sub_customer_id, int? offset, int? limit,
            string? bill_date_begin, string? bill_date_end) =>
        {
            EnterpriseProject(enterprise_project_id);
            var (records, total) = await bills.FeeRecordsAsync(http.Caller(), new FeeRecordFilter(bill_cycle, provider_type, service_type_code, resource_type_code,
                region_code, charging_mode, bill_type, trade_id, include_zero_record, status, method, sub_customer_id, bill_date_begin, bill_date_end, offset, limit),
                http.RequestAborted);
            var labels = await bills.LabelsAsync([], records.Select(r => r.CustomerId), http.RequestAborted);
            return TypedResults.Ok(new ListCustomerBillsFeeRecordsResponse(total, records.Select(r => new BillFeeRecord(bill_cycle!, r.CustomerId,
                r.ServiceTypeCode, r.ResourceTypeCode, labels.Catalog.ServiceType(r.ServiceTypeCode), labels.Catalog.ResourceType(r.ResourceTypeCode), r.Region,
                "0", "default", r.ChargingMode, r.BillType == BillTypes.Usage ? DayText(r.BillDate) : null, Utc(r.TradeTime), 1, r.TradeId, r.Id, r.BillType,
                r.Status, r.Official, r.Discount, r.Truncated, r.Amount, 0, 0, 0, 0, 0, labels.Region(r.Region), labels.Account(r.CustomerId))).ToList(), Currency));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCustomerBillsFeeRecords")
            .WithSummary("A customer's fee records (transactions) of a cycle: an order's charge per service, resource type and region, and each day's pay-per-use; they add up to the monthly sum.");

        app.MapGet("/v2/bills/customer-bills/resources/usage/details", async (HttpContext http, CustomerBillService bills, string? bill_cycle,
            string? service_type_code, string? resource_type_code, string? usage_type, string? resource_id, int? offset, int? limit) =>
        {
            var (days, total, actual) = await bills.ResourceUsageAsync(http.Caller(), bill_cycle, service_type_code, resource_type_code, usage_type, resource_id,
                offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListResourceUsageResponse(Text(actual), total,
                days.Select(d => new UsageInfo(DayText(d.Day), Quantity(d.Usage), d.MeasureId)).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListResourceUsage")
            .WithSummary("The caller's pay-per-use usage in a cycle, per Beijing day and usage type (all its resources, or one with resource_id); actual_days counts the days with usage.");

        app.MapGet("/v2/bills/customer-bills/resources/usage/summary", async (HttpContext http, CustomerBillService bills, string? bill_cycle,
            string? service_type_code, string? resource_type_code, string? usage_type, int? offset, int? limit) =>
        {
            var (resources, total) = await bills.ResourceUsageSummaryAsync(http.Caller(), bill_cycle, service_type_code, resource_type_code, usage_type,
                offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListResourceUsageSummaryResponse(total, resources.Select(r => new SummaryUsageInfo(r.ResourceId, Text(r.ActualDays))).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListResourceUsageSummary")
            .WithSummary("The caller's resources with pay-per-use usage in a cycle, each with the number of days it had usage.");

        app.MapGet("/v2/bills/customer-bills/free-resources-usage-records", async (HttpContext http, CustomerBillService bills, string? free_resource_id,
            string? product_id, string? resource_type_code, string? deduct_time_begin, string? deduct_time_end, int? offset, int? limit) =>
        {
            var (uses, total) = await bills.FreeResourceUsesAsync(http.Caller(), free_resource_id, product_id, resource_type_code, deduct_time_begin, deduct_time_end,
                offset, limit, http.RequestAborted);
            var labels = await bills.LabelsAsync([], null, http.RequestAborted);
            return TypedResults.Ok(new ListFreeResourcesUsageRecordsResponse(uses.Select(u => new FreeResourceUsageRecord(Utc(u.Deduction.Hour),
                u.Deduction.FreeResourceId, u.Deduction.ResourceId, u.Deduction.ResourceTypeCode, labels.Catalog.ResourceType(u.Deduction.ResourceTypeCode),
                u.Package.Id, u.Package.ProductName, u.Deduction.UsageFactor, Quantity(u.Deduction.RemainingAfter + u.Deduction.Used), Quantity(u.Deduction.RemainingAfter),
                Quantity(u.Deduction.Used), u.Deduction.MeasureId, Utc(u.Package.EffectiveTime), Utc(u.Package.ExpireTime))).ToList(), total));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListFreeResourcesUsageRecords")
            .WithSummary("What the caller's free-resource packages covered: one record per package, resource and hour of usage, with the package's amount before and after, newest first.");

        app.MapGet("/v2/costs/cost-analysed-bills/monthly-breakdown", async (HttpContext http, CustomerBillService bills, string? shared_month,
            string? service_type_code, string? resource_type_code, string? region_code, int? charging_mode, int? bill_type, int? offset, int? limit,
            string? resource_id, string? resource_name, string? enterprise_project_id, string? method, string? sub_customer_id) =>
        {
            EnterpriseProject(enterprise_project_id);
            var (items, month, total) = await bills.MonthlyBreakDownAsync(http.Caller(), new BreakDownFilter(shared_month, service_type_code, resource_type_code,
                region_code, charging_mode, bill_type, resource_id, resource_name, method, sub_customer_id, offset, limit), http.RequestAborted);
            var labels = await bills.LabelsAsync(items.Select(i => i.Charge).ToList(), null, http.RequestAborted);
            return TypedResults.Ok(new ListCustomerBillsMonthlyBreakDownResponse(Currency, total, items.Select(i =>
            {
                var c = i.Charge;
                var usage = c.BillType == BillTypes.Usage;
                return new AmortizedDetail(month.ToString(), i.Charged.ToString(), c.BillType, c.CustomerId, c.Region, labels.Region(c.Region), c.ServiceTypeCode,
                    c.ResourceTypeCode, labels.Catalog.ServiceType(c.ServiceTypeCode), labels.Catalog.ResourceType(c.ResourceTypeCode), c.ResourceId,
                    labels.Resource(c.ResourceId), labels.Spec(c.SpecId), "0", "default", c.ChargingMode, usage ? null : c.TradeId, c.PeriodType,
                    usage ? c.UsageFactor : null, usage ? c.Usage : null, usage ? c.UsageMeasureId : null, usage ? c.FreeUsage : null, usage ? c.UsageMeasureId : null,
                    c.Amount, i.Before(month), i.ShareIn(month), i.After(month), 0, 0, 0, 0);
            }).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCustomerBillsMonthlyBreakDown")
            .WithSummary("The charges amortized into a month (18 months back): its pay-per-use, and the yearly/monthly orders whose term covers it, each with its past, this and future months' shares.");

        app.MapPost("/v4/costs/cost-analysed-bills/query", async (HttpContext http, CustomerBillService bills, ListCostsReq body) =>
        {
            var caller = http.Caller();
            var t = body.TimeCondition ?? throw Core.Common.Check.Invalid("time_condition is required.");
            var query = new CostQuery(t.TimeMeasureId, t.BeginTime, t.EndTime, body.CostType, body.AmountType,
                (body.Groupby ?? []).Select(g => (g?.Type, g?.Key)).ToList(),
                (body.Filters ?? []).Select(f => (f?.Operator, f?.FilterFactor?.Key, (IReadOnlyList<string>?)f?.FilterFactor?.Value)).ToList(), body.Offset, body.Limit);
            var (groups, total) = await bills.CostsAsync(caller, query, http.RequestAborted);
            var measure = t.TimeMeasureId ?? 1;
            return TypedResults.Ok(new ListCostsResponse(Currency, total, groups.Select(g => new CostData(
                g.Dimensions.Select(d => new CostDimension(d.Key, d.Value)).ToList(),
                g.Costs.Select(c => new CostAmount(c.Time, measure, Amount(c.Amount), Amount(c.Official))).ToList(), Amount(g.Amount), Amount(g.Official))).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCosts")
            .WithSummary("The caller's cost per day (time_measure_id 1) or month (2), ORIGINAL_COST as charged or AMORTIZED_COST spread over the months paid for, grouped by up to 3 dimensions.");
    }

    static string Quantity(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
    static string DayText(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
