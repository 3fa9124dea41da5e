using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Partners;

/// <summary>The partner programs an account can be enrolled in.</summary>
public enum PartnerProgram { CloudSolutionProvider, Distributor, Reseller }

public enum ApplicationStatus { Pending, Approved, Rejected }

/// <summary>An account enrolled in the partner network. A reseller (tier-2) belongs to one distributor.</summary>
public sealed class Partner
{
    public required string AccountId { get; init; }
    public required string PartnerId { get; init; }
    public PartnerProgram Program { get; init; }
    public string? DistributorAccountId { get; init; }
    public required string CompanyName { get; set; }
    public DateTime JoinedAt { get; init; }
    /// <summary>A reseller the distributor let set its customers' budgets and freeze them.</summary>
    public bool CanManageBudgets { get; set; }
    /// <summary>The largest monthly budget the reseller may set for one customer (null: may not set monthly budgets).</summary>
    public decimal? MonthlyBudgetQuota { get; set; }
    /// <summary>The largest one-time budget the reseller may set for one customer (null: may not set one-time budgets).</summary>
    public decimal? PackageBudgetQuota { get; set; }
}

/// <summary>An application to join a program; the operator decides CSP and distributor applications, a distributor its resellers'.</summary>
public sealed class PartnerApplication
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public PartnerProgram Program { get; init; }
    public string? DistributorAccountId { get; init; }
    public required string CompanyName { get; init; }
    public ApplicationStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionReason { get; set; }
}

/// <summary>Huawei's association type codes on the international site.</summary>
public static class AssociationTypes
{
    public const string Referral = "1";
    public const string Resale = "3";
    public static bool IsValid(string? t) => t is Referral or Resale;
}

public enum FreezeType { Account, AccountAndResource }

/// <summary>A customer's association with its partner (at most one). Frozen state lives here: only resale customers are frozen by partners.</summary>
public sealed class CustomerAssociation
{
    public required string CustomerAccountId { get; init; }
    public required string PartnerAccountId { get; set; }
    public required string AssociationType { get; set; }
    public DateTime AssociatedAt { get; set; }
    public string? XAccountId { get; init; }
    public string? XAccountType { get; init; }
    public string Label { get; set; } = "";
    /// <summary>The partner's IAM user who manages this customer.</summary>
    public string? AccountManagerUserId { get; set; }
    public bool IsFrozen { get; set; }
    public FreezeType? FreezeType { get; set; }
}

public enum BudgetType { Monthly, Package }

/// <summary>
/// A resale customer's budget. <see cref="UsedAmount"/> is what has been spent at list price in the budget's period
/// (this month for MONTHLY, since it was set for PACKAGE); spends move it with one conditional SQL update.
/// </summary>
public sealed class CustomerBudget
{
    public required string CustomerAccountId { get; init; }
    public BudgetType BudgetType { get; set; }
    public decimal BudgetAmount { get; set; }
    public decimal UsedAmount { get; set; }
    /// <summary>The first day of the month the used amount counts from (MONTHLY); when PACKAGE accumulation started.</summary>
    public DateTime PeriodStart { get; set; }
    /// <summary>0 = the partner freezes by hand when exhausted; 1 = the customer is frozen automatically at 100 %.</summary>
    public int FrozenOperateType { get; set; }
    /// <summary>The highest alert threshold (75, 90, 100) already sent for the current period.</summary>
    public int AlertedPercent { get; set; }
}

public enum BudgetOperation { Setting, Delete }

/// <summary>An adjustment of a budget: append-only.</summary>
public sealed class BudgetRecord
{
    public long Id { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string PartnerAccountId { get; init; }
    public BudgetOperation Operation { get; init; }
    public BudgetType BudgetType { get; init; }
    public decimal BudgetAmount { get; init; }
    public DateTime OperatedAt { get; init; }
    /// <summary>The operator's login, or "system".</summary>
    public required string Operator { get; init; }
}

/// <summary>One spend checked against a budget, unique by its idempotency key: a retried spend is recorded once.</summary>
public sealed class BudgetSpend
{
    public required string IdempotencyKey { get; init; }
    public required string CustomerAccountId { get; init; }
    public decimal Amount { get; init; }
    /// <summary>The first day of the month of the spend (for month-to-date figures).</summary>
    public DateTime Month { get; init; }
    public DateTime SpentAt { get; init; }
}

public enum FreezeAction { Freeze, Unfreeze }

/// <summary>A freeze or unfreeze of a customer: who, why, when. Append-only.</summary>
public sealed class FreezeRecord
{
    public long Id { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string PartnerAccountId { get; init; }
    public FreezeAction Action { get; init; }
    public FreezeType Type { get; init; }
    public required string Reason { get; init; }
    public required string Operator { get; init; }
    public DateTime At { get; init; }
}

/// <summary>A message for a partner's console (budget alerts and the like).</summary>
public sealed class PartnerNotification
{
    public long Id { get; init; }
    public required string PartnerAccountId { get; init; }
    public required string Kind { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string Message { get; init; }
    public DateTime CreatedAt { get; init; }
    public bool Read { get; set; }
}

public enum InvitationStatus { Pending, Accepted, Declined, Cancelled }

/// <summary>
/// A partner's invitation for an existing account to associate with it. The account accepts or declines it in its own
/// console within <see cref="AssociationService.InvitationValidity"/>.
/// </summary>
public sealed class AssociationInvitation
{
    public required string Id { get; init; }
    public required string PartnerAccountId { get; init; }
    public required string CustomerAccountId { get; init; }
    public required string AssociationType { get; init; }
    public InvitationStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? RespondedAt { get; set; }
}

public enum AuthorizationStatus { Pending, Accepted, Declined, Revoked }

/// <summary>
/// A partner's request to operate a customer's resources. Accepting creates an agency in the customer's account that
/// trusts the partner's account, so the partner can exchange its token for the customer's (assume_role).
/// </summary>
public sealed class CustomerAuthorization
{
    public required string Id { get; init; }
    public required string PartnerAccountId { get; init; }
    public required string CustomerAccountId { get; init; }
    public AuthorizationStatus Status { get; set; }
    public required string AgencyName { get; init; }
    public string? AgencyId { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RespondedAt { get; set; }
}

sealed class AssociationConfiguration : IEntityTypeConfiguration<AssociationInvitation>, IEntityTypeConfiguration<CustomerAuthorization>
{
    public void Configure(EntityTypeBuilder<AssociationInvitation> e)
    {
        e.ToTable("association_invitations");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.Status });
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.AssociationType).HasMaxLength(1);
    }

    public void Configure(EntityTypeBuilder<CustomerAuthorization> e)
    {
        e.ToTable("customer_authorizations");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.Status });
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.AgencyName).HasMaxLength(64);
    }
}

sealed class PartnerConfiguration :
    IEntityTypeConfiguration<Partner>, IEntityTypeConfiguration<PartnerApplication>, IEntityTypeConfiguration<CustomerAssociation>,
    IEntityTypeConfiguration<CustomerBudget>, IEntityTypeConfiguration<BudgetRecord>, IEntityTypeConfiguration<BudgetSpend>,
    IEntityTypeConfiguration<FreezeRecord>, IEntityTypeConfiguration<PartnerNotification>
{
    public void Configure(EntityTypeBuilder<Partner> e)
    {
        e.ToTable("partners");
        e.HasKey(x => x.AccountId);
        e.HasIndex(x => x.PartnerId).IsUnique();
        e.HasIndex(x => x.DistributorAccountId);
        e.Property(x => x.Program).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.CompanyName).HasMaxLength(256);
        e.Property(x => x.MonthlyBudgetQuota).HasConversion<MoneyConverter>();
        e.Property(x => x.PackageBudgetQuota).HasConversion<MoneyConverter>();
    }

    public void Configure(EntityTypeBuilder<PartnerApplication> e)
    {
        e.ToTable("partner_applications");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Status });
        e.Property(x => x.Program).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.CompanyName).HasMaxLength(256);
    }

    public void Configure(EntityTypeBuilder<CustomerAssociation> e)
    {
        e.ToTable("customer_associations");
        e.HasKey(x => x.CustomerAccountId);
        e.HasIndex(x => new { x.PartnerAccountId, x.AssociatedAt });
        e.HasIndex(x => new { x.XAccountType, x.XAccountId }).IsUnique();
        e.Property(x => x.AssociationType).HasMaxLength(1);
        e.Property(x => x.FreezeType).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Label).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<CustomerBudget> e)
    {
        e.ToTable("customer_budgets");
        e.HasKey(x => x.CustomerAccountId);
        e.Property(x => x.BudgetType).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.BudgetAmount).HasConversion<MoneyConverter>();
        e.Property(x => x.UsedAmount).HasConversion<MoneyConverter>();
    }

    public void Configure(EntityTypeBuilder<BudgetRecord> e)
    {
        e.ToTable("budget_records");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.OperatedAt });
        e.Property(x => x.Operation).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.BudgetType).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.BudgetAmount).HasConversion<MoneyConverter>();
    }

    public void Configure(EntityTypeBuilder<BudgetSpend> e)
    {
        e.ToTable("budget_spends");
        e.HasKey(x => x.IdempotencyKey);
        e.HasIndex(x => new { x.CustomerAccountId, x.Month });
        e.Property(x => x.IdempotencyKey).HasMaxLength(128);
        e.Property(x => x.Amount).HasConversion<MoneyConverter>();
    }

    public void Configure(EntityTypeBuilder<FreezeRecord> e)
    {
        e.ToTable("freeze_records");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CustomerAccountId, x.At });
        e.Property(x => x.Action).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Reason).HasMaxLength(256);
    }

    public void Configure(EntityTypeBuilder<PartnerNotification> e)
    {
        e.ToTable("partner_notifications");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.PartnerAccountId, x.CreatedAt });
        e.Property(x => x.Message).HasMaxLength(1000);
    }
}
