using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Coupons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CouponAmount",
                table: "resource_periods",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CouponAmount",
                table: "orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "coupon_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CouponId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QuotaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QuotaType = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    BalanceAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Remark = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupon_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "coupon_quota_answers",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupon_quota_answers", x => new { x.Scope, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "coupon_quota_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DistributorAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResellerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    QuotaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentQuotaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OperationType = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Operator = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Remark = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupon_quota_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "coupon_quotas",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ParentQuotaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QuotaType = table.Column<int>(type: "INTEGER", nullable: false),
                    QuotaValue = table.Column<long>(type: "INTEGER", nullable: false),
                    Balance = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    EffectiveTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MinFaceValue = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxFaceValue = table.Column<long>(type: "INTEGER", nullable: false),
                    ServiceTypes = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProductIds = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupon_quotas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "coupons",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QuotaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    QuotaType = table.Column<int>(type: "INTEGER", nullable: false),
                    CouponType = table.Column<int>(type: "INTEGER", nullable: false),
                    FaceValue = table.Column<long>(type: "INTEGER", nullable: false),
                    Balance = table.Column<long>(type: "INTEGER", nullable: false),
                    DiscountRatio = table.Column<long>(type: "INTEGER", nullable: true),
                    EffectiveTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ServiceTypes = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProductIds = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    LockOrderId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IsFrozen = table.Column<bool>(type: "INTEGER", nullable: false),
                    Memo = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsedTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "order_coupons",
                columns: table => new
                {
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CouponId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CouponType = table.Column<int>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    ReturnedAmount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_coupons", x => new { x.OrderId, x.CouponId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_coupon_changes_CouponId",
                table: "coupon_changes",
                column: "CouponId");

            migrationBuilder.CreateIndex(
                name: "IX_coupon_changes_CustomerAccountId_Id",
                table: "coupon_changes",
                columns: new[] { "CustomerAccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_coupon_changes_PartnerAccountId_Id",
                table: "coupon_changes",
                columns: new[] { "PartnerAccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_coupon_quota_records_DistributorAccountId_Id",
                table: "coupon_quota_records",
                columns: new[] { "DistributorAccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_coupon_quotas_ParentQuotaId",
                table: "coupon_quotas",
                column: "ParentQuotaId");

            migrationBuilder.CreateIndex(
                name: "IX_coupon_quotas_PartnerAccountId_CreatedAt",
                table: "coupon_quotas",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_coupons_CustomerAccountId_Status",
                table: "coupons",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_coupons_LockOrderId",
                table: "coupons",
                column: "LockOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_coupons_PartnerAccountId_CreatedAt",
                table: "coupons",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_coupons_Status_ExpireTime",
                table: "coupons",
                columns: new[] { "Status", "ExpireTime" });

            migrationBuilder.CreateIndex(
                name: "IX_order_coupons_CouponId",
                table: "order_coupons",
                column: "CouponId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "coupon_changes");

            migrationBuilder.DropTable(
                name: "coupon_quota_answers");

            migrationBuilder.DropTable(
                name: "coupon_quota_records");

            migrationBuilder.DropTable(
                name: "coupon_quotas");

            migrationBuilder.DropTable(
                name: "coupons");

            migrationBuilder.DropTable(
                name: "order_coupons");

            migrationBuilder.DropColumn(
                name: "CouponAmount",
                table: "resource_periods");

            migrationBuilder.DropColumn(
                name: "CouponAmount",
                table: "orders");
        }
    }
}
