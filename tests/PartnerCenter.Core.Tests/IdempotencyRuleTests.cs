using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

public class IdempotencyRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    Task<bool> TakeAsync(string key, object request) => h.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<AppDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var taken = await sp.GetRequiredService<Idempotency>().TakeAsync("test:scope", key, Idempotency.Fingerprint(request));
        await tx.CommitAsync();
        return taken;
    });

    [Fact]
    public async Task A_key_is_taken_once_then_the_same_request_is_told_it_came_before_and_another_request_is_refused()
    {
        Assert.True(await TakeAsync("k1", new { amount = 10m }));
        Assert.False(await TakeAsync("k1", new { amount = 10m }));
        var e = await Assert.ThrowsAsync<ServiceException>(() => TakeAsync("k1", new { amount = 11m }));
        Assert.Equal("CBC.99005044", e.Error.Code);
        Assert.True(await TakeAsync("k2", new { amount = 11m }));
    }
}
