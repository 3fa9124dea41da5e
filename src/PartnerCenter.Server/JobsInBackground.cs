using PartnerCenter.Core.Clock;

namespace PartnerCenter.Server;

/// <summary>Runs due job periods every 30 seconds of real time (the sandbox clock's advance runs them at once).</summary>
public sealed class JobsInBackground(JobRunner runner, TimeProvider clock, ILogger<JobsInBackground> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                await runner.RunDueAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "A scheduled job failed; its period stays claimed until the lease runs out and is retried then");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
