// Scaffolds an EF Core migration for one provider without the dotnet-ef tool (which the package feed lacks):
//   dotnet run --project tools/PartnerCenter.MigrationTool -- sqlite|postgres MigrationName
// It writes into src/PartnerCenter.Core/Data/Migrations/{Sqlite,Postgres}. Run it once per provider after a model change.
#pragma warning disable EF1001 // the providers' design-time services live in their Internal namespaces
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;

if (args.Length != 2 || args[0] is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("usage: PartnerCenter.MigrationTool sqlite|postgres MigrationName");
    return 2;
}
var (provider, name) = (args[0], args[1]);
var settings = provider == "sqlite"
    ? DatabaseSettings.SqliteFile(Path.Combine(Path.GetTempPath(), "scaffold.db"))
    : new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=scaffold");
using var db = DatabaseRegistration.CreateContext(settings);

var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices();
services.AddDbContextDesignTimeServices(db);
if (provider == "sqlite") new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices().ConfigureDesignTimeServices(services);
else new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
using var sp = services.BuildServiceProvider();

var folder = provider == "sqlite" ? "Sqlite" : "Postgres";
var scaffolder = sp.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(name, "PartnerCenter.Core", $"Data.Migrations.{folder}", "C#");
var root = FindRepoRoot();
var files = scaffolder.Save(Path.Combine(root, "src/PartnerCenter.Core"), migration, Path.Combine(root, "src/PartnerCenter.Core/Data/Migrations", folder));
Console.WriteLine($"wrote {files.MigrationFile}");
return 0;

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "PartnerCenter.slnx"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}
