using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Enterprise : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PaidByAccountId",
                table: "orders",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "enterprise_credit_lines",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MemberAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Expired = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_credit_lines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_invitations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    InviteeAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FinancialCustody = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_masters",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RootUnitId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EnabledAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_masters", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_members",
                columns: table => new
                {
                    MemberAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FinancialCustody = table.Column<bool>(type: "INTEGER", nullable: false),
                    Permissions = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_members", x => x.MemberAccountId);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_sms_codes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Mobile = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_sms_codes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_sub_coupons",
                columns: table => new
                {
                    SubCouponId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CouponId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MemberAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_sub_coupons", x => x.SubCouponId);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_units",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MasterAccountId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ParentId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_units", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_orders_PaidByAccountId_CreatedAt",
                table: "orders",
                columns: new[] { "PaidByAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_credit_lines_Expired_ExpiresAt",
                table: "enterprise_credit_lines",
                columns: new[] { "Expired", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_credit_lines_MemberAccountId_Expired",
                table: "enterprise_credit_lines",
                columns: new[] { "MemberAccountId", "Expired" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_events_AccountId_CreatedAt",
                table: "enterprise_events",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_invitations_InviteeAccountId_Status",
                table: "enterprise_invitations",
                columns: new[] { "InviteeAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_invitations_MasterAccountId_Status",
                table: "enterprise_invitations",
                columns: new[] { "MasterAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_members_MasterAccountId_UnitId",
                table: "enterprise_members",
                columns: new[] { "MasterAccountId", "UnitId" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_sms_codes_MasterAccountId_Mobile_CreatedAt",
                table: "enterprise_sms_codes",
                columns: new[] { "MasterAccountId", "Mobile", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_sub_coupons_MemberAccountId_MasterAccountId",
                table: "enterprise_sub_coupons",
                columns: new[] { "MemberAccountId", "MasterAccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_units_MasterAccountId_ParentId",
                table: "enterprise_units",
                columns: new[] { "MasterAccountId", "ParentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enterprise_credit_lines");

            migrationBuilder.DropTable(
                name: "enterprise_events");

            migrationBuilder.DropTable(
                name: "enterprise_invitations");

            migrationBuilder.DropTable(
                name: "enterprise_masters");

            migrationBuilder.DropTable(
                name: "enterprise_members");

            migrationBuilder.DropTable(
                name: "enterprise_sms_codes");

            migrationBuilder.DropTable(
                name: "enterprise_sub_coupons");

            migrationBuilder.DropTable(
                name: "enterprise_units");

            migrationBuilder.DropIndex(
                name: "IX_orders_PaidByAccountId_CreatedAt",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "PaidByAccountId",
                table: "orders");
        }
    }
}
