using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Bench;

/// <summary>What a figure depends on, printed with it (benchmarks.md: cores, .NET, database, durability, commit).</summary>
public static class BenchEnvironment
{
    public static string Machine() =>
        $"cores {Environment.ProcessorCount}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, " +
        $"server GC {System.Runtime.GCSettings.IsServerGC}, git {GitCommit()}";

    /// <summary>Version and durability settings, read through a Core DbContext so the SQLite pragmas are the ones Core set.</summary>
    public static Task<string> DatabaseAsync(BenchWorld world) => DatabaseAsync(world.Services, world.Settings);

    public static async Task<string> DatabaseAsync(IServiceProvider services, DatabaseSettings settings)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                var sync = await ScalarAsync(db, "PRAGMA synchronous") switch { "0" => "OFF", "1" => "NORMAL", "2" => "FULL", "3" => "EXTRA", var s => s };
                return $"SQLite {await ScalarAsync(db, "SELECT sqlite_version()")}, journal_mode={await ScalarAsync(db, "PRAGMA journal_mode")}, synchronous={sync}";
            }
            return $"PostgreSQL {await ScalarAsync(db, "SHOW server_version")}, synchronous_commit={await ScalarAsync(db, "SHOW synchronous_commit")}, " +
                   $"fsync={await ScalarAsync(db, "SHOW fsync")}, shared_buffers={await ScalarAsync(db, "SHOW shared_buffers")}, on loopback TCP";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static async Task<string> ScalarAsync(AppDbContext db, string sql)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
    }

    static string GitCommit()
    {
        try
        {
            var head = Run("rev-parse --short HEAD");
            if (string.IsNullOrEmpty(head)) return "unknown";
            return Run("status --porcelain --untracked-files=no") is { Length: > 0 } ? head + " (with uncommitted changes)" : head;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown (no git)";
        }

        static string Run(string args)
        {
            using var p = Process.Start(new ProcessStartInfo("git", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : "";
        }
    }
}
