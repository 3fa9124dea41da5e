using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Tickets;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Demo;

/// <summary>One account of the demo world, with everything a developer needs to sign in or sign requests as it.</summary>
public sealed record DemoAccount(
    string Role, string DomainName, string DomainId, string Password, string AccessKey, string SecretKey,
    string? PartnerId = null, string? Partner = null, string? AssociationType = null);

/// <summary>
/// The demo world: the operator; a cloud solution provider with resale and referral customers; a distributor with one
/// reseller and that reseller's customer; an enterprise master with members; IAM users. Resale
/// customers have budgets and are unfrozen, so they can buy at once.
/// <para>
/// It has a history of about three months (<see cref="DemoTimeline"/>), made by the real services with business time set
/// back and moved forward through every job period, as the sandbox clock moves it: yearly/monthly orders paid, renewed
/// automatically and unsubscribed, hourly pay-per-use usage rated every hour, a monthly fee the operator charges the
/// distributor (a bill adjustment: it has no customers of its own), three monthly bill runs, and the partners'
/// repayments online and by bank-transfer ticket. At the end business time is real time again. Every partner ends with
/// its older bills fully paid and its latest one partly paid; the reseller left its middle bill partly paid past its due
/// date, so it is overdue and its resale customer cannot buy; the CSP's bank transfer for the rest of its latest bill
/// waits for the operator.
/// </para>
/// </summary>
public sealed class DemoWorld(
    AppDbContext db, AccountService accounts, UserService users, GroupService groups, AccessKeyService keys, AuthService auth,
    PartnerProgramService programs, SubCustomerService customers, BudgetService budgets, DiscountService discounts, FundsService funds,
    OnDemandService onDemand, UsageIngestion ingestion, OrderService orders, ResourceService resources, TicketService tickets,
    PartnerFunds partnerFunds, BillingOperator billing, Revenue.IncentiveRates incentives, Coupons.CouponQuotaService couponQuotas, Coupons.CouponService coupons, SandboxClock clock, JobRunner runner,
    Enterprise.EnterpriseCenter enterpriseCenter, Enterprise.EnterpriseOrganization organization, Enterprise.EnterpriseMembers enterpriseMembers,
    Enterprise.EnterpriseTransfers enterpriseTransfers, Enterprise.EnterpriseCoupons enterpriseCoupons,
    PartnerNetwork.BusinessInformationService business)
{
    /// <summary>True when the data dir holds nothing but what a bare start creates (the operator).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default) => await db.Accounts.CountAsync(a => !a.IsOperator, ct) == 0;

    /// <summary>
    /// The payment term the demo's operator sets after the second bill run, so that a partner's latest bill is never due
    /// before the next is made (the reseller's second bill, made under the default term, is past due whatever the date).
    /// </summary>
    public const int DemoDueDays = 31;

    /// <summary>The referral incentive rate the demo's operator sets for cloud solution providers.</summary>
    public const decimal DemoIncentiveRate = 0.05m;

    public async Task<IReadOnlyList<DemoAccount>> CreateAsync(string operatorPassword, CancellationToken ct = default)
    {
        var timeline = DemoTimeline.Plan(clock.GetUtcNow().UtcDateTime);
        var time = new DemoTimeTravel(db, clock, runner);
        await time.StartAtAsync(timeline.Start, ct);

        var op = await WithKeyAsync("operator", Bootstrap.OperatorName, operatorPassword, ct);
        var operatorCaller = await CallerAsync(op, ct);
        var csp = await PartnerAsync("csp", "demo-csp", PartnerProgram.CloudSolutionProvider, "Demo Cloud Solutions Pte. Ltd.", operatorCaller, null, ct);
        var distributor = await PartnerAsync("distributor", "demo-distributor", PartnerProgram.Distributor, "Demo Distribution Ltd.", operatorCaller, null, ct);
        var reseller = await PartnerAsync("reseller", "demo-reseller", PartnerProgram.Reseller, "Demo Reseller Co.", await CallerAsync(distributor, ct), distributor, ct);
        // Enrolled through their programs, the partners are in the network with their company; their business information is approved.
        foreach (var (partner, company, bankAccount) in new[] { (csp, "Demo Cloud Solutions Pte. Ltd.", "0012345601"), (distributor, "Demo Distribution Ltd.", "0012345602"), (reseller, "Demo Reseller Co.", "0012345603") })
            await AuthenticateBusinessAsync(partner, company, bankAccount, operatorCaller, ct);
        var world = new List<DemoAccount> { op, csp, distributor, reseller };

        var cspCaller = await CallerAsync(csp, ct);
        var distributorCaller = await CallerAsync(distributor, ct);
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-customer1", AssociationTypes.Resale, null, ("MONTHLY", 1000m), ct));
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-customer2", AssociationTypes.Resale, null, ("PACKAGE", 500m), ct));
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-referral1", AssociationTypes.Referral, null, null, ct));
        world.Add(await CustomerAsync(reseller, distributorCaller, "demo-reseller-customer1", AssociationTypes.Resale, reseller.PartnerId, ("MONTHLY", 300m), ct));
        DemoAccount Named(string name) => world.Single(a => a.DomainName == name);

        // Prices to show in the demo: what the partners pay the platform, and discounts their customers see in price inquiries.
        await discounts.SetSettlementDiscountAsync(operatorCaller, csp.PartnerId, 0.15m, ct);
        await discounts.SetSettlementDiscountAsync(operatorCaller, distributor.PartnerId, 0.2m, ct);
        var customer1 = Named("demo-csp-customer1");
        await discounts.GrantPartnerDiscountAsync(cspCaller, new DiscountInput(customer1.DomainId, 0.1m, "hws.service.type.ec2", null, null), ct);
        var referral = Named("demo-csp-referral1");
        await discounts.GrantCommercialDiscountAsync(operatorCaller, new DiscountInput(referral.DomainId, 0.05m, null, null, null), ct);
        // Solution providers earn 5 % of their referral customers' consumption from the first month of the history on.
        await incentives.SetAsync(operatorCaller, new Revenue.IncentiveRateInput(nameof(PartnerProgram.CloudSolutionProvider), null, DemoIncentiveRate, true, null), ct);

        world.Add(await NewAsync("enterprise_master", "demo-enterprise", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-dev", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-test", "enterprise", ct));
        await AddOrganizationAsync(Named("demo-enterprise"), Named("demo-enterprise-dev"), Named("demo-enterprise-test"), ct);
        await AddTeamAsync(csp, ct);
        var usage = await AddPayPerUseAsync(operatorCaller, cspCaller, distributorCaller, customer1, referral, Named("demo-reseller-customer1"), reseller, timeline, ct);
        await AddYearlyMonthlyAsync(cspCaller, Named("demo-csp-customer2"), ct);
        await AddClosedTicketAsync(operatorCaller, await CallerAsync(referral, ct), ct);

        // Three closed months: each cycle's usage reported before it closes, the bill run on the 5th, then the partners pay.
        var payers = new Payers(operatorCaller, cspCaller, distributorCaller, await CallerAsync(reseller, ct));
        for (var i = 0; i < timeline.BillRuns.Count; i++)
        {
            var run = timeline.BillRuns[i];
            var cycle = BillCycle.Containing(run).Previous;
            await MoveAsync(time, usage, cycle.EndUtc.AddHours(-1), ct);
            await billing.AdjustAsync(operatorCaller, distributor.DomainId, 150m, $"Distribution programme services, {cycle}", $"demo-distribution-fee-{cycle}", ct);
            await MoveAsync(time, usage, Min(run.AddHours(1), timeline.End), ct);
            await PayBillsAsync(payers, i, ct);
            if (i == 1) await billing.SetDueDaysAsync(operatorCaller, DemoDueDays, ct);
        }
        await MoveAsync(time, usage, null, ct);

        await AddCouponsAsync(operatorCaller, cspCaller, customer1, Named("demo-csp-customer2"), ct);
        await AddEnterpriseFundsAsync(operatorCaller, Named("demo-enterprise"), Named("demo-enterprise-dev"), ct);
        await orders.CreateAsync(cspCaller, new NewOrder(customer1.DomainId, [Monthly("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux")], "demo-pending"), ct);
        await AddOpenTicketsAsync(operatorCaller, cspCaller, await CallerAsync(customer1, ct), ct);
        await AddBankTransferWaitingAsync(cspCaller, ct);
        return world;
    }

    static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>
    /// The enterprise master's organization: units Development and Testing, each with one member that accepted the
    /// master's invitation; the development member under financial custody.
    /// </summary>
    async Task AddOrganizationAsync(DemoAccount master, DemoAccount dev, DemoAccount test, CancellationToken ct)
    {
        var masterCaller = await CallerAsync(master, ct);
        await enterpriseCenter.EnableAsync(masterCaller, ct);
        var development = await organization.CreateUnitAsync(masterCaller, null, "Development", ct);
        var testing = await organization.CreateUnitAsync(masterCaller, null, "Testing", ct);
        foreach (var (member, unit, custody) in new[] { (dev, development, true), (test, testing, false) })
        {
            var invitation = await enterpriseMembers.InviteAsync(masterCaller, member.DomainName, unit.Id, custody, ct);
            await enterpriseMembers.AcceptAsync(await CallerAsync(member, ct), invitation.Id, ct);
        }
    }

    /// <summary>
    /// The enterprise master's money across its organization, moved today: the operator gave it 1,000.00 of cash, a credit
    /// line of 2,000.00 and a platform cash coupon of 100.00; it transferred 300.00 of cash to its custody member and took
    /// 100.00 back, 500.00 of credit until 00:00 UTC in 90 days, and 30.00 of the coupon.
    /// </summary>
    async Task AddEnterpriseFundsAsync(Caller op, DemoAccount master, DemoAccount dev, CancellationToken ct)
    {
        var masterCaller = await CallerAsync(master, ct);
        await funds.AdjustAsync(op, master.DomainId, 1000m, "Demo opening balance", "demo-enterprise-opening", ct);
        await funds.SetCreditLimitAsync(op, master.DomainId, 2000m, ct);
        await enterpriseTransfers.TransferAsync(masterCaller, new Enterprise.EnterpriseFundsRequest(dev.DomainId, "300.00", "demo-cash-to-dev", null, null), ct);
        await enterpriseTransfers.RetrieveAsync(masterCaller, new Enterprise.EnterpriseFundsRequest(dev.DomainId, "100.00", "demo-cash-back-from-dev", null, null), ct);
        var expiry = clock.GetUtcNow().UtcDateTime.Date.AddDays(90).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await enterpriseTransfers.TransferAsync(masterCaller, new Enterprise.EnterpriseFundsRequest(dev.DomainId, "500.00", "demo-credit-to-dev", "BALANCE_TYPE_CREDIT", expiry), ct);
        var coupon = await coupons.IssueTestCouponAsync(op, master.DomainId, Coupons.CouponCodes.Cash, 100m, null, clock.GetUtcNow().UtcDateTime.AddDays(90), null, ct);
        await enterpriseCoupons.TransferAsync(masterCaller, dev.DomainId, coupon.Id, "30.00", "demo-coupon-to-dev", ct);
    }

    /// <summary>Business time moves to <paramref name="to"/> (null: now); the usage of the hours passed is reported, then every due job runs.</summary>
    async Task MoveAsync(DemoTimeTravel time, DemoUsage usage, DateTime? to, CancellationToken ct)
    {
        await time.MoveToAsync(to, ct);
        await usage.ReportUntilAsync(clock.GetUtcNow().UtcDateTime, ct);
        await time.RunDueJobsAsync(ct);
    }

    const string Region = "ap-southeast-1";
    static NewOrderLine Ppu(string service, string type, string spec) => new(service, type, spec, Region, null, null, null, null, 1, ChargeMode.OnDemand);

    /// <summary>
    /// Pay-per-use resources whose hourly usage is reported as the metering would, all through the history: a VM ordered
    /// by the CSP for its resale customer, one by the distributor for its reseller's customer; a VM and OBS storage of the
    /// referral customer, who has 100 USD of cash and a free package of 100,000 GB-hours of storage.
    /// </summary>
    async Task<DemoUsage> AddPayPerUseAsync(Caller op, Caller csp, Caller distributor, DemoAccount resale, DemoAccount referral, DemoAccount resellerCustomer,
        DemoAccount reseller, DemoTimeline timeline, CancellationToken ct)
    {
        var referralCaller = await CallerAsync(referral, ct);
        await funds.AdjustAsync(op, referral.DomainId, 100m, "Demo opening balance", "demo-opening-balance", ct);
        var vm = Ppu("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux");
        var resaleVm = (await onDemand.CreateOrderAsync(csp, new NewOrder(resale.DomainId, [vm], "demo-ppu"), ct)).Lines[0].ResourceId;
        var resellerVm = (await onDemand.CreateOrderAsync(distributor, new NewOrder(resellerCustomer.DomainId, [vm], "demo-ppu", reseller.PartnerId), ct)).Lines[0].ResourceId;
        var order = await onDemand.CreateOrderAsync(referralCaller, new NewOrder(null, [vm, Ppu("hws.service.type.obs", "hws.resource.type.obs", "obs.standard")], "demo-ppu"), ct);
        var (referralVm, storage) = (order.Lines[0].ResourceId, order.Lines[1].ResourceId);
        var from = Schedules.HourlyAfter(clock.GetUtcNow().UtcDateTime);
        await onDemand.GrantFreePackageAsync(op, new FreePackageGrant(referral.DomainId, "OBS storage 100,000 GB-hours", "hws.service.type.obs",
            "hws.resource.type.obs", Region, null, "capacity", 100_000m, 10, from, timeline.End.AddDays(30)), ct);
        return new DemoUsage(ingestion, from, [resaleVm, resellerVm], referralVm, storage);
    }

    static NewOrderLine Monthly(string service, string type, string spec, decimal? size = null, int? sizeUnit = null) =>
        new(service, type, spec, Region, size, sizeUnit, 2, 1, 1);

    /// <summary>
    /// Yearly/monthly orders the partners placed for their resale customers at the start of the history: for the CSP's
    /// one-time-budget customer (who has a 5 % partner discount) a VM with an attached 40 GB disk, paid with that discount
    /// and renewed automatically every month, and a VM paid and then unsubscribed (its refund order). The CSP's
    /// monthly-budget customer gets an order pending payment at the end (so its payment deadline has not passed).
    /// </summary>
    async Task AddYearlyMonthlyAsync(Caller csp, DemoAccount oneTimeBudget, CancellationToken ct)
    {
        await discounts.GrantPartnerDiscountAsync(csp, new DiscountInput(oneTimeBudget.DomainId, 0.05m, null, null, null), ct);
        var customer = await CallerAsync(oneTimeBudget, ct);
        var vm = Monthly("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux");
        var disk = Monthly("hws.service.type.ebs", "hws.resource.type.volume", "SATA", 40m, 17);

        var bought = await orders.CreateAsync(csp, new NewOrder(oneTimeBudget.DomainId, [vm, disk], "demo-vm-with-disk"), ct);
        var discount = bought.DiscountOptions.Single(d => d.BestOffer);
        await orders.PayAsync(customer, new PayRequest(bought.Id, "NO", "YES", null, [new PayChoice(discount.DiscountId, discount.DiscountType)]), ct);
        await resources.EnableAutoRenewAsync(csp, bought.Lines[0].ResourceId, "MONTH", null, oneTimeBudget.DomainId, ct);

        var unsubscribed = await orders.CreateAsync(csp, new NewOrder(oneTimeBudget.DomainId, [vm], "demo-unsubscribed"), ct);
        await orders.PayAsync(customer, new PayRequest(unsubscribed.Id, "NO", "NO", null, null), ct);
        await resources.UnsubscribeAsync(customer, [unsubscribed.Lines[0].ResourceId], 1, 1, "Demo: bought by mistake", ct);
    }

    /// <summary>The CSP holds a coupon quota from the operator and gave both resale customers a coupon of 20.00; the first used part of it on a VM.</summary>
    async Task AddCouponsAsync(Caller op, Caller csp, DemoAccount first, DemoAccount second, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var quota = await couponQuotas.GrantAsync(op, csp.AccountId, new Coupons.NewCouponQuota(Coupons.CouponCodes.CashQuota, 1000m, null, now.AddYears(1), 1m, 200m, null, null), ct);
        var (issued, _) = await coupons.IssueAsync(csp, new Coupons.NewPartnerCoupons(quota.Id, [first.DomainId, second.DomainId], 20m, null, null, null, null,
            "Welcome coupon", null, "demo-welcome-coupons"), ct);
        var order = await orders.CreateAsync(csp, new NewOrder(first.DomainId, [Monthly("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux")], "demo-coupon-vm"), ct);
        var coupon = issued.Single(i => i.CustomerId == first.DomainId).CouponId;
        await orders.PayAsync(await CallerAsync(first, ct), new PayRequest(order.Id, "YES", "NO", [new PayChoice(coupon, 301)], null), ct);
    }

    sealed record Payers(Caller Operator, Caller Csp, Caller Distributor, Caller Reseller);

    static readonly CardDetails DemoCard = new("4242424242424242", 12, 2099, "123", "Demo Partner");

    /// <summary>
    /// After bill run <paramref name="run"/> (0, 1, 2): the CSP repays online, all of its first two bills and part of the
    /// last; the distributor by bank transfer, confirmed by the operator, for its first two bills, and online for part of
    /// the last; the reseller repays its first bill, part of its second, and nothing more (so it falls overdue).
    /// </summary>
    async Task PayBillsAsync(Payers p, int run, CancellationToken ct)
    {
        var last = run == DemoTimeline.Runs - 1;
        await RepayOnlineAsync(p.Csp, last ? 0.6m : 1m, $"demo-repay-{run}", ct);
        if (last) await RepayOnlineAsync(p.Distributor, 0.5m, $"demo-repay-{run}", ct);
        else await RepayByConfirmedTransferAsync(p.Operator, p.Distributor, run, ct);
        if (run == 0) await RepayOnlineAsync(p.Reseller, 1m, $"demo-repay-{run}", ct);
        if (run == 1) await RepayOnlineAsync(p.Reseller, 0.4m, $"demo-repay-{run}", ct);
    }

    /// <summary>The partner repays this share of its amount due online, by card (nothing when nothing is due).</summary>
    async Task RepayOnlineAsync(Caller partner, decimal share, string token, CancellationToken ct)
    {
        var due = (await partnerFunds.SummaryAsync(partner, ct)).AmountDue;
        var amount = Math.Min(Money.Round2(due * share), PartnerFunds.MaxOnlinePayment);
        if (amount > 0) await partnerFunds.RepayAsync(partner, amount, DemoCard, token, ct);
    }

    /// <summary>The partner's bank-transfer ticket for its amount due, confirmed by the operator, solved and closed.</summary>
    async Task RepayByConfirmedTransferAsync(Caller op, Caller partner, int run, CancellationToken ct)
    {
        var ticket = await BankTransferTicketAsync(partner, $"DEMO-TT-{run + 1:D4}", ct);
        if (ticket is null) return;
        await tickets.AcceptAsync(op, ticket.Id, ct);
        await partnerFunds.ConfirmBankTransferAsync(op, ticket.Id, ct); // says so on the ticket, which waits for the partner
        await tickets.CloseAsync(partner, ticket.Id, ct);
    }

    /// <summary>A bank-transfer ticket for the partner's whole amount due, quoting its oldest unpaid bill (null when nothing is due).</summary>
    async Task<Ticket?> BankTransferTicketAsync(Caller partner, string reference, CancellationToken ct)
    {
        var due = (await partnerFunds.SummaryAsync(partner, ct)).AmountDue;
        if (due <= 0) return null;
        var invoice = TopUpAccount.InvoiceNumberFor(await partnerFunds.UnpaidBillsAsync(partner, ct));
        var today = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return await tickets.CreateAsync(partner, new NewTicket(TicketTypes.BankTransfer, 3, $"Bank transfer of {due:0.00} USD",
            $"We transferred {due:0.00} USD to the top-up account for bill {invoice}; the receipt is with our bank reference.", BankTransfer:
            new BankTransferDetails(due, today, partner.AccountName, reference, invoice, null)), ct);
    }

    /// <summary>The CSP's transfer for what is left of its latest bill, waiting in the operator's queue.</summary>
    Task AddBankTransferWaitingAsync(Caller csp, CancellationToken ct) => BankTransferTicketAsync(csp, "DEMO-TT-CSP-0001", ct);

    /// <summary>A referral customer's invoice question, early in the history: solved, closed and rated.</summary>
    async Task AddClosedTicketAsync(Caller op, Caller referral, CancellationToken ct)
    {
        var solved = await tickets.CreateAsync(referral, new NewTicket("billing", 3, "Where do I find my invoice?", "I need last month's invoice for our accounts."), ct);
        await tickets.AcceptAsync(op, solved.Id, ct);
        await tickets.AddMessageAsync(op, solved.Id, "Invoices are under Billing Center once the monthly bill is generated on the 5th.", ct);
        await tickets.ResolveAsync(op, solved.Id, ct);
        await tickets.CloseAsync(referral, solved.Id, ct);
        await tickets.RateAsync(referral, solved.Id, 5, "Clear answer, thanks.", ct);
    }

    /// <summary>Open tickets today: a resale customer's question to its partner, waiting; the CSP's question to the platform, in processing with the operator's answer.</summary>
    async Task AddOpenTicketsAsync(Caller op, Caller csp, Caller resale, CancellationToken ct)
    {
        await tickets.CreateAsync(resale, new NewTicket("billing", 3, "Please raise our monthly budget",
            "We expect more traffic next month; could the budget go from 1,000 to 1,500 USD?", "partner"), ct);

        var question = await tickets.CreateAsync(csp, new NewTicket("technical", 2, "Pay-per-use fees of a customer look high",
            "demo-csp-customer1's VM was rated every hour last month although it was idle at night. Is that expected?"), ct);
        await tickets.AddMessageAsync(op, question.Id, "A pay-per-use VM is rated for every hour it exists, idle or not. Stop it, or switch it to yearly/monthly, to pay less.", ct);
    }

    async Task<DemoAccount> PartnerAsync(string role, string name, PartnerProgram program, string company, Caller decider, DemoAccount? distributor, CancellationToken ct)
    {
        var account = await NewAsync(role, name, "enterprise", ct);
        var caller = await CallerAsync(account, ct);
        var application = await programs.ApplyAsync(caller, program, company, distributor?.PartnerId, ct);
        await programs.DecideAsync(decider, application.Id, true, "demo", ct);
        var partnerId = await db.Partners.Where(p => p.AccountId == account.DomainId).Select(p => p.PartnerId).SingleAsync(ct);
        return account with { PartnerId = partnerId };
    }

    async Task AuthenticateBusinessAsync(DemoAccount partner, string company, string bankAccount, Caller op, CancellationToken ct)
    {
        var submission = await business.SubmitAsync(await CallerAsync(partner, ct),
            new PartnerNetwork.BusinessCompanyInput(company, "DEMO-" + partner.DomainName.ToUpperInvariant(), "1 Demo Street, Singapore", "T-" + partner.DomainName,
                "Finance Team", partner.DomainName + "-finance@demo.partner-center.local", "+65-80000000"),
            new PartnerNetwork.BankInput("Demo Bank", "Main Branch", company, bankAccount, "DEMOSGSG", null, null),
            [new PartnerNetwork.AcceptedAgreement(PartnerNetwork.NetworkCatalog.PrivacyStatement.Code, PartnerNetwork.NetworkCatalog.PrivacyStatement.Version)], ct);
        await business.DecideAsync(op, submission.Id, true, null, ct);
    }

    /// <summary>A customer created by its partner (for a reseller: by the distributor on its behalf), with a budget and unfrozen.</summary>
    async Task<DemoAccount> CustomerAsync(DemoAccount partner, Caller creator, string name, string associationType, string? indirectPartnerId,
        (string Type, decimal Amount)? budget, CancellationToken ct)
    {
        var password = Bootstrap.NewPassword();
        var account = await customers.CreateAsync(creator,
            new NewSubCustomer(name, name + "@demo.partner-center.local", password, "SG", null, null, indirectPartnerId, associationType), ct);
        if (budget is { } b)
            await budgets.SetAsync(creator, new BudgetInput(account.Id, b.Amount, b.Type, "1", 0, indirectPartnerId), ct);
        var customer = await WithKeyAsync("customer", name, password, ct);
        return customer with { Partner = partner.DomainId, AssociationType = associationType };
    }

    async Task<Caller> CallerAsync(DemoAccount a, CancellationToken ct)
    {
        var (user, account) = await auth.SignInAsync(a.DomainName, a.DomainName, a.Password, ct);
        return AuthService.CallerOf(user, account, null, null);
    }

    async Task<DemoAccount> NewAsync(string role, string name, string type, CancellationToken ct)
    {
        var password = Bootstrap.NewPassword();
        await accounts.RegisterAsync(new Registration(name, password, name + "@demo.partner-center.local", null, type, "SG"), ct);
        return await WithKeyAsync(role, name, password, ct);
    }

    async Task<DemoAccount> WithKeyAsync(string role, string name, string password, CancellationToken ct)
    {
        var (owner, account) = await auth.SignInAsync(name, name, password, ct);
        var caller = AuthService.CallerOf(owner, account, null, null);
        var key = await keys.CreateAsync(caller, owner.Id, "demo key", ct);
        return new DemoAccount(role, account.Name, account.Id, password, key.Key.Access, key.Secret);
    }

    /// <summary>The CSP's staff: an administrator and a read-only sales user, in groups of their own.</summary>
    async Task AddTeamAsync(DemoAccount csp, CancellationToken ct)
    {
        var caller = await CallerAsync(csp, ct);
        var admin = await users.CreateAsync(caller, new UserInput("alice-admin", Bootstrap.NewPassword(), "alice@demo.partner-center.local"), ct);
        var sales = await users.CreateAsync(caller, new UserInput("bob-sales", Bootstrap.NewPassword(), "bob@demo.partner-center.local"), ct);
        var adminGroup = await db.Groups.SingleAsync(g => g.AccountId == csp.DomainId && g.Name == GroupService.AdminGroupName, ct);
        await groups.AddUserAsync(caller, adminGroup.Id, admin.Id, ct);
        var viewers = await groups.CreateAsync(caller, "sales", "Read-only sales staff", ct);
        await groups.AddUserAsync(caller, viewers.Id, sales.Id, ct);
        db.GroupRoles.Add(new GroupRole { AccountId = csp.DomainId, GroupId = viewers.Id, RoleId = SystemRoles.TenantGuest.Id });
        await db.SaveChangesAsync(ct);
    }
}
