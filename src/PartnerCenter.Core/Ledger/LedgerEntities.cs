using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Ledger;

/// <summary>
/// The accounts of the double-entry ledger. Money always moves from one account to another, so the balances of all
/// accounts sum to zero; the platform's accounts are the counterparts of what customers and partners hold or owe.
/// </summary>
public enum LedgerAccountKind
{
    /// <summary>A customer's cash balance (Huawei account_type 1). Never below zero.</summary>
    CustomerCash,
    /// <summary>Credit the platform extends to a customer (account_type 2): the balance is the credit still available. Never below zero.</summary>
    CustomerCredit,
    /// <summary>What a partner owes the platform for its resale customers' consumption (negative = owed). Never below minus its consumption quota.</summary>
    PartnerPayable,
    /// <summary>The platform's revenue: what customers and partners paid for orders and usage.</summary>
    PlatformRevenue,
    /// <summary>Card money received through the payment gateway, owed to the customers it was credited to.</summary>
    PlatformGateway,
    /// <summary>The counterpart of the operator's manual adjustments.</summary>
    PlatformAdjustments,
    /// <summary>The counterpart of credit lines granted to customers.</summary>
    PlatformCreditIssued,
    /// <summary>A customer's pay-per-use debt (arrears): negative = owed. No floor; settled from cash and credit.</summary>
    CustomerArrears,
    /// <summary>A partner's own account balance (top-ups, bank transfers): pays its bills. Never below zero.</summary>
    PartnerBalance,
    /// <summary>Bank transfers received for partners' repayments, owed to the partners they were credited to.</summary>
    PlatformBankTransfers,
    /// <summary>A customer's cash and flexi-purchase coupons: the sum of their balances. Never below zero.</summary>
    CustomerCoupons,
    /// <summary>The platform's marketing expense funding coupons (the counterpart of every coupon's value issued).</summary>
    PlatformCoupons,
}

/// <summary>One ledger account with its balance kept up to date in the same transaction as its postings.</summary>
public sealed class LedgerAccount
{
    public required string Id { get; init; }
    public LedgerAccountKind Kind { get; init; }
    /// <summary>The customer or partner account it belongs to; null for the platform's own accounts.</summary>
    public string? OwnerAccountId { get; init; }
    public decimal Balance { get; set; }
    /// <summary>The lowest the balance may go (null: no floor). Enforced by the conditional update that moves it.</summary>
    public decimal? Floor { get; set; }
    /// <summary>For a credit account: the credit line granted (Huawei credit_amount).</summary>
    public decimal CreditLimit { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>One money movement: an entry whose postings sum to zero. Its id is the idempotency key of the request that made it.</summary>
public sealed class JournalEntry
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    /// <summary>What the money was for: an order id, a top-up id, an adjustment's reason.</summary>
    public string? Reference { get; init; }
    public required string Description { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>
    /// The business instant the money is for, which decides the bill cycle it lands in: when it was posted, except for
    /// what a job books for its period (pay-per-use is booked at the hour it was rated for, even when the run happens
    /// later, e.g. after the sandbox clock jumped a month).
    /// </summary>
    public DateTime BookedAt { get; init; }
}

public sealed class Posting
{
    public long Id { get; init; }
    public required string EntryId { get; init; }
    public required string AccountId { get; init; }
    public decimal Amount { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>Its entry's <see cref="JournalEntry.BookedAt"/>, kept on the posting so an account's movements of a cycle read one table.</summary>
    public DateTime BookedAt { get; init; }
    /// <summary>
    /// Its entry's <see cref="JournalEntry.Kind"/> and <see cref="JournalEntry.Reference"/>, kept on the posting too: a
    /// partner's bill groups a month of its payable's movements by them without joining a journal entry per posting.
    /// </summary>
    public required string Kind { get; init; }
    public string? Reference { get; init; }
}

/// <summary>A declined card writes no top-up (the request is refused), so every stored top-up succeeded; refunds of top-ups would add states.</summary>
public enum TopUpStatus { Succeeded }

/// <summary>What a card top-up credits: a customer's cash, a partner's balance, or a partner's balance to repay its bills at once.</summary>
public enum TopUpTarget { CustomerCash, PartnerBalance, PartnerRepayment }

/// <summary>A card top-up of a customer's cash balance through the payment gateway.</summary>
public sealed class TopUp
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string ClientToken { get; init; }
    public decimal Amount { get; init; }
    public TopUpStatus Status { get; init; }
    public TopUpTarget Target { get; init; }
    public required string CardLast4 { get; init; }
    public string? GatewayReference { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class LedgerConfiguration :
    IEntityTypeConfiguration<LedgerAccount>, IEntityTypeConfiguration<JournalEntry>, IEntityTypeConfiguration<Posting>, IEntityTypeConfiguration<TopUp>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> e)
    {
        e.ToTable("ledger_accounts");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(96);
        e.HasIndex(x => new { x.OwnerAccountId, x.Kind }).IsUnique();
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<JournalEntry> e)
    {
        e.ToTable("journal_entries");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(160);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Reference).HasMaxLength(128);
        e.Property(x => x.Description).HasMaxLength(512);
        e.Property(x => x.CreatedBy).HasMaxLength(64);
        e.HasIndex(x => x.CreatedAt);
    }

    public void Configure(EntityTypeBuilder<Posting> e)
    {
        e.ToTable("postings");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.EntryId);
        e.HasIndex(x => new { x.AccountId, x.Id });
        // A bill reads one partner's payable movements of a cycle by their booked instant, grouped by kind and reference:
        // the index holds all it reads, so the run reads the index alone (no table row per hourly charge).
        e.HasIndex(x => new { x.AccountId, x.BookedAt, x.Kind, x.Reference, x.Amount });
        e.Property(x => x.EntryId).HasMaxLength(160);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Reference).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(96);
    }

    public void Configure(EntityTypeBuilder<TopUp> e)
    {
        e.ToTable("top_ups");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Target, x.ClientToken }).IsUnique();
        e.HasIndex(x => new { x.AccountId, x.CreatedAt });
        e.Property(x => x.Target).HasConversion<string>().HasMaxLength(24);
        e.Property(x => x.ClientToken).HasMaxLength(64);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.CardLast4).HasMaxLength(4);
        e.Property(x => x.GatewayReference).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(64);
    }
}
