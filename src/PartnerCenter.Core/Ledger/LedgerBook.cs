using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Ledger;

/// <summary>Money moving from one ledger account to another.</summary>
public sealed record Movement(string From, string To, decimal Amount);

/// <summary>
/// Writes the double-entry ledger. Every movement is two postings (−amount on its source, +amount on its destination)
/// of one journal entry, and both balances move in the same transaction. A balance with a floor moves only through a
/// conditional update that refuses to cross it, so no interleaving of concurrent payments can overspend. The entry id
/// is the idempotency key: posting the same entry twice changes nothing.
/// </summary>
public sealed class LedgerBook(AppDbContext db, TimeProvider clock)
{
    public static string AccountId(LedgerAccountKind kind, string? owner) => owner is null ? $"platform:{kind}" : $"{kind}:{owner}";

    public static string CashOf(string customer) => AccountId(LedgerAccountKind.CustomerCash, customer);
    public static string CreditOf(string customer) => AccountId(LedgerAccountKind.CustomerCredit, customer);
    public static string PayableOf(string partner) => AccountId(LedgerAccountKind.PartnerPayable, partner);
    public static string PartnerBalanceOf(string partner) => AccountId(LedgerAccountKind.PartnerBalance, partner);
    public static string CouponsOf(string customer) => AccountId(LedgerAccountKind.CustomerCoupons, customer);
    public static string Platform(LedgerAccountKind kind) => AccountId(kind, null);

    /// <summary>A new partner's consumption quota until the operator sets another (Huawei gives a card-backed partner at least 1,000 USD).</summary>
    public const decimal DefaultConsumptionQuota = 10_000m;

    const string CreateAccountSql = """
        INSERT INTO ledger_accounts ("Id", "Kind", "OwnerAccountId", "Balance", "Floor", "CreditLimit", "CreatedAt")
        VALUES (@id, @kind, @owner, 0, @floor, 0, @now)
        ON CONFLICT DO NOTHING
        """;
    const string ClaimEntrySql = """
        INSERT INTO journal_entries ("Id", "Kind", "Reference", "Description", "CreatedBy", "CreatedAt", "BookedAt")
        VALUES (@id, @kind, @reference, @description, @by, @now, @booked)
        ON CONFLICT ("Id") DO NOTHING
        """;
    const string PostSql = """
        INSERT INTO postings ("EntryId", "AccountId", "Amount", "CreatedAt", "BookedAt", "Kind", "Reference") VALUES (@entry, @account, @amount, @now, @booked, @kind, @reference)
        """;
    const string MoveSql = """
        UPDATE ledger_accounts SET "Balance" = "Balance" + @amount
        WHERE "Id" = @account AND ("Floor" IS NULL OR "Balance" + @amount >= "Floor")
        """;
    /// <summary>
    /// PostgreSQL: the balance move and its posting in one round trip; the posting is written only when the conditional
    /// move changed the balance, so the rows changed say the same as <see cref="MoveSql"/>'s. SQLite has no UPDATE in a
    /// WITH clause and no round trip to save, so it runs the two statements.
    /// </summary>
    const string MoveAndPostSql = """
        WITH moved AS (
            UPDATE ledger_accounts SET "Balance" = "Balance" + @amount
            WHERE "Id" = @account AND ("Floor" IS NULL OR "Balance" + @amount >= "Floor")
            RETURNING "Id")
        INSERT INTO postings ("EntryId", "AccountId", "Amount", "CreatedAt", "BookedAt", "Kind", "Reference") SELECT @entry, "Id", @amount, @now, @booked, @kind, @reference FROM moved
        """;

    /// <summary>The platform's own accounts, created once at start so that no payment has to make sure they exist.</summary>
    public static readonly LedgerAccountKind[] PlatformKinds =
        [LedgerAccountKind.PlatformRevenue, LedgerAccountKind.PlatformGateway, LedgerAccountKind.PlatformAdjustments, LedgerAccountKind.PlatformCreditIssued,
         LedgerAccountKind.PlatformBankTransfers, LedgerAccountKind.PlatformCoupons];

    public async Task EnsurePlatformAccountsAsync(CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var kind in PlatformKinds) await EnsureAccountAsync(kind, null, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Creates the account if it does not exist yet, with the floor its kind has.</summary>
    public async Task EnsureAccountAsync(LedgerAccountKind kind, string? owner, CancellationToken ct = default)
    {
        var (connection, transaction) = Current();
        decimal? floor = kind switch
        {
            LedgerAccountKind.CustomerCash or LedgerAccountKind.CustomerCredit or LedgerAccountKind.PartnerBalance or LedgerAccountKind.CustomerCoupons => 0m,
            LedgerAccountKind.PartnerPayable => -DefaultConsumptionQuota,
            _ => null,
        };
        await HotStatements.RunAsync(connection, transaction, CreateAccountSql,
        [
            ("id", AccountId(kind, owner)), ("kind", kind.ToString()), ("owner", (object?)owner ?? DBNull.Value),
            ("floor", floor is { } f ? (object)(long)(f * Money.MicrosPerUnit) : DBNull.Value), ("now", clock.GetUtcNow().UtcDateTime),
        ], ct);
    }

    /// <summary>
    /// Posts the entry in the caller's transaction, or does nothing and answers false when an entry with this id exists.
    /// Throws <see cref="InsufficientFundsException"/> when a floor would be crossed; the caller then rolls back.
    /// <paramref name="bookedAt"/> is the business instant the money is for (<see cref="JournalEntry.BookedAt"/>); now by default.
    /// </summary>
    public async Task<bool> PostAsync(string entryId, string kind, string? reference, string description, string createdBy,
        IReadOnlyList<Movement> movements, CancellationToken ct = default, DateTime? bookedAt = null)
    {
        if (movements.Count == 0) throw new ArgumentException("An entry moves some money.", nameof(movements));
        foreach (var m in movements)
            if (m.Amount <= 0 || !Money.HasAtMostTwoDecimals(m.Amount) || m.From == m.To)
                throw new ArgumentException($"A movement is a positive 2-decimal amount between two accounts: {m}.", nameof(movements));

        var (connection, transaction) = Current();
        var now = clock.GetUtcNow().UtcDateTime;
        var booked = bookedAt ?? now;
        var claimed = await HotStatements.RunAsync(connection, transaction, ClaimEntrySql,
        [
            ("id", entryId), ("kind", kind), ("reference", (object?)reference ?? DBNull.Value), ("description", description), ("by", createdBy), ("now", now), ("booked", booked),
        ], ct);
        if (claimed.Changes == 0) return false;

        // One balance change per account, in a fixed order, so two entries touching the same accounts cannot deadlock.
        var changes = movements.SelectMany(m => new[] { (Account: m.From, Amount: -m.Amount), (Account: m.To, Amount: m.Amount) })
            .GroupBy(x => x.Account).Select(g => (Account: g.Key, Amount: g.Sum(x => x.Amount))).OrderBy(x => x.Account, StringComparer.Ordinal);
        var oneRoundTrip = db.Database.IsNpgsql();
        foreach (var (account, amount) in changes)
        {
            if (amount == 0) continue;
            var micros = (long)(amount * Money.MicrosPerUnit);
            (string, object)[] posting = [("entry", entryId), ("account", account), ("amount", micros), ("now", now), ("booked", booked), ("kind", kind), ("reference", (object?)reference ?? DBNull.Value)];
            var moved = await HotStatements.RunAsync(connection, transaction, oneRoundTrip ? MoveAndPostSql : MoveSql,
                oneRoundTrip ? posting : [("account", account), ("amount", micros)], ct);
            if (moved.Changes == 0)
                throw await db.LedgerAccounts.AnyAsync(a => a.Id == account, ct)
                    ? new InsufficientFundsException(account)
                    : new InvalidOperationException($"Ledger account {account} does not exist; ensure it first.");
            if (!oneRoundTrip) await HotStatements.RunAsync(connection, transaction, PostSql, posting, ct);
        }
        CoreMetrics.EntryPosted(transaction, kind, movements.Sum(m => m.Amount));
        return true;
    }

    (System.Data.Common.DbConnection Connection, System.Data.Common.DbTransaction Transaction) Current()
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("Ledger postings run inside the caller's transaction.");
        return (db.Database.GetDbConnection(), transaction);
    }
}

/// <summary>A movement would take an account below its floor (an empty balance, exhausted credit, a partner over its quota).</summary>
public sealed class InsufficientFundsException(string accountId) : Exception($"Account {accountId} cannot go below its floor.")
{
    public string AccountId { get; } = accountId;
}
