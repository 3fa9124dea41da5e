using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TemporaryAccessKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "iam_temporary_access_keys",
                columns: table => new
                {
                    Access = table.Column<string>(type: "text", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: false),
                    TokenHash = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_iam_temporary_access_keys", x => x.Access);
                });

            migrationBuilder.CreateIndex(
                name: "IX_iam_temporary_access_keys_ExpiresAt",
                table: "iam_temporary_access_keys",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "iam_temporary_access_keys");
        }
    }
}
