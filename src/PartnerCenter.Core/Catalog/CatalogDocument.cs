using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenter.Core.Catalog;

/// <summary>
/// The catalog file: what ships as the default catalog, what the operator imports and what export writes. Every list is
/// optional on import (merge adds or changes only what it holds). Field names are snake_case in the file.
/// </summary>
public sealed record CatalogDocument(
    List<MeasureUnitEntry>? MeasureUnits = null,
    List<ConversionEntry>? Conversions = null,
    List<RegionEntry>? Regions = null,
    List<ServiceTypeEntry>? ServiceTypes = null,
    List<ResourceTypeEntry>? ResourceTypes = null,
    List<UsageTypeEntry>? UsageTypes = null,
    List<SpecEntry>? Specs = null)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses a catalog file; malformed JSON, unknown fields and wrong types are a parameter error naming the place.</summary>
    public static CatalogDocument Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<CatalogDocument>(json, Json) ?? throw Common.Check.Invalid("The catalog file is empty.");
        }
        catch (JsonException e)
        {
            throw Common.Check.Invalid($"The catalog file is not valid JSON of the catalog shape: {e.Message}");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record MeasureUnitEntry(int? MeasureId, string? MeasureName, string? Abbreviation, int? MeasureType);

/// <summary>One <c>measure_id</c> is <c>conversion_ratio</c> of <c>ref_measure_id</c>.</summary>
public sealed record ConversionEntry(int? MeasureId, int? RefMeasureId, long? ConversionRatio, int? MeasureType);

public sealed record RegionEntry(string? Code, string? Name);

public sealed record ServiceTypeEntry(string? Code, string? Name, string? Abbreviation);

public sealed record ResourceTypeEntry(string? Code, string? Name, string? Description);

public sealed record UsageTypeEntry(string? Code, string? Name, string? ServiceTypeCode, string? ResourceTypeCode, int? UsageMeasureId);

/// <summary>A spec and its price versions; the spec is sold in every region one of its versions names.</summary>
public sealed record SpecEntry(
    string? ServiceTypeCode, string? ResourceTypeCode, string? SpecCode, string? Description,
    int? SizeMeasureId, int? MinSize, int? MaxSize, List<PriceVersionEntry>? Prices);

/// <summary>
/// The prices of a spec in some regions from a date. <c>period_prices</c> keys are <c>day</c>, <c>month</c>,
/// <c>year</c>, <c>hour</c> (the price of one period; per size unit for a linear spec).
/// </summary>
public sealed record PriceVersionEntry(
    List<string>? Regions, DateTime? EffectiveFrom, Dictionary<string, decimal>? PeriodPrices, List<UsagePriceEntry>? UsagePrices);

/// <summary>The price of one usage unit of a factor; tiers start at 0 and ascend (a tier runs up to the next one's start).</summary>
public sealed record UsagePriceEntry(string? UsageFactor, int? UsageMeasureId, List<TierEntry>? Tiers);

public sealed record TierEntry(decimal? From, decimal? UnitPrice);
