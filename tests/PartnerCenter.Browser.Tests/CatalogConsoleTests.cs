using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

/// <summary>The operator's product catalog page and a partner's Discounts page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CatalogConsoleTests(ConsoleServer server) : IDisposable
{
    readonly PartnerApi api = new(server);

    public void Dispose() => api.Dispose();

    static ILocator SpecRow(IPage page, string code) => page.Locator($"[data-testid=spec-row][data-spec-code=\"{code}\"]");

    [Fact]
    public async Task The_operator_sees_prices_per_region_imports_a_spec_and_schedules_a_price_version()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, ConsoleServer.OperatorPassword);
        await page.GetByTestId("nav-operator-catalog").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/operator/catalog$"));
        await page.GetByTestId("region-ap-southeast-2").ClickAsync();
        await Expect(SpecRow(page, "s6.small.1.linux").GetByTestId("spec-month")).ToHaveTextAsync("6.50");
        await Expect(SpecRow(page, "SAS").GetByTestId("spec-month")).ToHaveTextAsync("0.07 / GB");

        // A broken file is refused and changes nothing.
        await page.GetByTestId("import-json").FillAsync("{\"specs\": [");
        await page.GetByTestId("import-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("not valid");

        var code = PartnerApi.Unique("t1.") + ".linux";
        await page.GetByTestId("import-json").FillAsync($$$"""
            {"specs": [{"service_type_code": "hws.service.type.ec2", "resource_type_code": "hws.resource.type.vm", "spec_code": "{{{code}}}",
              "description": "browser flavor",
              "prices": [{"regions": ["ap-southeast-2"], "effective_from": "2026-01-01T00:00:00Z", "period_prices": {"month": 4.25, "year": 42.5}}]}]}
            """);
        await page.GetByTestId("import-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Imported 1 specs");
        await page.GotoAsync("/console/operator/catalog?region=ap-southeast-2");
        await Expect(SpecRow(page, code).GetByTestId("spec-year")).ToHaveTextAsync("42.50");

        var specId = await SpecRow(page, code).GetAttributeAsync("data-spec-id");
        await page.GetByTestId("version-spec").SelectOptionAsync(specId!);
        await page.GetByTestId("version-from").FillAsync("2030-01-01T00:00");
        await page.GetByTestId("version-month").FillAsync("5.75");
        await page.GetByTestId("version-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("New prices take effect");
        // Scheduled, not yet in force: the list price stays until 2030, and the history holds both versions.
        await Expect(SpecRow(page, code).GetByTestId("spec-versions")).ToHaveTextAsync("2");
        await Expect(SpecRow(page, code).GetByTestId("spec-month")).ToHaveTextAsync("4.25");

        await page.GetByTestId("version-spec").SelectOptionAsync(specId!);
        await page.GetByTestId("version-from").FillAsync("2020-01-01T00:00");
        await page.GetByTestId("version-month").FillAsync("1");
        await page.GetByTestId("version-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("past");
    }

    [Fact]
    public async Task A_partner_grants_a_customer_a_discount_and_revokes_it()
    {
        var (partner, _, _) = await api.NewPartnerAsync();
        var (customerId, customerName) = await api.NewCustomerAsync(partner);
        var page = await server.NewPageAsync();
        await SignInAsync(page, partner, PartnerApi.Password);
        await page.GetByTestId("nav-sales-discounts").ClickAsync();
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Discounts");
        await Expect(page.GetByTestId("discounts-empty")).ToBeVisibleAsync();

        await page.GetByTestId("grant-customer").SelectOptionAsync(customerId);
        await page.GetByTestId("grant-percent").FillAsync("150");
        await page.GetByTestId("grant-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("discount_rate");
        await Expect(page.GetByTestId("discounts-empty")).ToBeVisibleAsync();

        await page.GetByTestId("grant-customer").SelectOptionAsync(customerId);
        await page.GetByTestId("grant-percent").FillAsync("12.5");
        await page.GetByTestId("grant-service").SelectOptionAsync("hws.service.type.ec2");
        await page.GetByTestId("grant-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(customerName);
        var row = page.Locator($"[data-testid=discount-row][data-customer=\"{customerName}\"]");
        await Expect(row.GetByTestId("discount-percent")).ToHaveTextAsync("12.5 % off");
        await Expect(row).ToContainTextAsync("Elastic Cloud Server");

        await row.GetByTestId("discount-revoke").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("revoked");
        await Expect(page.GetByTestId("discounts-empty")).ToBeVisibleAsync();
    }

    static async Task SignInAsync(IPage page, string account, string password)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("sign-in-account").FillAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }
}
