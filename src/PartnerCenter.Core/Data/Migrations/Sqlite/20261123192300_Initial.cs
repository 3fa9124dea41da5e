using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accounts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Mobile = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IsOperator = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "association_invitations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    AssociationType = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_association_invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "budget_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BudgetType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BudgetAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    OperatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Operator = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_budget_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "budget_spends",
                columns: table => new
                {
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SpentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_budget_spends", x => x.IdempotencyKey);
                });

            migrationBuilder.CreateTable(
                name: "clock_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    OffsetSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    JobsEpoch = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clock_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customer_associations",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    AssociationType = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    AssociatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    XAccountId = table.Column<string>(type: "TEXT", nullable: true),
                    XAccountType = table.Column<string>(type: "TEXT", nullable: true),
                    Label = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccountManagerUserId = table.Column<string>(type: "TEXT", nullable: true),
                    IsFrozen = table.Column<bool>(type: "INTEGER", nullable: false),
                    FreezeType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_associations", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "customer_authorizations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AgencyName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_authorizations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customer_budgets",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    BudgetType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BudgetAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodStart = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FrozenOperateType = table.Column<int>(type: "INTEGER", nullable: false),
                    AlertedPercent = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_budgets", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "freeze_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Operator = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_freeze_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_access_keys",
                columns: table => new
                {
                    Access = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_access_keys", x => x.Access);
                });

            migrationBuilder.CreateTable(
                name: "iam_agencies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TrustAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Duration = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_agencies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_agency_roles",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", nullable: false),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_agency_roles", x => new { x.AccountId, x.AgencyId, x.RoleId });
                });

            migrationBuilder.CreateTable(
                name: "iam_group_members",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    GroupId = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_group_members", x => new { x.AccountId, x.GroupId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "iam_group_roles",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    GroupId = table.Column<string>(type: "TEXT", nullable: false),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_group_roles", x => new { x.AccountId, x.GroupId, x.RoleId });
                });

            migrationBuilder.CreateTable(
                name: "iam_groups",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_projects",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_projects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_roles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    Catalog = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PolicyJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_roles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_security_policies",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    MinimumPasswordLength = table.Column<int>(type: "INTEGER", nullable: false),
                    MaximumPasswordLength = table.Column<int>(type: "INTEGER", nullable: false),
                    PasswordCharCombination = table.Column<int>(type: "INTEGER", nullable: false),
                    MaximumConsecutiveIdenticalChars = table.Column<int>(type: "INTEGER", nullable: false),
                    MinimumPasswordAge = table.Column<int>(type: "INTEGER", nullable: false),
                    NumberOfRecentPasswordsDisallowed = table.Column<int>(type: "INTEGER", nullable: false),
                    PasswordNotUsernameOrInvert = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordValidityPeriod = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountValidityPeriod = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomInfoForLogin = table.Column<string>(type: "TEXT", nullable: false),
                    LockoutDuration = table.Column<int>(type: "INTEGER", nullable: false),
                    LoginFailedTimes = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodWithLoginFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    SessionTimeout = table.Column<int>(type: "INTEGER", nullable: false),
                    ShowRecentLoginInfo = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_security_policies", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "iam_temporary_access_keys",
                columns: table => new
                {
                    Access = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_temporary_access_keys", x => x.Access);
                });

            migrationBuilder.CreateTable(
                name: "iam_tokens",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    UserAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<string>(type: "TEXT", nullable: true),
                    AgencyId = table.Column<string>(type: "TEXT", nullable: true),
                    Method = table.Column<string>(type: "TEXT", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_tokens", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "iam_users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", nullable: true),
                    AreaCode = table.Column<string>(type: "TEXT", nullable: true),
                    Phone = table.Column<string>(type: "TEXT", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    IsAccountOwner = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordResetRequired = table.Column<bool>(type: "INTEGER", nullable: false),
                    XUserType = table.Column<string>(type: "TEXT", nullable: true),
                    XUserId = table.Column<string>(type: "TEXT", nullable: true),
                    AccessMode = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastLoginAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PasswordChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FailedSignIns = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedSignInWindowStart = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LockedUntil = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    JobName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Period = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => new { x.JobName, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    To = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_applications",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Program = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DistributorAccountId = table.Column<string>(type: "TEXT", nullable: true),
                    CompanyName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_applications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Read = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<string>(type: "TEXT", nullable: true),
                    Program = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DistributorAccountId = table.Column<string>(type: "TEXT", nullable: true),
                    CompanyName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CanManageBudgets = table.Column<bool>(type: "INTEGER", nullable: false),
                    MonthlyBudgetQuota = table.Column<long>(type: "INTEGER", nullable: true),
                    PackageBudgetQuota = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners", x => x.AccountId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_accounts_Email",
                table: "accounts",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_accounts_Mobile",
                table: "accounts",
                column: "Mobile",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_accounts_Name",
                table: "accounts",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_association_invitations_CustomerAccountId_Status",
                table: "association_invitations",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_association_invitations_PartnerAccountId_CreatedAt",
                table: "association_invitations",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_budget_records_CustomerAccountId_OperatedAt",
                table: "budget_records",
                columns: new[] { "CustomerAccountId", "OperatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_budget_spends_CustomerAccountId_Month",
                table: "budget_spends",
                columns: new[] { "CustomerAccountId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_associations_PartnerAccountId_AssociatedAt",
                table: "customer_associations",
                columns: new[] { "PartnerAccountId", "AssociatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_associations_XAccountType_XAccountId",
                table: "customer_associations",
                columns: new[] { "XAccountType", "XAccountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_customer_authorizations_CustomerAccountId_Status",
                table: "customer_authorizations",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_authorizations_PartnerAccountId_CreatedAt",
                table: "customer_authorizations",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_freeze_records_CustomerAccountId_At",
                table: "freeze_records",
                columns: new[] { "CustomerAccountId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_iam_access_keys_AccountId_UserId",
                table: "iam_access_keys",
                columns: new[] { "AccountId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_iam_agencies_AccountId_Name",
                table: "iam_agencies",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_iam_agencies_TrustAccountId",
                table: "iam_agencies",
                column: "TrustAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_iam_group_members_AccountId_UserId",
                table: "iam_group_members",
                columns: new[] { "AccountId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_iam_groups_AccountId_Name",
                table: "iam_groups",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_iam_projects_AccountId_Name",
                table: "iam_projects",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_iam_roles_AccountId_Name",
                table: "iam_roles",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_iam_temporary_access_keys_ExpiresAt",
                table: "iam_temporary_access_keys",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_iam_tokens_ExpiresAt",
                table: "iam_tokens",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_iam_users_AccountId_Name",
                table: "iam_users",
                columns: new[] { "AccountId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_SentAt",
                table: "outbox_messages",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_partner_applications_AccountId_Status",
                table: "partner_applications",
                columns: new[] { "AccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_notifications_PartnerAccountId_CreatedAt",
                table: "partner_notifications",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_partners_DistributorAccountId",
                table: "partners",
                column: "DistributorAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_partners_PartnerId",
                table: "partners",
                column: "PartnerId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accounts");

            migrationBuilder.DropTable(
                name: "association_invitations");

            migrationBuilder.DropTable(
                name: "budget_records");

            migrationBuilder.DropTable(
                name: "budget_spends");

            migrationBuilder.DropTable(
                name: "clock_state");

            migrationBuilder.DropTable(
                name: "customer_associations");

            migrationBuilder.DropTable(
                name: "customer_authorizations");

            migrationBuilder.DropTable(
                name: "customer_budgets");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "freeze_records");

            migrationBuilder.DropTable(
                name: "iam_access_keys");

            migrationBuilder.DropTable(
                name: "iam_agencies");

            migrationBuilder.DropTable(
                name: "iam_agency_roles");

            migrationBuilder.DropTable(
                name: "iam_group_members");

            migrationBuilder.DropTable(
                name: "iam_group_roles");

            migrationBuilder.DropTable(
                name: "iam_groups");

            migrationBuilder.DropTable(
                name: "iam_projects");

            migrationBuilder.DropTable(
                name: "iam_roles");

            migrationBuilder.DropTable(
                name: "iam_security_policies");

            migrationBuilder.DropTable(
                name: "iam_temporary_access_keys");

            migrationBuilder.DropTable(
                name: "iam_tokens");

            migrationBuilder.DropTable(
                name: "iam_users");

            migrationBuilder.DropTable(
                name: "job_runs");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "partner_applications");

            migrationBuilder.DropTable(
                name: "partner_notifications");

            migrationBuilder.DropTable(
                name: "partners");
        }
    }
}
