using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.Usage;

/// <summary>One usage record as a cloud service's metering reports it.</summary>
public sealed record UsageRecordInput(string? RecordId, string? ResourceId, string? UsageFactor, decimal? UsageValue, int? UsageMeasureId,
    DateTime? BeginTime, DateTime? EndTime);

public static class UsageRecordStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Refused = "refused";
}

/// <summary>What became of one record of a batch: accepted, a duplicate of one already received, or refused with its error.</summary>
public sealed record UsageRecordResult(string? RecordId, string Status, Error? Error);

public sealed record IngestionResult(int Accepted, int Duplicates, int Refused, IReadOnlyList<UsageRecordResult> Results);

/// <summary>
/// Receives usage from the cloud services' metering in batches of up to <see cref="MaxBatch"/> records. Each record is
/// checked on its own (an unknown or not pay-per-use resource, a factor the spec is not charged by, a unit that does not
/// convert, a negative value, an end not after its begin, a span over an hour or an end in the future by the business
/// clock refuse that record only); the good ones are written with one multi-row insert that skips record ids already
/// received, so a resent batch is answered with duplicates and counted once.
/// </summary>
public sealed class UsageIngestion(AppDbContext db, RatingEngine rating, TimeProvider clock)
{
    public const int MaxBatch = 1000;
    public const int MaxRecordIdLength = 64;
    const decimal MaxUsageValue = 1_000_000_000_000m;

    /// <summary>Only the platform operator (standing for the cloud services' metering) may report usage.</summary>
    public async Task<IngestionResult> IngestAsync(Caller caller, IReadOnlyList<UsageRecordInput>? records, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("report usage"));
        if (records is not { Count: > 0 and <= MaxBatch }) throw Check.Invalid($"records holds 1 to {MaxBatch} usage records.");
        return await IngestBatchAsync(records, ct);
    }

    /// <summary>The batch itself, for callers that are the platform (the demo's generator, the benchmark).</summary>
    public async Task<IngestionResult> IngestBatchAsync(IReadOnlyList<UsageRecordInput> records, CancellationToken ct = default)
    {
        if (records.Count is 0 or > MaxBatch) throw Check.Invalid($"records holds 1 to {MaxBatch} usage records.");
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await RatingPeriods.ShareWithIngestionAsync(db, ct);
        var ratingPeriod = await RatingPeriods.ForRecordsReceivedAsync(db, now, ct);
        var ids = records.Select(r => r.ResourceId).OfType<string>().Distinct().ToList();
        var resources = await db.CloudResources.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.CustomerAccountId, r.ChargeMode, r.Status, r.SpecId }).ToDictionaryAsync(r => r.Id, ct);
        var conversions = await db.MeasureConversions.AsNoTracking().ToListAsync(ct);
        var factorsBySpec = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        var converts = new Dictionary<(int, int), bool>();

        var results = new UsageRecordResult[records.Count];
        var rows = new List<(int Index, UsageRecord Row)>(records.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            Error? Refuse(Error e) { results[i] = new UsageRecordResult(r.RecordId, UsageRecordStatus.Refused, e); return e; }
            if (string.IsNullOrEmpty(r.RecordId) || r.RecordId.Length > MaxRecordIdLength) { Refuse(Errors.InvalidParameter($"record_id is 1 to {MaxRecordIdLength} characters.")); continue; }
            if (!seen.Add(r.RecordId)) { results[i] = new UsageRecordResult(r.RecordId, UsageRecordStatus.Duplicate, null); continue; }
            if (string.IsNullOrEmpty(r.UsageFactor) || r.UsageFactor.Length > 32) { Refuse(Errors.InvalidParameter("usage_factor is 1 to 32 characters.")); continue; }
            if (r.UsageValue is not { } value || value < 0 || value > MaxUsageValue || !Money.HasAtMostEightDecimals(value))
            { Refuse(Errors.InvalidParameter($"usage_value is 0 to {MaxUsageValue} with at most 8 decimal places.")); continue; }
            if (r.UsageMeasureId is not { } measure) { Refuse(Errors.InvalidParameter("usage_measure_id is required.")); continue; }
            if (r.BeginTime is not { } begin || r.EndTime is not { } end) { Refuse(Errors.InvalidParameter("begin_time and end_time are required, as UTC times yyyy-MM-ddTHH:mm:ssZ.")); continue; }
            if (end <= begin) { Refuse(Errors.InvalidParameter("end_time must be after begin_time.")); continue; }
            if (end - begin > TimeSpan.FromHours(1)) { Refuse(Errors.InvalidParameter("A usage record spans at most one hour.")); continue; }
            if (end > now) { Refuse(Errors.InvalidParameter("end_time is in the future.")); continue; }
            if (string.IsNullOrEmpty(r.ResourceId) || !resources.TryGetValue(r.ResourceId, out var resource)) { Refuse(Errors.ResourceNotFound()); continue; }
            if (resource.ChargeMode != ChargeMode.OnDemand) { Refuse(Errors.InvalidParameter("The resource is not pay-per-use.")); continue; }
            if (resource.Status == ResourceStatus.Closed) { Refuse(Errors.ResourceNotFound()); continue; }
            if (!factorsBySpec.TryGetValue(resource.SpecId, out var factors))
                factorsBySpec[resource.SpecId] = factors = await rating.UsageFactorsAsync(resource.SpecId, ct);
            if (!factors.TryGetValue(r.UsageFactor, out var pricedIn)) { Refuse(Errors.ProductNotFound($"the resource's spec is not charged by {r.UsageFactor}.")); continue; }
            if (!converts.TryGetValue((measure, pricedIn), out var convertible))
                converts[(measure, pricedIn)] = convertible = RatingEngine.ConversionFactor(conversions, measure, pricedIn) is not null;
            if (!convertible)
            { Refuse(Errors.WrongUsageUnit($"usage_measure_id {measure} does not convert to measure {pricedIn}.")); continue; }
            var hour = new DateTime(begin.Year, begin.Month, begin.Day, begin.Hour, 0, 0, DateTimeKind.Utc);
            rows.Add((i, new UsageRecord
            {
                RecordId = r.RecordId, ResourceId = r.ResourceId, CustomerAccountId = resource.CustomerAccountId, UsageFactor = r.UsageFactor,
                UsageValue = value, UsageMeasureId = measure, BeginTime = begin, EndTime = end, Hour = hour, RatingPeriod = ratingPeriod, ReceivedAt = now,
            }));
        }

        var inserted = rows.Count == 0 ? [] : await InsertAsync(rows.Select(r => r.Row).ToList(), ct);
        if (tx is not null) await tx.CommitAsync(ct);
        foreach (var (index, row) in rows)
            results[index] = new UsageRecordResult(row.RecordId, inserted.Contains(row.RecordId) ? UsageRecordStatus.Accepted : UsageRecordStatus.Duplicate, null);
        return new IngestionResult(results.Count(r => r.Status == UsageRecordStatus.Accepted), results.Count(r => r.Status == UsageRecordStatus.Duplicate),
            results.Count(r => r.Status == UsageRecordStatus.Refused), results);
    }

    const string Columns = "\"RecordId\", \"ResourceId\", \"CustomerAccountId\", \"UsageFactor\", \"UsageValue\", \"UsageMeasureId\", \"BeginTime\", \"EndTime\", \"Hour\", \"RatingPeriod\", \"ReceivedAt\"";

    /// <summary>
    /// PostgreSQL: one statement for the whole batch, the columns as 11 arrays (unnest). SQLite: multi-row VALUES of up
    /// to <see cref="SqliteRowsPerStatement"/> rows, in the ingestion's transaction (SQLite looks parameters up by name linearly, so
    /// one statement with 11,000 of them would cost more than it saves). Both skip record ids already stored and return
    /// the ids they inserted.
    /// </summary>
    async Task<HashSet<string>> InsertAsync(IReadOnlyList<UsageRecord> rows, CancellationToken ct)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("A batch is inserted in the ingestion's transaction.");
        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection)
        {
            await using var command = (NpgsqlCommand)connection.CreateCommand();
            command.Transaction = (NpgsqlTransaction)transaction;
            BuildPostgres(command, rows);
            await ReadIdsAsync(command, inserted, ct);
            return inserted;
        }
        for (var i = 0; i < rows.Count; i += SqliteRowsPerStatement)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            BuildMultiRow(command, rows.Skip(i).Take(SqliteRowsPerStatement).ToList());
            await ReadIdsAsync(command, inserted, ct);
        }
        return inserted;
    }

    const int SqliteRowsPerStatement = 50;

    static async Task ReadIdsAsync(DbCommand command, HashSet<string> ids, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
    }

    static long Precise(decimal v) => (long)(v * Money.PreciseUnitsPerUnit);

    static void BuildPostgres(NpgsqlCommand command, IReadOnlyList<UsageRecord> rows)
    {
        command.CommandText = $"""
            INSERT INTO usage_records ({Columns})
            SELECT * FROM unnest(@a, @b, @c, @d, @e, @f, @g, @h, @i, @j, @k)
            ON CONFLICT ("RecordId") DO NOTHING RETURNING "RecordId"
            """;
        command.Parameters.Add(new NpgsqlParameter<string[]>("a", rows.Select(r => r.RecordId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("b", rows.Select(r => r.ResourceId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("c", rows.Select(r => r.CustomerAccountId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("d", rows.Select(r => r.UsageFactor).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("e", rows.Select(r => Precise(r.UsageValue)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("f", rows.Select(r => r.UsageMeasureId).ToArray()));
        foreach (var (name, pick) in new (string, Func<UsageRecord, DateTime>)[]
                 { ("g", r => r.BeginTime), ("h", r => r.EndTime), ("i", r => r.Hour), ("j", r => r.RatingPeriod), ("k", r => r.ReceivedAt) })
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>(name, rows.Select(pick).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
    }

    static void BuildMultiRow(DbCommand command, IReadOnlyList<UsageRecord> rows)
    {
        var sql = new StringBuilder($"INSERT INTO usage_records ({Columns}) VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (i > 0) sql.Append(',');
            sql.Append('(');
            object[] values = [r.RecordId, r.ResourceId, r.CustomerAccountId, r.UsageFactor, Precise(r.UsageValue), r.UsageMeasureId, r.BeginTime, r.EndTime, r.Hour, r.RatingPeriod, r.ReceivedAt];
            for (var k = 0; k < values.Length; k++)
            {
                var p = command.CreateParameter();
                p.ParameterName = $"@p{i}_{k}";
                p.Value = values[k] is DateTime t ? t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) : values[k];
                command.Parameters.Add(p);
                sql.Append(k == 0 ? "" : ",").Append(p.ParameterName);
            }
            sql.Append(')');
        }
        sql.Append(" ON CONFLICT (\"RecordId\") DO NOTHING RETURNING \"RecordId\"");
        command.CommandText = sql.ToString();
    }
}
