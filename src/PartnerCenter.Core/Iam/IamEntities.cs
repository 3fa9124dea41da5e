using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Iam;

/// <summary>An IAM user. Every account has exactly one user with <see cref="IsAccountOwner"/> set: the account itself signing in.</summary>
public sealed class IamUser
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public string? Email { get; set; }
    public string? AreaCode { get; set; }
    public string? Phone { get; set; }
    public bool Enabled { get; set; } = true;
    public string Description { get; set; } = "";
    public bool IsAccountOwner { get; init; }
    /// <summary>The user must change the password at the next sign-in (IAM's pwd_status).</summary>
    public bool PasswordResetRequired { get; set; }
    public string? XUserType { get; set; }
    public string? XUserId { get; set; }
    /// <summary>default, programmatic or console.</summary>
    public string AccessMode { get; set; } = "default";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastLoginAt { get; set; }
    public DateTime PasswordChangedAt { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? FailedSignInWindowStart { get; set; }
    public DateTime? LockedUntil { get; set; }
}

public sealed class IamGroup
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTime CreatedAt { get; init; }
}

public sealed class GroupMember
{
    public required string AccountId { get; init; }
    public required string GroupId { get; init; }
    public required string UserId { get; init; }
}

/// <summary>A system role (AccountId null) or an account's custom policy. <see cref="PolicyJson"/> holds the IAM policy document.</summary>
public sealed class IamRole
{
    public required string Id { get; init; }
    public string? AccountId { get; init; }
    public required string Name { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>AX: global services; XA: project-level services; AA: both.</summary>
    public required string Type { get; set; }
    public required string Catalog { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The description in Chinese, which IAM keeps beside the other; absent when none was given.</summary>
    public string? DescriptionCn { get; set; }
    public required string PolicyJson { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A role granted to a group on its whole account.</summary>
public sealed class GroupRole
{
    public required string AccountId { get; init; }
    public required string GroupId { get; init; }
    public required string RoleId { get; init; }
}

public sealed class AccessKey
{
    public required string Access { get; init; }
    public required string AccountId { get; init; }
    public required string UserId { get; init; }
    /// <summary>The secret key, encrypted with Data Protection; shown in plain text only once, when created.</summary>
    public required string ProtectedSecret { get; init; }
    public bool Active { get; set; } = true;
    public string Description { get; set; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// A temporary access key: an AK/SK pair bound to a security token (itself an issued token) that the client sends as
/// X-Security-Token. It acts exactly as that token does and dies with it.
/// </summary>
public sealed class TemporaryAccessKey
{
    public required string Access { get; init; }
    public required string ProtectedSecret { get; init; }
    public required string TokenHash { get; init; }
    public DateTime ExpiresAt { get; init; }
}

/// <summary>An issued token. Only the SHA-256 of the token string is stored.</summary>
public sealed class IssuedToken
{
    public required string Hash { get; init; }
    /// <summary>The account the token acts in (the delegating account for an agency token).</summary>
    public required string AccountId { get; init; }
    public required string UserId { get; init; }
    /// <summary>The account the user belongs to.</summary>
    public required string UserAccountId { get; init; }
    public string? ProjectId { get; init; }
    public string? AgencyId { get; init; }
    /// <summary>A temporary key's session policy: the token may do only what this document also allows.</summary>
    public string? SessionPolicyJson { get; init; }
    public required string Method { get; init; }
    public DateTime IssuedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
}

/// <summary>An account's delegation to another (trusted) account, whose users may then act in it with the agency's roles.</summary>
public sealed class Agency
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Name { get; init; }
    public required string TrustAccountId { get; set; }
    public string Description { get; set; } = "";
    /// <summary>"FOREVER" or a number of days as text ("ONEDAY" is taken as "1").</summary>
    public string Duration { get; set; } = "FOREVER";
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; init; }
}

public sealed class AgencyRole
{
    public required string AccountId { get; init; }
    public required string AgencyId { get; init; }
    public required string RoleId { get; init; }
}

/// <summary>A region project of an account; every account gets one per region.</summary>
public sealed class Project
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Name { get; init; }
    public string Description { get; set; } = "";
    public bool Enabled { get; set; } = true;
}

/// <summary>An account's password and login policies, with IAM's defaults.</summary>
public sealed class SecurityPolicy
{
    public required string AccountId { get; init; }
    public int MinimumPasswordLength { get; set; } = 8;
    public int MaximumPasswordLength { get; set; } = 32;
    /// <summary>How many of the four character classes a password needs.</summary>
    public int PasswordCharCombination { get; set; } = 2;
    public int MaximumConsecutiveIdenticalChars { get; set; }
    public int MinimumPasswordAge { get; set; }
    public int NumberOfRecentPasswordsDisallowed { get; set; } = 1;
    public bool PasswordNotUsernameOrInvert { get; set; } = true;
    /// <summary>Days a password stays valid; 0 means forever.</summary>
    public int PasswordValidityPeriod { get; set; }
    public int AccountValidityPeriod { get; set; }
    public string CustomInfoForLogin { get; set; } = "";
    /// <summary>Minutes a user stays locked after too many failures.</summary>
    public int LockoutDuration { get; set; } = 15;
    public int LoginFailedTimes { get; set; } = 5;
    /// <summary>Minutes in which the failures are counted.</summary>
    public int PeriodWithLoginFailures { get; set; } = 15;
    /// <summary>Minutes of console inactivity before sign-out.</summary>
    public int SessionTimeout { get; set; } = 60;
    public bool ShowRecentLoginInfo { get; set; }
}

sealed class IamConfiguration :
    IEntityTypeConfiguration<IamUser>, IEntityTypeConfiguration<IamGroup>, IEntityTypeConfiguration<GroupMember>,
    IEntityTypeConfiguration<IamRole>, IEntityTypeConfiguration<GroupRole>, IEntityTypeConfiguration<AccessKey>,
    IEntityTypeConfiguration<IssuedToken>, IEntityTypeConfiguration<Agency>, IEntityTypeConfiguration<AgencyRole>,
    IEntityTypeConfiguration<Project>, IEntityTypeConfiguration<SecurityPolicy>, IEntityTypeConfiguration<TemporaryAccessKey>
{
    public void Configure(EntityTypeBuilder<TemporaryAccessKey> e)
    {
        e.ToTable("iam_temporary_access_keys");
        e.HasKey(x => x.Access);
        e.HasIndex(x => x.ExpiresAt);
    }

    public void Configure(EntityTypeBuilder<IamUser> e)
    {
        e.ToTable("iam_users");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Description).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<IamGroup> e)
    {
        e.ToTable("iam_groups");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Description).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<GroupMember> e)
    {
        e.ToTable("iam_group_members");
        e.HasKey(x => new { x.AccountId, x.GroupId, x.UserId });
        e.HasIndex(x => new { x.AccountId, x.UserId });
    }

    public void Configure(EntityTypeBuilder<IamRole> e)
    {
        e.ToTable("iam_roles");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(128);
        e.Property(x => x.DisplayName).HasMaxLength(128);
        e.Property(x => x.Description).HasMaxLength(1000);
        e.Property(x => x.DescriptionCn).HasMaxLength(1000);
    }

    public void Configure(EntityTypeBuilder<GroupRole> e)
    {
        e.ToTable("iam_group_roles");
        e.HasKey(x => new { x.AccountId, x.GroupId, x.RoleId });
    }

    public void Configure(EntityTypeBuilder<AccessKey> e)
    {
        e.ToTable("iam_access_keys");
        e.HasKey(x => x.Access);
        e.HasIndex(x => new { x.AccountId, x.UserId });
        e.Property(x => x.Description).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<IssuedToken> e)
    {
        e.ToTable("iam_tokens");
        e.HasKey(x => x.Hash);
        e.HasIndex(x => x.ExpiresAt);
    }

    public void Configure(EntityTypeBuilder<Agency> e)
    {
        e.ToTable("iam_agencies");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
        e.HasIndex(x => x.TrustAccountId);
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Description).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<AgencyRole> e)
    {
        e.ToTable("iam_agency_roles");
        e.HasKey(x => new { x.AccountId, x.AgencyId, x.RoleId });
    }

    public void Configure(EntityTypeBuilder<Project> e)
    {
        e.ToTable("iam_projects");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<SecurityPolicy> e)
    {
        e.ToTable("iam_security_policies");
        e.HasKey(x => x.AccountId);
    }
}
