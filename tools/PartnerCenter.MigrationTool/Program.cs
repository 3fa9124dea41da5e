// EF Core's design-time work without the dotnet-ef tool (which the package feed lacks):
//   dotnet run --project tools/PartnerCenter.MigrationTool -c Release -- sqlite|postgres MigrationName
//     scaffolds a migration into src/PartnerCenter.Core/Data/Migrations/{Sqlite,Postgres}; run it once per provider.
//   dotnet run --project tools/PartnerCenter.MigrationTool -c Release -- compiled-model
//     regenerates the compiled model of both providers into src/PartnerCenter.Core/Data/CompiledModels/{Sqlite,Postgres}.
// After a model change: both migrations, then the compiled model (a Core test fails while it is stale).
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;
using PartnerCenter.MigrationTool;

var root = FindRepoRoot();
if (args is ["compiled-model"])
{
    foreach (var provider in CompiledModels.Providers)
    {
        var dir = Path.Combine(root, CompiledModels.Folder(provider));
        // Start empty, so the file of an entity that no longer exists does not linger.
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var files = CompiledModels.Scaffold(provider, dir);
        Console.WriteLine($"wrote {files.Count} files into {CompiledModels.Folder(provider)}");
    }
    return 0;
}
if (args.Length != 2 || args[0] is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("usage: PartnerCenter.MigrationTool sqlite|postgres MigrationName\n       PartnerCenter.MigrationTool compiled-model");
    return 2;
}
var (providerName, name) = (args[0], args[1]);
var migrationProvider = providerName == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;
using var db = DatabaseRegistration.CreateContext(CompiledModels.Settings(migrationProvider));
using var sp = CompiledModels.DesignTimeServices(db, migrationProvider);

var folder = migrationProvider.ToString();
var scaffolder = sp.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(name, "PartnerCenter.Core", $"Data.Migrations.{folder}", "C#");
var saved = scaffolder.Save(Path.Combine(root, "src/PartnerCenter.Core"), migration, Path.Combine(root, "src/PartnerCenter.Core/Data/Migrations", folder));
Console.WriteLine($"wrote {saved.MigrationFile}");
return 0;

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "PartnerCenter.slnx"))) return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}
