using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PartnerCenter.Browser.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(ConsoleServer server)
{
    const string Password = "Browser#Pass1";

    [Fact]
    public async Task Operator_signs_in_with_its_password_and_sees_the_operator_navigation()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);

        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Overview");
        await Expect(page.GetByTestId("persona")).ToHaveTextAsync("Operator");
        await Expect(page.GetByTestId("current-account")).ToHaveTextAsync(ConsoleServer.OperatorName);
        await Expect(page.GetByTestId("nav-operator-clock")).ToBeVisibleAsync();

        await page.GetByTestId("nav-operator-clock").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/operator/clock$"));
        await Expect(page.GetByTestId("clock-now")).ToContainTextAsync("UTC");
        await SaveScreenshotAsync(page, "operator-clock");
    }

    [Fact]
    public async Task Operator_advances_the_sandbox_clock()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);
        await page.GotoAsync("/console/operator/clock");
        var before = await page.GetByTestId("clock-now").InnerTextAsync();
        await Expect(page.GetByTestId("clock-unit")).ToHaveValueAsync("days");

        await page.GetByTestId("clock-amount").FillAsync("2");
        await page.GetByTestId("clock-unit").SelectOptionAsync("hours");
        await page.GetByTestId("clock-advance").ClickAsync();

        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Business time is now");
        await Expect(page.GetByTestId("clock-now")).Not.ToHaveTextAsync(before);
        await Expect(page.GetByTestId("clock-unit")).ToHaveValueAsync("hours");
        await Expect(page.GetByTestId("clock-offset")).ToContainTextAsync("ahead of real time");
    }

    [Fact]
    public async Task Operator_sees_every_scheduled_job_with_its_last_and_next_period_after_the_clock_moves()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);
        await page.GotoAsync("/console/operator/clock");
        await page.GetByTestId("clock-amount").FillAsync("1");
        await page.GetByTestId("clock-advance").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Business time is now");

        // A day of business time also ends the console session: sign in again.
        page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);
        await page.GetByTestId("nav-operator-jobs").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/operator/jobs$"));
        var rating = page.Locator("[data-testid=job-row][data-job='usage.rating']");
        await Expect(rating).ToHaveCountAsync(1);
        await Expect(rating.Locator("td").Nth(1)).Not.ToHaveTextAsync("None yet");
        await Expect(page.GetByTestId("job-periods")).ToContainTextAsync("Every period that fell due has completed.");
        await SaveScreenshotAsync(page, "operator-jobs");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_stays_on_sign_in()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, "Not-the-password-1");

        await Expect(page.GetByTestId("sign-in-error")).ToContainTextAsync("incorrect");
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in"));
        await Expect(page.GetByTestId("sign-in-password")).ToHaveValueAsync("");
        await Expect(page.GetByTestId("nav")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "sign-in-error");
    }

    [Fact]
    public async Task A_console_page_without_sign_in_redirects_to_sign_in()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/iam/users");

        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in\\?ReturnUrl="));
        await Expect(page.GetByTestId("sign-in-card")).ToBeVisibleAsync();

        // Signing in from there returns to the page first asked for.
        await FillSignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/console/iam/users$"));
    }

    [Fact]
    public async Task Register_a_new_account_then_sign_in_as_it()
    {
        var page = await server.NewPageAsync();
        var account = await RegisterAsync(page);

        await Expect(page.GetByTestId("sign-in-notice")).ToContainTextAsync(account);
        await Expect(page.GetByTestId("sign-in-account")).ToHaveValueAsync(account);
        await page.GetByTestId("sign-in-password").FillAsync(Password);
        await page.GetByTestId("sign-in-submit").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await Expect(page.GetByTestId("overview-account-name")).ToHaveTextAsync(account);
        await Expect(page.GetByTestId("overview-account-type")).ToHaveTextAsync("Enterprise");
        await Expect(page.GetByTestId("persona")).ToHaveTextAsync("Partner & customer");
        await Expect(page.GetByTestId("nav-operator-clock")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task Registration_with_a_taken_name_shows_the_error()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/register");
        await page.GetByTestId("register-name").FillAsync(ConsoleServer.OperatorName);
        await page.GetByTestId("register-email").FillAsync(Unique("mail") + "@example.com");
        await page.GetByTestId("register-password").FillAsync(Password);
        await page.GetByTestId("register-confirm").FillAsync(Password);
        await page.GetByTestId("register-submit").ClickAsync();

        await Expect(page.GetByTestId("register-error")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/register$"));
        await SaveScreenshotAsync(page, "register-error");
    }

    [Fact]
    public async Task Create_an_IAM_user_from_the_console_then_it_appears_in_the_list()
    {
        var page = await server.NewPageAsync();
        await RegisterAndSignInAsync(page);
        var user = await CreateUserAsync(page);

        var row = page.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("Enabled");

        await row.GetByTestId("user-toggle").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("disabled");
        await Expect(page.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]").GetByTestId("user-status")).ToHaveTextAsync("Disabled");
        await SaveScreenshotAsync(page, "iam-users");

        await page.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]").GetByTestId("user-delete").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("deleted");
        await Expect(page.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Create_an_access_key_and_see_its_secret_exactly_once()
    {
        var page = await server.NewPageAsync();
        await RegisterAndSignInAsync(page);
        await page.GotoAsync("/console/iam/access-keys");
        await Expect(page.GetByTestId("keys-empty")).ToBeVisibleAsync();

        await page.GetByTestId("create-key-description").FillAsync("ci pipeline");
        await page.GetByTestId("create-access-key").ClickAsync();

        await Expect(page.GetByTestId("new-key-warning")).ToContainTextAsync("only time");
        var access = (await page.GetByTestId("new-access-key").InnerTextAsync()).Trim();
        var secret = (await page.GetByTestId("new-secret").InnerTextAsync()).Trim();
        Assert.Matches("^[A-Z0-9]{10,}$", access);
        Assert.True(secret.Length >= 20, $"secret '{secret}' looks too short");
        await SaveScreenshotAsync(page, "access-key-created");
        await Expect(page.Locator($"[data-testid=key-row][data-access-key=\"{access}\"]")).ToHaveCountAsync(1);

        await page.GetByTestId("new-key-done").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/iam/access-keys$"));
        await Expect(page.Locator($"[data-testid=key-row][data-access-key=\"{access}\"]")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("new-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // Disable, then delete.
        await page.GetByTestId("key-toggle").ClickAsync();
        await Expect(page.GetByTestId("key-status")).ToHaveTextAsync("Disabled");
        await page.GetByTestId("key-delete").ClickAsync();
        await Expect(page.GetByTestId("keys-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_IAM_user_in_no_group_is_told_it_is_not_permitted_on_the_users_page()
    {
        var page = await server.NewPageAsync();
        var account = await RegisterAndSignInAsync(page);
        var user = await CreateUserAsync(page, withPassword: true);
        await page.GetByTestId("sign-out").ClickAsync();

        await SignInAsync(page, account, user, Password);
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(user);
        await page.GetByTestId("nav-iam-users").ClickAsync();

        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("not permitted");
        await Expect(page.GetByTestId("users-table")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "not-permitted");
    }

    [Fact]
    public async Task A_user_group_with_a_role_gives_its_members_that_permission()
    {
        var page = await server.NewPageAsync();
        var account = await RegisterAndSignInAsync(page);
        var user = await CreateUserAsync(page, withPassword: true);

        await page.GotoAsync("/console/iam/groups");
        var group = Unique("readers");
        await page.GetByTestId("create-group-name").FillAsync(group);
        await page.GetByTestId("create-group-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(group);
        await page.Locator($"[data-testid=group-row][data-group-name=\"{group}\"]").GetByTestId("group-link").ClickAsync();

        await page.GetByTestId("member-select").SelectOptionAsync(new SelectOptionValue { Label = user });
        await page.GetByTestId("member-add").ClickAsync();
        await Expect(page.Locator($"[data-testid=member-row][data-user-name=\"{user}\"]")).ToHaveCountAsync(1);

        await page.GetByTestId("role-select").SelectOptionAsync(new SelectOptionValue { Label = "ReadOnlyAccess" });
        await page.GetByTestId("role-grant").ClickAsync();
        await Expect(page.GetByTestId("role-row")).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page, "group-detail");
        await page.GetByTestId("sign-out").ClickAsync();

        await SignInAsync(page, account, user, Password);
        await page.GotoAsync("/console/iam/users");
        await Expect(page.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("alert-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_account_owner_updates_contact_details_and_changes_the_password()
    {
        var page = await server.NewPageAsync();
        var account = await RegisterAndSignInAsync(page);
        await page.GetByTestId("nav-account").ClickAsync();
        await Expect(page.GetByTestId("contact-email")).ToHaveValueAsync(account + "@example.com");

        await page.GetByTestId("contact-email").FillAsync("not-an-email");
        await page.GetByTestId("contact-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("email");

        await page.GetByTestId("contact-email").FillAsync("billing-" + account + "@example.com");
        await page.GetByTestId("contact-mobile").FillAsync("+65-81234567");
        await page.GetByTestId("contact-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("saved");
        await Expect(page.GetByTestId("account-email")).ToHaveTextAsync("billing-" + account + "@example.com");
        await Expect(page.GetByTestId("account-mobile")).ToHaveTextAsync("+65-81234567");

        const string newPassword = "Changed#Pass2";
        await page.GetByTestId("password-current").FillAsync("wrong-Password1");
        await page.GetByTestId("password-new").FillAsync(newPassword);
        await page.GetByTestId("password-confirm").FillAsync(newPassword);
        await page.GetByTestId("password-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToBeVisibleAsync();

        await page.GetByTestId("password-current").FillAsync(Password);
        await page.GetByTestId("password-new").FillAsync(newPassword);
        await page.GetByTestId("password-confirm").FillAsync(newPassword);
        await page.GetByTestId("password-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync("Password changed");
        await SaveScreenshotAsync(page, "account");

        await page.GetByTestId("sign-out").ClickAsync();
        await SignInAsync(page, account, null, Password);
        await Expect(page.GetByTestId("sign-in-error")).ToBeVisibleAsync();
        await SignInAsync(page, account, null, newPassword);
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
    }

    [Fact]
    public async Task Sign_out_returns_to_sign_in()
    {
        var page = await server.NewPageAsync();
        await SignInAsync(page, ConsoleServer.OperatorName, null, ConsoleServer.OperatorPassword);
        await Expect(page.GetByTestId("nav")).ToBeVisibleAsync();

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in"));
        await Expect(page.GetByTestId("sign-in-notice")).ToContainTextAsync("signed out");

        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in\\?ReturnUrl="));
    }

    [Fact]
    public async Task A_disabled_IAM_user_is_signed_out_at_its_next_request()
    {
        var owner = await server.NewPageAsync();
        var account = await RegisterAndSignInAsync(owner);
        var user = await CreateUserAsync(owner, withPassword: true);

        var member = await server.NewPageAsync();
        await SignInAsync(member, account, user, Password);
        await Expect(member.GetByTestId("current-user")).ToHaveTextAsync(user);

        await owner.Locator($"[data-testid=user-row][data-user-name=\"{user}\"]").GetByTestId("user-toggle").ClickAsync();
        await Expect(owner.GetByTestId("alert-success")).ToContainTextAsync("disabled");

        await member.GotoAsync("/console/account");
        await Expect(member).ToHaveURLAsync(new Regex("/console/sign-in\\?ReturnUrl="));
        await FillSignInAsync(member, account, user, Password);
        await Expect(member.GetByTestId("sign-in-error")).ToContainTextAsync("disabled");
    }

    [Fact]
    public async Task An_unknown_console_page_says_not_found()
    {
        var page = await server.NewPageAsync();
        var response = await page.GotoAsync("/console/no-such-page");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_root_redirects_to_the_console()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in"));
    }

    // ---- steps ----

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    static async Task SignInAsync(IPage page, string account, string? user, string password)
    {
        await page.GotoAsync("/console/sign-in");
        await FillSignInAsync(page, account, user, password);
    }

    static async Task FillSignInAsync(IPage page, string account, string? user, string password)
    {
        await page.GetByTestId("sign-in-account").FillAsync(account);
        if (user is not null) await page.GetByTestId("sign-in-user").FillAsync(user);
        await page.GetByTestId("sign-in-password").FillAsync(password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
    }

    /// <summary>Registers an enterprise account through the console; ends on the sign-in page.</summary>
    static async Task<string> RegisterAsync(IPage page)
    {
        var name = Unique("acct");
        await page.GotoAsync("/console/sign-in");
        await page.GetByTestId("register-link").ClickAsync();
        await page.GetByTestId("register-name").FillAsync(name);
        await page.GetByTestId("register-email").FillAsync(name + "@example.com");
        await page.GetByTestId("register-password").FillAsync(Password);
        await page.GetByTestId("register-confirm").FillAsync(Password);
        await page.GetByTestId("register-type-enterprise").CheckAsync();
        await page.GetByTestId("register-country").SelectOptionAsync("SG");
        await page.GetByTestId("register-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in\\?registered=" + name));
        return name;
    }

    static async Task<string> RegisterAndSignInAsync(IPage page)
    {
        var account = await RegisterAsync(page);
        await page.GetByTestId("sign-in-password").FillAsync(Password);
        await page.GetByTestId("sign-in-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return account;
    }

    static async Task<string> CreateUserAsync(IPage page, bool withPassword = false)
    {
        var user = Unique("dev");
        await page.GotoAsync("/console/iam/users");
        await page.GetByTestId("create-user-name").FillAsync(user);
        await page.GetByTestId("create-user-email").FillAsync(user + "@example.com");
        if (withPassword) await page.GetByTestId("create-user-password").FillAsync(Password);
        await page.GetByTestId("create-user-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-success")).ToContainTextAsync(user);
        return user;
    }

    /// <summary>With PC_SCREENSHOT_DIR set, saves a full-page screenshot there (to look at the console).</summary>
    static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("PC_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
