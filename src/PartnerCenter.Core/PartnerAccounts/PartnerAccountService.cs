using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.PartnerAccounts;

public static class PartnerAccountActions
{
    public const string ViewBalances = "bss:partnerAccount:view";
    public const string Allocate = "bss:partnerAccount:adjust";
    public const string Reclaim = "bss:partnerAccount:reclaim";
}

/// <summary>The journal entry kinds of money between a partner and its resale customers, with Huawei's operation names.</summary>
public static class AllocationKinds
{
    public const string Allocate = "BeAdjust", Reclaim = "BeRetrieve", Unbind = "BeUnbind";
    public static readonly string[] All = [Allocate, Reclaim, Unbind];

    public static string OperationType(string kind) => kind switch
    {
        Allocate => "SOURCE_OPERATION_BEADJUST",
        Reclaim => "SOURCE_OPERATION_BERETRIEVE",
        _ => "SOURCE_OPERATION_BEUNBIND",
    };

    public static string? KindOf(string operationType) => operationType switch
    {
        "SOURCE_OPERATION_BEADJUST" => Allocate,
        "SOURCE_OPERATION_BERETRIEVE" => Reclaim,
        "SOURCE_OPERATION_BEUNBIND" => Unbind,
        _ => null,
    };
}

/// <summary>
/// A partner's China-model balances: cash (its own balance, which pays its bills), credit (its consumption quota, as
/// the international model has it: the line and what is left of it) and allocatable (what it may hand to customers now).
/// </summary>
public sealed record PartnerBalances(string PartnerAccountId, decimal Cash, decimal CreditLine, decimal CreditAvailable, PartnerCreditLine? TemporaryLine)
{
    /// <summary>Nothing is earmarked on this platform, so the whole cash balance may be allocated.</summary>
    public decimal Allocatable => Cash;
}

/// <summary>One resale customer's balance as its partner sees it: what it holds and what it owes.</summary>
public sealed record CustomerFunds(string CustomerId, decimal Amount, decimal DebtAmount);

/// <summary>A row of ListPartnerAdjustRecords: money moved between the partner and one customer.</summary>
public sealed record AdjustRecord(string CustomerId, string CustomerName, string Kind, decimal Amount, DateTime At, string TransId, string Memo);

public sealed record AdjustRecordFilter(string? CustomerId, string? OperationType, DateTime? Begin, DateTime? End, string? TransId, int? Offset, int? Limit, string? IndirectPartnerId);

/// <summary>
/// The China model's money between a partner and its resale customers: the partner allocates from its cash balance to a
/// customer's cash (UpdateCustomerAccountAmount), takes it back (ReclaimToPartnerAccount), a distributor does the same
/// with its resellers' balances (UpdateIndirectPartnerAccount, ReclaimIndirectPartnerAccount), and on dissolving the
/// association what the customer still holds of it comes back by itself (BEUNBIND). Each movement is one journal entry
/// between the partner's balance and the customer's cash; both accounts have floor 0 and move by a conditional update,
/// so no interleaving of requests can allocate more than the partner has or reclaim more than the customer holds.
/// </summary>
public sealed class PartnerAccountService(AppDbContext db, PartnerScope scope, LedgerBook ledger, Idempotency keys, PartnerCreditLines creditLines, TimeProvider clock)
{
    /// <summary>Huawei's amount range for an allocation or reclaim (an int32 of currency units, 2 decimals).</summary>
    public const decimal MaxAmount = 2_147_483_647m;
    public const int MaxBatch = 100, MaxRecordsLimit = 100;

    /// <summary>ListPartnerBalances: the caller's, or (for a distributor passing indirect_partner_id) its reseller's.</summary>
    public async Task<PartnerBalances> BalancesAsync(Caller caller, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerAccountActions.ViewBalances, indirectPartnerId, PartnerNeed.Customers, ct);
        return await BalancesOfAsync(partner.AccountId, ct);
    }

    public async Task<PartnerBalances> BalancesOfAsync(string partner, CancellationToken ct = default)
    {
        var ids = new[] { LedgerBook.PartnerBalanceOf(partner), LedgerBook.PayableOf(partner) };
        var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        var cash = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.PartnerBalance)?.Balance ?? 0;
        var owed = -(accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.PartnerPayable)?.Balance ?? 0);
        // The same figures ShowPartnerConsumptionQuota answers: the quota is the payable's floor (a running line included), what is owed its balance.
        var credit = await creditLines.CreditOfAsync(partner, ct);
        return new PartnerBalances(partner, cash, credit.Quota, credit.Quota - owed, credit.Line);
    }

    /// <summary>
    /// UpdateCustomerAccountAmount: moves <paramref name="amount"/> from the partner's cash to its resale customer's
    /// cash. With a client token the request is idempotent (same request: same transfer id, nothing moves again; the
    /// token with another request: 409); without one each call is a new allocation, as Huawei's API has no key.
    /// </summary>
    public async Task<string> AllocateAsync(Caller caller, string? customerId, decimal? amount, string? indirectPartnerId, string? clientToken, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerAccountActions.Allocate, indirectPartnerId, PartnerNeed.Customers, ct);
        var value = Amount(amount);
        var token = Token(clientToken);
        var customer = await ResaleCustomerAsync(partner, customerId, ct);
        return await MoveAsync(caller, partner.AccountId, customer, LedgerAccountKind.CustomerCash, value, AllocationKinds.Allocate, token,
            LedgerBook.PartnerBalanceOf(partner.AccountId), LedgerBook.CashOf(customer), $"Allocated to customer {customer}", ct);
    }

    /// <summary>UpdateIndirectPartnerAccount: a distributor moves money from its balance to its reseller's (the reseller's customer id in records is its account).</summary>
    public async Task<string> AllocateToResellerAsync(Caller caller, string? indirectPartnerId, decimal? amount, string? clientToken, CancellationToken ct = default)
    {
        var reseller = await ResellerAsync(caller, PartnerAccountActions.Allocate, indirectPartnerId, ct);
        var value = Amount(amount);
        return await MoveAsync(caller, caller.AccountId, reseller, LedgerAccountKind.PartnerBalance, value, AllocationKinds.Allocate, Token(clientToken),
            LedgerBook.PartnerBalanceOf(caller.AccountId), LedgerBook.PartnerBalanceOf(reseller), $"Allocated to reseller {reseller}", ct);
    }

    /// <summary>ReclaimIndirectPartnerAccount: the distributor takes money back from its reseller's balance; never more than it holds.</summary>
    public async Task<string> ReclaimFromResellerAsync(Caller caller, string? indirectPartnerId, decimal? amount, string? clientToken, CancellationToken ct = default)
    {
        var reseller = await ResellerAsync(caller, PartnerAccountActions.Reclaim, indirectPartnerId, ct);
        var value = Amount(amount);
        return await MoveAsync(caller, caller.AccountId, reseller, LedgerAccountKind.PartnerBalance, value, AllocationKinds.Reclaim, Token(clientToken),
            LedgerBook.PartnerBalanceOf(reseller), LedgerBook.PartnerBalanceOf(caller.AccountId), $"Reclaimed from reseller {reseller}", ct);
    }

    /// <summary>The account of the caller's reseller named by indirect_partner_id (required here); CBC.99000037 for anyone else's.</summary>
    async Task<string> ResellerAsync(Caller caller, string action, string? indirectPartnerId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(indirectPartnerId)) throw Check.Invalid("indirect_partner_id is required.");
        return (await scope.ActingPartnerAsync(caller, action, indirectPartnerId, PartnerNeed.Customers, ct)).AccountId;
    }

    /// <summary>ReclaimToPartnerAccount: moves money back from the resale customer's cash; never more than it holds.</summary>
    public async Task<string> ReclaimAsync(Caller caller, string? customerId, decimal? amount, string? indirectPartnerId, string? clientToken, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerAccountActions.Reclaim, indirectPartnerId, PartnerNeed.Customers, ct);
        var value = Amount(amount);
        var token = Token(clientToken);
        var customer = await ResaleCustomerAsync(partner, customerId, ct);
        if (!await db.LedgerAccounts.AnyAsync(a => a.Id == LedgerBook.CashOf(customer), ct)) throw new ServiceException(Errors.NoAllocationAccount());
        return await MoveAsync(caller, partner.AccountId, customer, LedgerAccountKind.CustomerCash, value, AllocationKinds.Reclaim, token,
            LedgerBook.CashOf(customer), LedgerBook.PartnerBalanceOf(partner.AccountId), $"Reclaimed from customer {customer}", ct);
    }

    async Task<string> MoveAsync(Caller caller, string partner, string customer, LedgerAccountKind customerKind, decimal value, string kind, string? token,
        string from, string to, string description, CancellationToken ct)
    {
        var transId = token is null ? Ids.New() : TransIdOf(partner, kind, token);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (token is not null && !await keys.TakeAsync($"{kind}:{partner}", token, Idempotency.Fingerprint(new { customer, value }), ct))
            return transId; // this same request came before: it moved its money then
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        await ledger.EnsureAccountAsync(customerKind, customer, ct);
        try
        {
            await ledger.PostAsync(EntryId(kind, transId), kind, customer, description, caller.UserName, [new Movement(from, to, value)], ct);
        }
        catch (InsufficientFundsException)
        {
            throw new ServiceException(Errors.InsufficientBalance());
        }
        await tx.CommitAsync(ct);
        return transId;
    }

    /// <summary>
    /// In the caller's transaction, when a resale association ends (dissolved, or switched to referral): what the customer
    /// still holds of the money this partner allocated comes back to the partner as a BEUNBIND movement, and the partner
    /// is told. Money the customer had from elsewhere stays with it. It runs in the transaction that ends the association, so once.
    /// </summary>
    public async Task ReturnOnUnbindAsync(CustomerAssociation association, string reason, CancellationToken ct = default)
    {
        if (association.AssociationType != AssociationTypes.Resale) return;
        var (partner, customer) = (association.PartnerAccountId, association.CustomerAccountId);
        var allocated = -await db.Postings.Where(p => p.AccountId == LedgerBook.PartnerBalanceOf(partner) && AllocationKinds.All.Contains(p.Kind) && p.Reference == customer)
            .SumAsync(p => p.Amount, ct);
        var held = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.CashOf(customer)).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(ct) ?? 0;
        var back = Math.Min(allocated, held);
        if (back <= 0) return;
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        try
        {
            await ledger.PostAsync(EntryId(AllocationKinds.Unbind, Ids.New()), AllocationKinds.Unbind, customer, $"Returned on {reason}", "system",
                [new Movement(LedgerBook.CashOf(customer), LedgerBook.PartnerBalanceOf(partner), back)], ct);
        }
        catch (InsufficientFundsException)
        {
            throw new ServiceException(Errors.FundsChangedTryAgain()); // a reclaim took some of it meanwhile: the whole change rolls back
        }
        var name = await db.Accounts.AsNoTracking().Where(a => a.Id == customer).Select(a => a.Name).SingleAsync(ct);
        db.PartnerNotifications.Add(new PartnerNotification
        {
            PartnerAccountId = partner, CustomerAccountId = customer, Kind = "funds.unbind", CreatedAt = clock.GetUtcNow().UtcDateTime,
            Message = $"{Money.Round2(back).ToString("0.00", CultureInfo.InvariantCulture)} USD allocated to {name} came back to your balance on {reason}.",
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// ListCustomersBalancesDetail: 1 to 100 customers; only the acting partner's resale customers are answered (others,
    /// and referral customers, whose balances the partner may not see, are left out).
    /// </summary>
    public async Task<IReadOnlyList<CustomerFunds>> CustomerBalancesAsync(Caller caller, IReadOnlyList<string?>? customerIds, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, indirectPartnerId, PartnerNeed.Customers, ct);
        if (customerIds is null || customerIds.Count is 0 or > MaxBatch) throw Check.Invalid($"customer_infos has 1 to {MaxBatch} customers.");
        if (customerIds.Any(id => string.IsNullOrEmpty(id) || id.Length > 64)) throw Check.Invalid("Every customer_id is 1 to 64 characters.");
        var wanted = customerIds.Select(id => id!).Distinct().ToList();
        var resale = await db.CustomerAssociations.AsNoTracking()
            .Where(a => a.PartnerAccountId == partner.AccountId && a.AssociationType == AssociationTypes.Resale && wanted.Contains(a.CustomerAccountId))
            .Select(a => a.CustomerAccountId).ToListAsync(ct);
        var ids = resale.SelectMany(c => new[] { LedgerBook.CashOf(c), LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c) }).ToList();
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Balance, ct);
        return wanted.Where(resale.Contains).Select(c => new CustomerFunds(c, balances.GetValueOrDefault(LedgerBook.CashOf(c)),
            -Math.Min(0, balances.GetValueOrDefault(LedgerBook.AccountId(LedgerAccountKind.CustomerArrears, c))))).ToList();
    }

    /// <summary>ListPartnerAdjustRecords: the acting partner's allocations, reclaims and unbind returns, newest first.</summary>
    public async Task<(IReadOnlyList<AdjustRecord> Records, int Total)> AdjustRecordsAsync(Caller caller, AdjustRecordFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerAccountActions.ViewBalances, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        Check.MaxLength(f.CustomerId, "customer_id", 64);
        Check.MaxLength(f.TransId, "trans_id", 64);
        string? kind = null;
        if (!string.IsNullOrEmpty(f.OperationType))
            kind = AllocationKinds.KindOf(f.OperationType) ?? throw Check.Invalid("operation_type is SOURCE_OPERATION_BEADJUST, SOURCE_OPERATION_BERETRIEVE or SOURCE_OPERATION_BEUNBIND.");
        if (f.Offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.Limit is < 1 or > MaxRecordsLimit) throw Check.Invalid($"limit is 1 to {MaxRecordsLimit}.");
        if (f.Begin > f.End) throw Check.Invalid("operation_time_begin is not after operation_time_end.");

        var account = LedgerBook.PartnerBalanceOf(partner.AccountId);
        // What its distributor allocated to a reseller is on the reseller's balance too, with the reseller as reference: not the reseller's own record.
        var own = partner.AccountId;
        var rows = db.Postings.AsNoTracking().Where(p => p.AccountId == account && AllocationKinds.All.Contains(p.Kind) && p.Reference != own);
        if (kind is not null) rows = rows.Where(p => p.Kind == kind);
        if (!string.IsNullOrEmpty(f.CustomerId)) rows = rows.Where(p => p.Reference == f.CustomerId);
        if (!string.IsNullOrEmpty(f.TransId))
        {
            var entries = AllocationKinds.All.Select(k => EntryId(k, f.TransId)).ToList();
            rows = rows.Where(p => entries.Contains(p.EntryId));
        }
        if (f.Begin is { } b) rows = rows.Where(p => p.CreatedAt >= b);
        if (f.End is { } e) rows = rows.Where(p => p.CreatedAt <= e);
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderByDescending(p => p.Id).Skip(f.Offset ?? 0).Take(f.Limit ?? 10)
            .Join(db.JournalEntries, p => p.EntryId, j => j.Id, (p, j) => new { p.EntryId, p.Kind, p.Reference, p.Amount, p.CreatedAt, j.Description })
            .ToListAsync(ct);
        var customers = page.Select(r => r.Reference!).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => customers.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return (page.Select(r => new AdjustRecord(r.Reference!, names.GetValueOrDefault(r.Reference!, ""), r.Kind, Math.Abs(r.Amount), r.CreatedAt,
            r.EntryId[(r.Kind.Length + 1)..], r.Description)).ToList(), total);
    }

    /// <summary>The journal entry of a movement: its kind and transfer id, so a record's trans_id finds it.</summary>
    static string EntryId(string kind, string transId) => $"{kind}:{transId}";

    /// <summary>A keyed request's transfer id is derived from its key, so a retry answers the same id without a lookup.</summary>
    static string TransIdOf(string partner, string kind, string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{partner}\n{kind}\n{token}")))[..32].ToLowerInvariant();

    async Task<string> ResaleCustomerAsync(Partner partner, string? customerId, CancellationToken ct)
    {
        var association = await scope.CustomerOfAsync(partner, customerId, ct);
        // Referral customers pay for themselves: the partner holds no money of theirs.
        return association.AssociationType == AssociationTypes.Resale ? association.CustomerAccountId : throw new ServiceException(Errors.NotAResaleCustomer());
    }

    static decimal Amount(decimal? amount)
    {
        var value = amount ?? throw Check.Invalid("amount is required.");
        return value > 0 && value <= MaxAmount && Money.HasAtMostTwoDecimals(value)
            ? value
            : throw Check.Invalid($"amount is more than 0 and at most {MaxAmount} with at most 2 decimals.");
    }

    static string? Token(string? token) => string.IsNullOrEmpty(token) ? null : token.Length <= 64 ? token : throw Check.Invalid("client_token is at most 64 characters.");
}
