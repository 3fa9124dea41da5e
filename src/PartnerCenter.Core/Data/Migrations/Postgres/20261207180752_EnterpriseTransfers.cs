using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EnterpriseTransfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enterprise_credit_lines",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MasterAccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MemberAccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Expired = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_credit_lines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enterprise_sub_coupons",
                columns: table => new
                {
                    SubCouponId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CouponId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MasterAccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MemberAccountId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enterprise_sub_coupons", x => x.SubCouponId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_credit_lines_Expired_ExpiresAt",
                table: "enterprise_credit_lines",
                columns: new[] { "Expired", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_credit_lines_MemberAccountId_Expired",
                table: "enterprise_credit_lines",
                columns: new[] { "MemberAccountId", "Expired" });

            migrationBuilder.CreateIndex(
                name: "IX_enterprise_sub_coupons_MemberAccountId_MasterAccountId",
                table: "enterprise_sub_coupons",
                columns: new[] { "MemberAccountId", "MasterAccountId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enterprise_credit_lines");

            migrationBuilder.DropTable(
                name: "enterprise_sub_coupons");
        }
    }
}
