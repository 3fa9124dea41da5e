namespace PartnerCenter.Core.Catalog;

/// <summary>The catalog a new installation starts with (embedded <c>default-catalog.json</c>, the import file format).</summary>
public static class DefaultCatalog
{
    public static string Json()
    {
        using var stream = typeof(DefaultCatalog).Assembly.GetManifestResourceStream("PartnerCenter.Core.Catalog.default-catalog.json")
                           ?? throw new InvalidOperationException("The default catalog is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static CatalogDocument Load() => CatalogDocument.Parse(Json());
}
