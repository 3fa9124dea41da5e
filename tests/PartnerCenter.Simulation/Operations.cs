using PartnerCenter.Core.Billing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.PartnerAccounts;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Simulation;

/// <summary>
/// The operations the driver interleaves. Each one predicts from the model what Core must answer (a refusal code, or
/// success and the ledger movements it makes), sends the request, and leaves the model's update to the checker once the
/// database agrees. To add a money operation: write it here in the same shape, give it a weight in
/// <see cref="PickOperation"/>, and teach <see cref="SimModel"/> its rule (docs/decisions.md, "Simulation").
/// </summary>
public sealed partial class SimulationDriver
{
    sealed record Operation(string Name, int Weight, bool Clock, Func<Task> Run);

    const string Service = "hws.service.type.ec2", VmType = "hws.resource.type.vm", Spec = "s6.small.1.linux", Region = "ap-southeast-1";
    static readonly CardDetails GoodCard = new("4242 4242 4242 4242", 12, 2099, "123", "Sim");
    static readonly CardDetails DeclinedCard = new("4000 0000 0000 0002", 12, 2099, "123", "Sim");

    Operation[]? operations;

    Operation PickOperation()
    {
        operations ??=
        [
            new("create-order", 14, false, CreateOrderAsync),
            new("pay-order", 14, false, PayOrderAsync),
            new("master-pays-member", 4, false, MasterPaysMemberAsync),
            new("cancel-order", 3, false, CancelOrderAsync),
            new("renew", 6, false, RenewAsync),
            new("unsubscribe", 3, false, UnsubscribeAsync),
            new("to-pay-per-use", 3, false, ToPayPerUseAsync),
            new("pay-per-use-order", 3, false, PayPerUseOrderAsync),
            new("ingest-usage", 10, false, IngestUsageAsync),
            new("resale-pay-per-use-order", 2, false, ResalePayPerUseOrderAsync),
            new("ingest-resale-usage", 4, false, IngestResaleUsageAsync),
            new("top-up", 8, false, TopUpAsync),
            new("adjust", 6, false, AdjustAsync),
            new("credit-line", 3, false, CreditLineAsync),
            new("budget", 4, false, BudgetAsync),
            new("quota", 3, false, QuotaAsync),
            new("freeze", 3, false, FreezeAsync),
            new("unfreeze", 4, false, UnfreezeAsync),
            new("dissolve", 1, false, DissolveAsync),
            new("new-resale-customer", 1, false, NewResaleCustomerAsync),
            new("retry-same", 3, false, RetrySameAsync),
            new("retry-changed", 3, false, RetryChangedAsync),
            new("partner-top-up", 2, false, PartnerTopUpAsync),
            new("allocate", 4, false, AllocateAsync),
            new("reclaim", 3, false, ReclaimAsync),
            new("reseller-funds", 3, false, ResellerFundsAsync),
            new("issue-coupon", 3, false, IssueCouponAsync),
            new("reclaim-coupon", 2, false, ReclaimCouponAsync),
            new("enterprise-funds", 4, false, EnterpriseFundsAsync),
            new("enterprise-expiring-credit", 3, false, EnterpriseExpiringCreditAsync),
            new("enterprise-coupons", 3, false, EnterpriseCouponsAsync),
            new("repay", 4, false, RepayAsync),
            new("draft-bills", 1, false, DraftBillsAsync),
            new("advance-clock", 5, true, AdvanceClockAsync),
        ];
        var pick = rng.Next(operations.Sum(o => o.Weight));
        foreach (var op in operations)
            if ((pick -= op.Weight) < 0) return op;
        throw new InvalidOperationException("unreachable");
    }

    T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>An amount in cents between <paramref name="min"/> and <paramref name="max"/>.</summary>
    decimal Amount(int min, int max) => rng.Next(min * 100, max * 100 + 1) / 100m;

    MCustomer? AnyCustomer() => model.Customers.Count == 0 ? null : Pick(model.Customers);

    /// <summary>Customers who pay themselves (never a resale customer): the ones that hold a balance.</summary>
    List<MCustomer> Direct => model.Customers.Where(c => c.Partner is null).ToList();

    List<MCustomer> Resale => model.Customers.Where(c => c.Partner is not null).ToList();

    // ---------------------------------------------------------------- set-up

    async Task SetUpAsync()
    {
        clockStep = false;
        for (var i = 0; i < 3; i++) await OnboardPartnerAsync();
        await OnboardDistributorAsync();
        for (var i = 0; i < 6; i++)
        {
            BeginStep();
            var c = await NewAccountCustomerAsync();
            await CheckStepAsync();
            BeginStep();
            await AdjustAsync(c, Amount(50, 300));
            await CheckStepAsync();
            if (i % 3 != 0) continue;
            BeginStep();
            await CreditLineAsync(c, Amount(20, 100));
            await CheckStepAsync();
        }
        await OrganizationAsync(Direct[0], [Direct[1], Direct[2]]);
        FundsBetween(Direct[0], Direct[1]);
        await FullCheckAsync();
    }

    /// <summary>
    /// An enterprise master with finance-custody members, made as Enterprise Center makes them: the master enables it and
    /// invites each member, which accepts under financial custody. The master pays their orders.
    /// </summary>
    async Task OrganizationAsync(MCustomer master, IReadOnlyList<MCustomer> members)
    {
        await host.InScopeAsync(sp => sp.GetRequiredService<Core.Enterprise.EnterpriseCenter>().EnableAsync(master.Caller));
        foreach (var m in members)
        {
            var invitation = await host.InScopeAsync(sp => sp.GetRequiredService<Core.Enterprise.EnterpriseMembers>().InviteAsync(master.Caller, m.Caller.AccountName, null, financialCustody: true));
            await host.InScopeAsync(sp => sp.GetRequiredService<Core.Enterprise.EnterpriseMembers>().AcceptAsync(m.Caller, invitation.Id));
            m.Master = master;
        }
        Trace($"organization: master {master.Handle}, custody members {string.Join(", ", members.Select(m => m.Handle))}");
    }

    async Task<MCustomer> NewAccountCustomerAsync()
    {
        var handle = NextHandle("c");
        var name = $"sim{options.Seed}x{handle}";
        const string password = "Sim#Pass12345";
        var caller = await host.InScopeAsync(async sp =>
        {
            var account = await sp.GetRequiredService<AccountService>().RegisterAsync(new Registration(name, password, name + "@example.com", null, "enterprise", "SG"));
            // The owner's caller as a sign-in makes it, without paying for a second password hash.
            var owner = await sp.GetRequiredService<AppDbContext>().Users.AsNoTracking().SingleAsync(u => u.AccountId == account.Id && u.IsAccountOwner);
            return SimHost.CallerOf(owner, account);
        });
        var c = new MCustomer { Handle = handle, Id = caller.AccountId, Caller = caller };
        model.Customers.Add(c);
        Trace($"new customer {handle}");
        return c;
    }

    /// <summary>A new partner (applied and approved) with a consumption quota and one resale customer with a budget, unfrozen.</summary>
    async Task OnboardPartnerAsync()
    {
        var account = await NewAccountCustomerAsync();
        model.Customers.Remove(account);
        var op = host.Operator;
        var partnerId = await host.InScopeAsync(async sp =>
        {
            var programs = sp.GetRequiredService<PartnerProgramService>();
            var application = await programs.ApplyAsync(account.Caller, PartnerProgram.CloudSolutionProvider, "Sim " + account.Handle, null);
            await programs.DecideAsync(op, application.Id, true, null);
            return account.Id;
        });
        var partner = new MPartner { Handle = "p" + account.Handle[1..], Id = partnerId, Caller = account.Caller };
        model.Partners.Add(partner);
        Trace($"new partner {partner.Handle}");
        await CheckStepAsync();
        BeginStep();
        await QuotaAsync(partner, Amount(80, 400));
        await CheckStepAsync();
        await NewResaleCustomerAsync(partner, setUp: true);
    }

    /// <summary>
    /// A distributor and one reseller, apart from the partners with resale customers (they buy nothing, so bills leave
    /// them alone): the distributor is topped up and funds its reseller (see <see cref="MoveResellerFundsAsync"/>).
    /// </summary>
    async Task OnboardDistributorAsync()
    {
        async Task<MPartner> EnrollAsync(PartnerProgram program, MPartner? distributor)
        {
            var account = await NewAccountCustomerAsync();
            model.Customers.Remove(account);
            await host.InScopeAsync(async sp =>
            {
                var programs = sp.GetRequiredService<PartnerProgramService>();
                var parentId = distributor is null ? null : await sp.GetRequiredService<AppDbContext>().Partners.Where(p => p.AccountId == distributor.Id).Select(p => p.PartnerId).SingleAsync();
                var application = await programs.ApplyAsync(account.Caller, program, "Sim " + account.Handle, parentId);
                await programs.DecideAsync(distributor?.Caller ?? host.Operator, application.Id, true, null);
                return 0;
            });
            return new MPartner { Handle = (distributor is null ? "d" : "s") + account.Handle[1..], Id = account.Id, Caller = account.Caller };
        }
        var distributor = await EnrollAsync(PartnerProgram.Distributor, null);
        var reseller = await EnrollAsync(PartnerProgram.Reseller, distributor);
        (model.Distributor, model.Reseller) = (distributor, reseller);
        Trace($"new distributor {distributor.Handle} with reseller {reseller.Handle}");
        await CheckStepAsync();
        BeginStep();
        await PartnerPayAsync(distributor, Amount(100, 300), GoodCard, "dtop", repay: false);
        await CheckStepAsync();
    }

    /// <summary>A partner whose resale customer left (dissolved) takes a new one: created, budgeted, unfrozen.</summary>
    async Task NewResaleCustomerAsync()
    {
        host.Faults.Disarm(); // set-up work for later money requests, several requests in one step: no fault in it
        if (model.Partners.FirstOrDefault(p => p.ResaleCustomer is null) is { } partner) await NewResaleCustomerAsync(partner, setUp: false);
    }

    async Task NewResaleCustomerAsync(MPartner partner, bool setUp)
    {
        BeginStep();
        var customer = await host.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner.Caller,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)));
        var c = new MCustomer
        {
            Handle = NextHandle("r"), Id = customer.Id, Caller = new Caller(customer.Id, customer.Name, customer.Id, customer.Name, true, false),
            Partner = partner, Frozen = true,
        };
        model.Customers.Add(c);
        partner.ResaleCustomer = c;
        touchedCustomers.Add(c);
        Trace($"new resale customer {c.Handle} of {partner.Handle}");
        await CheckStepAsync();

        BeginStep();
        await BudgetAsync(c, Amount(100, 400));
        await CheckStepAsync();
        BeginStep();
        await UnfreezeAsync(c);
        if (!setUp) return; // the step's own check follows
        await CheckStepAsync();
    }

    // ---------------------------------------------------------------- orders

    async Task CreateOrderAsync()
    {
        if (AnyCustomer() is not { } c) return;
        var (months, count) = (rng.Next(1, 4), rng.Next(1, 3));
        // A resale customer's partner places most of its orders on its behalf.
        var caller = c.Partner is { } p && rng.Next(3) > 0 ? p.Caller : c.Caller;
        await CreateOrderAsync(caller, c, months, count, "t" + NextHandle(""));
    }

    async Task CreateOrderAsync(Caller caller, MCustomer c, int months, int count, string token, MOrder? earlier = null)
    {
        touchedCustomers.Add(c);
        // A partner acts only for its own customer (a retry after the association was dissolved is refused).
        var expected = caller.AccountId != c.Id && c.Partner?.Id != caller.AccountId ? Errors.NotYourCustomer().Code
            : earlier is null && c.Frozen ? Errors.CustomerFrozen().Code
            : earlier is null && c.Partner is { } partner && SimModel.IsOverdue(partner, Now) ? Errors.PartnerOverdue().Code : null;
        var line = new NewOrderLine(Service, VmType, Spec, Region, null, null, 2, months, count);
        var what = $"create-order {c.Handle} {months}m x{count}" + (caller.AccountId == c.Id ? "" : " by partner") + (earlier is null ? "" : $" again as {earlier.Handle}");
        var (ok, order) = await CallAsync(what, expected, sp => sp.GetRequiredService<OrderService>()
            .CreateAsync(caller, new NewOrder(caller.AccountId == c.Id ? null : c.Id, [line], token)));
        if (!ok) return;
        if (earlier is not null)
        {
            if (order!.Id != earlier.Id) Fail($"a retried order creation answered another order than {earlier.Handle}");
            Expect(Nothing());
            return;
        }
        var official = SimModel.MonthPrice * months * count;
        if (order!.OfficialAmount != official) Fail($"order of {months} months x{count}: list price {order.OfficialAmount}, the model {official}");
        if (order.SettlementAmount < 0 || order.SettlementAmount > official) Fail($"order settlement {order.SettlementAmount} outside 0..{official}");
        var m = new MOrder
        {
            Handle = NextHandle("o"), Id = order.Id, Customer = c, Type = OrderType.NewPurchase, Official = official, Settlement = order.SettlementAmount,
            ToPay = official, FundingPartnerId = c.Partner?.Id, Deadline = order.PaymentDeadline, Months = months,
            ResourceIds = Enumerable.Range(0, count).Select(k => k == 0 ? order.Lines[0].ResourceId : $"{order.Lines[0].ResourceId}-{k}").ToList(),
        };
        if (m.Deadline != Now + OrderService.PaymentWindow) Fail($"order {m.Handle}: deadline {m.Deadline:o}, the model {Now + OrderService.PaymentWindow:o}");
        Trace($"  {m.Handle} {official:0.00}");
        touchedOrders.Add(m);
        Expect(Nothing(), () =>
        {
            model.Orders.Add(m);
            model.Replayables.Add(new OrderCreated(caller, c, months, count, token, m));
        });
    }

    async Task PayOrderAsync()
    {
        if (model.Orders.Count == 0) return;
        // Mostly orders pending payment; sometimes a paid or cancelled one (paid again: nothing charged; cancelled: refused).
        var pending = model.Orders.Where(o => o.Status == OrderStatus.PendingPayment).ToList();
        var o = pending.Count > 0 && rng.Next(5) > 0 ? Pick(pending) : Pick(model.Orders);
        await PayOrderAsync(o, retry: false);
    }

    async Task PayOrderAsync(MOrder o, bool retry)
    {
        touchedOrders.Add(o);
        touchedCustomers.Add(o.Customer);
        var now = Now;
        // A paid order is paid again with the coupons it was paid with (other coupons under the same key are a changed request).
        var chosen = o.Status == OrderStatus.Completed ? o.Coupons : retry ? null : ChooseCoupons(o);
        var (couponRefusal, takes) = chosen is null || o.Status == OrderStatus.Completed ? (null, []) : CouponPlan(o, chosen, now);
        var (refusal, deltas) = chosen is { Count: > CouponPayment.MaxCoupons } ? (couponRefusal, Nothing()) : model.Payment(o, now, couponRefusal, takes.Sum(t => t.Take));
        foreach (var (coupon, take) in refusal is null && o.Status != OrderStatus.Completed ? takes : [])
        {
            SimModel.Add(deltas, LedgerBook.CouponsOf(coupon.Customer.Id), -take);
            SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), take);
        }
        var wasPaid = o.Status == OrderStatus.Completed;
        var what = $"pay {o.Handle} of {o.Customer.Handle}{(retry ? " again" : "")}" + (chosen is null ? "" : $" with {chosen.Count} coupon(s)");
        var (ok, _) = await CallAsync(what, refusal, sp => sp.GetRequiredService<OrderService>().PayAsync(o.Customer.Caller,
            new PayRequest(o.Id, chosen is null ? "NO" : "YES", "NO", chosen?.Select(c => new PayChoice(c.Id, 301)).ToList(), null)));
        if (!ok) return;
        foreach (var id in o.ResourceIds) if (model.Resources.FirstOrDefault(r => r.Id == id) is { } r) touchedResources.Add(r);
        Expect(deltas, wasPaid ? null : () =>
        {
            foreach (var (coupon, take) in takes)
            {
                coupon.Balance -= take;
                if (coupon.Balance == 0) coupon.Status = CouponCodes.Used;
            }
            o.Coupons = chosen;
            model.Paid(o, now, () => NextHandle("v"), takes.Sum(t => t.Take));
            foreach (var r in model.Resources.Where(r => o.ResourceIds.Contains(r.Id))) touchedResources.Add(r);
            model.Replayables.Add(new OrderPaid(o));
        });
    }

    /// <summary>An enterprise master pays its finance-custody member's order from its own cash and credit (mostly pending ones; a paid one charges nothing).</summary>
    async Task MasterPaysMemberAsync()
    {
        var theirs = model.Orders.Where(o => o.Customer.Master is not null).ToList();
        if (theirs.Count == 0) return;
        var pending = theirs.Where(o => o.Status == OrderStatus.PendingPayment).ToList();
        var o = pending.Count > 0 && rng.Next(5) > 0 ? Pick(pending) : Pick(theirs);
        var master = o.Customer.Master!;
        touchedOrders.Add(o);
        touchedCustomers.Add(o.Customer);
        touchedCustomers.Add(master);
        var now = Now;
        var (refusal, deltas) = model.Payment(o, now, payer: master);
        var wasPaid = o.Status == OrderStatus.Completed;
        var (ok, _) = await CallAsync($"master {master.Handle} pays {o.Handle} of {o.Customer.Handle}", refusal,
            sp => sp.GetRequiredService<OrderService>().PayAsync(master.Caller, new PayRequest(o.Id, "NO", "NO", null, null)));
        if (!ok) return;
        Expect(deltas, wasPaid ? null : () =>
        {
            model.Paid(o, now, () => NextHandle("v"), paidBy: master);
            foreach (var r in model.Resources.Where(r => o.ResourceIds.Contains(r.Id))) touchedResources.Add(r);
            model.Replayables.Add(new OrderPaid(o));
        });
    }

    async Task CancelOrderAsync()
    {
        if (model.Orders.Count == 0) return;
        var o = Pick(model.Orders);
        touchedOrders.Add(o);
        var expected = o.Status == OrderStatus.PendingPayment ? null : Errors.OrderNotCancellable().Code;
        var (ok, _) = await CallAsync($"cancel {o.Handle}", expected, sp => sp.GetRequiredService<OrderService>().CancelAsync(o.Customer.Caller, o.Id));
        if (ok) Expect(Nothing(), () => o.Status = OrderStatus.Cancelled);
    }

    // ---------------------------------------------------------------- resources

    List<MResource> PeriodResources(Func<MResource, bool>? also = null) =>
        model.Resources.Where(r => !r.OnDemand && (also?.Invoke(r) ?? true)).ToList();

    /// <summary>Renews by hand with auto-pay: the renewal order is created and paid at once, or left pending with CBC.30050006.</summary>
    async Task RenewAsync()
    {
        var candidates = PeriodResources();
        if (candidates.Count == 0) return;
        var r = Pick(candidates);
        var c = r.Customer;
        var months = rng.Next(1, 4);
        touchedResources.Add(r);
        touchedCustomers.Add(c);
        var now = Now;
        var status = r.StatusAt(LastRun);
        string? before = status == ResourceStatus.Closed ? Errors.ResourceNotFound().Code
            : model.InUnpaidOrder(r) ? Errors.ResourceInUnpaidOrder().Code
            : c.Frozen ? Errors.CustomerFrozen().Code
            : c.Partner is { } partner && SimModel.IsOverdue(partner, now) ? Errors.PartnerOverdue().Code : null;
        var created = model.Orders.Count;
        MOrder? order = null;
        (string? Refusal, Dictionary<string, decimal> Deltas) payment = (null, Nothing());
        var what = $"renew {r.Handle} of {c.Handle} {months}m";
        var pendingBefore = await PendingRenewalsAsync(c);
        try
        {
            var ids = await host.InScopeAsync(sp => sp.GetRequiredService<ResourceService>().RenewAsync(c.Caller, [r.Id], 2, months, 1));
            if (before is not null) Fail($"{what}: the model expected {before}, Core renewed");
            order = await RenewalOrderAsync(c, r, months, ids[0], now);
            payment = model.Payment(order, now);
            if (payment.Refusal is not null) Fail($"{what}: the model expected the payment to be refused with {payment.Refusal}, Core paid");
            Trace($"{what} -> ok {order.Handle} {order.ToPay:0.00}");
        }
        catch (Exception e) when (host.Faults.Fired)
        {
            faultsFired++;
            Trace($"{what} -> fault ({e.GetType().Name})");
            // The renewal is two requests in one (create, then pay): a fault in the payment leaves the order pending,
            // exactly as a refused payment does.
            var fresh = (await PendingRenewalsAsync(c)).Except(pendingBefore).ToList();
            if (fresh.Count > 1) Fail($"{what}: {fresh.Count} renewal orders created");
            if (fresh.Count == 1)
            {
                var left = await RenewalOrderAsync(c, r, months, fresh[0], now);
                Expect(Nothing(), () => model.Orders.Add(left));
            }
            else Expect(Nothing());
            return;
        }
        catch (ServiceException e)
        {
            if (e.Error.Code == Errors.AutoPayFailed("", e.Error).Code && before is null)
            {
                var fresh = (await PendingRenewalsAsync(c)).Except(pendingBefore).ToList();
                if (fresh.Count != 1) Fail($"{what}: auto-pay failed, but {fresh.Count} new pending renewal orders");
                var left = await RenewalOrderAsync(c, r, months, fresh[0], now);
                var expected = model.Payment(left, now).Refusal;
                if (expected is null || !e.Error.Message.Contains(expected, StringComparison.Ordinal))
                    Fail($"{what}: auto-pay refused ({e.Error.Message}); the model expected {expected ?? "it paid"}");
                Trace($"{what} -> {e.Error.Code} ({expected}), {left.Handle} left pending");
                Expect(Nothing(), () => model.Orders.Add(left));
                return;
            }
            if (e.Error.Code != before) Fail($"{what}: the model expected {before ?? "success"}, Core answered {e.Error.Code} {e.Error.Message}");
            Trace($"{what} -> {e.Error.Code}");
            Expect(Nothing());
            return;
        }
        if (created != model.Orders.Count) Fail("the model's orders changed during a renewal");
        var o = order!;
        Expect(payment.Deltas, () =>
        {
            model.Orders.Add(o);
            model.Paid(o, now, () => NextHandle("v"));
        });
        touchedOrders.Add(o);
    }

    async Task<List<string>> PendingRenewalsAsync(MCustomer c)
    {
        var db = reader;
        return await db.Orders.AsNoTracking().Where(o => o.CustomerAccountId == c.Id && o.OrderType == OrderType.Renewal && o.Status == OrderStatus.PendingPayment)
            .Select(o => o.Id).ToListAsync();
    }

    /// <summary>A renewal order as Core created it, checked against the model's price and turned into the model's order.</summary>
    async Task<MOrder> RenewalOrderAsync(MCustomer c, MResource r, int months, string id, DateTime now)
    {
        var db = reader;
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.DiscountOptions).SingleAsync(o => o.Id == id);
        var official = SimModel.MonthPrice * months;
        if (order.OfficialAmount != official) Fail($"renewal of {r.Handle} for {months} months: list price {order.OfficialAmount}, the model {official}");
        if (order.Lines.Count != 1 || order.Lines[0].ResourceId != r.Id) Fail($"renewal of {r.Handle}: its order renews other resources");
        // Auto-pay takes the commercial discount if there is one, otherwise the best offer.
        var discount = order.DiscountOptions.FirstOrDefault(d => d.DiscountType == OrderDiscountType.Commercial) ?? order.DiscountOptions.FirstOrDefault(d => d.BestOffer);
        return new MOrder
        {
            Handle = NextHandle("o"), Id = id, Customer = c, Type = OrderType.Renewal, Official = official, Settlement = order.SettlementAmount,
            ToPay = discount?.AmountAfterDiscount ?? official, FundingPartnerId = c.Partner?.Id, Deadline = now + OrderService.PaymentWindow, Months = months,
            ResourceIds = [r.Id],
        };
    }

    /// <summary>
    /// A resource the customer paid for itself, marked touched (refunds of a partner's money go back to the partner and
    /// its budget; not modelled), with its status now; null when there is none. With <paramref name="resale"/> also a
    /// resale customer's resource paid from the cash its partner allocated (refunded to that cash).
    /// </summary>
    (MResource Resource, int Status)? PickSelfFunded(bool resale = false)
    {
        // Not a resource paid with coupons: a refund gives coupons back, which the model does not predict (the Core tests cover it).
        var candidates = PeriodResources(r => !r.PartnerFunded && (resale || r.Customer.Partner is null)
                                              && !model.Orders.Any(o => o.Coupons is { Count: > 0 } && o.Status == OrderStatus.Completed && o.ResourceIds.Contains(r.Id)));
        if (candidates.Count == 0) return null;
        var r = Pick(candidates);
        touchedResources.Add(r);
        touchedCustomers.Add(r.Customer);
        return (r, r.StatusAt(LastRun));
    }

    async Task UnsubscribeAsync()
    {
        if (PickSelfFunded(resale: true) is not { } picked) return;
        var (r, status) = picked;
        var now = Now;
        var expected = status == ResourceStatus.Closed ? Errors.ResourceNotFound().Code
            : status == ResourceStatus.Frozen ? Errors.ResourceFrozen().Code
            : model.InUnpaidOrder(r) ? Errors.ResourceInUnpaidOrder().Code : null;
        var (ok, result) = await CallAsync($"unsubscribe {r.Handle} of {r.Customer.Handle}", expected,
            sp => sp.GetRequiredService<ResourceService>().UnsubscribeAsync(r.Customer.Caller, [r.Id], 1, null, null));
        if (!ok) return;
        await RefundedAsync(r, result!.Refund, result.OrderIds[0], now, () =>
        {
            r.Closed = true;
            r.Expire = now;
        });
    }

    /// <summary>
    /// A refund within the model's bounds goes back to the customer's cash, and what its enterprise master paid to the
    /// master's cash (each share within the bounds of the stretches that one paid); the stretches are refunded.
    /// </summary>
    async Task RefundedAsync(MResource r, decimal refund, string refundOrderId, DateTime now, Action then)
    {
        var (min, max) = model.RefundBounds(r, now);
        if (refund < min || refund > max) Fail($"refund of {r.Handle}: {refund}, the model allows {min} to {max}");
        Trace($"  refund {refund:0.00}");
        var deltas = Nothing();
        var toMaster = 0m;
        if (r.Customer.Master is { } master && r.Stretches.Any(s => !s.Refunded && s.End > now && s.PaidBy == master))
        {
            // The split between the stretches each side paid is the refund rule's (which the model only bounds): read it, then bound each share.
            toMaster = await reader.Postings.AsNoTracking().Where(p => p.EntryId == "refund:" + refundOrderId && p.AccountId == LedgerBook.CashOf(master.Id)).SumAsync(p => p.Amount);
            var (masterMin, masterMax) = model.RefundBounds(r, now, s => s.PaidBy == master);
            var (ownMin, ownMax) = model.RefundBounds(r, now, s => s.PaidBy != master);
            if (toMaster < masterMin || toMaster > masterMax || refund - toMaster < ownMin || refund - toMaster > ownMax)
                Fail($"refund of {r.Handle}: {toMaster} to master {master.Handle} and {refund - toMaster} to the member, the model allows {masterMin}-{masterMax} and {ownMin}-{ownMax}");
            touchedCustomers.Add(master);
            SimModel.Add(deltas, LedgerBook.CashOf(master.Id), toMaster);
        }
        SimModel.Add(deltas, LedgerBook.CashOf(r.Customer.Id), refund - toMaster);
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), -refund);
        await RefundToFormerPartnersAsync(r, refundOrderId, now, deltas);
        Expect(deltas, () =>
        {
            foreach (var s in r.Stretches.Where(s => !s.Refunded && s.End > now)) s.Refunded = true;
            then();
        });
    }

    /// <summary>UpdatePeriodToOnDemandInstantly: the unused time refunded as unsubscribing would, then charged by the hour.</summary>
    async Task ToPayPerUseAsync()
    {
        if (PickSelfFunded() is not { } picked) return;
        var (r, status) = picked;
        var now = Now;
        var whole = status == ResourceStatus.Closed ? Errors.ResourceNotFound().Code : null;
        var one = status == ResourceStatus.Frozen ? Errors.ResourceFrozen().Code : model.InUnpaidOrder(r) ? Errors.ResourceInUnpaidOrder().Code : null;
        var (ok, results) = await CallAsync($"to-pay-per-use {r.Handle} of {r.Customer.Handle}", whole,
            sp => sp.GetRequiredService<ResourceService>().ToOnDemandNowAsync(r.Customer.Caller, [r.Id]));
        if (!ok) return;
        var result = results![0];
        if (result.ErrorCode != one) Fail($"to-pay-per-use {r.Handle}: the model expected {one ?? "SUCCESS"}, Core answered {result.Result} {result.ErrorCode}");
        if (one is not null) { Expect(Nothing()); return; }
        var db = reader;
        var refund = await db.Orders.AsNoTracking().Where(o => o.Id == result.OrderId).Select(o => o.OfficialAmount).SingleAsync();
        await RefundedAsync(r, refund, result.OrderId!, now, () =>
        {
            r.OnDemand = true;
            r.Expire = null;
        });
    }

    async Task PayPerUseOrderAsync()
    {
        if (AnyCustomer() is not { } c) return;
        await PayPerUseOrderAsync(c);
    }

    async Task PayPerUseOrderAsync(MCustomer c)
    {
        touchedCustomers.Add(c);
        var count = rng.Next(1, 3);
        var line = new NewOrderLine(Service, VmType, Spec, Region, null, null, null, null, count, ChargeMode.OnDemand);
        var caller = c.Partner is { } p && rng.Next(2) == 0 ? p.Caller : c.Caller;
        var refusal = c.Frozen ? Errors.CustomerFrozen().Code : c.Partner is { } partner && SimModel.IsOverdue(partner, Now) ? Errors.PartnerOverdue().Code : null;
        var (ok, order) = await CallAsync($"pay-per-use-order {c.Handle} x{count}", refusal,
            sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(caller, new NewOrder(caller.AccountId == c.Id ? null : c.Id, [line], "t" + NextHandle(""))));
        if (!ok) return;
        var resources = Enumerable.Range(0, count).Select(k => new MResource
        {
            Handle = NextHandle("v"), Id = k == 0 ? order!.Lines[0].ResourceId : $"{order!.Lines[0].ResourceId}-{k}", Customer = c, OnDemand = true,
            PartnerFunded = c.Partner is not null,
        }).ToList();
        foreach (var r in resources) touchedResources.Add(r);
        Expect(Nothing(), () => model.Resources.AddRange(resources));
    }

    /// <summary>An hour (or part of one) of use of a pay-per-use resource, reported for the hour that just ended.</summary>
    async Task IngestUsageAsync()
    {
        var candidates = model.Resources.Where(r => r.OnDemand).ToList();
        if (candidates.Count == 0) return;
        await IngestUsageAsync(Pick(candidates));
    }

    async Task IngestUsageAsync(MResource r)
    {
        var hours = Pick(new[] { 0.25m, 0.5m, 1m });
        var now = Now;
        var record = new UsageRecordInput($"u{options.Seed}-{NextHandle("")}", r.Id, "Duration", hours, 4, now.AddHours(-1), now);
        var (ok, result) = await CallAsync($"ingest {hours}h on {r.Handle}", null,
            sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(host.Operator, [record]));
        if (!ok) return;
        if (result!.Accepted + result.Refused != 1) Fail($"ingest: one record came back {result.Accepted} accepted, {result.Refused} refused");
        Expect(Nothing(), () => { if (result.Accepted == 1) r.Customer.UsageHours += hours; });
    }

    // ---------------------------------------------------------------- funds

    async Task TopUpAsync()
    {
        if (AnyCustomer() is not { } c) return;
        var declined = rng.Next(10) == 0;
        await TopUpAsync(c, Amount(5, 200), declined ? DeclinedCard : GoodCard, "t" + NextHandle(""));
    }

    async Task TopUpAsync(MCustomer c, decimal amount, CardDetails card, string token, TopUpDone? earlier = null)
    {
        touchedCustomers.Add(c);
        var expected = earlier is not null ? null
            : c.Partner is not null ? Errors.ResaleCustomerHasNoBalance().Code
            : card == DeclinedCard ? Errors.PaymentDeclined("", "").Code : null;
        var (ok, topUp) = await CallAsync($"top-up {c.Handle} {amount:0.00}{(earlier is null ? "" : " again")}", expected,
            sp => sp.GetRequiredService<FundsService>().TopUpAsync(c.Caller, amount, card, token));
        if (host.Faults.Fired && !ok)
        {
            // A top-up commits, then settles arrears in a transaction of its own: a fault in the second leaves the money
            // credited and the debt for the hourly run, so either nothing happened or the top-up alone did.
            var credited = Nothing();
            SimModel.Add(credited, LedgerBook.CashOf(c.Id), amount);
            SimModel.Add(credited, LedgerBook.Platform(LedgerAccountKind.PlatformGateway), -amount);
            Expect(credited, () => model.Replayables.Add(new TopUpDone(c, amount, token, "")));
            return;
        }
        if (!ok) return;
        if (earlier is not null)
        {
            if (earlier.TopUpId != "" && topUp!.Id != earlier.TopUpId) Fail("a retried top-up answered another top-up");
            Expect(Nothing());
            return;
        }
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.CashOf(c.Id), amount);
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformGateway), -amount);
        model.SettleArrears(c, deltas);
        Expect(deltas, () => model.Replayables.Add(new TopUpDone(c, amount, token, topUp!.Id)));
    }

    async Task AdjustAsync()
    {
        if (AnyCustomer() is not { } c) return;
        var amount = rng.Next(4) == 0 ? -Amount(1, 150) : Amount(1, 150);
        await AdjustAsync(c, amount);
    }

    async Task AdjustAsync(MCustomer c, decimal amount, string? token = null, string reason = "simulation", AdjustDone? earlier = null)
    {
        touchedCustomers.Add(c);
        token ??= "t" + NextHandle("");
        var cash = LedgerBook.CashOf(c.Id);
        var expected = earlier is not null ? null
            : c.Partner is not null ? Errors.ResaleCustomerHasNoBalance().Code
            : amount < 0 && model.Balance(cash) + amount < 0 ? Errors.InsufficientBalance().Code : null;
        var (ok, _) = await CallAsync($"adjust {c.Handle} {amount:+0.00;-0.00}{(earlier is null ? "" : " again")}", expected,
            sp => sp.GetRequiredService<FundsService>().AdjustAsync(host.Operator, c.Id, amount, reason, token));
        var deltas = Nothing();
        SimModel.Add(deltas, cash, amount);
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformAdjustments), -amount);
        var done = new AdjustDone(c, amount, reason, token);
        if (host.Faults.Fired && !ok && earlier is null)
        {
            // Committed, then the arrears settlement or the answer's read failed: arrears are left to the hourly run (see top-up).
            Expect(new Dictionary<string, decimal>(deltas), () => model.Replayables.Add(done));
            return;
        }
        if (!ok) return;
        if (earlier is not null) { Expect(Nothing()); return; }
        if (amount > 0) model.SettleArrears(c, deltas);
        Expect(deltas, () => model.Replayables.Add(done));
    }

    async Task CreditLineAsync()
    {
        if (AnyCustomer() is not { } c) return;
        await CreditLineAsync(c, rng.Next(3) == 0 ? 0 : Amount(0, 200));
    }

    async Task CreditLineAsync(MCustomer c, decimal limit)
    {
        touchedCustomers.Add(c);
        var credit = LedgerBook.CreditOf(c.Id);
        var change = limit - c.CreditLimit;
        var expected = c.Partner is not null ? Errors.ResaleCustomerHasNoBalance().Code
            : model.Balance(credit) + change < 0 ? Check.Invalid("").Error.Code : null;
        var (ok, _) = await CallAsync($"credit-line {c.Handle} {limit:0.00}", expected,
            sp => sp.GetRequiredService<FundsService>().SetCreditLimitAsync(host.Operator, c.Id, limit));
        var deltas = Nothing();
        SimModel.Add(deltas, credit, change);
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformCreditIssued), -change);
        if (host.Faults.Fired && !ok)
        {
            // Committed, then the arrears settlement or the answer's read failed (see top-up).
            Expect(new Dictionary<string, decimal>(deltas), () => c.CreditLimit = limit);
            return;
        }
        if (!ok) return;
        if (change > 0) model.SettleArrears(c, deltas);
        Expect(deltas, () => c.CreditLimit = limit);
    }

    // ---------------------------------------------------------------- partners

    async Task BudgetAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        await BudgetAsync(Pick(resale), Amount(20, 400));
    }

    async Task BudgetAsync(MCustomer c, decimal amount)
    {
        touchedCustomers.Add(c);
        var (ok, _) = await CallAsync($"budget {c.Handle} {amount:0.00}", null, sp => sp.GetRequiredService<BudgetService>().SetAsync(c.Partner!.Caller,
            new BudgetInput(c.Id, amount, "MONTHLY", null, null, null)));
        if (ok) Expect(Nothing(), () => c.Budget = amount);
    }

    async Task QuotaAsync()
    {
        if (model.Partners.Count == 0) return;
        await QuotaAsync(Pick(model.Partners), Amount(0, 400));
    }

    async Task QuotaAsync(MPartner p, decimal quota)
    {
        if (p.ResaleCustomer is { } rc) touchedCustomers.Add(rc);
        var owed = -model.Balance(LedgerBook.PayableOf(p.Id));
        var (ok, _) = await CallAsync($"quota {p.Handle} {quota:0.00}", owed > quota ? Errors.ConsumptionQuotaBelowDebt(owed).Code : null,
            sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(host.Operator, p.Id, quota));
        // The answer is read after the commit: a fault there loses the answer, not the change (a retry sets it again).
        if (ok || (host.Faults.Fired && owed <= quota && await reader.LedgerAccounts.AnyAsync(a => a.Id == LedgerBook.PayableOf(p.Id) && a.Floor == -quota)))
        {
            outcomes.Clear();
            Expect(Nothing(), () => p.Quota = quota);
        }
    }

    async Task FreezeAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        var c = Pick(resale);
        touchedCustomers.Add(c);
        var (ok, _) = await CallAsync($"freeze {c.Handle}", null, sp => sp.GetRequiredService<FreezeService>().FreezeAsync(c.Partner!.Caller, [c.Id], "simulation", null, null));
        if (ok) Expect(Nothing(), () => c.Frozen = true);
    }

    async Task UnfreezeAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        await UnfreezeAsync(Pick(resale));
    }

    async Task UnfreezeAsync(MCustomer c)
    {
        touchedCustomers.Add(c);
        var (ok, _) = await CallAsync($"unfreeze {c.Handle}", null, sp => sp.GetRequiredService<FreezeService>().UnfreezeAsync(c.Partner!.Caller, [c.Id], "simulation", null, null));
        if (ok) Expect(Nothing(), () => c.Frozen = false);
    }

    /// <summary>The partner dissolves the association: the customer pays for itself from now on; its budget is removed.</summary>
    async Task DissolveAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        var c = Pick(resale);
        touchedCustomers.Add(c);
        var partner = c.Partner!;
        var (ok, _) = await CallAsync($"dissolve {c.Handle} from {partner.Handle}", null,
            sp => sp.GetRequiredService<AssociationService>().DissolveAsync(partner.Caller, c.Id, null));
        // What the customer holds came from this partner's allocations (nothing else funds a resale customer): it all goes back (BEUNBIND).
        var back = Nothing();
        if (model.Balance(LedgerBook.CashOf(c.Id)) is var held and > 0)
        {
            SimModel.Add(back, LedgerBook.CashOf(c.Id), -held);
            SimModel.Add(back, LedgerBook.PartnerBalanceOf(partner.Id), held);
        }
        var reclaimed = CouponsReclaimedOnUnbind(c, partner, back);
        if (ok) Expect(back, () =>
        {
            foreach (var coupon in reclaimed) (coupon.Balance, coupon.Status) = (0, Core.Coupons.CouponCodes.Reclaimed);
            c.Partner = null;
            c.Frozen = false;
            c.Budget = null;
            partner.ResaleCustomer = null;
        });
    }

    // ---------------------------------------------------------------- money allocated to resale customers

    /// <summary>A partner allocates part of its balance to its resale customer (sometimes more than it has); sometimes keyed.</summary>
    async Task AllocateAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        var c = Pick(resale);
        await MoveAllocationAsync(c, c.Partner!, Amount(1, 30), rng.Next(3) == 0 ? "al" + NextHandle("") : null, reclaim: false);
    }

    /// <summary>A partner takes money back from its resale customer (sometimes more than it holds).</summary>
    async Task ReclaimAsync()
    {
        if (Resale is not { Count: > 0 } resale) return;
        var c = Pick(resale);
        var held = model.Balance(LedgerBook.CashOf(c.Id));
        var amount = rng.Next(4) == 0 || held < 0.01m ? Amount(1, 80) : Math.Min(held, Amount(1, 80));
        await MoveAllocationAsync(c, c.Partner!, amount, rng.Next(3) == 0 ? "rc" + NextHandle("") : null, reclaim: true);
    }

    async Task MoveAllocationAsync(MCustomer c, MPartner p, decimal amount, string? token, bool reclaim, AllocationDone? earlier = null)
    {
        touchedCustomers.Add(c);
        var (cash, balance) = (LedgerBook.CashOf(c.Id), LedgerBook.PartnerBalanceOf(p.Id));
        var (from, to) = reclaim ? (cash, balance) : (balance, cash);
        var expected = c.Partner != p ? Errors.NotYourCustomer().Code
            : earlier is not null ? null
            : reclaim && !await reader.LedgerAccounts.AnyAsync(a => a.Id == cash) ? Errors.NoAllocationAccount().Code
            : model.Balance(from) < amount ? Errors.InsufficientBalance().Code : null;
        var service = (IServiceProvider sp) => sp.GetRequiredService<PartnerAccountService>();
        var (ok, _) = await CallAsync($"{(reclaim ? "reclaim" : "allocate")} {c.Handle} {amount:0.00}{(earlier is null ? "" : " again")}", expected, sp => reclaim
            ? service(sp).ReclaimAsync(p.Caller, c.Id, amount, null, token)
            : service(sp).AllocateAsync(p.Caller, c.Id, amount, null, token));
        if (!ok) return;
        if (earlier is not null) { Expect(Nothing()); return; }
        var deltas = Nothing();
        SimModel.Add(deltas, from, -amount);
        SimModel.Add(deltas, to, amount);
        Expect(deltas, token is null ? null : () => model.Replayables.Add(new AllocationDone(c, p, amount, token, reclaim)));
    }

    /// <summary>The distributor allocates to its reseller or takes money back (sometimes more than there is); sometimes keyed.</summary>
    async Task ResellerFundsAsync()
    {
        var (distributor, reseller) = (model.Distributor!, model.Reseller!);
        var reclaim = rng.Next(2) == 0;
        await MoveResellerFundsAsync(distributor, reseller, Amount(1, 60), rng.Next(3) == 0 ? "rf" + NextHandle("") : null, reclaim);
    }

    async Task MoveResellerFundsAsync(MPartner distributor, MPartner reseller, decimal amount, string? token, bool reclaim, ResellerFundsDone? earlier = null)
    {
        var (mine, theirs) = (LedgerBook.PartnerBalanceOf(distributor.Id), LedgerBook.PartnerBalanceOf(reseller.Id));
        var (from, to) = reclaim ? (theirs, mine) : (mine, theirs);
        var expected = earlier is not null ? null : model.Balance(from) < amount ? Errors.InsufficientBalance().Code : null;
        var resellerId = await reader.Partners.AsNoTracking().Where(p => p.AccountId == reseller.Id).Select(p => p.PartnerId).SingleAsync();
        var (ok, _) = await CallAsync($"{(reclaim ? "reclaim-from" : "allocate-to")} {reseller.Handle} {amount:0.00}{(earlier is null ? "" : " again")}", expected, sp => reclaim
            ? sp.GetRequiredService<PartnerAccountService>().ReclaimFromResellerAsync(distributor.Caller, resellerId, amount, token)
            : sp.GetRequiredService<PartnerAccountService>().AllocateToResellerAsync(distributor.Caller, resellerId, amount, token));
        if (!ok) return;
        if (earlier is not null) { Expect(Nothing()); return; }
        var deltas = Nothing();
        SimModel.Add(deltas, from, -amount);
        SimModel.Add(deltas, to, amount);
        Expect(deltas, token is null ? null : () => model.Replayables.Add(new ResellerFundsDone(distributor, reseller, amount, token, reclaim)));
    }

    // ---------------------------------------------------------------- partner bills

    /// <summary>A card top-up of a partner's balance: it repays due bills first, the rest waits for the next bill.</summary>
    async Task PartnerTopUpAsync()
    {
        var p = Pick(model.Partners);
        await PartnerPayAsync(p, Amount(1, 60), rng.Next(10) == 0 ? DeclinedCard : GoodCard, "pt" + NextHandle(""), repay: false);
    }

    /// <summary>An online repayment: mostly within the amount due, sometimes nothing, more than due or over the 40,000.00 limit.</summary>
    async Task RepayAsync()
    {
        var p = Pick(model.Partners);
        var due = SimModel.AmountDue(p);
        var amount = rng.Next(10) switch
        {
            0 => 0m,
            1 => due + 0.01m,
            2 => PartnerFunds.MaxOnlinePayment + 0.01m,
            _ => due <= 0.01m ? 0.01m : Math.Min(due, rng.Next(1, (int)Math.Min(due * 100, int.MaxValue) + 1) / 100m),
        };
        await PartnerPayAsync(p, amount, rng.Next(12) == 0 ? DeclinedCard : GoodCard, "r" + NextHandle(""), repay: true);
    }

    async Task PartnerPayAsync(MPartner p, decimal amount, CardDetails card, string token, bool repay, PartnerPaid? earlier = null)
    {
        var expected = amount <= 0 ? Errors.InvalidParameter("").Code
            : amount > PartnerFunds.MaxOnlinePayment ? Errors.RepaymentOverLimit(0).Code
            : earlier is not null ? null
            : repay && amount > SimModel.AmountDue(p) ? Errors.RepaymentOverAmountDue(0).Code
            : card == DeclinedCard ? Errors.PaymentDeclined("", "").Code : null;
        var what = $"{(repay ? "repay" : "partner-top-up")} {p.Handle} {amount:0.00}" + (earlier is null ? "" : " again");
        var deltas = Nothing();
        SimModel.Add(deltas, LedgerBook.Platform(LedgerAccountKind.PlatformGateway), -amount);
        SimModel.Add(deltas, LedgerBook.PartnerBalanceOf(p.Id), amount);
        var paid = SimModel.Repay(p, amount, deltas);
        var (ok, _) = await CallAsync(what, expected, sp => repay
            ? sp.GetRequiredService<PartnerFunds>().RepayAsync(p.Caller, amount, card, token)
            : sp.GetRequiredService<PartnerFunds>().TopUpAsync(p.Caller, amount, card, token));
        if (earlier is not null || expected is not null || (!ok && !host.Faults.Fired))
        {
            Expect(Nothing()); // a replay charges nothing and moves nothing; a refusal writes nothing
            return;
        }
        // Done, or a fault that may have come after the commit (the answer is read after it): then the money moved too.
        Expect(deltas, () =>
        {
            foreach (var (bill, x) in paid) bill.Paid += x;
            model.Replayables.Add(new PartnerPaid(p, amount, token, repay));
        });
    }

    /// <summary>The operator's draft of the month just closed: refused once finalized; it moves no money and its bills are what the model expects.</summary>
    async Task DraftBillsAsync()
    {
        var cycle = BillCycle.Containing(Now).Previous;
        var finalized = model.Partners.Any(p => p.BilledTo >= cycle.EndUtc);
        var (ok, _) = await CallAsync($"draft-bills {cycle}", finalized ? Errors.BillCycleFinalized("").Code : null,
            sp => sp.GetRequiredService<BillingOperator>().RunDraftAsync(host.Operator, cycle.ToString()));
        Expect(Nothing());
        if (!ok) return;
        var drafts = await reader.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycle.ToString() && b.Status == BillStatus.Draft)
            .ToDictionaryAsync(b => b.PartnerAccountId, b => b.InitialAmountDue);
        foreach (var p in model.Partners)
            if (drafts.GetValueOrDefault(p.Id) != p.Unbilled(cycle.EndUtc))
                Fail($"draft of {cycle} for {p.Handle}: {drafts.GetValueOrDefault(p.Id)}, the model {p.Unbilled(cycle.EndUtc)}");
    }

    // ---------------------------------------------------------------- faults and the clock

    /// <summary>An earlier idempotent money request sent again with the same key and parameters: the same answer, nothing charged.</summary>
    async Task RetrySameAsync()
    {
        if (model.Replayables.Count == 0) return;
        switch (Pick(model.Replayables))
        {
            case TopUpDone t: await TopUpAsync(t.Customer, t.Amount, GoodCard, t.Token, t); break;
            case AdjustDone a: await AdjustAsync(a.Customer, a.Amount, a.Token, a.Reason, a); break;
            case OrderCreated o: await CreateOrderAsync(o.Caller, o.Customer, o.Months, o.Count, o.Token, o.Order); break;
            case OrderPaid p: await PayOrderAsync(p.Order, retry: true); break;
            case PartnerPaid q: await PartnerPayAsync(q.Partner, q.Amount, GoodCard, q.Token, q.Repay, q); break;
            case AllocationDone a: await MoveAllocationAsync(a.Customer, a.Partner, a.Amount, a.Token, a.Reclaim, a); break;
            case ResellerFundsDone f: await MoveResellerFundsAsync(f.Distributor, f.Reseller, f.Amount, f.Token, f.Reclaim, f); break;
        }
    }

    /// <summary>The same key with changed parameters: refused with 409 CBC.99005044, nothing written.</summary>
    async Task RetryChangedAsync()
    {
        if (model.Replayables.Count == 0) return;
        var conflict = Errors.ClientTokenReused().Code;
        switch (Pick(model.Replayables))
        {
            case TopUpDone t:
                touchedCustomers.Add(t.Customer);
                await CallAsync($"top-up {t.Customer.Handle} changed", conflict,
                    sp => sp.GetRequiredService<FundsService>().TopUpAsync(t.Customer.Caller, t.Amount + 1, GoodCard, t.Token));
                break;
            case AdjustDone a:
                touchedCustomers.Add(a.Customer);
                await CallAsync($"adjust {a.Customer.Handle} changed", conflict,
                    sp => sp.GetRequiredService<FundsService>().AdjustAsync(host.Operator, a.Customer.Id, a.Amount + 0.01m, a.Reason, a.Token));
                break;
            case OrderCreated o:
                touchedCustomers.Add(o.Customer);
                var line = new NewOrderLine(Service, VmType, Spec, Region, null, null, 2, o.Months % 3 + 1, o.Count);
                var notYours = o.Caller.AccountId != o.Customer.Id && o.Customer.Partner?.Id != o.Caller.AccountId;
                await CallAsync($"create-order {o.Customer.Handle} changed", notYours ? Errors.NotYourCustomer().Code : conflict, sp => sp.GetRequiredService<OrderService>()
                    .CreateAsync(o.Caller, new NewOrder(o.Caller.AccountId == o.Customer.Id ? null : o.Customer.Id, [line], o.Token)));
                break;
            case OrderPaid p:
                touchedOrders.Add(p.Order);
                await CallAsync($"pay {p.Order.Handle} changed", conflict, sp => sp.GetRequiredService<OrderService>()
                    .PayAsync(p.Order.Customer.Caller, new PayRequest(p.Order.Id, "NO", "YES", null, [new PayChoice("another-discount", OrderDiscountType.Commercial)])));
                break;
            case PartnerPaid q:
                await CallAsync($"{(q.Repay ? "repay" : "partner-top-up")} {q.Partner.Handle} changed", conflict, sp => q.Repay
                    ? sp.GetRequiredService<PartnerFunds>().RepayAsync(q.Partner.Caller, q.Amount + 0.01m, GoodCard, q.Token)
                    : sp.GetRequiredService<PartnerFunds>().TopUpAsync(q.Partner.Caller, q.Amount + 0.01m, GoodCard, q.Token));
                break;
            case AllocationDone a:
                touchedCustomers.Add(a.Customer);
                var accounts = (IServiceProvider sp) => sp.GetRequiredService<PartnerAccountService>();
                await CallAsync($"{(a.Reclaim ? "reclaim" : "allocate")} {a.Customer.Handle} changed", a.Customer.Partner != a.Partner ? Errors.NotYourCustomer().Code : conflict,
                    sp => a.Reclaim
                        ? accounts(sp).ReclaimAsync(a.Partner.Caller, a.Customer.Id, a.Amount + 0.01m, null, a.Token)
                        : accounts(sp).AllocateAsync(a.Partner.Caller, a.Customer.Id, a.Amount + 0.01m, null, a.Token));
                break;
            case ResellerFundsDone f:
                var reseller = await reader.Partners.AsNoTracking().Where(p => p.AccountId == f.Reseller.Id).Select(p => p.PartnerId).SingleAsync();
                var funds = (IServiceProvider sp) => sp.GetRequiredService<PartnerAccountService>();
                await CallAsync($"{(f.Reclaim ? "reclaim-from" : "allocate-to")} {f.Reseller.Handle} changed", conflict, sp => f.Reclaim
                    ? funds(sp).ReclaimFromResellerAsync(f.Distributor.Caller, reseller, f.Amount + 0.01m, f.Token)
                    : funds(sp).AllocateToResellerAsync(f.Distributor.Caller, reseller, f.Amount + 0.01m, f.Token));
                break;
        }
    }

    /// <summary>
    /// Moves the sandbox clock (minutes mostly, sometimes hours, rarely days); every job period due in between runs, in
    /// order: the hourly pay-per-use run, the expiry lifecycle, payment deadlines, the monthly budget reset.
    /// </summary>
    async Task AdvanceClockAsync()
    {
        clockStep = true;
        var roll = rng.Next(100);
        // About 2.5 hours on average: 10,000 steps cover some two months, time for monthly resources to expire, go
        // through grace into retention, and for budgets to start a new month. Every hour passed costs a run of each job.
        var seconds = roll < 80 ? rng.Next(5, 61) * 60L : roll < 98 ? rng.Next(1, 13) * 3600L : rng.Next(1, 4) * 86400L;
        Trace($"advance {seconds / 60} min");
        await host.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(host.Operator, seconds, null));
        AfterClockMoved();
    }
}
