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
        if (settings.Provider == DatabaseProvider.Sqlite)
            services.AddDbContext<AppDbContext, SqliteAppDbContext>(o => ConfigureSqlite(o, settings.ConnectionString));
        else
            services.AddDbContext<AppDbContext, PostgresAppDbContext>(o => ConfigurePostgres(o, settings.ConnectionString));
        return services;
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());

    public static void ConfigurePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString);

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

/// <summary>Per-connection SQLite settings: NORMAL sync is durable under WAL except on power loss, and foreign keys on.</summary>
sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    const string Sql = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
