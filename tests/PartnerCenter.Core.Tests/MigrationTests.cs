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

public class HotInsertTests
{
    [Fact]
    public async Task A_hot_insert_writes_exactly_the_row_SaveChanges_would_nulls_decimals_booleans_and_times_included()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = DatabaseRegistration.CreateContext(database.Settings);
        await DatabaseRegistration.MigrateAsync(db);
        var at = new DateTime(2026, 11, 23, 10, 15, 30, 123, DateTimeKind.Utc).AddTicks(4560); // PostgreSQL keeps microseconds
        var full = new Resources.CloudResource
        {
            Id = "r-full", CustomerAccountId = "c1", Name = "vm", Region = "ap-southeast-1", ServiceTypeCode = "hws.service.type.ec2",
            ResourceTypeCode = "hws.resource.type.vm", SpecCode = "s6.small.1.linux", SpecId = "spec", SpecSize = 40.123456m, SpecSizeMeasureId = 17,
            IsMain = false, ParentResourceId = "r-main", OrderId = "o1", LastOrderId = "o2", ChargeMode = 1, PeriodType = 2, PeriodNum = 3, Status = 2,
            ExpirePolicy = 1, AutoRenewTimesLeft = 4, AutoRenewPeriodType = 2, EffectiveTime = at, ExpireTime = at.AddMonths(3), StatusChangedAt = at, UpdatedAt = at,
        };
        var sparse = new Resources.CloudResource
        {
            Id = "r-sparse", CustomerAccountId = "c1", Name = "ip", Region = "r", ServiceTypeCode = "s", ResourceTypeCode = "t", SpecCode = "c", SpecId = "spec",
            IsMain = true, OrderId = "o1", LastOrderId = "o1", EffectiveTime = at, UpdatedAt = at,
        };
        var period = new Resources.ResourcePeriod { ResourceId = "r-full", OrderId = "o1", Start = at, End = at.AddMonths(1), PeriodType = 2, PeriodNum = 1, PaidAmount = 12.34m, SettlementAmount = 9.87m, PaidAt = at };

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            foreach (var r in new[] { full, sparse }) Assert.True(await HotInsert.AddAsync(db, r));
            Assert.True(await HotInsert.AddAsync(db, period));
            Assert.False(await HotInsert.AddAsync(db, sparse, skipIfExists: true)); // already there: nothing written
            await tx.CommitAsync();
        }

        await using var read = DatabaseRegistration.CreateContext(database.Settings);
        var stored = await read.CloudResources.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        foreach (var (expected, actual) in new[] { full, sparse }.Zip(stored))
            foreach (var property in typeof(Resources.CloudResource).GetProperties())
                Assert.Equal((property.Name, property.GetValue(expected)), (property.Name, property.GetValue(actual)));
        var storedPeriod = await read.ResourcePeriods.AsNoTracking().SingleAsync();
        Assert.True(storedPeriod.Id > 0); // the identity key is the database's
        Assert.Equal((period.Start, period.End, period.PaidAmount, period.SettlementAmount, period.PaidAt), (storedPeriod.Start, storedPeriod.End, storedPeriod.PaidAmount, storedPeriod.SettlementAmount, storedPeriod.PaidAt));
    }
}
