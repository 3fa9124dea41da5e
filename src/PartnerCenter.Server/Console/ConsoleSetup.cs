using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Server.Console;

/// <summary>
/// The web console at /console: Blazor static server-side rendering (plain HTML forms, no interactive render modes)
/// behind its own cookie sign-in. The API authenticates separately (X-Auth-Token, AK/SK) and is not touched by the cookie:
/// the console's scheme is never the default one, so only console pages ever read it.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>The console's one stylesheet, in wwwroot.</summary>
    public const string Stylesheet = "console.css";

    public static IServiceCollection AddPartnerCenterConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(o => o.Cookie.Name = "pc_console_af");
        services.AddAuthentication()
            .AddCookie(ConsoleAuth.Scheme, o =>
            {
                o.Cookie.Name = "pc_console";
                o.Cookie.Path = ConsoleAuth.BasePath;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = ConsoleAuth.SignInPath;
                o.LogoutPath = ConsoleAuth.SignOutPath;
                o.AccessDeniedPath = ConsoleAuth.SignInPath;
                // IAM's default console session timeout: an hour without activity.
                o.ExpireTimeSpan = TimeSpan.FromMinutes(60);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ConsoleAuth.ValidatePrincipalAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleAuth.Policy, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Runs after the API authentication and the rate limiter, before the endpoints.</summary>
    public static WebApplication UsePartnerCenterConsole(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPartnerCenterConsole(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect(ConsoleAuth.BasePath)).ExcludeFromDescription();
        app.MapPost(ConsoleAuth.SignOutPath, async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.Redirect(ConsoleAuth.BasePath);
            await http.SignOutAsync(ConsoleAuth.Scheme);
            return Results.Redirect(ConsoleAuth.SignInPath + "?signedOut=1");
        }).ExcludeFromDescription();
        Pages.Tickets.TicketDownloads.Map(app);
        Pages.Partners.BillDownloads.Map(app);
        Pages.Enterprise.BillsDownloads.Map(app);
        MapStylesheet(app);
        app.MapRazorComponents<App>();
        return app;
    }

    static void MapStylesheet(WebApplication app)
    {
        // Run from a build output (not published, not Development), the stylesheet still lives in the project's wwwroot:
        // the build's static web assets manifest says where, as it does for `dotnet run` in Development.
        if (!app.Environment.IsDevelopment() && !app.Environment.WebRootFileProvider.GetFileInfo(Stylesheet).Exists)
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        var manifest = Path.Combine(AppContext.BaseDirectory, app.Environment.ApplicationName + ".staticwebassets.endpoints.json");
        if (File.Exists(manifest)) app.MapStaticAssets(manifest);
        else app.UseStaticFiles();
    }
}

/// <summary>The console's cookie sign-in and the Core caller it stands for.</summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";
    public const string Policy = "console";
    public const string BasePath = "/console";
    public const string SignInPath = "/console/sign-in";
    public const string SignOutPath = "/console/sign-out";
    const string CallerKey = "PartnerCenter.Console.Caller";

    public static ClaimsPrincipal PrincipalFor(IamUser user, string accountName) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.Name),
                new Claim("account_name", accountName),
            ], Scheme));

    /// <summary>
    /// Every request re-reads the user behind the cookie: a user disabled or an account closed since sign-in is signed out
    /// at once, and pages get an up-to-date <see cref="Caller"/>.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext ctx)
    {
        var userId = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        try
        {
            if (userId is null) throw new ServiceException(Errors.InvalidToken());
            var auth = ctx.HttpContext.RequestServices.GetRequiredService<AuthService>();
            ctx.HttpContext.Items[CallerKey] = await auth.CallerForUserAsync(userId, ctx.HttpContext.RequestAborted);
        }
        catch (ServiceException)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Scheme);
        }
    }

    /// <summary>The signed-in caller of a console page that requires sign-in.</summary>
    public static Caller Caller(HttpContext http) =>
        FindCaller(http) ?? throw new InvalidOperationException("The console page requires a signed-in caller.");

    public static Caller? FindCaller(HttpContext http) => http.Items.TryGetValue(CallerKey, out var c) ? c as Caller : null;

    /// <summary>Only local console paths are followed after sign-in (no open redirects).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && (returnUrl == BasePath || returnUrl.StartsWith(BasePath + "/", StringComparison.Ordinal))
            && !returnUrl.Contains('\\') && !returnUrl.StartsWith(SignInPath, StringComparison.Ordinal)
            ? returnUrl
            : BasePath;
}
