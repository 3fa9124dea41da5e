using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>
/// Bills and orders across an enterprise organization: the master pays its finance-custody members' orders from its own
/// balance (refunds go back to it), and reads the bills of the members that let it, consolidated with its own or one by one.
/// </summary>
public class EnterpriseBillRuleTests : IAsyncLifetime
{
    const string Service = "hws.service.type.ec2", Vm = "hws.resource.type.vm", Spec = "s6.small.1.linux", Region = "ap-southeast-1";
    const decimal MonthPrice = 7.15m; // list price of a month of the spec
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2030, "123", "Test Holder");
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    /// <summary>A master holding <paramref name="masterCash"/> and members: custody (finance custody), granting (READ_CONSUME_BILL only), independent (nothing granted).</summary>
    sealed record Org(Caller Master, Caller Custody, Caller Granting, Caller Independent);

    async Task<Org> OrgAsync(decimal masterCash)
    {
        var master = (await h.NewAccountAsync("master")).Owner;
        var custody = (await h.NewAccountAsync("custody")).Owner;
        var granting = (await h.NewAccountAsync("granting")).Owner;
        var independent = (await h.NewAccountAsync("independent")).Owner;
        if (masterCash > 0) await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(master, masterCash, GoodCard, Ids.New()));
        await h.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Data.AppDbContext>();
            var now = DateTime.UtcNow;
            var root = new EnterpriseUnit { Id = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), MasterAccountId = master.AccountId, Name = "root", CreatedAt = now };
            db.EnterpriseUnits.Add(root);
            db.EnterpriseMasters.Add(new EnterpriseMaster { AccountId = master.AccountId, RootUnitId = root.Id, EnabledAt = now });
            foreach (var (member, isCustody, permissions) in new[]
                     {
                         (custody, true, string.Join(' ', EnterpriseCodes.CustodyPermissions)), (granting, false, EnterpriseBills.ReadConsumeBill), (independent, false, ""),
                     })
                db.EnterpriseMembers.Add(new EnterpriseMember
                {
                    MemberAccountId = member.AccountId, MasterAccountId = master.AccountId, UnitId = root.Id, Status = EnterpriseCodes.Normal,
                    Origin = MemberOrigin.Created, FinancialCustody = isCustody, Permissions = permissions, JoinedAt = now,
                });
            await db.SaveChangesAsync();
        });
        return new Org(master, custody, granting, independent);
    }

    Task<Order> OrderAsync(Caller customer) => h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().CreateAsync(customer,
        new NewOrder(null, [new NewOrderLine(Service, Vm, Spec, Region, null, null, 2, 1, 1)], Ids.New())));

    Task<Order> PayAsync(Caller payer, string orderId) =>
        h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(payer, new PayRequest(orderId, "NO", "NO", null, null)));

    Task<decimal> CashAsync(Caller c) => h.InScopeAsync(async sp => (await sp.GetRequiredService<FundsService>().BalancesOfAsync(c.AccountId)).Cash);

    Task<MonthlySum> SumAsync(Caller c, string? method = null, string? member = null) => h.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>()
        .MonthlySumAsync(c, Billing.BillCycle.Containing(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).ToString(), null, method, member, null, 1000));

    [Fact]
    public async Task A_master_pays_its_custody_members_order_from_its_own_balance_and_the_order_names_it()
    {
        var o = await OrgAsync(masterCash: 100m);
        var order = await OrderAsync(o.Custody);

        var paid = await PayAsync(o.Master, order.Id);

        Assert.Equal((OrderStatus.Completed, o.Master.AccountId), (paid.Status, paid.PaidByAccountId));
        Assert.Equal((100m - MonthPrice, 0m), (await CashAsync(o.Master), await CashAsync(o.Custody)));
        // Paying it again (by either side) charges nothing more.
        await PayAsync(o.Master, order.Id);
        await PayAsync(o.Custody, order.Id);
        Assert.Equal(100m - MonthPrice, await CashAsync(o.Master));
        // The member sees its order as paid by its master; the master lists it among its members' orders.
        var (mine, _) = await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().ListAsync(o.Custody, new OrderFilter(order.Id, null, null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal(o.Master.AccountId, mine.Single().PaidByAccountId);
        var (members, total) = await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().ListAsync(o.Master,
            new OrderFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, "sub_customer")));
        Assert.Equal((1, order.Id), (total, members.Single().Id));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_master_cannot_pay_the_orders_of_a_member_without_finance_custody_or_of_another_account()
    {
        var o = await OrgAsync(masterCash: 100m);
        var stranger = (await h.NewAccountAsync("stranger")).Owner;
        foreach (var customer in new[] { o.Granting, o.Independent, stranger })
        {
            var order = await OrderAsync(customer);
            var error = await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(o.Master, new PayRequest(order.Id, "NO", "NO", null, null)));
            Assert.Equal(Errors.InvalidOrder().Code, error.Code);
        }
        // A member never pays its master's orders either: custody runs one way.
        var masters = await OrderAsync(o.Master);
        Assert.Equal(Errors.InvalidOrder().Code, (await h.FailsAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(o.Custody, new PayRequest(masters.Id, "NO", "NO", null, null)))).Code);
        Assert.Equal(100m, await CashAsync(o.Master));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task Concurrent_payments_of_members_orders_never_overspend_the_masters_balance()
    {
        var o = await OrgAsync(masterCash: 3 * MonthPrice + 1m);
        var orders = new List<Order>();
        for (var i = 0; i < 8; i++) orders.Add(await OrderAsync(o.Custody));

        var results = await Task.WhenAll(orders.Select(async order =>
        {
            try { await PayAsync(o.Master, order.Id); return true; }
            catch (ServiceException) { return false; }
        }));

        Assert.Equal(3, results.Count(x => x));
        Assert.Equal(1m, await CashAsync(o.Master));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_refund_of_an_order_the_master_paid_goes_back_to_the_master()
    {
        var o = await OrgAsync(masterCash: 100m);
        var order = await OrderAsync(o.Custody);
        await PayAsync(o.Master, order.Id);

        // Unsubscribed within five days: the whole payment comes back, to whoever paid it.
        var refund = await h.InScopeAsync(sp => sp.GetRequiredService<ResourceService>().UnsubscribeAsync(o.Custody, [order.Lines.Single(l => l.IsMainResource).ResourceId], 1, null, null));

        Assert.Single(refund.OrderIds);
        Assert.Equal((100m, 0m), (await CashAsync(o.Master), await CashAsync(o.Custody)));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task A_member_sharing_its_masters_commercial_discount_gets_it_on_its_orders_and_one_that_does_not_share_never()
    {
        var o = await OrgAsync(masterCash: 100m);
        var op = await h.OperatorAsync();
        var discount = await h.InScopeAsync(sp => sp.GetRequiredService<DiscountService>().GrantCommercialDiscountAsync(op, new DiscountInput(o.Master.AccountId, 0.2m, null, null, null)));

        // The custody member shares it (fixed permission); the granting member only lets the master read its bills.
        var order = await OrderAsync(o.Custody);
        var option = Assert.Single(order.DiscountOptions);
        Assert.Equal((discount.Id, Money.Round2(MonthPrice * 0.8m)), (option.DiscountId, option.AmountAfterDiscount));
        Assert.Empty((await OrderAsync(o.Granting)).DiscountOptions);

        // The master pays its member's order with it.
        var paid = await h.InScopeAsync(sp => sp.GetRequiredService<OrderService>().PayAsync(o.Master, new PayRequest(order.Id, "NO", "YES", null, [new PayChoice(discount.Id, null)])));
        Assert.Equal((Money.Round2(MonthPrice * 0.8m), discount.Id), (paid.AmountAfterDiscount, paid.DiscountId));
        Assert.Equal(100m - paid.AmountAfterDiscount, await CashAsync(o.Master));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_masters_consolidated_bill_holds_the_members_that_let_it_read_their_bills_and_refuses_one_that_did_not()
    {
        var o = await OrgAsync(masterCash: 100m);
        foreach (var member in new[] { o.Granting, o.Independent })
        {
            await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(member, 20m, GoodCard, Ids.New()));
            await PayAsync(member, (await OrderAsync(member)).Id);
        }
        await PayAsync(o.Master, (await OrderAsync(o.Custody)).Id);
        await PayAsync(o.Master, (await OrderAsync(o.Master)).Id);

        // all (the default): the master's own order, its custody member's and its granting member's; never the independent one's.
        var all = await SumAsync(o.Master);
        Assert.Equal(new[] { o.Custody.AccountId, o.Granting.AccountId, o.Master.AccountId }.Order(StringComparer.Ordinal),
            all.Lines.Select(l => l.CustomerId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3 * MonthPrice, all.Consume);
        // The master's cash paid its own order and its custody member's; the granting member paid its own.
        Assert.Equal(3 * MonthPrice, all.Payments.Cash);
        Assert.Equal(MonthPrice, (await SumAsync(o.Master, "oneself")).Consume);
        Assert.Equal(MonthPrice, (await SumAsync(o.Master, "sub_customer", o.Custody.AccountId)).Consume);
        Assert.Equal(MonthPrice, (await SumAsync(o.Master, "sub_customer", o.Granting.AccountId)).Consume);
        var refused = await h.FailsAsync(sp => sp.GetRequiredService<CustomerBillService>().MonthlySumAsync(o.Master,
            Billing.BillCycle.Containing(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).ToString(), null, "sub_customer", o.Independent.AccountId, null, null));
        Assert.Equal(EnterpriseBills.BillsNotShared().Code, refused.Code);
        // A member reads only its own bills, never its master's; its order shows paid in cash (its master's).
        var own = await SumAsync(o.Custody);
        Assert.Equal([o.Custody.AccountId], own.Lines.Select(l => l.CustomerId).Distinct().ToArray());
        Assert.Equal((MonthPrice, MonthPrice), (own.Consume, own.Payments.Cash));
        await h.AssertLedgerSoundAsync();
    }

    [Fact]
    public async Task The_organization_invoice_pdf_lists_each_readable_accounts_lines_and_the_total_for_the_master_only()
    {
        var o = await OrgAsync(masterCash: 100m);
        foreach (var member in new[] { o.Granting, o.Independent })
        {
            await h.InScopeAsync(sp => sp.GetRequiredService<FundsService>().TopUpAsync(member, 20m, GoodCard, Ids.New()));
            await PayAsync(member, (await OrderAsync(member)).Id);
        }
        await PayAsync(o.Master, (await OrderAsync(o.Custody)).Id);
        await PayAsync(o.Master, (await OrderAsync(o.Master)).Id);

        var file = await h.InScopeAsync(sp => sp.GetRequiredService<EnterpriseBillService>().InvoiceAsync(o.Master, null));
        var cycle = (await SumAsync(o.Master)).Cycle.ToString();
        Assert.Equal(($"organization-invoice-{cycle}.pdf", "application/pdf"), (file.FileName, file.ContentType));
        var text = ExportRuleTests.PdfText(file.Content);
        // Each account whose bills the master reads, with its role and its one line; never the member that did not share its bills.
        Assert.Contains($"{o.Master.AccountName} - master", text);
        Assert.Contains($"{o.Custody.AccountName} - finance custody", text);
        Assert.Contains($"{o.Granting.AccountName} - member", text);
        Assert.DoesNotContain(o.Independent.AccountName, text);
        Assert.Equal(3, Regex.Matches(text, "^consumption$", RegexOptions.Multiline).Count);
        // Each line's list price and amount, each account's total, and what the master paid for its custody member.
        Assert.Equal(3 * 2 + 3 + 1, Regex.Matches(text, "^7\\.15$", RegexOptions.Multiline).Count);
        // The organization's total twice: in the header and at the end.
        Assert.Equal(2, Regex.Matches(text, "^21\\.45$", RegexOptions.Multiline).Count);
        Assert.Contains("Paid by the master for members", text);

        // A member, or an account outside any organization, gets no invoice.
        Assert.Equal("CBC.0155", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseBillService>().InvoiceAsync(o.Custody, null))).Code);
        var stranger = (await h.NewAccountAsync("stranger")).Owner;
        Assert.Equal("CBC.0155", (await h.FailsAsync(sp => sp.GetRequiredService<EnterpriseBillService>().InvoiceAsync(stranger, null))).Code);
        await h.AssertLedgerSoundAsync();
    }
}
