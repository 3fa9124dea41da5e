using Npgsql;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Tests.Support;

/// <summary>
/// A fresh, empty database per test on the provider the run is for: PC_TEST_DB=sqlite (default, a temp file) or
/// PC_TEST_DB=postgres (a new database on the PostgreSQL server of PC_TEST_PG, dropped afterwards).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public DatabaseSettings Settings { get; }
    readonly string? sqliteDir;
    readonly string? pgName;

    TestDatabase(DatabaseSettings settings, string? sqliteDir, string? pgName)
    {
        Settings = settings;
        this.sqliteDir = sqliteDir;
        this.pgName = pgName;
    }

    public static DatabaseProvider Provider =>
        (Environment.GetEnvironmentVariable("PC_TEST_DB") ?? "sqlite").Equals("postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static async Task<TestDatabase> CreateAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("pc-test-").FullName;
            return new TestDatabase(DatabaseSettings.SqliteFile(Path.Combine(dir, "test.db")), dir, null);
        }
        var admin = Environment.GetEnvironmentVariable("PC_TEST_PG")
                    ?? throw new InvalidOperationException("PC_TEST_DB=postgres needs PC_TEST_PG, the connection string of a PostgreSQL server to create test databases on.");
        var name = "pc_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50 }.ToString();
        return new TestDatabase(new DatabaseSettings(DatabaseProvider.Postgres, cs), null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (sqliteDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(sqliteDir, recursive: true); } catch (IOException) { }
        }
        if (pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(Environment.GetEnvironmentVariable("PC_TEST_PG"));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {pgName} WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
