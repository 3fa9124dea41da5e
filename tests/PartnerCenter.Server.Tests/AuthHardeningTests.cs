using System.Net;
using System.Net.Sockets;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>What an attacker tries against authentication: foreign security tokens, malformed paths, guessing at speed.</summary>
public sealed class AuthHardeningTests(AuthHardeningTests.BrakedServer s) : IClassFixture<AuthHardeningTests.BrakedServer>
{
    /// <summary>A server whose failed-authentication brake trips after 5 failures.</summary>
    public sealed class BrakedServer : ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("auth-brake:burst", "5"), new("auth-brake:per-second", "0.01")];

        /// <summary>A client whose connections come from another loopback address, i.e. another client address.</summary>
        public HttpClient ClientFrom(string localAddress) => new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = BaseAddress };
    }

    static HttpRequestMessage Signed(Uri baseAddress, string path, string ak, string sk, string? securityToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        TestSigner.Sign(request, ak, sk, DateTimeOffset.UtcNow, securityToken: securityToken);
        return request;
    }

    [Fact]
    public async Task A_permanent_key_with_a_security_token_that_is_not_its_own_is_refused()
    {
        using var client = s.ClientFrom("127.0.0.11");
        var a = await s.NewAccountAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, a.SecretKey))).StatusCode);
        await (await client.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, a.SecretKey, securityToken: "junk-token"))).AssertErrorAsync(401, "APIGW.0301");
    }

    [Theory]
    [InlineData("/v3/users/%C0%AF")]
    [InlineData("/v2/orders/customer-orders/details/%FF")]
    [InlineData("/v3/groups?name=%E2%82")]
    [InlineData("/no-such-route/%C0%AF")]
    public async Task A_path_or_query_that_is_not_utf8_is_400_on_every_route_signed_or_not(string path)
    {
        using var client = s.ClientFrom("127.0.0.12");
        var a = await s.NewAccountAsync();
        await (await client.GetAsync(path)).AssertErrorAsync(400, "CBC.0100");
        await (await client.SendAsync(Signed(s.BaseAddress, path, a.AccessKey, a.SecretKey))).AssertErrorAsync(400, "CBC.0100");
    }

    [Fact]
    public async Task Password_guesses_from_one_address_are_braked_too()
    {
        var a = await s.NewAccountAsync();
        using var guesser = s.ClientFrom("127.0.0.15");
        object Body(string domain, string password) => new { auth = new { identity = new { methods = new[] { "password" }, password = new { user = new { name = domain, password, domain = new { name = domain } } } } } };
        var statuses = new List<int>();
        // Guesses spread over many names, so no one user's own lockout stops them: only the address brake can.
        for (var i = 0; i < 7; i++)
            statuses.Add((int)(await guesser.PostAsync("/v3/auth/tokens", System.Net.Http.Json.JsonContent.Create(Body("nobody" + i, "Wrong#Guess1")))).StatusCode);
        Assert.Equal(Enumerable.Repeat(401, 5).Concat(Enumerable.Repeat(429, 2)), statuses);
        using var other = s.ClientFrom("127.0.0.16");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsync("/v3/auth/tokens", System.Net.Http.Json.JsonContent.Create(Body(a.Name, a.Password)))).StatusCode);
    }

    [Fact]
    public async Task Failed_authentications_are_braked_per_address_and_per_key_while_the_keys_owner_still_gets_in()
    {
        var a = await s.NewAccountAsync();
        using var attacker = s.ClientFrom("127.0.0.13");
        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
            statuses.Add((int)(await attacker.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, "wrong-secret"))).StatusCode);
        Assert.Equal(Enumerable.Repeat(401, 5).Concat(Enumerable.Repeat(429, 7)), statuses);
        var braked = await attacker.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, a.SecretKey));
        await braked.AssertErrorAsync(429, "APIGW.0308"); // the address is braked, even with the right secret

        using var owner = s.ClientFrom("127.0.0.14");
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, a.SecretKey))).StatusCode);
        // From a fresh address, a wrong signature with the braked key is 429 at once: guessing through many addresses gains nothing.
        await (await owner.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, "wrong-again"))).AssertErrorAsync(429, "APIGW.0308");
        Assert.Equal(HttpStatusCode.OK, (await owner.SendAsync(Signed(s.BaseAddress, "/v3/auth/domains", a.AccessKey, a.SecretKey))).StatusCode);
    }
}
