using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnifiedRenewalDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ExpireDay",
                table: "renew_configs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ExtraDays",
                table: "order_lines",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpireDay",
                table: "renew_configs");

            migrationBuilder.DropColumn(
                name: "ExtraDays",
                table: "order_lines");
        }
    }
}
