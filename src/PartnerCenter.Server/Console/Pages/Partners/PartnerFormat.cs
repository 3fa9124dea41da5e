using System.Globalization;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Server.Console.Pages.Partners;

/// <summary>How the partner pages show money, programs, association types and budget settings.</summary>
public static class PartnerFormat
{
    public const string Currency = "USD";

    public static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture) + " " + Currency;

    public static string Program(PartnerProgram program) => program switch
    {
        PartnerProgram.CloudSolutionProvider => "Cloud Solution Provider",
        PartnerProgram.Distributor => "Distributor",
        PartnerProgram.Reseller => "Reseller",
        _ => program.ToString(),
    };

    public static string Association(string type) => type switch
    {
        AssociationTypes.Referral => "Referral",
        AssociationTypes.Resale => "Resale",
        _ => type,
    };

    public static string Budget(BudgetType type) => type == BudgetType.Monthly ? "Monthly" : "One-time";

    public static string FreezeKind(FreezeType? type) => type switch
    {
        FreezeType.Account => "Account",
        FreezeType.AccountAndResource => "Account and resources",
        _ => "—",
    };

    public static string FreezeMode(int frozenOperateType) => frozenOperateType == 1 ? "Automatic at 100 %" : "Manual";

    public static string Status(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Pending => "Pending",
        ApplicationStatus.Approved => "Approved",
        ApplicationStatus.Rejected => "Rejected",
        _ => status.ToString(),
    };

    /// <summary>Parses a positive amount typed in the console (a dot as decimal separator).</summary>
    public static decimal? ParseAmount(string? text) =>
        decimal.TryParse(text?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static readonly (string Code, string Name)[] Countries =
    [
        ("SG", "Singapore"), ("CN", "Chinese mainland"), ("HK", "Hong Kong, China"), ("MY", "Malaysia"), ("TH", "Thailand"),
        ("ID", "Indonesia"), ("PH", "Philippines"), ("JP", "Japan"), ("KR", "South Korea"), ("AE", "United Arab Emirates"),
        ("SA", "Saudi Arabia"), ("TR", "Türkiye"), ("ZA", "South Africa"), ("EG", "Egypt"), ("DE", "Germany"), ("FR", "France"),
        ("GB", "United Kingdom"), ("IE", "Ireland"), ("BR", "Brazil"), ("MX", "Mexico"), ("CL", "Chile"), ("US", "United States"),
    ];
}
