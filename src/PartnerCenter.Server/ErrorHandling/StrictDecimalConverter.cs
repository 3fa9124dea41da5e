using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenter.Server.ErrorHandling;

/// <summary>
/// The one reading rule for decimal (money) fields of a request: a JSON number (never a string), with at most 8
/// decimals and at most <see cref="Max"/> either way, and never one whose digits would be lost (1e-30 is not 0).
/// Every decimal is kept as integer micro-units, so a bigger number could not be stored at all. Business rules narrow
/// it further (an amount has at most 2 decimals), each naming its field.
/// </summary>
public sealed class StrictDecimalConverter : JsonConverter<decimal>
{
    public const decimal Max = 1_000_000_000_000m;

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException("must be a JSON number, not a string or another kind.");
        var text = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        var mantissa = text.Split('e', 'E')[0];
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || Math.Abs(value) > Max
            || decimal.Round(value, 8) != value || (value == 0 && mantissa.Any(c => c is >= '1' and <= '9')))
            throw new JsonException($"must be a number with at most 8 decimals, at most {Max:0} either way.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
