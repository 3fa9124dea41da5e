using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Bench;

/// <summary>
/// The baseline: the row work a spend must do, by hand in ADO.NET, on the same tables of the same database —
/// BEGIN; conditional UPDATE of the budget; INSERT of the spend; COMMIT. It is the best the database can do for
/// this operation: each worker keeps one open connection and its commands prepared (like pgbench -M prepared), with
/// the same per-connection pragmas Core sets on SQLite and the same transaction kind (SQLite BEGIN IMMEDIATE).
/// Column names are those of Core's migrations (PascalCase, quoted); money in micro-units as Core stores it.
/// </summary>
public sealed class RawSpender : ISpender
{
    // The same statement Core's SqlitePragmas interceptor runs on every connection it opens.
    const string SqlitePragmas = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";

    const string UpdateSql = """
        UPDATE customer_budgets SET "UsedAmount" = "UsedAmount" + @x
        WHERE "CustomerAccountId" = @c AND "UsedAmount" + @x <= "BudgetAmount"
        """;
    const string InsertSql = """
        INSERT INTO budget_spends ("IdempotencyKey", "CustomerAccountId", "Amount", "Month", "SpentAt")
        VALUES (@k, @c, @x, @m, @t)
        """;

    static readonly long AmountMicros = (long)(CoreSpender.Amount * Money.MicrosPerUnit);

    readonly DbConnection connection;
    readonly DbCommand update, insert;

    RawSpender(DbConnection connection, DbCommand update, DbCommand insert)
    {
        this.connection = connection;
        this.update = update;
        this.insert = insert;
    }

    public static async Task<ISpender> OpenAsync(DatabaseSettings settings)
    {
        DbConnection conn = settings.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(settings.ConnectionString)
            : new NpgsqlConnection(settings.ConnectionString);
        await conn.OpenAsync();
        if (conn is SqliteConnection)
        {
            await using var pragmas = conn.CreateCommand();
            pragmas.CommandText = SqlitePragmas;
            await pragmas.ExecuteNonQueryAsync();
        }

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var update = Command(conn, UpdateSql, ("x", AmountMicros), ("c", ""));
        var insert = Command(conn, InsertSql, ("k", ""), ("c", ""), ("x", AmountMicros), ("m", BudgetService.MonthStart(now)), ("t", now));
        await update.PrepareAsync();
        await insert.PrepareAsync();
        return new RawSpender(conn, update, insert);
    }

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using var tx = await connection.BeginTransactionAsync();
        update.Transaction = tx;
        update.Parameters["c"].Value = customerId;
        if (await update.ExecuteNonQueryAsync() != 1)
        {
            await tx.RollbackAsync();
            return false;
        }
        insert.Transaction = tx;
        insert.Parameters["k"].Value = idempotencyKey;
        insert.Parameters["c"].Value = customerId;
        insert.Parameters["m"].Value = BudgetService.MonthStart(now);
        insert.Parameters["t"].Value = now;
        await insert.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return true;
    }

    // Typed values set before Prepare, so Npgsql prepares with the right parameter types (timestamptz for UTC DateTime).
    static DbCommand Command(DbConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            p.DbType = value switch { long => DbType.Int64, string => DbType.String, _ => p.DbType };
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        await update.DisposeAsync();
        await insert.DisposeAsync();
        await connection.DisposeAsync();
    }
}
