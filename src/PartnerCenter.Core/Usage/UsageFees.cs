using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Usage;

/// <summary>
/// Reads fee records out of their <see cref="UsageFeeHour"/> rows: the rows are selected in SQL (by customer, hour and
/// run, the key's order) and their fees expanded here, streamed so that a month of a large customer never sits in memory.
/// </summary>
public static class UsageFees
{
    /// <summary>A customer's fees of a bill cycle: the runs in (<paramref name="start"/>, <paramref name="end"/>], for hours before <paramref name="end"/>.</summary>
    public static IQueryable<UsageFeeHour> InCycle(AppDbContext db, string customer, DateTime start, DateTime end) =>
        db.UsageFeeHours.AsNoTracking().Where(x => x.CustomerAccountId == customer && x.Hour < end && x.RatingPeriod > start && x.RatingPeriod <= end);

    /// <summary>The same for several customers in one statement.</summary>
    public static IQueryable<UsageFeeHour> InCycle(AppDbContext db, IReadOnlyCollection<string> customers, DateTime start, DateTime end) =>
        db.UsageFeeHours.AsNoTracking().Where(x => customers.Contains(x.CustomerAccountId) && x.Hour < end && x.RatingPeriod > start && x.RatingPeriod <= end);

    /// <summary>
    /// Every fee of <paramref name="rows"/> (rows of <paramref name="customers"/>), in the rows' order (a row's fees in the
    /// order they were rated).
    /// </summary>
    public static async IAsyncEnumerable<UsageFee> ReadAsync(AppDbContext db, IQueryable<UsageFeeHour> rows, IReadOnlyCollection<string> customers,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        // The specs of the customers' resources answer almost every fee (found from the customers given, not from the
        // rows, which would read them twice); a fee of a spec a resource has left since (a spec change) waits in its row
        // until the stream ends and its spec is read then (one query cannot run during another).
        var specs = await Places(db, db.CloudResources.Where(r => customers.Contains(r.CustomerAccountId)).Select(r => r.SpecId).Distinct(), ct);
        var waiting = new List<UsageFeeHour>();
        await foreach (var row in rows.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!row.SpecIds.All(specs.ContainsKey))
            {
                waiting.Add(row);
                continue;
            }
            for (var i = 0; i < row.Fees; i++) yield return row.Fee(i, specs[row.SpecIds[i]]);
        }
        if (waiting.Count == 0) yield break;
        var missing = waiting.SelectMany(r => r.SpecIds).Where(s => !specs.ContainsKey(s)).Distinct().ToList();
        foreach (var (id, place) in await Places(db, db.ResourceSpecs.Where(s => missing.Contains(s.Id)).Select(s => s.Id), ct)) specs[id] = place;
        foreach (var row in waiting)
            for (var i = 0; i < row.Fees; i++)
                yield return row.Fee(i, specs.TryGetValue(row.SpecIds[i], out var place) ? place : throw new InvalidOperationException($"Spec {row.SpecIds[i]} of a fee is not in the catalog."));
    }

    /// <summary>The fees of <paramref name="rows"/> as a list (a test's), whoever's they are.</summary>
    public static async Task<List<UsageFee>> ListAsync(AppDbContext db, IQueryable<UsageFeeHour> rows, CancellationToken ct = default)
    {
        var customers = await rows.Select(r => r.CustomerAccountId).Distinct().ToListAsync(ct);
        var fees = new List<UsageFee>();
        await foreach (var fee in ReadAsync(db, rows, customers, ct)) fees.Add(fee);
        return fees;
    }

    static Task<Dictionary<string, (string Service, string ResourceType, string Region)>> Places(AppDbContext db, IQueryable<string> specIds, CancellationToken ct) =>
        db.ResourceSpecs.AsNoTracking().Where(s => specIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => (s.ServiceTypeCode, s.ResourceTypeCode, s.Region), ct);
}
