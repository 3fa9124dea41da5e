using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;

namespace PartnerCenter.Browser.Tests;

/// <summary>
/// One real server (the server's built PartnerCenter.Server.dll as a child process, on a free loopback port, over a fresh data dir)
/// and one headless Chromium, shared by every browser test. Each test opens its own browser context (own cookies).
/// </summary>
public sealed class ConsoleServer : IAsyncLifetime
{
    public const string OperatorName = "operator";
    public const string OperatorPassword = "Operator#Browser2026";

    readonly StringBuilder log = new();
    Process? server;
    string? dataDir;

    /// <summary>The server's data directory (its SQLite database), for a test that writes rows no API makes yet.</summary>
    public string DataDir => dataDir!;
    IPlaywright? playwright;

    public string BaseUrl { get; private set; } = "";
    /// <summary>
    /// The text of the newest message the server's outbox holds for <paramref name="to"/> (an e-mail address, or
    /// sms:+number), read from its database: this server runs no background jobs, so nothing is delivered.
    /// </summary>
    public async Task<string> LatestMessageAsync(string to)
    {
        await using var db = PartnerCenter.Core.Data.DatabaseRegistration.CreateContext(
            PartnerCenter.Core.Data.DatabaseSettings.SqliteFile(Path.Combine(dataDir!, "partner-center.db")));
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.OutboxMessages.Where(m => m.To == to).OrderByDescending(m => m.Id).Select(m => m.Body));
    }
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        dataDir = Directory.CreateTempSubdirectory("pc-browser-tests-").FullName;
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        try
        {
            await StartServerAsync();
            Browser = await LaunchBrowserAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    async Task StartServerAsync()
    {
        var dll = ServerDll();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", BaseUrl, "--data-dir", dataDir!, "--operator-password", OperatorPassword, "--jobs:background=false" })
            start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        server = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        server.OutputDataReceived += (_, e) => Append(e.Data);
        server.ErrorDataReceived += (_, e) => Append(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"The server exited with code {server.ExitCode} before it was ready:\n{Log}");
            try
            {
                using var ready = await http.GetAsync(BaseUrl + "/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server did not become ready at {BaseUrl}:\n{Log}");
    }

    /// <summary>
    /// The server's own build output, as <c>dotnet run</c> starts it, not the copy in this project's output: the server
    /// is built precompiled (ReadyToRun) for the SDK's runtime, and its native SQLite library then sits next to its dll
    /// only in its own output (this output keeps it under runtimes/). Same configuration as these tests.
    /// </summary>
    static string ServerDll()
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)); // bin/<configuration>/<framework>
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PartnerCenter.slnx"))) root = root.Parent;
        var dll = root is null ? null : Path.Combine(root.FullName, "src", "PartnerCenter.Server", "bin", configuration, framework, "PartnerCenter.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The server's build output is missing: building this project builds it.", dll);
    }

    async Task<IBrowser> LaunchBrowserAsync()
    {
        playwright = await Playwright.CreateAsync();
        // Debian's chromium; never Playwright's own browser download. A browser that cannot start fails the tests.
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context (no cookies) and a page in it, with the server as base URL.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

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

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Browser = null!;
        playwright?.Dispose();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        server?.Dispose();
        try
        {
            if (dataDir is not null) Directory.Delete(dataDir, recursive: true);
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

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleServer>
{
    public const string Name = "console";
}
