namespace PartnerCenter.Server.Console;

/// <summary>The web console at /console. (Placeholder wiring; the console pages land in their own change.)</summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddPartnerCenterConsole(this IServiceCollection services) => services;

    public static WebApplication UsePartnerCenterConsole(this WebApplication app) => app;

    public static WebApplication MapPartnerCenterConsole(this WebApplication app) => app;
}
