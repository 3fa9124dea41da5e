using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Bench;

/// <summary>
/// --mode billrun: the monthly bill run over a month of pay-per-use of many resale customers — their fee records (one
/// per resource-hour, stored one row per customer-hour as the rating writes them) and the hourly charges the rating booked from them on their partners' payables (one journal entry
/// per customer-hour, with its two postings), written by the database itself — against one SQL GROUP BY over the same
/// month's fee records (unnested from their customer-hour rows), and one over the same postings, in the same run; with the process's peak RSS (the run streams
/// partner by partner, so it must stay flat in the number of records). SQLite runs at a tenth of the size.
/// </summary>
public static class BillRunBench
{
    public sealed record Options(IReadOnlyList<DatabaseProvider> Databases, string? PgAdmin, int Customers, int Partners);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        if (options is null) return 2;
        var environment = new List<string> { BenchEnvironment.Machine() };
        foreach (var provider in options.Databases)
        {
            // SQLite at a tenth of the size, as the bills issue asks.
            var scale = provider == DatabaseProvider.Sqlite ? 10 : 1;
            var (customers, partners) = (options.Customers / scale, Math.Max(1, options.Partners / scale));
            Console.WriteLine();
            Console.WriteLine($"== {provider}: {customers:N0} resale customers of {partners:N0} partners ==");
            await using var world = await BenchWorld.CreateAsync(provider, options.PgAdmin, 0);
            environment.Add(await BenchEnvironment.DatabaseAsync(world));
            var cycle = BillCycle.Containing(world.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime).Previous;
            var hours = (int)(cycle.EndUtc - cycle.StartUtc).TotalHours;

            var load = Stopwatch.StartNew();
            var (fees, postings) = await LoadMonthAsync(world, provider, cycle, customers, partners, hours);
            Console.WriteLine($"    loaded {cycle}: {fees:N0} fee records, {postings:N0} payable postings (and as many journal entries) in {load.Elapsed.TotalSeconds:0} s");

            var rssBefore = Process.GetCurrentProcess().WorkingSet64;
            var feesGroupBy = provider == DatabaseProvider.Postgres ? FeesGroupByPostgres : FeesGroupBySqlite;
            var rawFees1 = await TimeAsync(() => RawAsync(world, feesGroupBy, cycle));
            var rawPostings1 = await TimeAsync(() => RawAsync(world, PostingsGroupBy, cycle));
            var run = Stopwatch.StartNew();
            var result = await world.InScopeAsync(sp => sp.GetRequiredService<BillRuns>().RunAsync(cycle, draft: false));
            var runSeconds = run.Elapsed.TotalSeconds;
            var rawFees2 = await TimeAsync(() => RawAsync(world, feesGroupBy, cycle));
            var rawPostings2 = await TimeAsync(() => RawAsync(world, PostingsGroupBy, cycle));
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;

            // The bills must hold what the month booked, or the timing means nothing.
            var (billed, charged) = await BilledAsync(world, cycle, customers, hours);
            if (billed != charged) throw new InvalidOperationException($"the bills hold {billed} but the month charged {charged}");
            var rawFees = Math.Min(rawFees1, rawFees2);
            var rawPostings = Math.Min(rawPostings1, rawPostings2);
            Console.WriteLine($"    bill run: {result.PartnersDone:N0} partners in {runSeconds:0.00} s, {billed:N2} billed (= the month's charges)");
            Console.WriteLine($"    raw GROUP BY of the month's fee records by customer: {rawFees1:0.00} / {rawFees2:0.00} s (before/after) → bill run {runSeconds / rawFees:0.00}× raw");
            Console.WriteLine($"    raw GROUP BY of the month's payable postings by partner, kind and customer: {rawPostings1:0.00} / {rawPostings2:0.00} s → bill run {runSeconds / rawPostings:0.00}× raw");
            Console.WriteLine($"    RSS {rssBefore / (1024 * 1024)} MiB before the run, peak {peak / (1024 * 1024)} MiB");
        }
        Console.WriteLine();
        Console.WriteLine("Environment");
        foreach (var line in environment) Console.WriteLine("  " + line);
        return 0;
    }

    static Options? Parse(string[] args)
    {
        string? db = null;
        var pg = Environment.GetEnvironmentVariable("PC_BENCH_PG");
        int customers = 10_000, partners = 100;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--db": db = Next(); break;
                    case "--pg": pg = Next(); break;
                    case "--customers": customers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--partners": partners = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            if (customers < 10 || partners < 1 || partners > customers) throw new ArgumentException("--customers is at least 10, --partners between 1 and customers");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: PartnerCenter.Bench --mode billrun [--db sqlite|postgres|both] [--customers 10000] [--partners 100] [--pg CONNSTR]");
            return null;
        }
        db ??= string.IsNullOrEmpty(pg) ? "sqlite" : "both";
        DatabaseProvider[] dbs = db switch
        {
            "sqlite" => [DatabaseProvider.Sqlite],
            "postgres" => [DatabaseProvider.Postgres],
            "both" => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
            _ => [],
        };
        if (dbs.Length == 0 || (dbs.Contains(DatabaseProvider.Postgres) && string.IsNullOrEmpty(pg)))
        {
            Console.Error.WriteLine("--db is sqlite, postgres or both; PostgreSQL needs --pg or PC_BENCH_PG (scripts/bench.sh starts one).");
            return null;
        }
        return new Options(dbs, pg, customers, partners);
    }

    static readonly string PayablePrefix = Core.Ledger.LedgerBook.PayableOf("bench-p");

    const string FeeColumns = "\"CustomerAccountId\", \"Hour\", \"RatingPeriod\", \"Fees\", \"OfficialAmount\", \"Amount\", \"SettlementAmount\", \"CreatedAt\", " +
                              "\"ResourceIds\", \"SpecIds\", \"UsageFactors\", \"UsageValues\", \"UsageMeasureIds\", \"FreeResourceUsed\", \"OfficialAmounts\", \"Amounts\", \"SettlementAmounts\"";

    /// <summary>
    /// Customer c (0-based) belongs to partner c mod P and runs 2 VMs when c mod 5 &lt; 2, else 1 (1.4 on average: 10,000
    /// customers make about 10 M fee records in a month). Each hour the rating charged its settlement price, 0.02 per VM,
    /// booked at that hour on the partner's payable against the platform's revenue, keyed as the rating keys it.
    /// </summary>
    static async Task<(long Fees, long Postings)> LoadMonthAsync(BenchWorld world, DatabaseProvider provider, BillCycle cycle, int customers, int partners, int hours)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        var start = cycle.StartUtc;
        var revenue = Core.Ledger.LedgerBook.Platform(Core.Ledger.LedgerAccountKind.PlatformRevenue);
        // The partners' payables: what the bill run walks.
        for (var p = 0; p < partners; p++)
            db.LedgerAccounts.Add(new Core.Ledger.LedgerAccount
            {
                Id = Core.Ledger.LedgerBook.PayableOf($"bench-p{p:D5}"), Kind = Core.Ledger.LedgerAccountKind.PartnerPayable,
                OwnerAccountId = $"bench-p{p:D5}", Floor = null, CreatedAt = start,
            });
        await db.SaveChangesAsync();
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync($$"""
                INSERT INTO usage_fee_hours ({{FeeColumns}})
                SELECT 'bench-c' || lpad(c::text, 6, '0'), {0} + make_interval(hours => h), {0} + make_interval(hours => h + 1), n, 2500000 * n, 2500000 * n, 2000000 * n, {0},
                       CASE WHEN n = 2 THEN ARRAY['bench-c' || c || '-vm0', 'bench-c' || c || '-vm1'] ELSE ARRAY['bench-c' || c || '-vm0'] END,
                       array_fill('spec'::text, ARRAY[n]), array_fill('Duration'::text, ARRAY[n]), array_fill(100000000::bigint, ARRAY[n]), array_fill(4, ARRAY[n]),
                       array_fill(0::bigint, ARRAY[n]), array_fill(2500000::bigint, ARRAY[n]), array_fill(2500000::bigint, ARRAY[n]), array_fill(2000000::bigint, ARRAY[n])
                FROM generate_series(0, {1} - 1) c CROSS JOIN LATERAL (SELECT CASE WHEN c % 5 < 2 THEN 2 ELSE 1 END AS n) v, generate_series(0, {2} - 1) h
                """, start, customers, hours);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO journal_entries ("Id", "Kind", "Reference", "Description", "CreatedBy", "CreatedAt", "BookedAt")
                SELECT 'usage:bench-c' || lpad(c::text, 6, '0') || ':' || to_char({0} + make_interval(hours => h + 1), 'YYYYMMDDHH24'), 'UsageCharge',
                       'bench-c' || lpad(c::text, 6, '0'), 'Pay-per-use at settlement price', 'system', {0} + make_interval(hours => h + 1), {0} + make_interval(hours => h)
                FROM generate_series(0, {1} - 1) c, generate_series(0, {2} - 1) h
                """, start, customers, hours);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO postings ("EntryId", "AccountId", "Amount", "CreatedAt", "BookedAt", "Kind", "Reference")
                SELECT e."Id", CASE WHEN side = 0 THEN {2} || lpad((substr(e."Reference", 8)::int % {0})::text, 5, '0') ELSE {1} END,
                       CASE WHEN substr(e."Reference", 8)::int % 5 < 2 THEN 40000 ELSE 20000 END * CASE WHEN side = 0 THEN -1 ELSE 1 END, e."CreatedAt", e."BookedAt",
                       e."Kind", e."Reference"
                FROM journal_entries e, generate_series(0, 1) side
                WHERE e."Kind" = 'UsageCharge' AND e."Reference" LIKE 'bench-c%'
                ORDER BY e."BookedAt", e."Id", side
                """, partners, revenue, PayablePrefix);
        }
        else
        {
            var at = start.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlRawAsync($$"""
                WITH RECURSIVE cc(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM cc WHERE c + 1 < {1}),
                               hh(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hh WHERE h + 1 < {2}),
                               fees(n, specs, factors, usages, measures, free, official, settlement) AS (VALUES
                                   (1, '["spec"]', '["Duration"]', '[100000000]', '[4]', '[0]', '[2500000]', '[2000000]'),
                                   (2, '["spec","spec"]', '["Duration","Duration"]', '[100000000,100000000]', '[4,4]', '[0,0]', '[2500000,2500000]', '[2000000,2000000]'))
                INSERT INTO usage_fee_hours ({{FeeColumns}})
                SELECT 'bench-c' || printf('%06d', c), strftime('%Y-%m-%d %H:%M:%S', {0}, '+' || h || ' hours'), strftime('%Y-%m-%d %H:%M:%S', {0}, '+' || (h + 1) || ' hours'),
                       n, 2500000 * n, 2500000 * n, 2000000 * n, {0},
                       CASE WHEN n = 2 THEN json_array('bench-c' || c || '-vm0', 'bench-c' || c || '-vm1') ELSE json_array('bench-c' || c || '-vm0') END,
                       specs, factors, usages, measures, free, official, official, settlement
                FROM (SELECT c, CASE WHEN c % 5 < 2 THEN 2 ELSE 1 END AS k FROM cc), hh, fees WHERE fees.n = k
                """, at, customers, hours);
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE cc(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM cc WHERE c + 1 < {1}),
                               hh(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hh WHERE h + 1 < {2})
                INSERT INTO journal_entries ("Id", "Kind", "Reference", "Description", "CreatedBy", "CreatedAt", "BookedAt")
                SELECT 'usage:bench-c' || printf('%06d', c) || ':' || strftime('%Y%m%d%H', {0}, '+' || (h + 1) || ' hours'), 'UsageCharge',
                       'bench-c' || printf('%06d', c), 'Pay-per-use at settlement price', 'system',
                       strftime('%Y-%m-%d %H:%M:%S', {0}, '+' || (h + 1) || ' hours'), strftime('%Y-%m-%d %H:%M:%S', {0}, '+' || h || ' hours')
                FROM cc, hh
                """, at, customers, hours);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO postings ("EntryId", "AccountId", "Amount", "CreatedAt", "BookedAt", "Kind", "Reference")
                SELECT e."Id", CASE WHEN side = 0 THEN {2} || printf('%05d', CAST(substr(e."Reference", 8) AS INTEGER) % {0}) ELSE {1} END,
                       CASE WHEN CAST(substr(e."Reference", 8) AS INTEGER) % 5 < 2 THEN 40000 ELSE 20000 END * CASE WHEN side = 0 THEN -1 ELSE 1 END,
                       e."CreatedAt", e."BookedAt", e."Kind", e."Reference"
                FROM journal_entries e, (SELECT 0 AS side UNION ALL SELECT 1) s
                WHERE e."Kind" = 'UsageCharge' AND e."Reference" LIKE 'bench-c%'
                ORDER BY e."BookedAt", e."Id", side
                """, partners, revenue, PayablePrefix);
        }
        // Statistics for the planner, as the database would have gathered them over a month of hourly writes.
        // PostgreSQL's autovacuum would also have marked the month's pages all-visible, which index-only scans rely on.
        if (provider == DatabaseProvider.Postgres) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE usage_fee_hours, journal_entries, postings");
        else await db.Database.ExecuteSqlRawAsync("ANALYZE");
        var fees = await db.UsageFeeHours.SumAsync(h => (long)h.Fees);
        var postings = await db.Postings.LongCountAsync(p => p.AccountId.StartsWith(PayablePrefix) && p.BookedAt >= cycle.StartUtc);
        return (fees, postings);
    }

    /// <summary>What a bill run must add up, as one statement: the month's settlement fees per customer, every fee record unnested from its customer-hour row.</summary>
    const string FeesGroupByPostgres = """
        SELECT h."CustomerAccountId", SUM(s), COUNT(*) FROM usage_fee_hours h, unnest(h."SettlementAmounts") s
        WHERE h."Hour" >= @s AND h."Hour" < @e GROUP BY h."CustomerAccountId"
        """;

    const string FeesGroupBySqlite = """
        SELECT h."CustomerAccountId", SUM(s.value), COUNT(*) FROM usage_fee_hours h, json_each(h."SettlementAmounts") s
        WHERE h."Hour" >= @s AND h."Hour" < @e GROUP BY h."CustomerAccountId"
        """;

    /// <summary>What the bill run reads, as one statement: the month's payable postings by partner, entry kind and reference.</summary>
    const string PostingsGroupBy = """
        SELECT "AccountId", "Kind", "Reference", SUM("Amount"), COUNT(*) FROM postings
        WHERE "AccountId" LIKE 'PartnerPayable:%' AND "BookedAt" >= @s AND "BookedAt" < @e GROUP BY "AccountId", "Kind", "Reference"
        """;

    static async Task<double> TimeAsync(Func<Task<int>> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }

    static async Task<int> RawAsync(BenchWorld world, string sql, BillCycle cycle)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandTimeout = 3600;
        var sqlite = db.Database.IsSqlite();
        command.CommandText = sql;
        foreach (var (name, value) in new[] { ("s", cycle.StartUtc), ("e", cycle.EndUtc) })
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = sqlite ? value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : value;
            command.Parameters.Add(p);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync()) rows++;
        return rows;
    }

    /// <summary>What the cycle's bills hold, and what the month charged: 0.04 an hour for the 2-VM customers, 0.02 for the rest.</summary>
    static async Task<(decimal Billed, decimal Charged)> BilledAsync(BenchWorld world, BillCycle cycle, int customers, int hours)
    {
        await using var db = DatabaseRegistration.CreateContext(world.Settings);
        var billed = (await db.PartnerBills.AsNoTracking().Where(b => b.Cycle == cycle.ToString()).Select(b => b.InitialAmountDue).ToListAsync()).Sum();
        var twoVms = Enumerable.Range(0, customers).Count(c => c % 5 < 2);
        return (billed, hours * (twoVms * 0.04m + (customers - twoVms) * 0.02m));
    }
}
