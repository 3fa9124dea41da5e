using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
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
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Fees = table.Column<int>(type: "integer", nullable: false),
                    OfficialAmount = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    SettlementAmount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ResourceIds = table.Column<string[]>(type: "text[]", nullable: false),
                    SpecIds = table.Column<string[]>(type: "text[]", nullable: false),
                    UsageFactors = table.Column<string[]>(type: "text[]", nullable: false),
                    UsageValues = table.Column<long[]>(type: "bigint[]", nullable: false),
                    UsageMeasureIds = table.Column<int[]>(type: "integer[]", nullable: false),
                    FreeResourceUsed = table.Column<long[]>(type: "bigint[]", nullable: false),
                    OfficialAmounts = table.Column<long[]>(type: "bigint[]", nullable: false),
                    Amounts = table.Column<long[]>(type: "bigint[]", nullable: false),
                    SettlementAmounts = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_fee_hours", x => new { x.CustomerAccountId, x.Hour, x.RatingPeriod });
                });

            // Each customer-hour-run's fees become one row, in the order they were written.
            migrationBuilder.Sql("""
                INSERT INTO usage_fee_hours ("CustomerAccountId", "Hour", "RatingPeriod", "Fees", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt", "ResourceIds", "SpecIds", "UsageFactors", "UsageValues", "UsageMeasureIds", "FreeResourceUsed", "OfficialAmounts", "Amounts", "SettlementAmounts")
                SELECT "CustomerAccountId", "Hour", "RatingPeriod", count(*), sum("OfficialAmount"), sum("Amount"), sum("SettlementAmount"), min("CreatedAt"),
                       array_agg("ResourceId" ORDER BY "Id"), array_agg("SpecId" ORDER BY "Id"), array_agg("UsageFactor" ORDER BY "Id"),
                       array_agg("UsageValue" ORDER BY "Id"), array_agg("UsageMeasureId" ORDER BY "Id"), array_agg("FreeResourceUsed" ORDER BY "Id"),
                       array_agg("OfficialAmount" ORDER BY "Id"), array_agg("Amount" ORDER BY "Id"), array_agg("SettlementAmount" ORDER BY "Id")
                FROM usage_fees
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FreeResourceUsed = table.Column<long>(type: "bigint", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    OfficialAmount = table.Column<long>(type: "bigint", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SettlementAmount = table.Column<long>(type: "bigint", nullable: false),
                    SpecId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UsageMeasureId = table.Column<int>(type: "integer", nullable: false),
                    UsageValue = table.Column<long>(type: "bigint", nullable: false)
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
                SELECT h."CustomerAccountId", f.resource, f.spec, s."ServiceTypeCode", s."ResourceTypeCode", s."Region", f.factor, h."Hour", h."RatingPeriod",
                       f.usage, f.measure, f.free, f.official, f.amount, f.settlement, h."CreatedAt"
                FROM usage_fee_hours h
                CROSS JOIN LATERAL unnest(h."ResourceIds", h."SpecIds", h."UsageFactors", h."UsageValues", h."UsageMeasureIds", h."FreeResourceUsed",
                                          h."OfficialAmounts", h."Amounts", h."SettlementAmounts") AS f(resource, spec, factor, usage, measure, free, official, amount, settlement)
                JOIN catalog_resource_specs s ON s."Id" = f.spec
                ORDER BY h."CustomerAccountId", h."Hour", h."RatingPeriod"
                """);

            migrationBuilder.DropTable(
                name: "usage_fee_hours");
        }
    }
}
