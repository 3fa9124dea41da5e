using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PartnerCenter.Core;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Simulation;

/// <summary>
/// The Core services over one database, as a server process holds them. <see cref="RestartAsync"/> throws the process
/// away (every singleton, cache and pooled context) and starts a new one over the same database, as a restart would.
/// The machine's clock is a fake that only the simulation moves, so the business clock is deterministic.
/// </summary>
public sealed class SimHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    readonly DatabaseSettings database;
    readonly string mailDirectory = Directory.CreateTempSubdirectory("pc-sim-mail-").FullName;
    public FakeTimeProvider RealTime { get; } = new(Start);
    public FaultInjector Faults { get; } = new();
    public ServiceProvider Services { get; private set; } = null!;
    public Caller Operator { get; private set; } = null!;
    string operatorPassword = "";

    SimHost(DatabaseSettings database) => this.database = database;

    public static async Task<SimHost> StartAsync(DatabaseSettings database)
    {
        var host = new SimHost(database);
        host.operatorPassword = Bootstrap.NewPassword();
        await host.BootAsync();
        return host;
    }

    async Task BootAsync()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPartnerCenterCore(database, new SandboxOptions(true), RealTime, mailDirectory);
        services.AddScoped<Bootstrap>();
        services.AddSingleton(new BillRunOptions(1)); // deterministic replays: one partner at a time
        // The fault injector joins the contexts' options only here, never in the product.
        if (database.Provider == DatabaseProvider.Sqlite) services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(Faults));
        else services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(Faults));
        Services = services.BuildServiceProvider();
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(operatorPassword);
        var (user, account) = await scope.ServiceProvider.GetRequiredService<AuthService>().SignInAsync(Bootstrap.OperatorName, Bootstrap.OperatorName, operatorPassword);
        Operator = SimHost.CallerOf(user, account);
    }

    /// <summary>
    /// A process restart between steps: the old provider is disposed, a minute of real time passes (long enough for a
    /// crashed job's lease to end), and the new process starts and runs the jobs due, as the server's job loop does.
    /// </summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        RealTime.Advance(TimeSpan.FromMinutes(1));
        await BootAsync();
        await RunDueJobsAsync();
    }

    /// <summary>The caller a password sign-in makes (as AuthService builds it).</summary>
    public static Caller CallerOf(IamUser user, PartnerCenter.Core.Accounts.Account account) =>
        new(account.Id, account.Name, user.Id, user.Name, user.IsAccountOwner, account.IsOperator);

    public DateTime Now => Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public Task RunDueJobsAsync() => Services.GetRequiredService<JobRunner>().RunDueAsync(Now);

    /// <summary>One request: a fresh scope (a fresh DbContext), as the server gives each request.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async sp => { await work(sp); return 0; });

    /// <summary>A context for the checker's reads, outside the services (and never armed with a fault).</summary>
    public AppDbContext NewDbContext() => DatabaseRegistration.CreateContext(database);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        try { Directory.Delete(mailDirectory, true); } catch (IOException) { }
    }
}
