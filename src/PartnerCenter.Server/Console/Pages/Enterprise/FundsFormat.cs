using System.Globalization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Enterprise;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Server.Console.Components;
using PartnerCenter.Server.Console.Pages.Partners;

namespace PartnerCenter.Server.Console.Pages.Enterprise;

/// <summary>How the Enterprise Center funds and coupon pages word balances, movements and refusals.</summary>
public static class FundsFormat
{
    public const string Cash = "BALANCE_TYPE_DEBIT", Credit = "BALANCE_TYPE_CREDIT";

    public static string TypeName(EnterpriseBalanceType type) => type == EnterpriseBalanceType.Credit ? "credit" : "cash";

    public static string Expiry(DateTime? expiresAt) => expiresAt is { } e ? "until " + ConsoleFormat.Time(e) : "no expiry";

    /// <summary>The expire_time of a credit ledger as the transfer operations take it.</summary>
    public static string? WireTime(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The console's expiry date (a credit ledger ends at 00:00 UTC that day) as expire_time; null when left empty.</summary>
    public static string? ExpiryOfDate(string? date)
    {
        if (string.IsNullOrWhiteSpace(date)) return null;
        return DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z"
            : throw Check.Invalid("Enter the credit's expiry as a date, or leave it empty for credit without expiry.");
    }

    public static string Movement(EnterpriseMovementKind kind) => kind switch
    {
        EnterpriseMovementKind.Transfer => "Transfer",
        EnterpriseMovementKind.Retrieve => "Retrieval",
        _ => "Credit ledger expired",
    };

    /// <summary>A form sent again: its trans_id's first result, said as done (nothing moved a second time).</summary>
    public static string AlreadyDone(EnterpriseTransResult r)
    {
        var what = r.Account switch
        {
            LedgerAccountKind.CustomerCoupons => "coupon value",
            LedgerAccountKind.CustomerCredit => "credit",
            _ => "cash",
        };
        var done = r.EntryKind is EnterpriseTransferKinds.Transfer or EnterpriseCouponKinds.Transfer
            ? $"{PartnerFormat.Money(r.Amount)} of {what} went to {r.MemberName}"
            : $"{PartnerFormat.Money(r.Amount)} of {what} came back from {r.MemberName}";
        return $"This form was already sent: {done} at {ConsoleFormat.Time(r.At)} (transaction {r.TransId}). Nothing moved again.";
    }

    /// <summary>A refusal in words, with its code; <paramref name="member"/> names the member concerned.</summary>
    public static string Refusal(Error e, string member, bool retrieve, bool coupon) => e.Code switch
    {
        "CBC.7001" => $"{member} is not a member of your organization in status normal: funds and coupons move only to and from normal members (CBC.7001).",
        "CBC.99000047" => $"No account {member} exists (CBC.99000047).",
        "CBC.99005003" when coupon && retrieve => "That coupon has nothing to give back: it was used, is reserved for an order, has expired or came back already (CBC.99005003).",
        "CBC.99005003" when coupon => "Your coupon has less than that left (CBC.99005003).",
        "CBC.99005003" when retrieve => $"{member} holds less than that of what you gave it: only what you gave and it still holds can come back (CBC.99005003).",
        "CBC.99005003" => "You have less than that available to transfer (CBC.99005003).",
        "CBC.99007181" => "That credit ledger has expired: what the member has left of it returns to you at the next hourly run, so nothing was retrieved (CBC.99007181).",
        "CBC.99007461" => $"Another transfer or retrieval with {member} is in progress; try again in a moment (CBC.99007461).",
        "CBC.99007004" => "That coupon cannot be transferred: only your usable cash coupons issued by the platform can (CBC.99007004).",
        _ => $"{e.Message} ({e.Code})",
    };
}
