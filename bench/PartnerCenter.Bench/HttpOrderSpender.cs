using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Bench;

/// <summary>A buyer's credentials, obtained through the API: a permanent access key and an IAM token.</summary>
public sealed record BuyerCredentials(string AccessKey, string SecretKey, string Token);

/// <summary>How the HTTP spender authenticates: an AK/SK signature on every request, or the X-Auth-Token header.</summary>
public enum HttpAuth { AkSk, Token }

/// <summary>
/// The orders suite's operation over HTTP: <c>POST /v1/orders</c> (the same one-month VM line as
/// <see cref="CoreOrderSpender"/>, the key as client_token) then <c>POST /v3/orders/customer-orders/pay</c> without
/// discounts, each signed as the Huawei .NET SDK signs (SDK-HMAC-SHA256 over host and X-Sdk-Date, body hashed) or sent
/// with the buyer's token. Accepted when both answer 200 (PayOrders answers 200 once the order is paid).
/// </summary>
public sealed class HttpOrderSpender(HttpClient http, Uri server, IReadOnlyDictionary<string, BuyerCredentials> buyers, HttpAuth auth) : ISpender
{
    /// <summary>Requests sent per operation and status, warm-ups included: set against what the server's /metrics recorded.</summary>
    public static readonly ConcurrentDictionary<(string Operation, int Status), long> Sent = new();
    /// <summary>The first few refusals' answers, to print: a refused order is a failure of the run, not a figure.</summary>
    public static readonly ConcurrentQueue<string> Refusals = new();

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var line = CoreOrderSpender.Line;
        var order = new JsonObject
        {
            ["product_infos"] = new JsonArray(new JsonObject
            {
                ["cloud_service_type"] = line.CloudServiceType, ["resource_type"] = line.ResourceType, ["resource_spec"] = line.ResourceSpec,
                ["region"] = line.Region, ["period_type"] = line.PeriodType, ["period_num"] = line.PeriodNum, ["subscription_num"] = line.SubscriptionNum,
            }),
            ["client_token"] = idempotencyKey,
        };
        var credentials = buyers[customerId];
        var created = await SendAsync("CreateCustomerOrder", "/v1/orders", order, credentials);
        if (created is null) return false;
        var orderId = created["order_id"]!.GetValue<string>();
        var pay = new JsonObject { ["order_id"] = orderId, ["use_coupon"] = "NO", ["use_discount"] = "NO" };
        return await SendAsync("PayOrders", "/v3/orders/customer-orders/pay", pay, credentials) is not null;
    }

    /// <summary>The JSON answer of a 200, or null (the answer kept in <see cref="Refusals"/>).</summary>
    async Task<JsonNode?> SendAsync(string operation, string path, JsonNode body, BuyerCredentials credentials)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        if (auth == HttpAuth.AkSk)
            TestSigner.Sign(request, credentials.AccessKey, credentials.SecretKey, TimeProvider.System.GetUtcNow(), body: bytes);
        else
            request.Headers.Add("X-Auth-Token", credentials.Token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Sent.AddOrUpdate((operation, (int)response.StatusCode), 1, (_, n) => n + 1);
        if (response.StatusCode == HttpStatusCode.OK) return JsonNode.Parse(text);
        if (Refusals.Count < 5) Refusals.Enqueue($"{operation} {(int)response.StatusCode}: {text}");
        return null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Each buyer signs in with its password (<c>POST /v3/auth/tokens</c>, the token in X-Subject-Token) and creates a
    /// permanent access key with that token (<c>POST /v3.0/OS-CREDENTIAL/credentials</c>), as a user of the API would.
    /// </summary>
    public static async Task<Dictionary<string, BuyerCredentials>> SetUpBuyersAsync(HttpClient http, Uri server, IReadOnlyList<string> ids, IReadOnlyList<string> names)
    {
        var result = new ConcurrentDictionary<string, BuyerCredentials>();
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var name = names[i];
            var signIn = new JsonObject
            {
                ["auth"] = new JsonObject
                {
                    ["identity"] = new JsonObject
                    {
                        ["methods"] = new JsonArray("password"),
                        ["password"] = new JsonObject
                        {
                            ["user"] = new JsonObject { ["name"] = name, ["password"] = BenchWorld.BuyerPassword, ["domain"] = new JsonObject { ["name"] = name } },
                        },
                    },
                    ["scope"] = new JsonObject { ["domain"] = new JsonObject { ["name"] = name } },
                },
            };
            using var tokenResponse = await http.PostAsync(new Uri(server, "/v3/auth/tokens"), Json(signIn));
            var tokenBody = await Expect(tokenResponse, HttpStatusCode.Created);
            var token = tokenResponse.Headers.GetValues("X-Subject-Token").Single();
            var userId = tokenBody["token"]!["user"]!["id"]!.GetValue<string>();

            using var keyRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/v3.0/OS-CREDENTIAL/credentials"))
            {
                Content = Json(new JsonObject { ["credential"] = new JsonObject { ["user_id"] = userId, ["description"] = "bench" } }),
            };
            keyRequest.Headers.Add("X-Auth-Token", token);
            using var keyResponse = await http.SendAsync(keyRequest);
            var credential = (await Expect(keyResponse, HttpStatusCode.Created))["credential"]!;
            result[ids[i]] = new BuyerCredentials(credential["access"]!.GetValue<string>(), credential["secret"]!.GetValue<string>(), token);
        });
        return new Dictionary<string, BuyerCredentials>(result);

        static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

        static async Task<JsonNode> Expect(HttpResponseMessage response, HttpStatusCode status)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != status)
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text) ?? throw new JsonException("empty answer");
        }
    }
}
