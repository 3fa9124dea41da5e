using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>Huawei's resource fee record types (MonthlyBillRes bill_type) this product produces.</summary>
public static class BillTypes
{
    public const int NewPurchase = 1;
    public const int Renewal = 2;
    public const int Change = 3;
    public const int UnsubscribeRefund = 4;
    public const int Usage = 5;
    public const int AutoRenewal = 8;
    public const int ToOnDemandRefund = 24;

    public static readonly int[] All = [NewPurchase, Renewal, Change, UnsubscribeRefund, Usage, AutoRenewal, ToOnDemandRefund];

    public static bool IsRefund(int billType) => billType is UnsubscribeRefund or ToOnDemandRefund;

    /// <summary>The record type of a completed order (null: not a money order, e.g. a pay-per-use order of 0).</summary>
    public static int? OfOrder(int orderType, int sourceType) => orderType switch
    {
        OrderType.NewPurchase => NewPurchase,
        OrderType.Renewal => sourceType == OrderSource.System ? AutoRenewal : Renewal,
        OrderType.Change => Change,
        OrderType.Unsubscribe => UnsubscribeRefund,
        OrderType.ToOnDemand => ToOnDemandRefund,
        _ => null,
    };
}

/// <summary>
/// One resource's charge of one kind in a cycle: an order line (yearly/monthly, signed: a refund is negative) or a
/// resource's pay-per-use of one usage factor over the cycle. <see cref="Amount"/> is what was charged at 2 decimals
/// (= <see cref="Official"/> − <see cref="Discount"/> − <see cref="Truncated"/>); the customer's price (a resale
/// customer's is the list price, so its discount is 0). <see cref="Settlement"/> is what the resale partner was charged.
/// </summary>
public sealed record ResourceCharge(
    string CustomerId, int BillType, int ChargingMode, string ServiceTypeCode, string ResourceTypeCode, string Region, string ResourceId,
    string SpecId, string TradeId, DateTime TradeTime, string? UsageFactor, decimal Usage, int UsageMeasureId, decimal FreeUsage,
    decimal Official, decimal Discount, decimal Truncated, decimal Amount, decimal Settlement, int? PeriodType, int? PeriodNum);

/// <summary>How the cycle's charges were paid, from the ledger: the customer's cash, credit and arrears (debt), net of refunds.</summary>
public sealed record CyclePayments(decimal Cash, decimal Credit, decimal Debt);

/// <summary>Everything one customer was charged in one cycle, per resource, and how it was paid.</summary>
public sealed record CycleCharges(string CustomerId, BillCycle Cycle, bool Resale, IReadOnlyList<ResourceCharge> Records, CyclePayments Payments)
{
    public decimal Total => Records.Sum(r => r.Amount);
    public decimal SettlementTotal => Records.Sum(r => r.Settlement);
}

/// <summary>
/// Reads what one customer was charged in one bill cycle, from what is recorded and nothing else (no bill table):
/// <list type="bullet">
/// <item>orders completed in the cycle (new purchases, renewals, unsubscribe and switch-to-pay-per-use refunds), line by
/// line, the order's amount split over its lines by their list price;</item>
/// <item>pay-per-use: the fee records rated by the cycle's hourly runs, summed per resource and usage factor in SQL, and
/// the cycle's 2-decimal charges read from the ledger (a resale customer's list amount from its budget spends, the
/// partner's settlement amount from its payable, or an hour its allocated cash paid from the cash and
/// <see cref="Usage.AllocatedUsageCharge"/>): the sub-cent remainders the hourly runs carried are the records'
/// truncated amounts, so a record is what was charged and the cycle adds up to the ledger to the cent.</item>
/// </list>
/// The 2-decimal amounts are split over records with <see cref="Apportion"/>, so records always add up to the charge.
/// </summary>
public sealed class CycleChargeReader(AppDbContext db)
{
    const int Chunk = 500;

    public async Task<CycleCharges> ReadAsync(string customer, BillCycle cycle, bool resale, CancellationToken ct = default) =>
        (await ReadManyAsync([(customer, resale)], cycle, ct))[0];

    /// <summary>
    /// What each of <paramref name="customers"/> was charged in the cycle, in their order: a fixed number of statements
    /// per 500 customers (and per 500 orders), whatever their number, so a page over many customers reads no more often
    /// than a page over one.
    /// </summary>
    public async Task<IReadOnlyList<CycleCharges>> ReadManyAsync(IReadOnlyList<(string Customer, bool Resale)> customers, BillCycle cycle, CancellationToken ct = default)
    {
        var charges = new List<CycleCharges>();
        foreach (var chunk in customers.Chunk(Chunk))
        {
            var ids = chunk.Select(c => c.Customer).Distinct().ToList();
            var records = ids.ToDictionary(c => c, _ => new List<ResourceCharge>());
            var entryIds = new List<string>();
            var paidFor = new Dictionary<string, (string Customer, string Payer)>();
            await ReadOrdersAsync(ids, cycle.StartUtc, cycle.EndUtc, records, entryIds, ct, paidFor);
            await ReadUsageAsync(chunk.Where(c => c.Resale).Select(c => c.Customer).ToHashSet(), ids, cycle, records, ct);
            var payments = await PaymentsAsync(ids, entryIds, paidFor, cycle, ct);
            charges.AddRange(chunk.Select(c => new CycleCharges(c.Customer, cycle, c.Resale, records[c.Customer], payments[c.Customer])));
        }
        return charges;
    }

    /// <summary>The order records (yearly/monthly purchases, renewals, changes and refunds) of the orders paid in [start, end).</summary>
    public async Task<List<ResourceCharge>> ReadOrdersAsync(string customer, DateTime start, DateTime end, CancellationToken ct = default)
    {
        var records = new Dictionary<string, List<ResourceCharge>> { [customer] = [] };
        await ReadOrdersAsync([customer], start, end, records, [], ct);
        return records[customer];
    }

    /// <param name="paidFor">Filled with the entries of orders an enterprise master paid for its member (and their refunds), and whose they are.</param>
    async Task ReadOrdersAsync(List<string> customers, DateTime start, DateTime end, Dictionary<string, List<ResourceCharge>> records, List<string> entryIds, CancellationToken ct,
        Dictionary<string, (string Customer, string Payer)>? paidFor = null)
    {
        var orders = await db.Orders.AsNoTracking()
            .Where(o => customers.Contains(o.CustomerAccountId) && o.Status == OrderStatus.Completed && o.PaidAt >= start && o.PaidAt < end && o.OfficialAmount != 0)
            .Select(o => new { o.Id, o.CustomerAccountId, o.OrderType, o.SourceType, o.OfficialAmount, o.AmountAfterDiscount, o.SettlementAmount, o.FundingPartnerAccountId, o.PaidByAccountId, PaidAt = o.PaidAt!.Value })
            .OrderBy(o => o.PaidAt).ThenBy(o => o.Id).ToListAsync(ct);
        foreach (var chunk in orders.Chunk(Chunk))
        {
            var ids = chunk.Select(o => o.Id).ToList();
            var lines = (await db.OrderLines.AsNoTracking().Where(l => ids.Contains(l.OrderId)).ToListAsync(ct))
                .OrderBy(l => l.Id, StringComparer.Ordinal).ToLookup(l => l.OrderId);
            foreach (var o in chunk)
            {
                if (BillTypes.OfOrder(o.OrderType, o.SourceType) is not { } billType) continue;
                var refund = BillTypes.IsRefund(billType);
                var sign = refund ? -1 : 1;
                entryIds.Add(refund ? $"refund:{o.Id}" : $"order:{o.Id}");
                if (o.PaidByAccountId is { } payer && paidFor is not null) paidFor[entryIds[^1]] = (o.CustomerAccountId, payer);
                var own = lines[o.Id].ToList();
                if (own.Count == 0) continue;
                // A resale customer's orders are spent from its budget at list price; anyone else pays after discount.
                // A refund order's amounts are already what went back to the customer.
                var paid = refund || o.FundingPartnerAccountId is null ? o.AmountAfterDiscount : o.OfficialAmount;
                var weights = own.Select(l => l.OfficialAmount).ToList();
                var amounts = Apportion.Split(paid, weights);
                var settlements = refund ? Apportion.Split(o.SettlementAmount, weights) : own.Select(l => l.SettlementAmount).ToList();
                for (var i = 0; i < own.Count; i++)
                {
                    var l = own[i];
                    var official = refund ? amounts[i] : l.OfficialAmount;
                    records[o.CustomerAccountId].Add(new ResourceCharge(o.CustomerAccountId, billType, ChargeMode.Period, l.CloudServiceType, l.ResourceType, l.Region, l.ResourceId, l.SpecId,
                        o.Id, o.PaidAt, null, l.SubscriptionNum, 0, 0, sign * official, sign * (official - amounts[i]), 0, sign * amounts[i],
                        sign * settlements[i], l.PeriodType, l.PeriodNum));
                }
            }
        }
    }

    /// <summary>
    /// The journal entry (and budget spend) ids of the hourly charges whose runs fall in the cycle: a run at period P
    /// books <c>usage:{customer}:{P:yyyyMMddHH}</c> for the hour before P, so the cycle's runs are those with
    /// start &lt; P ≤ end, a range of the primary key per customer.
    /// </summary>
    static (string After, string UpTo) UsageEntryRange(string customer, BillCycle cycle) =>
        ($"usage:{customer}:{cycle.StartUtc:yyyyMMddHH}", $"usage:{customer}:{cycle.EndUtc:yyyyMMddHH}");

    /// <summary>
    /// <c>x => after₁ &lt; key(x) ≤ upTo₁ OR …</c> over the customers' usage entry ranges; the ORs are nested as a balanced
    /// tree, so 500 customers make an expression 10 deep (SQLite refuses expressions over 1,000 deep).
    /// </summary>
    static Expression<Func<T, bool>> InUsageRanges<T>(Expression<Func<T, string>> key, IEnumerable<string> customers, BillCycle cycle)
    {
        var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
        var zero = Expression.Constant(0);
        var terms = customers.Select(c => UsageEntryRange(c, cycle)).Select(r => (Expression)Expression.AndAlso(
            Expression.GreaterThan(Expression.Call(compare, key.Body, Expression.Constant(r.After)), zero),
            Expression.LessThanOrEqual(Expression.Call(compare, key.Body, Expression.Constant(r.UpTo)), zero))).ToList();
        Expression Or(int from, int count) => count == 1 ? terms[from] : Expression.OrElse(Or(from, count / 2), Or(from + count / 2, count - count / 2));
        return Expression.Lambda<Func<T, bool>>(terms.Count == 0 ? Expression.Constant(false) : Or(0, terms.Count), key.Parameters);
    }

    async Task ReadUsageAsync(HashSet<string> resale, List<string> customers, BillCycle cycle, Dictionary<string, List<ResourceCharge>> records, CancellationToken ct)
    {
        var (start, end) = (cycle.StartUtc, cycle.EndUtc);
        // One sum per customer, resource and factor however many hours it was rated: on PostgreSQL summed over the unnested
        // fees in SQL (expanding them in .NET costs several times more), elsewhere as the customer-hour rows stream.
        var all = db.Database.IsNpgsql() ? await UsageSumsInSqlAsync(customers, start, end, ct) : await UsageSumsAsync(customers, start, end, ct);
        if (all.Count == 0) return;
        var charged = await UsageChargedAsync(all.Select(s => s.CustomerAccountId).Distinct().ToList(), cycle, ct);
        foreach (var byCustomer in all.GroupBy(s => s.CustomerAccountId))
        {
            var customer = byCustomer.Key;
            var isResale = resale.Contains(customer);
            var sums = byCustomer.OrderBy(s => s.ResourceId, StringComparer.Ordinal).ThenBy(s => s.UsageFactor, StringComparer.Ordinal).ToList();
            var (customerCharged, settlementCharged, allocatedDiscount) = charged.GetValueOrDefault(customer);
            var amounts = Apportion.Split(customerCharged, sums.Select(s => isResale ? s.Official : s.Amount).ToList());
            var settlements = Apportion.Split(settlementCharged, sums.Select(s => s.Settlement).ToList());
            // A resale customer pays list price through its budget, but its own price for hours its allocated cash paid.
            var discounts = Apportion.Split(allocatedDiscount, sums.Select(s => s.Official - s.Amount).ToList());
            for (var i = 0; i < sums.Count; i++)
            {
                var s = sums[i];
                var discount = isResale ? discounts[i] : s.Official - s.Amount;
                records[customer].Add(new ResourceCharge(customer, BillTypes.Usage, ChargeMode.OnDemand, s.ServiceTypeCode, s.ResourceTypeCode, s.Region, s.ResourceId, s.SpecId,
                    $"{customer}:{cycle}", s.Last.AddHours(-1), s.UsageFactor, s.Usage, s.UsageMeasureId, s.Free, s.Official, discount,
                    s.Official - discount - amounts[i], amounts[i], settlements[i], null, null));
            }
        }
    }

    sealed class UsageSum
    {
        public required string CustomerAccountId { get; init; }
        public required string ResourceId { get; init; }
        public required string UsageFactor { get; init; }
        public required string ServiceTypeCode { get; init; }
        public required string ResourceTypeCode { get; init; }
        public required string Region { get; init; }
        public required string SpecId { get; init; }
        public int UsageMeasureId { get; init; }
        public decimal Usage { get; init; }
        public decimal Free { get; init; }
        public decimal Official { get; init; }
        public decimal Amount { get; init; }
        public decimal Settlement { get; init; }
        public DateTime Last { get; init; }
    }

    async Task<List<UsageSum>> UsageSumsAsync(List<string> customers, DateTime start, DateTime end, CancellationToken ct)
    {
        var byResource = new Dictionary<(string Customer, string ResourceId, string UsageFactor, string ServiceTypeCode, string ResourceTypeCode, string Region, string SpecId, int UsageMeasureId),
            (decimal Usage, decimal Free, decimal Official, decimal Amount, decimal Settlement, DateTime Last)>();
        await foreach (var f in Usage.UsageFees.ReadAsync(db, Usage.UsageFees.InCycle(db, customers, start, end), customers, ct).WithCancellation(ct))
        {
            var key = (f.CustomerAccountId, f.ResourceId, f.UsageFactor, f.ServiceTypeCode, f.ResourceTypeCode, f.Region, f.SpecId, f.UsageMeasureId);
            var s = byResource.GetValueOrDefault(key);
            byResource[key] = (s.Usage + f.UsageValue, s.Free + f.FreeResourceUsed, s.Official + f.OfficialAmount, s.Amount + f.Amount,
                s.Settlement + f.SettlementAmount, f.RatingPeriod > s.Last ? f.RatingPeriod : s.Last);
        }
        return byResource.Select(r => new UsageSum
        {
            CustomerAccountId = r.Key.Customer, ResourceId = r.Key.ResourceId, UsageFactor = r.Key.UsageFactor, ServiceTypeCode = r.Key.ServiceTypeCode,
            ResourceTypeCode = r.Key.ResourceTypeCode, Region = r.Key.Region, SpecId = r.Key.SpecId, UsageMeasureId = r.Key.UsageMeasureId, Usage = r.Value.Usage,
            Free = r.Value.Free, Official = r.Value.Official, Amount = r.Value.Amount, Settlement = r.Value.Settlement, Last = r.Value.Last,
        }).ToList();
    }

    /// <summary>A <see cref="UsageSum"/> as PostgreSQL sums it, amounts in 10⁻⁸ units.</summary>
    sealed class UsageUnits
    {
        public required string CustomerAccountId { get; init; }
        public required string ResourceId { get; init; }
        public required string UsageFactor { get; init; }
        public required string ServiceTypeCode { get; init; }
        public required string ResourceTypeCode { get; init; }
        public required string Region { get; init; }
        public required string SpecId { get; init; }
        public int UsageMeasureId { get; init; }
        public long Usage { get; init; }
        public long Free { get; init; }
        public long Official { get; init; }
        public long Amount { get; init; }
        public long Settlement { get; init; }
        public DateTime Last { get; init; }
    }

    /// <summary>The same sums in one PostgreSQL statement: the key's range of each customer's rows, each row's fees unnested.</summary>
    async Task<List<UsageSum>> UsageSumsInSqlAsync(List<string> customers, DateTime start, DateTime end, CancellationToken ct)
    {
        var ids = customers.ToArray();
        var rows = await db.Database.SqlQuery<UsageUnits>($"""
            SELECT h."CustomerAccountId", f.resource AS "ResourceId", f.factor AS "UsageFactor", s."ServiceTypeCode", s."ResourceTypeCode", s."Region", f.spec AS "SpecId",
                   f.measure AS "UsageMeasureId", sum(f.usage)::bigint AS "Usage", sum(f.free)::bigint AS "Free", sum(f.official)::bigint AS "Official",
                   sum(f.amount)::bigint AS "Amount", sum(f.settlement)::bigint AS "Settlement", max(h."RatingPeriod") AS "Last"
            FROM usage_fee_hours h
            CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors", h."UsageValues", h."UsageMeasureIds", h."FreeResourceUsed",
                                      h."OfficialAmounts", h."Amounts", h."SettlementAmounts") AS f(resource, spec, factor, usage, measure, free, official, amount, settlement)
            JOIN catalog_resource_specs s ON s."Id" = f.spec
            WHERE h."CustomerAccountId" = ANY({ids}) AND h."Hour" < {end} AND h."RatingPeriod" > {start} AND h."RatingPeriod" <= {end}
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """).ToListAsync(ct);
        static decimal D(long units) => units / Money.PreciseUnitsPerUnit;
        return rows.Select(r => new UsageSum
        {
            CustomerAccountId = r.CustomerAccountId, ResourceId = r.ResourceId, UsageFactor = r.UsageFactor, ServiceTypeCode = r.ServiceTypeCode, ResourceTypeCode = r.ResourceTypeCode, Region = r.Region,
            SpecId = r.SpecId, UsageMeasureId = r.UsageMeasureId, Usage = D(r.Usage), Free = D(r.Free), Official = D(r.Official), Amount = D(r.Amount),
            Settlement = D(r.Settlement), Last = r.Last,
        }).ToList();
    }

    /// <summary>
    /// What the cycle's hourly runs charged for each customer's usage, at 2 decimals: at the customer's price (its own
    /// accounts in the ledger, or a resale customer's list price spent from its budget) and at settlement price (its
    /// partner's payable, or the share an hour paid from allocated cash carries); and the discount of the hours a resale
    /// customer's allocated cash paid at its own price (list less paid). An hourly charge's postings reference their customer.
    /// </summary>
    async Task<Dictionary<string, (decimal Customer, decimal Settlement, decimal AllocatedDiscount)>> UsageChargedAsync(List<string> customers, BillCycle cycle,
        CancellationToken ct)
    {
        var allocated = await db.AllocatedUsageCharges.AsNoTracking().Where(InUsageRanges<Usage.AllocatedUsageCharge>(a => a.EntryId, customers, cycle))
            .GroupBy(a => a.CustomerAccountId).Select(g => new { g.Key, Settlement = g.Sum(a => a.SettlementAmount), Discount = g.Sum(a => a.ListAmount - a.Amount) })
            .ToDictionaryAsync(x => x.Key, ct);
        var postings = await db.Postings.AsNoTracking().Where(InUsageRanges<Posting>(p => p.EntryId, customers, cycle)).Where(p => p.Amount < 0)
            .GroupBy(p => new { p.Reference, p.AccountId }).Select(g => new { g.Key.Reference, g.Key.AccountId, Sum = g.Sum(p => p.Amount) }).ToListAsync(ct);
        var spent = await db.BudgetSpends.AsNoTracking().Where(InUsageRanges<BudgetSpend>(s => s.IdempotencyKey, customers, cycle))
            .GroupBy(s => s.CustomerAccountId).Select(g => new { g.Key, Sum = g.Sum(s => s.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        return customers.ToDictionary(c => c, c =>
        {
            var own = new[] { LedgerBook.CashOf(c), LedgerBook.CreditOf(c), LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c) };
            var mine = postings.Where(p => p.Reference == c).ToList();
            var byCustomer = -mine.Where(p => own.Contains(p.AccountId)).Sum(p => p.Sum);
            var byPartner = -mine.Where(p => p.AccountId.StartsWith(LedgerAccountKind.PartnerPayable + ":", StringComparison.Ordinal)).Sum(p => p.Sum);
            var fromCash = allocated.GetValueOrDefault(c);
            return (byCustomer + spent.GetValueOrDefault(c), byPartner + (fromCash?.Settlement ?? 0), fromCash?.Discount ?? 0);
        });
    }

    /// <summary>
    /// Each customer's own accounts' side of the cycle's order, refund and usage entries: what its cash, credit and arrears
    /// paid; for an order its enterprise master paid (<paramref name="paidFor"/>), the master's cash and credit side, as the
    /// customer's cash and credit (its order was paid in cash, by its master).
    /// </summary>
    async Task<Dictionary<string, CyclePayments>> PaymentsAsync(List<string> customers, List<string> entryIds, Dictionary<string, (string Customer, string Payer)> paidFor,
        BillCycle cycle, CancellationToken ct)
    {
        // Every own account of the customers, and whose it is.
        var owners = customers.SelectMany(c => new[] { (LedgerBook.CashOf(c), c), (LedgerBook.CreditOf(c), c), (LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c), c) })
            .ToDictionary(x => x.Item1, x => x.c);
        var own = owners.Keys.ToList();
        var sums = new Dictionary<string, decimal>();
        void Add(string account, decimal amount) => sums[account] = sums.GetValueOrDefault(account) + amount;
        foreach (var chunk in entryIds.Where(id => !paidFor.ContainsKey(id)).Chunk(Chunk))
        {
            var ids = chunk.ToList();
            foreach (var row in await db.Postings.AsNoTracking().Where(p => ids.Contains(p.EntryId) && own.Contains(p.AccountId))
                         .GroupBy(p => p.AccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToListAsync(ct))
                Add(row.Key, row.Sum);
        }
        var (byMasterCash, byMasterCredit) = (new Dictionary<string, decimal>(), new Dictionary<string, decimal>());
        foreach (var chunk in paidFor.Keys.Chunk(Chunk))
        {
            var ids = chunk.ToList();
            foreach (var row in await db.Postings.AsNoTracking().Where(p => ids.Contains(p.EntryId))
                         .GroupBy(p => new { p.EntryId, p.AccountId }).Select(g => new { g.Key.EntryId, g.Key.AccountId, Sum = g.Sum(p => p.Amount) }).ToListAsync(ct))
            {
                var (customer, payer) = paidFor[row.EntryId];
                if (row.AccountId == LedgerBook.CashOf(payer)) byMasterCash[customer] = byMasterCash.GetValueOrDefault(customer) + row.Sum;
                else if (row.AccountId == LedgerBook.CreditOf(payer)) byMasterCredit[customer] = byMasterCredit.GetValueOrDefault(customer) + row.Sum;
            }
        }
        foreach (var row in await db.Postings.AsNoTracking().Where(InUsageRanges<Posting>(p => p.EntryId, customers, cycle)).Where(p => own.Contains(p.AccountId))
                     .GroupBy(p => p.AccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToListAsync(ct))
            Add(row.Key, row.Sum);
        return customers.ToDictionary(c => c, c => new CyclePayments(-sums.GetValueOrDefault(LedgerBook.CashOf(c)) - byMasterCash.GetValueOrDefault(c),
            -sums.GetValueOrDefault(LedgerBook.CreditOf(c)) - byMasterCredit.GetValueOrDefault(c), -sums.GetValueOrDefault(LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c))));
    }
}

/// <summary>
/// Splits a 2-decimal amount over weights so that the parts add up to it exactly: each part is its share truncated to
/// the cent, and the cents left over go one by one to the largest remainders (ties to the earlier weight). Used
/// wherever a charge made at 2 decimals is shown over several records.
/// </summary>
public static class Apportion
{
    public static List<decimal> Split(decimal total, IReadOnlyList<decimal> weights)
    {
        var n = weights.Count;
        if (n == 0) return [];
        var sum = weights.Sum();
        // Without weights to go by (nothing rated, or rated at 0), the whole amount is the first record's.
        if (sum == 0) return weights.Select((_, i) => i == 0 ? total : 0m).ToList();
        var exact = weights.Select(w => total * w / sum).ToList();
        var parts = exact.Select(x => Math.Truncate(x * 100) / 100).ToList();
        var left = (int)Math.Round((total - parts.Sum()) * 100);
        // Leftover cents go to weighted records only, so a record of weight 0 (usage a free package covered) stays at 0.
        var order = Enumerable.Range(0, n).Where(i => weights[i] != 0).OrderByDescending(i => Math.Abs(exact[i] - parts[i])).ThenBy(i => i).ToList();
        var step = left >= 0 ? 0.01m : -0.01m;
        for (var k = 0; k < Math.Abs(left); k++) parts[order[k % order.Count]] += step;
        return parts;
    }
}
