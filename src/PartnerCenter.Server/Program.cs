using PartnerCenter.Server.Api.PartnerNetwork;
using PartnerCenter.Server.Api.Coupons;
using PartnerCenter.Server.Api.Enterprise;
using PartnerCenter.Server.Api.CustomerBills;
using PartnerCenter.Server.Api.Billing;
using PartnerCenter.Server.Api.Tickets;
using PartnerCenter.Server.Api.Usage;
using PartnerCenter.Server.Api.Resources;
using PartnerCenter.Server.Api.Orders;
using PartnerCenter.Server.Api.Funds;
using PartnerCenter.Server.Api.Revenue;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Server;
using PartnerCenter.Server.Api.Accounts;
using PartnerCenter.Server.Api.Catalog;
using PartnerCenter.Server.Api.Iam;
using PartnerCenter.Server.Api.Partners;
using PartnerCenter.Server.Api.Sandbox;
using PartnerCenter.Server.Auth;
using PartnerCenter.Server.Console;
using PartnerCenter.Server.ErrorHandling;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
var builder = WebApplication.CreateBuilder(ServerSettings.NormalizeArgs(args));
builder.Configuration.AddEnvironmentVariables("PC_");
var settings = ServerSettings.From(builder.Configuration);
Directory.CreateDirectory(settings.DataDir);
builder.WebHost.UseUrls(settings.Urls);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
ServerLogging.Configure(builder);

builder.Services.AddSingleton(settings);
builder.Services.AddPartnerCenterCore(settings.Database, new SandboxOptions(settings.Sandbox), mailPickupDirectory: Path.Combine(settings.DataDir, "mail"),
    attachmentDirectory: Path.Combine(settings.DataDir, "attachments"));
builder.Services.AddScoped<Bootstrap>();
builder.Services.AddScoped<PartnerCenter.Core.Demo.DemoWorld>();
builder.Services.AddSingleton(new IdleMemory(builder.Configuration.GetValue("idle-trim", true)));
if (settings.RunJobsInBackground) builder.Services.AddHostedService<JobsInBackground>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    // Numbers are read as the SDK models send them: a JSON number where the model has a number, never a string.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    o.SerializerOptions.Converters.Add(new StrictDecimalConverter());
    o.SerializerOptions.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { NullElements.Refuse } };
});
// Unreadable requests (malformed JSON, wrong types) become exceptions so the one error handler answers them.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
{
    // Decimals are read by our own converter, which hides their kind from the schema generator: they are JSON numbers.
    if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?))
    {
        schema.Type = Microsoft.OpenApi.JsonSchemaType.Number | (context.JsonTypeInfo.Type == typeof(decimal?) ? Microsoft.OpenApi.JsonSchemaType.Null : 0);
        schema.Format = "double";
    }
    return Task.CompletedTask;
}));
// /metrics in Prometheus text: requests by route, operation and status (ASP.NET Core's own meters), the business's
// jobs and money (Core), database connections (Npgsql), the runtime (GC, threads).
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(CoreMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", "System.Runtime")
    .AddPrometheusExporter());
builder.Services.AddRateLimiter(o =>
{
    o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        var key = http.FindCaller()?.AccountId ?? "ip:" + http.Connection.RemoteIpAddress;
        // Refill about ten times a second, or once per permit when the rate is below ten a second.
        var tokensPerPeriod = Math.Max(1, (int)Math.Round(settings.RatePermitsPerSecond / 10));
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.RateBurst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / settings.RatePermitsPerSecond),
            QueueLimit = 0,
        });
    });
    o.OnRejected = (ctx, _) => new ValueTask(ErrorResponses.WriteAsync(ctx.HttpContext, Errors.TooManyRequests()));
});
builder.Services.AddPartnerCenterConsole();
builder.Services.AddSingleton(new AuthFailureBrake(builder.Configuration.GetValue("auth-brake:burst", 20), builder.Configuration.GetValue("auth-brake:per-second", 2.0)));

var app = builder.Build();

var operatorPassword = await StartUpAsync(app, settings);

app.UseMiddleware<RequestLog>();
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorResponses.HandleExceptionAsync });
app.UseStatusCodePages(ctx => ctx.HttpContext.Response.ContentLength is null && !ctx.HttpContext.Response.HasStarted
    ? ErrorResponses.WriteAsync(ctx.HttpContext, ctx.HttpContext.Response.StatusCode, "CBC.0100", StatusText(ctx.HttpContext.Response.StatusCode))
    : Task.CompletedTask);
app.UseMiddleware<RequestTargetCheck>();
app.UseMiddleware<ApiAuthentication>();
app.UseRateLimiter();
app.UsePartnerCenterConsole();

app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
app.MapGet("/health/ready", async (AppDbContext db, CancellationToken ct) =>
    await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "ready" }) : Results.Json(new { status = "database unavailable" }, statusCode: 503))
    .ExcludeFromDescription();
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs", o => o.WithTitle("Partner Center API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

app.MapTokensApi();
app.MapUsersApi();
app.MapGroupsApi();
app.MapRolesApi();
app.MapCredentialsApi();
app.MapAgenciesApi();
app.MapProjectsApi();
app.MapAccountsApi();
app.MapClockApi();
app.MapPartnerProgramsApi();
app.MapPartnerNetworkApi();
app.MapSubCustomersApi();
app.MapBudgetsApi();
app.MapFundsApi();
app.MapPartnerAccountsApi();
app.MapEnterpriseTransfersApi();
app.MapCouponsApi();
app.MapOrdersApi();
app.MapResourcesApi();
app.MapAssociationsApi();
app.MapCatalogApi();
app.MapRatingsApi();
app.MapDiscountsApi();
app.MapUsageApi();
app.MapCustomerBillsApi();
app.MapTicketsApi();
app.MapBillingApi();
app.MapExportsApi();
app.MapRevenueApi();
app.MapEnterpriseOrganizationApi();
app.MapPartnerCenterConsole();

app.Lifetime.ApplicationStarted.Register(() =>
    Console.Write(StartBanner.Text(settings, app.Urls.FirstOrDefault() ?? settings.Urls, operatorPassword, System.Diagnostics.Stopwatch.GetElapsedTime(startedAt))));
app.Run();

static string StatusText(int status) => status switch
{
    404 => "No such resource or operation.",
    405 => "The method is not allowed on this resource.",
    415 => "The request body must be JSON (Content-Type: application/json).",
    _ => "The request failed.",
};

/// <summary>Migrates, seeds and (with --demo on an empty data dir) creates the demo world. Returns the new operator's password, if any.</summary>
static async Task<string?> StartUpAsync(WebApplication app, ServerSettings settings)
{
    using var scope = app.Services.CreateScope();
    var created = await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(settings.OperatorPassword);
    if (created is null) return null;
    if (settings.Demo)
    {
        var world = await scope.ServiceProvider.GetRequiredService<PartnerCenter.Core.Demo.DemoWorld>().CreateAsync(created);
        await DemoCredentials.WriteAsync(settings, world);
    }
    else
    {
        await File.WriteAllTextAsync(Path.Combine(settings.DataDir, "operator-password.txt"), created + "\n");
    }
    return created;
}

public partial class Program;
