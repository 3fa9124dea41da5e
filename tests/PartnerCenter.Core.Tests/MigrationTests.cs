using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;
using PartnerCenter.Tests.Support;

namespace PartnerCenter.Core.Tests;

public class MigrationTests
{
    [Fact]
    public async Task The_migrations_cover_the_whole_model_on_this_runs_provider()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = DatabaseRegistration.CreateContext(database.Settings);
        await DatabaseRegistration.MigrateAsync(db);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes no {TestDatabase.Provider} migration covers: run tools/PartnerCenter.MigrationTool for both providers.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void Both_providers_have_migrations_that_cover_the_model()
    {
        foreach (var settings in new[] { DatabaseSettings.SqliteFile("unused.db"), new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused") })
        {
            using var db = DatabaseRegistration.CreateContext(settings);
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.False(db.Database.HasPendingModelChanges(), $"{settings.Provider}: the model has changes that no migration covers.");
        }
    }
}

public class ModelConventionTests
{
    [Fact]
    public void Every_decimal_is_stored_as_integer_micro_units_so_sqlite_needs_no_decimal_functions()
    {
        // The lean SQLite connection drops EF's decimal-as-text functions; a decimal stored any other way would need them.
        using var db = DatabaseRegistration.CreateContext(DatabaseSettings.SqliteFile("unused.db"));
        var decimals = db.Model.GetEntityTypes().SelectMany(t => t.GetProperties()).Where(p => p.ClrType == typeof(decimal) || p.ClrType == typeof(decimal?)).ToList();
        Assert.NotEmpty(decimals);
        Assert.All(decimals, p => Assert.Equal(typeof(long), p.GetTypeMapping().Converter?.ProviderClrType));
    }
}
