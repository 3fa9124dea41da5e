using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Bench;

/// <summary>
/// The measured operation: <see cref="BudgetConsumption.SpendAsync"/> of 0.01 with a unique key, in a new DI scope per
/// call (a new DbContext, as one request gets), exactly as commerce will call it.
/// </summary>
public sealed class CoreSpender(IServiceProvider services) : ISpender
{
    public const decimal Amount = 0.01m;

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<BudgetConsumption>().SpendAsync(customerId, Amount, idempotencyKey);
        return result.Accepted;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
