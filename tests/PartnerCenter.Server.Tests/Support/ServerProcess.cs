using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerCenter.Core.Data;
using PartnerCenter.Tests.Support;

namespace PartnerCenter.Server.Tests.Support;

/// <summary>
/// The built server (PartnerCenter.Server.dll) as a real child process over a fresh database of the run's provider and
/// a data dir, on a loopback port: it can be killed with SIGKILL at any moment and started again on the same data.
/// Job periods run in the background, as in production, so a crashed run is retaken by the restarted server.
/// </summary>
public sealed class ServerProcess : ITestServer, IAsyncDisposable
{
    readonly StringBuilder log = new();
    readonly string dataDir;
    readonly int port;
    Process? process;
    HttpClient? http;

    public TestDatabase Database { get; }
    public Uri BaseAddress { get; }
    public bool Running => process is { HasExited: false };

    /// <summary>A client for the server as it runs now (a new one after each start: the old one's connections died with the process).</summary>
    public HttpClient Http => http ?? throw new InvalidOperationException("The server is not started.");

    ServerProcess(TestDatabase database, string dataDir, int port)
    {
        Database = database;
        this.dataDir = dataDir;
        this.port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public static async Task<ServerProcess> StartAsync()
    {
        var server = new ServerProcess(await TestDatabase.CreateAsync(), Directory.CreateTempSubdirectory("pc-crash-").FullName, FreePort());
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the server on the same database, data dir and port; returns once /health/ready answers 200.</summary>
    public async Task StartAgainAsync()
    {
        if (process is { HasExited: false }) throw new InvalidOperationException("The server is running.");
        process?.Dispose();
        Append($"--- start at {DateTime.UtcNow:O} ---");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "PartnerCenter.Server.dll"), "--urls", BaseAddress.ToString().TrimEnd('/'), "--data-dir", dataDir,
            "--database", Database.Settings.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite", "--connection-string", Database.Settings.ConnectionString,
            "--operator-password", ServerFixture.OperatorPassword, "--log-level", "warning",
            // Load, not abuse: the per-account limits must not refuse the test's clients.
            "--rate-limit:permits-per-second", "100000", "--rate-limit:burst", "100000", "--auth-brake:burst", "100000", "--auth-brake:per-second", "100000",
        ];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        http?.Dispose();
        http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited with code {process.ExitCode} before it was ready:\n{Log}");
            try
            {
                using var ready = await probe.GetAsync(new Uri(BaseAddress, "/health/ready"));
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not become ready at {BaseAddress}:\n{Log}");
    }

    /// <summary>SIGKILL (Process.Kill sends it on Linux) to the server and anything it started: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (process is not { HasExited: false }) throw new InvalidOperationException($"The server is not running:\n{Log}");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Append($"--- killed at {DateTime.UtcNow:O} ---");
    }

    /// <summary>A context on the server's database, to look at what the server wrote.</summary>
    public AppDbContext OpenDatabase() => DatabaseRegistration.CreateContext(Database.Settings);

    /// <summary>What the server printed (the last 200 KB), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            if (log.Length > 200_000) log.Remove(0, 100_000);
            log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        http?.Dispose();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
