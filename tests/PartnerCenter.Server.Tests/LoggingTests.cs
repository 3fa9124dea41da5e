using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>What the server logs: a line per request, handled failures without a trace, no SQL unless asked.</summary>
public sealed class LoggingTests(LoggingTests.LoggedServer s) : IClassFixture<LoggingTests.LoggedServer>
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    /// <summary>A server whose log lines are also kept in memory (after the server's own filters).</summary>
    public sealed class LoggedServer : ServerFixture
    {
        public readonly ConcurrentQueue<Entry> Entries = new();
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(new Collector(Entries));
    }

    sealed class Collector(ConcurrentQueue<Entry> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string category) => new Logger(category, entries);
        public void Dispose() { }
    }

    sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, level, formatter(state, exception), exception));
    }

    [Fact]
    public async Task A_refused_request_is_one_information_line_with_route_status_and_request_id_and_no_trace()
    {
        var a = await s.NewAccountAsync();
        s.Entries.Clear();
        var refused = await s.SendAsync(HttpMethod.Post, "/v3/groups", a.Token, "{not json");
        var requestId = refused.Headers.GetValues("X-Request-Id").Single();
        await refused.AssertErrorAsync(400);
        await Task.Delay(100); // the line is written as the response completes

        var lines = s.Entries.Where(e => e.Message.Contains(requestId)).ToList();
        var line = Assert.Single(lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("POST /v3/groups 400", line.Message);
        Assert.Contains(a.Name, line.Message);
        Assert.DoesNotContain(s.Entries, e => e.Exception is not null || e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Sql_commands_and_framework_chatter_are_not_logged_by_default()
    {
        var a = await s.NewAccountAsync();
        await s.SendAsync(HttpMethod.Get, "/v3/groups", a.Token);
        Assert.DoesNotContain(s.Entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command") || e.Category.StartsWith("Microsoft.AspNetCore.Hosting"));
        Assert.Contains(s.Entries, e => e.Category == typeof(RequestLog).FullName);
    }

    [Fact]
    public void The_start_banner_is_short_and_says_where_everything_is()
    {
        var settings = ServerSettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["data-dir"] = s.DataDir }).Build());
        var text = StartBanner.Text(settings, "http://127.0.0.1:5080", "Secret#1", TimeSpan.FromSeconds(1.2));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 5, 19);
        foreach (var expected in new[] { "http://127.0.0.1:5080/console", "/docs", "operator / Secret#1", s.DataDir, "1.2 s" })
            Assert.Contains(expected, text);
    }
}
