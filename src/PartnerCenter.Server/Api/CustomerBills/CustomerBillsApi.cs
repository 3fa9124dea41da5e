using System.Globalization;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Resources;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.CustomerBills;

/// <summary>
/// ShowCustomerMonthlySum. Per line, how it was paid (cash, credit, debt) is not answered: the ledger records how a
/// cycle's charges were paid per customer, and the totals answer that.
/// </summary>
public sealed record ShowCustomerMonthlySumResponse(int TotalCount, List<MonthlySumItem> BillSums, decimal ConsumeAmount, decimal DebtAmount,
    decimal CouponAmount, decimal FlexipurchaseCouponAmount, decimal StoredValueCardAmount, decimal CashAmount, decimal CreditAmount,
    decimal WriteoffAmount, int MeasureId, string Currency);

public sealed record MonthlySumItem(string BillCycle, string ResourceTypeCode, string ServiceTypeCode, string ServiceTypeName, string ResourceTypeName,
    int ChargingMode, decimal OfficialAmount, decimal OfficialDiscountAmount, decimal TruncatedAmount, decimal ConsumeAmount, decimal CouponAmount,
    decimal FlexipurchaseCouponAmount, decimal StoredValueCardAmount, decimal WriteoffAmount, int MeasureId, int BillType, string CustomerId,
    string AccountName);

public sealed record ListCustomerselfResourceRecordsResponse(List<ResourceFeeRecord> FeeRecords, int TotalCount, string Currency);

/// <summary>
/// A resource fee record (Huawei MonthlyBillRes). No per-record payment split (cash, credit, debt: see the monthly sum's
/// totals), no tags, RI, unit price or pricing formula (not kept here).
/// </summary>
public sealed record ResourceFeeRecord(
    string BillDate, int BillType, string CustomerId, string Region, string RegionName, string CloudServiceType, string ResourceType,
    string CloudServiceTypeName, string ResourceTypeName, string ResourceId, string ResourceName, string ProductId, string ProductName,
    string ProductSpecDesc, string SkuCode, string TradeId, string Id, string TradeTime, string EnterpriseProjectId, string EnterpriseProjectName,
    string ChargeMode, string? OrderId, string? PeriodType, string? UsageType, decimal? Usage, int? UsageMeasureId, decimal? FreeResourceUsage,
    int? FreeResourceMeasureId, decimal OfficialAmount, decimal DiscountAmount, decimal Amount, decimal CouponAmount, decimal FlexipurchaseCouponAmount,
    decimal StoredCardAmount, decimal BonusAmount, decimal AdjustmentAmount, int MeasureId, string? ConsumeTime, string AccountName, decimal? PeriodNum);

public sealed record ResRecordsDetailRequest(string? Cycle, string? CloudServiceType, string? ResourceType, string? Region, string? ResInstanceId,
    int? ChargeMode, int? BillType, string? EnterpriseProjectId, bool? IncludeZeroRecord, int? Offset, int? Limit, string? Method, string? SubCustomerId,
    int? StatisticType, string? QueryType, string? BillCycleBegin, string? BillCycleEnd, string? PayerAccountId);

public sealed record ListCustomerselfResourceRecordDetailsResponse(List<MonthlyRecord> MonthlyRecords, int TotalCount, string Currency);

/// <summary>
/// A resource record of ListCustomerselfResourceRecordDetails (Huawei's spelling resource_Type_code kept). The same
/// omissions as the fee records; no availability zones, spot or promotion flags, sub-orders or relations.
/// </summary>
public sealed record MonthlyRecord(
    string Cycle, string BillDate, int BillType, string CustomerId, string Region, string RegionName, string CloudServiceType,
    [property: System.Text.Json.Serialization.JsonPropertyName("resource_Type_code")] string ResourceTypeCode, string CloudServiceTypeName,
    string ResourceTypeName, string ResInstanceId, string ResourceName, string SkuCode, string EnterpriseProjectId, string EnterpriseProjectName,
    int ChargeMode, decimal ConsumeAmount, decimal CouponAmount, decimal FlexipurchaseCouponAmount, decimal StoredCardAmount, decimal BonusAmount,
    decimal AdjustmentAmount, decimal OfficialAmount, decimal DiscountAmount, int MeasureId, int? PeriodType, string RootResourceId, string TradeId,
    string Id, string ProductSpecDesc, string PayerAccountId, string? ConsumeTime, string AccountName, decimal? PeriodNum);

public sealed record ListSubcustomerMonthlyBillsResponse(List<SubCustomerSumItem> BillSums, int Count, string Currency);

/// <summary>
/// A partner's view of a customer's monthly line (China partner API): amount at the customer's price, the discount, and
/// no per-line payment split (account_details): the partner is charged the settlement price, which this model has no field for.
/// </summary>
public sealed record SubCustomerSumItem(string CustomerId, string CloudServiceType, string CloudServiceTypeName, string BillType, string ChargeMode,
    decimal Amount, decimal DebtAmount, decimal AdjustmentAmount, decimal DiscountAmount, int MeasureId, string ResourceTypeCode, string ResourceTypeName);

public sealed record ConsumeSubCustomersRequest(string? BillCycle, int? Offset, int? Limit);
public sealed record ListConsumeSubCustomersResponse(List<ConsumeSubCustomer> SubCustomers, int TotalCount);
public sealed record ConsumeSubCustomer(string CustomerId);

public sealed record ListSubCustomerBillDetailResponse(int TotalCount, string Currency, List<SubCustomerFeeRecord> FeeRecords);

/// <summary>
/// A partner's view of a customer's fee record (by day). The same omissions as the customer's own records; the
/// association type is answered for current customers only (a customer since unbound has none).
/// </summary>
public sealed record SubCustomerFeeRecord(
    string BillCycle, string CustomerId, string? AssociationType, string ServiceTypeCode, string ResourceTypeCode, string ServiceTypeName,
    string ResourceTypeName, int ChargingMode, string TradeTime, string TradeId, string Id, int BillDetailType, string ResourceId, string ResourceName,
    string ProductSpecDesc, string RegionCode, string ProductId, string ProductName, string? ConsumeTime, string? UsageType, decimal? UsageAmount,
    int? UsageMeasureId, decimal? FreeResourceUsage, int? FreeResourceMeasureId, decimal OfficialAmount, decimal OfficialDiscountAmount,
    decimal PaymentAmount, decimal CouponAmount, decimal FlexipurchaseCouponAmount, decimal StoredValueCardAmount, decimal WriteoffAmount,
    int? PeriodType, string? AccountManagerId, string PartnerId, string RegionName, decimal? PeriodNum, string EnterpriseProjectId, int? OrderType);

public sealed record ListCustomerAccountChangeRecordsResponse(int TotalCount, string Currency, List<AccountChangeItem> Records);

/// <summary>
/// An income or expense record: amounts as text, as the model reads them; change_amount is positive and
/// revenue_expense_type says which way. No payment channel code: card top-ups go through this server's own gateway.
/// </summary>
public sealed record AccountChangeItem(string AccountChangeId, string TradeDetailType, string TradeTime, string TradeId, string ChangeAmount,
    string BalanceAfterChange, string RevenueExpenseType, string BillCycle, string? PaymentChannelNo, string ConsumeTime, string AccountName,
    string? CloudServiceTypeName);

/// <summary>Customers' bills (Huawei BSS) and the partner's views of them: thin endpoints over <see cref="CustomerBillService"/>.</summary>
public static class CustomerBillsApi
{
    const int MeasureUnit = 1;
    const string Currency = "USD";

    public static void MapCustomerBillsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/bills/customer-bills/monthly-sum", async (HttpContext http, CustomerBillService bills, string? bill_cycle, string? service_type_code,
            string? enterprise_project_id, int? offset, int? limit, string? method, string? sub_customer_id) =>
        {
            EnterpriseProject(enterprise_project_id);
            var sum = await bills.MonthlySumAsync(http.Caller(), bill_cycle, service_type_code, method, sub_customer_id, offset, limit, http.RequestAborted);
            var labels = await bills.LabelsAsync([], sum.Lines.Select(l => l.CustomerId), http.RequestAborted);
            return TypedResults.Ok(new ShowCustomerMonthlySumResponse(sum.TotalCount, sum.Lines.Select(l => new MonthlySumItem(sum.Cycle.ToString(),
                    l.ResourceTypeCode, l.ServiceTypeCode, labels.Catalog.ServiceType(l.ServiceTypeCode), labels.Catalog.ResourceType(l.ResourceTypeCode),
                    l.ChargingMode, l.Official, l.Discount, l.Truncated, l.Amount, 0, 0, 0, 0, MeasureUnit, l.BillType, l.CustomerId, labels.Account(l.CustomerId))).ToList(),
                sum.Consume, sum.Payments.Debt, 0, 0, 0, sum.Payments.Cash, sum.Payments.Credit, 0, MeasureUnit, Currency));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ShowCustomerMonthlySum")
            .WithSummary("A customer's monthly sum (Beijing-time cycle, the current one up to now): totals and a line per service, resource type, charging mode and kind (1 consumption, 2 refund).");

        app.MapGet("/v2/bills/customer-bills/res-fee-records", async (HttpContext http, CustomerBillService bills, string? cycle, string? cloud_service_type,
            string? region, string? charge_mode, int? bill_type, int? offset, int? limit, string? resource_id, string? enterprise_project_id,
            bool? include_zero_record, string? method, string? sub_customer_id, string? trade_id, string? bill_date_begin, string? bill_date_end, int? statistic_type) =>
        {
            EnterpriseProject(enterprise_project_id);
            var (records, total) = await bills.ResourceRecordsAsync(http.Caller(), new ResourceRecordFilter(cycle, cloud_service_type, region, charge_mode, bill_type,
                resource_id, trade_id, include_zero_record, method, sub_customer_id, statistic_type, bill_date_begin, bill_date_end, offset, limit), http.RequestAborted);
            var labels = await bills.LabelsAsync(records.Select(r => r.Charge).ToList(), null, http.RequestAborted);
            return TypedResults.Ok(new ListCustomerselfResourceRecordsResponse(records.Select(r => Record(r, labels)).ToList(), total, Currency));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCustomerselfResourceRecords")
            .WithSummary("A customer's resource fee records of a cycle: statistic_type 1 by cycle, 2 by day, 3 (the default) detailed: each order line and each hourly fee record, with its 2-decimal share of the charge.");

        app.MapPost("/v2/bills/customer-bills/res-records/query", async (HttpContext http, CustomerBillService bills, ResRecordsDetailRequest body) =>
        {
            EnterpriseProject(body.EnterpriseProjectId);
            // One cycle at a time: query_type BILL_CYCLE with cycle (the bill_cycle_begin/end range is not offered).
            if (body.QueryType is not (null or "" or "BILL_CYCLE")) throw Core.Common.Check.Invalid("query_type is BILL_CYCLE (with cycle).");
            if (!string.IsNullOrEmpty(body.BillCycleBegin) || !string.IsNullOrEmpty(body.BillCycleEnd))
                throw Core.Common.Check.Invalid("bill_cycle_begin and bill_cycle_end are not supported: query one cycle with cycle.");
            if (body.StatisticType is not (null or 1 or 2)) throw Core.Common.Check.Invalid("statistic_type is 1 (by cycle) or 2 (detailed).");
            var caller = http.Caller();
            Core.Common.Check.MaxLength(body.PayerAccountId, "payer_account_id", 64);
            if (!string.IsNullOrEmpty(body.PayerAccountId) && body.PayerAccountId != caller.AccountId && body.PayerAccountId != body.SubCustomerId)
                throw Core.Common.Check.Invalid("payer_account_id is the paying customer: the caller, or its sub_customer_id.");
            var (records, total) = await bills.ResourceRecordsAsync(caller, new ResourceRecordFilter(body.Cycle, body.CloudServiceType, body.Region,
                body.ChargeMode is { } mode ? Text(mode) : null, body.BillType, body.ResInstanceId, null, body.IncludeZeroRecord, body.Method, body.SubCustomerId,
                body.StatisticType == 2 ? 3 : 1, null, null, body.Offset, body.Limit, body.ResourceType), http.RequestAborted);
            var labels = await bills.LabelsAsync(records.Select(r => r.Charge).ToList(), null, http.RequestAborted);
            return TypedResults.Ok(new ListCustomerselfResourceRecordDetailsResponse(records.Select(r =>
            {
                var c = r.Charge;
                var usage = c.BillType == BillTypes.Usage;
                var spec = labels.Spec(c.SpecId);
                var day = r.BillDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new MonthlyRecord(body.Cycle!, day, c.BillType, c.CustomerId, c.Region, labels.Region(c.Region), c.ServiceTypeCode, c.ResourceTypeCode,
                    labels.Catalog.ServiceType(c.ServiceTypeCode), labels.Catalog.ResourceType(c.ResourceTypeCode), c.ResourceId, labels.Resource(c.ResourceId),
                    spec, "0", "default", c.ChargingMode, c.Amount, 0, 0, 0, 0, 0, c.Official, c.Discount, MeasureUnit, c.PeriodType, c.ResourceId, c.TradeId,
                    $"{c.TradeId}:{c.ResourceId}:{c.UsageFactor}:{Utc(c.TradeTime)}", spec, c.CustomerId, usage ? Utc(c.TradeTime) : null,
                    labels.Account(c.CustomerId), c.PeriodNum);
            }).ToList(), total, Currency));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCustomerselfResourceRecordDetails")
            .WithSummary("A customer's resource records of a cycle: statistic_type 1 (the default) by cycle, 2 detailed (each order line and hourly fee record).");

        app.MapGet("/v2/bills/partner-bills/subcustomer-bills/monthly-sum", async (HttpContext http, CustomerBillService bills, string? customer_id, string? cycle,
            string? cloud_service_type, string? charge_mode, int? offset, int? limit, string? bill_type, string? indirect_partner_id) =>
        {
            var (lines, total) = await bills.SubCustomerSumsAsync(http.Caller(), new SubCustomerSumFilter(customer_id, cycle, cloud_service_type, charge_mode, bill_type,
                indirect_partner_id, offset, limit), http.RequestAborted);
            var labels = await bills.LabelsAsync([], null, http.RequestAborted);
            return TypedResults.Ok(new ListSubcustomerMonthlyBillsResponse(lines.Select(l => new SubCustomerSumItem(l.CustomerId, l.ServiceTypeCode,
                labels.Catalog.ServiceType(l.ServiceTypeCode), l.BillType == 2 ? "1" : "0", Text(l.ChargingMode), l.Amount, 0, 0, l.Discount, MeasureUnit,
                l.ResourceTypeCode, labels.Catalog.ResourceType(l.ResourceTypeCode))).ToList(), total, Currency));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListSubcustomerMonthlyBills")
            .WithSummary("A partner's customers' monthly sums (18 months back; a distributor passes indirect_partner_id for its reseller's customers).");

        app.MapPost("/v2/bills/subcustomer-bills/res-fee-records/sub-customers/query", async (HttpContext http, CustomerBillService bills, ConsumeSubCustomersRequest body) =>
        {
            var (customers, total) = await bills.ConsumingCustomersAsync(http.Caller(), body.BillCycle, body.Offset, body.Limit, http.RequestAborted);
            return TypedResults.Ok(new ListConsumeSubCustomersResponse(customers.Select(c => new ConsumeSubCustomer(c)).ToList(), total));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListConsumeSubCustomers")
            .WithSummary("The partner's customers with charges in a cycle, including customers no longer associated with it.");

        app.MapGet("/v2/bills/subcustomer-bills/res-fee-records", async (HttpContext http, CustomerBillService bills, string? bill_cycle, string? customer_id,
            string? service_type_code, string? region_code, int? charging_mode, int? bill_detail_type, string? resource_id, string? resource_name, string? trade_id,
            string? account_manager_id, string? association_type, int? offset, int? limit, string? indirect_partner_id, string? bill_date_begin, string? bill_date_end) =>
        {
            var (records, total, partner) = await bills.SubCustomerRecordsAsync(http.Caller(), new SubCustomerRecordFilter(bill_cycle, customer_id, service_type_code,
                region_code, charging_mode, bill_detail_type, resource_id, resource_name, trade_id, account_manager_id, association_type, indirect_partner_id,
                bill_date_begin, bill_date_end, offset, limit), http.RequestAborted);
            var labels = await bills.LabelsAsync(records.Select(r => r.Record.Charge).ToList(), null, http.RequestAborted);
            return TypedResults.Ok(new ListSubCustomerBillDetailResponse(total, Currency, records.Select(x =>
            {
                var (r, c) = (x.Record, x.Record.Charge);
                var usage = c.BillType == BillTypes.Usage;
                var spec = labels.Spec(c.SpecId);
                var day = r.BillDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new SubCustomerFeeRecord(bill_cycle!, c.CustomerId, x.Association is { } a ? (a.AssociationType == Core.Partners.AssociationTypes.Resale ? "2" : "1") : null,
                    c.ServiceTypeCode, c.ResourceTypeCode, labels.Catalog.ServiceType(c.ServiceTypeCode), labels.Catalog.ResourceType(c.ResourceTypeCode),
                    c.ChargingMode, Utc(c.TradeTime), c.TradeId, $"{c.TradeId}:{c.ResourceId}:{c.UsageFactor}:{Utc(c.TradeTime)}", c.BillType, c.ResourceId,
                    labels.Resource(c.ResourceId), spec, c.Region, c.SpecId, spec, usage ? day : null, usage ? c.UsageFactor : null, usage ? c.Usage : null,
                    usage ? c.UsageMeasureId : null, usage ? c.FreeUsage : null, usage ? c.UsageMeasureId : null, c.Official, c.Discount, c.Amount, 0, 0, 0, 0,
                    c.PeriodType, x.Association?.AccountManagerUserId, partner.PartnerId, labels.Region(c.Region), c.PeriodNum, "0", usage ? null : OrderTypeOf(c.BillType));
            }).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListSubCustomerBillDetail")
            .WithSummary("A partner's customers' fee records by day, 18 months back, including customers it answered for in the cycle and has since lost; a distributor passes indirect_partner_id.");

        MapAccountChanges(app);
        app.MapCostsAndUsageApi();
    }

    /// <summary>The order type a record of an order comes from.</summary>
    static int OrderTypeOf(int billType) => billType switch
    {
        BillTypes.NewPurchase => Core.Orders.OrderType.NewPurchase,
        BillTypes.Renewal or BillTypes.AutoRenewal => Core.Orders.OrderType.Renewal,
        BillTypes.Change => Core.Orders.OrderType.Change,
        BillTypes.UnsubscribeRefund => Core.Orders.OrderType.Unsubscribe,
        _ => Core.Orders.OrderType.ToOnDemand,
    };

    static void MapAccountChanges(IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/accounts/customer-accounts/account-change-records", async (HttpContext http, AccountChangeRecords changes, CustomerBillService bills,
            string? balance_type, string? revenue_expense_type, string? trade_type, string? trade_time_begin, string? trade_time_end, string? trade_id,
            string? payment_channel_id, string? payment_channel_no, int? offset, int? limit) =>
        {
            Core.Common.Check.MaxLength(payment_channel_id, "payment_channel_id", 64);
            Core.Common.Check.MaxLength(payment_channel_no, "payment_channel_no", 64);
            var caller = http.Caller();
            var (records, total) = await changes.ListAsync(caller, new AccountChangeFilter(balance_type, revenue_expense_type, trade_type, trade_time_begin,
                trade_time_end, trade_id, offset, limit), http.RequestAborted);
            var labels = await bills.LabelsAsync([], [caller.AccountId], http.RequestAborted);
            return TypedResults.Ok(new ListCustomerAccountChangeRecordsResponse(total, Currency, records.Select(r => new AccountChangeItem(
                Text(r.Id), r.Kind, Utc(r.TradeTime), r.TradeId, Amount(r.Amount), Amount(r.BalanceAfter), r.Revenue ? "REVENUE" : "EXPENSE",
                BillCycle.Containing(r.BookedAt).ToString(), r.PaymentReference, Utc(r.BookedAt), labels.Account(caller.AccountId),
                r.ServiceTypeCode is { } code ? labels.Catalog.ServiceType(code) : null)).ToList()));
        }).Action(CustomerBillActions.View).WithTags("Customer bills").WithName("ListCustomerAccountChangeRecords")
            .WithSummary("A customer's income and expense records of its cash or credit account, newest first, each with the balance after it (not for resale customers).");
    }

    internal static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    static ResourceFeeRecord Record(ResourceRecord r, BillLabels labels)
    {
        var c = r.Charge;
        var usage = c.BillType == BillTypes.Usage;
        var spec = labels.Spec(c.SpecId);
        var day = r.BillDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new ResourceFeeRecord(day, c.BillType, c.CustomerId, c.Region, labels.Region(c.Region), c.ServiceTypeCode, c.ResourceTypeCode,
            labels.Catalog.ServiceType(c.ServiceTypeCode), labels.Catalog.ResourceType(c.ResourceTypeCode), c.ResourceId, labels.Resource(c.ResourceId),
            c.SpecId, spec, spec, spec, c.TradeId, $"{c.TradeId}:{c.ResourceId}:{c.UsageFactor}:{Utc(c.TradeTime)}", Utc(c.TradeTime), "0", "default",
            Text(c.ChargingMode), usage ? null : c.TradeId, c.PeriodType is { } pt ? Text(pt) : null, usage ? c.UsageFactor : null, usage ? c.Usage : null,
            usage ? c.UsageMeasureId : null, usage ? c.FreeUsage : null, usage ? c.UsageMeasureId : null, c.Official, c.Discount, c.Amount, 0, 0, 0, 0, 0,
            MeasureUnit, usage ? day : null, labels.Account(c.CustomerId), c.PeriodNum);
    }

    /// <summary>Enterprise projects are not modelled: every resource is in the default project "0".</summary>
    internal static void EnterpriseProject(string? id)
    {
        if (id is not (null or "" or "0" or "all")) throw Core.Common.Check.Invalid("enterprise_project_id is 0 (the default project) or all.");
    }

    internal static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    internal static string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
