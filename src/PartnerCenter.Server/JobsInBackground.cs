using PartnerCenter.Core.Clock;

namespace PartnerCenter.Server;

/// <summary>
/// Every 30 seconds of real time: re-reads the sandbox clock's offset (another instance may have advanced it), runs
/// the job periods that fell due, and sends the e-mails waiting in the outbox; then gives memory back if the server is idle. The sandbox clock's advance runs them at once on the instance that advanced it.
/// </summary>
public sealed class JobsInBackground(IServiceScopeFactory scopes, JobRunner runner, TimeProvider clock, IHostApplicationLifetime lifetime, IdleMemory idle, ILogger<JobsInBackground> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first tick (catching up on overdue periods, retaking crashed ones) waits until the server listens: serving
        // does not depend on it, and on a small machine its queries would otherwise compete with the start for the CPU.
        await WhenStartedAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                using (var scope = scopes.CreateScope())
                    await scope.ServiceProvider.GetRequiredService<SandboxClockService>().LoadAsync(stoppingToken);
                await runner.RunDueAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                using (var scope = scopes.CreateScope())
                    await scope.ServiceProvider.GetRequiredService<PartnerCenter.Core.Mail.OutboxDelivery>().DeliverPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "A scheduled job failed; its period stays claimed until the lease runs out and is retried then");
            }
            idle.AfterJobTick();
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }
}
