using System.Security.Cryptography;
using System.Text;

namespace PartnerCenter.Server.Auth;

/// <summary>The parts of an <c>Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…</c> header.</summary>
public sealed record SignatureHeader(string Access, IReadOnlyList<string> SignedHeaders, string Signature);

/// <summary>
/// SDK-HMAC-SHA256, the AK/SK request signature of the Huawei Cloud SDKs: a canonical request built from what was received
/// (raw path and query, the headers the client says it signed, the body hash), hashed into a string to sign, HMAC'd with the SK.
/// </summary>
public static class AkSkSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>Parses the Authorization header; null when it is not an SDK-HMAC-SHA256 header or is malformed.</summary>
    public static SignatureHeader? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal)) return null;
        string? access = null, signed = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(','))
        {
            var kv = part.Trim();
            var eq = kv.IndexOf('=');
            if (eq <= 0) return null;
            var (key, value) = (kv[..eq], kv[(eq + 1)..]);
            switch (key)
            {
                case "Access": access = value; break;
                case "SignedHeaders": signed = value; break;
                case "Signature": signature = value; break;
            }
        }
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(signed) || string.IsNullOrEmpty(signature)) return null;
        return new SignatureHeader(access, signed.Split(';'), signature);
    }

    /// <summary>The canonical request. <paramref name="header"/> returns a received header's value by lowercase name.</summary>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IReadOnlyList<string> signedHeaders,
        Func<string, string?> header, string payloadHash)
    {
        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalUri(rawPath)).Append('\n');
        sb.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
            sb.Append(name).Append(':').Append((header(name) ?? "").Trim()).Append('\n');
        sb.Append('\n');
        sb.Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(payloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        Algorithm + "\n" + sdkDate + "\n" + HexSha256(Encoding.UTF8.GetBytes(canonicalRequest));

    public static string Sign(string secretKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Compares the expected and received signatures in constant time.</summary>
    public static bool Matches(string expected, string received) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received));

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The path, each segment decoded and re-encoded, always ending with a slash.</summary>
    public static string CanonicalUri(string rawPath)
    {
        var segments = rawPath.Split('/').Select(s => Encode(Decode(s, plusIsSpace: false)));
        var uri = string.Join('/', segments);
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    /// <summary>The query's pairs decoded (<c>+</c> is a space), sorted by key then value, re-encoded.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0) return "";
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var eq = p.IndexOf('=');
            return eq < 0 ? (Key: Decode(p, true), Value: "") : (Key: Decode(p[..eq], true), Value: Decode(p[(eq + 1)..], true));
        });
        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
    }

    static string Decode(string s, bool plusIsSpace)
    {
        if (plusIsSpace) s = s.Replace('+', ' ');
        return Uri.UnescapeDataString(s);
    }

    /// <summary>Percent-encodes every UTF-8 byte except A–Z a–z 0–9 - _ . ~ (uppercase hex).</summary>
    static string Encode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                sb.Append((char)b);
            else
                sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
