using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Server.Auth;
using static PartnerCenter.Server.Api.Iam.IamViews;

namespace PartnerCenter.Server.Api.Iam;

public sealed record PasswordPolicyRequest(PasswordPolicyInput? PasswordPolicy);

public sealed record LoginPolicyRequest(LoginPolicyInput? LoginPolicy);

public sealed record AuthDomain(string Id, string Name, bool Enabled, string Description, Links Links);

public sealed record AuthDomainsResponse(List<AuthDomain> Domains, Links Links);

public sealed record PasswordPolicyView(
    int MaximumConsecutiveIdenticalChars, int MaximumPasswordLength, int MinimumPasswordAge, int MinimumPasswordLength,
    int NumberOfRecentPasswordsDisallowed, bool PasswordNotUsernameOrInvert, string PasswordRequirements, int PasswordValidityPeriod,
    int PasswordCharCombination);

public sealed record PasswordPolicyResponse(PasswordPolicyView PasswordPolicy);

public sealed record LoginPolicyView(
    int AccountValidityPeriod, string CustomInfoForLogin, int LockoutDuration, int LoginFailedTimes, int PeriodWithLoginFailures,
    int SessionTimeout, bool ShowRecentLoginInfo);

public sealed record LoginPolicyResponse(LoginPolicyView LoginPolicy);

/// <summary>Domains (accounts), projects and the account's security policies.</summary>
public static class ProjectsApi
{
    const int MaxPerPage = 5000;

    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v3/auth/domains", async (HttpContext http, AccountService accounts) =>
        {
            var account = await accounts.GetAsync(http.Caller(), http.RequestAborted);
            var domain = new AuthDomain(account.Id, account.Name, account.Status == AccountStatus.Active, "", Self(http.Request, "/v3/domains/" + account.Id));
            return TypedResults.Ok(new AuthDomainsResponse([domain], Self(http.Request, "/v3/auth/domains")));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneListAuthDomains").WithTags("IAM tokens");
        app.MapGet("/v3/auth/projects", async (HttpContext http, ProjectService service) =>
        {
            var list = await service.ListScopableAsync(http.Caller(), http.RequestAborted);
            return TypedResults.Ok(new ProjectsResponse(list.Select(p => Project(p, http.Request)).ToList(), Self(http.Request, "/v3/auth/projects")));
        }).Action(CallerAccess.AuthenticatedOnly).WithName("KeystoneListAuthProjects").WithTags("IAM tokens");

        var projects = app.MapGroup("/v3/projects").WithTags("IAM projects");
        projects.MapGet("", async (HttpContext http, ProjectService service, string? name, string? domain_id, string? parent_id, bool? enabled,
            bool? is_domain, int? page, int? per_page) =>
        {
            if (page is < 1) throw Check.Invalid("page must be at least 1.");
            if (per_page is < 1 or > MaxPerPage) throw Check.Invalid($"per_page must be 1 to {MaxPerPage}.");
            var caller = http.Caller();
            // No project is a domain, and another domain's projects are never listed.
            var list = is_domain == true || (domain_id is not null && domain_id != caller.AccountId)
                ? [] : await service.ListAsync(caller, name, parent_id, enabled, http.RequestAborted);
            if (per_page is not { } size)
                return TypedResults.Ok(new PagedProjectsResponse(list.Select(p => Project(p, http.Request)).ToList(), new PageLinks(Url(http.Request, "/v3/projects"))));
            var number = page ?? 1;
            string PageUrl(int n) => Url(http.Request, "/v3/projects" + QueryString.Create(
                http.Request.Query.Where(q => q.Key is not ("page" or "per_page")).Append(new("page", n.ToString())).Append(new("per_page", size.ToString()))));
            var links = new PageLinks(Url(http.Request, "/v3/projects" + http.Request.QueryString),
                number > 1 ? PageUrl(number - 1) : null, (long)number * size < list.Count ? PageUrl(number + 1) : null);
            return TypedResults.Ok(new PagedProjectsResponse(list.Skip((number - 1) * size).Take(size).Select(p => Project(p, http.Request)).ToList(), links));
        }).Action(IamActions.ListProjects).WithName("KeystoneListProjects");
        projects.MapGet("/{project_id}", async (HttpContext http, ProjectService service, string project_id) =>
            TypedResults.Ok(new ProjectResponse(Project(await service.GetAsync(http.Caller(), project_id, http.RequestAborted), http.Request))))
            .Action(IamActions.GetProject).WithName("KeystoneShowProject");

        var policies = app.MapGroup("/v3.0/OS-SECURITYPOLICY/domains/{domain_id}").WithTags("IAM security policies");
        policies.MapGet("/password-policy", async (HttpContext http, SecurityPolicyService service, string domain_id) =>
            TypedResults.Ok(new PasswordPolicyResponse(PasswordPolicy(await service.GetAsync(http.Caller(), domain_id, IamActions.GetSecurityPolicy, http.RequestAborted)))))
            .Action(IamActions.GetSecurityPolicy).WithName("ShowDomainPasswordPolicy");
        policies.MapPut("/password-policy", async (HttpContext http, SecurityPolicyService service, string domain_id, PasswordPolicyRequest body) =>
        {
            var input = body.PasswordPolicy ?? throw Check.Invalid("password_policy is required.");
            return TypedResults.Ok(new PasswordPolicyResponse(PasswordPolicy(await service.UpdatePasswordPolicyAsync(http.Caller(), domain_id, input, http.RequestAborted))));
        }).Action(IamActions.UpdateSecurityPolicy).WithName("UpdateDomainPasswordPolicy");
        policies.MapGet("/login-policy", async (HttpContext http, SecurityPolicyService service, string domain_id) =>
            TypedResults.Ok(new LoginPolicyResponse(LoginPolicy(await service.GetAsync(http.Caller(), domain_id, IamActions.GetLoginPolicy, http.RequestAborted)))))
            .Action(IamActions.GetLoginPolicy).WithName("ShowDomainLoginPolicy");
        policies.MapPut("/login-policy", async (HttpContext http, SecurityPolicyService service, string domain_id, LoginPolicyRequest body) =>
        {
            var input = body.LoginPolicy ?? throw Check.Invalid("login_policy is required.");
            return TypedResults.Ok(new LoginPolicyResponse(LoginPolicy(await service.UpdateLoginPolicyAsync(http.Caller(), domain_id, input, http.RequestAborted))));
        }).Action(IamActions.UpdateLoginPolicy).WithName("UpdateDomainLoginPolicy");
    }

    static PasswordPolicyView PasswordPolicy(SecurityPolicy p) => new(
        p.MaximumConsecutiveIdenticalChars, p.MaximumPasswordLength, p.MinimumPasswordAge, p.MinimumPasswordLength,
        p.NumberOfRecentPasswordsDisallowed, p.PasswordNotUsernameOrInvert,
        $"A password must contain at least {p.PasswordCharCombination} of: uppercase letters, lowercase letters, digits and special characters, and be {p.MinimumPasswordLength} to {p.MaximumPasswordLength} characters long.",
        p.PasswordValidityPeriod, p.PasswordCharCombination);

    static LoginPolicyView LoginPolicy(SecurityPolicy p) => new(
        p.AccountValidityPeriod, p.CustomInfoForLogin, p.LockoutDuration, p.LoginFailedTimes, p.PeriodWithLoginFailures,
        p.SessionTimeout, p.ShowRecentLoginInfo);
}
