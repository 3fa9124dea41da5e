using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Exports;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace PartnerCenter.Core.Tests;

/// <summary>Invoices and exports: the PDF and CSV of a partner's bill and of a customer's statement carry the API's figures to the cent.</summary>
public sealed class ExportRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static T S<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    static Caller CustomerCaller(string id) => new(id, id, id, id, true, false);

    /// <summary>A CSP with two resale customers who bought in November, a credit adjustment and a top-up, billed on 5 December.</summary>
    async Task<(Caller Partner, string A, string B, PartnerBill Bill)> BilledPartnerAsync()
    {
        var (partner, enrolled) = await h.NewPartnerAsync();
        var op = await h.OperatorAsync();
        await h.InScopeAsync(sp => S<DiscountService>(sp).SetSettlementDiscountAsync(op, enrolled.PartnerId, 0.2m));
        await h.InScopeAsync(sp => S<FundsService>(sp).SetConsumptionQuotaAsync(op, partner.AccountId, 100_000m));
        var customers = new List<string>();
        foreach (var count in new[] { 1, 3 })
        {
            var customer = await h.InScopeAsync(sp => S<SubCustomerService>(sp).CreateAsync(partner,
                new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)));
            await h.InScopeAsync(sp => S<BudgetService>(sp).SetAsync(partner, new BudgetInput(customer.Id, 1000m, "MONTHLY", "1", null, null)));
            var order = await h.InScopeAsync(sp => S<OrderService>(sp).CreateAsync(partner,
                new NewOrder(customer.Id, [new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, count)], Ids.New())));
            await h.InScopeAsync(sp => S<OrderService>(sp).PayAsync(CustomerCaller(customer.Id), new PayRequest(order.Id, "NO", "NO", null, null)));
            customers.Add(customer.Id);
        }
        await h.InScopeAsync(sp => S<BillingOperator>(sp).AdjustAsync(op, partner.AccountId, -1.5m, "goodwill", Ids.New()));
        await h.InScopeAsync(sp => S<PartnerFunds>(sp).TopUpAsync(partner, 4m, GoodCard, "pre-bill"));
        await h.InScopeAsync(sp => S<SandboxClockService>(sp).AdvanceAsync(op, null, new DateTimeOffset(new DateTime(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc))));
        var (bills, _) = await h.InScopeAsync(sp => S<PartnerBills>(sp).ListAsync(partner, 0, 10));
        var bill = await h.InScopeAsync(sp => S<PartnerBills>(sp).GetAsync(partner, Assert.Single(bills).Id));
        return (partner, customers[0], customers[1], bill);
    }

    [Fact]
    public async Task A_partner_bill_csv_parses_back_to_the_bills_header_and_lines_to_the_cent()
    {
        var (partner, a, b, bill) = await BilledPartnerAsync();
        Assert.True(bill.Lines.Count >= 3 && bill.AmountDue > 0 && bill.Deducted == 4m);

        var file = await h.InScopeAsync(sp => S<BillExports>(sp).PartnerBillAsync(partner, bill.Id, "csv"));
        Assert.Equal(($"partner-bill-2026-11-{bill.Id}.csv", "text/csv"), (file.FileName, file.ContentType));
        var rows = ReadCsv(file.Content);
        Assert.All(rows, r => Assert.Equal((bill.Id, "2026-11", partner.AccountId, "USD"), (r["invoice_number"], r["bill_cycle"], r["partner_id"], r["currency"])));
        var totals = rows.Where(r => r["row_type"] == "total").ToDictionary(r => r["item"], r => Dec(r["amount"]));
        Assert.Equal(new Dictionary<string, decimal>
        {
            ["consume_amount"] = bill.ConsumeAmount, ["refunds"] = bill.Refunds, ["adjustments"] = bill.Adjustments, ["initial_amount_due"] = bill.InitialAmountDue,
            ["tax_rate"] = bill.TaxRate, ["tax_amount"] = bill.TaxAmount, ["deducted"] = bill.Deducted, ["paid"] = bill.Paid, ["amount_due"] = bill.AmountDue,
        }, totals);
        var lines = rows.Where(r => r["row_type"] == "line")
            .Select(r => (Customer: r["customer_id"] is "" ? null : r["customer_id"], Kind: r["item"], Amount: Dec(r["amount"]), Movements: int.Parse(r["movements"], CultureInfo.InvariantCulture)))
            .OrderBy(l => l.Customer ?? "", StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal).ToList();
        Assert.Equal(bill.Lines.Select(l => (Customer: l.CustomerAccountId, l.Kind, l.Amount, l.Movements))
            .OrderBy(l => l.Customer ?? "", StringComparer.Ordinal).ThenBy(l => l.Kind, StringComparer.Ordinal).ToList(), lines);
        Assert.Equal(bill.InitialAmountDue, lines.Sum(l => l.Amount));
        Assert.Contains(lines, l => l.Customer == a);
        Assert.Contains(lines, l => l.Customer == b);
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_partner_bill_pdf_is_a_pdf_whose_text_carries_the_invoice_number_and_every_amount()
    {
        var (partner, _, _, bill) = await BilledPartnerAsync();
        var file = await h.InScopeAsync(sp => S<BillExports>(sp).PartnerBillAsync(partner, bill.Id, "PDF"));
        Assert.Equal(($"partner-bill-2026-11-{bill.Id}.pdf", "application/pdf"), (file.FileName, file.ContentType));
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(file.Content, 0, 5));
        var text = PdfText(file.Content);
        Assert.Contains(bill.Id, text);
        foreach (var amount in new[] { bill.ConsumeAmount, bill.Adjustments, bill.InitialAmountDue, bill.Deducted, bill.Paid, bill.AmountDue }.Concat(bill.Lines.Select(l => l.Amount)))
            Assert.True(text.Contains(amount.ToString("#,0.00", CultureInfo.InvariantCulture)), text);
    }

    [Fact]
    public async Task A_bill_is_exported_by_its_partner_and_the_operator_only_and_a_bad_format_is_refused()
    {
        var (_, _, _, bill) = await BilledPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        Assert.Equal("CBC.99005053", (await h.FailsAsync(sp => S<BillExports>(sp).PartnerBillAsync(other, bill.Id, "csv"))).Code);
        var op = await h.OperatorAsync();
        var file = await h.InScopeAsync(sp => S<BillExports>(sp).PartnerBillAsync(op, bill.Id, "csv"));
        Assert.Contains(ReadCsv(file.Content), r => r["item"] == "amount_due" && Dec(r["amount"]) == bill.AmountDue);
        var bad = await h.FailsAsync(sp => S<BillExports>(sp).PartnerBillAsync(op, bill.Id, "xlsx"));
        Assert.Equal("CBC.0100", bad.Code);
        Assert.Contains("format", bad.Message);
        Assert.Equal("CBC.99005053", (await h.FailsAsync(sp => S<BillExports>(sp).PartnerBillAsync(op, "no-such-bill", "pdf"))).Code);
    }

    [Fact]
    public async Task A_customer_statement_carries_the_monthly_sum_at_list_price_and_only_the_partners_copy_shows_the_settlement()
    {
        var (partner, a, _, _) = await BilledPartnerAsync();
        var customer = CustomerCaller(a);
        var sum = await h.InScopeAsync(sp => S<CustomerBillService>(sp).MonthlySumAsync(customer, "2026-11", null, "oneself", null, 0, 1000));
        Assert.NotEmpty(sum.Lines);

        var own = ReadCsv((await h.InScopeAsync(sp => S<BillExports>(sp).CustomerStatementAsync(customer, "2026-11", null, "csv"))).Content);
        var totals = own.Where(r => r["row_type"] == "total").ToDictionary(r => r["item"], r => Dec(r["amount"]));
        Assert.Equal((sum.Consume, sum.Payments.Cash, sum.Payments.Credit, sum.Payments.Debt),
            (totals["consume_amount"], totals["cash_amount"], totals["credit_amount"], totals["debt_amount"]));
        var lines = own.Where(r => r["row_type"] == "line").ToList();
        Assert.Equal(sum.Lines.Select(l => (l.ServiceTypeCode, l.ResourceTypeCode, l.Official, l.Amount)),
            lines.Select(r => (r["service_type_code"], r["resource_type_code"], Dec(r["official_amount"]), Dec(r["amount"]))));
        // A resale customer pays the list price; its copy does not show what the partner paid.
        Assert.All(lines, r => Assert.Equal(Dec(r["official_amount"]), Dec(r["amount"])));
        Assert.All(lines, r => Assert.Equal("", r["settlement_amount"]));

        var partners = ReadCsv((await h.InScopeAsync(sp => S<BillExports>(sp).CustomerStatementAsync(partner, "2026-11", a, "csv"))).Content);
        Assert.Equal(sum.Lines.Select(l => l.Settlement), partners.Where(r => r["row_type"] == "line").Select(r => Dec(r["settlement_amount"])));
        Assert.All(partners.Where(r => r["row_type"] == "line"), r => Assert.True(Dec(r["settlement_amount"]) < Dec(r["amount"])));

        var pdf = await h.InScopeAsync(sp => S<BillExports>(sp).CustomerStatementAsync(customer, "2026-11", null, "pdf"));
        Assert.Equal(($"statement-2026-11-{a}.pdf", "%PDF-"), (pdf.FileName, Encoding.ASCII.GetString(pdf.Content, 0, 5)));
        Assert.Contains(sum.Consume.ToString("#,0.00", CultureInfo.InvariantCulture), PdfText(pdf.Content));
    }

    [Fact]
    public async Task A_statement_of_another_partners_customer_or_a_malformed_cycle_is_refused()
    {
        var (_, a, _, _) = await BilledPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        Assert.Equal("CBC.99000035", (await h.FailsAsync(sp => S<BillExports>(sp).CustomerStatementAsync(other, "2026-11", a, "csv"))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BillExports>(sp).CustomerStatementAsync(CustomerCaller(a), "2026-13", null, "csv"))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => S<BillExports>(sp).CustomerStatementAsync(CustomerCaller(a), "2026-11", null, "doc"))).Code);
    }

    static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The rows of a CSV export by header name, read back with CsvHelper.</summary>
    internal static List<Dictionary<string, string>> ReadCsv(byte[] content)
    {
        using var csv = CsvReader.Create(content);
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>();
            foreach (var name in csv.Headers) row[name] = csv.GetString(name);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The text a PDF draws (its WinAnsi strings), read back with PDFsharp.</summary>
    internal static string PdfText(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var text = new StringBuilder();
        foreach (var page in document.Pages) Collect(ContentReader.ReadContent(page), text);
        return text.ToString();
    }

    static void Collect(CObject item, StringBuilder text)
    {
        switch (item)
        {
            case CString s: text.Append(s.Value).Append('\n'); break;
            case COperator op: foreach (var operand in op.Operands) Collect(operand, text); break;
            case CSequence sequence: foreach (var inner in sequence) Collect(inner, text); break;
        }
    }
}
