using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Accounts;

public sealed record RegisterRequest(string? Name, string? Password, string? Email, string? Mobile, string? Type, string? Country);

public sealed record AccountUpdateRequest(string? Email, string? Mobile);

public sealed record AccountPasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record AccountCloseRequest(string? Password);

public sealed record AccountView(string DomainId, string Name, string? Email, string? Mobile, string Type, string Country, string Status, bool IsOperator, string CreatedAt);

/// <summary>Our own account operations (the public API has none): register, show, change details and password, close.</summary>
public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Accounts");
        api.MapPost("/accounts", async (HttpContext http, AccountService accounts, RegisterRequest body) =>
        {
            var account = await accounts.RegisterAsync(new Registration(body.Name, body.Password, body.Email, body.Mobile, body.Type, body.Country), http.RequestAborted);
            return Results.Json(View(account), statusCode: StatusCodes.Status201Created);
        }).Anonymous().WithName("RegisterAccount").WithSummary("Registers an account (individual or enterprise); sign in with its name and password.");
        api.MapGet("/account", async (HttpContext http, AccountService accounts) =>
            Results.Ok(View(await accounts.GetAsync(http.Caller(), http.RequestAborted))))
            .Action(CallerAccess.AuthenticatedOnly).WithName("ShowAccount").WithSummary("The account the credentials act in.");
        api.MapPut("/account", async (HttpContext http, AccountService accounts, AccountUpdateRequest body) =>
            Results.Ok(View(await accounts.UpdateDetailsAsync(http.Caller(), new AccountDetailsInput(body.Email, body.Mobile), http.RequestAborted))))
            .Action(CallerAccess.AuthenticatedOnly).WithName("UpdateAccount").WithSummary("Changes the account's email or mobile; the account owner only.");
        api.MapPost("/account/password", async (HttpContext http, AccountService accounts, AccountPasswordRequest body) =>
        {
            await accounts.ChangePasswordAsync(http.Caller(), body.CurrentPassword, body.NewPassword, http.RequestAborted);
            return Results.NoContent();
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ChangeAccountPassword");
        api.MapPost("/account/close", async (HttpContext http, AccountService accounts, AccountCloseRequest body) =>
        {
            await accounts.CloseAsync(http.Caller(), body.Password, http.RequestAborted);
            return Results.NoContent();
        }).Action(CallerAccess.AuthenticatedOnly).WithName("CloseAccount")
            .WithSummary("Closes the account for good; refused while it owes money, holds resources or is associated with a partner.");
    }

    static AccountView View(Account a) => new(a.Id, a.Name, a.Email, a.Mobile, a.Type.ToString().ToLowerInvariant(), a.Country,
        a.Status.ToString().ToLowerInvariant(), a.IsOperator, Api.Iam.IamViews.Time(a.CreatedAt));
}
