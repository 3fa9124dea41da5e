using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Coupons;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Bench;

/// <summary>
/// The coupons suite: a resale customer creates a one-month VM order and pays it with the partner coupon it holds
/// (the coupon pays it all, so the partner owes nothing), through Core against the raw transactions doing the same
/// rows, closed loop at each worker count over the world's resale customers (uniform only: one hot coupon would run
/// dry over a long run).
/// </summary>
static class CouponOrderSuite
{
    public static readonly Scenario Uniform = new("coupon-orders", false);
    /// <summary>Each customer's coupon: enough for any run of 7.15 orders.</summary>
    const decimal FaceValue = 100_000m;

    public static async Task RunAsync(BenchWorld world, BenchOptions options)
    {
        var setup = System.Diagnostics.Stopwatch.StartNew();
        var customers = world.Customers.Take(Math.Min(world.Customers.Count, 200)).ToList();
        var quota = await world.InScopeAsync(sp => sp.GetRequiredService<CouponQuotaService>().GrantAsync(world.Operator, world.Partner.AccountId,
            new NewCouponQuota(CouponCodes.CashQuota, FaceValue * customers.Count, null, TimeProvider.System.GetUtcNow().UtcDateTime.AddYears(1), null, FaceValue, null, null)));
        var coupons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in customers.Chunk(CouponQuotaService.MaxBatch))
        {
            var (issued, errors) = await world.InScopeAsync(sp => sp.GetRequiredService<CouponService>().IssueAsync(world.Partner,
                new NewPartnerCoupons(quota.Id, batch, FaceValue, null, null, null, null, null, null, null)));
            if (errors.Count > 0) throw new InvalidOperationException($"Issuing the bench's coupons failed: {errors[0].Error.Message}");
            foreach (var (customer, coupon) in issued) coupons[customer] = coupon;
        }
        Console.WriteLine();
        Console.WriteLine($"Coupon orders: a resale customer creates a one-month s6.small.1.linux order and pays it with its partner coupon (Core: OrderService.CreateAsync + " +
                          $"PayAsync with coupon_infos, two scopes; raw: the same reads, inserts and updates in two prepared transactions). {customers.Count} customers, setup {setup.Elapsed.TotalSeconds:0.0} s");

        var core = () => Task.FromResult<ISpender>(new CoreCouponOrderSpender(world.Services, coupons));
        var raw = () => RawCouponOrderSpender.OpenAsync(world.Settings, coupons, world.Partner.AccountId);
        foreach (var spender in new[] { raw, core })
            await LoadDriver.RunAsync(spender, customers, Uniform, 2, TimeSpan.FromSeconds(Math.Max(3, options.WarmUp)), TimeSpan.Zero);

        Report.Header();
        foreach (var workers in options.Workers)
        {
            var runs = new List<(Measurement RawBefore, Measurement Core, Measurement RawAfter)>();
            for (var run = 0; run < options.Runs; run++)
            {
                var before = await Measure(raw);
                var measured = await Measure(core);
                var after = await Measure(raw);
                runs.Add((before, measured, after));

                Task<Measurement> Measure(Func<Task<ISpender>> spender) =>
                    LoadDriver.RunAsync(spender, customers, Uniform, workers, TimeSpan.FromSeconds(options.WarmUp), TimeSpan.FromSeconds(options.Seconds));
            }
            Report.Row(Uniform, workers, runs);
        }
        // Core's and raw's rows alike keep the books sound: each coupon account equals its coupons' balances, every entry balances.
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        if (await LedgerInvariants.CheckAsync(db) is { Count: > 0 } broken) throw new InvalidOperationException("LEDGER INVARIANTS BROKEN: " + string.Join("; ", broken.Take(5)));
    }
}

/// <summary>The measured operation: <see cref="OrderService.CreateAsync"/> then <see cref="OrderService.PayAsync"/> with the customer's coupon, each in a new DI scope.</summary>
public sealed class CoreCouponOrderSpender(IServiceProvider services, IReadOnlyDictionary<string, string> coupons) : ISpender
{
    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var caller = new Caller(customerId, customerId, customerId, customerId, true, false);
        Order order;
        await using (var scope = services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(caller, new NewOrder(null, [CoreOrderSpender.Line], idempotencyKey));
        await using (var scope = services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<OrderService>().PayAsync(caller,
                new PayRequest(order.Id, "YES", "NO", [new PayChoice(coupons[customerId], 301)], null));
        return order.Status == OrderStatus.Completed;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The baseline: the same rows by hand, prepared, one connection per worker. Create: the price in force, the order and
/// its line. Pay: read the coupon; mark the order paid if pending; spend the budget at list price (above nothing: the
/// budget's conditional update) and record the spend; take the coupon's amount by a conditional update and read its
/// balance; record the coupon's use and change; claim the journal entry, move the coupon account (above its floor) and
/// revenue with their postings; insert the resource and its paid period. Two transactions, as Core's two requests.
/// </summary>
public sealed class RawCouponOrderSpender : ISpender
{
    const string PriceSql = """
        SELECT p."SpecId", p."UnitPrice" FROM catalog_spec_prices p JOIN catalog_resource_specs s ON s."Id" = p."SpecId"
        WHERE s."ServiceTypeCode" = @service AND s."ResourceTypeCode" = @type AND s."SpecCode" = @spec AND s."Region" = @region
          AND p."Kind" = 'Period' AND p."PeriodType" = 2 AND p."EffectiveFrom" <= @now
        ORDER BY p."EffectiveFrom" DESC LIMIT 1
        """;
    const string OrderSql = """
        INSERT INTO orders ("Id", "CustomerAccountId", "ClientToken", "OrderType", "SourceType", "Status", "ServiceTypeCode", "OfficialAmount",
            "AmountAfterDiscount", "SettlementAmount", "FundingPartnerAccountId", "CreatedByUserName", "CreatedAt", "PaymentDeadline")
        VALUES (@id, @customer, @token, 1, 1, 6, @service, @amount, @amount, @amount, @partner, @customer, @now, @deadline)
        """;
    const string LineSql = """
        INSERT INTO order_lines ("Id", "OrderId", "SpecId", "ResourceId", "IsMainResource", "CloudServiceType", "ResourceType", "ResourceSpec", "Region",
            "PeriodType", "PeriodNum", "SubscriptionNum", "OfficialAmount", "SettlementAmount")
        VALUES (@id, @order, @specId, @resource, TRUE, @service, @type, @spec, @region, 2, 1, 1, @amount, @amount)
        """;
    const string CouponSql = """SELECT "Balance", "Status" FROM coupons WHERE "Id" = @coupon AND "CustomerAccountId" = @customer""";
    const string PaySql = """UPDATE orders SET "Status" = 5, "PaidAt" = @now, "CouponAmount" = @amount WHERE "Id" = @order AND "Status" = 6""";
    const string BudgetSql = """
        UPDATE customer_budgets SET "UsedAmount" = "UsedAmount" + @amount WHERE "CustomerAccountId" = @customer AND "UsedAmount" + @amount <= "BudgetAmount"
        """;
    const string SpendSql = """INSERT INTO budget_spends ("IdempotencyKey", "CustomerAccountId", "Amount", "Month", "SpentAt") VALUES (@key, @customer, @amount, @month, @now)""";
    const string TakeSql = """
        UPDATE coupons SET "Balance" = "Balance" - @amount, "LastUsedTime" = @now, "OrderId" = @order
        WHERE "Id" = @coupon AND "Status" = 2 AND "Balance" >= @amount AND "LockOrderId" IS NULL
        """;
    const string BalanceSql = """SELECT "Balance" FROM coupons WHERE "Id" = @coupon""";
    const string UseSql = """INSERT INTO order_coupons ("OrderId", "CouponId", "CouponType", "Amount", "ReturnedAmount") VALUES (@order, @coupon, 1, @amount, 0)""";
    const string ChangeSql = """
        INSERT INTO coupon_changes ("CouponId", "CustomerAccountId", "PartnerAccountId", "QuotaType", "Kind", "Amount", "BalanceAfter", "Reference", "At", "Remark")
        VALUES (@coupon, @customer, @partner, 0, 'Use', @amount, @after, @order, @now, @order)
        """;
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
        INSERT INTO resource_periods ("ResourceId", "OrderId", "Start", "End", "PeriodType", "PeriodNum", "PaidAmount", "SettlementAmount", "CouponAmount", "PaidAt")
        VALUES (@resource, @order, @now, @expire, 2, 1, 0, 0, @amount, @now)
        """;

    readonly DbConnection connection;
    readonly IReadOnlyDictionary<string, string> coupons;
    readonly string partner;
    readonly Dictionary<string, DbCommand> commands = [];

    RawCouponOrderSpender(DbConnection connection, IReadOnlyDictionary<string, string> coupons, string partner) =>
        (this.connection, this.coupons, this.partner) = (connection, coupons, partner);

    public static async Task<ISpender> OpenAsync(DatabaseSettings settings, IReadOnlyDictionary<string, string> coupons, string partner)
    {
        DbConnection conn = settings.Provider == DatabaseProvider.Sqlite ? new SqliteConnection(settings.ConnectionString) : new NpgsqlConnection(settings.ConnectionString);
        await conn.OpenAsync();
        if (conn is SqliteConnection)
        {
            await using var pragmas = conn.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
            await pragmas.ExecuteNonQueryAsync();
        }
        return new RawCouponOrderSpender(conn, coupons, partner);
    }

    public async Task<bool> SpendAsync(string customerId, string idempotencyKey)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var line = CoreOrderSpender.Line;
        var orderId = "CS" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var resourceId = Guid.NewGuid().ToString("N");
        var coupon = coupons[customerId];
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
                ("partner", partner), ("now", now), ("deadline", now.AddDays(7))).ExecuteNonQueryAsync();
            await Run(tx, LineSql, ("id", Guid.NewGuid().ToString("N")), ("order", orderId), ("specId", specId), ("resource", resourceId), ("service", line.CloudServiceType!),
                ("type", line.ResourceType!), ("spec", line.ResourceSpec!), ("region", line.Region!), ("amount", amount)).ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using (var read = await Run(tx, CouponSql, ("coupon", coupon), ("customer", customerId)).ExecuteReaderAsync())
                if (!await read.ReadAsync() || read.GetInt64(0) < amount) return false;
            if (await Run(tx, PaySql, ("order", orderId), ("now", now), ("amount", amount)).ExecuteNonQueryAsync() != 1
                || await Run(tx, BudgetSql, ("customer", customerId), ("amount", amount)).ExecuteNonQueryAsync() != 1
                || await Run(tx, TakeSql, ("coupon", coupon), ("amount", amount), ("now", now), ("order", orderId)).ExecuteNonQueryAsync() != 1)
            {
                await tx.RollbackAsync();
                return false;
            }
            await Run(tx, SpendSql, ("key", "order:" + orderId), ("customer", customerId), ("amount", amount), ("month", BudgetService.MonthStart(now)), ("now", now))
                .ExecuteNonQueryAsync();
            var after = (long)(await Run(tx, BalanceSql, ("coupon", coupon)).ExecuteScalarAsync())!;
            await Run(tx, UseSql, ("order", orderId), ("coupon", coupon), ("amount", amount)).ExecuteNonQueryAsync();
            await Run(tx, ChangeSql, ("coupon", coupon), ("customer", customerId), ("partner", partner), ("amount", -amount), ("after", after), ("order", orderId), ("now", now))
                .ExecuteNonQueryAsync();
            var entry = "order:" + orderId;
            await Run(tx, EntrySql, ("id", entry), ("order", orderId), ("by", customerId), ("now", now)).ExecuteNonQueryAsync();
            foreach (var (account, delta) in new[] { (LedgerBook.CouponsOf(customerId), -amount), (LedgerBook.Platform(LedgerAccountKind.PlatformRevenue), amount) })
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
