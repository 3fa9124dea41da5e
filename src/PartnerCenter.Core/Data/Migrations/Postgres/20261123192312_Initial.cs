using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
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
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Email = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Mobile = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IsOperator = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "association_invitations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    AssociationType = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_association_invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "budget_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    Operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BudgetType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BudgetAmount = table.Column<long>(type: "bigint", nullable: false),
                    OperatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Operator = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_budget_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "budget_spends",
                columns: table => new
                {
                    IdempotencyKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SpentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_budget_spends", x => x.IdempotencyKey);
                });

            migrationBuilder.CreateTable(
                name: "clock_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    OffsetSeconds = table.Column<long>(type: "bigint", nullable: false),
                    JobsEpoch = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clock_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customer_associations",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    AssociationType = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    AssociatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    XAccountId = table.Column<string>(type: "text", nullable: true),
                    XAccountType = table.Column<string>(type: "text", nullable: true),
                    Label = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountManagerUserId = table.Column<string>(type: "text", nullable: true),
                    IsFrozen = table.Column<bool>(type: "boolean", nullable: false),
                    FreezeType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_associations", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "customer_authorizations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AgencyName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AgencyId = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_authorizations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customer_budgets",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    BudgetType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BudgetAmount = table.Column<long>(type: "bigint", nullable: false),
                    UsedAmount = table.Column<long>(type: "bigint", nullable: false),
                    PeriodStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FrozenOperateType = table.Column<int>(type: "integer", nullable: false),
                    AlertedPercent = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_budgets", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "freeze_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Operator = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_freeze_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_access_keys",
                columns: table => new
                {
                    Access = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    Description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_access_keys", x => x.Access);
                });

            migrationBuilder.CreateTable(
                name: "iam_agencies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TrustAccountId = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Duration = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_agencies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_agency_roles",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    AgencyId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_agency_roles", x => new { x.AccountId, x.AgencyId, x.RoleId });
                });

            migrationBuilder.CreateTable(
                name: "iam_group_members",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    GroupId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_group_members", x => new { x.AccountId, x.GroupId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "iam_group_roles",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    GroupId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_group_roles", x => new { x.AccountId, x.GroupId, x.RoleId });
                });

            migrationBuilder.CreateTable(
                name: "iam_groups",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_projects",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_projects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_roles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: true),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Type = table.Column<string>(type: "text", nullable: false),
                    Catalog = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PolicyJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_roles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "iam_security_policies",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    MinimumPasswordLength = table.Column<int>(type: "integer", nullable: false),
                    MaximumPasswordLength = table.Column<int>(type: "integer", nullable: false),
                    PasswordCharCombination = table.Column<int>(type: "integer", nullable: false),
                    MaximumConsecutiveIdenticalChars = table.Column<int>(type: "integer", nullable: false),
                    MinimumPasswordAge = table.Column<int>(type: "integer", nullable: false),
                    NumberOfRecentPasswordsDisallowed = table.Column<int>(type: "integer", nullable: false),
                    PasswordNotUsernameOrInvert = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordValidityPeriod = table.Column<int>(type: "integer", nullable: false),
                    AccountValidityPeriod = table.Column<int>(type: "integer", nullable: false),
                    CustomInfoForLogin = table.Column<string>(type: "text", nullable: false),
                    LockoutDuration = table.Column<int>(type: "integer", nullable: false),
                    LoginFailedTimes = table.Column<int>(type: "integer", nullable: false),
                    PeriodWithLoginFailures = table.Column<int>(type: "integer", nullable: false),
                    SessionTimeout = table.Column<int>(type: "integer", nullable: false),
                    ShowRecentLoginInfo = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_security_policies", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "iam_temporary_access_keys",
                columns: table => new
                {
                    Access = table.Column<string>(type: "text", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: false),
                    TokenHash = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_temporary_access_keys", x => x.Access);
                });

            migrationBuilder.CreateTable(
                name: "iam_tokens",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    UserAccountId = table.Column<string>(type: "text", nullable: false),
                    ProjectId = table.Column<string>(type: "text", nullable: true),
                    AgencyId = table.Column<string>(type: "text", nullable: true),
                    Method = table.Column<string>(type: "text", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_tokens", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "iam_users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    Email = table.Column<string>(type: "text", nullable: true),
                    AreaCode = table.Column<string>(type: "text", nullable: true),
                    Phone = table.Column<string>(type: "text", nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    IsAccountOwner = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordResetRequired = table.Column<bool>(type: "boolean", nullable: false),
                    XUserType = table.Column<string>(type: "text", nullable: true),
                    XUserId = table.Column<string>(type: "text", nullable: true),
                    AccessMode = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastLoginAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PasswordChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FailedSignIns = table.Column<int>(type: "integer", nullable: false),
                    FailedSignInWindowStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LockedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_runs",
                columns: table => new
                {
                    JobName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Period = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_runs", x => new { x.JobName, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    To = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Subject = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_applications",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    Program = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DistributorAccountId = table.Column<string>(type: "text", nullable: true),
                    CompanyName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "text", nullable: true),
                    DecisionReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_applications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    Message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Read = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "text", nullable: false),
                    PartnerId = table.Column<string>(type: "text", nullable: true),
                    Program = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DistributorAccountId = table.Column<string>(type: "text", nullable: true),
                    CompanyName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CanManageBudgets = table.Column<bool>(type: "boolean", nullable: false),
                    MonthlyBudgetQuota = table.Column<long>(type: "bigint", nullable: true),
                    PackageBudgetQuota = table.Column<long>(type: "bigint", nullable: true)
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
