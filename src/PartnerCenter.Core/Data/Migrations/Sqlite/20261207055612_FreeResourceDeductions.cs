using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PackageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FreeResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false),
                    RemainingAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false)
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
