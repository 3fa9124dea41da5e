using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Server.Api.Funds;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Partners.SubCustomersApi;

namespace PartnerCenter.Server.Api.Billing;

/// <summary>ListPostpaidBillSum (Bssintl ListPostpaidBillSumResponse): amounts as JSON numbers.</summary>
public sealed record ListPostpaidBillSumResponse(string BillCycle, decimal InitialAmountDue, decimal ConsumeAmount, decimal Refunds, decimal Adjustments,
    decimal TaxAmount, string Currency);

public sealed record RepaymentRequest(decimal? Amount, CardRequest? Card, string? ClientToken);
public sealed record CardOnFileRequest(CardRequest? Card);
public sealed record DraftRunRequest(string? BillCycle);
public sealed record TaxRateRequest(decimal? Rate);
public sealed record BillingSettingsRequest(int? DueDays);
public sealed record PartnerBillAdjustmentRequest(string? PartnerAccountId, decimal? Amount, string? Reason, string? ClientToken);

/// <param name="AmountDue">What is still to pay on the bill.</param>
public sealed record PartnerBillInfo(string BillId, string BillCycle, string Status, decimal ConsumeAmount, decimal Refunds, decimal Adjustments,
    decimal InitialAmountDue, decimal TaxRate, decimal TaxAmount, decimal Deducted, decimal Paid, decimal AmountDue, string DueDate, bool Overdue,
    string CreateTime, string Currency);
public sealed record PartnerBillLineInfo(string? CustomerId, string Kind, decimal Amount, int Movements);
public sealed record PartnerBillDetailResponse(PartnerBillInfo Bill, List<PartnerBillLineInfo> Lines);
public sealed record ListPartnerBillsResponse(int TotalCount, List<PartnerBillInfo> Bills);
public sealed record AmountDueResponse(decimal Balance, decimal AmountDue, int UnpaidBills, bool Overdue, decimal UnbilledAmount, string Currency);
public sealed record PaymentRecordInfo(string PaymentId, string BillId, decimal Amount, string Method, string? SourceId, string CreatedBy, string CreateTime);
public sealed record ListPaymentRecordsResponse(int TotalCount, List<PaymentRecordInfo> Payments);
public sealed record StatementInfo(string EntryId, string Kind, decimal Amount, string Description, string? Reference, string CreateTime);
public sealed record ListStatementsResponse(int TotalCount, List<StatementInfo> Statements);
public sealed record PartnerTopUpResponse(string TopUpId, decimal Amount, decimal Repaid, decimal AmountDue, string CardLast4, string? GatewayReference,
    string ClientToken, string CreateTime, string Currency);
public sealed record CardOnFileResponse(bool OnFile, string? CardLast4, int? ExpiryMonth, int? ExpiryYear);
public sealed record BillRunInfo(string BillCycle, bool Draft, int PartnersDone, int PartnersTotal, bool Completed, string StartTime, string? CompleteTime);
public sealed record ListBillRunsResponse(List<BillRunInfo> Runs);
public sealed record OperatorBillsResponse(List<PartnerBillDetailResponse> Bills);
public sealed record TaxRateInfo(string Country, decimal Rate);
public sealed record ListTaxRatesResponse(List<TaxRateInfo> TaxRates);
public sealed record BillingSettingsResponse(int DueDays);
public sealed record PartnerBillAdjustmentResponse(string PartnerAccountId, decimal Owed);
public sealed record OverduePartnerInfo(string PartnerAccountId, decimal OverdueAmount, string OldestDueDate);
public sealed record ListOverduePartnersResponse(List<OverduePartnerInfo> Partners);

/// <summary>The partner's bills and repayment (ListPostpaidBillSum as Huawei names it, the rest our /v1) and the operator's bill runs.</summary>
public static class BillingApi
{
    const string Currency = "USD";

    public static void MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/bills/partner-bills/postpaid-bill-summary", async (HttpContext http, PartnerBills bills, string? bill_cycle) =>
        {
            var s = await bills.SummaryAsync(http.Caller(), bill_cycle, http.RequestAborted);
            return TypedResults.Ok(new ListPostpaidBillSumResponse(s.BillCycle, s.InitialAmountDue, s.ConsumeAmount, s.Refunds, s.Adjustments, s.TaxAmount, Currency));
        }).Action(BillingActions.View).WithTags("Bills").WithName("ListPostpaidBillSum")
            .WithSummary("The partner's postpaid bill of a closed month (bill_cycle YYYY-MM, Beijing time), made on the 5th of the next month.");

        var partner = app.MapGroup("/v1").WithTags("Bills");
        partner.MapGet("/partner-bills", async (HttpContext http, PartnerBills bills, int? offset, int? limit) =>
        {
            var (list, total) = await bills.ListAsync(http.Caller(), offset, limit, http.RequestAborted);
            var now = Now(http);
            return TypedResults.Ok(new ListPartnerBillsResponse(total, list.Select(b => Info(b, now)).ToList()));
        }).Action(BillingActions.View).WithName("ListPartnerBills").WithSummary("The partner's finalized bills, newest month first; offset/limit (1-100, default 20).");

        partner.MapGet("/partner-bills/amount-due", async (HttpContext http, PartnerFunds funds) =>
        {
            var s = await funds.SummaryAsync(http.Caller(), http.RequestAborted);
            return TypedResults.Ok(new AmountDueResponse(s.Balance, s.AmountDue, s.UnpaidBills, s.Overdue, s.Unbilled, Currency));
        }).Action(BillingActions.View).WithName("ShowPartnerAmountDue").WithSummary("The Amount Due area: the balance, the amount due on finalized bills, unpaid bills, overdue or not, unbilled consumption.");

        partner.MapGet("/partner-bills/unpaid", async (HttpContext http, PartnerFunds funds) =>
        {
            var unpaid = await funds.UnpaidBillsAsync(http.Caller(), http.RequestAborted);
            var now = Now(http);
            return TypedResults.Ok(new ListPartnerBillsResponse(unpaid.Count, unpaid.Select(b => Info(b, now)).ToList()));
        }).Action(BillingActions.View).WithName("ListUnpaidPartnerBills").WithSummary("Unpaid Bills: finalized bills with an amount still due, oldest first.");

        partner.MapGet("/partner-bills/payments", async (HttpContext http, PartnerFunds funds, int? offset, int? limit) =>
        {
            var (list, total) = await funds.PaymentsAsync(http.Caller(), offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListPaymentRecordsResponse(total, list.Select(p =>
                new PaymentRecordInfo(p.Id, p.BillId, p.Amount, p.Method, p.SourceId, p.CreatedBy, UtcText(p.CreatedAt))).ToList()));
        }).Action(BillingActions.View).WithName("ListPartnerBillPayments")
            .WithSummary("Payment records: every payment on the partner's bills (balance deduction, online payment, card on file, bank transfer), newest first.");

        partner.MapGet("/partner-bills/{bill_id}", async (HttpContext http, PartnerBills bills, string bill_id) =>
            Detail(await bills.GetAsync(http.Caller(), bill_id, http.RequestAborted), Now(http)))
            .Action(BillingActions.View).WithName("ShowPartnerBill").WithSummary("A finalized bill with its lines: one per resale customer and kind (order_payment, renewal, pay_per_use, refund; adjustment for the partner).");

        partner.MapPost("/partner-bills/repayments", async (HttpContext http, PartnerFunds funds, RepaymentRequest body) =>
            TopUp(await funds.RepayAsync(http.Caller(), body.Amount, Card(body.Card), body.ClientToken, http.RequestAborted)))
            .Action(BillingActions.Repay).WithName("RepayPartnerBills")
            .WithSummary("Online payment of the amount due by card: more than 0, at most 2 decimals, at most the amount due and 40,000.00 USD; " +
                         "the balance is topped up and the oldest bills repaid. Idempotent by client_token.");

        partner.MapPost("/partner-account/top-ups", async (HttpContext http, PartnerFunds funds, RepaymentRequest body) =>
            TopUp(await funds.TopUpAsync(http.Caller(), body.Amount, Card(body.Card), body.ClientToken, http.RequestAborted)))
            .Action(BillingActions.Repay).WithName("TopUpPartnerBalance")
            .WithSummary("A card top-up of the partner's balance (at most 40,000.00 USD); it repays due bills first and the rest pays the next bill. Idempotent by client_token.");

        partner.MapGet("/partner-account/statements", async (HttpContext http, PartnerFunds funds, int? offset, int? limit) =>
        {
            var (list, total) = await funds.StatementsAsync(http.Caller(), offset, limit, http.RequestAborted);
            return TypedResults.Ok(new ListStatementsResponse(total, list.Select(s =>
                new StatementInfo(s.EntryId, s.Kind, s.Amount, s.Description, s.Reference, UtcText(s.At))).ToList()));
        }).Action(BillingActions.View).WithName("ListPartnerAccountStatements")
            .WithSummary("Account Statements: every movement of the partner's balance (top_up, repayment, bill_deduction, bill_credit), newest first.");

        partner.MapGet("/partner-account/card", async (HttpContext http, PartnerFunds funds) =>
            CardInfo(await funds.CardOnFileAsync(http.Caller(), http.RequestAborted)))
            .Action(BillingActions.View).WithName("ShowPartnerCardOnFile");
        partner.MapPut("/partner-account/card", async (HttpContext http, PartnerFunds funds, CardOnFileRequest body) =>
            CardInfo(await funds.SetCardOnFileAsync(http.Caller(), Card(body.Card), http.RequestAborted)))
            .Action(BillingActions.Repay).WithName("SetPartnerCardOnFile").WithSummary("A sandbox card kept on file and charged the amount due when bills are made on the 5th.");
        partner.MapDelete("/partner-account/card", async (HttpContext http, PartnerFunds funds) =>
        {
            await funds.RemoveCardOnFileAsync(http.Caller(), http.RequestAborted);
            return TypedResults.NoContent();
        }).Action(BillingActions.Repay).WithName("RemovePartnerCardOnFile");

        var op = app.MapGroup("/v1/operator").WithTags("Bills");
        op.MapGet("/bill-runs", async (HttpContext http, BillingOperator billing) =>
            TypedResults.Ok(new ListBillRunsResponse((await billing.RunsAsync(http.Caller(), http.RequestAborted)).Select(Run).ToList())))
            .Action("operator:bills:view").WithName("ListBillRuns").WithSummary("Bill runs, final and draft, with their progress (partners done of total).");
        op.MapPost("/bill-runs/drafts", async (HttpContext http, BillingOperator billing, DraftRunRequest body) =>
            TypedResults.Ok(Run(await billing.RunDraftAsync(http.Caller(), body.BillCycle, http.RequestAborted))))
            .Action("operator:bills:run").WithName("RunDraftBills")
            .WithSummary("Runs a draft of a closed month not finalized yet (replacing its earlier drafts); the ledger is not touched.");
        op.MapGet("/bill-runs/{bill_cycle}/bills", async (HttpContext http, BillingOperator billing, string bill_cycle, bool? draft) =>
        {
            var now = Now(http);
            return TypedResults.Ok(new OperatorBillsResponse((await billing.BillsAsync(http.Caller(), bill_cycle, draft ?? false, http.RequestAborted))
                .Select(b => Detail(b, now).Value!).ToList()));
        }).Action("operator:bills:view").WithName("ListCycleBills").WithSummary("The bills of a month's final run, or of its draft with draft=true, with their lines.");
        op.MapGet("/tax-rates", async (HttpContext http, BillingOperator billing) =>
            TypedResults.Ok(new ListTaxRatesResponse((await billing.TaxRatesAsync(http.Caller(), http.RequestAborted)).Select(t => new TaxRateInfo(t.Country, t.Rate)).ToList())))
            .Action("operator:bills:view").WithName("ListTaxRates");
        op.MapPut("/tax-rates/{country}", async (HttpContext http, BillingOperator billing, string country, TaxRateRequest body) =>
        {
            var t = await billing.SetTaxRateAsync(http.Caller(), country, body.Rate, http.RequestAborted);
            return TypedResults.Ok(new TaxRateInfo(t.Country, t.Rate));
        })
            .Action("operator:bills:configure").WithName("SetTaxRate").WithSummary("The output-tax rate (0 to 1) of partners in a country, shown on bills apart from the amount due; 0 where none is set.");
        op.MapGet("/billing-settings", async (HttpContext http, BillingOperator billing) =>
            TypedResults.Ok(new BillingSettingsResponse((await billing.SettingsAsync(http.Caller(), http.RequestAborted)).DueDays)))
            .Action("operator:bills:view").WithName("ShowBillingSettings");
        op.MapPut("/billing-settings", async (HttpContext http, BillingOperator billing, BillingSettingsRequest body) =>
            TypedResults.Ok(new BillingSettingsResponse((await billing.SetDueDaysAsync(http.Caller(), body.DueDays, http.RequestAborted)).DueDays)))
            .Action("operator:bills:configure").WithName("UpdateBillingSettings").WithSummary("due_days: days from a bill to its due date (1 to 90, default 15).");
        op.MapPost("/partner-bill-adjustments", async (HttpContext http, BillingOperator billing, PartnerBillAdjustmentRequest body) =>
            TypedResults.Ok(new PartnerBillAdjustmentResponse(body.PartnerAccountId!,
                await billing.AdjustAsync(http.Caller(), body.PartnerAccountId, body.Amount, body.Reason, body.ClientToken, http.RequestAborted))))
            .Action("operator:bills:adjust").WithName("AdjustPartnerBill")
            .WithSummary("A correction of what a partner owes (positive more, negative a credit or write-off), an adjustment line of its next bill. Idempotent by client_token.");
        op.MapGet("/overdue-partners", async (HttpContext http, BillingOperator billing) =>
            TypedResults.Ok(new ListOverduePartnersResponse((await billing.OverduePartnersAsync(http.Caller(), http.RequestAborted))
                .Select(p => new OverduePartnerInfo(p.Partner, p.Overdue, UtcText(p.OldestDueAt))).ToList())))
            .Action("operator:bills:view").WithName("ListOverduePartners");
        op.MapPost("/bank-transfers/{ticket_id}/confirm", async (HttpContext http, PartnerFunds funds, string ticket_id) =>
        {
            var s = await funds.ConfirmBankTransferAsync(http.Caller(), ticket_id, http.RequestAborted);
            return TypedResults.Ok(new AmountDueResponse(s.Balance, s.AmountDue, s.UnpaidBills, s.Overdue, s.Unbilled, Currency));
        }).Action("operator:bills:confirm").WithName("ConfirmBankTransfer")
            .WithSummary("The operator confirms a bank-transfer ticket: the amount tops up the partner's balance and repays its due bills, once however often confirmed.");
    }

    static DateTime Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    static CardDetails? Card(CardRequest? c) => c is null ? null : new CardDetails(c.Number, c.ExpiryMonth, c.ExpiryYear, c.Cvc, c.HolderName);

    static PartnerBillInfo Info(PartnerBill b, DateTime now) => new(b.Id, b.Cycle, b.Status.ToString().ToLowerInvariant(), b.ConsumeAmount, b.Refunds, b.Adjustments,
        b.InitialAmountDue, b.TaxRate, b.TaxAmount, b.Deducted, b.Paid, b.AmountDue, UtcText(b.DueAt), b.AmountDue > 0 && b.DueAt <= now, UtcText(b.CreatedAt), Currency);

    static Ok<PartnerBillDetailResponse> Detail(PartnerBill b, DateTime now) => TypedResults.Ok(new PartnerBillDetailResponse(Info(b, now),
        b.Lines.OrderBy(l => l.CustomerAccountId, StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal)
            .Select(l => new PartnerBillLineInfo(l.CustomerAccountId, l.Kind, l.Amount, l.Movements)).ToList()));

    static Ok<PartnerTopUpResponse> TopUp(PartnerTopUpResult r) => TypedResults.Ok(new PartnerTopUpResponse(r.TopUp.Id, r.TopUp.Amount, r.Repaid, r.AmountDue,
        r.TopUp.CardLast4, r.TopUp.GatewayReference, r.TopUp.ClientToken, UtcText(r.TopUp.CreatedAt), Currency));

    static Ok<CardOnFileResponse> CardInfo(PartnerCard? c) => TypedResults.Ok(new CardOnFileResponse(c is not null, c?.Last4, c?.ExpiryMonth, c?.ExpiryYear));

    static BillRunInfo Run(BillRun r) => new(r.Cycle, r.Draft, r.PartnersDone, r.PartnersTotal, r.CompletedAt is not null, UtcText(r.StartedAt),
        r.CompletedAt is { } c ? UtcText(c) : null);
}
