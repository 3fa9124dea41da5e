using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.PartnerAccounts;

public sealed record PartnerChangeFilter(string? BalanceType, string? TradeType, string? TradeTimeBegin, string? TradeTimeEnd, int? Offset, int? Limit, string? IndirectPartnerId);

/// <summary>
/// One movement of a partner's cash (its balance) or credit (its payable): <see cref="Amount"/> is positive and
/// <see cref="Income"/> says which way; <see cref="BalanceAfter"/> is the account's balance once it had moved.
/// <see cref="CustomerId"/> is the customer or reseller of an allocation, a reclaim or an unbinding.
/// </summary>
public sealed record PartnerAccountChange(long Id, string DetailType, DateTime TradeTime, string TradeId, decimal Amount, bool Income, decimal BalanceAfter,
    string? CustomerId, string? AccountName);

/// <summary>
/// ListPartnerAccountChangeRecords, read from the partner's ledger accounts: BALANCE_TYPE_DEBIT its balance (top-ups and
/// bank transfers RECHARGE, bills paid from it DEDEUCT, credit bills REFUND, allocations BEADJUST / BERETRIEVE /
/// BEUNBIND), BALANCE_TYPE_CREDIT its payable (its customers' consumption DEDEUCT, refunds REFUND, repayments RECHARGE,
/// the operator's corrections ADJUST). Huawei's spellings, typos included, since clients match them.
/// </summary>
public sealed class PartnerAccountChanges(AppDbContext db, PartnerScope scope, TimeProvider clock)
{
    public const string Debit = "BALANCE_TYPE_DEBIT", Credit = "BALANCE_TYPE_CREDIT";
    public const int MaxLimit = 100;

    /// <summary>The documented trade types; those no movement here has (RFROZEN, TRANS, BONUSCONVERT, TRADE_MODE_TRANSFER) answer nothing.</summary>
    public static readonly string[] TradeTypes =
        ["RECHARGE", "DEDEUCT", "REFUND", "RFROZEN", "TRANS", "ADJUST", "BEADJUST", "BERETRIEVE", "BEUNBIND", "BONUSCONVERT", "TRADE_MODE_TRANSFER"];

    /// <summary>The trade type of an entry kind on the partner's balance (<paramref name="credit"/> false) or payable.</summary>
    public static string TradeTypeOf(string kind, bool credit) => kind switch
    {
        "PartnerTopUp" or "BankTransfer" => "RECHARGE",
        "Repayment" => credit ? "RECHARGE" : "DEDEUCT",
        "BillDeduction" => credit ? "RECHARGE" : "DEDEUCT",
        "OrderPayment" or "UsageCharge" => "DEDEUCT",
        "BillCredit" or "Refund" => "REFUND",
        AllocationKinds.Allocate => "BEADJUST",
        AllocationKinds.Reclaim => "BERETRIEVE",
        AllocationKinds.Unbind => "BEUNBIND",
        _ => "ADJUST",
    };

    /// <summary>Huawei's trade_detail_type of an entry kind (its "OPERAIION" typo kept).</summary>
    public static string DetailTypeOf(string kind, bool credit) => kind switch
    {
        "UsageCharge" => "SOURCE_OPERAIION_USAGE",
        AllocationKinds.Allocate or AllocationKinds.Reclaim or AllocationKinds.Unbind => AllocationKinds.OperationType(kind),
        _ => "SOURCE_OPERAIION_" + TradeTypeOf(kind, credit),
    };

    static readonly string[] KnownKinds =
        ["PartnerTopUp", "BankTransfer", "Repayment", "BillDeduction", "OrderPayment", "UsageCharge", "BillCredit", "Refund", .. AllocationKinds.All];

    public async Task<(IReadOnlyList<PartnerAccountChange> Records, int Total)> ListAsync(Caller caller, PartnerChangeFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerAccountActions.ViewBalances, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var credit = f.BalanceType switch
        {
            null or "" or Debit => false,
            Credit => true,
            _ => throw Check.Invalid("balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT."),
        };
        if (!string.IsNullOrEmpty(f.TradeType) && !TradeTypes.Contains(f.TradeType)) throw Check.Invalid("trade_type is one of " + string.Join(", ", TradeTypes) + ".");
        if (f.Offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.Limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
        var today = CustomerBills.CustomerBillService.Day(clock.GetUtcNow().UtcDateTime);
        var end = Date(f.TradeTimeEnd, "trade_time_end") ?? today;
        var begin = Date(f.TradeTimeBegin, "trade_time_begin") ?? end.AddYears(-1);
        if (begin > end) throw Check.Invalid("trade_time_begin is not after trade_time_end.");
        var from = DateTime.SpecifyKind(begin.ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset, DateTimeKind.Utc);
        var to = DateTime.SpecifyKind(end.AddDays(1).ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset, DateTimeKind.Utc);

        var account = credit ? LedgerBook.PayableOf(partner.AccountId) : LedgerBook.PartnerBalanceOf(partner.AccountId);
        var rows = db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.CreatedAt >= from && p.CreatedAt < to);
        if (!string.IsNullOrEmpty(f.TradeType))
        {
            var kinds = KnownKinds.Where(k => TradeTypeOf(k, credit) == f.TradeType).ToList();
            rows = f.TradeType == "ADJUST" ? rows.Where(p => !KnownKinds.Contains(p.Kind)) : rows.Where(p => kinds.Contains(p.Kind));
        }
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(p => p.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10)
            .Select(p => new { p.Id, p.EntryId, p.Kind, p.Reference, p.Amount, p.CreatedAt }).ToListAsync(ct);
        if (page.Count == 0) return ([], total);

        // The balance after the page's newest posting, then back through the page (every posting of the account counts).
        var (newest, oldest) = (page[0].Id, page[^1].Id);
        var balance = await db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.Id <= newest).SumAsync(p => p.Amount, ct);
        var between = await db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.Id <= newest && p.Id > oldest)
            .Select(p => new { p.Id, p.Amount }).ToListAsync(ct);
        var counterparts = page.Where(r => AllocationKinds.All.Contains(r.Kind)).Select(r => r.Reference!).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => counterparts.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var result = new List<PartnerAccountChange>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var r = page[i];
            var allocation = AllocationKinds.All.Contains(r.Kind);
            result.Add(new PartnerAccountChange(r.Id, DetailTypeOf(r.Kind, credit), r.CreatedAt,
                allocation ? r.EntryId[(r.Kind.Length + 1)..] : r.Reference ?? r.EntryId, Math.Abs(r.Amount), r.Amount > 0, balance,
                allocation ? r.Reference : null, allocation ? names.GetValueOrDefault(r.Reference!) : null));
            if (i + 1 < page.Count) balance -= between.Where(p => p.Id > page[i + 1].Id && p.Id <= r.Id).Sum(p => p.Amount);
        }
        return (result, total);
    }

    static DateOnly? Date(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Check.Invalid($"{field} is a date as YYYY-MM-DD.");
    }
}
