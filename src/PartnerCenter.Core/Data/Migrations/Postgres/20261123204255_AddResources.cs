using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ParentResourceId",
                table: "order_lines",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResourceId",
                table: "order_lines",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "cloud_resources",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SpecCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SpecId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SpecSize = table.Column<long>(type: "bigint", nullable: true),
                    SpecSizeMeasureId = table.Column<int>(type: "integer", nullable: true),
                    IsMain = table.Column<bool>(type: "boolean", nullable: false),
                    ParentResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OrderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LastOrderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ChargeMode = table.Column<int>(type: "integer", nullable: false),
                    PeriodType = table.Column<int>(type: "integer", nullable: false),
                    PeriodNum = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ExpirePolicy = table.Column<int>(type: "integer", nullable: false),
                    AutoRenewTimesLeft = table.Column<int>(type: "integer", nullable: true),
                    AutoRenewPeriodType = table.Column<int>(type: "integer", nullable: true),
                    EffectiveTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StatusChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cloud_resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "refund_lines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BaseOrderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refund_lines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "renew_configs",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    DeductionDays = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_renew_configs", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "resource_periods",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PeriodType = table.Column<int>(type: "integer", nullable: false),
                    PeriodNum = table.Column<int>(type: "integer", nullable: false),
                    PaidAmount = table.Column<long>(type: "bigint", nullable: false),
                    SettlementAmount = table.Column<long>(type: "bigint", nullable: false),
                    PaidAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RefundedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
