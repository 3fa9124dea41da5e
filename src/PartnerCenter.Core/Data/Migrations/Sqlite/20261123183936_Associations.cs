using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Associations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "association_invitations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    AssociationType = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_association_invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customer_authorizations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    CustomerAccountId = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AgencyName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgencyId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RespondedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_authorizations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_association_invitations_CustomerAccountId_Status",
                table: "association_invitations",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_association_invitations_PartnerAccountId_CreatedAt",
                table: "association_invitations",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_authorizations_CustomerAccountId_Status",
                table: "customer_authorizations",
                columns: new[] { "CustomerAccountId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_authorizations_PartnerAccountId_CreatedAt",
                table: "customer_authorizations",
                columns: new[] { "PartnerAccountId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "association_invitations");

            migrationBuilder.DropTable(
                name: "customer_authorizations");
        }
    }
}
