using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_top_ups_AccountId_ClientToken",
                table: "top_ups");

            migrationBuilder.AddColumn<string>(
                name: "Target",
                table: "top_ups",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "CustomerCash"); // every top-up before partners had balances was a customer's

            migrationBuilder.AddColumn<DateTime>(
                name: "BookedAt",
                table: "postings",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

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

            migrationBuilder.AddColumn<DateTime>(
                name: "BookedAt",
                table: "journal_entries",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.CreateTable(
                name: "bill_payments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    BillId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bill_payments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bill_runs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Cycle = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Draft = table.Column<bool>(type: "boolean", nullable: false),
                    PartnersTotal = table.Column<int>(type: "integer", nullable: false),
                    PartnersDone = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bill_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "billing_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    DueDays = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_billing_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "free_resource_deductions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PackageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FreeResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResourceTypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UsageFactor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RatingPeriod = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Used = table.Column<long>(type: "bigint", nullable: false),
                    RemainingAfter = table.Column<long>(type: "bigint", nullable: false),
                    MeasureId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_free_resource_deductions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_bills",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PartnerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Cycle = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CoversFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CoversTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConsumeAmount = table.Column<long>(type: "bigint", nullable: false),
                    Refunds = table.Column<long>(type: "bigint", nullable: false),
                    Adjustments = table.Column<long>(type: "bigint", nullable: false),
                    InitialAmountDue = table.Column<long>(type: "bigint", nullable: false),
                    TaxRate = table.Column<long>(type: "bigint", nullable: false),
                    TaxAmount = table.Column<long>(type: "bigint", nullable: false),
                    Deducted = table.Column<long>(type: "bigint", nullable: false),
                    Paid = table.Column<long>(type: "bigint", nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    OverdueNotifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_bills", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_cards",
                columns: table => new
                {
                    PartnerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Number = table.Column<string>(type: "character varying(19)", maxLength: 19, nullable: false),
                    ExpiryMonth = table.Column<int>(type: "integer", nullable: false),
                    ExpiryYear = table.Column<int>(type: "integer", nullable: false),
                    Last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_cards", x => x.PartnerAccountId);
                });

            migrationBuilder.CreateTable(
                name: "tax_rates",
                columns: table => new
                {
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Rate = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tax_rates", x => x.Country);
                });

            migrationBuilder.CreateTable(
                name: "partner_bill_lines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BillId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CustomerAccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Movements = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_bill_lines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_partner_bill_lines_partner_bills_BillId",
                        column: x => x.BillId,
                        principalTable: "partner_bills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_top_ups_AccountId_Target_ClientToken",
                table: "top_ups",
                columns: new[] { "AccountId", "Target", "ClientToken" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_postings_AccountId_BookedAt_Kind_Reference_Amount",
                table: "postings",
                columns: new[] { "AccountId", "BookedAt", "Kind", "Reference", "Amount" });

            migrationBuilder.CreateIndex(
                name: "IX_bill_payments_BillId",
                table: "bill_payments",
                column: "BillId");

            migrationBuilder.CreateIndex(
                name: "IX_bill_payments_PartnerAccountId_CreatedAt",
                table: "bill_payments",
                columns: new[] { "PartnerAccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_free_resource_deductions_CustomerAccountId_Hour",
                table: "free_resource_deductions",
                columns: new[] { "CustomerAccountId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_bill_lines_BillId",
                table: "partner_bill_lines",
                column: "BillId");

            migrationBuilder.CreateIndex(
                name: "IX_partner_bills_Cycle_Status",
                table: "partner_bills",
                columns: new[] { "Cycle", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_bills_PartnerAccountId_Cycle_Status",
                table: "partner_bills",
                columns: new[] { "PartnerAccountId", "Cycle", "Status" },
                unique: true);

            // Existing movements are booked when they were made, and postings repeat their entry's kind and reference.
            migrationBuilder.Sql("UPDATE journal_entries SET \"BookedAt\" = \"CreatedAt\"");
            migrationBuilder.Sql("UPDATE postings SET \"BookedAt\" = \"CreatedAt\"");
            migrationBuilder.Sql("""
                UPDATE postings SET "Kind" = (SELECT e."Kind" FROM journal_entries e WHERE e."Id" = postings."EntryId"),
                                    "Reference" = (SELECT e."Reference" FROM journal_entries e WHERE e."Id" = postings."EntryId")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bill_payments");

            migrationBuilder.DropTable(
                name: "bill_runs");

            migrationBuilder.DropTable(
                name: "billing_settings");

            migrationBuilder.DropTable(
                name: "free_resource_deductions");

            migrationBuilder.DropTable(
                name: "partner_bill_lines");

            migrationBuilder.DropTable(
                name: "partner_cards");

            migrationBuilder.DropTable(
                name: "tax_rates");

            migrationBuilder.DropTable(
                name: "partner_bills");

            migrationBuilder.DropIndex(
                name: "IX_top_ups_AccountId_Target_ClientToken",
                table: "top_ups");

            migrationBuilder.DropIndex(
                name: "IX_postings_AccountId_BookedAt_Kind_Reference_Amount",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "Target",
                table: "top_ups");

            migrationBuilder.DropColumn(
                name: "BookedAt",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "Reference",
                table: "postings");

            migrationBuilder.DropColumn(
                name: "BookedAt",
                table: "journal_entries");

            migrationBuilder.CreateIndex(
                name: "IX_top_ups_AccountId_ClientToken",
                table: "top_ups",
                columns: new[] { "AccountId", "ClientToken" },
                unique: true);
        }
    }
}
