using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

public static class RevenueActions
{
    /// <summary>Revenue is read from the customers' bills, so it needs what reading them needs.</summary>
    public const string View = CustomerBillActions.View;
    public const string SetGoal = "bss:partner:setRevenueGoal";
    public const string Settle = "bss:partner:settleIncentives";
}

/// <summary>
/// One trade of one customer in the month: an order (or a refund of one) or the month's pay-per-use. For a resale
/// customer <see cref="Price"/> is what the customer was charged at its price, <see cref="Settlement"/> what the
/// platform charged the partner for it and <see cref="Revenue"/> the difference; for a referral customer the customer
/// paid the platform, and the partner earns <see cref="Incentive"/> on its consumption.
/// </summary>
public sealed record RevenueLine(string CustomerId, bool Resale, string TradeId, int BillType, DateTime TradeTime, decimal Price, decimal Settlement,
    decimal Revenue, decimal Incentive);

/// <summary>One customer's month: the sums of its lines.</summary>
public sealed record RevenueCustomer(string CustomerId, string CustomerName, bool Resale, decimal Price, decimal Settlement, decimal Revenue, decimal Incentive)
{
    public decimal Earnings => Revenue + Incentive;
}

/// <summary>The month's totals: resale customers' price, settlement and revenue; referral customers' consumption and incentive.</summary>
public sealed record RevenueTotals(decimal ResalePrice, decimal Settlement, decimal Revenue, decimal ReferralConsumption, decimal Incentive)
{
    public static readonly RevenueTotals Zero = new(0, 0, 0, 0, 0);

    /// <summary>What the partner earned in the month: the resale margin and the referral incentive.</summary>
    public decimal Earnings => Revenue + Incentive;

    public static RevenueTotals Of(IEnumerable<RevenueLine> lines)
    {
        var t = Zero;
        foreach (var l in lines)
            t = l.Resale
                ? t with { ResalePrice = t.ResalePrice + l.Price, Settlement = t.Settlement + l.Settlement, Revenue = t.Revenue + l.Revenue }
                : t with { ReferralConsumption = t.ReferralConsumption + l.Price, Incentive = t.Incentive + l.Incentive };
        return t;
    }
}

/// <summary>A partner's revenue statement of one month (Beijing time), line by line, per customer (largest earnings first) and in total.</summary>
public sealed record RevenueStatement(BillCycle Cycle, bool Closed, string PartnerAccountId, string PartnerId, string PartnerName, PartnerProgram Program,
    decimal? DefaultIncentiveRate, IReadOnlyList<RevenueLine> Lines, IReadOnlyList<RevenueCustomer> Customers, RevenueTotals Totals);

/// <summary>The partner's goal for a year and how far its earnings of the year's months so far have come.</summary>
public sealed record RevenueGoalProgress(int Year, decimal? Goal, decimal Achieved, decimal? Percent, DateTime? UpdatedAt);

/// <summary>
/// A partner's revenue and incentives, read from its customers' charges (<see cref="CustomerBillService"/>, so the
/// figures are the bills' to the cent): a resale customer's trades at the customer's price against the settlement
/// price, a referral customer's consumption with the incentive at the rate in force for the partner's program
/// (<see cref="IncentiveRates"/>). Nothing is stored but the partner's annual goal.
/// </summary>
public sealed class RevenueService(AppDbContext db, PartnerScope scope, CustomerBillService bills, IncentiveRates rates, TimeProvider clock)
{
    public const decimal MaxGoal = 1_000_000_000_000m;

    /// <summary>"YYYY-MM", not after the current month; the current month's statement is the month so far.</summary>
    public BillCycle ParseMonth(string? month, string field = "month")
    {
        if (!BillCycle.TryParse(month, out var cycle)) throw Check.Invalid($"{field} is a month as YYYY-MM.");
        if (cycle > Current) throw Check.Invalid($"{field} {cycle} is in the future.");
        if (cycle.Year < 2000) throw Check.Invalid($"{field} is after 2000-01.");
        return cycle;
    }

    public BillCycle Current => BillCycle.Containing(clock.GetUtcNow().UtcDateTime);

    /// <param name="indirectPartnerId">A distributor's reseller (its partner id): the reseller's statement, as the distributor's other views of a reseller (CBC.99000037 for anyone else's).</param>
    public async Task<RevenueStatement> StatementAsync(Caller caller, string? month, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        var cycle = ParseMonth(month);
        var partner = await scope.ActingPartnerAsync(caller, RevenueActions.View, indirectPartnerId, PartnerNeed.Customers, ct);
        return await StatementOfAsync(partner, cycle, ct);
    }

    /// <summary>The statements of the <paramref name="months"/> months up to the current one, oldest first (the dashboard).</summary>
    public async Task<IReadOnlyList<RevenueStatement>> RecentAsync(Caller caller, int months, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        var partner = await scope.ActingPartnerAsync(caller, RevenueActions.View, indirectPartnerId, PartnerNeed.Customers, ct);
        var cycle = Current;
        var cycles = new List<BillCycle>();
        for (var i = 0; i < months; i++, cycle = cycle.Previous) cycles.Insert(0, cycle);
        var statements = new List<RevenueStatement>();
        foreach (var c in cycles) statements.Add(await StatementOfAsync(partner, c, ct));
        return statements;
    }

    /// <summary>
    /// The statements read in this scope (one request): a page showing the months and the goal reads each month once.
    /// </summary>
    readonly Dictionary<(string Partner, BillCycle Cycle), RevenueStatement> read = [];

    internal async Task<RevenueStatement> StatementOfAsync(Partner partner, BillCycle cycle, CancellationToken ct)
    {
        if (read.TryGetValue((partner.AccountId, cycle), out var known)) return known;
        return read[(partner.AccountId, cycle)] = await ReadStatementAsync(partner, cycle, ct);
    }

    async Task<RevenueStatement> ReadStatementAsync(Partner partner, BillCycle cycle, CancellationToken ct)
    {
        var charges = await bills.PartnerCustomersChargesAsync(partner, cycle, ct);
        var inForce = await rates.InForceAsync(partner.Program, cycle, ct);
        var lines = charges.SelectMany(c => LinesOf(c, inForce)).ToList();
        var partnerName = await db.Accounts.AsNoTracking().Where(a => a.Id == partner.AccountId).Select(a => a.Name).SingleAsync(ct);
        var labels = await BillLabels.LoadAsync(db, lines.Select(l => l.CustomerId), [], [], ct);
        var customers = lines.GroupBy(l => l.CustomerId).Select(g =>
            {
                var t = RevenueTotals.Of(g);
                var resale = g.First().Resale;
                return new RevenueCustomer(g.Key, labels.Account(g.Key), resale, resale ? t.ResalePrice : t.ReferralConsumption, t.Settlement, t.Revenue, t.Incentive);
            })
            .OrderByDescending(c => c.Earnings).ThenBy(c => c.CustomerId, StringComparer.Ordinal).ToList();
        return new RevenueStatement(cycle, cycle < Current, partner.AccountId, partner.PartnerId, partnerName, partner.Program, inForce.Default?.Rate, lines, customers,
            RevenueTotals.Of(lines));
    }

    /// <summary>
    /// A customer's month as lines, one per trade (an order, a refund, the month's pay-per-use). The incentive is rounded
    /// once per line (<see cref="Money.Round2"/>), so the statement's total is the sum of what its lines show.
    /// </summary>
    public static IEnumerable<RevenueLine> LinesOf(CycleCharges charges, RatesInForce inForce) => charges.Records
        .GroupBy(r => (r.TradeId, r.BillType))
        .Select(g =>
        {
            var price = g.Sum(r => r.Amount);
            if (charges.Resale)
            {
                var settlement = g.Sum(r => r.Settlement);
                return new RevenueLine(charges.CustomerId, true, g.Key.TradeId, g.Key.BillType, g.Min(r => r.TradeTime), price, settlement, price - settlement, 0m);
            }
            var incentive = Money.Round2(g.Sum(r => r.Amount * inForce.RateFor(r.ServiceTypeCode)));
            return new RevenueLine(charges.CustomerId, false, g.Key.TradeId, g.Key.BillType, g.Min(r => r.TradeTime), price, 0m, 0m, incentive);
        })
        .Where(l => l.Price != 0 || l.Settlement != 0)
        .OrderBy(l => l.TradeTime).ThenBy(l => l.TradeId, StringComparer.Ordinal).ThenBy(l => l.BillType);

    public async Task<RevenueGoalProgress> GoalAsync(Caller caller, int? year, CancellationToken ct = default, string? indirectPartnerId = null)
    {
        var partner = await scope.ActingPartnerAsync(caller, RevenueActions.View, indirectPartnerId, PartnerNeed.Customers, ct);
        var y = CheckYear(year);
        var goal = await db.RevenueGoals.AsNoTracking().SingleOrDefaultAsync(g => g.PartnerAccountId == partner.AccountId && g.Year == y, ct);
        // The year's months so far (all twelve of a past year; none of a future one).
        var achieved = 0m;
        for (var cycle = new BillCycle(y, 1); cycle.Year == y && cycle <= Current; cycle = cycle.Next)
            achieved += (await StatementOfAsync(partner, cycle, ct)).Totals.Earnings;
        decimal? percent = goal is { Amount: > 0 } ? Math.Round(achieved * 100 / goal.Amount, 1, MidpointRounding.AwayFromZero) : null;
        return new RevenueGoalProgress(y, goal?.Amount, achieved, percent, goal?.UpdatedAt);
    }

    /// <summary>Sets (or changes) the partner's goal for a year; the partner is told in the same transaction.</summary>
    public async Task<RevenueGoalProgress> SetGoalAsync(Caller caller, int? year, decimal? amount, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, RevenueActions.SetGoal, null, PartnerNeed.Customers, ct);
        var y = CheckYear(year);
        if (y < Current.Year) throw Check.Invalid($"year {y} is over; set a goal for {Current.Year} or later.");
        var value = amount ?? throw Check.Invalid("amount is required.");
        if (value <= 0 || value > MaxGoal || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"amount is more than 0 and at most {MaxGoal:0} with at most 2 decimals.");
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            await SaveGoalAsync(caller, partner, y, value, now, ct);
        }
        catch (DbUpdateException)
        {
            // Two first settings of the same year raced on the key: the loser saves again over the winner's row.
            db.ChangeTracker.Clear();
            await SaveGoalAsync(caller, partner, y, value, now, ct);
        }
        return await GoalAsync(caller, y, ct);
    }

    async Task SaveGoalAsync(Caller caller, Partner partner, int y, decimal value, DateTime now, CancellationToken ct)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var goal = await db.RevenueGoals.SingleOrDefaultAsync(g => g.PartnerAccountId == partner.AccountId && g.Year == y, ct);
            if (goal is null) db.RevenueGoals.Add(goal = new RevenueGoal { PartnerAccountId = partner.AccountId, Year = y });
            (goal.Amount, goal.UpdatedAt) = (value, now);
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = partner.AccountId, CustomerAccountId = partner.AccountId, Kind = "revenue.goal", CreatedAt = now,
                Message = $"Your revenue goal for {y} is {value.ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture)} USD (set by {caller.UserName}).",
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    int CheckYear(int? year)
    {
        var y = year ?? Current.Year;
        return y < 2000 || y > Current.Year + 5 ? throw Check.Invalid($"year is 2000 to {Current.Year + 5}.") : y;
    }
}
