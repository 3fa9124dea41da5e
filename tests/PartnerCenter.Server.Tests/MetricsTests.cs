using System.Net;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>/metrics: what an operator's Prometheus scrapes.</summary>
public sealed class MetricsTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Metrics_show_requests_by_operation_and_status_and_the_money_the_ledger_moved()
    {
        var customer = await s.NewAccountAsync();
        await s.SendAsync(HttpMethod.Get, "/v3/groups", customer.Token);
        var op = (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;
        var adjusted = await s.SendAsync(HttpMethod.Post, "/v1/operator/balance-adjustments", op, new { customer_id = customer.Id, amount = 15m, reason = "goodwill", client_token = "metrics-1" });
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);

        var scrape = await s.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        var requests = text.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count")).ToList();
        Assert.Contains(requests, l => l.Contains("operation=\"KeystoneListGroups\"") && l.Contains("http_response_status_code=\"200\""));
        Assert.Contains(requests, l => l.Contains("http_route=\"/v3/groups/\"") && l.Contains("http_response_status_code=\"200\""));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("partner_center_ledger_entries_total") && l.Contains("kind="));
        Assert.Contains("partner_center_ledger_money_moved_USD_total", text);
    }
}
