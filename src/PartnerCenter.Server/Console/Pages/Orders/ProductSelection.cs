using System.Globalization;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Orders;

namespace PartnerCenter.Server.Console.Pages.Orders;

/// <summary>One choosable period of a spec: its query value (month-3, year-1), label and Huawei codes.</summary>
public sealed record PeriodChoice(string Value, string Label, int PeriodType, int PeriodNum);

/// <summary>
/// What a Buy form has chosen so far, from its query string: service → resource type → spec → region → period →
/// quantity (and size, for a spec priced per unit of size), with the catalog's options at each step. A step with only
/// one option is chosen by itself. <see cref="Product"/> is set once everything needed to price it is chosen.
/// </summary>
public sealed class ProductSelection
{
    public const int MaxQuantity = RatingEngine.MaxSubscriptionNum;

    public string? Service { get; private set; }
    public string? Resource { get; private set; }
    public string? Spec { get; private set; }
    public string? Region { get; private set; }
    public string? Period { get; private set; }
    public int Quantity { get; private set; } = 1;
    public decimal? Size { get; private set; }

    public IReadOnlyList<ServiceType> Services { get; private set; } = [];
    public IReadOnlyList<ResourceType> Resources { get; private set; } = [];
    /// <summary>The spec codes of the chosen resource type sold by the month or year, with their description.</summary>
    public IReadOnlyList<(string Code, string Description)> Specs { get; private set; } = [];
    /// <summary>The regions the chosen spec is sold in, with its prices there.</summary>
    public IReadOnlyList<SpecWithPrices> Regions { get; private set; } = [];
    public IReadOnlyDictionary<string, string> RegionNames { get; private set; } = new Dictionary<string, string>();
    public SpecWithPrices? Chosen { get; private set; }
    public IReadOnlyList<PeriodChoice> Periods { get; private set; } = [];
    public string? SizeUnit { get; private set; }
    /// <summary>Why the choice cannot be priced yet (a wrong quantity or size), when it cannot.</summary>
    public string? Problem { get; private set; }
    public PeriodProduct? Product { get; private set; }

    public string ServiceName(string code) => Services.FirstOrDefault(s => s.Code == code)?.Name ?? code;
    public string ResourceName(string code) => Resources.FirstOrDefault(r => r.Code == code)?.Name ?? code;
    public string RegionName(string code) => RegionNames.GetValueOrDefault(code) ?? code;

    public static async Task<ProductSelection> LoadAsync(CatalogService catalog, string? service, string? resource, string? spec, string? region,
        string? period, string? quantity, string? size, CancellationToken ct)
    {
        var s = new ProductSelection();
        s.Services = (await catalog.ListServiceTypesAsync(null, 0, 1000, ct)).Items;
        s.RegionNames = (await catalog.ListRegionsAsync(ct)).ToDictionary(r => r.Code, r => r.Name);
        s.Service = Pick(service, s.Services.Select(x => x.Code).ToList());
        if (s.Service is null) return s;

        s.Resources = (await catalog.ListServiceResourcesAsync(s.Service, 0, 1000, ct)).Items;
        s.Resource = Pick(resource, s.Resources.Select(x => x.Code).ToList());
        if (s.Resource is null) return s;

        var rows = (await catalog.ListSpecsAsync(new SpecFilter(s.Service, s.Resource, null, 0, 1000), ct)).Items
            .Where(r => PeriodPrices(r).Any()).ToList();
        s.Specs = rows.GroupBy(r => r.Spec.SpecCode).Select(g => (g.Key, g.First().Spec.Description)).ToList();
        s.Spec = Pick(spec, s.Specs.Select(x => x.Code).ToList());
        if (s.Spec is null) return s;

        s.Regions = rows.Where(r => r.Spec.SpecCode == s.Spec).OrderBy(r => r.Spec.Region, StringComparer.Ordinal).ToList();
        if (s.Regions[0].Spec.SizeMeasureId is { } measure)
            s.SizeUnit = (await catalog.ListMeasureUnitsAsync(ct)).FirstOrDefault(u => u.MeasureId == measure)?.Abbreviation ?? "unit";
        s.Region = Pick(region, s.Regions.Select(r => r.Spec.Region).ToList());
        if (s.Region is null) return s;

        var chosen = s.Chosen = s.Regions.Single(r => r.Spec.Region == s.Region);
        var prices = PeriodPrices(chosen).Select(p => p.PeriodType).ToHashSet();
        var periods = new List<PeriodChoice>();
        if (prices.Contains(2)) periods.AddRange(Enumerable.Range(1, 11).Select(n => new PeriodChoice($"month-{n}", OrderFormat.Period(2, n), 2, n)));
        if (prices.Contains(3)) periods.AddRange(Enumerable.Range(1, 3).Select(n => new PeriodChoice($"year-{n}", OrderFormat.Period(3, n), 3, n)));
        s.Periods = periods;
        var choice = periods.FirstOrDefault(p => p.Value == period) ?? periods[0];
        s.Period = choice.Value;

        if (!string.IsNullOrWhiteSpace(quantity))
        {
            if (!int.TryParse(quantity.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var q) || q is < 1 or > MaxQuantity)
            {
                s.Problem = $"The quantity is a whole number from 1 to {MaxQuantity}.";
                return s;
            }
            s.Quantity = q;
        }

        decimal? resourceSize = null;
        if (chosen.Spec.IsLinear)
        {
            var min = chosen.Spec.MinSize ?? 1;
            var max = chosen.Spec.MaxSize ?? int.MaxValue;
            if (string.IsNullOrWhiteSpace(size)) s.Size = min;
            else if (!decimal.TryParse(size.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            {
                s.Problem = $"The size is a whole number from {min} to {max} {s.SizeUnit}.";
                return s;
            }
            else s.Size = v;
            resourceSize = s.Size;
        }

        s.Product = new PeriodProduct(s.Service, s.Resource, s.Spec, s.Region, resourceSize, resourceSize is null ? null : chosen.Spec.SizeMeasureId,
            choice.PeriodType, choice.PeriodNum, s.Quantity);
        return s;
    }

    /// <summary>The product as an order line.</summary>
    public NewOrderLine? Line => Product is { } p
        ? new NewOrderLine(p.CloudServiceType, p.ResourceType, p.ResourceSpec, p.Region, p.ResourceSize, p.SizeMeasureId, p.PeriodType, p.PeriodNum, p.SubscriptionNum)
        : null;

    /// <summary>A spec's monthly and yearly list prices in one region, as an option label.</summary>
    public string PriceLabel(SpecWithPrices row)
    {
        var unit = row.Spec.IsLinear ? "/" + SizeUnit : "";
        return string.Join(" · ", PeriodPrices(row).OrderBy(p => p.PeriodType)
            .Select(p => Partners.PartnerFormat.Money(p.UnitPrice) + unit + (p.PeriodType == 2 ? " a month" : " a year")));
    }

    static IEnumerable<SpecPrice> PeriodPrices(SpecWithPrices row) => row.Current.Where(p => p.Kind == PriceKind.Period && p.PeriodType is 2 or 3);

    /// <summary>The value when it is one of the options, the only option when there is one, otherwise nothing.</summary>
    static string? Pick(string? value, IReadOnlyList<string> options) =>
        !string.IsNullOrEmpty(value) && options.Contains(value) ? value : options.Count == 1 ? options[0] : null;
}
