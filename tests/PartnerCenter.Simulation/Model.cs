using PartnerCenter.Core.Common;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Simulation;

/// <summary>A partner of the simulated world; it funds at most one resale customer at a time (see <see cref="SimModel"/>).</summary>
public sealed class MPartner
{
    public required string Handle { get; init; }
    public required string Id { get; init; }
    public required Caller Caller { get; init; }
    public decimal Quota { get; set; } = LedgerBook.DefaultConsumptionQuota;
    public MCustomer? ResaleCustomer { get; set; }
    /// <summary>Its payable's movements that bills take (order payments, refunds, pay-per-use), by the instant they are booked at.</summary>
    public List<(DateTime BookedAt, decimal Amount)> Billable { get; } = [];
    /// <summary>The end of its last finalized bill: what is booked before it is billed.</summary>
    public DateTime BilledTo { get; set; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public List<MBill> Bills { get; } = [];

    /// <summary>What a bill closing at <paramref name="end"/> would come to: what it owes for the movements booked since its last bill.</summary>
    public decimal Unbilled(DateTime end) => -Billable.Where(m => m.BookedAt >= BilledTo && m.BookedAt < end).Sum(m => m.Amount);
}

/// <summary>A partner's finalized bill as the model expects it.</summary>
public sealed class MBill
{
    public required string Cycle { get; init; }
    public decimal Initial { get; init; }
    public decimal Paid { get; set; }
    public DateTime DueAt { get; init; }
    public decimal Due => Math.Max(0, Initial) - Paid;
}

public sealed class MCustomer
{
    public required string Handle { get; init; }
    public required string Id { get; init; }
    public required Caller Caller { get; init; }
    /// <summary>The partner funding it (a resale customer), or null (it pays itself).</summary>
    public MPartner? Partner { get; set; }
    public bool Frozen { get; set; }
    /// <summary>Its enterprise master, when it is a finance-custody member: the master may pay its orders from its own balance.</summary>
    public MCustomer? Master { get; set; }
    public decimal? Budget { get; set; }
    public decimal CreditLimit { get; set; }
    /// <summary>Usage hours accepted for its pay-per-use resources: what it can be charged at most (see the checker).</summary>
    public decimal UsageHours { get; set; }
}

public sealed class MOrder
{
    public required string Handle { get; init; }
    public required string Id { get; init; }
    public required MCustomer Customer { get; init; }
    public required int Type { get; init; }
    public decimal Official { get; init; }
    public decimal Settlement { get; init; }
    /// <summary>What paying it charges (the auto-paid renewal's discount included).</summary>
    public decimal ToPay { get; init; }
    public string? FundingPartnerId { get; init; }
    /// <summary>The last prediction of its payment went the China model's way: the customer's allocated cash pays it.</summary>
    public bool PaidFromCash { get; set; }
    public int Status { get; set; } = OrderStatus.PendingPayment;
    public DateTime Deadline { get; init; }
    public int Months { get; init; }
    /// <summary>A purchase: the resource ids its payment creates; a renewal: the resource it renews.</summary>
    public required IReadOnlyList<string> ResourceIds { get; init; }
    /// <summary>The coupons its payment chose, in the order given (null: none).</summary>
    public List<MCoupon>? Coupons { get; set; }
}

/// <summary>One paid stretch of a yearly/monthly resource, as unsubscribing refunds it.</summary>
public sealed class MStretch
{
    public decimal Paid { get; init; }
    public DateTime Start { get; init; }
    public DateTime End { get; init; }
    public DateTime PaidAt { get; init; }
    /// <summary>The enterprise master that paid it for the customer (its refund goes back to the master's cash); null: the customer or its partner.</summary>
    public MCustomer? PaidBy { get; init; }
    /// <summary>The partner whose allocated cash paid it (its refund goes back to that partner once the association has ended); null otherwise.</summary>
    public MPartner? AllocatedBy { get; init; }
    public bool Refunded { get; set; }
}

public sealed class MResource
{
    public required string Handle { get; init; }
    public required string Id { get; init; }
    public required MCustomer Customer { get; init; }
    public bool OnDemand { get; set; }
    public bool Closed { get; set; }
    public DateTime? Expire { get; set; }
    /// <summary>Renewed at this time: in use until the next hourly lifecycle run looks at it again.</summary>
    public DateTime? RenewedAt { get; set; }
    public bool PartnerFunded { get; set; }
    public List<MStretch> Stretches { get; } = [];

    /// <summary>
    /// The status the hourly lifecycle run leaves a yearly/monthly resource in, the last run being at
    /// <paramref name="lastRun"/>: in use before its expiry, then 15 days of grace, 15 of retention, then released.
    /// </summary>
    public int StatusAt(DateTime lastRun)
    {
        if (Closed) return ResourceStatus.Closed;
        if (OnDemand || RenewedAt >= lastRun || Expire > lastRun) return ResourceStatus.InUse;
        if (Expire > lastRun - ResourceLifecycleJob.GracePeriod) return ResourceStatus.Expired;
        if (Expire > lastRun - ResourceLifecycleJob.GracePeriod - ResourceLifecycleJob.RetentionPeriod) return ResourceStatus.Frozen;
        return ResourceStatus.Closed;
    }
}

/// <summary>Requests the driver may send again: the same key with the same parameters, or with changed ones.</summary>
public abstract record Replayable;
public sealed record TopUpDone(MCustomer Customer, decimal Amount, string Token, string TopUpId) : Replayable;
public sealed record AdjustDone(MCustomer Customer, decimal Amount, string Reason, string Token) : Replayable;
public sealed record OrderCreated(Caller Caller, MCustomer Customer, int Months, int Count, string Token, MOrder Order) : Replayable;
public sealed record OrderPaid(MOrder Order) : Replayable;
public sealed record PartnerPaid(MPartner Partner, decimal Amount, string Token, bool Repay) : Replayable;
public sealed record ResellerFundsDone(MPartner Distributor, MPartner Reseller, decimal Amount, string Token, bool Reclaim) : Replayable;
public sealed record AllocationDone(MCustomer Customer, MPartner Partner, decimal Amount, string Token, bool Reclaim) : Replayable;

/// <summary>
/// The reference model: what the driver believes the books and the world hold, kept by rules written here, apart
/// from Core's. Ledger balances are keyed by ledger account id (platform accounts included, so every movement's two
/// sides are modelled); budgets are month-to-date spends, as Core's monthly budgets count them.
/// </summary>
public sealed class SimModel
{
    /// <summary>The list price of the one yearly/monthly product the driver buys, per month (the default catalog's).</summary>
    public const decimal MonthPrice = 7.15m;
    /// <summary>Its pay-per-use price per hour: no customer can be charged more than this for an hour of use.</summary>
    public const decimal HourPrice = 0.01439931m;

    public List<MPartner> Partners { get; } = [];
    /// <summary>A distributor and its reseller, apart from <see cref="Partners"/>: they only move money between their balances.</summary>
    public MPartner? Distributor { get; set; }
    public MPartner? Reseller { get; set; }
    public List<MCustomer> Customers { get; } = [];
    public List<MOrder> Orders { get; } = [];
    public List<MResource> Resources { get; } = [];
    public List<Replayable> Replayables { get; } = [];
    public List<MCoupon> Coupons { get; } = [];
    /// <summary>The enterprise master and member the set-up makes (see EnterpriseTransfers.cs).</summary>
    public MEnterprise? Enterprise { get; set; }
    /// <summary>Each partner's coupon quota and what the model expects is left of it.</summary>
    public Dictionary<string, (string QuotaId, decimal Left)> CouponQuotas { get; } = [];
    public Dictionary<string, decimal> Balances { get; } = new(StringComparer.Ordinal);
    /// <summary>Budget spends at list price by customer and month (give-backs would be negative).</summary>
    public Dictionary<(string Customer, DateTime Month), decimal> Spends { get; } = [];
    /// <summary>What hourly runs charged each customer for pay-per-use (list price for resale customers).</summary>
    public Dictionary<string, decimal> UsageCharged { get; } = new(StringComparer.Ordinal);

    public decimal Balance(string account) => Balances.GetValueOrDefault(account);

    public void Move(Dictionary<string, decimal> deltas)
    {
        foreach (var (account, amount) in deltas) Balances[account] = Balance(account) + amount;
    }

    public decimal? FloorOf(string account, MPartner? partner) =>
        account.StartsWith(nameof(LedgerAccountKind.CustomerCash) + ":", StringComparison.Ordinal)
        || account.StartsWith(nameof(LedgerAccountKind.CustomerCredit) + ":", StringComparison.Ordinal)
        || account.StartsWith(nameof(LedgerAccountKind.PartnerBalance) + ":", StringComparison.Ordinal) ? 0m
        : partner is not null && account == LedgerBook.PayableOf(partner.Id) ? -partner.Quota : null;

    /// <summary>A partner is overdue while a finalized bill is unpaid past its due date (15 days after the 5th).</summary>
    public static bool IsOverdue(MPartner p, DateTime now) => p.Bills.Any(b => b.Due > 0 && b.DueAt <= now);

    public static decimal AmountDue(MPartner p) => p.Bills.Sum(b => b.Due);

    /// <summary>
    /// Money reaching a partner's balance repays its unpaid bills, oldest first, as far as it goes: adds the movements to
    /// <paramref name="deltas"/> and returns what to record on each bill once the database agrees.
    /// </summary>
    public static List<(MBill Bill, decimal Amount)> Repay(MPartner p, decimal amount, Dictionary<string, decimal> deltas)
    {
        var paid = new List<(MBill, decimal)>();
        var left = amount;
        foreach (var bill in p.Bills.Where(b => b.Due > 0).OrderBy(b => b.Cycle, StringComparer.Ordinal))
        {
            var x = Math.Min(left, bill.Due);
            if (x <= 0) break;
            Add(deltas, LedgerBook.PartnerBalanceOf(p.Id), -x);
            Add(deltas, LedgerBook.PayableOf(p.Id), x);
            paid.Add((bill, x));
            left -= x;
        }
        return paid;
    }

    public decimal UsedBudget(MCustomer c, DateTime now) => Spends.GetValueOrDefault((c.Id, BudgetService.MonthStart(now)));

    public void Spend(MCustomer c, DateTime at, decimal amount)
    {
        var key = (c.Id, BudgetService.MonthStart(at));
        Spends[key] = Spends.GetValueOrDefault(key) + amount;
    }

    /// <summary>The resources in an order pending payment cannot be renewed or unsubscribed.</summary>
    public bool InUnpaidOrder(MResource r) => Orders.Any(o => o.Status == OrderStatus.PendingPayment && o.ResourceIds.Contains(r.Id));

    /// <summary>
    /// Why paying <paramref name="o"/> now is refused (an error code), or null with the ledger movements it makes,
    /// under the funding rules: a resale customer's partner pays the settlement price within its consumption quota
    /// after the list price passes the customer's budget; anyone else pays cash first, then credit.
    /// </summary>
    /// <param name="couponRefusal">Why the chosen coupons are refused (checked after the order's status and deadline, before any funding).</param>
    /// <param name="coupons">What the chosen coupons pay: a resale customer's partner pays the settlement price less it, never below 0.</param>
    /// <param name="payer">An enterprise master paying its finance-custody member's order (null: the customer pays).</param>
    public (string? Refusal, Dictionary<string, decimal> Deltas) Payment(MOrder o, DateTime now, string? couponRefusal = null, decimal coupons = 0, MCustomer? payer = null)
    {
        var deltas = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (o.Status == OrderStatus.Completed) return (null, deltas);
        if (o.Status != OrderStatus.PendingPayment) return (Errors.OrderStatusChanged().Code, deltas);
        if (now > o.Deadline) return (Errors.PaymentDeadlinePassed().Code, deltas);
        if (couponRefusal is not null) return (couponRefusal, deltas);
        var c = o.Customer;
        var revenue = LedgerBook.Platform(LedgerAccountKind.PlatformRevenue);
        if (c.Partner is { } partner)
        {
            if (partner.Id != o.FundingPartnerId) return (Errors.OrderStatusChanged().Code, deltas);
            if (IsOverdue(partner, now)) return (Errors.PartnerOverdue().Code, deltas);
            if (c.Frozen) return (Errors.CustomerFrozen().Code, deltas);
            // The China model: cash its partner allocated that covers what the order costs after coupons pays it, at the customer's price.
            var due = o.ToPay - coupons;
            o.PaidFromCash = due > 0 && Balance(LedgerBook.CashOf(c.Id)) >= due;
            if (o.PaidFromCash)
            {
                deltas[LedgerBook.CashOf(c.Id)] = -due;
                deltas[revenue] = due;
                return (null, deltas);
            }
            if (c.Budget is not { } budget || UsedBudget(c, now) + o.Official > budget) return (Errors.BudgetExceeded().Code, deltas);
            var settlement = Math.Max(0, o.Settlement - coupons);
            if (settlement == 0) return (null, deltas);
            var payable = LedgerBook.PayableOf(partner.Id);
            if (Balance(payable) - settlement < -partner.Quota) return (Errors.ConsumptionQuotaExceeded().Code, deltas);
            deltas[payable] = -settlement;
            deltas[revenue] = settlement;
            return (null, deltas);
        }
        if (coupons != 0) throw new InvalidOperationException("Only resale customers hold coupons in the simulation.");
        if (o.FundingPartnerId is not null) return (Errors.OrderStatusChanged().Code, deltas);
        if (o.ToPay == 0) return (null, deltas);
        var by = payer ?? c;
        var (cash, credit) = (Math.Max(0, Balance(LedgerBook.CashOf(by.Id))), Math.Max(0, Balance(LedgerBook.CreditOf(by.Id))));
        if (cash + credit < o.ToPay) return (Errors.InsufficientBalance().Code, deltas);
        var fromCash = Math.Min(cash, o.ToPay);
        if (fromCash > 0) deltas[LedgerBook.CashOf(by.Id)] = -fromCash;
        if (o.ToPay - fromCash > 0) deltas[LedgerBook.CreditOf(by.Id)] = -(o.ToPay - fromCash);
        deltas[revenue] = o.ToPay;
        return (null, deltas);
    }

    /// <summary>Records a payment the model predicted: the budget spend, the order, and the resources it buys or renews.</summary>
    public void Paid(MOrder o, DateTime now, Func<string> nextHandle, decimal coupons = 0, MCustomer? paidBy = null)
    {
        o.Status = OrderStatus.Completed;
        var partnerFunded = o.FundingPartnerId is not null && !o.PaidFromCash;
        if (partnerFunded) Spend(o.Customer, now, o.Official);
        var allocatedBy = o.PaidFromCash ? o.Customer.Partner : null;
        var each = Split(o.ToPay - coupons, o.ResourceIds.Count);
        for (var i = 0; i < o.ResourceIds.Count; i++)
        {
            if (o.Type == OrderType.Renewal)
            {
                var r = Resources.Single(x => x.Id == o.ResourceIds[i]);
                var from = r.Expire ?? now;
                r.Expire = from.AddMonths(o.Months);
                r.RenewedAt = now;
                r.PartnerFunded |= partnerFunded;
                r.Stretches.Add(new MStretch { Paid = each[i], Start = from, End = r.Expire.Value, PaidAt = now, PaidBy = paidBy, AllocatedBy = allocatedBy });
            }
            else
            {
                var r = new MResource
                {
                    Handle = nextHandle(), Id = o.ResourceIds[i], Customer = o.Customer, Expire = now.AddMonths(o.Months),
                    PartnerFunded = partnerFunded,
                };
                r.Stretches.Add(new MStretch { Paid = each[i], Start = now, End = r.Expire.Value, PaidAt = now, PaidBy = paidBy, AllocatedBy = allocatedBy });
                Resources.Add(r);
            }
        }
    }

    /// <summary>An amount split in equal cents, the last part taking the remainder (as fulfilment splits a line's subscriptions).</summary>
    static List<decimal> Split(decimal total, int parts)
    {
        var list = Enumerable.Range(0, parts - 1).Select(_ => Money.Round2(total / parts)).ToList();
        list.Add(total - list.Sum());
        return list;
    }

    /// <summary>
    /// What unsubscribing (or turning pay-per-use) now may refund: exactly what was paid for stretches refunded whole
    /// (within 5 days of purchase, or not started), and between nothing and what was paid for the stretch in use.
    /// </summary>
    public (decimal Min, decimal Max) RefundBounds(MResource r, DateTime now, Func<MStretch, bool>? of = null)
    {
        var purchased = r.Stretches.Min(s => s.PaidAt);
        decimal min = 0, max = 0;
        foreach (var s in r.Stretches.Where(s => !s.Refunded && s.End > now && (of?.Invoke(s) ?? true)))
        {
            max += s.Paid;
            if (now - purchased <= RefundRules.UnconditionalWindow || now <= s.Start) min += s.Paid;
        }
        return (min, max);
    }

    /// <summary>
    /// The China model for a resale customer's hourly pay-per-use charge: its allocated cash pays what the hour makes due
    /// when that covers it and the customer is not frozen (the rule its orders follow); otherwise its partner is charged.
    /// </summary>
    public static bool UsageFromCash(MCustomer c, decimal cash, decimal due) => c.Partner is not null && !c.Frozen && due > 0 && cash >= due;

    /// <summary>Moves arrears settlement the way money arriving settles them: cash first, then credit, as far as they go.</summary>
    public void SettleArrears(MCustomer c, Dictionary<string, decimal> deltas)
    {
        var arrears = LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c.Id);
        var debt = -(Balance(arrears) + deltas.GetValueOrDefault(arrears));
        if (debt <= 0) return;
        var cash = Math.Max(0, Balance(LedgerBook.CashOf(c.Id)) + deltas.GetValueOrDefault(LedgerBook.CashOf(c.Id)));
        var credit = Math.Max(0, Balance(LedgerBook.CreditOf(c.Id)) + deltas.GetValueOrDefault(LedgerBook.CreditOf(c.Id)));
        var fromCash = Math.Min(cash, debt);
        var fromCredit = Math.Min(credit, debt - fromCash);
        Add(deltas, LedgerBook.CashOf(c.Id), -fromCash);
        Add(deltas, LedgerBook.CreditOf(c.Id), -fromCredit);
        Add(deltas, arrears, fromCash + fromCredit);
    }

    public static void Add(Dictionary<string, decimal> deltas, string account, decimal amount)
    {
        if (amount == 0) return;
        deltas[account] = deltas.GetValueOrDefault(account) + amount;
    }
}
