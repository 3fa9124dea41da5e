using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageRatingPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_usage_fees_RatingPeriod_CustomerAccountId",
                table: "usage_fees");

            migrationBuilder.DropIndex(
                name: "IX_usage_fees_ResourceId_UsageFactor_Hour_RatingPeriod",
                table: "usage_fees");

            migrationBuilder.CreateTable(
                name: "usage_rating_periods",
                columns: table => new
                {
                    Period = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Fees = table.Column<int>(type: "integer", nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_rating_periods", x => x.Period);
                });

            // The periods already rated keep their once-only mark.
            migrationBuilder.Sql("""INSERT INTO usage_rating_periods ("Period", "Fees", "Records") SELECT "RatingPeriod", COUNT(*), 0 FROM usage_fees GROUP BY "RatingPeriod";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_rating_periods");

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_RatingPeriod_CustomerAccountId",
                table: "usage_fees",
                columns: new[] { "RatingPeriod", "CustomerAccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_fees_ResourceId_UsageFactor_Hour_RatingPeriod",
                table: "usage_fees",
                columns: new[] { "ResourceId", "UsageFactor", "Hour", "RatingPeriod" },
                unique: true);
        }
    }
}
