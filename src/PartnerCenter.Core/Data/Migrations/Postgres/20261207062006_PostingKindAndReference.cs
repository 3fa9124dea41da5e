using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PostingKindAndReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_postings_AccountId_BookedAt",
                table: "postings");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "postings",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Reference",
                table: "postings",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            // Existing postings take their entry's kind and reference.
            migrationBuilder.Sql("""
                UPDATE postings SET "Kind" = (SELECT e."Kind" FROM journal_entries e WHERE e."Id" = postings."EntryId"),
                                    "Reference" = (SELECT e."Reference" FROM journal_entries e WHERE e."Id" = postings."EntryId")
                """);

            migrationBuilder.CreateIndex(
                name: "IX_postings_AccountId_BookedAt_Kind_Reference_Amount",
                table: "postings",
                columns: new[] { "AccountId", "BookedAt", "Kind", "Reference", "Amount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_postings_AccountId_BookedAt_Kind_Reference_Amount",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "Reference",
                table: "postings");

            migrationBuilder.CreateIndex(
                name: "IX_postings_AccountId_BookedAt",
                table: "postings",
                columns: new[] { "AccountId", "BookedAt" });
        }
    }
}
