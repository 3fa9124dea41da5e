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
