using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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

public class FeeStorageMigrationTests
{
    [Fact]
    public async Task Fee_rows_move_into_one_row_per_customer_hour_and_back_with_every_amount_kept()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = DatabaseRegistration.CreateContext(database.Settings);
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var feeHours = migrations.Single(m => m.EndsWith("_UsageFeeHours", StringComparison.Ordinal));
        var before = migrations[migrations.IndexOf(feeHours) - 1];
        await migrator.MigrateAsync(before);
        db.ResourceSpecs.Add(new Catalog.ResourceSpec { Id = "spec-1", ServiceTypeCode = "svc", ResourceTypeCode = "type", SpecCode = "code", Region = "r1" });
        await db.SaveChangesAsync();
        var hour = new DateTime(2026, 11, 3, 4, 0, 0, DateTimeKind.Utc);
        // (customer, resource, hour offset, usage, official, amount, settlement, free), in 10⁻⁸ units: two fees share a customer-hour.
        (string Customer, string Resource, int Hour, long Usage, long Official, long Amount, long Settlement, long Free)[] rows =
        [
            ("c1", "r1", 0, 100000000, 1439931, 1295938, 1151945, 0), ("c1", "r2", 0, 250000000, 3599828, 3599828, 2879862, 50000000),
            ("c1", "r1", 1, 100000000, 1439931, 1295938, 1151945, 0), ("c2", "r3", 0, 1, 1, 1, 1, 0),
        ];
        foreach (var r in rows)
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO usage_fees ("CustomerAccountId", "ResourceId", "SpecId", "ServiceTypeCode", "ResourceTypeCode", "Region", "UsageFactor", "Hour",
                                        "RatingPeriod", "UsageValue", "UsageMeasureId", "FreeResourceUsed", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt")
                VALUES ({0}, {1}, 'spec-1', 'svc', 'type', 'r1', 'Duration', {2}, {3}, {4}, 4, {5}, {6}, {7}, {8}, {3})
                """, r.Customer, r.Resource, hour.AddHours(r.Hour), hour.AddHours(r.Hour + 1), r.Usage, r.Free, r.Official, r.Amount, r.Settlement);

        await migrator.MigrateAsync(feeHours);
        Assert.Equal(3, await db.UsageFeeHours.CountAsync());
        var fees = await Usage.UsageFees.ListAsync(db, db.UsageFeeHours.OrderBy(h => h.CustomerAccountId).ThenBy(h => h.Hour));
        static decimal D(long units) => units / Common.Money.PreciseUnitsPerUnit;
        Assert.Equal(rows.Select(r => new Usage.UsageFee(r.Customer, hour.AddHours(r.Hour), hour.AddHours(r.Hour + 1), r.Resource, "spec-1", "svc", "type", "r1", "Duration",
                D(r.Usage), 4, D(r.Free), D(r.Official), D(r.Amount), D(r.Settlement))).OrderBy(f => f.CustomerAccountId).ThenBy(f => f.Hour).ThenBy(f => f.ResourceId),
            fees.Select(f => f with { Hour = DateTime.SpecifyKind(f.Hour, DateTimeKind.Utc), RatingPeriod = DateTime.SpecifyKind(f.RatingPeriod, DateTimeKind.Utc) })
                .OrderBy(f => f.CustomerAccountId).ThenBy(f => f.Hour).ThenBy(f => f.ResourceId));
        var shared = await db.UsageFeeHours.SingleAsync(h => h.CustomerAccountId == "c1" && h.Fees == 2);
        Assert.Equal((D(1439931 + 3599828), D(1295938 + 3599828), D(1151945 + 2879862)), (shared.OfficialAmount, shared.Amount, shared.SettlementAmount));

        await migrator.MigrateAsync(before);
        Assert.Equal((rows.Length, rows.Sum(r => r.Official), rows.Sum(r => r.Settlement), rows.Sum(r => r.Free)),
            (await db.Database.SqlQueryRaw<long>("""SELECT count(*) AS "Value" FROM usage_fees""").SingleAsync(),
             await db.Database.SqlQueryRaw<long>("""SELECT sum("OfficialAmount") AS "Value" FROM usage_fees""").SingleAsync(),
             await db.Database.SqlQueryRaw<long>("""SELECT sum("SettlementAmount") AS "Value" FROM usage_fees""").SingleAsync(),
             await db.Database.SqlQueryRaw<long>("""SELECT sum("FreeResourceUsed") AS "Value" FROM usage_fees""").SingleAsync()));
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

public partial class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void The_committed_compiled_model_is_what_OnModelCreating_builds_now(DatabaseProvider provider)
    {
        var committed = Path.Combine(RepositoryRoot(), MigrationTool.CompiledModels.Folder(provider));
        var fresh = Directory.CreateTempSubdirectory("compiled-model-").FullName;
        try
        {
            MigrationTool.CompiledModels.Scaffold(provider, fresh);
            var (expected, actual) = (Files(fresh), Files(committed));
            var stale = expected.Keys.Union(actual.Keys)
                .Where(f => !expected.TryGetValue(f, out var e) || !actual.TryGetValue(f, out var a) || e != a).Order().ToList();
            Assert.True(stale.Count == 0,
                $"The {provider} compiled model no longer matches OnModelCreating ({string.Join(", ", stale)}). Run: {MigrationTool.CompiledModels.Command}");
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    [Fact]
    public void Each_provider_runs_on_its_compiled_model_not_on_a_convention_run()
    {
        foreach (var provider in MigrationTool.CompiledModels.Providers)
        {
            using var db = DatabaseRegistration.CreateContext(MigrationTool.CompiledModels.Settings(provider));
            Assert.Equal($"{MigrationTool.CompiledModels.Namespace(provider)}.{provider}AppDbContextModel", db.Model.GetType().FullName);
        }
    }

    // Each generation draws a new model id (a Guid): the one part of the text that is not the model.
    static Dictionary<string, string> Files(string dir) => Directory.Exists(dir)
        ? Directory.GetFiles(dir, "*.cs").ToDictionary(f => Path.GetFileName(f),
            f => ModelId().Replace(File.ReadAllText(f).ReplaceLineEndings("\n"), "modelId: new Guid()"), StringComparer.Ordinal)
        : [];

    [System.Text.RegularExpressions.GeneratedRegex("""modelId: new Guid\("[0-9a-f-]{36}"\)""")]
    private static partial System.Text.RegularExpressions.Regex ModelId();

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PartnerCenter.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("The tests run from inside the repository's build output.");
    }
}
