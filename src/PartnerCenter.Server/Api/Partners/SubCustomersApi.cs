using System.Globalization;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using PartnerCenter.Server.ErrorHandling;

namespace PartnerCenter.Server.Api.Partners;

public sealed record CreateSubCustomerRequest(
    string? DomainName = null, string? Email = null, string? VerificationCode = null, string? DomainArea = null, string? XaccountId = null,
    string? XaccountType = null, string? Password = null, string? IsCloseMarketMs = null, string? IndirectPartnerId = null,
    bool? IncludeAssociationResult = null, string? AssociationType = null, string? Label = null);

public sealed record CheckIdentityRequest(string? SearchType, string? SearchValue);

public sealed record ListSubCustomersRequest(
    string? AccountName = null, string? Customer = null, int? Offset = null, int? Limit = null, string? Label = null, string? AssociationType = null,
    string? AssociatedOnBegin = null, string? AssociatedOnEnd = null, string? CustomerId = null, string? IndirectPartnerId = null,
    string? AccountManagerId = null);

public sealed record FreezeRequest(List<string>? CustomerIds, string? Reason, string? FreezeType = null, string? UnfreezeType = null, string? IndirectPartnerId = null);

/// <summary>The partner's customers (Huawei BSS): create, check names, list, freeze and unfreeze.</summary>
public static class SubCustomersApi
{
    public static void MapSubCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v2/partners/sub-customers").WithTags("Partner customers");
        api.MapPost("", async (HttpContext http, SubCustomerService service, CreateSubCustomerRequest body) =>
        {
            var account = await service.CreateAsync(http.Caller(), new NewSubCustomer(body.DomainName, body.Email, body.Password, body.DomainArea,
                body.XaccountId, body.XaccountType, body.IndirectPartnerId, body.AssociationType, body.Label), http.RequestAborted);
            return Results.Ok(new { domain_id = account.Id, domain_name = account.Name });
        }).Action(PartnerActions.CreateCustomer).WithName("CreateSubCustomer")
            .WithSummary("Creates a customer account bound to the partner (resale by default; association_type \"1\" for referral). A resale customer starts frozen with no budget.");
        api.MapPost("/users/check-identity", async (HttpContext http, SubCustomerService service, CheckIdentityRequest body) =>
        {
            var (available, remaining) = await service.CheckIdentityAsync(http.Caller(), body.SearchType, body.SearchValue, http.RequestAborted);
            return Results.Ok(new { check_result = available ? "available" : "used_by_user", mobile_remain_available_num = remaining });
        }).Action(PartnerActions.CheckIdentity).WithName("CheckUserIdentity");
        api.MapPost("/query", async (HttpContext http, SubCustomerService service, ListSubCustomersRequest body) =>
        {
            var filter = new SubCustomerFilter(body.AccountName, body.Customer, body.Label, NullIfEmpty(body.AssociationType),
                Utc(body.AssociatedOnBegin, "associated_on_begin"), Utc(body.AssociatedOnEnd, "associated_on_end"), NullIfEmpty(body.CustomerId),
                body.IndirectPartnerId, body.Offset, body.Limit, NullIfEmpty(body.AccountManagerId));
            var (items, count) = await service.ListAsync(http.Caller(), filter, http.RequestAborted);
            return Results.Ok(new
            {
                customer_infos = items.Select(c => new
                {
                    customer = c.Account.Name,
                    account_name = c.Account.Name,
                    customer_id = c.Account.Id,
                    associated_on = UtcText(c.Association.AssociatedAt),
                    association_type = c.Association.AssociationType,
                    label = c.Association.Label,
                    telephone = c.Account.Mobile,
                    verified_status = "-1",
                    country_code = c.Account.Country,
                    customer_type = c.Account.Type == PartnerCenter.Core.Accounts.AccountType.Enterprise ? 1 : 0,
                    is_frozen = c.Association.IsFrozen ? 1 : 0,
                    account_managers = c.AccountManagerName is null ? [] : new[] { new { account_name = c.AccountManagerName } },
                    xaccount_id = c.Association.XAccountId,
                    xaccount_type = c.Association.XAccountType,
                    customer_level = "V0",
                    email = c.Account.Email,
                }),
                count,
            });
        }).Action(PartnerActions.ListCustomers).WithName("ListSubCustomers")
            .WithSummary("Huawei's filters, plus account_manager_id (this server's): the customers one partner member manages.");

        api.MapPost("/freeze", async (HttpContext http, FreezeService service, FreezeRequest body) =>
            Batch(http, await service.FreezeAsync(http.Caller(), body.CustomerIds, body.Reason, body.FreezeType, body.IndirectPartnerId, http.RequestAborted)))
            .Action(PartnerActions.Freeze).WithName("FreezeSubCustomers");
        api.MapPost("/unfreeze", async (HttpContext http, FreezeService service, FreezeRequest body) =>
            Batch(http, await service.UnfreezeAsync(http.Caller(), body.CustomerIds, body.Reason, body.UnfreezeType, body.IndirectPartnerId, http.RequestAborted)))
            .Action(PartnerActions.Unfreeze).WithName("UnfreezeSubCustomers");

        app.MapGet("/v1/partners/sub-customers/{customer_id}/freeze-records", async (HttpContext http, FreezeService service, string customer_id, string? indirect_partner_id) =>
        {
            var records = await service.HistoryAsync(http.Caller(), customer_id, indirect_partner_id, http.RequestAborted);
            return Results.Ok(new
            {
                records = records.Select(r => new
                {
                    action = r.Action == FreezeAction.Freeze ? "FREEZE" : "UNFREEZE",
                    type = r.Type == FreezeType.Account ? "ACCOUNT" : "ACCOUNT_AND_RESOURCE",
                    reason = r.Reason, @operator = r.Operator, operation_time = UtcText(r.At),
                }),
            });
        }).Action(PartnerActions.ListCustomers).WithTags("Partner customers").WithName("ListFreezeRecords")
            .WithSummary("Who froze or unfroze a customer, when and why (newest first).");
    }

    /// <summary>A batch answers 200 when anything succeeded (failures in error_details), and the first failure when nothing did.</summary>
    static IResult Batch(HttpContext http, BatchResult result)
    {
        if (result.Failed.Count == 0) return Results.Ok(new { });
        if (result.Succeeded.Count == 0) throw new ServiceException(result.Failed[0].Error);
        return Results.Ok(new { error_details = result.Failed.Select(f => new ErrorDetail(f.Id, f.Error.Code, f.Error.Message)) });
    }

    public static string UtcText(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A UTC time in the documented <c>yyyy-MM-ddTHH:mm:ssZ</c> form; an empty string is refused, as documented.</summary>
    public static DateTime? Utc(string? text, string field)
    {
        if (text is null) return null;
        return DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : throw Check.Invalid($"{field} must be a UTC time as yyyy-MM-ddTHH:mm:ssZ.");
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
