using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record PasswordPolicyRequest(PasswordPolicyInput? PasswordPolicy);

public sealed record LoginPolicyRequest(LoginPolicyInput? LoginPolicy);

/// <summary>Domains (accounts), projects and the account's security policies.</summary>
public static class ProjectsApi
{
    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v3/auth/domains", async (HttpContext http, AccountService accounts) =>
        {
            var account = await accounts.GetAsync(http.Caller(), http.RequestAborted);
            var domain = new { id = account.Id, name = account.Name, enabled = account.Status == AccountStatus.Active, description = "", links = Self(http.Request, "/v3/domains/" + account.Id) };
            return Results.Ok(new { domains = new[] { domain }, links = Self(http.Request, "/v3/auth/domains") });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneListAuthDomains").WithTags("IAM tokens");

        var projects = app.MapGroup("/v3/projects").WithTags("IAM projects");
        projects.MapGet("", async (HttpContext http, ProjectService service, string? name, string? domain_id) =>
        {
            var list = await service.ListAsync(http.Caller(), name, http.RequestAborted);
            return Results.Ok(new { projects = list.Select(p => Project(p, http.Request)), links = Self(http.Request, "/v3/projects") });
        }).Action(IamActions.ListProjects).WithName("KeystoneListProjects");
        projects.MapGet("/{project_id}", async (HttpContext http, ProjectService service, string project_id) =>
            Results.Ok(new { project = Project(await service.GetAsync(http.Caller(), project_id, http.RequestAborted), http.Request) }))
            .Action(IamActions.GetProject).WithName("KeystoneShowProject");

        var policies = app.MapGroup("/v3.0/OS-SECURITYPOLICY/domains/{domain_id}").WithTags("IAM security policies");
        policies.MapGet("/password-policy", async (HttpContext http, SecurityPolicyService service, string domain_id) =>
            Results.Ok(new { password_policy = PasswordPolicy(await service.GetAsync(http.Caller(), domain_id, IamActions.GetSecurityPolicy, http.RequestAborted)) }))
            .Action(IamActions.GetSecurityPolicy).WithName("ShowDomainPasswordPolicy");
        policies.MapPut("/password-policy", async (HttpContext http, SecurityPolicyService service, string domain_id, PasswordPolicyRequest body) =>
        {
            var input = body.PasswordPolicy ?? throw Check.Invalid("password_policy is required.");
            return Results.Ok(new { password_policy = PasswordPolicy(await service.UpdatePasswordPolicyAsync(http.Caller(), domain_id, input, http.RequestAborted)) });
        }).Action(IamActions.UpdateSecurityPolicy).WithName("UpdateDomainPasswordPolicy");
        policies.MapGet("/login-policy", async (HttpContext http, SecurityPolicyService service, string domain_id) =>
            Results.Ok(new { login_policy = LoginPolicy(await service.GetAsync(http.Caller(), domain_id, IamActions.GetLoginPolicy, http.RequestAborted)) }))
            .Action(IamActions.GetLoginPolicy).WithName("ShowDomainLoginPolicy");
        policies.MapPut("/login-policy", async (HttpContext http, SecurityPolicyService service, string domain_id, LoginPolicyRequest body) =>
        {
            var input = body.LoginPolicy ?? throw Check.Invalid("login_policy is required.");
            return Results.Ok(new { login_policy = LoginPolicy(await service.UpdateLoginPolicyAsync(http.Caller(), domain_id, input, http.RequestAborted)) });
        }).Action(IamActions.UpdateLoginPolicy).WithName("UpdateDomainLoginPolicy");
    }

    static object PasswordPolicy(SecurityPolicy p) => new
    {
        maximum_consecutive_identical_chars = p.MaximumConsecutiveIdenticalChars,
        maximum_password_length = p.MaximumPasswordLength,
        minimum_password_age = p.MinimumPasswordAge,
        minimum_password_length = p.MinimumPasswordLength,
        number_of_recent_passwords_disallowed = p.NumberOfRecentPasswordsDisallowed,
        password_not_username_or_invert = p.PasswordNotUsernameOrInvert,
        password_requirements = $"A password must contain at least {p.PasswordCharCombination} of: uppercase letters, lowercase letters, digits and special characters, and be {p.MinimumPasswordLength} to {p.MaximumPasswordLength} characters long.",
        password_validity_period = p.PasswordValidityPeriod,
        password_char_combination = p.PasswordCharCombination,
    };

    static object LoginPolicy(SecurityPolicy p) => new
    {
        account_validity_period = p.AccountValidityPeriod,
        custom_info_for_login = p.CustomInfoForLogin,
        lockout_duration = p.LockoutDuration,
        login_failed_times = p.LoginFailedTimes,
        period_with_login_failures = p.PeriodWithLoginFailures,
        session_timeout = p.SessionTimeout,
        show_recent_login_info = p.ShowRecentLoginInfo,
    };
}
