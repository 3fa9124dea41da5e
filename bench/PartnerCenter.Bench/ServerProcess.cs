using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Bench;

/// <summary>
/// The built server (src/PartnerCenter.Server, Release) as a process of its own, started with its command-line contract
/// on a loopback port and the bench's database, with its defaults otherwise (request log, rate limits, background jobs).
/// Its console goes to a file in its data directory, printed if it fails to start.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    readonly Process process;
    readonly string dataDir;
    readonly Task logCopy;

    public Uri BaseUrl { get; }

    ServerProcess(Process process, string dataDir, Task logCopy, Uri baseUrl) => (this.process, this.dataDir, this.logCopy, BaseUrl) = (process, dataDir, logCopy, baseUrl);

    /// <summary>CPU time the server has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(DatabaseSettings database, HttpClient http)
    {
        var dll = ServerDll();
        var url = $"http://127.0.0.1:{FreePort()}";
        var dataDir = Directory.CreateTempSubdirectory("pc-bench-server-").FullName;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", url, "--data-dir", dataDir, "--database", database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
                     "--connection-string", database.ConnectionString })
            start.ArgumentList.Add(arg);
        // What-if experiments on the server alone (runtime knobs), e.g. PC_BENCH_SERVER_ENV="DOTNET_gcServer=0 DOTNET_GCgen0size=0x4000000".
        foreach (var pair in (Environment.GetEnvironmentVariable("PC_BENCH_SERVER_ENV") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is [var name, var value]) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var log = File.Create(Path.Combine(dataDir, "server.log"));
        // Bytes, not lines: the request log under load costs the bench nothing to drain.
        var logCopy = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(log), process.StandardError.BaseStream.CopyToAsync(log))
            .ContinueWith(_ => log.Dispose(), TaskScheduler.Default);
        var server = new ServerProcess(process, dataDir, logCopy, new Uri(url));

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(120))
            {
                var tail = await server.LogTailAsync();
                await server.DisposeAsync();
                throw new InvalidOperationException($"the server did not become ready (exit {(process.HasExited ? process.ExitCode : "none")}):\n{tail}");
            }
            try
            {
                using var ready = await http.GetAsync(new Uri(server.BaseUrl, "/health/ready"));
                if (ready.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
    }

    /// <summary>The Prometheus text of <c>/metrics</c>.</summary>
    public async Task<string> MetricsAsync(HttpClient http) => await http.GetStringAsync(new Uri(BaseUrl, "/metrics"));

    async Task<string> LogTailAsync()
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        await logCopy;
        var lines = await File.ReadAllLinesAsync(Path.Combine(dataDir, "server.log"));
        return string.Join('\n', lines.TakeLast(30));
    }

    /// <summary>The Release build beside this one: bench/PartnerCenter.Bench builds it (a project reference without its assembly).</summary>
    static string ServerDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PartnerCenter.slnx"))) dir = dir.Parent;
        var dll = dir is null ? null : Path.Combine(dir.FullName, "src", "PartnerCenter.Server", "bin", "Release", "net10.0", "PartnerCenter.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The server is not built: dotnet build bench/PartnerCenter.Bench -c Release builds it.", dll);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        await logCopy;
        process.Dispose();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }
}
