using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Revenue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "incentive_rates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Program = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ServiceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Rate = table.Column<long>(type: "bigint", nullable: false),
                    AllowDiscount = table.Column<bool>(type: "boolean", nullable: false),
                    EffectiveFrom = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    SetBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SetAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incentive_rates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "revenue_goals",
                columns: table => new
                {
                    PartnerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revenue_goals", x => new { x.PartnerAccountId, x.Year });
                });

            migrationBuilder.CreateIndex(
                name: "IX_incentive_rates_Program_EffectiveFrom",
                table: "incentive_rates",
                columns: new[] { "Program", "EffectiveFrom" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "incentive_rates");

            migrationBuilder.DropTable(
                name: "revenue_goals");
        }
    }
}
