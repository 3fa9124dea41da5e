using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Mail;

namespace PartnerCenter.Core.Enterprise;

public static class EnterpriseTransferActions
{
    public const string View = "bss:enterpriseFunds:view";
    public const string Transfer = "bss:enterpriseFunds:transfer";
    public const string Retrieve = "bss:enterpriseFunds:retrieve";
}

/// <summary>Huawei's codes of moving funds and coupons between a master and its members.</summary>
public static class EnterpriseTransferErrors
{
    public static Error NoRelation() => Error.Validation("CBC.7001", "The customer is not a member of the caller's organization in status normal, or the caller is not an enterprise master.");
    public static Error AccountNotFound() => Error.Validation("CBC.99000047", "The customer account does not exist.");
    public static Error DuplicateTransId() => Error.Validation("CBC.99007009", "trans_id was already used: the funds of that request moved once and do not move again.");
    public static Error PairBusy() => Error.Conflict("CBC.99007461", "Another transfer or retrieval between the master and this member is in progress; try again.");
    public static Error CreditLedgerExpired() => Error.Validation("CBC.99007181", "The credit ledger with this expire_time has expired.");
    public static Error NotTransferable() => Error.Validation("CBC.99007004", "Only the master's own usable cash coupons issued by the platform can be transferred.");
}

/// <summary>The journal entry kinds of funds moving between a master and a member (trade type TRANS on both sides' change records).</summary>
public static class EnterpriseTransferKinds
{
    public const string Transfer = "EntTransfer", Retrieve = "EntRetrieve";
    public static readonly string[] All = [Transfer, Retrieve];
}

/// <summary>Balance types of the requests: cash (BALANCE_TYPE_DEBIT, the default) or credit.</summary>
public enum EnterpriseBalanceType { Debit, Credit }

/// <summary>An UpdateSubEnterpriseAmount / ReclaimSubEnterpriseAmount request as it came (amount and expire_time are strings on the wire).</summary>
public sealed record EnterpriseFundsRequest(string? CustomerId, string? Amount, string? TransId, string? BalanceType, string? ExpireTime);

/// <summary>
/// One row of ShowMultiAccountTransferAmount / ListEnterpriseMultiAccount: <see cref="Available"/> is what may move now,
/// <see cref="Amount"/> the account's (or credit ledger's) balance, <see cref="CreditAmount"/> its credit line.
/// </summary>
public sealed record EnterpriseAmount(EnterpriseBalanceType Type, decimal Available, decimal Amount, decimal CreditAmount, DateTime? ExpireTime);

/// <summary>
/// A master's funds to and from its members: cash from its cash account to the member's, credit from its available credit
/// to the member's (with the credit line: the debt of each stays its own), each one journal entry whose id carries the
/// request's trans_id, so a repeated trans_id posts nothing (CBC.99007009). The pair is locked for the request's
/// transaction by the member's row (PostgreSQL: FOR UPDATE NOWAIT, a concurrent request of the same pair is refused with
/// CBC.99007461; SQLite runs one writing transaction at a time, so both apply in turn). Balances only move through the
/// ledger's floors, so no interleaving overspends either side.
/// </summary>
public sealed class EnterpriseTransfers(AppDbContext db, LedgerBook ledger, AccessControl access, EnterpriseCenter center, TimeProvider clock)
{
    public const int MaxLimit = 100;
    public const decimal MaxAmount = 2_147_483_647m;

    /// <summary>UpdateSubEnterpriseAmount: cash or credit from the master to a member. Returns the trans_id (generated when absent).</summary>
    public Task<string> TransferAsync(Caller caller, EnterpriseFundsRequest r, CancellationToken ct = default) => MoveAsync(caller, r, toMember: true, ct);

    /// <summary>ReclaimSubEnterpriseAmount: cash or credit back from a member, never more than the master gave it and it still holds.</summary>
    public Task<string> RetrieveAsync(Caller caller, EnterpriseFundsRequest r, CancellationToken ct = default) => MoveAsync(caller, r, toMember: false, ct);

    async Task<string> MoveAsync(Caller caller, EnterpriseFundsRequest r, bool toMember, CancellationToken ct)
    {
        await access.RequireAsync(caller, toMember ? EnterpriseTransferActions.Transfer : EnterpriseTransferActions.Retrieve, ct);
        var member = Check.MaxLength(Check.Required(r.CustomerId, "customer_id"), "customer_id", 32);
        var value = ParseAmount(r.Amount);
        var type = ParseBalanceType(r.BalanceType) ?? EnterpriseBalanceType.Debit;
        var expiry = ParseExpireTime(r.ExpireTime);
        if (expiry is not null && type != EnterpriseBalanceType.Credit) throw Check.Invalid("expire_time is for balance_type BALANCE_TYPE_CREDIT only.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (toMember && expiry <= now) throw Check.Invalid("expire_time is in the future.");
        var transId = TransId(r.TransId);
        var master = caller.AccountId;
        await RequireMemberAsync(master, member, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockPairAsync(master, member, ct);
        await RefuseUsedTransIdAsync(master, transId, ct);
        var kind = toMember ? EnterpriseTransferKinds.Transfer : EnterpriseTransferKinds.Retrieve;
        var (masterAccount, memberAccount) = type == EnterpriseBalanceType.Debit
            ? (LedgerBook.CashOf(master), LedgerBook.CashOf(member))
            : (LedgerBook.CreditOf(master), LedgerBook.CreditOf(member));
        var accountKind = type == EnterpriseBalanceType.Debit ? LedgerAccountKind.CustomerCash : LedgerAccountKind.CustomerCredit;
        await ledger.EnsureAccountAsync(accountKind, master, ct);
        await ledger.EnsureAccountAsync(accountKind, member, ct);

        if (!toMember)
        {
            // What the master may take back: what it gave this member and the member did not give back yet.
            var given = type == EnterpriseBalanceType.Debit
                ? await NetCashGivenAsync(master, member, ct)
                : await CreditLineAsync(master, member, expiry, ct) is { } line ? (line.Expired || line.ExpiresAt <= now ? throw new ServiceException(EnterpriseTransferErrors.CreditLedgerExpired()) : line.Amount) : 0m;
            if (value > given) throw new ServiceException(Errors.InsufficientBalance());
        }
        var (from, to) = toMember ? (masterAccount, memberAccount) : (memberAccount, masterAccount);
        var names = await db.Accounts.AsNoTracking().Where(a => a.Id == master || a.Id == member).ToDictionaryAsync(a => a.Id, a => new { a.Name, a.Email }, ct);
        var what = type == EnterpriseBalanceType.Debit ? "cash" : "credit";
        var description = toMember ? $"Enterprise {what} transfer from {names[master].Name} to {names[member].Name}" : $"Enterprise {what} retrieval by {names[master].Name} from {names[member].Name}";
        try
        {
            if (!await ledger.PostAsync(EntryId(master, transId), kind, transId, description, caller.UserName, [new Movement(from, to, value)], ct))
                throw new ServiceException(EnterpriseTransferErrors.DuplicateTransId());
        }
        catch (InsufficientFundsException)
        {
            // Retrieving credit the member has already spent is refused too (no arrears made by a retrieval: see decisions).
            throw new ServiceException(Errors.InsufficientBalance());
        }
        if (type == EnterpriseBalanceType.Credit)
        {
            // The credit line moves with the credit, so each side's debt (line − available) stays what it was.
            await MoveCreditLimitAsync(toMember ? master : member, -value, ct);
            await MoveCreditLimitAsync(toMember ? member : master, value, ct);
            await ChangeCreditLineAsync(master, member, expiry, toMember ? value : -value, now, ct);
        }
        if (names[member].Email is { Length: > 0 } email)
            db.OutboxMessages.Add(new OutboxMessage
            {
                To = email, CreatedAt = now,
                Subject = toMember ? $"{names[master].Name} transferred {Text(value)} USD {what} to your account" : $"{names[master].Name} retrieved {Text(value)} USD {what} from your account",
                Body = $"{description}: {Text(value)} USD, transaction {transId}{(expiry is { } e ? $", credit until {e:yyyy-MM-dd HH:mm} UTC" : "")}.",
            });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return transId;
    }

    /// <summary>ShowMultiAccountTransferAmount: what the caller (a master) can transfer now, cash then credit (or one type).</summary>
    public async Task<(IReadOnlyList<EnterpriseAmount> Items, int Total)> TransferableAsync(Caller caller, string? balanceType, int? offset, int? limit, CancellationToken ct = default)
    {
        await center.MasterAsync(caller, EnterpriseTransferActions.View, ct, EnterpriseTransferErrors.NoRelation);
        var type = ParseBalanceType(balanceType);
        var (skip, take) = Page(offset, limit);
        var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CashOf(caller.AccountId) || a.Id == LedgerBook.CreditOf(caller.AccountId)).ToListAsync(ct);
        var cash = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCash);
        var credit = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCredit);
        var all = new List<EnterpriseAmount>();
        if (type is null or EnterpriseBalanceType.Debit) all.Add(new(EnterpriseBalanceType.Debit, cash?.Balance ?? 0, cash?.Balance ?? 0, 0, null));
        if (type is null or EnterpriseBalanceType.Credit) all.Add(new(EnterpriseBalanceType.Credit, credit?.Balance ?? 0, credit?.Balance ?? 0, credit?.CreditLimit ?? 0, null));
        return (all.Skip(skip).Take(take).ToList(), all.Count);
    }

    /// <summary>
    /// ListEnterpriseMultiAccount: what the master can retrieve from a member: its cash (what the master gave, capped at what
    /// it holds), and each credit ledger the master gave it (with its expiry), paged by offset/limit.
    /// </summary>
    public async Task<(IReadOnlyList<EnterpriseAmount> Items, int Total)> RetrievableAsync(Caller caller, string? subCustomerId, string? balanceType, int? offset, int? limit, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseTransferActions.View, ct);
        var member = Check.MaxLength(Check.Required(subCustomerId, "sub_customer_id"), "sub_customer_id", 32);
        var type = ParseBalanceType(balanceType);
        var (skip, take) = Page(offset, limit);
        await RequireMemberAsync(caller.AccountId, member, ct);
        var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CashOf(member) || a.Id == LedgerBook.CreditOf(member)).ToListAsync(ct);
        var cash = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCash)?.Balance ?? 0;
        var credit = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCredit)?.Balance ?? 0;
        var all = new List<EnterpriseAmount>();
        if (type is null or EnterpriseBalanceType.Debit)
            all.Add(new(EnterpriseBalanceType.Debit, Math.Max(0, Math.Min(cash, await NetCashGivenAsync(caller.AccountId, member, ct))), cash, 0, null));
        if (type is null or EnterpriseBalanceType.Credit)
        {
            var lines = await db.EnterpriseCreditLines.AsNoTracking().Where(l => l.MasterAccountId == caller.AccountId && l.MemberAccountId == member && !l.Expired && l.Amount > 0)
                .ToListAsync(ct);
            all.AddRange(lines.OrderBy(l => l.ExpiresAt ?? DateTime.MaxValue).Select(l => new EnterpriseAmount(EnterpriseBalanceType.Credit, Math.Min(l.Amount, credit), l.Amount, l.Amount, l.ExpiresAt)));
        }
        return (all.Skip(skip).Take(take).ToList(), all.Count);
    }

    /// <summary>
    /// Ends the credit ledgers expired by <paramref name="period"/>: what the member still has available of one goes back to
    /// the master with its line; what the member spent stays its own debt. Each ledger once (its Expired flag is claimed).
    /// </summary>
    public static async Task ExpireCreditLinesAsync(AppDbContext db, TimeProvider clock, DateTime period, CancellationToken ct)
    {
        var due = await db.EnterpriseCreditLines.AsNoTracking().Where(l => !l.Expired && l.ExpiresAt <= period).OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.MasterAccountId, l.MemberAccountId }).ToListAsync(ct);
        var ledger = new LedgerBook(db, clock);
        foreach (var d in due)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The pair's lock as a transfer takes it, waiting its turn: a retrieval of this ledger cannot interleave.
            await LockPairAsync(db, d.MasterAccountId, d.MemberAccountId, anyStatus: true, ct);
            var line = await db.EnterpriseCreditLines.SingleAsync(l => l.Id == d.Id, ct);
            if (line.Expired) continue;
            var available = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.CreditOf(line.MemberAccountId)).Select(a => a.Balance).SingleAsync(ct);
            var back = Math.Min(line.Amount, available);
            if (back > 0)
            {
                await ledger.PostAsync($"ent-expire:{Ids.New()}", EnterpriseTransferKinds.Retrieve, "expired:" + line.Id,
                    $"Enterprise credit ledger expired ({line.ExpiresAt:yyyy-MM-dd HH:mm} UTC)", "system",
                    [new Movement(LedgerBook.CreditOf(line.MemberAccountId), LedgerBook.CreditOf(line.MasterAccountId), back)], ct, period);
                await MoveCreditLimitAsync(db, line.MemberAccountId, -back, ct);
                await MoveCreditLimitAsync(db, line.MasterAccountId, back, ct);
            }
            (line.Expired, line.Amount) = (true, 0m);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The credit ledger id of a member and an expiry (to the second; "none" for no expiry).</summary>
    public static string CreditLineId(string member, DateTime? expiry) => $"{member}:{(expiry is { } e ? e.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) : "none")}";

    /// <summary>The journal entry of a master's request: trans_id is unique per master across transfers and retrievals.</summary>
    public static string EntryId(string master, string transId) => $"ent:{master}:{transId}";

    async Task<EnterpriseCreditLine?> CreditLineAsync(string master, string member, DateTime? expiry, CancellationToken ct) =>
        await db.EnterpriseCreditLines.SingleOrDefaultAsync(l => l.Id == CreditLineId(member, expiry) && l.MasterAccountId == master, ct);

    async Task ChangeCreditLineAsync(string master, string member, DateTime? expiry, decimal delta, DateTime now, CancellationToken ct)
    {
        var line = await CreditLineAsync(master, member, expiry, ct);
        if (line is null)
            db.EnterpriseCreditLines.Add(line = new EnterpriseCreditLine { Id = CreditLineId(member, expiry), MasterAccountId = master, MemberAccountId = member, ExpiresAt = expiry, CreatedAt = now });
        else if (line.Expired)
        {
            // An ended ledger's id comes back only for a new transfer with the same expiry, which must be in the future: start it again.
            line.Expired = false;
            line.Amount = 0;
        }
        line.Amount += delta;
    }

    Task MoveCreditLimitAsync(string account, decimal delta, CancellationToken ct) => MoveCreditLimitAsync(db, account, delta, ct);

    static Task<int> MoveCreditLimitAsync(AppDbContext db, string account, decimal delta, CancellationToken ct) =>
        db.LedgerAccounts.Where(a => a.Id == LedgerBook.CreditOf(account)).ExecuteUpdateAsync(s => s.SetProperty(a => a.CreditLimit, a => a.CreditLimit + delta), ct);

    /// <summary>Cash the master transferred to the member less what it retrieved.</summary>
    async Task<decimal> NetCashGivenAsync(string master, string member, CancellationToken ct)
    {
        var prefix = EntryId(master, "");
        return await db.Postings.Where(p => p.AccountId == LedgerBook.CashOf(member) && EnterpriseTransferKinds.All.Contains(p.Kind) && p.EntryId.StartsWith(prefix))
            .SumAsync(p => p.Amount, ct);
    }

    /// <summary>
    /// A trans_id used before is refused first, whatever the request now asks (under the pair's lock; the entry's id is
    /// the backstop when another pair's request took it meanwhile).
    /// </summary>
    internal async Task RefuseUsedTransIdAsync(string master, string transId, CancellationToken ct)
    {
        if (await db.JournalEntries.AnyAsync(e => e.Id == EntryId(master, transId), ct)) throw new ServiceException(EnterpriseTransferErrors.DuplicateTransId());
    }

    /// <summary>The caller is a master and the customer its member in status normal (CBC.99000047 when no such account, CBC.7001 otherwise).</summary>
    internal async Task RequireMemberAsync(string master, string member, CancellationToken ct)
    {
        if (await EnterpriseMembership.IsNormalAsync(db, master, member, custodyOnly: false, ct)) return;
        throw new ServiceException(await db.Accounts.AnyAsync(a => a.Id == member, ct) ? EnterpriseTransferErrors.NoRelation() : EnterpriseTransferErrors.AccountNotFound());
    }

    /// <summary>
    /// Holds the master–member pair for this transaction: the member's row, still a normal member of this master.
    /// PostgreSQL locks it NOWAIT, so a second request of the pair is told to try again instead of queueing.
    /// </summary>
    internal Task LockPairAsync(string master, string member, CancellationToken ct) => LockPairAsync(db, master, member, anyStatus: false, ct);

    /// <summary>The lock itself; <paramref name="anyStatus"/>: the expiry job, which waits for the lock and ends a ledger whatever the member's status.</summary>
    static async Task LockPairAsync(AppDbContext db, string master, string member, bool anyStatus, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        cmd.CommandText = """SELECT 1 FROM enterprise_members WHERE "MemberAccountId" = @member AND "MasterAccountId" = @master""" +
                          (anyStatus ? "" : """ AND "Status" = @normal""") + (db.Database.IsNpgsql() ? anyStatus ? " FOR UPDATE" : " FOR UPDATE NOWAIT" : "");
        (string, object)[] parameters = anyStatus ? [("member", member), ("master", master)] : [("member", member), ("master", master), ("normal", EnterpriseCodes.Normal)];
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            (p.ParameterName, p.Value) = (name, value);
            cmd.Parameters.Add(p);
        }
        try
        {
            if (await cmd.ExecuteScalarAsync(ct) is null && !anyStatus) throw new ServiceException(EnterpriseTransferErrors.NoRelation());
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new ServiceException(EnterpriseTransferErrors.PairBusy());
        }
    }

    /// <summary>The amount as the wire has it: a string of a number more than 0 with at most 2 decimals.</summary>
    public static decimal ParseAmount(string? text)
    {
        var raw = Check.Required(text, "amount");
        if (raw.Length > 20 || !decimal.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0 || value > MaxAmount || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"amount is a number more than 0 and at most {MaxAmount} with at most 2 decimals, as a string.");
        return value;
    }

    public static EnterpriseBalanceType? ParseBalanceType(string? text) => text switch
    {
        null or "" => null,
        "BALANCE_TYPE_DEBIT" => EnterpriseBalanceType.Debit,
        "BALANCE_TYPE_CREDIT" => EnterpriseBalanceType.Credit,
        _ => throw Check.Invalid("balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT."),
    };

    /// <summary>expire_time as UTC "yyyy-MM-ddTHH:mm:ssZ" (whole seconds: it names a credit ledger).</summary>
    public static DateTime? ParseExpireTime(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFF'Z'"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw Check.Invalid("expire_time is a UTC time as yyyy-MM-ddTHH:mm:ssZ.");
        return DateTime.SpecifyKind(t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc);
    }

    public static string TransId(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Guid.NewGuid().ToString();
        return text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? text
            : throw Check.Invalid("trans_id is 1 to 64 letters, digits, hyphens or underscores.");
    }

    static (int Skip, int Take) Page(int? offset, int? limit)
    {
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
        return (offset ?? 0, limit ?? 10);
    }

    static string Text(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>Hourly: the credit ledgers masters gave members whose expiry has come end (see <see cref="EnterpriseTransfers.ExpireCreditLinesAsync"/>).</summary>
public sealed class EnterpriseCreditLineExpiryJob(TimeProvider clock) : IScheduledJob
{
    public string Name => "enterprise.credit-lines.expire";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct) => EnterpriseTransfers.ExpireCreditLinesAsync(db, clock, period, ct);
}
