using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PartnerCenter.Core;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Bench;

/// <summary>
/// A fresh database (a SQLite temp file, or a new PostgreSQL database dropped afterwards) migrated by Core, with the
/// Core services over it, one CSP partner and its resale customers, each unfrozen with a large monthly budget. Everything
/// is created through the Core services, as the tests do, so the rows the spends touch are the real ones.
/// </summary>
public sealed class BenchWorld : IAsyncDisposable
{
    /// <summary>So large that 0.01 spends never exhaust it nor cross an alert threshold during a run.</summary>
    public const decimal Budget = BudgetService.MaxBudget;

    public required DatabaseSettings Settings { get; init; }
    public required ServiceProvider Services { get; init; }
    public IReadOnlyList<string> Customers { get; private set; } = [];
    /// <summary>Direct customers with a large cash balance, for the orders suite (see <see cref="AddBuyersAsync"/>).</summary>
    public IReadOnlyList<string> Buyers { get; private set; } = [];
    /// <summary>The buyers' account names (each also its owner's user name), in the order of <see cref="Buyers"/>; password <see cref="BuyerPassword"/>.</summary>
    public IReadOnlyList<string> BuyerNames { get; private set; } = [];
    public const string BuyerPassword = "Bench#Pass123";
    /// <summary>The operator and the CSP whose resale customers <see cref="Customers"/> are (the usage benchmark acts as both).</summary>
    public Caller Operator { get; private set; } = null!;
    public Caller Partner { get; private set; } = null!;
    string? sqliteDir;
    string? pgAdmin, pgName;

    public static async Task<BenchWorld> CreateAsync(DatabaseProvider provider, string? pgAdmin, int customerCount)
    {
        var (settings, sqliteDir, pgName) = await NewDatabaseAsync(provider, pgAdmin);

        var services = new ServiceCollection().AddLogging();
        services.AddPartnerCenterCore(settings, new SandboxOptions(true));
        services.AddScoped<Bootstrap>();
        var world = new BenchWorld { Settings = settings, Services = services.BuildServiceProvider(), sqliteDir = sqliteDir, pgAdmin = pgAdmin, pgName = pgName };
        try
        {
            var operatorPassword = Bootstrap.NewPassword();
            await world.InScopeAsync(sp => sp.GetRequiredService<Bootstrap>().RunAsync(operatorPassword)); // migrates too
            var op = await world.SignInAsync(Bootstrap.OperatorName, Bootstrap.OperatorName, operatorPassword);

            const string password = "Bench#Pass123";
            var name = "bench" + Guid.NewGuid().ToString("N")[..8];
            await world.InScopeAsync(sp => sp.GetRequiredService<Core.Accounts.AccountService>()
                .RegisterAsync(new Core.Accounts.Registration(name, password, name + "@example.com", null, "enterprise", "SG")));
            var csp = await world.SignInAsync(name, name, password);
            var app = await world.InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(csp, PartnerProgram.CloudSolutionProvider, "Bench Ltd", null));
            await world.InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>().DecideAsync(op, app.Id, true, null));

            // A few customers at a time: setup is not what we measure, but 1000 one by one would take long.
            var ids = new string[customerCount];
            await Parallel.ForAsync(0, customerCount, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                ids[i] = (await world.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(csp,
                    new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id;
                // cancel_partner_frozen=1: a new resale customer starts frozen; the budget setting unfreezes it.
                await world.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(csp,
                    new BudgetInput(ids[i], Budget, "MONTHLY", "1", 0, null)));
            });
            world.Customers = ids;
            (world.Operator, world.Partner) = (op, csp);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Direct (unassociated) customers, each with 1,000,000.00 of cash: enough for any run of one-month VM orders.</summary>
    public async Task AddBuyersAsync(int count)
    {
        var ids = new string[count];
        var names = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var name = names[i] = "buyer" + Guid.NewGuid().ToString("N")[..10];
            ids[i] = await InScopeAsync(async sp => (await sp.GetRequiredService<Core.Accounts.AccountService>()
                .RegisterAsync(new Core.Accounts.Registration(name, BuyerPassword, name + "@example.com", null, "enterprise", "SG"))).Id);
            await InScopeAsync(sp => sp.GetRequiredService<Core.Ledger.FundsService>().AdjustAsync(Operator, ids[i], Core.Ledger.FundsService.MaxCreditLimit, "bench funds", "bench-" + ids[i]));
        });
        // The revenue account exists before the raw baseline's first payment needs it.
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await sp.GetRequiredService<Core.Ledger.LedgerBook>().EnsureAccountAsync(Core.Ledger.LedgerAccountKind.PlatformRevenue, null);
            await tx.CommitAsync();
        });
        (Buyers, BuyerNames) = (ids, names);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async sp => { await work(sp); return 0; });

    async Task<Caller> SignInAsync(string domain, string user, string password) => await InScopeAsync(async sp =>
    {
        var auth = sp.GetRequiredService<AuthService>();
        var (u, _) = await auth.SignInAsync(domain, user, password);
        return await auth.CallerForUserAsync(u.Id);
    });

    /// <summary>Checks after the runs: every customer is still within budget and its used amount equals its recorded spends.</summary>
    public async Task<string?> CheckInvariantsAsync()
    {
        await using var db = DatabaseRegistration.CreateContext(Settings);
        var used = await db.CustomerBudgets.SumAsync(b => b.UsedAmount);
        var spent = await db.BudgetSpends.SumAsync(s => s.Amount);
        var over = await db.CustomerBudgets.CountAsync(b => b.UsedAmount > b.BudgetAmount);
        return used == spent && over == 0 ? null : $"INVARIANT BROKEN: used {used} vs spends {spent}, {over} budgets over";
    }

    /// <summary>An empty database for one run: a SQLite file in a temporary directory, or a new PostgreSQL database.</summary>
    public static async Task<(DatabaseSettings Settings, string? SqliteDir, string? PgName)> NewDatabaseAsync(DatabaseProvider provider, string? pgAdmin)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("pc-bench-").FullName;
            return (DatabaseSettings.SqliteFile(Path.Combine(dir, "bench.db")), dir, null);
        }
        var name = "pc_bench_" + Guid.NewGuid().ToString("N")[..12];
        await AdminAsync(pgAdmin!, $"CREATE DATABASE {name}");
        // A pool big enough for every worker, Core's and raw's connections alike.
        return (new DatabaseSettings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(pgAdmin) { Database = name, MaxPoolSize = 200 }.ToString()), null, name);
    }

    /// <summary>Removes what <see cref="NewDatabaseAsync"/> made.</summary>
    public static async Task DropDatabaseAsync(string? sqliteDir, string? pgAdmin, string? pgName)
    {
        if (sqliteDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(sqliteDir, recursive: true); } catch (IOException) { }
        }
        if (pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(pgAdmin!, $"DROP DATABASE IF EXISTS {pgName} WITH (FORCE)");
        }
    }

    static async Task AdminAsync(string admin, string sql)
    {
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await DropDatabaseAsync(sqliteDir, pgAdmin, pgName);
    }
}
