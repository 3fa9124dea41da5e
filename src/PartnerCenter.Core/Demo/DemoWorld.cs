using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.Demo;

/// <summary>One account of the demo world, with everything a developer needs to sign in or sign requests as it.</summary>
public sealed record DemoAccount(
    string Role, string DomainName, string DomainId, string Password, string AccessKey, string SecretKey,
    string? PartnerId = null, string? Partner = null, string? AssociationType = null);

/// <summary>
/// The demo world: the operator; a cloud solution provider with resale and referral customers; a distributor with one
/// reseller and that reseller's customer; an enterprise master with members; IAM users. Resale customers have budgets
/// and are unfrozen, so they can buy at once. A resale and a referral customer run pay-per-use resources with a month
/// of hourly usage behind them (rated by the first hourly run), and the referral customer holds a free-resource package.
/// The one-time-budget resale customer holds yearly/monthly orders (one paid, one unsubscribed); the monthly-budget one an
/// order pending payment.
/// </summary>
public sealed class DemoWorld(
    AppDbContext db, AccountService accounts, UserService users, GroupService groups, AccessKeyService keys, AuthService auth,
    PartnerProgramService programs, SubCustomerService customers, BudgetService budgets, DiscountService discounts, FundsService funds,
    OnDemandService onDemand, UsageIngestion ingestion, OrderService orders, ResourceService resources, Tickets.TicketService tickets, TimeProvider clock)
{
    /// <summary>True when the data dir holds nothing but what a bare start creates (the operator).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken ct = default) => await db.Accounts.CountAsync(a => !a.IsOperator, ct) == 0;

    public async Task<IReadOnlyList<DemoAccount>> CreateAsync(string operatorPassword, CancellationToken ct = default)
    {
        var op = await WithKeyAsync("operator", Bootstrap.OperatorName, operatorPassword, ct);
        var operatorCaller = await CallerAsync(op, ct);
        var csp = await PartnerAsync("csp", "demo-csp", PartnerProgram.CloudSolutionProvider, "Demo Cloud Solutions Pte. Ltd.", operatorCaller, null, ct);
        var distributor = await PartnerAsync("distributor", "demo-distributor", PartnerProgram.Distributor, "Demo Distribution Ltd.", operatorCaller, null, ct);
        var reseller = await PartnerAsync("reseller", "demo-reseller", PartnerProgram.Reseller, "Demo Reseller Co.", await CallerAsync(distributor, ct), distributor, ct);
        var world = new List<DemoAccount> { op, csp, distributor, reseller };

        var cspCaller = await CallerAsync(csp, ct);
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-customer1", AssociationTypes.Resale, null, ("MONTHLY", 1000m), ct));
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-customer2", AssociationTypes.Resale, null, ("PACKAGE", 500m), ct));
        world.Add(await CustomerAsync(csp, cspCaller, "demo-csp-referral1", AssociationTypes.Referral, null, null, ct));
        world.Add(await CustomerAsync(reseller, await CallerAsync(distributor, ct), "demo-reseller-customer1", AssociationTypes.Resale, reseller.PartnerId, ("MONTHLY", 300m), ct));

        // Prices to show in the demo: what the partners pay the platform, and discounts their customers see in price inquiries.
        await discounts.SetSettlementDiscountAsync(operatorCaller, csp.PartnerId, 0.15m, ct);
        await discounts.SetSettlementDiscountAsync(operatorCaller, distributor.PartnerId, 0.2m, ct);
        var customer1 = world.Single(a => a.DomainName == "demo-csp-customer1");
        await discounts.GrantPartnerDiscountAsync(cspCaller, new DiscountInput(customer1.DomainId, 0.1m, "hws.service.type.ec2", null, null), ct);
        var referral = world.Single(a => a.DomainName == "demo-csp-referral1");
        await discounts.GrantCommercialDiscountAsync(operatorCaller, new DiscountInput(referral.DomainId, 0.05m, null, null, null), ct);

        world.Add(await NewAsync("enterprise_master", "demo-enterprise", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-dev", "enterprise", ct));
        world.Add(await NewAsync("enterprise_member", "demo-enterprise-test", "enterprise", ct));
        await AddTeamAsync(csp, ct);
        await AddPayPerUseAsync(operatorCaller, cspCaller, world.Single(a => a.DomainName == "demo-csp-customer1"), world.Single(a => a.DomainName == "demo-csp-referral1"), ct);
        await AddYearlyMonthlyAsync(cspCaller, world.Single(a => a.DomainName == "demo-csp-customer2"), customer1, ct);
        await AddTicketsAsync(operatorCaller, cspCaller, await CallerAsync(customer1, ct), await CallerAsync(referral, ct), ct);
        return world;
    }

    const string Region = "ap-southeast-1";
    static NewOrderLine Ppu(string service, string type, string spec) => new(service, type, spec, Region, null, null, null, null, 1, ChargeMode.OnDemand);

    /// <summary>
    /// Pay-per-use resources with the past 30 days of hourly usage, reported as the metering would: a VM ordered by the
    /// CSP for its resale customer; a VM and OBS storage of the referral customer, who has 50 USD of cash and a free
    /// package of 100,000 GB-hours of storage.
    /// </summary>
    async Task AddPayPerUseAsync(Caller op, Caller csp, DemoAccount resale, DemoAccount referral, CancellationToken ct)
    {
        var referralCaller = await CallerAsync(referral, ct);
        await funds.AdjustAsync(op, referral.DomainId, 50m, "Demo opening balance", "demo-opening-balance", ct);
        var vm = Ppu("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux");
        var resaleVm = (await onDemand.CreateOrderAsync(csp, new NewOrder(resale.DomainId, [vm], "demo-ppu"), ct)).Lines[0].ResourceId;
        var order = await onDemand.CreateOrderAsync(referralCaller, new NewOrder(null, [vm, Ppu("hws.service.type.obs", "hws.resource.type.obs", "obs.standard")], "demo-ppu"), ct);
        var (referralVm, storage) = (order.Lines[0].ResourceId, order.Lines[1].ResourceId);
        var now = clock.GetUtcNow().UtcDateTime;
        var top = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        await onDemand.GrantFreePackageAsync(op, new FreePackageGrant(referral.DomainId, "OBS storage 100,000 GB-hours", "hws.service.type.obs",
            "hws.resource.type.obs", Region, null, "capacity", 100_000m, 10, top.AddDays(-30), top.AddDays(30)), ct);

        var records = new List<UsageRecordInput>();
        for (var h = 30 * 24; h >= 1; h--)
        {
            var begin = top.AddHours(-h);
            var daytime = begin.Hour is >= 8 and < 20;
            records.Add(new UsageRecordInput($"demo-{resaleVm}-{h}", resaleVm, "Duration", 1m, 4, begin, begin.AddHours(1)));
            if (daytime) records.Add(new UsageRecordInput($"demo-{referralVm}-{h}", referralVm, "Duration", 1m, 4, begin, begin.AddHours(1)));
            records.Add(new UsageRecordInput($"demo-{storage}-cap-{h}", storage, "capacity", 150m + (30 * 24 - h) / 4m, 10, begin, begin.AddHours(1)));
            if (daytime) records.Add(new UsageRecordInput($"demo-{storage}-up-{h}", storage, "upflow", 512m, 11, begin, begin.AddHours(1)));
        }
        foreach (var batch in records.Chunk(UsageIngestion.MaxBatch)) await ingestion.IngestBatchAsync(batch, ct);
    }

    static NewOrderLine Monthly(string service, string type, string spec, decimal? size = null, int? sizeUnit = null) =>
        new(service, type, spec, Region, size, sizeUnit, 2, 1, 1);

    /// <summary>
    /// Yearly/monthly orders the CSP placed for its resale customers: for the one-time-budget customer (who has a 5 %
    /// partner discount) a VM with an attached 40 GB disk, paid with that discount, and a VM paid and then unsubscribed
    /// (its refund order); for the monthly-budget customer a VM order pending payment, with its partner discount to
    /// choose. The one-time budget pays the first two; the monthly budget is not touched.
    /// </summary>
    async Task AddYearlyMonthlyAsync(Caller csp, DemoAccount oneTimeBudget, DemoAccount monthlyBudget, CancellationToken ct)
    {
        await discounts.GrantPartnerDiscountAsync(csp, new DiscountInput(oneTimeBudget.DomainId, 0.05m, null, null, null), ct);
        var customer = await CallerAsync(oneTimeBudget, ct);
        var vm = Monthly("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux");
        var disk = Monthly("hws.service.type.ebs", "hws.resource.type.volume", "SATA", 40m, 17);

        var bought = await orders.CreateAsync(csp, new NewOrder(oneTimeBudget.DomainId, [vm, disk], "demo-vm-with-disk"), ct);
        var discount = bought.DiscountOptions.Single(d => d.BestOffer);
        await orders.PayAsync(customer, new PayRequest(bought.Id, "NO", "YES", null, [new PayChoice(discount.DiscountId, discount.DiscountType)]), ct);

        var unsubscribed = await orders.CreateAsync(csp, new NewOrder(oneTimeBudget.DomainId, [vm], "demo-unsubscribed"), ct);
        await orders.PayAsync(customer, new PayRequest(unsubscribed.Id, "NO", "NO", null, null), ct);
        await resources.UnsubscribeAsync(customer, [unsubscribed.Lines[0].ResourceId], 1, 1, "Demo: bought by mistake", ct);

        await orders.CreateAsync(csp, new NewOrder(monthlyBudget.DomainId, [vm], "demo-pending"), ct);
    }

    /// <summary>
    /// Tickets in each state: a resale customer's question to its partner, waiting; the CSP's question to the platform,
    /// in processing with the operator's answer; a referral customer's invoice question, solved, closed and rated.
    /// </summary>
    async Task AddTicketsAsync(Caller op, Caller csp, Caller resale, Caller referral, CancellationToken ct)
    {
        await tickets.CreateAsync(resale, new Tickets.NewTicket("billing", 3, "Please raise our monthly budget",
            "We expect more traffic next month; could the budget go from 1,000 to 1,500 USD?", "partner"), ct);

        var question = await tickets.CreateAsync(csp, new Tickets.NewTicket("technical", 2, "Pay-per-use fees of a customer look high",
            "demo-csp-customer1's VM was rated every hour last month although it was idle at night. Is that expected?"), ct);
        await tickets.AddMessageAsync(op, question.Id, "A pay-per-use VM is rated for every hour it exists, idle or not. Stop it, or switch it to yearly/monthly, to pay less.", ct);

        var solved = await tickets.CreateAsync(referral, new Tickets.NewTicket("billing", 3, "Where do I find my invoice?", "I need last month's invoice for our accounts."), ct);
        await tickets.AcceptAsync(op, solved.Id, ct);
        await tickets.AddMessageAsync(op, solved.Id, "Invoices are under Billing Center once the monthly bill is generated on the 5th.", ct);
        await tickets.ResolveAsync(op, solved.Id, ct);
        await tickets.CloseAsync(referral, solved.Id, ct);
        await tickets.RateAsync(referral, solved.Id, 5, "Clear answer, thanks.", ct);
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
