using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>ListCustomerAccountChangeRecords filters (dates are Beijing days, YYYY-MM-DD).</summary>
public sealed record AccountChangeFilter(string? BalanceType, string? RevenueExpenseType, string? TradeType, string? TradeTimeBegin, string? TradeTimeEnd,
    string? TradeId, int? Offset, int? Limit);

/// <summary>
/// One movement of the customer's cash or credit account: <see cref="Amount"/> is positive, <see cref="Revenue"/> says
/// which way; <see cref="BalanceAfter"/> is the account's balance once this and every earlier posting had moved it.
/// </summary>
public sealed record AccountChange(long Id, string TradeType, string Kind, DateTime TradeTime, string TradeId, decimal Amount, bool Revenue,
    decimal BalanceAfter, DateTime BookedAt, string? PaymentReference, string? ServiceTypeCode);

/// <summary>
/// A customer's income and expense records, read from its ledger account: top-ups (RECHARGE), order and pay-per-use
/// charges and arrears repaid (DEDEUCT, Huawei's spelling), refunds (REFUND), the operator's adjustments and credit
/// line changes (ADJUST), money its resale partner allocated (BEADJUST), reclaimed (BERETRIEVE) or took back when the
/// association ended (BEUNBIND). A resale customer its partner never allocated money to has no balance (CBC.99000049).
/// </summary>
public sealed class AccountChangeRecords(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public const string Debit = "BALANCE_TYPE_DEBIT", Credit = "BALANCE_TYPE_CREDIT";
    public const int MaxLimit = 100;

    /// <summary>The Huawei trade type of a journal entry kind.</summary>
    public static string TradeTypeOf(string kind) => kind switch
    {
        "TopUp" => "RECHARGE",
        "OrderPayment" or "UsageCharge" or "ArrearsRepayment" => "DEDEUCT",
        "Refund" => "REFUND",
        PartnerAccounts.AllocationKinds.Allocate => "BEADJUST",
        PartnerAccounts.AllocationKinds.Reclaim => "BERETRIEVE",
        PartnerAccounts.AllocationKinds.Unbind => "BEUNBIND",
        Enterprise.EnterpriseTransferKinds.Transfer or Enterprise.EnterpriseTransferKinds.Retrieve => "TRANS",
        _ => "ADJUST",
    };

    static readonly Dictionary<string, string[]> KindsOfTradeType = new()
    {
        ["RECHARGE"] = ["TopUp"],
        ["DEDEUCT"] = ["OrderPayment", "UsageCharge", "ArrearsRepayment"],
        ["REFUND"] = ["Refund"],
        ["BEADJUST"] = [PartnerAccounts.AllocationKinds.Allocate],
        ["BERETRIEVE"] = [PartnerAccounts.AllocationKinds.Reclaim],
        ["BEUNBIND"] = [PartnerAccounts.AllocationKinds.Unbind],
        ["TRANS"] = Enterprise.EnterpriseTransferKinds.All,
    };

    public async Task<(IReadOnlyList<AccountChange> Records, int Total)> ListAsync(Caller caller, AccountChangeFilter f, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, CustomerBillActions.View, ct);
        var account = f.BalanceType switch
        {
            Debit => LedgerBook.CashOf(caller.AccountId),
            Credit => LedgerBook.CreditOf(caller.AccountId),
            null or "" => throw Check.Invalid("balance_type is required: BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT."),
            _ => throw Check.Invalid("balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT."),
        };
        if (f.RevenueExpenseType is not (null or "REVENUE" or "EXPENSE")) throw Check.Invalid("revenue_expense_type is REVENUE or EXPENSE.");
        if (f.TradeType is not (null or "" or "ADJUST") && !KindsOfTradeType.ContainsKey(f.TradeType))
            throw Check.Invalid("trade_type is RECHARGE, DEDEUCT, REFUND, ADJUST, BEADJUST, BERETRIEVE, BEUNBIND or TRANS.");
        Check.MaxLength(f.TradeId, "trade_id", 128);
        if (f.Offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.Limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
        var today = CustomerBillService.Day(clock.GetUtcNow().UtcDateTime);
        var end = Date(f.TradeTimeEnd, "trade_time_end") ?? today;
        var begin = Date(f.TradeTimeBegin, "trade_time_begin") ?? end.AddYears(-1);
        if (begin > end) throw Check.Invalid("trade_time_begin is not after trade_time_end.");
        if (begin < end.AddYears(-1)) throw Check.Invalid("trade_time_begin and trade_time_end are at most one year apart.");
        if (await db.CustomerAssociations.AsNoTracking().AnyAsync(a => a.CustomerAccountId == caller.AccountId && a.AssociationType == AssociationTypes.Resale, ct)
            && !await db.LedgerAccounts.AnyAsync(a => a.Id == LedgerBook.CashOf(caller.AccountId), ct))
            throw new ServiceException(Errors.ResaleCustomerHasNoBalance());

        var (from, to) = (begin.ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset, end.AddDays(1).ToDateTime(TimeOnly.MinValue) - BillCycle.BeijingOffset);
        from = DateTime.SpecifyKind(from, DateTimeKind.Utc);
        to = DateTime.SpecifyKind(to, DateTimeKind.Utc);
        var rows = db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.CreatedAt >= from && p.CreatedAt < to)
            .Join(db.JournalEntries, p => p.EntryId, e => e.Id, (p, e) => new { p.Id, p.Amount, p.CreatedAt, p.BookedAt, e.Kind, e.Reference, EntryId = e.Id });
        if (f.RevenueExpenseType == "REVENUE") rows = rows.Where(r => r.Amount > 0);
        if (f.RevenueExpenseType == "EXPENSE") rows = rows.Where(r => r.Amount < 0);
        if (!string.IsNullOrEmpty(f.TradeType))
        {
            if (KindsOfTradeType.TryGetValue(f.TradeType, out var kinds)) rows = rows.Where(r => kinds.Contains(r.Kind));
            else
            {
                var others = KindsOfTradeType.Values.SelectMany(k => k).ToArray();
                rows = rows.Where(r => !others.Contains(r.Kind));
            }
        }
        if (!string.IsNullOrEmpty(f.TradeId))
        {
            // An allocation's trade id is its transfer id, the part of its entry id after the kind.
            var entries = PartnerAccounts.AllocationKinds.All.Select(k => $"{k}:{f.TradeId}").Append(f.TradeId).ToList();
            rows = rows.Where(r => r.Reference == f.TradeId || entries.Contains(r.EntryId));
        }
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(r => r.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10).ToListAsync(ct);
        if (page.Count == 0) return ([], total);

        // The balance after the page's newest posting, then back through the page: every posting of the account counts,
        // whatever the filters, so a balance is the account's own.
        var newest = page[0].Id;
        var balance = await db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.Id <= newest).SumAsync(p => p.Amount, ct);
        var oldest = page[^1].Id;
        var between = page.Count == 1 ? [] : await db.Postings.AsNoTracking().Where(p => p.AccountId == account && p.Id <= newest && p.Id > oldest)
            .Select(p => new { p.Id, p.Amount }).ToListAsync(ct);
        var orderIds = page.Where(r => r.Kind is "OrderPayment" or "Refund").Select(r => r.Reference!).ToList();
        var services = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.ServiceTypeCode, ct);
        var topUpIds = page.Where(r => r.Kind == "TopUp").Select(r => r.Reference!).ToList();
        var gateway = await db.TopUps.AsNoTracking().Where(t => topUpIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.GatewayReference, ct);
        var result = new List<AccountChange>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var r = page[i];
            var kind = PartnerAccounts.AllocationKinds.All.Contains(r.Kind) ? PartnerAccounts.AllocationKinds.OperationType(r.Kind) : r.Kind;
            result.Add(new AccountChange(r.Id, TradeTypeOf(r.Kind), kind, r.CreatedAt, r.Kind is "OrderPayment" or "Refund" or "TopUp" or Enterprise.EnterpriseTransferKinds.Transfer or Enterprise.EnterpriseTransferKinds.Retrieve ? r.Reference!
                    : kind != r.Kind ? r.EntryId[(r.Kind.Length + 1)..] : r.EntryId,
                Math.Abs(r.Amount), r.Amount > 0, balance, r.BookedAt, r.Kind == "TopUp" ? gateway.GetValueOrDefault(r.Reference!) : null,
                r.Reference is { } o ? services.GetValueOrDefault(o) : null));
            // The balance after the next older record of the page: without every posting after it up to this one.
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
