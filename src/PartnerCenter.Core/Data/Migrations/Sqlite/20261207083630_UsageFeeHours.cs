using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageFeeHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_fee_hours",
                columns: table => new
                {
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Fees = table.Column<int>(type: "INTEGER", nullable: false),
                    OfficialAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    SettlementAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResourceIds = table.Column<string>(type: "TEXT", nullable: false),
                    SpecIds = table.Column<string>(type: "TEXT", nullable: false),
                    UsageFactors = table.Column<string>(type: "TEXT", nullable: false),
                    UsageValues = table.Column<string>(type: "TEXT", nullable: false),
                    UsageMeasureIds = table.Column<string>(type: "TEXT", nullable: false),
                    FreeResourceUsed = table.Column<string>(type: "TEXT", nullable: false),
                    OfficialAmounts = table.Column<string>(type: "TEXT", nullable: false),
                    Amounts = table.Column<string>(type: "TEXT", nullable: false),
                    SettlementAmounts = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_fee_hours", x => new { x.CustomerAccountId, x.Hour, x.RatingPeriod });
                });

            // Each customer-hour-run's fees become one row; json_group_array reads the group's rows in one order for every array.
            migrationBuilder.Sql("""
                INSERT INTO usage_fee_hours ("CustomerAccountId", "Hour", "RatingPeriod", "Fees", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt", "ResourceIds", "SpecIds", "UsageFactors", "UsageValues", "UsageMeasureIds", "FreeResourceUsed", "OfficialAmounts", "Amounts", "SettlementAmounts")
                SELECT "CustomerAccountId", "Hour", "RatingPeriod", count(*), sum("OfficialAmount"), sum("Amount"), sum("SettlementAmount"), min("CreatedAt"),
                       json_group_array("ResourceId"), json_group_array("SpecId"), json_group_array("UsageFactor"), json_group_array("UsageValue"),
                       json_group_array("UsageMeasureId"), json_group_array("FreeResourceUsed"), json_group_array("OfficialAmount"), json_group_array("Amount"),
                       json_group_array("SettlementAmount")
                FROM (SELECT * FROM usage_fees ORDER BY "Id")
                GROUP BY "CustomerAccountId", "Hour", "RatingPeriod"
                """);

            migrationBuilder.DropTable(
                name: "usage_fees");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_fees",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FreeResourceUsed = table.Column<long>(type: "INTEGER", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OfficialAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SettlementAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    SpecId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UsageMeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    UsageValue = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_fees", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_CustomerAccountId_Hour",
                table: "usage_fees",
                columns: new[] { "CustomerAccountId", "Hour" });

            migrationBuilder.Sql("""
                INSERT INTO usage_fees ("CustomerAccountId", "ResourceId", "SpecId", "ServiceTypeCode", "ResourceTypeCode", "Region", "UsageFactor", "Hour", "RatingPeriod", "UsageValue", "UsageMeasureId", "FreeResourceUsed", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt")
                SELECT h."CustomerAccountId", r.value, s."Id", s."ServiceTypeCode", s."ResourceTypeCode", s."Region", json_extract(h."UsageFactors", '$[' || r.key || ']'),
                       h."Hour", h."RatingPeriod", json_extract(h."UsageValues", '$[' || r.key || ']'), json_extract(h."UsageMeasureIds", '$[' || r.key || ']'),
                       json_extract(h."FreeResourceUsed", '$[' || r.key || ']'), json_extract(h."OfficialAmounts", '$[' || r.key || ']'),
                       json_extract(h."Amounts", '$[' || r.key || ']'), json_extract(h."SettlementAmounts", '$[' || r.key || ']'), h."CreatedAt"
                FROM usage_fee_hours h, json_each(h."ResourceIds") r
                JOIN catalog_resource_specs s ON s."Id" = json_extract(h."SpecIds", '$[' || r.key || ']')
                ORDER BY h."CustomerAccountId", h."Hour", h."RatingPeriod", r.key
                """);

            migrationBuilder.DropTable(
                name: "usage_fee_hours");
        }
    }
}
