using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Mail;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Data;

/// <summary>
/// The one DbContext. It is abstract over the provider: <see cref="SqliteAppDbContext"/> and <see cref="PostgresAppDbContext"/>
/// only exist so that each provider has its own migrations in this assembly.
/// </summary>
public abstract class AppDbContext : DbContext, IDataProtectionKeyContext
{
    protected AppDbContext(DbContextOptions options) : base(options)
    {
        // Services roll back the whole transaction on any failure, so SaveChanges inside one needs no savepoint of its own
        // (two extra statements each time). The pool keeps this setting for every rental.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<IamUser> Users => Set<IamUser>();
    public DbSet<IamGroup> Groups => Set<IamGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<IamRole> Roles => Set<IamRole>();
    public DbSet<GroupRole> GroupRoles => Set<GroupRole>();
    public DbSet<AccessKey> AccessKeys => Set<AccessKey>();
    public DbSet<IssuedToken> Tokens => Set<IssuedToken>();
    public DbSet<TemporaryAccessKey> TemporaryAccessKeys => Set<TemporaryAccessKey>();
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<AgencyRole> AgencyRoles => Set<AgencyRole>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<SecurityPolicy> SecurityPolicies => Set<SecurityPolicy>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<PartnerApplication> PartnerApplications => Set<PartnerApplication>();
    public DbSet<CustomerAssociation> CustomerAssociations => Set<CustomerAssociation>();
    public DbSet<CustomerBudget> CustomerBudgets => Set<CustomerBudget>();
    public DbSet<BudgetRecord> BudgetRecords => Set<BudgetRecord>();
    public DbSet<BudgetSpend> BudgetSpends => Set<BudgetSpend>();
    public DbSet<FreezeRecord> FreezeRecords => Set<FreezeRecord>();
    public DbSet<PartnerNotification> PartnerNotifications => Set<PartnerNotification>();
    public DbSet<PartnerAccounts.PartnerCreditLine> PartnerCreditLines => Set<PartnerAccounts.PartnerCreditLine>();
    public DbSet<AssociationInvitation> AssociationInvitations => Set<AssociationInvitation>();
    public DbSet<CustomerAuthorization> CustomerAuthorizations => Set<CustomerAuthorization>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Ledger.LedgerAccount> LedgerAccounts => Set<Ledger.LedgerAccount>();
    public DbSet<Ledger.JournalEntry> JournalEntries => Set<Ledger.JournalEntry>();
    public DbSet<Ledger.Posting> Postings => Set<Ledger.Posting>();
    public DbSet<Ledger.TopUp> TopUps => Set<Ledger.TopUp>();
    public DbSet<Orders.Order> Orders => Set<Orders.Order>();
    public DbSet<Orders.OrderLine> OrderLines => Set<Orders.OrderLine>();
    public DbSet<Orders.OrderDiscountOption> OrderDiscountOptions => Set<Orders.OrderDiscountOption>();
    public DbSet<Resources.CloudResource> CloudResources => Set<Resources.CloudResource>();
    public DbSet<Resources.ResourcePeriod> ResourcePeriods => Set<Resources.ResourcePeriod>();
    public DbSet<Resources.RefundLine> RefundLines => Set<Resources.RefundLine>();
    public DbSet<Resources.RenewConfig> RenewConfigs => Set<Resources.RenewConfig>();
    public DbSet<Usage.UsageRecord> UsageRecords => Set<Usage.UsageRecord>();
    public DbSet<Usage.UsageFeeHour> UsageFeeHours => Set<Usage.UsageFeeHour>();
    public DbSet<Usage.UsageAccount> UsageAccounts => Set<Usage.UsageAccount>();
    public DbSet<Usage.AllocatedUsageCharge> AllocatedUsageCharges => Set<Usage.AllocatedUsageCharge>();
    public DbSet<Usage.UsageRatingPeriod> UsageRatingPeriods => Set<Usage.UsageRatingPeriod>();
    public DbSet<Usage.FreeResourcePackage> FreeResourcePackages => Set<Usage.FreeResourcePackage>();
    public DbSet<Usage.FreeResourceDeduction> FreeResourceDeductions => Set<Usage.FreeResourceDeduction>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<Common.IdempotencyKey> IdempotencyKeys => Set<Common.IdempotencyKey>();
    public DbSet<ClockState> ClockStates => Set<ClockState>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ServiceType> ServiceTypes => Set<ServiceType>();
    public DbSet<ResourceType> ResourceTypes => Set<ResourceType>();
    public DbSet<UsageType> UsageTypes => Set<UsageType>();
    public DbSet<MeasureUnit> MeasureUnits => Set<MeasureUnit>();
    public DbSet<MeasureConversion> MeasureConversions => Set<MeasureConversion>();
    public DbSet<CatalogRegion> CatalogRegions => Set<CatalogRegion>();
    public DbSet<ResourceSpec> ResourceSpecs => Set<ResourceSpec>();
    public DbSet<SpecPrice> SpecPrices => Set<SpecPrice>();
    public DbSet<CustomerDiscount> CustomerDiscounts => Set<CustomerDiscount>();
    public DbSet<SettlementDiscount> SettlementDiscounts => Set<SettlementDiscount>();
    public DbSet<Tickets.Ticket> Tickets => Set<Tickets.Ticket>();
    public DbSet<Tickets.TicketMessage> TicketMessages => Set<Tickets.TicketMessage>();
    public DbSet<Tickets.TicketAttachment> TicketAttachments => Set<Tickets.TicketAttachment>();
    public DbSet<Billing.PartnerBill> PartnerBills => Set<Billing.PartnerBill>();
    public DbSet<Billing.PartnerBillLine> PartnerBillLines => Set<Billing.PartnerBillLine>();
    public DbSet<Billing.BillRun> BillRuns => Set<Billing.BillRun>();
    public DbSet<Billing.BillPayment> BillPayments => Set<Billing.BillPayment>();
    public DbSet<Billing.BillingSettings> BillingSettings => Set<Billing.BillingSettings>();
    public DbSet<Billing.TaxRate> TaxRates => Set<Billing.TaxRate>();
    public DbSet<Billing.PartnerCard> PartnerCards => Set<Billing.PartnerCard>();
    public DbSet<Revenue.IncentiveRate> IncentiveRates => Set<Revenue.IncentiveRate>();
    public DbSet<Revenue.RevenueGoal> RevenueGoals => Set<Revenue.RevenueGoal>();
    public DbSet<Coupons.CouponQuota> CouponQuotas => Set<Coupons.CouponQuota>();
    public DbSet<Coupons.Coupon> Coupons => Set<Coupons.Coupon>();
    public DbSet<Coupons.CouponChange> CouponChanges => Set<Coupons.CouponChange>();
    public DbSet<Coupons.CouponQuotaRecord> CouponQuotaRecords => Set<Coupons.CouponQuotaRecord>();
    public DbSet<Coupons.OrderCoupon> OrderCoupons => Set<Coupons.OrderCoupon>();
    public DbSet<Enterprise.EnterpriseMaster> EnterpriseMasters => Set<Enterprise.EnterpriseMaster>();
    public DbSet<Enterprise.EnterpriseUnit> EnterpriseUnits => Set<Enterprise.EnterpriseUnit>();
    public DbSet<Enterprise.EnterpriseMember> EnterpriseMembers => Set<Enterprise.EnterpriseMember>();
    public DbSet<Enterprise.EnterpriseInvitation> EnterpriseInvitations => Set<Enterprise.EnterpriseInvitation>();
    public DbSet<Enterprise.EnterpriseEvent> EnterpriseEvents => Set<Enterprise.EnterpriseEvent>();
    public DbSet<Enterprise.EnterpriseSmsCode> EnterpriseSmsCodes => Set<Enterprise.EnterpriseSmsCode>();
    public DbSet<Enterprise.EnterpriseCreditLine> EnterpriseCreditLines => Set<Enterprise.EnterpriseCreditLine>();
    public DbSet<Enterprise.EnterpriseSubCoupon> EnterpriseSubCoupons => Set<Enterprise.EnterpriseSubCoupon>();
    public DbSet<PartnerNetwork.Company> Companies => Set<PartnerNetwork.Company>();
    public DbSet<PartnerNetwork.CompanyRevision> CompanyRevisions => Set<PartnerNetwork.CompanyRevision>();
    public DbSet<PartnerNetwork.NetworkMember> NetworkMembers => Set<PartnerNetwork.NetworkMember>();
    public DbSet<PartnerNetwork.NetworkApplication> NetworkApplications => Set<PartnerNetwork.NetworkApplication>();
    public DbSet<PartnerNetwork.AgreementAcceptance> AgreementAcceptances => Set<PartnerNetwork.AgreementAcceptance>();
    public DbSet<PartnerNetwork.BusinessInfoSubmission> BusinessInfoSubmissions => Set<PartnerNetwork.BusinessInfoSubmission>();
    public DbSet<PartnerNetwork.PaymentTaxRate> PaymentTaxRates => Set<PartnerNetwork.PaymentTaxRate>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite keeps it as ISO text (sortable), PostgreSQL as timestamptz.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        // Every decimal is money, kept as integer micro-units: SQL compares and sums it natively on both providers, and
        // SQLite never needs EF's decimal-as-text functions (see LeanSqliteConnection).
        configurationBuilder.Properties<decimal>().HaveConversion<Common.MoneyConverter>();
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);

/// <summary>Reads every stored timestamp back as UTC, whatever the provider returns.</summary>
sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
