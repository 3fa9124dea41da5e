using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "allocated_usage_charges",
                columns: table => new
                {
                    EntryId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BookedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ListAmount = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    SettlementAmount = table.Column<long>(type: "bigint", nullable: false)
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
