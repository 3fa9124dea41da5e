using System.Text;
using PartnerCenter.Server.Auth;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>
/// The known-answer vectors: requests the official .NET and Node SDKs sent, with the canonical request, string to sign
/// and signature they computed. Both the server's verifier and the test signer must reproduce them exactly.
/// </summary>
public class SignatureVectorTests
{
    public sealed record Vector(string Title, string SecretKey, string Method, string RawTarget, Dictionary<string, string> Headers, byte[] Body, string Canonical, string Signature)
    {
        public override string ToString() => Title;
    }

    public static IEnumerable<object[]> Vectors() => Load().Select(v => new object[] { v });

    static List<Vector> Load()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "signing-vectors.txt"));
        var vectors = new List<Vector>();
        foreach (var section in text.Split("=== ", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = section.Split('\n');
            var sk = lines.Single(l => l.StartsWith("SK = ")).Substring(5).Trim();
            var requestLine = lines.Single(l => l.StartsWith("request line: ")).Substring(14).Trim().Split(' ', 2);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var i = Array.FindIndex(lines, l => l == "headers:") + 1;
            for (; lines[i].StartsWith("  "); i++)
            {
                var colon = lines[i].IndexOf(':');
                headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
            }
            var bodyLine = lines.Single(l => l.StartsWith("body ("));
            var body = Encoding.UTF8.GetBytes(bodyLine[(bodyLine.IndexOf('\'') + 1)..bodyLine.LastIndexOf('\'')]);
            var start = section.IndexOf("--- canonical request (between the lines) ---\n", StringComparison.Ordinal) + "--- canonical request (between the lines) ---\n".Length;
            var canonical = section[start..section.IndexOf("\n--- end ---", start, StringComparison.Ordinal)];
            var expected = lines.Single(l => l.StartsWith("HMAC-SHA256(SK, string to sign) hex = ")).Split("= ")[1].Trim();
            vectors.Add(new Vector(lines[0].Trim(), sk, requestLine[0], requestLine[1], headers, body, canonical, expected));
        }
        return vectors;
    }

    [Fact]
    public void All_four_vectors_are_loaded() => Assert.Equal(4, Load().Count);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_server_reproduces_the_sdk_canonical_request_and_signature(Vector v)
    {
        var header = AkSkSignature.ParseAuthorization(v.Headers["Authorization"])!;
        Assert.Equal(v.Signature, header.Signature);
        var q = v.RawTarget.IndexOf('?');
        var (path, query) = q < 0 ? (v.RawTarget, "") : (v.RawTarget[..q], v.RawTarget[(q + 1)..]);
        var canonical = AkSkSignature.CanonicalRequest(v.Method, path, query, header.SignedHeaders,
            name => v.Headers.TryGetValue(name, out var value) ? value : null, AkSkSignature.HexSha256(v.Body));
        Assert.Equal(v.Canonical, canonical);
        Assert.Equal(v.Signature, AkSkSignature.Sign(v.SecretKey, AkSkSignature.StringToSign(v.Headers["X-Sdk-Date"], canonical)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_independent_test_signer_reproduces_the_sdk_signature(Vector v)
    {
        var header = AkSkSignature.ParseAuthorization(v.Headers["Authorization"])!;
        var q = v.RawTarget.IndexOf('?');
        var (path, query) = q < 0 ? (v.RawTarget, "") : (v.RawTarget[..q], v.RawTarget[(q + 1)..]);
        var signed = header.SignedHeaders.Select(n => (n, v.Headers[n])).ToList();
        var canonical = TestSigner.CanonicalRequest(v.Method, path, query, signed, TestSigner.BodyHash(v.Body));
        Assert.Equal(v.Canonical, canonical);
        Assert.Equal(v.Signature, TestSigner.Signature(v.SecretKey, v.Headers["X-Sdk-Date"], canonical));
    }

    [Fact]
    public void A_different_secret_gives_a_different_signature_and_comparison_is_exact()
    {
        var v = Load()[0];
        var sts = AkSkSignature.StringToSign(v.Headers["X-Sdk-Date"], v.Canonical);
        var wrong = AkSkSignature.Sign(v.SecretKey + "x", sts);
        Assert.False(AkSkSignature.Matches(v.Signature, wrong));
        Assert.True(AkSkSignature.Matches(v.Signature, AkSkSignature.Sign(v.SecretKey, sts)));
        Assert.False(AkSkSignature.Matches(v.Signature, v.Signature[..^1]));
    }

    [Theory]
    [InlineData("SDK-HMAC-SM3 Access=A, SignedHeaders=host, Signature=00")]
    [InlineData("SDK-HMAC-SHA256 Access=A, SignedHeaders=host")]
    [InlineData("Bearer abc")]
    [InlineData("SDK-HMAC-SHA256 garbage")]
    public void Malformed_or_other_algorithm_headers_do_not_parse(string header) => Assert.Null(AkSkSignature.ParseAuthorization(header));
}
