using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;
using PartnerCenter.Server.ErrorHandling;

namespace PartnerCenter.Server.Api.Partners;

/// <summary>Both clients' fields: mobile_phone and cooperation_type come from the China model, email and domain_area from the international one.</summary>
public sealed record CreateSubCustomerRequest(
    string? DomainName = null, string? Email = null, string? MobilePhone = null, string? VerificationCode = null, string? DomainArea = null,
    string? XaccountId = null, string? XaccountType = null, string? Password = null, string? IsCloseMarketMs = null, string? CooperationType = null,
    string? IndirectPartnerId = null, bool? IncludeAssociationResult = null, string? AssociationType = null, string? Label = null);

public sealed record CreateSubCustomerResponse(string DomainId, string DomainName);

public sealed record CheckIdentityRequest(string? SearchType, string? SearchValue);

/// <summary>mobile_remain_available_num only for a mobile check.</summary>
public sealed record CheckUserIdentityResponse(string CheckResult, int? MobileRemainAvailableNum);

public sealed record ListSubCustomersRequest(
    string? AccountName = null, string? Customer = null, int? Offset = null, int? Limit = null, string? Label = null, string? AssociationType = null,
    string? AssociatedOnBegin = null, string? AssociatedOnEnd = null, string? CustomerId = null, string? IndirectPartnerId = null,
    string? AccountManagerId = null);

public sealed record ListSubCustomersResponse(List<SubCustomerInfo> CustomerInfos, int Count);

/// <summary>xaccount_id and xaccount_type only for a customer the partner created (not one that accepted an invitation).</summary>
public sealed record SubCustomerInfo(
    string Customer, string AccountName, string CustomerId, string AssociatedOn, string AssociationType, string Label, string? Telephone,
    string VerifiedStatus, string CountryCode, int CustomerType, int IsFrozen, List<AccountManagerInfo> AccountManagers, string? XaccountId,
    string? XaccountType, string CustomerLevel, string? Email);

public sealed record AccountManagerInfo(string AccountName);

public sealed record FreezeRequest(List<string>? CustomerIds, string? Reason, string? FreezeType = null, string? UnfreezeType = null, string? IndirectPartnerId = null);

/// <summary>FreezeSubCustomers and UnfreezeSubCustomers: the customers that failed (none when all succeeded).</summary>
public sealed record FreezeBatchResponse(List<ErrorDetail>? ErrorDetails);

/// <summary>The partner's customers (Huawei BSS): create, check names, list, freeze and unfreeze.</summary>
public static class SubCustomersApi
{
    public static void MapSubCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v2/partners/sub-customers").WithTags("Partner customers");
        api.MapPost("", async (HttpContext http, SubCustomerService service, CreateSubCustomerRequest body) =>
        {
            var account = await service.CreateAsync(http.Caller(), new NewSubCustomer(body.DomainName, body.Email, body.Password, body.DomainArea,
                body.XaccountId, body.XaccountType, body.IndirectPartnerId, body.AssociationType, body.Label, body.MobilePhone, body.CooperationType), http.RequestAborted);
            return TypedResults.Ok(new CreateSubCustomerResponse(account.Id, account.Name));
        }).Action(PartnerActions.CreateCustomer).WithName("CreateSubCustomer")
            .WithSummary("Creates a customer account bound to the partner (resale by default; association_type \"1\" or Huawei's cooperation_type \"1\" for referral). A resale customer starts frozen with no budget.");
        api.MapPost("/users/check-identity", async (HttpContext http, SubCustomerService service, CheckIdentityRequest body) =>
        {
            var (available, remaining) = await service.CheckIdentityAsync(http.Caller(), body.SearchType, body.SearchValue, http.RequestAborted);
            return TypedResults.Ok(new CheckUserIdentityResponse(available ? "available" : "used_by_user", remaining));
        }).Action(PartnerActions.CheckIdentity).WithName("CheckUserIdentity");
        api.MapPost("/query", async (HttpContext http, SubCustomerService service, ListSubCustomersRequest body) =>
        {
            var filter = new SubCustomerFilter(body.AccountName, body.Customer, body.Label, NullIfEmpty(body.AssociationType),
                Utc(body.AssociatedOnBegin, "associated_on_begin"), Utc(body.AssociatedOnEnd, "associated_on_end"), NullIfEmpty(body.CustomerId),
                body.IndirectPartnerId, body.Offset, body.Limit, NullIfEmpty(body.AccountManagerId));
            var (items, count) = await service.ListAsync(http.Caller(), filter, http.RequestAborted);
            return TypedResults.Ok(new ListSubCustomersResponse(items.Select(c => new SubCustomerInfo(
                Customer: c.Account.Name, AccountName: c.Account.Name, CustomerId: c.Account.Id, AssociatedOn: UtcText(c.Association.AssociatedAt),
                AssociationType: c.Association.AssociationType, Label: c.Association.Label, Telephone: c.Account.Mobile,
                VerifiedStatus: "-1", // real-name verification does not exist here: every customer is "not verified"
                CountryCode: c.Account.Country, CustomerType: c.Account.Type == PartnerCenter.Core.Accounts.AccountType.Enterprise ? 1 : 0,
                IsFrozen: c.Association.IsFrozen ? 1 : 0, AccountManagers: c.AccountManagerName is null ? [] : [new AccountManagerInfo(c.AccountManagerName)],
                XaccountId: c.Association.XAccountId, XaccountType: c.Association.XAccountType, CustomerLevel: "V0", Email: c.Account.Email)).ToList(), count));
        }).Action(PartnerActions.ListCustomers).WithName("ListSubCustomers")
            .WithSummary("Huawei's filters, plus account_manager_id (this server's): the customers one partner member manages.");

        api.MapPost("/freeze", async (HttpContext http, FreezeService service, FreezeRequest body) =>
            Batch(await service.FreezeAsync(http.Caller(), body.CustomerIds, body.Reason, body.FreezeType, body.IndirectPartnerId, http.RequestAborted)))
            .Action(PartnerActions.Freeze).WithName("FreezeSubCustomers");
        api.MapPost("/unfreeze", async (HttpContext http, FreezeService service, FreezeRequest body) =>
            Batch(await service.UnfreezeAsync(http.Caller(), body.CustomerIds, body.Reason, body.UnfreezeType, body.IndirectPartnerId, http.RequestAborted)))
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
    static Ok<FreezeBatchResponse> Batch(BatchResult result)
    {
        if (result.Succeeded.Count == 0 && result.Failed.Count > 0) throw new ServiceException(result.Failed[0].Error);
        return TypedResults.Ok(new FreezeBatchResponse(result.Failed.Count == 0 ? null : result.Failed.Select(f => new ErrorDetail(f.Id, f.Error.Code, f.Error.Message)).ToList()));
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
