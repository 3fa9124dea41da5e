using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPayPerUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "free_resource_packages",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FreeResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProductName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UsageFactor = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginalAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Remaining = table.Column<long>(type: "INTEGER", nullable: false),
                    EffectiveTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpireTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_free_resource_packages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "usage_accounts",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Accrued = table.Column<long>(type: "INTEGER", nullable: false),
                    Deducted = table.Column<long>(type: "INTEGER", nullable: false),
                    AccruedOfficial = table.Column<long>(type: "INTEGER", nullable: false),
                    SpentOfficial = table.Column<long>(type: "INTEGER", nullable: false),
                    AccruedSettlement = table.Column<long>(type: "INTEGER", nullable: false),
                    ChargedSettlement = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_accounts", x => x.CustomerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "usage_fees",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SpecId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsageValue = table.Column<long>(type: "INTEGER", nullable: false),
                    UsageMeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    FreeResourceUsed = table.Column<long>(type: "INTEGER", nullable: false),
                    OfficialAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    SettlementAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_fees", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UsageValue = table.Column<long>(type: "INTEGER", nullable: false),
                    UsageMeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    BeginTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_records", x => x.RecordId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_free_resource_packages_CustomerAccountId_ExpireTime",
                table: "free_resource_packages",
                columns: new[] { "CustomerAccountId", "ExpireTime" });

            migrationBuilder.CreateIndex(
                name: "IX_free_resource_packages_FreeResourceId",
                table: "free_resource_packages",
                column: "FreeResourceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_CustomerAccountId_Hour",
                table: "usage_fees",
                columns: new[] { "CustomerAccountId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_RatingPeriod_CustomerAccountId",
                table: "usage_fees",
                columns: new[] { "RatingPeriod", "CustomerAccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_ResourceId_UsageFactor_Hour_RatingPeriod",
                table: "usage_fees",
                columns: new[] { "ResourceId", "UsageFactor", "Hour", "RatingPeriod" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_RatingPeriod_CustomerAccountId",
                table: "usage_records",
                columns: new[] { "RatingPeriod", "CustomerAccountId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "free_resource_packages");

            migrationBuilder.DropTable(
                name: "usage_accounts");

            migrationBuilder.DropTable(
                name: "usage_fees");

            migrationBuilder.DropTable(
                name: "usage_records");
        }
    }
}
