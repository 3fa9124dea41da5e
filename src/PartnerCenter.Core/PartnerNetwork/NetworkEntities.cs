using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.PartnerNetwork;

/// <summary>
/// A partner company: what Basic Information shows as Company Information. Every partner account of the company points
/// at one record; only the company's master partner account (<see cref="MasterAccountId"/>) changes it, and every change
/// is kept as a <see cref="CompanyRevision"/>.
/// </summary>
public sealed class Company
{
    public required string Id { get; init; }
    public required string MasterAccountId { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 3166 alpha-2.</summary>
    public required string Country { get; set; }
    public required string Address { get; set; }
    public string? Website { get; set; }
    public required string Industry { get; set; }
    public required string Size { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The company as it was after one change: the history of <see cref="Company"/>, append-only.</summary>
public sealed class CompanyRevision
{
    public long Id { get; init; }
    public required string CompanyId { get; init; }
    public required string Name { get; init; }
    public required string Country { get; init; }
    public required string Address { get; init; }
    public string? Website { get; init; }
    public required string Industry { get; init; }
    public required string Size { get; init; }
    /// <summary>What made the change: network_application, program_application, business_information, demo.</summary>
    public required string Source { get; init; }
    public required string ChangedBy { get; init; }
    public DateTime ChangedAt { get; init; }
}

/// <summary>An account that joined the partner network (HCPN), with the company it belongs to and its contact.</summary>
public sealed class NetworkMember
{
    public required string AccountId { get; init; }
    public required string CompanyId { get; init; }
    public required string ContactName { get; set; }
    public required string ContactEmail { get; set; }
    public required string ContactPhone { get; set; }
    public DateTime JoinedAt { get; init; }
}

public enum NetworkApplicationStatus { Pending, Approved, Rejected }

/// <summary>An account's application to join the partner network: its company and contact, reviewed by the operator.</summary>
public sealed class NetworkApplication
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string CompanyName { get; init; }
    public required string Country { get; init; }
    public required string Address { get; init; }
    public string? Website { get; init; }
    public required string Industry { get; init; }
    public required string Size { get; init; }
    public required string ContactName { get; init; }
    public required string ContactEmail { get; init; }
    public required string ContactPhone { get; init; }
    public NetworkApplicationStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionReason { get; set; }
}

/// <summary>An agreement an account accepted: which one, which version, when, and on what occasion. Append-only.</summary>
public sealed class AgreementAcceptance
{
    public long Id { get; init; }
    public required string AccountId { get; init; }
    public required string AgreementCode { get; init; }
    public required string Version { get; init; }
    /// <summary>The network application or business information submission it was accepted with.</summary>
    public required string AcceptedWith { get; init; }
    public required string AcceptedBy { get; init; }
    public DateTime AcceptedAt { get; init; }
}

public enum BusinessInfoStatus { UnderReview, Approved, Rejected }

/// <summary>
/// One submission of business information (company, tax, financial contact and bank) for the operator's review. Rows
/// are never changed after the decision: the latest approved one is the partner's business information, and the rows
/// are its history.
/// </summary>
public sealed class BusinessInfoSubmission
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string CompanyId { get; init; }
    // Step 1: company, tax and financial contact.
    public required string CompanyName { get; init; }
    public required string RegistrationNumber { get; init; }
    public required string RegisteredAddress { get; init; }
    public required string TaxId { get; init; }
    public required string FinanceContactName { get; init; }
    public required string FinanceContactEmail { get; init; }
    public required string FinanceContactPhone { get; init; }
    // Step 2: bank.
    public required string BankName { get; init; }
    public required string BankBranch { get; init; }
    public required string AccountName { get; init; }
    public required string AccountNumber { get; init; }
    public required string SwiftCode { get; init; }
    public string? IntermediaryBankName { get; init; }
    public string? IntermediarySwiftCode { get; init; }
    public BusinessInfoStatus Status { get; set; }
    public DateTime SubmittedAt { get; init; }
    public required string SubmittedBy { get; init; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionReason { get; set; }
}

/// <summary>The tax rate (percent) a partner charges on its incentive invoices, from a moment on. Append-only: the rows are the history.</summary>
public sealed class PaymentTaxRate
{
    public long Id { get; init; }
    public required string AccountId { get; init; }
    public decimal RatePercent { get; init; }
    public required string SetBy { get; init; }
    public DateTime SetAt { get; init; }
}

sealed class NetworkConfiguration :
    IEntityTypeConfiguration<Company>, IEntityTypeConfiguration<CompanyRevision>, IEntityTypeConfiguration<NetworkMember>,
    IEntityTypeConfiguration<NetworkApplication>, IEntityTypeConfiguration<AgreementAcceptance>, IEntityTypeConfiguration<BusinessInfoSubmission>,
    IEntityTypeConfiguration<PaymentTaxRate>
{
    public void Configure(EntityTypeBuilder<Company> e)
    {
        e.ToTable("companies");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.Name).HasMaxLength(256);
        e.Property(x => x.Country).HasMaxLength(2);
        e.Property(x => x.Address).HasMaxLength(512);
        e.Property(x => x.Website).HasMaxLength(256);
        e.Property(x => x.Industry).HasMaxLength(32);
        e.Property(x => x.Size).HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<CompanyRevision> e)
    {
        e.ToTable("company_revisions");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.CompanyId, x.ChangedAt });
        e.Property(x => x.CompanyId).HasMaxLength(32);
        e.Property(x => x.Name).HasMaxLength(256);
        e.Property(x => x.Country).HasMaxLength(2);
        e.Property(x => x.Address).HasMaxLength(512);
        e.Property(x => x.Website).HasMaxLength(256);
        e.Property(x => x.Industry).HasMaxLength(32);
        e.Property(x => x.Size).HasMaxLength(16);
        e.Property(x => x.Source).HasMaxLength(32);
        e.Property(x => x.ChangedBy).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<NetworkMember> e)
    {
        e.ToTable("network_members");
        e.HasKey(x => x.AccountId);
        e.HasIndex(x => x.CompanyId);
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.CompanyId).HasMaxLength(32);
        e.Property(x => x.ContactName).HasMaxLength(64);
        e.Property(x => x.ContactEmail).HasMaxLength(255);
        e.Property(x => x.ContactPhone).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<NetworkApplication> e)
    {
        e.ToTable("network_applications");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Status });
        e.HasIndex(x => new { x.Status, x.CreatedAt });
        // At most one pending application an account, whatever the interleaving.
        e.HasIndex(x => x.AccountId).IsUnique().HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_network_applications_one_pending");
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.CompanyName).HasMaxLength(256);
        e.Property(x => x.Country).HasMaxLength(2);
        e.Property(x => x.Address).HasMaxLength(512);
        e.Property(x => x.Website).HasMaxLength(256);
        e.Property(x => x.Industry).HasMaxLength(32);
        e.Property(x => x.Size).HasMaxLength(16);
        e.Property(x => x.ContactName).HasMaxLength(64);
        e.Property(x => x.ContactEmail).HasMaxLength(255);
        e.Property(x => x.ContactPhone).HasMaxLength(32);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.DecidedBy).HasMaxLength(64);
        e.Property(x => x.DecisionReason).HasMaxLength(512);
    }

    public void Configure(EntityTypeBuilder<AgreementAcceptance> e)
    {
        e.ToTable("agreement_acceptances");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.AgreementCode });
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.AgreementCode).HasMaxLength(64);
        e.Property(x => x.Version).HasMaxLength(16);
        e.Property(x => x.AcceptedWith).HasMaxLength(32);
        e.Property(x => x.AcceptedBy).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<BusinessInfoSubmission> e)
    {
        e.ToTable("business_info_submissions");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.SubmittedAt });
        e.HasIndex(x => new { x.Status, x.SubmittedAt });
        // At most one submission under review an account, whatever the interleaving.
        e.HasIndex(x => x.AccountId).IsUnique().HasFilter("\"Status\" = 'UnderReview'").HasDatabaseName("IX_business_info_one_under_review");
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.CompanyId).HasMaxLength(32);
        e.Property(x => x.CompanyName).HasMaxLength(256);
        e.Property(x => x.RegistrationNumber).HasMaxLength(64);
        e.Property(x => x.RegisteredAddress).HasMaxLength(512);
        e.Property(x => x.TaxId).HasMaxLength(64);
        e.Property(x => x.FinanceContactName).HasMaxLength(64);
        e.Property(x => x.FinanceContactEmail).HasMaxLength(255);
        e.Property(x => x.FinanceContactPhone).HasMaxLength(32);
        e.Property(x => x.BankName).HasMaxLength(128);
        e.Property(x => x.BankBranch).HasMaxLength(128);
        e.Property(x => x.AccountName).HasMaxLength(256);
        e.Property(x => x.AccountNumber).HasMaxLength(34);
        e.Property(x => x.SwiftCode).HasMaxLength(11);
        e.Property(x => x.IntermediaryBankName).HasMaxLength(128);
        e.Property(x => x.IntermediarySwiftCode).HasMaxLength(11);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.SubmittedBy).HasMaxLength(64);
        e.Property(x => x.DecidedBy).HasMaxLength(64);
        e.Property(x => x.DecisionReason).HasMaxLength(512);
    }

    public void Configure(EntityTypeBuilder<PaymentTaxRate> e)
    {
        e.ToTable("payment_tax_rates");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.SetAt });
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.SetBy).HasMaxLength(64);
    }
}
