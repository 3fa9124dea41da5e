using System.Security.Cryptography;
using System.Text;

namespace PartnerCenter.Server.Tests.Support;

/// <summary>
/// SDK-HMAC-SHA256 written from the public description of the algorithm, independently of the server's verifier,
/// and checked against the known-answer vectors: it signs requests the way the official SDKs do.
/// </summary>
public static class TestSigner
{
    public static string CanonicalRequest(string method, string path, string query, IReadOnlyList<(string Name, string Value)> signedHeaders, string bodyHash)
    {
        var uri = string.Join("/", path.Split('/').Select(seg => Uri.EscapeDataString(Uri.UnescapeDataString(seg))));
        if (!uri.EndsWith('/')) uri += "/";
        var pairs = new List<(string K, string V)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            string Dec(string s) => Uri.UnescapeDataString(s.Replace("+", " "));
            pairs.Add((Dec(kv[0]), kv.Length > 1 ? Dec(kv[1]) : ""));
        }
        var canonicalQuery = string.Join("&", pairs.OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.K) + "=" + Uri.EscapeDataString(p.V)));
        var headers = string.Concat(signedHeaders.Select(h => h.Name.ToLowerInvariant() + ":" + h.Value.Trim() + "\n"));
        var names = string.Join(";", signedHeaders.Select(h => h.Name.ToLowerInvariant()));
        return $"{method}\n{uri}\n{canonicalQuery}\n{headers}\n{names}\n{bodyHash}";
    }

    public static string Signature(string secretKey, string sdkDate, string canonicalRequest)
    {
        var hashed = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))).ToLowerInvariant();
        var stringToSign = "SDK-HMAC-SHA256\n" + sdkDate + "\n" + hashed;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secretKey));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign))).ToLowerInvariant();
    }

    public static string BodyHash(byte[] body) => Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();

    /// <summary>Signs an outgoing request the way the .NET SDK does: host (no port), x-sdk-date and, when given, x-domain-id.</summary>
    public static void Sign(HttpRequestMessage request, string accessKey, string secretKey, DateTimeOffset signedAt, string? domainId = null, byte[]? body = null, string? securityToken = null)
    {
        var sdkDate = signedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");
        var host = request.RequestUri!.Host;
        request.Headers.Host = host;
        request.Headers.Add("X-Sdk-Date", sdkDate);
        var signed = new List<(string, string)> { ("host", host) };
        if (domainId is not null)
        {
            request.Headers.Add("X-Domain-Id", domainId);
            signed.Add(("x-domain-id", domainId));
        }
        if (securityToken is not null)
        {
            request.Headers.Add("X-Security-Token", securityToken);
            signed.Add(("x-security-token", securityToken));
        }
        signed.Add(("x-sdk-date", sdkDate));
        var canonical = CanonicalRequest(request.Method.Method, request.RequestUri.AbsolutePath, request.RequestUri.Query.TrimStart('?'), signed, BodyHash(body ?? []));
        var signature = Signature(secretKey, sdkDate, canonical);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"SDK-HMAC-SHA256 Access={accessKey}, SignedHeaders={string.Join(";", signed.Select(s => s.Item1))}, Signature={signature}");
    }
}
