using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddResources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsMainResource",
                table: "order_lines",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ParentResourceId",
                table: "order_lines",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResourceId",
                table: "order_lines",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "cloud_resources",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecSize = table.Column<long>(type: "INTEGER", nullable: true),
                    SpecSizeMeasureId = table.Column<int>(type: "INTEGER", nullable: true),
                    IsMain = table.Column<bool>(type: "INTEGER", nullable: false),
                    ParentResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LastOrderId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ChargeMode = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodType = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodNum = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpirePolicy = table.Column<int>(type: "INTEGER", nullable: false),
                    AutoRenewTimesLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    AutoRenewPeriodType = table.Column<int>(type: "INTEGER", nullable: true),
                    EffectiveTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StatusChangedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cloud_resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "refund_lines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BaseOrderId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refund_lines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "renew_configs",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    DeductionDays = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_renew_configs", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "resource_periods",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Start = table.Column<DateTime>(type: "TEXT", nullable: false),
                    End = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PeriodType = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodNum = table.Column<int>(type: "INTEGER", nullable: false),
                    PaidAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    SettlementAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RefundedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_periods", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_order_lines_ResourceId",
                table: "order_lines",
                column: "ResourceId");

            migrationBuilder.CreateIndex(
                name: "IX_cloud_resources_CustomerAccountId_Status",
                table: "cloud_resources",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cloud_resources_OrderId",
                table: "cloud_resources",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_cloud_resources_ParentResourceId",
                table: "cloud_resources",
                column: "ParentResourceId");

            migrationBuilder.CreateIndex(
                name: "IX_cloud_resources_Status_ExpireTime",
                table: "cloud_resources",
                columns: new[] { "Status", "ExpireTime" });

            migrationBuilder.CreateIndex(
                name: "IX_refund_lines_OrderId",
                table: "refund_lines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_resource_periods_OrderId",
                table: "resource_periods",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_resource_periods_ResourceId_Start",
                table: "resource_periods",
                columns: new[] { "ResourceId", "Start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cloud_resources");

            migrationBuilder.DropTable(
                name: "refund_lines");

            migrationBuilder.DropTable(
                name: "renew_configs");

            migrationBuilder.DropTable(
                name: "resource_periods");

            migrationBuilder.DropIndex(
                name: "IX_order_lines_ResourceId",
                table: "order_lines");

            migrationBuilder.DropColumn(
                name: "IsMainResource",
                table: "order_lines");

            migrationBuilder.DropColumn(
                name: "ParentResourceId",
                table: "order_lines");

            migrationBuilder.DropColumn(
                name: "ResourceId",
                table: "order_lines");
        }
    }
}
