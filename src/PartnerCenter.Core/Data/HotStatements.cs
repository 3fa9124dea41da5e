using System.Data.Common;
using System.Globalization;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PartnerCenter.Core.Data;

/// <summary>What a hot statement did: rows changed, and the first row it returned (RETURNING), as integers.</summary>
public readonly record struct HotResult(int Changes, long[]? Row);

/// <summary>
/// Runs the few statements on a money hot path (every spend, every payment) on the caller's open connection and
/// transaction, prepared once per physical connection. PostgreSQL gets that from Npgsql's automatic preparation.
/// Microsoft.Data.Sqlite has no statement cache (dotnet/efcore#14044) and throws a connection's prepared statements
/// away on every close, so preparing dominated a spend; on SQLite the statements are therefore kept prepared on the
/// native connection, which the driver's pool keeps open across opens and closes. Parameters are integers, strings,
/// booleans, UTC DateTimes and DBNull only, bound exactly as Microsoft.Data.Sqlite binds them.
/// </summary>
public static class HotStatements
{
    public static async Task<HotResult> RunAsync(DbConnection connection, DbTransaction transaction, string sql,
        (string Name, object Value)[] parameters, CancellationToken ct)
    {
        if (connection is SqliteConnection { Handle: { } handle }) return SqliteCache.Run(handle, sql, parameters);

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        long[]? row = null;
        if (await reader.ReadAsync(ct))
        {
            row = new long[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.GetInt64(i);
        }
        while (await reader.ReadAsync(ct)) { }
        await reader.CloseAsync();
        return new HotResult(reader.RecordsAffected, row);
    }

    static class SqliteCache
    {
        // Keyed by the native connection: the statements live and die with it (finalized when it is collected;
        // sqlite3_close_v2 defers the close until then).
        static readonly ConditionalWeakTable<sqlite3, Dictionary<string, sqlite3_stmt>> Prepared = new();

        public static HotResult Run(sqlite3 db, string sql, (string Name, object Value)[] parameters)
        {
            var statements = Prepared.GetOrCreateValue(db);
            if (!statements.TryGetValue(sql, out var stmt))
            {
                Check(db, raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out stmt));
                statements[sql] = stmt;
            }
            try
            {
                foreach (var (name, value) in parameters)
                {
                    var index = raw.sqlite3_bind_parameter_index(stmt, "@" + name);
                    if (index == 0) throw new ArgumentException($"The statement has no parameter @{name}.");
                    Check(db, value switch
                    {
                        long l => raw.sqlite3_bind_int64(stmt, index, l),
                        bool b => raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
                        int i => raw.sqlite3_bind_int64(stmt, index, i),
                        string s => raw.sqlite3_bind_text(stmt, index, s),
                        DBNull => raw.sqlite3_bind_null(stmt, index),
                        DateTime t => raw.sqlite3_bind_text(stmt, index, t.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
                        _ => throw new ArgumentException($"@{name}: unsupported type {value.GetType().Name}."),
                    });
                }
                long[]? row = null;
                int rc;
                while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
                {
                    if (row is not null) continue;
                    row = new long[raw.sqlite3_column_count(stmt)];
                    for (var i = 0; i < row.Length; i++) row[i] = raw.sqlite3_column_int64(stmt, i);
                }
                if (rc != raw.SQLITE_DONE) Check(db, rc);
                return new HotResult(raw.sqlite3_changes(db), row);
            }
            finally
            {
                // A statement left mid-step would keep the transaction from committing.
                raw.sqlite3_reset(stmt);
                raw.sqlite3_clear_bindings(stmt);
            }
        }

        static void Check(sqlite3 db, int rc)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}

/// <summary>
/// Inserts one entity as a hot statement (<see cref="HotStatements"/>), in the caller's transaction, with the INSERT
/// and the columns' value conversions taken from the EF model once per entity type, so it writes exactly the row
/// SaveChanges would. For the few rows of every order and payment, where building and preparing SaveChanges' commands
/// cost more than the writes. A store-generated key (identity) is left to the database.
/// </summary>
public static class HotInsert
{
    sealed record Plan(string Sql, (string Name, Func<object, object?> Value)[] Columns);

    static readonly ConcurrentDictionary<(Type, bool, bool), Plan> Plans = new();

    /// <returns>False when <paramref name="skipIfExists"/> and a row with the same unique key was there already (nothing written).</returns>
    public static async Task<bool> AddAsync<T>(AppDbContext db, T entity, bool skipIfExists = false, CancellationToken ct = default) where T : class
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Hot inserts run inside the caller's transaction.");
        var plan = Plans.GetOrAdd((typeof(T), db.Database.IsNpgsql(), skipIfExists), key => PlanFor(db.Model.FindEntityType(key.Item1)!, key.Item3));
        var values = new (string, object)[plan.Columns.Length];
        for (var i = 0; i < values.Length; i++) values[i] = (plan.Columns[i].Name, plan.Columns[i].Value(entity) ?? DBNull.Value);
        return (await HotStatements.RunAsync(db.Database.GetDbConnection(), transaction, plan.Sql, values, ct)).Changes == 1;
    }

    static Plan PlanFor(IEntityType type, bool skipIfExists)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(long))).ToList();
        var names = columns.Select(p => "\"" + p.GetColumnName(table) + "\"").ToList();
        var sql = $"INSERT INTO {type.GetTableName()} ({string.Join(", ", names)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@c" + i))})"
                  + (skipIfExists ? " ON CONFLICT DO NOTHING" : "");
        return new Plan(sql, columns.Select((p, i) =>
        {
            var getter = p.GetGetter();
            var converter = p.GetTypeMapping().Converter;
            return ("c" + i, (Func<object, object?>)(e => getter.GetClrValue(e) is { } v ? converter is null ? v : converter.ConvertToProvider(v) : null));
        }).ToArray());
    }
}
