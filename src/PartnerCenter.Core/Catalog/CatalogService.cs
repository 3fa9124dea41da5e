using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Catalog;

public sealed record ImportSummary(int ServiceTypes, int ResourceTypes, int UsageTypes, int Specs, int PriceVersions);

/// <summary>A new price version of one spec (same shape as a version in the catalog file, without regions).</summary>
public sealed record PriceVersionInput(DateTime? EffectiveFrom, Dictionary<string, decimal>? PeriodPrices, List<UsagePriceEntry>? UsagePrices);

/// <summary>A spec with the price version in force (for lists and the console).</summary>
public sealed record SpecWithPrices(ResourceSpec Spec, DateTime? EffectiveFrom, IReadOnlyList<SpecPrice> Current, IReadOnlyList<DateTime> Versions);

public sealed record UsageTypeView(UsageType Type, string ServiceTypeName, string ResourceTypeName);

public sealed record ResourceTypeView(ResourceType Type, string? ServiceTypeCode);

/// <summary>A spec's filters for ListResourceSpecs; empty values filter nothing.</summary>
public sealed record SpecBasicsFilter(string? ServiceTypeCode, string? ResourceTypeCode, string? Region, string? ChargeMode, string? SpecCode);

/// <summary>One sellable spec in one region by one charge mode, with the names of its service and resource type.</summary>
public sealed record SpecBasic(string ServiceTypeCode, string ServiceTypeName, string ResourceTypeCode, string ResourceTypeName, string SpecCode, string SpecName,
    string ChargeMode, string Region);

/// <summary>Huawei's charge_mode codes of the product catalog.</summary>
public static class ChargeModes
{
    public const string Period = "1";
    public const string OnDemand = "3";
}

public sealed record SpecFilter(string? ServiceTypeCode, string? ResourceTypeCode, string? Region, int? Offset, int? Limit);

/// <summary>
/// The product catalog: reference data (units, regions, service/resource/usage types), specs and their price versions.
/// Anyone signed in reads it; only the operator imports, exports or changes prices.
/// </summary>
public sealed class CatalogService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public const string ImportAction = "bss:catalog:update";
    public const string ExportAction = "bss:catalog:view";

    /// <summary>Period keys of the catalog file and Huawei's period_type codes.</summary>
    public static readonly IReadOnlyDictionary<string, int> PeriodKeys = new Dictionary<string, int> { ["day"] = 0, ["month"] = 2, ["year"] = 3, ["hour"] = 4 };

    public static string PeriodKey(int periodType) => PeriodKeys.First(p => p.Value == periodType).Key;

    // ---- reads ----

    public Task<(List<ServiceType> Items, int Total)> ListServiceTypesAsync(string? code, int? offset, int? limit, CancellationToken ct = default) =>
        ListServiceTypesAsync(code, null, offset, limit, ct);

    /// <summary>ListServiceTypes: by code and/or exact name (empty: any).</summary>
    public async Task<(List<ServiceType> Items, int Total)> ListServiceTypesAsync(string? code, string? name, int? offset, int? limit, CancellationToken ct = default)
    {
        Check.MaxLength(name, "service_type_name", 128);
        var q = db.ServiceTypes.AsNoTracking()
            .Where(s => code == null || code == "" || s.Code == code)
            .Where(s => name == null || name == "" || s.Name == name);
        return (await Page(q.OrderBy(s => s.Code), offset, limit).ToListAsync(ct), await q.CountAsync(ct));
    }

    /// <summary>
    /// Resource types, each with the service it is sold under: a resource type of several services names the first by
    /// code of those with a spec (else with a usage type) of it; none when nothing sells it.
    /// </summary>
    public async Task<(List<ResourceTypeView> Items, int Total)> ListResourceTypesAsync(string? code, int? offset, int? limit, CancellationToken ct = default)
    {
        var q = db.ResourceTypes.AsNoTracking().Where(r => code == null || code == "" || r.Code == code);
        var items = await Page(q.OrderBy(r => r.Code), offset, limit).ToListAsync(ct);
        var codes = items.Select(r => r.Code).ToList();
        var bySpec = await db.ResourceSpecs.AsNoTracking().Where(s => codes.Contains(s.ResourceTypeCode))
            .GroupBy(s => s.ResourceTypeCode).Select(g => new { g.Key, Service = g.Min(s => s.ServiceTypeCode) }).ToDictionaryAsync(x => x.Key, x => x.Service, ct);
        var byUsage = await db.UsageTypes.AsNoTracking().Where(u => codes.Contains(u.ResourceTypeCode))
            .GroupBy(u => u.ResourceTypeCode).Select(g => new { g.Key, Service = g.Min(u => u.ServiceTypeCode) }).ToDictionaryAsync(x => x.Key, x => x.Service, ct);
        return (items.Select(r => new ResourceTypeView(r, bySpec.GetValueOrDefault(r.Code) ?? byUsage.GetValueOrDefault(r.Code))).ToList(), await q.CountAsync(ct));
    }

    /// <summary>ListServiceResources: the resource types sold under a service (those with a spec in it).</summary>
    public async Task<(List<ResourceType> Items, int Total)> ListServiceResourcesAsync(string? serviceTypeCode, int? offset, int? limit, CancellationToken ct = default)
    {
        Check.Required(serviceTypeCode, "service_type_code");
        var codes = db.ResourceSpecs.Where(s => s.ServiceTypeCode == serviceTypeCode).Select(s => s.ResourceTypeCode);
        var q = db.ResourceTypes.AsNoTracking().Where(r => codes.Contains(r.Code));
        return (await Page(q.OrderBy(r => r.Code), offset, limit).ToListAsync(ct), await q.CountAsync(ct));
    }

    /// <summary>Usage types with the names of their service and resource type.</summary>
    public async Task<(List<UsageTypeView> Items, int Total)> ListUsageTypesAsync(string? resourceTypeCode, int? offset, int? limit, CancellationToken ct = default)
    {
        var q = db.UsageTypes.AsNoTracking().Where(u => resourceTypeCode == null || resourceTypeCode == "" || u.ResourceTypeCode == resourceTypeCode);
        var items = await Page(q.OrderBy(u => u.ResourceTypeCode).ThenBy(u => u.Code), offset, limit).ToListAsync(ct);
        var services = await db.ServiceTypes.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.Name, ct);
        var resources = await db.ResourceTypes.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        return (items.Select(u => new UsageTypeView(u, services.GetValueOrDefault(u.ServiceTypeCode, ""), resources.GetValueOrDefault(u.ResourceTypeCode, ""))).ToList(),
            await q.CountAsync(ct));
    }

    public Task<List<MeasureUnit>> ListMeasureUnitsAsync(CancellationToken ct = default) =>
        db.MeasureUnits.AsNoTracking().OrderBy(m => m.MeasureId).ToListAsync(ct);

    public Task<List<MeasureConversion>> ListConversionsAsync(int? measureType, CancellationToken ct = default) =>
        db.MeasureConversions.AsNoTracking().Where(c => measureType == null || c.MeasureType == measureType)
            .OrderBy(c => c.MeasureId).ThenBy(c => c.RefMeasureId).ToListAsync(ct);

    public Task<List<CatalogRegion>> ListRegionsAsync(CancellationToken ct = default) =>
        db.CatalogRegions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);

    /// <summary>The console's spec lists: specs by service, resource type and region, each with its prices in force now.</summary>
    public async Task<(List<SpecWithPrices> Items, int Total)> ListSpecsAsync(SpecFilter f, CancellationToken ct = default)
    {
        var q = db.ResourceSpecs.AsNoTracking()
            .Where(s => f.ServiceTypeCode == null || f.ServiceTypeCode == "" || s.ServiceTypeCode == f.ServiceTypeCode)
            .Where(s => f.ResourceTypeCode == null || f.ResourceTypeCode == "" || s.ResourceTypeCode == f.ResourceTypeCode)
            .Where(s => f.Region == null || f.Region == "" || s.Region == f.Region);
        var total = await q.CountAsync(ct);
        var specs = await Page(q.OrderBy(s => s.ServiceTypeCode).ThenBy(s => s.ResourceTypeCode).ThenBy(s => s.SpecCode).ThenBy(s => s.Region), f.Offset, f.Limit, max: 1000)
            .ToListAsync(ct);
        var ids = specs.Select(s => s.Id).ToList();
        var prices = await db.SpecPrices.AsNoTracking().Where(p => ids.Contains(p.SpecId)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return (specs.Select(s =>
        {
            var mine = prices.Where(p => p.SpecId == s.Id).ToList();
            var versions = mine.Select(p => p.EffectiveFrom).Distinct().Order().ToList();
            DateTime? current = versions.Where(v => v <= now).Cast<DateTime?>().LastOrDefault();
            return new SpecWithPrices(s, current, mine.Where(p => p.EffectiveFrom == current).OrderBy(p => p.Kind).ThenBy(p => p.PeriodType).ThenBy(p => p.UsageFactor).ThenBy(p => p.TierStart).ToList(), versions);
        }).ToList(), total);
    }

    /// <summary>
    /// ListResourceSpecs: one row per spec, region and charge mode its price version in force sells it by
    /// (<see cref="ChargeModes"/>), in a stable order, <paramref name="limit"/> rows from <paramref name="marker"/>.
    /// The marker is the position of the next row (given back as next_marker while rows remain).
    /// </summary>
    public async Task<(List<SpecBasic> Items, string? NextMarker)> ListSpecBasicsAsync(SpecBasicsFilter f, string? marker, int? limit, CancellationToken ct = default)
    {
        foreach (var (value, field) in new[] { (f.ServiceTypeCode, "cloud_service_type"), (f.ResourceTypeCode, "resource_type"), (f.Region, "region_code"), (f.SpecCode, "filters.value") })
            Check.MaxLength(value, field, 128);
        if (f.ChargeMode is not (null or "" or ChargeModes.Period or ChargeModes.OnDemand))
            throw Check.Invalid($"charge_mode must be {ChargeModes.Period} (yearly/monthly) or {ChargeModes.OnDemand} (pay-per-use).");
        var skip = 0;
        if (!string.IsNullOrEmpty(marker) && (marker.Length > 9 || !int.TryParse(marker, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skip)))
            throw Check.Invalid("marker must be a next_marker this API answered.");
        var take = limit ?? 100;
        if (take is < 1 or > 100) throw Check.Invalid("limit must be 1 to 100.");

        var specs = await db.ResourceSpecs.AsNoTracking()
            .Where(s => f.ServiceTypeCode == null || f.ServiceTypeCode == "" || s.ServiceTypeCode == f.ServiceTypeCode)
            .Where(s => f.ResourceTypeCode == null || f.ResourceTypeCode == "" || s.ResourceTypeCode == f.ResourceTypeCode)
            .Where(s => f.Region == null || f.Region == "" || s.Region == f.Region)
            .Where(s => f.SpecCode == null || f.SpecCode == "" || s.SpecCode == f.SpecCode)
            .OrderBy(s => s.ServiceTypeCode).ThenBy(s => s.ResourceTypeCode).ThenBy(s => s.SpecCode).ThenBy(s => s.Region).ToListAsync(ct);
        var ids = specs.Select(s => s.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var lines = (await db.SpecPrices.AsNoTracking().Where(p => ids.Contains(p.SpecId) && p.EffectiveFrom <= now)
            .Select(p => new { p.SpecId, p.EffectiveFrom, p.Kind }).ToListAsync(ct)).ToLookup(p => p.SpecId);
        var services = await db.ServiceTypes.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.Name, ct);
        var resources = await db.ResourceTypes.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var rows = specs.SelectMany(s =>
        {
            var mine = lines[s.Id].ToList();
            var current = mine.Count == 0 ? (DateTime?)null : mine.Max(p => p.EffectiveFrom);
            var kinds = mine.Where(p => p.EffectiveFrom == current).Select(p => p.Kind).ToHashSet();
            return new[] { (PriceKind.Period, ChargeModes.Period), (PriceKind.Usage, ChargeModes.OnDemand) }
                .Where(k => kinds.Contains(k.Item1) && (string.IsNullOrEmpty(f.ChargeMode) || f.ChargeMode == k.Item2))
                .Select(k => new SpecBasic(s.ServiceTypeCode, services.GetValueOrDefault(s.ServiceTypeCode, s.ServiceTypeCode), s.ResourceTypeCode,
                    resources.GetValueOrDefault(s.ResourceTypeCode, s.ResourceTypeCode), s.SpecCode, s.Description == "" ? s.SpecCode : s.Description, k.Item2, s.Region));
        }).ToList();
        var page = rows.Skip(skip).Take(take).ToList();
        return (page, skip + take < rows.Count ? (skip + take).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    static IQueryable<T> Page<T>(IOrderedQueryable<T> q, int? offset, int? limit, int max = 1000)
    {
        var o = offset ?? 0;
        var l = limit ?? 10;
        if (o < 0) throw Check.Invalid("offset must be 0 or more.");
        if (l < 1 || l > max) throw Check.Invalid($"limit must be 1 to {max}.");
        return q.Skip(o).Take(l);
    }

    // ---- operator: import, export, price versions ----

    /// <summary>
    /// Imports a catalog file. <paramref name="replace"/>: the catalog becomes exactly the file (every spec and price
    /// history not in it is removed). Otherwise merge: entries are added or updated by their code, and each price
    /// version replaces the spec's version with the same effective date or is added next to the others.
    /// The whole file is checked first; nothing is written when any part is wrong.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(Caller caller, CatalogDocument document, bool replace, CancellationToken ct = default)
    {
        await RequireOperatorAsync(caller, ImportAction, "import the catalog", ct);
        return await ApplyAsync(document, replace, ct);
    }

    public async Task<CatalogDocument> ExportAsync(Caller caller, CancellationToken ct = default)
    {
        await RequireOperatorAsync(caller, ExportAction, "export the catalog", ct);
        var specs = await db.ResourceSpecs.AsNoTracking().OrderBy(s => s.ServiceTypeCode).ThenBy(s => s.ResourceTypeCode).ThenBy(s => s.SpecCode).ThenBy(s => s.Region).ToListAsync(ct);
        var prices = (await db.SpecPrices.AsNoTracking().ToListAsync(ct)).ToLookup(p => p.SpecId);
        return new CatalogDocument(
            (await ListMeasureUnitsAsync(ct)).Select(m => new MeasureUnitEntry(m.MeasureId, m.Name, m.Abbreviation, m.MeasureType)).ToList(),
            (await ListConversionsAsync(null, ct)).Select(c => new ConversionEntry(c.MeasureId, c.RefMeasureId, c.Ratio, c.MeasureType)).ToList(),
            (await ListRegionsAsync(ct)).Select(r => new RegionEntry(r.Code, r.Name)).ToList(),
            (await db.ServiceTypes.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct)).Select(s => new ServiceTypeEntry(s.Code, s.Name, s.Abbreviation)).ToList(),
            (await db.ResourceTypes.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct)).Select(r => new ResourceTypeEntry(r.Code, r.Name, r.Description)).ToList(),
            (await db.UsageTypes.AsNoTracking().OrderBy(u => u.ResourceTypeCode).ThenBy(u => u.Code).ToListAsync(ct))
                .Select(u => new UsageTypeEntry(u.Code, u.Name, u.ServiceTypeCode, u.ResourceTypeCode, u.UsageMeasureId)).ToList(),
            // One entry per spec code, its versions region by region (a spec code is described once, priced per region).
            specs.GroupBy(s => (s.ServiceTypeCode, s.ResourceTypeCode, s.SpecCode)).Select(g =>
            {
                var s = g.First();
                return new SpecEntry(s.ServiceTypeCode, s.ResourceTypeCode, s.SpecCode, s.Description, s.SizeMeasureId, s.MinSize, s.MaxSize,
                    g.SelectMany(r => prices[r.Id].GroupBy(p => p.EffectiveFrom).OrderBy(v => v.Key).Select(v => ToEntry(r.Region, v.Key, v))).ToList());
            }).ToList());
    }

    /// <summary>
    /// Schedules new prices for one spec from a date (now or later: the past is history and never rewritten). The version
    /// in force until then keeps applying; quotes and charges from that date use the new one.
    /// </summary>
    public async Task AddPriceVersionAsync(Caller caller, string specId, PriceVersionInput input, CancellationToken ct = default)
    {
        await RequireOperatorAsync(caller, ImportAction, "change prices", ct);
        var spec = await db.ResourceSpecs.AsNoTracking().SingleOrDefaultAsync(s => s.Id == specId, ct) ?? throw new ServiceException(Errors.SpecNotFound());
        var at = input.EffectiveFrom ?? throw Check.Invalid("effective_from is required.");
        at = DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc);
        var now = clock.GetUtcNow().UtcDateTime;
        if (at < now.AddMinutes(-1)) throw Check.Invalid("effective_from cannot be in the past: earlier prices are history.");
        if (await db.SpecPrices.AnyAsync(p => p.SpecId == specId && p.EffectiveFrom == at, ct))
            throw Check.Invalid("A price version of this spec already takes effect at that time.");
        var units = await db.MeasureUnits.AsNoTracking().Select(m => m.MeasureId).ToListAsync(ct);
        var lines = PriceLines(spec.Id, at, input.PeriodPrices, input.UsagePrices, units.ToHashSet(), "price version");
        db.SpecPrices.AddRange(lines);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>At the first start: load the default catalog when the catalog is empty.</summary>
    public async Task LoadDefaultIfEmptyAsync(CancellationToken ct = default)
    {
        if (await db.ServiceTypes.AnyAsync(ct)) return;
        await ApplyAsync(DefaultCatalog.Load(), replace: false, ct);
    }

    async Task RequireOperatorAsync(Caller caller, string action, string what, CancellationToken ct)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly(what));
        await access.RequireAsync(caller, action, ct);
    }

    static PriceVersionEntry ToEntry(string region, DateTime at, IEnumerable<SpecPrice> lines)
    {
        var list = lines.ToList();
        var period = list.Where(p => p.Kind == PriceKind.Period).ToDictionary(p => PeriodKey(p.PeriodType!.Value), p => p.UnitPrice);
        var usage = list.Where(p => p.Kind == PriceKind.Usage).GroupBy(p => (p.UsageFactor, p.UsageMeasureId))
            .Select(g => new UsagePriceEntry(g.Key.UsageFactor, g.Key.UsageMeasureId, g.OrderBy(p => p.TierStart).Select(p => new TierEntry(p.TierStart, p.UnitPrice)).ToList()))
            .ToList();
        return new PriceVersionEntry([region], at, period.Count == 0 ? null : period, usage.Count == 0 ? null : usage);
    }

    async Task<ImportSummary> ApplyAsync(CatalogDocument doc, bool replace, CancellationToken ct)
    {
        // Check everything against the file plus (when merging) what is already there, before writing anything.
        var units = (doc.MeasureUnits ?? []).Select((m, i) =>
        {
            var at = $"measure_units[{i}]";
            if (m.MeasureId is not (> 0 and < 10000)) throw Check.Invalid($"{at}.measure_id must be 1 to 9999.");
            return new MeasureUnit { MeasureId = m.MeasureId.Value, Name = Text(m.MeasureName, at + ".measure_name", 64), Abbreviation = Text(m.Abbreviation, at + ".abbreviation", 32), MeasureType = m.MeasureType ?? 0 };
        }).ToList();
        Unique(units.Select(u => u.MeasureId.ToString()), "measure_units");
        var regions = (doc.Regions ?? []).Select((r, i) => new CatalogRegion { Code = Code(r.Code, $"regions[{i}].code"), Name = Text(r.Name, $"regions[{i}].name", 128) }).ToList();
        Unique(regions.Select(r => r.Code), "regions");
        var services = (doc.ServiceTypes ?? []).Select((s, i) => new ServiceType { Code = Code(s.Code, $"service_types[{i}].code"), Name = Text(s.Name, $"service_types[{i}].name", 128), Abbreviation = Check.MaxLength(s.Abbreviation, $"service_types[{i}].abbreviation", 32) }).ToList();
        Unique(services.Select(s => s.Code), "service_types");
        var resourceTypes = (doc.ResourceTypes ?? []).Select((r, i) => new ResourceType { Code = Code(r.Code, $"resource_types[{i}].code"), Name = Text(r.Name, $"resource_types[{i}].name", 128), Description = Check.MaxLength(r.Description, $"resource_types[{i}].description", 512) }).ToList();
        Unique(resourceTypes.Select(r => r.Code), "resource_types");

        var known = replace ? new KnownCodes([], [], [], []) : new KnownCodes(
            (await db.MeasureUnits.Select(m => m.MeasureId).ToListAsync(ct)).ToHashSet(),
            (await db.CatalogRegions.Select(r => r.Code).ToListAsync(ct)).ToHashSet(),
            (await db.ServiceTypes.Select(s => s.Code).ToListAsync(ct)).ToHashSet(),
            (await db.ResourceTypes.Select(r => r.Code).ToListAsync(ct)).ToHashSet());
        known.Units.UnionWith(units.Select(u => u.MeasureId));
        known.Regions.UnionWith(regions.Select(r => r.Code));
        known.Services.UnionWith(services.Select(s => s.Code));
        known.ResourceTypes.UnionWith(resourceTypes.Select(r => r.Code));

        var conversions = (doc.Conversions ?? []).Select((c, i) =>
        {
            var at = $"conversions[{i}]";
            if (c.MeasureId is not { } m || !known.Units.Contains(m)) throw Check.Invalid($"{at}.measure_id is not a known measure unit.");
            if (c.RefMeasureId is not { } r || !known.Units.Contains(r) || r == m) throw Check.Invalid($"{at}.ref_measure_id is not another known measure unit.");
            if (c.ConversionRatio is not > 0) throw Check.Invalid($"{at}.conversion_ratio must be greater than 0.");
            return new MeasureConversion { MeasureId = m, RefMeasureId = r, Ratio = c.ConversionRatio.Value, MeasureType = c.MeasureType ?? 0 };
        }).ToList();
        Unique(conversions.Select(c => c.MeasureId + "/" + c.RefMeasureId), "conversions");
        var usageTypes = (doc.UsageTypes ?? []).Select((u, i) =>
        {
            var at = $"usage_types[{i}]";
            var service = Code(u.ServiceTypeCode, at + ".service_type_code");
            var resource = Code(u.ResourceTypeCode, at + ".resource_type_code");
            if (!known.Services.Contains(service)) throw Check.Invalid($"{at}.service_type_code {service} is not a known service type.");
            if (!known.ResourceTypes.Contains(resource)) throw Check.Invalid($"{at}.resource_type_code {resource} is not a known resource type.");
            if (u.UsageMeasureId is not { } measure || !known.Units.Contains(measure)) throw Check.Invalid($"{at}.usage_measure_id is not a known measure unit.");
            return new UsageType { Code = Code(u.Code, at + ".code"), Name = Text(u.Name, at + ".name", 128), ServiceTypeCode = service, ResourceTypeCode = resource, UsageMeasureId = measure };
        }).ToList();
        Unique(usageTypes.Select(u => u.ResourceTypeCode + "/" + u.Code), "usage_types");

        var specs = new List<(ResourceSpec Spec, List<SpecPrice> Prices)>();
        foreach (var (s, i) in (doc.Specs ?? []).Select((s, i) => (s, i)))
        {
            var at = $"specs[{i}]";
            var service = Code(s.ServiceTypeCode, at + ".service_type_code");
            var resource = Code(s.ResourceTypeCode, at + ".resource_type_code");
            var specCode = Code(s.SpecCode, at + ".spec_code");
            if (!known.Services.Contains(service)) throw Check.Invalid($"{at}.service_type_code {service} is not a known service type.");
            if (!known.ResourceTypes.Contains(resource)) throw Check.Invalid($"{at}.resource_type_code {resource} is not a known resource type.");
            if (s.SizeMeasureId is { } size)
            {
                if (!known.Units.Contains(size)) throw Check.Invalid($"{at}.size_measure_id is not a known measure unit.");
                if (s.MinSize is not >= 1 || s.MaxSize is not { } max || max < s.MinSize) throw Check.Invalid($"{at}: a linear spec needs 1 <= min_size <= max_size.");
            }
            else if (s.MinSize is not null || s.MaxSize is not null) throw Check.Invalid($"{at}: min_size and max_size need a size_measure_id.");
            if (s.Prices is not { Count: > 0 }) throw Check.Invalid($"{at}.prices needs at least one price version.");
            foreach (var (v, j) in s.Prices.Select((v, j) => (v, j)))
            {
                var vat = $"{at}.prices[{j}]";
                if (v.Regions is not { Count: > 0 }) throw Check.Invalid($"{vat}.regions needs at least one region.");
                var effective = v.EffectiveFrom ?? throw Check.Invalid($"{vat}.effective_from is required.");
                effective = DateTime.SpecifyKind(effective.ToUniversalTime(), DateTimeKind.Utc);
                foreach (var region in v.Regions)
                {
                    if (region is null || !known.Regions.Contains(region)) throw Check.Invalid($"{vat}.regions: {region} is not a known region.");
                    var existing = specs.FirstOrDefault(x => x.Spec.ServiceTypeCode == service && x.Spec.ResourceTypeCode == resource && x.Spec.SpecCode == specCode && x.Spec.Region == region);
                    if (existing.Spec is null)
                    {
                        existing = (new ResourceSpec
                        {
                            Id = Ids.New(), ServiceTypeCode = service, ResourceTypeCode = resource, SpecCode = specCode, Region = region,
                            Description = Check.MaxLength(s.Description, at + ".description", 512), SizeMeasureId = s.SizeMeasureId, MinSize = s.MinSize, MaxSize = s.MaxSize,
                        }, []);
                        specs.Add(existing);
                    }
                    if (existing.Prices.Any(p => p.EffectiveFrom == effective)) throw Check.Invalid($"{vat}: {region} already has a version from {effective:O}.");
                    existing.Prices.AddRange(PriceLines(existing.Spec.Id, effective, v.PeriodPrices, v.UsagePrices, known.Units, vat));
                }
            }
        }
        var specCodes = (doc.Specs ?? []).Select(s => (s.ServiceTypeCode, s.ResourceTypeCode, s.SpecCode)).ToList();
        if (specCodes.Distinct().Count() != specCodes.Count) throw Check.Invalid("specs: a spec appears more than once.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (replace)
        {
            await db.SpecPrices.ExecuteDeleteAsync(ct);
            await db.ResourceSpecs.ExecuteDeleteAsync(ct);
            await db.UsageTypes.ExecuteDeleteAsync(ct);
            await db.MeasureConversions.ExecuteDeleteAsync(ct);
            await db.ResourceTypes.ExecuteDeleteAsync(ct);
            await db.ServiceTypes.ExecuteDeleteAsync(ct);
            await db.CatalogRegions.ExecuteDeleteAsync(ct);
            await db.MeasureUnits.ExecuteDeleteAsync(ct);
        }
        await UpsertAsync(db.MeasureUnits, units, u => [u.MeasureId], (old, u) => { old.Name = u.Name; old.Abbreviation = u.Abbreviation; old.MeasureType = u.MeasureType; }, ct);
        await UpsertAsync(db.CatalogRegions, regions, r => [r.Code], (old, r) => old.Name = r.Name, ct);
        await UpsertAsync(db.ServiceTypes, services, s => [s.Code], (old, s) => { old.Name = s.Name; old.Abbreviation = s.Abbreviation; }, ct);
        await UpsertAsync(db.ResourceTypes, resourceTypes, r => [r.Code], (old, r) => { old.Name = r.Name; old.Description = r.Description; }, ct);
        await UpsertAsync(db.MeasureConversions, conversions, c => [c.MeasureId, c.RefMeasureId], (old, c) => { old.Ratio = c.Ratio; old.MeasureType = c.MeasureType; }, ct);
        await UpsertAsync(db.UsageTypes, usageTypes, u => [u.ResourceTypeCode, u.Code], (old, u) => { old.Name = u.Name; old.ServiceTypeCode = u.ServiceTypeCode; old.UsageMeasureId = u.UsageMeasureId; }, ct);
        var versions = 0;
        foreach (var (spec, prices) in specs)
        {
            var old = replace ? null : await db.ResourceSpecs.SingleOrDefaultAsync(s => s.ServiceTypeCode == spec.ServiceTypeCode && s.ResourceTypeCode == spec.ResourceTypeCode
                                                                                       && s.SpecCode == spec.SpecCode && s.Region == spec.Region, ct);
            var id = spec.Id;
            if (old is null) db.ResourceSpecs.Add(spec);
            else
            {
                id = old.Id;
                old.Description = spec.Description;
                old.SizeMeasureId = spec.SizeMeasureId;
                old.MinSize = spec.MinSize;
                old.MaxSize = spec.MaxSize;
                var dates = prices.Select(p => p.EffectiveFrom).Distinct().ToList();
                await db.SpecPrices.Where(p => p.SpecId == id && dates.Contains(p.EffectiveFrom)).ExecuteDeleteAsync(ct);
            }
            versions += prices.Select(p => p.EffectiveFrom).Distinct().Count();
            db.SpecPrices.AddRange(prices.Select(p => new SpecPrice
            {
                SpecId = id, EffectiveFrom = p.EffectiveFrom, Kind = p.Kind, PeriodType = p.PeriodType, UsageFactor = p.UsageFactor,
                UsageMeasureId = p.UsageMeasureId, TierStart = p.TierStart, UnitPrice = p.UnitPrice,
            }));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ImportSummary(services.Count, resourceTypes.Count, usageTypes.Count, specs.Count, versions);
    }

    sealed record KnownCodes(HashSet<int> Units, HashSet<string> Regions, HashSet<string> Services, HashSet<string> ResourceTypes);

    /// <summary>Adds the entities that are new and updates the ones whose key already exists.</summary>
    static async Task UpsertAsync<T>(DbSet<T> set, List<T> items, Func<T, object[]> key, Action<T, T> update, CancellationToken ct) where T : class
    {
        foreach (var item in items)
        {
            var old = await set.FindAsync(key(item), ct);
            if (old is null) set.Add(item);
            else update(old, item);
        }
    }

    /// <summary>The price lines of one version, checked: known period keys, prices 0 or more with at most 8 decimals, tiers from 0 ascending.</summary>
    static List<SpecPrice> PriceLines(string specId, DateTime effective, Dictionary<string, decimal>? period, List<UsagePriceEntry>? usage, HashSet<int> units, string at)
    {
        var lines = new List<SpecPrice>();
        foreach (var (key, price) in period ?? [])
        {
            if (!PeriodKeys.TryGetValue(key, out var periodType)) throw Check.Invalid($"{at}.period_prices: {key} is not one of day, month, year, hour.");
            lines.Add(new SpecPrice { SpecId = specId, EffectiveFrom = effective, Kind = PriceKind.Period, PeriodType = periodType, UnitPrice = Price(price, $"{at}.period_prices.{key}") });
        }
        foreach (var (u, i) in (usage ?? []).Select((u, i) => (u, i)))
        {
            var uat = $"{at}.usage_prices[{i}]";
            var factor = Code(u.UsageFactor, uat + ".usage_factor");
            if (u.UsageMeasureId is not { } measure || !units.Contains(measure)) throw Check.Invalid($"{uat}.usage_measure_id is not a known measure unit.");
            if (lines.Any(l => l.Kind == PriceKind.Usage && l.UsageFactor == factor)) throw Check.Invalid($"{uat}: usage factor {factor} is priced twice.");
            if (u.Tiers is not { Count: > 0 }) throw Check.Invalid($"{uat}.tiers needs at least one tier.");
            decimal previous = -1;
            foreach (var (t, j) in u.Tiers.Select((t, j) => (t, j)))
            {
                var from = t.From ?? (j == 0 ? 0 : throw Check.Invalid($"{uat}.tiers[{j}].from is required."));
                if (j == 0 && from != 0) throw Check.Invalid($"{uat}.tiers[0].from must be 0.");
                if (from <= previous || !Money.HasAtMostEightDecimals(from)) throw Check.Invalid($"{uat}.tiers must ascend by from (at most 8 decimals).");
                previous = from;
                lines.Add(new SpecPrice
                {
                    SpecId = specId, EffectiveFrom = effective, Kind = PriceKind.Usage, UsageFactor = factor, UsageMeasureId = measure,
                    TierStart = from, UnitPrice = Price(t.UnitPrice, $"{uat}.tiers[{j}].unit_price"),
                });
            }
        }
        if (lines.Count == 0) throw Check.Invalid($"{at} has no period_prices and no usage_prices.");
        return lines;
    }

    const decimal MaxUnitPrice = 10_000_000m;

    static decimal Price(decimal? value, string at)
    {
        if (value is not { } v || v < 0 || v > MaxUnitPrice) throw Check.Invalid($"{at} must be 0 to {MaxUnitPrice}.");
        if (!Money.HasAtMostEightDecimals(v)) throw Check.Invalid($"{at} has at most 8 decimal places.");
        return v;
    }

    static string Code(string? value, string field)
    {
        Check.Required(value, field);
        return value!.Length > 64 || value.Any(char.IsWhiteSpace) ? throw Check.Invalid($"{field} is 1 to 64 characters without spaces.") : value;
    }

    static string Text(string? value, string field, int max) => Check.MaxLength(Check.Required(value, field), field, max);

    static void Unique(IEnumerable<string> keys, string what)
    {
        var dup = keys.GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw Check.Invalid($"{what}: {dup.Key} appears more than once.");
    }
}
