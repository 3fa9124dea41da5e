using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_measure_conversions",
                columns: table => new
                {
                    MeasureId = table.Column<int>(type: "integer", nullable: false),
                    RefMeasureId = table.Column<int>(type: "integer", nullable: false),
                    Ratio = table.Column<long>(type: "bigint", nullable: false),
                    MeasureType = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_measure_conversions", x => new { x.MeasureId, x.RefMeasureId });
                });

            migrationBuilder.CreateTable(
                name: "catalog_measure_units",
                columns: table => new
                {
                    MeasureId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Abbreviation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MeasureType = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_measure_units", x => x.MeasureId);
                });

            migrationBuilder.CreateTable(
                name: "catalog_regions",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_regions", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "catalog_resource_specs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SpecCode = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    SizeMeasureId = table.Column<int>(type: "integer", nullable: true),
                    MinSize = table.Column<int>(type: "integer", nullable: true),
                    MaxSize = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_resource_specs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_resource_types",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_resource_types", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "catalog_service_types",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Abbreviation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_service_types", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "catalog_spec_prices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SpecId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EffectiveFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PeriodType = table.Column<int>(type: "integer", nullable: true),
                    UsageFactor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UsageMeasureId = table.Column<int>(type: "integer", nullable: true),
                    TierStart = table.Column<long>(type: "bigint", nullable: false),
                    UnitPrice = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_spec_prices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_usage_types",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    UsageMeasureId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_usage_types", x => new { x.ResourceTypeCode, x.Code });
                });

            migrationBuilder.CreateTable(
                name: "customer_discounts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "text", nullable: false),
                    GrantedByAccountId = table.Column<string>(type: "text", nullable: false),
                    DiscountType = table.Column<int>(type: "integer", nullable: false),
                    Rate = table.Column<long>(type: "bigint", nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ValidFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ValidTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_discounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "settlement_discounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PartnerAccountId = table.Column<string>(type: "text", nullable: false),
                    Rate = table.Column<long>(type: "bigint", nullable: false),
                    EffectiveFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SetBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlement_discounts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_resource_specs_ResourceTypeCode_Region",
                table: "catalog_resource_specs",
                columns: new[] { "ResourceTypeCode", "Region" });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_resource_specs_ServiceTypeCode_ResourceTypeCode_Spe~",
                table: "catalog_resource_specs",
                columns: new[] { "ServiceTypeCode", "ResourceTypeCode", "SpecCode", "Region" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_catalog_spec_prices_SpecId_EffectiveFrom",
                table: "catalog_spec_prices",
                columns: new[] { "SpecId", "EffectiveFrom" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_discounts_CustomerAccountId_DiscountType",
                table: "customer_discounts",
                columns: new[] { "CustomerAccountId", "DiscountType" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_discounts_GrantedByAccountId_CreatedAt",
                table: "customer_discounts",
                columns: new[] { "GrantedByAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_settlement_discounts_PartnerAccountId_EffectiveFrom",
                table: "settlement_discounts",
                columns: new[] { "PartnerAccountId", "EffectiveFrom" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_measure_conversions");

            migrationBuilder.DropTable(
                name: "catalog_measure_units");

            migrationBuilder.DropTable(
                name: "catalog_regions");

            migrationBuilder.DropTable(
                name: "catalog_resource_specs");

            migrationBuilder.DropTable(
                name: "catalog_resource_types");

            migrationBuilder.DropTable(
                name: "catalog_service_types");

            migrationBuilder.DropTable(
                name: "catalog_spec_prices");

            migrationBuilder.DropTable(
                name: "catalog_usage_types");

            migrationBuilder.DropTable(
                name: "customer_discounts");

            migrationBuilder.DropTable(
                name: "settlement_discounts");
        }
    }
}
