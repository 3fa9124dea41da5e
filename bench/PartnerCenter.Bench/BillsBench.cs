using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.CustomerBills;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode bills: a customer's month of pay-per-use (resources × hours fee records in one row per hour, written by the database itself) read
/// through <see cref="CustomerBillService"/> — the monthly sum, and the first page of its resource records by cycle, by
/// day and in detail, its fee records, usage summary and amortized costs — against one SQL GROUP BY over the same rows, with peak RSS.
/// </summary>
public static class BillsBench
{
    public sealed record Options(IReadOnlyList<DatabaseProvider> Databases, string? PgAdmin, int Resources, int Hours);

    const string Columns = "\"CustomerAccountId\", \"Hour\", \"RatingPeriod\", \"Fees\", \"OfficialAmount\", \"Amount\", \"SettlementAmount\", \"CreatedAt\", " +
                           "\"ResourceIds\", \"SpecIds\", \"UsageFactors\", \"UsageValues\", \"UsageMeasureIds\", \"FreeResourceUsed\", \"OfficialAmounts\", \"Amounts\", \"SettlementAmounts\"";

    /// <summary>The seeded catalog's pay-per-use VM spec the fees are of (the reads take a fee's service, type and region from it).</summary>
    const string Spec = """(SELECT "Id" FROM catalog_resource_specs WHERE "SpecCode" = 's6.small.1.linux' AND "Region" = 'ap-southeast-1')""";

    public static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"Customer bills benchmark: one customer's month of {o.Resources} resources × {o.Hours} hours = {(long)o.Resources * o.Hours:N0} fee records");
        var environment = new List<string> { BenchEnvironment.Machine() };
        foreach (var provider in o.Databases)
        {
            Console.WriteLine();
            Console.WriteLine($"== {provider} ==");
            await using var world = await BenchWorld.CreateAsync(provider, o.PgAdmin, 1);
            environment.Add(await BenchEnvironment.DatabaseAsync(world));
            var customer = world.Customers[0];
            var cycle = BillCycle.Containing(world.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).Previous;
            var hours = Math.Min(o.Hours, (int)(cycle.EndUtc - cycle.StartUtc).TotalHours);
            var load = Stopwatch.StartNew();
            await LoadFeesAsync(world, provider, customer, cycle.StartUtc, o.Resources, hours);
            Console.WriteLine($"    loaded {(long)o.Resources * hours:N0} fee records of {cycle} in {load.Elapsed.TotalSeconds:0.0} s");

            var caller = new Caller(customer, customer, customer, customer, true, false);
            Task<MonthlySum> Sum() => world.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>().MonthlySumAsync(caller, cycle.ToString(), null, "oneself", null, 0, 100));
            Task<(IReadOnlyList<ResourceRecord>, int)> Records(int statistic) => world.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>()
                .ResourceRecordsAsync(caller, new ResourceRecordFilter(cycle.ToString(), null, null, null, null, null, null, null, "oneself", null, statistic, null, null, 0, 100)));
            await Sum(); // JIT and pools, unmeasured
            await RawGroupByAsync(world, customer, cycle);
            var raw1 = await MedianAsync(() => RawGroupByAsync(world, customer, cycle));
            var sum = await MedianAsync(Sum);
            var byCycle = await MedianAsync(() => Records(1));
            var detailed = await MedianAsync(() => Records(3));
            var byDay = await MedianAsync(() => Records(2));
            var feeRecords = await MedianAsync(() => world.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>().FeeRecordsAsync(caller,
                new FeeRecordFilter(cycle.ToString(), null, null, null, null, null, null, null, null, null, "oneself", null, null, null, 0, 100))));
            var usageSummary = await MedianAsync(() => world.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>()
                .ResourceUsageSummaryAsync(caller, cycle.ToString(), null, null, null, 0, 100)));
            var costs = await MedianAsync(() => world.InScopeAsync(sp => sp.GetRequiredService<CustomerBillService>().CostsAsync(caller,
                new CostQuery(2, cycle.ToString(), cycle.ToString(), "AMORTIZED_COST", null, [("dimension", "RESOURCE_ID")], [], 0, 100))));
            var raw2 = await MedianAsync(() => RawGroupByAsync(world, customer, cycle));
            var raw = Math.Min(raw1, raw2);
            var total = (await Sum()).Lines.Sum(l => l.Official);
            Console.WriteLine($"    raw GROUP BY over the month's fees: {raw1 * 1000:0} / {raw2 * 1000:0} ms (before/after); list amount {total:N2}");
            Console.WriteLine($"    ShowCustomerMonthlySum {sum * 1000:0} ms → {sum / raw:0.00}× raw");
            Console.WriteLine($"    resource records, first page of 100: by cycle {byCycle * 1000:0} ms ({byCycle / raw:0.00}×), detailed {detailed * 1000:0} ms ({detailed / raw:0.00}×), " +
                              $"by day {byDay * 1000:0} ms ({byDay / raw:0.00}×)");
            Console.WriteLine($"    ListCustomerBillsFeeRecords first page {feeRecords * 1000:0} ms ({feeRecords / raw:0.00}×), ListResourceUsageSummary {usageSummary * 1000:0} ms " +
                              $"({usageSummary / raw:0.00}×), ListCosts amortized by resource {costs * 1000:0} ms ({costs / raw:0.00}×)");
            Console.WriteLine($"    peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
        }
        Console.WriteLine();
        Console.WriteLine("Environment");
        foreach (var line in environment) Console.WriteLine("  " + line);
        return 0;
    }

    /// <summary>The median of three timed runs, in seconds.</summary>
    static async Task<double> MedianAsync<T>(Func<Task<T>> work)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(1);
    }

    /// <summary>The fee records of every resource for every hour from the cycle's start, each rated by the run an hour later, written by the database.</summary>
    static async Task LoadFeesAsync(BenchWorld world, DatabaseProvider provider, string customer, DateTime start, int resources, int hours)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        // 0.01439931 list, 0.01151945 settlement per VM-hour, in 10⁻⁸ units.
        // One row per hour (a customer's fees of an hour), as the rating writes them.
        if (provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlRawAsync($$"""
                INSERT INTO usage_fee_hours ({{Columns}})
                SELECT {0}, {1} + make_interval(hours => h), {1} + make_interval(hours => h + 1), {2}, 1439931 * {2}, 1439931 * {2}, 1151945 * {2}, {1},
                       ARRAY(SELECT 'bench-r' || r FROM generate_series(0, {2} - 1) r), array_fill({{Spec}}::text, ARRAY[{2}]), array_fill('Duration'::text, ARRAY[{2}]),
                       array_fill(100000000::bigint, ARRAY[{2}]), array_fill(4, ARRAY[{2}]), array_fill(0::bigint, ARRAY[{2}]), array_fill(1439931::bigint, ARRAY[{2}]),
                       array_fill(1439931::bigint, ARRAY[{2}]), array_fill(1151945::bigint, ARRAY[{2}])
                FROM generate_series(0, {3} - 1) h
                """, customer, start, resources, hours);
        else
            await db.Database.ExecuteSqlRawAsync($$"""
                WITH RECURSIVE rr(r) AS (SELECT 0 UNION ALL SELECT r + 1 FROM rr WHERE r + 1 < {2}),
                               hh(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hh WHERE h + 1 < {3}),
                               fees(ids, specs, factors, usages, measures, free, official, settlement) AS (
                                   SELECT json_group_array('bench-r' || r), json_group_array({{Spec}}), json_group_array('Duration'), json_group_array(100000000),
                                          json_group_array(4), json_group_array(0), json_group_array(1439931), json_group_array(1151945) FROM rr)
                INSERT INTO usage_fee_hours ({{Columns}})
                SELECT {0}, strftime('%Y-%m-%d %H:%M:%S', {1}, '+' || h || ' hours'), strftime('%Y-%m-%d %H:%M:%S', {1}, '+' || (h + 1) || ' hours'),
                       {2}, 1439931 * {2}, 1439931 * {2}, 1151945 * {2}, {1}, ids, specs, factors, usages, measures, free, official, official, settlement
                FROM hh, fees
                """, customer, start.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), resources, hours);
        // Statistics for the planner, as the database would have gathered them over a month of hourly writes.
        await db.Database.ExecuteSqlRawAsync("ANALYZE usage_fee_hours");
    }

    /// <summary>The same aggregate the monthly sum needs, as one SQL GROUP BY, every row read.</summary>
    static async Task<int> RawGroupByAsync(BenchWorld world, string customer, BillCycle cycle)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandTimeout = 1800;
        var sqlite = db.Database.IsSqlite();
        // Every fee record unnested from its customer-hour row, as the reads expand them.
        command.CommandText = sqlite
            ? """
              SELECT r.value, json_extract(h."UsageFactors", '$[' || r.key || ']'), SUM(json_extract(h."UsageValues", '$[' || r.key || ']')),
                     SUM(json_extract(h."OfficialAmounts", '$[' || r.key || ']')), SUM(json_extract(h."Amounts", '$[' || r.key || ']')),
                     SUM(json_extract(h."SettlementAmounts", '$[' || r.key || ']')), MAX(h."RatingPeriod")
              FROM usage_fee_hours h, json_each(h."ResourceIds") r
              WHERE h."CustomerAccountId" = @c AND h."Hour" < @e AND h."RatingPeriod" > @s AND h."RatingPeriod" <= @e GROUP BY 1, 2
              """
            : """
              SELECT f.resource, f.factor, SUM(f.usage), SUM(f.official), SUM(f.amount), SUM(f.settlement), MAX(h."RatingPeriod")
              FROM usage_fee_hours h, unnest(h."ResourceIds", h."UsageFactors", h."UsageValues", h."OfficialAmounts", h."Amounts", h."SettlementAmounts")
                   AS f(resource, factor, usage, official, amount, settlement)
              WHERE h."CustomerAccountId" = @c AND h."Hour" < @e AND h."RatingPeriod" > @s AND h."RatingPeriod" <= @e GROUP BY 1, 2
              """;
        void Add(string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        Add("c", customer);
        Add("s", sqlite ? cycle.StartUtc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : cycle.StartUtc);
        Add("e", sqlite ? cycle.EndUtc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : cycle.EndUtc);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync()) rows++;
        return rows;
    }
}
