using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Bench;

/// <summary>
/// The measured operation of the orders suite: a direct customer creates a one-month order for one VM and pays it
/// from its cash — <see cref="OrderService.CreateAsync"/> then <see cref="OrderService.PayAsync"/>, each in a new DI
/// scope as two requests get. The customer id is the world's buyer; the key is the order's client token.
/// </summary>
public sealed class CoreOrderSpender(IServiceProvider services) : ISpender
{
    public static readonly NewOrderLine Line = new("hws.service.type.ec2", "hws.resource.type.vm", "s6.small.1.linux", "ap-southeast-1", null, null, 2, 1, 1);

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var caller = new Caller(customerId, customerId, customerId, customerId, true, false);
        Order order;
        await using (var scope = services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(caller, new NewOrder(null, [Line], idempotencyKey));
        await using (var scope = services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().PayAsync(caller, new PayRequest(order.Id, "NO", "NO", null, null));
        return order.Status == OrderStatus.Completed;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The baseline: the same rows by hand, prepared, one connection per worker. Create: look up the price in force, insert
/// the order and its line. Pay: mark it paid if pending, claim the journal entry, move cash (above its floor) and
/// revenue, insert the two postings, the resource and its paid period. Two transactions, as Core's two requests.
/// </summary>
public sealed class RawOrderSpender : ISpender
{
    const string PriceSql = """
        SELECT p."SpecId", p."UnitPrice" FROM catalog_spec_prices p JOIN catalog_resource_specs s ON s."Id" = p."SpecId"
        WHERE s."ServiceTypeCode" = @service AND s."ResourceTypeCode" = @type AND s."SpecCode" = @spec AND s."Region" = @region
          AND p."Kind" = 'Period' AND p."PeriodType" = 2 AND p."EffectiveFrom" <= @now
        ORDER BY p."EffectiveFrom" DESC LIMIT 1
        """;
    const string OrderSql = """
        INSERT INTO orders ("Id", "CustomerAccountId", "ClientToken", "OrderType", "SourceType", "Status", "ServiceTypeCode", "OfficialAmount",
            "AmountAfterDiscount", "SettlementAmount", "CreatedByUserName", "CreatedAt", "PaymentDeadline")
        VALUES (@id, @customer, @token, 1, 1, 6, @service, @amount, @amount, @amount, @customer, @now, @deadline)
        """;
    const string LineSql = """
        INSERT INTO order_lines ("Id", "OrderId", "SpecId", "ResourceId", "IsMainResource", "CloudServiceType", "ResourceType", "ResourceSpec", "Region",
            "PeriodType", "PeriodNum", "SubscriptionNum", "OfficialAmount", "SettlementAmount")
        VALUES (@id, @order, @specId, @resource, TRUE, @service, @type, @spec, @region, 2, 1, 1, @amount, @amount)
        """;
    const string PaySql = """UPDATE orders SET "Status" = 5, "PaidAt" = @now WHERE "Id" = @order AND "Status" = 6""";
    const string EntrySql = """
        INSERT INTO journal_entries ("Id", "Kind", "Reference", "Description", "CreatedBy", "CreatedAt", "BookedAt") VALUES (@id, 'OrderPayment', @order, @order, @by, @now, @now)
        ON CONFLICT ("Id") DO NOTHING
        """;
    const string MoveSql = """
        UPDATE ledger_accounts SET "Balance" = "Balance" + @amount WHERE "Id" = @account AND ("Floor" IS NULL OR "Balance" + @amount >= "Floor")
        """;
    const string PostingSql = """INSERT INTO postings ("EntryId", "AccountId", "Amount", "CreatedAt", "BookedAt", "Kind", "Reference") VALUES (@entry, @account, @amount, @now, @now, 'OrderPayment', @order)""";
    const string ResourceSql = """
        INSERT INTO cloud_resources ("Id", "CustomerAccountId", "Name", "Region", "ServiceTypeCode", "ResourceTypeCode", "SpecCode", "SpecId", "IsMain",
            "OrderId", "LastOrderId", "ChargeMode", "PeriodType", "PeriodNum", "Status", "ExpirePolicy", "EffectiveTime", "ExpireTime", "UpdatedAt")
        VALUES (@id, @customer, @id, @region, @service, @type, @spec, @specId, TRUE, @order, @order, 1, 2, 1, 2, 0, @now, @expire, @now)
        """;
    const string PeriodSql = """
        INSERT INTO resource_periods ("ResourceId", "OrderId", "Start", "End", "PeriodType", "PeriodNum", "PaidAmount", "SettlementAmount", "PaidAt")
        VALUES (@resource, @order, @now, @expire, 2, 1, @amount, @amount, @now)
        """;

    readonly DbConnection connection;
    readonly Dictionary<string, DbCommand> commands = [];

    RawOrderSpender(DbConnection connection) => this.connection = connection;

    public static async Task<ISpender> OpenAsync(DatabaseSettings settings)
    {
        DbConnection conn = settings.Provider == DatabaseProvider.Sqlite ? new SqliteConnection(settings.ConnectionString) : new NpgsqlConnection(settings.ConnectionString);
        await conn.OpenAsync();
        if (conn is SqliteConnection)
        {
            await using var pragmas = conn.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            await pragmas.ExecuteNonQueryAsync();
        }
        return new RawOrderSpender(conn);
    }

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var line = CoreOrderSpender.Line;
        var orderId = "CS" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var resourceId = Guid.NewGuid().ToString("N");
        string specId;
        long amount;
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var price = await Run(tx, PriceSql, ("service", line.CloudServiceType!), ("type", line.ResourceType!), ("spec", line.ResourceSpec!),
                             ("region", line.Region!), ("now", now)).ExecuteReaderAsync())
            {
                if (!await price.ReadAsync()) return false;
                specId = price.GetString(0);
                amount = (long)(price.GetInt64(1) / 100m); // 10⁻⁸ units of the unit price → micro-units of one month
            }
            await Run(tx, OrderSql, ("id", orderId), ("customer", customerId), ("token", idempotencyKey), ("service", line.CloudServiceType!), ("amount", amount),
                ("now", now), ("deadline", now.AddDays(7))).ExecuteNonQueryAsync();
            await Run(tx, LineSql, ("id", Guid.NewGuid().ToString("N")), ("order", orderId), ("specId", specId), ("resource", resourceId), ("service", line.CloudServiceType!),
                ("type", line.ResourceType!), ("spec", line.ResourceSpec!), ("region", line.Region!), ("amount", amount)).ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            if (await Run(tx, PaySql, ("order", orderId), ("now", now)).ExecuteNonQueryAsync() != 1) return false;
            var entry = "order:" + orderId;
            await Run(tx, EntrySql, ("id", entry), ("order", orderId), ("by", customerId), ("now", now)).ExecuteNonQueryAsync();
            var cash = "CustomerCash:" + customerId;
            const string revenue = "platform:PlatformRevenue";
            foreach (var (account, delta) in new[] { (cash, -amount), (revenue, amount) })
            {
                if (await Run(tx, MoveSql, ("account", account), ("amount", delta)).ExecuteNonQueryAsync() != 1)
                {
                    await tx.RollbackAsync();
                    return false;
                }
                await Run(tx, PostingSql, ("entry", entry), ("account", account), ("amount", delta), ("now", now), ("order", orderId)).ExecuteNonQueryAsync();
            }
            var expire = now.AddMonths(1);
            await Run(tx, ResourceSql, ("id", resourceId), ("customer", customerId), ("region", line.Region!), ("service", line.CloudServiceType!), ("type", line.ResourceType!),
                ("spec", line.ResourceSpec!), ("specId", specId), ("order", orderId), ("now", now), ("expire", expire)).ExecuteNonQueryAsync();
            await Run(tx, PeriodSql, ("resource", resourceId), ("order", orderId), ("now", now), ("expire", expire), ("amount", amount)).ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        return true;
    }

    /// <summary>The statement's command, prepared on first use and reused with new values (like pgbench -M prepared).</summary>
    DbCommand Run(DbTransaction tx, string sql, params (string Name, object Value)[] values)
    {
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var (name, value) in values)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                p.DbType = value switch { long => DbType.Int64, int => DbType.Int32, string => DbType.String, _ => p.DbType };
                cmd.Parameters.Add(p);
            }
            cmd.Prepare();
            commands[sql] = cmd;
        }
        cmd.Transaction = tx;
        foreach (var (name, value) in values) cmd.Parameters[name].Value = value;
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in commands.Values) await cmd.DisposeAsync();
        await connection.DisposeAsync();
    }
}
