using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Accounts;

public enum AccountType { Individual, Enterprise }
public enum AccountStatus { Active, Closed }

/// <summary>An account (a "domain" in IAM): owner of resources and payer of bills. Its owner is the IAM user flagged as account owner.</summary>
public sealed class Account
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    /// <summary>Mobile number as "+{country code}-{number}".</summary>
    public string? Mobile { get; set; }
    public AccountType Type { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country or region code.</summary>
    public required string Country { get; set; }
    public AccountStatus Status { get; set; }
    /// <summary>The platform operator's own account.</summary>
    public bool IsOperator { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ClosedAt { get; set; }
}

sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> e)
    {
        e.ToTable("accounts");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Email).HasMaxLength(255);
        e.Property(x => x.Mobile).HasMaxLength(32);
        e.Property(x => x.Country).HasMaxLength(2);
        e.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(x => x.Name).IsUnique();
        e.HasIndex(x => x.Email).IsUnique();
        e.HasIndex(x => x.Mobile).IsUnique();
    }
}
