using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// UTC DateTimes and DBNull only, bound exactly as Microsoft.Data.Sqlite binds them.
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
