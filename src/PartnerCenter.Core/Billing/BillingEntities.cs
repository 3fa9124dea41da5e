using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Billing;

/// <summary>A draft can be replaced by a later draft run; a finalized bill never changes except by what is paid on it.</summary>
public enum BillStatus { Draft, Finalized }

/// <summary>
/// A partner's postpaid bill for one cycle (Huawei's ListPostpaidBillSum): what its resale customers' consumption cost
/// it at settlement price, less refunds, plus adjustments. Its amount is deducted from the partner's balance when it is
/// finalized; what the balance could not cover is the amount due, repaid online or by bank transfer.
/// </summary>
public sealed class PartnerBill
{
    public required string Id { get; init; }
    public required string PartnerAccountId { get; init; }
    /// <summary>"YYYY-MM" (<see cref="BillCycle"/>).</summary>
    public required string Cycle { get; init; }
    public BillStatus Status { get; set; }
    /// <summary>The payable movements this bill covers: BookedAt in [CoversFrom, CoversTo). CoversFrom is the previous bill's end.</summary>
    public DateTime CoversFrom { get; init; }
    public DateTime CoversTo { get; init; }
    /// <summary>Order payments, renewals and pay-per-use at settlement price (positive).</summary>
    public decimal ConsumeAmount { get; init; }
    /// <summary>Refunds of unsubscribed resources (zero or negative, as Huawei signs them).</summary>
    public decimal Refunds { get; init; }
    /// <summary>The operator's corrections and write-offs (either sign).</summary>
    public decimal Adjustments { get; init; }
    /// <summary>consume + refunds + adjustments: what the partner owes for the cycle (negative: a credit to its balance).</summary>
    public decimal InitialAmountDue { get; init; }
    /// <summary>The rate of the partner's country when the bill was made; the tax is shown apart, not counted in the amount due.</summary>
    public decimal TaxRate { get; init; }
    public decimal TaxAmount { get; init; }
    /// <summary>What the partner's balance covered when the bill was finalized.</summary>
    public decimal Deducted { get; set; }
    /// <summary>Everything paid on the bill: the deduction and every repayment.</summary>
    public decimal Paid { get; set; }
    public DateTime DueAt { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>When the partner was told this bill is overdue (once).</summary>
    public DateTime? OverdueNotifiedAt { get; set; }
    public List<PartnerBillLine> Lines { get; init; } = [];

    /// <summary>What is still to pay: never negative (a credit bill is settled into the balance when finalized).</summary>
    public decimal AmountDue => Math.Max(0, InitialAmountDue) - Paid;
}

/// <summary>The kinds of bill line: every payable movement of a bill lands in exactly one line of one of these.</summary>
public static class BillLineKinds
{
    public const string OrderPayment = "order_payment";
    public const string Renewal = "renewal";
    public const string PayPerUse = "pay_per_use";
    public const string Refund = "refund";
    public const string Adjustment = "adjustment";
}

/// <summary>One line of a bill: the sum of one resale customer's payable movements of one kind (adjustments: the partner's own).</summary>
public sealed class PartnerBillLine
{
    public long Id { get; init; }
    public required string BillId { get; init; }
    /// <summary>The resale customer; null for the partner's own adjustments.</summary>
    public string? CustomerAccountId { get; init; }
    public required string Kind { get; init; }
    /// <summary>What the line adds to the bill: positive for charges, negative for refunds and credits.</summary>
    public decimal Amount { get; init; }
    /// <summary>How many ledger movements the line sums.</summary>
    public int Movements { get; init; }
}

/// <summary>The progress of one bill run of one cycle (a draft run and the final run are tracked apart).</summary>
public sealed class BillRun
{
    /// <summary>"YYYY-MM:final" or "YYYY-MM:draft".</summary>
    public required string Id { get; init; }
    public required string Cycle { get; init; }
    public bool Draft { get; init; }
    public int PartnersTotal { get; set; }
    public int PartnersDone { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string IdOf(BillCycle cycle, bool draft) => $"{cycle}:{(draft ? "draft" : "final")}";
}

/// <summary>How a bill was paid.</summary>
public static class BillPaymentMethods
{
    public const string Balance = "balance";
    public const string OnlinePayment = "online_payment";
    public const string CardOnFile = "card_on_file";
    public const string BankTransfer = "bank_transfer";
}

/// <summary>One payment on one bill (the Payment records page): a deduction from the balance or a repayment.</summary>
public sealed class BillPayment
{
    /// <summary>The ledger entry that moved the money (also the payment's idempotency key).</summary>
    public required string Id { get; init; }
    public required string BillId { get; init; }
    public required string PartnerAccountId { get; init; }
    public decimal Amount { get; init; }
    public required string Method { get; init; }
    /// <summary>The top-up, ticket or bill the money came with.</summary>
    public string? SourceId { get; init; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>The operator's billing settings: one row.</summary>
public sealed class BillingSettings
{
    public int Id { get; init; } = 1;
    /// <summary>Days from a bill's finalization to its due date (15 by default).</summary>
    public int DueDays { get; set; } = 15;
}

/// <summary>The output-tax rate for partners of one country (0 when none is set).</summary>
public sealed class TaxRate
{
    /// <summary>ISO 3166 alpha-2, as accounts keep it.</summary>
    public required string Country { get; init; }
    public decimal Rate { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A partner's card on file, charged for the amount due on the 5th. Only the sandbox gateway exists, whose test cards
/// are public numbers, so the number itself is kept; a real gateway would keep its own token here instead.
/// </summary>
public sealed class PartnerCard
{
    public required string PartnerAccountId { get; init; }
    public required string Number { get; set; }
    public int ExpiryMonth { get; set; }
    public int ExpiryYear { get; set; }
    public required string Last4 { get; set; }
    public DateTime UpdatedAt { get; set; }
}

sealed class BillingConfiguration :
    IEntityTypeConfiguration<PartnerBill>, IEntityTypeConfiguration<PartnerBillLine>, IEntityTypeConfiguration<BillRun>,
    IEntityTypeConfiguration<BillPayment>, IEntityTypeConfiguration<BillingSettings>, IEntityTypeConfiguration<TaxRate>, IEntityTypeConfiguration<PartnerCard>
{
    public void Configure(EntityTypeBuilder<PartnerBill> e)
    {
        e.ToTable("partner_bills");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.Cycle).HasMaxLength(7);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        // One draft and one finalized bill per partner and cycle at most: a resumed run cannot bill a partner twice.
        e.HasIndex(x => new { x.PartnerAccountId, x.Cycle, x.Status }).IsUnique();
        e.HasIndex(x => new { x.Cycle, x.Status });
        e.Ignore(x => x.AmountDue);
        e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.BillId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<PartnerBillLine> e)
    {
        e.ToTable("partner_bill_lines");
        e.HasKey(x => x.Id);
        e.Property(x => x.BillId).HasMaxLength(64);
        e.Property(x => x.CustomerAccountId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.HasIndex(x => x.BillId);
    }

    public void Configure(EntityTypeBuilder<BillRun> e)
    {
        e.ToTable("bill_runs");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(16);
        e.Property(x => x.Cycle).HasMaxLength(7);
    }

    public void Configure(EntityTypeBuilder<BillPayment> e)
    {
        e.ToTable("bill_payments");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(160);
        e.Property(x => x.BillId).HasMaxLength(64);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.Method).HasMaxLength(32);
        e.Property(x => x.SourceId).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(64);
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.HasIndex(x => x.BillId);
    }

    public void Configure(EntityTypeBuilder<BillingSettings> e)
    {
        e.ToTable("billing_settings");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<TaxRate> e)
    {
        e.ToTable("tax_rates");
        e.HasKey(x => x.Country);
        e.Property(x => x.Country).HasMaxLength(2);
        e.Property(x => x.Rate).HasConversion<Common.PreciseAmountConverter>();
    }

    public void Configure(EntityTypeBuilder<PartnerCard> e)
    {
        e.ToTable("partner_cards");
        e.HasKey(x => x.PartnerAccountId);
        e.Property(x => x.PartnerAccountId).HasMaxLength(64);
        e.Property(x => x.Number).HasMaxLength(19);
        e.Property(x => x.Last4).HasMaxLength(4);
    }
}
