using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Orders;

/// <summary>The display names of the catalog's service and resource types, for answers that carry a code with its name.</summary>
public sealed record CatalogNames(IReadOnlyDictionary<string, string> ServiceTypes, IReadOnlyDictionary<string, string> ResourceTypes)
{
    /// <summary>The service type's name; its code when the catalog no longer has it.</summary>
    public string ServiceType(string code) => ServiceTypes.GetValueOrDefault(code, code);

    public string ResourceType(string code) => ResourceTypes.GetValueOrDefault(code, code);

    public static async Task<CatalogNames> LoadAsync(AppDbContext db, CancellationToken ct) => new(
        await db.ServiceTypes.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.Name, ct),
        await db.ResourceTypes.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct));

    /// <summary>
    /// Only the name of one service type, for an answer that shows no other (an order's creation): one compiled query
    /// instead of reading both tables on every order.
    /// </summary>
    public static async Task<CatalogNames> OfServiceTypeAsync(AppDbContext db, string code) =>
        new(await ServiceTypeNameQuery(db, code) is { } name ? new Dictionary<string, string> { [code] = name } : new Dictionary<string, string>(),
            new Dictionary<string, string>());

    static readonly Func<AppDbContext, string, Task<string?>> ServiceTypeNameQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string code) => db.ServiceTypes.AsNoTracking().Where(s => s.Code == code).Select(s => s.Name).FirstOrDefault());
}

/// <summary>When the resources a line bought or renewed start and end (its paid stretches); absent for a line nothing was paid for.</summary>
public sealed record LineTerm(DateTime Effective, DateTime Expire);

/// <summary>An order with what its answers show beside it: its lines' terms and the catalog's names.</summary>
public sealed record OrderDetails(Order Order, IReadOnlyDictionary<string, LineTerm> Terms, CatalogNames Names);
