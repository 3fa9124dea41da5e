using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Enterprise;

/// <summary>Huawei's codes of the enterprise multi-account operations, in one place.</summary>
public static class EnterpriseCodes
{
    /// <summary>Member status as ListEnterpriseSubCustomers reports it: 1 normal, 2 creating, 3 closing, 4 closed, 101 registering, 102 pending activation.</summary>
    public const int Normal = 1, Creating = 2, Closing = 3, Closed = 4, Registering = 101, PendingActivation = 102;
    /// <summary>sub_customer_association_type: 1 = the same legal entity (the only kind a master may create).</summary>
    public const int SameLegalEntity = 1;
    /// <summary>The permissions a finance-custody member grants its master, fixed by the docs.</summary>
    public static readonly string[] CustodyPermissions = ["READ_FINANCE_INFO", "READ_CONSUME_BILL", "SHARE-BIZ-DISCOUNT-TO-SUB"];
}

/// <summary>
/// An enterprise account that enabled Enterprise Center: a master account. Its organization is a tree of
/// <see cref="EnterpriseUnit"/>s under one root unit created with it.
/// </summary>
public sealed class EnterpriseMaster
{
    public required string AccountId { get; init; }
    public required string RootUnitId { get; init; }
    public DateTime EnabledAt { get; init; }
}

/// <summary>
/// One unit of a master's organization ("party" in the API: a member's <c>party_id</c>, a listing's <c>org_id</c>).
/// Ids are digit strings because <c>parent_id</c> is documented as digits only.
/// </summary>
public sealed class EnterpriseUnit
{
    public required string Id { get; init; }
    public required string MasterAccountId { get; init; }
    /// <summary>Null for the root unit.</summary>
    public string? ParentId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; init; }
}

public enum MemberOrigin { Created, Invited }

/// <summary>An account in a master's organization. An account is a member of at most one organization.</summary>
public sealed class EnterpriseMember
{
    public required string MemberAccountId { get; init; }
    public required string MasterAccountId { get; init; }
    public required string UnitId { get; set; }
    /// <summary>One of the <see cref="EnterpriseCodes"/> member statuses.</summary>
    public int Status { get; set; }
    public MemberOrigin Origin { get; init; }
    /// <summary>The master manages this member's finances (pays its orders, sees its bills, shares discounts).</summary>
    public bool FinancialCustody { get; set; }
    /// <summary>Space-separated permission ids the member granted its master.</summary>
    public string Permissions { get; set; } = "";
    public DateTime JoinedAt { get; init; }
    /// <summary>The name the master knows the member by (ListEnterpriseSubCustomers' display_name); the account name unless the master chose one.</summary>
    public string DisplayName { get; set; } = "";
}

public enum InvitationStatus { Pending, Accepted, Declined, Cancelled, Expired }

/// <summary>A master's invitation to an existing account to join a unit of its organization.</summary>
public sealed class EnterpriseInvitation
{
    public required string Id { get; init; }
    public required string MasterAccountId { get; init; }
    public required string UnitId { get; init; }
    public required string InviteeAccountId { get; init; }
    public bool FinancialCustody { get; init; }
    public InvitationStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? AnsweredAt { get; set; }
}

sealed class EnterpriseConfiguration :
    IEntityTypeConfiguration<EnterpriseMaster>, IEntityTypeConfiguration<EnterpriseUnit>,
    IEntityTypeConfiguration<EnterpriseMember>, IEntityTypeConfiguration<EnterpriseInvitation>
{
    public void Configure(EntityTypeBuilder<EnterpriseMaster> e)
    {
        e.ToTable("enterprise_masters");
        e.HasKey(x => x.AccountId);
        e.Property(x => x.AccountId).HasMaxLength(32);
        e.Property(x => x.RootUnitId).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<EnterpriseUnit> e)
    {
        e.ToTable("enterprise_units");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.ParentId).HasMaxLength(32);
        e.Property(x => x.Name).HasMaxLength(64);
        e.HasIndex(x => new { x.MasterAccountId, x.ParentId });
    }

    public void Configure(EntityTypeBuilder<EnterpriseMember> e)
    {
        e.ToTable("enterprise_members");
        e.HasKey(x => x.MemberAccountId);
        e.Property(x => x.MemberAccountId).HasMaxLength(32);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.UnitId).HasMaxLength(32);
        e.Property(x => x.Origin).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Permissions).HasMaxLength(512);
        e.Property(x => x.DisplayName).HasMaxLength(64);
        e.HasIndex(x => new { x.MasterAccountId, x.UnitId });
    }

    public void Configure(EntityTypeBuilder<EnterpriseInvitation> e)
    {
        e.ToTable("enterprise_invitations");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.MasterAccountId).HasMaxLength(32);
        e.Property(x => x.UnitId).HasMaxLength(32);
        e.Property(x => x.InviteeAccountId).HasMaxLength(32);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(x => new { x.InviteeAccountId, x.Status });
        e.HasIndex(x => new { x.MasterAccountId, x.Status });
    }
}
