using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerCenter.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CouponQuotaAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "coupon_quota_answers",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coupon_quota_answers", x => new { x.Scope, x.Key });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "coupon_quota_answers");
        }
    }
}
