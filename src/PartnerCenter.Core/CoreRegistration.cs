using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Mail;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core;

/// <summary>Registers every Core service explicitly (no assembly scanning), so what exists is readable here.</summary>
public static class CoreRegistration
{
    /// <param name="realClock">The clock the sandbox offset is added to; tests pass a fake one. Defaults to the system clock.</param>
    /// <param name="mailPickupDirectory">Where outgoing e-mails are written as .eml files.</param>
    /// <param name="attachmentDirectory">Where uploaded files (ticket attachments) are kept.</param>
    public static IServiceCollection AddPartnerCenterCore(this IServiceCollection services, DatabaseSettings database, SandboxOptions sandbox, TimeProvider? realClock = null,
        string? mailPickupDirectory = null, string? attachmentDirectory = null)
    {
        services.AddPartnerCenterDatabase(database);
        services.AddDataProtection().SetApplicationName("PartnerCenter").PersistKeysToDbContext<AppDbContext>();

        services.AddSingleton(sandbox);
        services.AddSingleton<SandboxClock>(_ => new SandboxClock(realClock ?? TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SandboxClock>());
        services.AddSingleton<JobRunner>();
        services.AddSingleton<IScheduledJob, TokenPurgeJob>();
        services.AddScoped<SandboxClockService>();

        services.AddSingleton<Passwords>();
        services.AddScoped<AccessControl>();
        services.AddScoped<AuthService>();
        services.AddScoped<UserService>();
        services.AddScoped<GroupService>();
        services.AddScoped<RoleService>();
        services.AddScoped<AccessKeyService>();
        services.AddScoped<AgencyService>();
        services.AddScoped<ProjectService>();
        services.AddScoped<SecurityPolicyService>();
        services.AddScoped<AccountService>();

        services.AddScoped<OutboxDelivery>();
        services.AddSingleton<IMailTransport>(new PickupDirectoryTransport(mailPickupDirectory ?? Path.Combine(Path.GetTempPath(), "partner-center-mail"), "partner-center@localhost"));

        services.AddScoped<PartnerScope>();
        services.AddScoped<PartnerProgramService>();
        services.AddScoped<SubCustomerService>();
        services.AddScoped<BudgetService>();
        services.AddScoped<BudgetConsumption>();
        services.AddScoped<FreezeService>();
        services.AddScoped<IndirectPartnerService>();
        services.AddScoped<AssociationService>();
        services.AddScoped<IAccountClosureCheck, PartnerClosureCheck>();
        services.AddSingleton<IScheduledJob, MonthlyBudgetResetJob>();

        services.AddScoped<Ledger.LedgerBook>();
        services.AddScoped<Idempotency>();
        services.AddScoped<Ledger.FundsService>();
        services.AddScoped<PartnerAccounts.PartnerAccountService>();
        services.AddScoped<PartnerAccounts.PartnerCreditLines>();
        services.AddScoped<PartnerAccounts.PartnerAccountChanges>();
        services.AddSingleton<IScheduledJob, PartnerAccounts.PartnerCreditLineExpiryJob>();
        services.AddScoped<Enterprise.EnterpriseTransfers>(); services.AddScoped<Enterprise.EnterpriseCoupons>(); services.AddScoped<Enterprise.EnterpriseFundsView>(); services.AddSingleton<IScheduledJob, Enterprise.EnterpriseCreditLineExpiryJob>();
        services.TryAddSingleton<Ledger.IPaymentGateway, Ledger.SandboxCardProcessor>();

        services.AddScoped<CatalogService>();
        services.AddScoped<RatingEngine>();
        services.AddScoped<DiscountService>();
        services.AddScoped<PriceInquiryService>();

        services.AddScoped<Orders.OrderService>();
        services.AddScoped<Coupons.CouponQuotaService>();
        services.AddScoped<Coupons.CouponService>();
        services.AddScoped<Coupons.CouponPayment>();
        services.AddScoped<Coupons.CouponQueries>();
        services.AddSingleton<IScheduledJob, Coupons.CouponExpiryJob>();
        services.AddScoped<Resources.ResourceFulfilment>();
        services.AddScoped<Resources.ResourceService>();
        services.AddSingleton<IScheduledJob, Resources.ResourceLifecycleJob>();
        services.AddSingleton<IScheduledJob, Resources.AutoRenewJob>();
        services.AddSingleton<IScheduledJob, Orders.OrderPaymentDeadlineJob>();

        services.AddScoped<Usage.UsageIngestion>();
        services.AddScoped<Usage.UsageCharging>();
        services.AddScoped<Usage.OnDemandService>();

        services.AddScoped<CustomerBills.CycleChargeReader>();
        services.AddScoped<CustomerBills.CustomerBillService>();
        services.AddScoped<CustomerBills.AccountChangeRecords>();
        services.AddScoped<CustomerBills.CustomerExpenditures>();
        services.AddScoped<Enterprise.EnterpriseBillService>();
        services.AddScoped<IAccountClosureCheck, Usage.UsageClosureCheck>();
        services.AddSingleton<IScheduledJob, Usage.UsageRatingJob>();

        services.AddScoped<Billing.PartnerFunds>();
        services.AddScoped<Billing.PartnerBills>();
        services.AddScoped<Exports.BillExports>();
        services.AddScoped<Exports.Invoices>();
        services.AddScoped<Billing.BillRuns>();
        services.AddSingleton(Billing.BillRunOptions.Default);
        services.AddScoped<Billing.PartnerBillMaker>();
        services.AddScoped<Billing.BillingOperator>();
        services.AddSingleton<IScheduledJob, Billing.PartnerBillRunJob>();
        services.AddSingleton<IScheduledJob, Billing.OverdueNoticeJob>();

        services.AddScoped<Revenue.IncentiveRates>();
        services.AddScoped<Revenue.IncentivePolicies>();
        services.AddScoped<Revenue.RevenueService>();
        services.AddScoped<Revenue.RevenueDocuments>();
        services.AddScoped<Revenue.IncentiveSettlement>();
        services.AddScoped<PartnerNetwork.NetworkService>();
        services.AddScoped<PartnerNetwork.BusinessInformationService>();
        services.AddScoped<PartnerNetwork.PaymentInformationService>();

        services.AddSingleton(new Tickets.TicketAttachments(attachmentDirectory ?? Path.Combine(Path.GetTempPath(), "partner-center-attachments")));
        services.AddScoped<Tickets.TicketService>();

        services.AddScoped<Enterprise.EnterpriseCenter>();
        services.AddScoped<Enterprise.EnterpriseOrganization>();
        services.AddScoped<Enterprise.EnterpriseSmsCodes>();
        services.AddScoped<Enterprise.EnterpriseMembers>();
        services.AddScoped<Enterprise.IEnterpriseMemberRemovalCheck, Enterprise.CustodyOrdersCheck>();
        return services;
    }
}

/// <summary>What every start does before serving: migrate, seed the system roles, (when empty) the default catalog and the platform's ledger accounts, ensure the operator, load the clock.</summary>
public sealed class Bootstrap(AppDbContext db, AccountService accounts, SandboxClockService clockService, CatalogService catalog, Ledger.LedgerBook ledger, TimeProvider clock)
{
    public const string OperatorName = "operator";

    /// <returns>The operator's password when this start created the operator, otherwise null.</returns>
    public async Task<string?> RunAsync(string? operatorPassword, CancellationToken ct = default)
    {
        await DatabaseRegistration.MigrateAsync(db, ct);
        await clockService.LoadAsync(ct);
        await RoleService.SeedSystemRolesAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        await catalog.LoadDefaultIfEmptyAsync(ct);
        await ledger.EnsurePlatformAccountsAsync(ct);
        if (await db.Accounts.AnyAsync(a => a.IsOperator, ct)) return null;
        var password = operatorPassword ?? NewPassword();
        await accounts.CreateAsync(new Registration(OperatorName, password, "operator@partner-center.local", null, "enterprise", "SG"), isOperator: true, ct);
        return password;
    }

    /// <summary>A random password that satisfies every password policy (four character classes).</summary>
    public static string NewPassword() =>
        "Pc#" + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 6) + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)
        + RandomNumberGenerator.GetString("23456789", 4);
}
