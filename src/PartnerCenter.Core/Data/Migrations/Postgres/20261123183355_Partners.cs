using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Partners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "IX_freeze_records_CustomerAccountId_At",
                table: "freeze_records",
                columns: new[] { "CustomerAccountId", "At" });

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
                name: "budget_records");

            migrationBuilder.DropTable(
                name: "budget_spends");

            migrationBuilder.DropTable(
                name: "customer_associations");

            migrationBuilder.DropTable(
                name: "customer_budgets");

            migrationBuilder.DropTable(
                name: "freeze_records");

            migrationBuilder.DropTable(
                name: "partner_applications");

            migrationBuilder.DropTable(
                name: "partner_notifications");

            migrationBuilder.DropTable(
                name: "partners");
        }
    }
}
