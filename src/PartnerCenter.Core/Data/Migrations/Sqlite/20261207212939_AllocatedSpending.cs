using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AllocatedSpending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllocatedByPartnerAccountId",
                table: "orders",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "allocated_usage_charges",
                columns: table => new
                {
                    EntryId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BookedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ListAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    SettlementAmount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocated_usage_charges", x => x.EntryId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_allocated_usage_charges_PartnerAccountId_BookedAt",
                table: "allocated_usage_charges",
                columns: new[] { "PartnerAccountId", "BookedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocated_usage_charges");

            migrationBuilder.DropColumn(
                name: "AllocatedByPartnerAccountId",
                table: "orders");
        }
    }
}
