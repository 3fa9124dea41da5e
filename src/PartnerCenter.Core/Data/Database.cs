using PartnerCenter.Core.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PartnerCenter.Core.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Where the data lives: the provider and its connection string.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseSettings SqliteFile(string path) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString());
}

public static class DatabaseRegistration
{
    /// <summary>Registers <see cref="AppDbContext"/> for the chosen provider.</summary>
    public static IServiceCollection AddPartnerCenterDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        // Pooled: a request (or a spend) reuses a reset context instead of building one, which the benchmark showed matters.
        if (settings.Provider == DatabaseProvider.Sqlite)
            services.AddDbContextPool<AppDbContext, SqliteAppDbContext>(o => ConfigureSqlite(o, settings.ConnectionString));
        else
            services.AddDbContextPool<AppDbContext, PostgresAppDbContext>(o => ConfigurePostgres(o, settings.ConnectionString));
        return services;
    }

#pragma warning disable EF1001 // see LeanSqliteConnection
    public static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)).AddInterceptors(new SqlitePragmas(), new CoreMetrics.CommitCounter())
            .ConfigureWarnings(NoPendingModelCheckAtStart)
            .ReplaceService<Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal.ISqliteRelationalConnection, LeanSqliteConnection>();
#pragma warning restore EF1001

    // Both providers say SingleQuery out loud: a query with two collection includes is small here (an order's lines and
    // options), and left implicit EF warns about it on every start.

    /// <summary>
    /// PostgreSQL with automatic statement preparation (unless the connection string sets it): hot statements skip
    /// re-planning. Pooled connections are not reset on close (unless the connection string asks): EF opens and closes
    /// the connection around every query, and each reset ran six statements on the server (RESET ALL, CLOSE ALL, …) for
    /// session state this application never sets (no SET, LISTEN, temp tables or session locks; its advisory locks are
    /// transaction-scoped).
    /// </summary>
    public static void ConfigurePostgres(DbContextOptionsBuilder o, string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        o.UseNpgsql(builder.ConnectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)).AddInterceptors(new CoreMetrics.CommitCounter())
            .ConfigureWarnings(NoPendingModelCheckAtStart);
    }

    /// <summary>
    /// Migrate would otherwise build the model twice more (from OnModelCreating and from the migrations' snapshot) and
    /// diff them on every start. The check stays where it belongs: MigrationTests fails when the model has changes that
    /// no migration covers, on both providers.
    /// </summary>
    static void NoPendingModelCheckAtStart(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder w) =>
        w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning);

    /// <summary>Creates a context outside dependency injection (tools, tests, benchmarks).</summary>
    public static AppDbContext CreateContext(DatabaseSettings settings)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var b = new DbContextOptionsBuilder<SqliteAppDbContext>();
            ConfigureSqlite(b, settings.ConnectionString);
            return new SqliteAppDbContext(b.Options);
        }
        var p = new DbContextOptionsBuilder<PostgresAppDbContext>();
        ConfigurePostgres(p, settings.ConnectionString);
        return new PostgresAppDbContext(p.Options);
    }

    /// <summary>Applies the migrations; SQLite is switched to WAL so readers never wait for the writer.</summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }
}

/// <summary>
/// Per-connection SQLite setting: NORMAL sync is durable under WAL except on power loss. It is set once per native
/// connection (pooled connections keep it), not on every open. Busy waiting comes from the connection's Default Timeout.
/// </summary>
sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    const string Sql = "PRAGMA synchronous=NORMAL;";
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    static bool FirstOpen(System.Data.Common.DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, Sql);
}

#pragma warning disable EF1001 // SqliteRelationalConnection is EF's own (pubternal) SQLite connection; we change one thing.
/// <summary>
/// EF's SQLite connection without the 7 functions, 4 aggregates and collation EF attaches on every open (and detaches
/// on every close) to do arithmetic on decimals stored as text. That attaching was half the cost of a budget spend.
/// Our decimals are all integer micro-units (the convention in <see cref="AppDbContext"/>), so SQL never calls them;
/// a Core test keeps every decimal property converted.
/// </summary>
sealed class LeanSqliteConnection(
    Microsoft.EntityFrameworkCore.Storage.RelationalConnectionDependencies dependencies,
    Microsoft.EntityFrameworkCore.Storage.IRawSqlCommandBuilder rawSqlCommandBuilder,
    Microsoft.EntityFrameworkCore.Diagnostics.IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal.SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    protected override System.Data.Common.DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());
}
#pragma warning restore EF1001
