#pragma warning disable EF1001 // the providers' design-time services live in their Internal namespaces
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;

namespace PartnerCenter.MigrationTool;

/// <summary>
/// EF Core's compiled model of <see cref="AppDbContext"/>, one per provider (docs/decisions.md, "Start time"): the model as
/// generated C# instead of a convention run over OnModelCreating at every start. EF finds it in Core by its
/// DbContextModel attribute. Both the regeneration command and the staleness test go through <see cref="Scaffold"/>.
/// </summary>
public static class CompiledModels
{
    public const string Command = "dotnet run --project tools/PartnerCenter.MigrationTool -c Release -- compiled-model";

    public static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    /// <summary>The folder (relative to the repository) and namespace of one provider's compiled model.</summary>
    public static string Folder(DatabaseProvider provider) => $"src/PartnerCenter.Core/Data/CompiledModels/{provider}";

    public static string Namespace(DatabaseProvider provider) => $"PartnerCenter.Core.Data.CompiledModels.{provider}";

    /// <summary>Writes the compiled model of OnModelCreating, as it is now, into <paramref name="outputDir"/>.</summary>
    public static IReadOnlyCollection<string> Scaffold(DatabaseProvider provider, string outputDir)
    {
        using var db = DatabaseRegistration.CreateContext(Settings(provider));
        using var services = DesignTimeServices(db, provider);
        // The design-time model is always built from OnModelCreating, never taken from an existing compiled model.
        var model = db.GetService<IDesignTimeModel>().Model;
        return services.GetRequiredService<ICompiledModelScaffolder>().ScaffoldModel(model, outputDir, new CompiledModelCodeGenerationOptions
        {
            ContextType = db.GetType(),
            ModelNamespace = Namespace(provider),
            Language = "C#",
            UseNullableReferenceTypes = true,
        });
    }

    public static DatabaseSettings Settings(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite
        ? DatabaseSettings.SqliteFile(Path.Combine(Path.GetTempPath(), "scaffold.db"))
        : new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=scaffold");

    /// <summary>EF's design-time services with the provider's own (migrations and compiled-model code generators).</summary>
    public static ServiceProvider DesignTimeServices(AppDbContext db, DatabaseProvider provider)
    {
        var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices();
        services.AddDbContextDesignTimeServices(db);
        if (provider == DatabaseProvider.Sqlite) new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices().ConfigureDesignTimeServices(services);
        else new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
        return services.BuildServiceProvider();
    }
}
