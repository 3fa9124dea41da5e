using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Ledger;

public sealed record CardDetails(string? Number, int? ExpiryMonth, int? ExpiryYear, string? Cvc, string? HolderName);

/// <summary>What the card processor answered: a reference when it took the money, a decline code when it did not.</summary>
public sealed record GatewayCharge(bool Succeeded, string? Reference, string? DeclineCode, string? DeclineMessage);

/// <summary>
/// Where card payments go. The server ships <see cref="SandboxCardProcessor"/>; a real processor plugs in here. The
/// idempotency key is passed on so that a retried top-up is not charged twice by the processor either.
/// </summary>
public interface IPaymentGateway
{
    Task<GatewayCharge> ChargeAsync(CardDetails card, decimal amount, string currency, string idempotencyKey, CancellationToken ct);
}

/// <summary>
/// The built-in test card processor: nothing leaves the machine. Test cards (any future expiry, any 3-digit CVC):
/// 4242 4242 4242 4242 and 5555 5555 5555 4444 succeed; 4000 0000 0000 0002 is declined (card_declined);
/// 4000 0000 0000 9995 has insufficient funds; 4000 0000 0000 0069 is reported expired. Any other number is declined
/// as unknown, so a mistyped number never looks like a success.
/// </summary>
public sealed class SandboxCardProcessor : IPaymentGateway
{
    public static readonly IReadOnlyDictionary<string, string?> TestCards = new Dictionary<string, string?>
    {
        ["4242424242424242"] = null,
        ["5555555555554444"] = null,
        ["4000000000000002"] = "card_declined",
        ["4000000000009995"] = "insufficient_funds",
        ["4000000000000069"] = "expired_card",
    };

    public Task<GatewayCharge> ChargeAsync(CardDetails card, decimal amount, string currency, string idempotencyKey, CancellationToken ct)
    {
        var number = Cards.NormalizedNumber(card.Number);
        var decline = TestCards.TryGetValue(number, out var code) ? code : "unknown_test_card";
        if (decline is not null) return Task.FromResult(new GatewayCharge(false, null, decline, DeclineText(decline)));
        // The reference is derived from the key, as a real processor deduplicates a retried charge.
        var reference = "ch_sandbox_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey)))[..24];
        return Task.FromResult(new GatewayCharge(true, reference, null, null));
    }

    static string DeclineText(string code) => code switch
    {
        "card_declined" => "The card was declined.",
        "insufficient_funds" => "The card has insufficient funds.",
        "expired_card" => "The card has expired.",
        _ => "The sandbox processor does not know this card number; use a documented test card.",
    };

}

/// <summary>The checks made on a card before any processor sees it.</summary>
public static class Cards
{
    /// <summary>The digits of a card number (spaces and dashes allowed), or CBC.0100 when it is not a plausible card number.</summary>
    public static string Last4(string? number) => NormalizedNumber(number)[^4..];

    public static string NormalizedNumber(string? number)
    {
        var digits = new string((number ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit) || !LuhnValid(digits))
            throw Check.Invalid("card.number is not a valid card number.");
        return digits;
    }

    /// <summary>Card checks every processor makes before charging: expiry not past (by the business clock), a 3–4 digit CVC.</summary>
    public static void Validate(CardDetails? card, DateTime now)
    {
        if (card is null) throw Check.Invalid("card is required.");
        NormalizedNumber(card.Number);
        if (card.ExpiryMonth is not (>= 1 and <= 12)) throw Check.Invalid("card.expiry_month is 1 to 12.");
        if (card.ExpiryYear is not (>= 2000 and <= 2200)) throw Check.Invalid("card.expiry_year is a four-digit year.");
        if (card.ExpiryYear < now.Year || (card.ExpiryYear == now.Year && card.ExpiryMonth < now.Month)) throw Check.Invalid("The card has expired.");
        if (card.Cvc is not { Length: 3 or 4 } cvc || !cvc.All(char.IsAsciiDigit)) throw Check.Invalid("card.cvc is 3 or 4 digits.");
        if (card.HolderName is { Length: > 64 }) throw Check.Invalid("card.holder_name is at most 64 characters.");
    }

    static bool LuhnValid(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
