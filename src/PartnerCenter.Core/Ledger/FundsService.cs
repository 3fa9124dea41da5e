using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Ledger;

public static class FundsActions
{
    public const string ViewBalances = "bss:balance:view";
    public const string TopUp = "bss:balance:topUp";
    public const string ViewConsumptionQuota = "bss:partner:viewCredit";
}

public sealed record CustomerBalances(string CashAccountId, decimal Cash, string CreditAccountId, decimal CreditAvailable, decimal CreditLimit)
{
    /// <summary>Credit used and not yet repaid.</summary>
    public decimal Debt => CreditLimit - CreditAvailable;
}

/// <summary>Huawei's consumption-quota view: <c>used = due + unbilled − balance − coupons</c>.</summary>
public sealed record ConsumptionQuota(decimal Quota, decimal Amount, decimal CouponAmount, decimal DueAmount, decimal UnbilledAmount)
{
    public decimal Used => DueAmount + UnbilledAmount - Amount - CouponAmount;
}

/// <summary>
/// Customers' cash and credit, card top-ups, the operator's adjustments and credit lines, and partners' consumption
/// quotas. Every change is a ledger entry (see <see cref="LedgerBook"/>); nothing here touches a balance directly.
/// </summary>
public sealed class FundsService(AppDbContext db, LedgerBook ledger, AccessControl access, IPaymentGateway gateway, Usage.UsageCharging usage,
    Idempotency keys, PartnerAccounts.PartnerCreditLines creditLines, TimeProvider clock)
{
    /// <summary>One online payment is at most 40,000 USD (the Partner Center's repayment limit, applied to top-ups too).</summary>
    public const decimal MaxTopUp = 40_000m;
    public const decimal MaxCreditLimit = 10_000_000m;

    public async Task<CustomerBalances> BalancesAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.ViewBalances, ct);
        await RefuseResaleAsync(caller.AccountId, ct);
        return await BalancesOfAsync(caller.AccountId, ct);
    }

    /// <summary>
    /// ShowCustomerAccountBalances: what the caller's accounts hold, for every customer. A resale customer's are what it
    /// holds too (usually nothing: its partner pays), unlike <see cref="BalancesAsync"/>, which tells the console's resale
    /// customer that its partner pays.
    /// </summary>
    public async Task<CustomerBalances> AccountBalancesAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.ViewBalances, ct);
        return await BalancesOfAsync(caller.AccountId, ct);
    }

    public async Task<CustomerBalances> BalancesOfAsync(string customerId, CancellationToken ct = default)
    {
        var accounts = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == LedgerBook.CashOf(customerId) || a.Id == LedgerBook.CreditOf(customerId)).ToListAsync(ct);
        var cash = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCash);
        var credit = accounts.SingleOrDefault(a => a.Kind == LedgerAccountKind.CustomerCredit);
        return new CustomerBalances(LedgerBook.CashOf(customerId), cash?.Balance ?? 0, LedgerBook.CreditOf(customerId), credit?.Balance ?? 0, credit?.CreditLimit ?? 0);
    }

    /// <summary>
    /// Charges a card through the gateway and credits the customer's cash. Idempotent by client token: a retry answers
    /// the first top-up and neither the card nor the balance is charged again.
    /// </summary>
    public async Task<TopUp> TopUpAsync(Caller caller, decimal? amount, CardDetails? card, string? clientToken, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.TopUp, ct);
        var value = amount ?? throw Check.Invalid("amount is required.");
        if (value <= 0 || value > MaxTopUp || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"amount is more than 0 and at most {MaxTopUp} with at most 2 decimals.");
        var token = ClientToken(clientToken);
        await RefuseResaleAsync(caller.AccountId, ct);
        Cards.Validate(card, clock.GetUtcNow().UtcDateTime);
        var (scope, fingerprint) = ("topups:" + caller.AccountId, Idempotency.Fingerprint(new { value, card = Cards.Last4(card!.Number) }));
        if (await keys.SeenAsync(scope, token, fingerprint, ct))
            return await db.TopUps.AsNoTracking().SingleAsync(t => t.AccountId == caller.AccountId && t.Target == TopUpTarget.CustomerCash && t.ClientToken == token, ct);

        var charge = await gateway.ChargeAsync(card!, value, "USD", $"topup:{caller.AccountId}:{token}", ct);
        if (!charge.Succeeded) throw new ServiceException(Errors.PaymentDeclined(charge.DeclineCode ?? "declined", charge.DeclineMessage ?? "The card was declined."));

        var topUp = new TopUp
        {
            Id = Ids.New(), AccountId = caller.AccountId, ClientToken = token, Amount = value, Status = TopUpStatus.Succeeded,
            CardLast4 = Cards.Last4(card!.Number), GatewayReference = charge.Reference, CreatedBy = caller.UserName, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await keys.TakeAsync(scope, token, fingerprint, ct)) throw new DbUpdateException("raced");
            db.TopUps.Add(topUp);
            await db.SaveChangesAsync(ct);
            await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCash, caller.AccountId, ct);
            await ledger.PostAsync($"topup:{topUp.Id}", "TopUp", topUp.Id, $"Card top-up ending {topUp.CardLast4}", caller.UserName,
                [new Movement(LedgerBook.Platform(LedgerAccountKind.PlatformGateway), LedgerBook.CashOf(caller.AccountId), value)], ct);
            await tx.CommitAsync(ct);
            await SettleArrearsAsync(caller.AccountId, $"topup:{topUp.Id}", ct);
            return topUp;
        }
        catch (DbUpdateException)
        {
            // The same client token raced in twice; the gateway deduplicated the charge by key, the first row wins.
            db.ChangeTracker.Clear();
            return await db.TopUps.AsNoTracking().SingleAsync(t => t.AccountId == caller.AccountId && t.Target == TopUpTarget.CustomerCash && t.ClientToken == token, ct);
        }
    }

    /// <summary>
    /// Money that arrives pays pay-per-use arrears at once (not at the next hourly run), so resources in grace or
    /// retention are back in use as soon as the debt is covered. Keyed by what brought the money.
    /// </summary>
    Task SettleArrearsAsync(string customer, string cause, CancellationToken ct) =>
        usage.SettleArrearsAsync(customer, $"arrears:{cause}", clock.GetUtcNow().UtcDateTime, ct);

    public async Task<IReadOnlyList<TopUp>> TopUpsAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.ViewBalances, ct);
        return await db.TopUps.AsNoTracking().Where(t => t.AccountId == caller.AccountId && t.Target == TopUpTarget.CustomerCash).OrderByDescending(t => t.CreatedAt).Take(100).ToListAsync(ct);
    }

    /// <summary>The operator credits (positive) or debits (negative) a customer's cash, with a reason; idempotent by client token.</summary>
    public async Task<CustomerBalances> AdjustAsync(Caller caller, string? customerId, decimal? amount, string? reason, string? clientToken, CancellationToken ct = default)
    {
        RequireOperator(caller, "balance adjustments");
        var customer = await ExistingCustomerAsync(customerId, ct);
        var value = amount ?? throw Check.Invalid("amount is required.");
        if (value == 0 || Math.Abs(value) > MaxCreditLimit || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"amount is non-zero, at most {MaxCreditLimit} either way, with at most 2 decimals.");
        var why = Check.MaxLength(Check.Required(reason, "reason"), "reason", 256);
        var token = ClientToken(clientToken);
        await RefuseResaleAsync(customer, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await keys.TakeAsync("adjustments:" + caller.AccountId, token, Idempotency.Fingerprint(new { customer, value, why }), ct))
            return await BalancesOfAsync(customer, ct); // this same adjustment was made before: it moves nothing again
        await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCash, customer, ct);
        var (from, to) = value > 0
            ? (LedgerBook.Platform(LedgerAccountKind.PlatformAdjustments), LedgerBook.CashOf(customer))
            : (LedgerBook.CashOf(customer), LedgerBook.Platform(LedgerAccountKind.PlatformAdjustments));
        try
        {
            await ledger.PostAsync($"adjust:{token}", "Adjustment", customer, why, caller.UserName, [new Movement(from, to, Math.Abs(value))], ct);
        }
        catch (InsufficientFundsException)
        {
            throw new ServiceException(Errors.InsufficientBalance());
        }
        await tx.CommitAsync(ct);
        if (value > 0) await SettleArrearsAsync(customer, $"adjust:{token}", ct);
        return await BalancesOfAsync(customer, ct);
    }

    /// <summary>The operator sets a customer's credit line; the available credit moves by the difference.</summary>
    public async Task<CustomerBalances> SetCreditLimitAsync(Caller caller, string? customerId, decimal? creditLimit, CancellationToken ct = default)
    {
        RequireOperator(caller, "credit lines");
        var customer = await ExistingCustomerAsync(customerId, ct);
        var limit = creditLimit ?? throw Check.Invalid("credit_amount is required.");
        if (limit < 0 || limit > MaxCreditLimit || !Money.HasAtMostTwoDecimals(limit))
            throw Check.Invalid($"credit_amount is 0 to {MaxCreditLimit} with at most 2 decimals.");
        await RefuseResaleAsync(customer, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ledger.EnsureAccountAsync(LedgerAccountKind.CustomerCredit, customer, ct);
        var old = await db.LedgerAccounts.Where(a => a.Id == LedgerBook.CreditOf(customer)).Select(a => a.CreditLimit).SingleAsync(ct);
        // Only the request that saw the old limit may change it: two concurrent changes cannot both apply their difference.
        if (await db.LedgerAccounts.Where(a => a.Id == LedgerBook.CreditOf(customer) && a.CreditLimit == old)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.CreditLimit, limit), ct) == 0)
            throw new ServiceException(Errors.ClientTokenReused());
        if (limit != old)
        {
            var (from, to) = limit > old
                ? (LedgerBook.Platform(LedgerAccountKind.PlatformCreditIssued), LedgerBook.CreditOf(customer))
                : (LedgerBook.CreditOf(customer), LedgerBook.Platform(LedgerAccountKind.PlatformCreditIssued));
            try
            {
                await ledger.PostAsync($"credit:{Ids.New()}", "CreditLine", customer, $"Credit line {old} → {limit}", caller.UserName, [new Movement(from, to, Math.Abs(limit - old))], ct);
            }
            catch (InsufficientFundsException)
            {
                throw Check.Invalid("The credit line cannot be lowered below the credit already used.");
            }
        }
        await tx.CommitAsync(ct);
        if (limit > old) await SettleArrearsAsync(customer, $"credit:{Ids.New()}", ct);
        return await BalancesOfAsync(customer, ct);
    }

    /// <summary>The operator sets a partner's consumption quota: the most it may owe for its resale customers' consumption.</summary>
    public async Task<ConsumptionQuota> SetConsumptionQuotaAsync(Caller caller, string? partnerAccountId, decimal? quota, CancellationToken ct = default)
    {
        RequireOperator(caller, "consumption quotas");
        var partner = Check.Required(partnerAccountId, "partner_account_id");
        if (!await db.Partners.AnyAsync(p => p.AccountId == partner, ct)) throw new ServiceException(Errors.NotAPartner());
        var value = quota ?? throw Check.Invalid("consumption_quota is required.");
        if (value < 0 || value > MaxCreditLimit || !Money.HasAtMostTwoDecimals(value))
            throw Check.Invalid($"consumption_quota is 0 to {MaxCreditLimit} with at most 2 decimals.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
        // A credit line running for the partner stays on top of the quota set here (see PartnerCreditLines).
        var floor = -await creditLines.QuotaWithLineAsync(partner, value, ct);
        // The quota is the payable's floor, and no balance may sit below its floor: a quota below what the partner owes
        // is refused (conditionally, so a purchase committing meanwhile cannot slip under it). Setting the quota to the
        // debt already stops new purchases.
        if (await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner) && a.Balance >= floor)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Floor, floor), ct) == 0)
        {
            var owed = -await db.LedgerAccounts.Where(a => a.Id == LedgerBook.PayableOf(partner)).Select(a => a.Balance).SingleAsync(ct);
            throw new ServiceException(Errors.ConsumptionQuotaBelowDebt(owed));
        }
        await tx.CommitAsync(ct);
        return await QuotaOfAsync(partner, ct);
    }

    public async Task<ConsumptionQuota> ConsumptionQuotaAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, FundsActions.ViewConsumptionQuota, ct);
        if (!await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct)) throw new ServiceException(Errors.NotAPartner());
        return await QuotaOfAsync(caller.AccountId, ct);
    }

    async Task<ConsumptionQuota> QuotaOfAsync(string partner, CancellationToken ct)
    {
        var payable = await db.LedgerAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == LedgerBook.PayableOf(partner), ct);
        var quota = payable is null ? LedgerBook.DefaultConsumptionQuota : -(payable.Floor ?? 0);
        // What the partner owes splits into the amount due on finalized bills and what is not billed yet. Its balance is
        // not headroom here (amount 0): it pays bills when they are made, so the quota limits exactly what is owed.
        var due = await db.PartnerBills.Where(b => b.PartnerAccountId == partner && b.Status == Billing.BillStatus.Finalized && b.Paid < b.InitialAmountDue)
            .Select(b => new { b.InitialAmountDue, b.Paid }).ToListAsync(ct);
        var dueAmount = due.Sum(b => b.InitialAmountDue - b.Paid);
        return new ConsumptionQuota(quota, 0, 0, dueAmount, -(payable?.Balance ?? 0) - dueAmount);
    }

    async Task RefuseResaleAsync(string accountId, CancellationToken ct)
    {
        if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == accountId && a.AssociationType == AssociationTypes.Resale, ct))
            throw new ServiceException(Errors.ResaleCustomerHasNoBalance());
    }

    async Task<string> ExistingCustomerAsync(string? customerId, CancellationToken ct)
    {
        var id = Check.MaxLength(Check.Required(customerId, "customer_id"), "customer_id", 64);
        return await db.Accounts.AnyAsync(a => a.Id == id, ct) ? id : throw new ServiceException(Errors.DomainNotFound());
    }

    static string ClientToken(string? token)
    {
        var t = Check.Required(token, "client_token");
        return t.Length <= 64 ? t : throw Check.Invalid("client_token is at most 64 characters.");
    }

    static void RequireOperator(Caller caller, string what)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.NoPermission($"operator:{what}"));
    }
}
