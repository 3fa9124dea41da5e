using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropTopUpDeclineCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DeclineCode",
                table: "top_ups");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeclineCode",
                table: "top_ups",
                type: "TEXT",
                maxLength: 32,
                nullable: true);
        }
    }
}
