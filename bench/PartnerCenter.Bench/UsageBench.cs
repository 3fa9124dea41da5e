using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode usage: (b) usage records ingested per second through Core's <see cref="UsageIngestion"/> (batches of 1000, the
/// HTTP endpoint's unit of work, without HTTP) against the database's own bulk load of the same rows (PostgreSQL binary
/// COPY; SQLite a prepared 100-row INSERT in a loop, one transaction per 1000 rows); (c) the hourly rating of a stretch of
/// hourly usage (resources × hours records) through <see cref="UsageCharging"/> against one SQL GROUP BY over the same rows,
/// with peak RSS.
/// </summary>
public static class UsageBench
{
    public sealed record Options(IReadOnlyList<DatabaseProvider> Databases, string? PgAdmin, int Resources, int Hours, int Records, int Customers, int Workers);

    public static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"Usage benchmark: ingestion of {o.Records} records ({o.Workers} concurrent batches of {UsageIngestion.MaxBatch}); " +
                          $"rating of {o.Resources} resources × {o.Hours} hours = {(long)o.Resources * o.Hours} records across {o.Customers} resale customers");
        var environment = new List<string> { BenchEnvironment.Machine() };
        foreach (var provider in o.Databases)
        {
            Console.WriteLine();
            Console.WriteLine($"== {provider} ==");
            await using var world = await BenchWorld.CreateAsync(provider, o.PgAdmin, o.Customers);
            var dbInfo = await BenchEnvironment.DatabaseAsync(world);
            environment.Add(dbInfo);
            await world.InScopeAsync(sp => sp.GetRequiredService<FundsService>().SetConsumptionQuotaAsync(world.Operator, world.Partner.AccountId, FundsService.MaxCreditLimit));
            var resources = await CreateResourcesAsync(world, o.Resources);
            Console.WriteLine($"{dbInfo}; {resources.Count} pay-per-use VMs");

            // (b) ingestion. Records end before now; business time stands still during the run.
            var now = world.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var top = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
            UsageRecordInput Record(string prefix, long i)
            {
                var hour = top.AddHours(-1 - i / resources.Count % 24);
                return new UsageRecordInput($"{prefix}-{i}", resources[(int)(i % resources.Count)], "Duration", 1m, 4, hour, hour.AddHours(1));
            }
            // JIT (tiered compilation needs some 30 calls) and pools, unmeasured, for both.
            await IngestCoreAsync(world, o, "warm", 40_000, Record);
            await RawLoadAsync(world, "rawwarm", 40_000, Record);
            var raw1 = await RawLoadAsync(world, "raw1", o.Records, Record);
            var core = await IngestCoreAsync(world, o, "core", o.Records, Record);
            var raw2 = await RawLoadAsync(world, "raw2", o.Records, Record);
            var raw = Math.Min(raw1, raw2);
            Console.WriteLine($"(b) ingestion: Core {o.Records / core:N0} records/s, raw {(provider == DatabaseProvider.Postgres ? "COPY" : "prepared insert")} " +
                              $"{o.Records / raw1:N0} / {o.Records / raw2:N0} records/s (before/after) → ratio {raw / core:0.00} of raw");
            Console.WriteLine($"    a resent batch: {await ResendAsync(world, Record):N0} duplicates/s");

            // (c) rating: hourly usage of every resource for o.Hours hours, loaded raw (not measured), then rated period by period.
            await using (var db = DatabaseRegistration.CreateContext(world.Settings)) await db.UsageRecords.ExecuteDeleteAsync();
            var start = top.AddHours(-o.Hours);
            var load = Stopwatch.StartNew();
            await RawLoadAsync(world, "month", (long)resources.Count * o.Hours, (prefix, i) =>
            {
                var hour = start.AddHours(i / resources.Count);
                return new UsageRecordInput($"{prefix}-{i}", resources[(int)(i % resources.Count)], "Duration", 1m, 4, hour, hour.AddHours(1));
            }, ratingPeriodOf: r => r.BeginTime!.Value.AddHours(1));
            Console.WriteLine($"    loaded {(long)resources.Count * o.Hours:N0} records in {load.Elapsed.TotalSeconds:0.0} s");
            var aggregate = await AggregateAsync(world);
            var rawHourly = provider == DatabaseProvider.Postgres
                ? (ResourceHour: await RawHourlyFeesAsync(world, start, o.Hours, perCustomerHour: false), CustomerHour: await RawHourlyFeesAsync(world, start, o.Hours, perCustomerHour: true))
                : ((double ResourceHour, double CustomerHour)?)null;
            var rateTime = Stopwatch.StartNew();
            long fees = 0;
            var (rating, charging) = (TimeSpan.Zero, TimeSpan.Zero);
            for (var h = 1; h <= o.Hours; h++)
            {
                var run = await world.InScopeAsync(sp => sp.GetRequiredService<UsageCharging>().RunPeriodAsync(start.AddHours(h)));
                (fees, rating, charging) = (fees + run.Fees, rating + run.Rating, charging + run.Charging);
            }
            rateTime.Stop();
            var aggregateAfter = await AggregateAsync(world);
            var sql = Math.Min(aggregate.Seconds, aggregateAfter.Seconds);
            Console.WriteLine($"(c) rating {o.Hours} hourly runs: {fees:N0} fee records in {rateTime.Elapsed.TotalSeconds:0.0} s " +
                              $"({fees / rateTime.Elapsed.TotalSeconds:N0} fees/s); one SQL GROUP BY over the same rows {aggregate.Seconds:0.00} / {aggregateAfter.Seconds:0.00} s " +
                              $"({aggregate.Groups:N0} groups) → {rateTime.Elapsed.TotalSeconds / sql:0.0}× the aggregate; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MiB");
            Console.WriteLine($"    of which rating into fees {rating.TotalSeconds:0.0} s ({rating.TotalSeconds / sql:0.0}× the aggregate) and charging " +
                              $"{o.Hours * world.Customers.Count:N0} customer-hours (budget spend + ledger entry each) {charging.TotalSeconds:0.0} s");
            if (rawHourly is (var perResource, var perCustomer))
                Console.WriteLine($"    the raw database writing the same fees hour by hour (per hour: GROUP BY joined to the resources, priced by constants, INSERT, commit): " +
                                  $"one indexed row per resource-hour {perResource:0.0} s ({perResource / sql:0.0}× the aggregate), one row per customer-hour (fees as arrays) " +
                                  $"{perCustomer:0.0} s ({perCustomer / sql:0.0}×) → rating into fees is {rating.TotalSeconds / perCustomer:0.00}× the customer-hour write");
            await using (var db = DatabaseRegistration.CreateContext(world.Settings))
            {
                var broken = await LedgerInvariants.CheckAsync(db);
                var expected = (long)resources.Count * o.Hours;
                if (fees != expected || broken.Count > 0)
                {
                    Console.WriteLine($"CHECK FAILED: {fees} fees for {expected} resource-hours; ledger: {string.Join("; ", broken)}");
                    return 1;
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine("Environment");
        foreach (var line in environment) Console.WriteLine("  " + line);
        return 0;
    }

    /// <summary>Pay-per-use VMs spread evenly over the resale customers, ordered by their partner.</summary>
    static async Task<List<string>> CreateResourcesAsync(BenchWorld world, int count)
    {
        var perCustomer = (count + world.Customers.Count - 1) / world.Customers.Count;
        var made = 0;
        foreach (var customer in world.Customers)
        {
            var n = Math.Min(perCustomer, count - made);
            if (n <= 0) break;
            var lines = new List<NewOrderLine>();
            for (var left = n; left > 0; left -= 500)
                lines.Add(new NewOrderLine("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, null, null, Math.Min(500, left), ChargeMode.OnDemand));
            for (var i = 0; i < lines.Count; i += OrderService.MaxLines)
                await world.InScopeAsync(sp => sp.GetRequiredService<OnDemandService>().CreateOrderAsync(world.Partner, new NewOrder(customer, lines.Skip(i).Take(OrderService.MaxLines).ToList(), Ids.New())));
            made += n;
        }
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        return await db.CloudResources.Where(r => r.ChargeMode == ChargeMode.OnDemand).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
    }

    /// <summary>Seconds to ingest <paramref name="count"/> records through Core in batches of 1000, <see cref="Options.Workers"/> at a time.</summary>
    static async Task<double> IngestCoreAsync(BenchWorld world, Options o, string prefix, long count, Func<string, long, UsageRecordInput> record)
    {
        var batches = (int)((count + UsageIngestion.MaxBatch - 1) / UsageIngestion.MaxBatch);
        var inputs = Enumerable.Range(0, batches).Select(b => Enumerable.Range(0, (int)Math.Min(UsageIngestion.MaxBatch, count - (long)b * UsageIngestion.MaxBatch))
            .Select(k => record(prefix, (long)b * UsageIngestion.MaxBatch + k)).ToList()).ToList();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = o.Workers }, async (batch, ct) =>
        {
            var result = await world.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(world.Operator, batch, ct));
            if (result.Accepted != batch.Count) throw new InvalidOperationException($"{batch.Count - result.Accepted} records not accepted: {result.Results.First(r => r.Status != UsageRecordStatus.Accepted)}");
        });
        return watch.Elapsed.TotalSeconds;
    }

    static async Task<double> ResendAsync(BenchWorld world, Func<string, long, UsageRecordInput> record)
    {
        var batch = Enumerable.Range(0, UsageIngestion.MaxBatch).Select(i => record("core", i)).ToList();
        var watch = Stopwatch.StartNew();
        var result = await world.InScopeAsync(sp => sp.GetRequiredService<UsageIngestion>().IngestAsync(world.Operator, batch));
        if (result.Duplicates != batch.Count) throw new InvalidOperationException("a resent batch was not answered as duplicates");
        return batch.Count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds for the database's own bulk load of the same rows (customer looked up once, outside the timing).</summary>
    static async Task<double> RawLoadAsync(BenchWorld world, string prefix, long count, Func<string, long, UsageRecordInput> record, Func<UsageRecordInput, DateTime>? ratingPeriodOf = null)
    {
        Dictionary<string, string> owners;
        await using (var db = DatabaseRegistration.CreateContext(world.Settings))
            owners = await db.CloudResources.Where(r => r.ChargeMode == ChargeMode.OnDemand).ToDictionaryAsync(r => r.Id, r => r.CustomerAccountId);
        var received = world.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var defaultPeriod = Schedules.HourlyAfter(received);
        var watch = Stopwatch.StartNew();
        if (world.Settings.Provider == DatabaseProvider.Postgres)
        {
            await using var conn = new NpgsqlConnection(world.Settings.ConnectionString);
            await conn.OpenAsync();
            await using var writer = await conn.BeginBinaryImportAsync("""COPY usage_records ("RecordId", "ResourceId", "CustomerAccountId", "UsageFactor", "UsageValue", "UsageMeasureId", "BeginTime", "EndTime", "Hour", "RatingPeriod", "ReceivedAt") FROM STDIN (FORMAT BINARY)""");
            for (long i = 0; i < count; i++)
            {
                var r = record(prefix, i);
                await writer.StartRowAsync();
                await writer.WriteAsync(r.RecordId, NpgsqlDbType.Text);
                await writer.WriteAsync(r.ResourceId, NpgsqlDbType.Text);
                await writer.WriteAsync(owners[r.ResourceId!], NpgsqlDbType.Text);
                await writer.WriteAsync(r.UsageFactor, NpgsqlDbType.Text);
                await writer.WriteAsync((long)(r.UsageValue!.Value * Money.PreciseUnitsPerUnit), NpgsqlDbType.Bigint);
                await writer.WriteAsync(r.UsageMeasureId!.Value, NpgsqlDbType.Integer);
                await writer.WriteAsync(r.BeginTime!.Value, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.EndTime!.Value, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.BeginTime!.Value, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(ratingPeriodOf?.Invoke(r) ?? defaultPeriod, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(received, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
            return watch.Elapsed.TotalSeconds;
        }

        await using var sqlite = new SqliteConnection(world.Settings.ConnectionString);
        await sqlite.OpenAsync();
        const int rowsPerStatement = 100;
        static string Text(DateTime t) => t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
        SqliteCommand Prepared(int rows)
        {
            var command = sqlite.CreateCommand();
            command.CommandText = "INSERT INTO usage_records (\"RecordId\", \"ResourceId\", \"CustomerAccountId\", \"UsageFactor\", \"UsageValue\", \"UsageMeasureId\", \"BeginTime\", \"EndTime\", \"Hour\", \"RatingPeriod\", \"ReceivedAt\") VALUES "
                                  + string.Join(",", Enumerable.Range(0, rows).Select(k => "(" + string.Join(",", Enumerable.Range(0, 11).Select(c => $"@p{k}_{c}")) + ")"));
            for (var k = 0; k < rows; k++)
                for (var c = 0; c < 11; c++) command.Parameters.Add(new SqliteParameter($"@p{k}_{c}", null));
            command.Prepare();
            return command;
        }
        var full = Prepared(rowsPerStatement);
        SqliteTransaction? tx = null;
        for (long i = 0; i < count; i += rowsPerStatement)
        {
            if (i % 1000 == 0) { if (tx is not null) await tx.CommitAsync(); tx = (SqliteTransaction)await sqlite.BeginTransactionAsync(); }
            var n = (int)Math.Min(rowsPerStatement, count - i);
            var insert = n == rowsPerStatement ? full : Prepared(n);
            insert.Transaction = tx;
            for (var k = 0; k < n; k++)
            {
                var r = record(prefix, i + k);
                object[] values = [r.RecordId!, r.ResourceId!, owners[r.ResourceId!], r.UsageFactor!, (long)(r.UsageValue!.Value * Money.PreciseUnitsPerUnit),
                    r.UsageMeasureId!.Value, Text(r.BeginTime!.Value), Text(r.EndTime!.Value), Text(r.BeginTime!.Value), Text(ratingPeriodOf?.Invoke(r) ?? defaultPeriod), Text(received)];
                for (var c = 0; c < 11; c++) insert.Parameters[k * 11 + c].Value = values[c];
            }
            await insert.ExecuteNonQueryAsync();
        }
        if (tx is not null) await tx.CommitAsync();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The least the database does to rate hour by hour (PostgreSQL): per period, one INSERT … SELECT of the hour's
    /// usage summed per resource, factor and hour, joined to the resources and priced by constants, in its own
    /// transaction — into a fee table of one indexed row per resource-hour (the storage before customer-hour rows), or
    /// into a copy of <c>usage_fee_hours</c> (one row per customer-hour, the fees as arrays). Seconds for every period.
    /// </summary>
    static async Task<double> RawHourlyFeesAsync(BenchWorld world, DateTime start, int hours, bool perCustomerHour)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        await db.Database.OpenConnectionAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        const string ResourceHourTable = """
            CREATE TABLE bench_raw_fees ("Id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "CustomerAccountId" varchar(64) NOT NULL,
                "ResourceId" varchar(64) NOT NULL, "SpecId" varchar(64) NOT NULL, "ServiceTypeCode" varchar(64) NOT NULL, "ResourceTypeCode" varchar(64) NOT NULL,
                "Region" varchar(64) NOT NULL, "UsageFactor" varchar(32) NOT NULL, "Hour" timestamptz NOT NULL, "RatingPeriod" timestamptz NOT NULL,
                "UsageValue" bigint NOT NULL, "UsageMeasureId" integer NOT NULL, "FreeResourceUsed" bigint NOT NULL, "OfficialAmount" bigint NOT NULL,
                "Amount" bigint NOT NULL, "SettlementAmount" bigint NOT NULL, "CreatedAt" timestamptz NOT NULL);
            CREATE INDEX ON bench_raw_fees ("CustomerAccountId", "Hour");
            """;
        const string Sums = """
            SELECT u."CustomerAccountId" AS customer, u."ResourceId" AS resource, c."SpecId" AS spec, c."ServiceTypeCode" AS service, c."ResourceTypeCode" AS type,
                   c."Region" AS region, u."UsageFactor" AS factor, u."Hour" AS hour, sum(u."UsageValue") AS usage, min(u."UsageMeasureId") AS measure,
                   round(sum(u."UsageValue") * 0.01439931) AS official, round(sum(u."UsageValue") * 0.01439931 * 0.8) AS settlement
            FROM usage_records u JOIN cloud_resources c ON c."Id" = u."ResourceId"
            WHERE u."RatingPeriod" = @period
            GROUP BY u."CustomerAccountId", u."ResourceId", c."SpecId", c."ServiceTypeCode", c."ResourceTypeCode", c."Region", u."UsageFactor", u."Hour"
            """;
        var insert = perCustomerHour
            ? $"""
               INSERT INTO bench_raw_fees ("CustomerAccountId", "Hour", "RatingPeriod", "Fees", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt",
                                           "ResourceIds", "SpecIds", "UsageFactors", "UsageValues", "UsageMeasureIds", "FreeResourceUsed",
                                           "OfficialAmounts", "Amounts", "SettlementAmounts")
               SELECT customer, hour, @period, count(*), sum(official), sum(official), sum(settlement), @period,
                      array_agg(resource), array_agg(spec), array_agg(factor), array_agg(usage::bigint), array_agg(measure), array_agg(0::bigint),
                      array_agg(official::bigint), array_agg(official::bigint), array_agg(settlement::bigint)
               FROM ({Sums}) s GROUP BY customer, hour
               """
            : $"""
               INSERT INTO bench_raw_fees ("CustomerAccountId", "ResourceId", "SpecId", "ServiceTypeCode", "ResourceTypeCode", "Region", "UsageFactor", "Hour",
                                           "RatingPeriod", "UsageValue", "UsageMeasureId", "FreeResourceUsed", "OfficialAmount", "Amount", "SettlementAmount", "CreatedAt")
               SELECT customer, resource, spec, service, type, region, factor, hour, @period, usage, measure, 0, official, official, settlement, @period
               FROM ({Sums}) s
               """;
        var table = perCustomerHour ? "CREATE TABLE bench_raw_fees (LIKE usage_fee_hours INCLUDING ALL)" : ResourceHourTable;
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS bench_raw_fees; {table}", connection))
            await create.ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        for (var h = 1; h <= hours; h++)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(insert, connection, tx);
            command.Parameters.AddWithValue("period", NpgsqlDbType.TimestampTz, start.AddHours(h));
            await command.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await using (var drop = new NpgsqlCommand("DROP TABLE bench_raw_fees", connection)) await drop.ExecuteNonQueryAsync();
        return seconds;
    }

    /// <summary>One SQL GROUP BY per resource, factor and hour over every usage row, all groups read back.</summary>
    static async Task<(double Seconds, long Groups)> AggregateAsync(BenchWorld world)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """SELECT "CustomerAccountId", "ResourceId", "UsageFactor", "Hour", SUM("UsageValue") FROM usage_records GROUP BY "CustomerAccountId", "ResourceId", "UsageFactor", "Hour" """;
        cmd.CommandTimeout = 0;
        var watch = Stopwatch.StartNew();
        long groups = 0;
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) groups++;
        return (watch.Elapsed.TotalSeconds, groups);
    }
}
