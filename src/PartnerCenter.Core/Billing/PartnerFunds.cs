using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;

namespace PartnerCenter.Core.Billing;

public static class BillingActions
{
    public const string View = "bss:bill:view";
    public const string Repay = "bss:bill:repay";
}

/// <summary>The Amount Due area: the balance, what is due on finalized bills, and how many bills are unpaid.</summary>
public sealed record PartnerFundsSummary(decimal Balance, decimal AmountDue, int UnpaidBills, bool Overdue, decimal Unbilled);

/// <summary>One line of the Account Statements page: a movement of the partner's balance.</summary>
public sealed record StatementLine(string EntryId, string Kind, decimal Amount, string Description, string? Reference, DateTime At);

/// <summary>What a top-up or a repayment did: the money received and what of it repaid bills (the rest stays on the balance).</summary>
public sealed record PartnerTopUpResult(TopUp TopUp, decimal Repaid, decimal AmountDue);

/// <summary>
/// A partner's own money: its balance (a ledger account with floor 0), card top-ups of it, online repayments of its
/// bills, bank transfers confirmed by the operator, and what its bills were paid with. Money that reaches the balance
/// pays the oldest unpaid finalized bills at once; what is left stays on the balance for the next bill.
/// </summary>
public sealed class PartnerFunds(AppDbContext db, LedgerBook ledger, AccessControl access, IPaymentGateway gateway, Idempotency keys, Tickets.TicketService tickets, TimeProvider clock)
{
    /// <summary>One online payment is at most 40,000 USD (the Partner Center's repayment limit).</summary>
    public const decimal MaxOnlinePayment = 40_000m;

    public async Task<PartnerFundsSummary> SummaryAsync(Caller caller, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.View, ct);
        return await SummaryOfAsync(partner, ct);
    }

    public async Task<PartnerFundsSummary> SummaryOfAsync(string partner, CancellationToken ct = default)
    {
        var balance = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.PartnerBalanceOf(partner)).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(ct) ?? 0;
        var payable = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => (decimal?)a.Balance).SingleOrDefaultAsync(ct) ?? 0;
        var unpaid = await UnpaidBillsOf(partner).ToListAsync(ct);
        var due = unpaid.Sum(b => b.AmountDue);
        var now = clock.GetUtcNow().UtcDateTime;
        return new PartnerFundsSummary(balance, due, unpaid.Count, unpaid.Any(b => b.DueAt <= now), -payable - due);
    }

    /// <summary>The finalized bills with something still to pay, oldest first (the Unpaid Bills dialog).</summary>
    public async Task<IReadOnlyList<PartnerBill>> UnpaidBillsAsync(Caller caller, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.View, ct);
        return await UnpaidBillsOf(partner).ToListAsync(ct);
    }

    IQueryable<PartnerBill> UnpaidBillsOf(string partner) => db.PartnerBills.AsNoTracking()
        .Where(b => b.PartnerAccountId == partner && b.Status == BillStatus.Finalized && b.Paid < b.InitialAmountDue)
        .OrderBy(b => b.Cycle);

    /// <summary>Charges a card and credits the partner's balance, which pays due bills first. Idempotent by client token.</summary>
    public async Task<PartnerTopUpResult> TopUpAsync(Caller caller, decimal? amount, CardDetails? card, string? clientToken, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.Repay, ct);
        var value = PaymentAmount(amount);
        return await ChargeCardAsync(caller, partner, value, card, clientToken, TopUpTarget.PartnerBalance, ct);
    }

    /// <summary>
    /// Online repayment (Partner Bills > Amount Due > Repay > Online Payment): more than 0, at most 2 decimals, never more
    /// than the amount due, at most 40,000.00 in one payment; the card is charged, the balance topped up and the due
    /// bills repaid, oldest first. The same request again (same client token) charges once; the token with another
    /// request is 409. Every refusal is made before the card is charged, so nothing is written.
    /// </summary>
    public async Task<PartnerTopUpResult> RepayAsync(Caller caller, decimal? amount, CardDetails? card, string? clientToken, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.Repay, ct);
        var value = PaymentAmount(amount);
        var token = ClientToken(clientToken);
        // A retry after success is answered as the first was, even though the amount due has fallen since.
        var fingerprint = RequestFingerprint(value, card);
        if (await keys.SeenAsync(Scope(TopUpTarget.PartnerRepayment, partner), token, fingerprint, ct))
            return await AnswerAsync(partner, TopUpTarget.PartnerRepayment, token, ct);
        var due = (await SummaryOfAsync(partner, ct)).AmountDue;
        if (value > due) throw new ServiceException(Errors.RepaymentOverAmountDue(due));
        return await ChargeCardAsync(caller, partner, value, card, token, TopUpTarget.PartnerRepayment, ct);
    }

    static decimal PaymentAmount(decimal? amount)
    {
        var value = amount ?? throw Check.Invalid("amount is required.");
        if (value <= 0 || !Money.HasAtMostTwoDecimals(value)) throw Check.Invalid("amount is more than 0 with at most 2 decimals.");
        if (value > MaxOnlinePayment) throw new ServiceException(Errors.RepaymentOverLimit(MaxOnlinePayment));
        return value;
    }

    static string Scope(TopUpTarget target, string partner) => (target == TopUpTarget.PartnerRepayment ? "repayments:" : "partner-topups:") + partner;
    static string RequestFingerprint(decimal value, CardDetails? card) => Idempotency.Fingerprint(new { value, card = Cards.Last4(card?.Number) });

    async Task<PartnerTopUpResult> ChargeCardAsync(Caller caller, string partner, decimal value, CardDetails? card, string? clientToken, TopUpTarget target, CancellationToken ct)
    {
        var token = ClientToken(clientToken);
        Cards.Validate(card, clock.GetUtcNow().UtcDateTime);
        var (scope, fingerprint) = (Scope(target, partner), RequestFingerprint(value, card));
        if (await keys.SeenAsync(scope, token, fingerprint, ct)) return await AnswerAsync(partner, target, token, ct);

        var charge = await gateway.ChargeAsync(card!, value, "USD", $"{scope}:{token}", ct);
        if (!charge.Succeeded) throw new ServiceException(Errors.PaymentDeclined(charge.DeclineCode ?? "declined", charge.DeclineMessage ?? "The card was declined."));
        var topUp = new TopUp
        {
            Id = Ids.New(), AccountId = partner, ClientToken = token, Amount = value, Status = TopUpStatus.Succeeded, Target = target,
            CardLast4 = Cards.Last4(card!.Number), GatewayReference = charge.Reference, CreatedBy = caller.UserName, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await keys.TakeAsync(scope, token, fingerprint, ct)) throw new DbUpdateException("raced");
            db.TopUps.Add(topUp);
            await db.SaveChangesAsync(ct);
            var method = target == TopUpTarget.PartnerRepayment ? BillPaymentMethods.OnlinePayment : BillPaymentMethods.Balance;
            await CreditAndRepayAsync(partner, $"ptopup:{topUp.Id}", "PartnerTopUp", LedgerAccountKind.PlatformGateway, value,
                $"Card top-up ending {topUp.CardLast4}", topUp.Id, method, caller.UserName, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same client token raced in twice; the gateway deduplicated the charge by key, the first row wins.
            db.ChangeTracker.Clear();
        }
        return await AnswerAsync(partner, target, token, ct);
    }

    async Task<PartnerTopUpResult> AnswerAsync(string partner, TopUpTarget target, string token, CancellationToken ct)
    {
        var topUp = await db.TopUps.AsNoTracking().SingleAsync(t => t.AccountId == partner && t.Target == target && t.ClientToken == token, ct);
        var repaid = await db.BillPayments.AsNoTracking().Where(p => p.PartnerAccountId == partner && p.SourceId == topUp.Id).SumAsync(p => p.Amount, ct);
        return new PartnerTopUpResult(topUp, repaid, (await SummaryOfAsync(partner, ct)).AmountDue);
    }

    /// <summary>
    /// In the caller's transaction: credits the partner's balance from a platform account under <paramref name="entryId"/>
    /// (false, and nothing moves, when that entry exists: the money came before), then repays due bills from it.
    /// </summary>
    public async Task<bool> CreditAndRepayAsync(string partner, string entryId, string kind, LedgerAccountKind from, decimal amount, string description,
        string sourceId, string method, string by, CancellationToken ct)
    {
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerBalance, partner, ct);
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
        if (!await ledger.PostAsync(entryId, kind, sourceId, description, by, [new Movement(LedgerBook.Platform(from), LedgerBook.PartnerBalanceOf(partner), amount)], ct))
            return false;
        await RepayFromBalanceAsync(partner, amount, sourceId, method, by, ct);
        return true;
    }

    /// <summary>
    /// In the caller's transaction: pays the partner's unpaid finalized bills, oldest first, with up to
    /// <paramref name="available"/> of its balance. Each bill moves by a conditional update that never pays past its
    /// amount, so concurrent payments cannot overpay; what one could not place stays on the balance. Returns what was paid.
    /// </summary>
    public async Task<decimal> RepayFromBalanceAsync(string partner, decimal available, string sourceId, string method, string by, CancellationToken ct)
    {
        var paid = 0m;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var bill in await UnpaidBillsOf(partner).ToListAsync(ct))
        {
            var x = Math.Min(available - paid, bill.AmountDue);
            if (x <= 0) break;
            if (await db.PartnerBills.Where(b => b.Id == bill.Id && b.Paid + x <= b.InitialAmountDue)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.Paid, b => b.Paid + x), ct) == 0) continue;
            var entry = $"repay:{sourceId}:{bill.Id}";
            await ledger.PostAsync(entry, "Repayment", bill.Id, $"Repayment of the {bill.Cycle} bill", by,
                [new Movement(LedgerBook.PartnerBalanceOf(partner), LedgerBook.PayableOf(partner), x)], ct);
            db.BillPayments.Add(new BillPayment { Id = entry, BillId = bill.Id, PartnerAccountId = partner, Amount = x, Method = method, SourceId = sourceId, CreatedBy = by, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            paid += x;
        }
        return paid;
    }

    /// <summary>
    /// The operator confirms a partner's bank-transfer ticket: the transferred amount tops up the partner's balance and
    /// repays its due bills, and the ticket waits for the partner's confirmation. Once per ticket, however often it is confirmed (the ledger entry is keyed by the ticket).
    /// </summary>
    public async Task<PartnerFundsSummary> ConfirmBankTransferAsync(Caller caller, string? ticketId, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("confirm bank transfers"));
        var id = Check.MaxLength(Check.Required(ticketId, "ticket_id"), "ticket_id", 64);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw new ServiceException(Errors.TicketNotFound());
        var entry = $"banktransfer:{ticket.Id}";
        if (ticket.Type != Tickets.TicketTypes.BankTransfer || ticket.HandlerAccountId is not null || ticket.TransferAmount is not { } amount)
            throw new ServiceException(Errors.NotABankTransfer());
        var confirmedBefore = await db.JournalEntries.AnyAsync(e => e.Id == entry, ct);
        if (!confirmedBefore && !Tickets.TicketService.IsOpen(ticket.Status)) throw new ServiceException(Errors.NotABankTransfer());
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await CreditAndRepayAsync(ticket.AccountId, entry, "BankTransfer", LedgerAccountKind.PlatformBankTransfers, amount,
                $"Bank transfer {ticket.BankReference} (ticket {ticket.Id})", ticket.Id, BillPaymentMethods.BankTransfer, caller.UserName, ct);
            // The ticket says so in the same transaction: the partner sees the confirmation and closes it.
            await tickets.ResolveOnBehalfAsync(caller, ticket.Id,
                $"Your bank transfer of {amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)} USD (reference {ticket.BankReference}) is confirmed: it was credited to your account and applied to your bills due.", ct);
            await tx.CommitAsync(ct);
        }
        return await SummaryOfAsync(ticket.AccountId, ct);
    }

    /// <summary>Which of these bank-transfer tickets the operator has confirmed already (their ledger entry exists).</summary>
    public async Task<IReadOnlySet<string>> ConfirmedBankTransfersAsync(Caller caller, IEnumerable<string> ticketIds, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("see bank-transfer confirmations"));
        var entries = ticketIds.Select(id => $"banktransfer:{id}").ToList();
        var found = await db.JournalEntries.AsNoTracking().Where(e => entries.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        return found.Select(e => e["banktransfer:".Length..]).ToHashSet();
    }

    /// <summary>The Account Statements page: every movement of the partner's balance, newest first.</summary>
    public async Task<(IReadOnlyList<StatementLine> Lines, int Total)> StatementsAsync(Caller caller, int? offset, int? limit, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.View, ct);
        var (skip, take) = BillPaging.Of(offset, limit);
        var account = LedgerBook.PartnerBalanceOf(partner);
        var postings = db.Postings.AsNoTracking().Where(p => p.AccountId == account);
        var total = await postings.CountAsync(ct);
        var rows = await postings.OrderByDescending(p => p.Id).Skip(skip).Take(take)
            .Join(db.JournalEntries, p => p.EntryId, e => e.Id, (p, e) => new { p.EntryId, e.Kind, p.Amount, e.Description, e.Reference, p.CreatedAt })
            .ToListAsync(ct);
        return (rows.Select(r => new StatementLine(r.EntryId, StatementKind(r.Kind), r.Amount, r.Description, r.Reference, r.CreatedAt)).ToList(), total);
    }

    static string StatementKind(string entryKind) => entryKind switch
    {
        "PartnerTopUp" or "BankTransfer" => "top_up",
        "Repayment" => "repayment",
        "BillDeduction" => "bill_deduction",
        "BillCredit" => "bill_credit",
        _ => entryKind,
    };

    /// <summary>The Payment records page: every payment on the partner's bills, newest first.</summary>
    public async Task<(IReadOnlyList<BillPayment> Payments, int Total)> PaymentsAsync(Caller caller, int? offset, int? limit, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.View, ct);
        var (skip, take) = BillPaging.Of(offset, limit);
        var all = db.BillPayments.AsNoTracking().Where(p => p.PartnerAccountId == partner);
        return (await all.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).Skip(skip).Take(take).ToListAsync(ct), await all.CountAsync(ct));
    }

    /// <summary>Keeps a sandbox card on file, charged for the amount due when bills are made on the 5th.</summary>
    public async Task<PartnerCard> SetCardOnFileAsync(Caller caller, CardDetails? card, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.Repay, ct);
        Cards.Validate(card, clock.GetUtcNow().UtcDateTime);
        var number = Cards.NormalizedNumber(card!.Number);
        var row = await db.PartnerCards.SingleOrDefaultAsync(c => c.PartnerAccountId == partner, ct);
        if (row is null) db.PartnerCards.Add(row = new PartnerCard { PartnerAccountId = partner, Number = number, Last4 = number[^4..] });
        (row.Number, row.Last4, row.ExpiryMonth, row.ExpiryYear, row.UpdatedAt) = (number, number[^4..], card.ExpiryMonth!.Value, card.ExpiryYear!.Value, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return row;
    }

    public async Task<PartnerCard?> CardOnFileAsync(Caller caller, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.View, ct);
        return await db.PartnerCards.AsNoTracking().SingleOrDefaultAsync(c => c.PartnerAccountId == partner, ct);
    }

    public async Task RemoveCardOnFileAsync(Caller caller, CancellationToken ct = default)
    {
        var partner = await PartnerAsync(caller, BillingActions.Repay, ct);
        await db.PartnerCards.Where(c => c.PartnerAccountId == partner).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Charges a bill's amount due to the partner's card on file (the 5th). Idempotent per bill: the gateway key and the
    /// ledger entry are the bill's, so a run resumed after a crash charges once. A declined card leaves the bill due.
    /// </summary>
    public async Task<bool> ChargeCardOnFileAsync(PartnerBill bill, CancellationToken ct)
    {
        var card = await db.PartnerCards.AsNoTracking().SingleOrDefaultAsync(c => c.PartnerAccountId == bill.PartnerAccountId, ct);
        var due = bill.AmountDue;
        if (card is null || due <= 0) return false;
        var key = $"cardonfile:{bill.Id}";
        if (await db.TopUps.AnyAsync(t => t.AccountId == bill.PartnerAccountId && t.Target == TopUpTarget.PartnerRepayment && t.ClientToken == key, ct)) return false;
        var details = new CardDetails(card.Number, card.ExpiryMonth, card.ExpiryYear, null, null);
        var charge = await gateway.ChargeAsync(details, due, "USD", key, ct);
        if (!charge.Succeeded) return false;
        var topUp = new TopUp
        {
            Id = Ids.New(), AccountId = bill.PartnerAccountId, ClientToken = key, Amount = due, Status = TopUpStatus.Succeeded, Target = TopUpTarget.PartnerRepayment,
            CardLast4 = card.Last4, GatewayReference = charge.Reference, CreatedBy = "system", CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.TopUps.Add(topUp);
        await db.SaveChangesAsync(ct);
        await CreditAndRepayAsync(bill.PartnerAccountId, $"ptopup:{topUp.Id}", "PartnerTopUp", LedgerAccountKind.PlatformGateway, due,
            $"Card on file ending {card.Last4} for the {bill.Cycle} bill", topUp.Id, BillPaymentMethods.CardOnFile, "system", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    async Task<string> PartnerAsync(Caller caller, string action, CancellationToken ct)
    {
        await access.RequireAsync(caller, action, ct);
        return await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct) ? caller.AccountId : throw new ServiceException(Errors.NotAPartner());
    }

    static string ClientToken(string? token)
    {
        var t = Check.Required(token, "client_token");
        return t.Length <= 64 ? t : throw Check.Invalid("client_token is at most 64 characters.");
    }
}

/// <summary>
/// Where a partner sends a bank-transfer repayment (the "standard top-up account" the Repay page names). This sandbox
/// platform has no bank: the account is a fixed sandbox one; the transfer itself is registered by a bank-transfer ticket.
/// </summary>
public sealed record TopUpAccount(string Bank, string AccountName, string AccountNumber, string Swift, string Currency)
{
    public static readonly TopUpAccount Sandbox = new("Sandbox Bank", "Partner Center Platform (sandbox)", "000-123456-001", "SANDSGSGXXX", "USD");

    /// <summary>The invoice number to quote on a transfer: the oldest unpaid bill's id, which the transfer repays first.</summary>
    public static string? InvoiceNumberFor(IReadOnlyList<PartnerBill> unpaidOldestFirst) => unpaidOldestFirst.Count > 0 ? unpaidOldestFirst[0].Id : null;
}
