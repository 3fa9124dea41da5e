using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FreeResourceDeductions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "free_resource_deductions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PackageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FreeResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Used = table.Column<long>(type: "bigint", nullable: false),
                    RemainingAfter = table.Column<long>(type: "bigint", nullable: false),
                    MeasureId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_free_resource_deductions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_free_resource_deductions_CustomerAccountId_Hour",
                table: "free_resource_deductions",
                columns: new[] { "CustomerAccountId", "Hour" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "free_resource_deductions");
        }
    }
}
