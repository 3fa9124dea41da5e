using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// Pay-per-use test data through the server's own HTTP API: pay-per-use orders, the metering's usage records, free-resource
/// packages and the sandbox clock (whose advance runs the hourly rating job, as the server runs its jobs only then).
/// </summary>
public sealed class PayPerUseApi(ConsoleServer server, PartnerApi api) : IDisposable
{
    /// <summary>s6.small.1.linux in CN-Hong Kong, per hour of use, at list price.</summary>
    public const decimal VmHour = 0.01439931m;

    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };

    Task<string> OperatorAsync() => api.TokenAsync(ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);

    /// <summary>Business time: the sandbox clock.</summary>
    public async Task<DateTime> NowAsync()
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/sandbox/clock", await OperatorAsync());
        await ExpectAsync(response, HttpStatusCode.OK);
        var now = (await response.Content.ReadFromJsonAsync<JsonObject>())!["now"]!.ToString();
        return DateTime.Parse(now, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    /// <summary>Moves the sandbox clock forward; every job period that falls due runs, the hourly rating among them.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/sandbox/clock/advance", await OperatorAsync(), new { seconds = (long)by.TotalSeconds });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>
    /// Keeps a test's usage hours and the hours they are rated in within one month (the console shows a month's fees):
    /// within 4 hours of a month's end or an hour of its start, moves to 65 minutes into the month.
    /// </summary>
    public async Task AwayFromMonthBoundaryAsync()
    {
        var now = await NowAsync();
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var target = month.AddMonths(1) - now < TimeSpan.FromHours(4) ? month.AddMonths(1).AddMinutes(65)
            : now - month < TimeSpan.FromMinutes(65) ? month.AddMinutes(65)
            : (DateTime?)null;
        if (target is { } t) await AdvanceAsync(t - now);
    }

    /// <summary>The account's domain id (GET /v1/account).</summary>
    public async Task<string> DomainIdAsync(string account)
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/account", await api.TokenAsync(account));
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["domain_id"]!.GetValue<string>();
    }

    /// <summary>
    /// A pay-per-use s6.small.1.linux server in CN-Hong Kong (charging_mode 3), ordered by <paramref name="account"/> for
    /// itself or, by a partner, for <paramref name="customerId"/>; returns the order id (a completed order of 0).
    /// </summary>
    public async Task<string> OrderServerAsync(string account, string? customerId = null)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/orders", await api.TokenAsync(account), new
        {
            customer_id = customerId, client_token = Guid.NewGuid().ToString("N"),
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", charging_mode = 3 } },
        });
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
    }

    /// <summary>A monthly s6.small.1.linux server (7.15 USD) ordered by a partner for its customer, left pending payment; returns the order id.</summary>
    public async Task<string> OrderMonthlyServerForAsync(string partner, string customerId)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/orders", await api.TokenAsync(partner), new
        {
            customer_id = customerId, client_token = Guid.NewGuid().ToString("N"),
            product_infos = new[] { new { cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1", period_type = 2, period_num = 1 } },
        });
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["order_id"]!.GetValue<string>();
    }

    /// <summary>The customer pays one of its orders without a discount.</summary>
    public async Task PayAsync(string customer, string orderId)
    {
        var response = await SendAsync(HttpMethod.Post, "/v3/orders/customer-orders/pay", await api.TokenAsync(customer), new { order_id = orderId, use_coupon = "NO", use_discount = "NO" });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>
    /// The metering reports <paramref name="hours"/> VM-hours of the resource, used in the last hour, and the clock moves an
    /// hour on so that the hourly run rates and charges them; returns the hour the usage is billed for.
    /// </summary>
    public async Task<DateTime> UseAndRateAsync(string resourceId, decimal hours)
    {
        var now = await NowAsync();
        var begin = now.AddMinutes(-50);
        var response = await SendAsync(HttpMethod.Post, "/v1/usage-records", await OperatorAsync(), new
        {
            records = new[]
            {
                new { record_id = Guid.NewGuid().ToString("N"), resource_id = resourceId, usage_factor = "Duration", usage_value = hours, usage_measure_id = 4, begin_time = Utc(begin), end_time = Utc(now.AddMinutes(-1)) },
            },
        });
        await ExpectAsync(response, HttpStatusCode.OK);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (result["accepted"]!.GetValue<int>() != 1) throw new InvalidOperationException("The usage record was not accepted: " + result.ToJsonString());
        await AdvanceAsync(TimeSpan.FromHours(1));
        return new DateTime(begin.Year, begin.Month, begin.Day, begin.Hour, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>The operator grants the customer a package of free s6.small.1.linux hours in CN-Hong Kong, valid for a month from now.</summary>
    public async Task GrantFreeHoursAsync(string customerId, string name, decimal hours)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/free-resource-packages", await OperatorAsync(), new
        {
            customer_id = customerId, product_name = name, service_type_code = "hws.service.type.ec2", resource_type_code = "hws.resource.type.vm",
            region_code = "ap-southeast-1", resource_spec = "s6.small.1.linux", usage_factor = "Duration", amount = hours, measure_id = 4,
        });
        await ExpectAsync(response, HttpStatusCode.OK);
    }

    static string Utc(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Auth-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return http.SendAsync(request);
    }

    static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => http.Dispose();
}
