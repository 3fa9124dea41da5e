using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PartnerCenter.Core;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Tests.Support;

namespace PartnerCenter.Core.Tests.Support;

/// <summary>The Core services over a fresh database, with a fake real-time clock under the sandbox clock.</summary>
public sealed class CoreHarness : IAsyncDisposable
{
    public required ServiceProvider Services { get; init; }
    public required FakeTimeProvider RealTime { get; init; }
    public required TestDatabase Database { get; init; }
    public required string OperatorPassword { get; init; }
    /// <summary>Where this harness's outgoing e-mails are written.</summary>
    public required string MailDirectory { get; init; }
    /// <summary>Where this harness keeps uploaded files.</summary>
    public required string AttachmentDirectory { get; init; }
    int counter;

    public static async Task<CoreHarness> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var database = await TestDatabase.CreateAsync();
        var realTime = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddLogging();
        var mail = Directory.CreateTempSubdirectory("pc-mail-").FullName;
        var files = Directory.CreateTempSubdirectory("pc-files-").FullName;
        services.AddPartnerCenterCore(database.Settings, new SandboxOptions(true), realTime, mail, files);
        services.AddScoped<Bootstrap>();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var password = Bootstrap.NewPassword();
        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(password);
        return new CoreHarness { Services = provider, RealTime = realTime, Database = database, OperatorPassword = password, MailDirectory = mail, AttachmentDirectory = files };
    }

    /// <summary>Runs <paramref name="work"/> with a fresh scope (a fresh DbContext), like one request.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async sp => { await work(sp); return 0; });

    public AppDbContext NewDbContext() => DatabaseRegistration.CreateContext(Database.Settings);

    /// <summary>A new account; returns its owner's caller and password.</summary>
    public async Task<(Caller Owner, string Password)> NewAccountAsync(string? prefix = null)
    {
        var name = (prefix ?? "acct") + Interlocked.Increment(ref counter) + Guid.NewGuid().ToString("N")[..6];
        const string password = "Secret#Pass123";
        var caller = await InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<AccountService>().RegisterAsync(new Registration(name, password, name + "@example.com", null, "enterprise", "SG"));
            var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(name, name, password);
            return AuthService.CallerOf(user, account, null, null);
        });
        return (caller, password);
    }

    /// <summary>A new IAM user in the owner's account, in no group; returns its caller.</summary>
    public async Task<Caller> NewIamUserAsync(Caller owner, string password = "User#Pass1234")
    {
        var name = "user" + Interlocked.Increment(ref counter);
        return await InScopeAsync(async sp =>
        {
            await sp.GetRequiredService<UserService>().CreateAsync(owner, new UserInput(name, password));
            var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(owner.AccountName, name, password);
            return AuthService.CallerOf(user, account, null, null);
        });
    }

    /// <summary>The operator's own sign-in.</summary>
    public Task<Caller> OperatorAsync() => InScopeAsync(async sp =>
    {
        var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(Bootstrap.OperatorName, Bootstrap.OperatorName, OperatorPassword);
        return AuthService.CallerOf(user, account, null, null);
    });

    /// <summary>
    /// A new account enrolled in a program: it applies and the operator approves (a reseller: its distributor approves).
    /// </summary>
    public async Task<(Caller Caller, Partner Partner)> NewPartnerAsync(
        PartnerProgram program = PartnerProgram.CloudSolutionProvider, (Caller Caller, Partner Partner)? distributor = null)
    {
        var (caller, _) = await NewAccountAsync(program.ToString().ToLowerInvariant()[..3]);
        var application = await InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>()
            .ApplyAsync(caller, program, "Acme " + caller.AccountName, distributor?.Partner.PartnerId));
        var decider = program == PartnerProgram.Reseller ? distributor!.Value.Caller : await OperatorAsync();
        await InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>().DecideAsync(decider, application.Id, true, null));
        await using var db = NewDbContext();
        return (caller, await db.Partners.SingleAsync(p => p.AccountId == caller.AccountId));
    }

    /// <summary>Every scenario ends here: the ledger's invariants hold (see <see cref="Ledger.LedgerInvariants"/>).</summary>
    public async Task AssertLedgerSoundAsync()
    {
        await using var db = NewDbContext();
        Assert.Empty(await Ledger.LedgerInvariants.CheckAsync(db));
    }

    public async Task<Error> FailsAsync(Func<IServiceProvider, Task> work)
    {
        var ex = await Assert.ThrowsAsync<ServiceException>(() => InScopeAsync(work));
        return ex.Error;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(MailDirectory, true); } catch (IOException) { }
        try { Directory.Delete(AttachmentDirectory, true); } catch (IOException) { }
    }
}
