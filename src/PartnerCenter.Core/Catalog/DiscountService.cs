using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Catalog;

public static class DiscountActions
{
    public const string Manage = "bss:discount:update";
    public const string View = "bss:discount:view";
    public const string Rate = "bss:rating:view";
}

/// <summary>A discount to grant: the share taken off list price (0 &lt; rate &lt; 1, at most 4 decimals), optionally for one service type.</summary>
public sealed record DiscountInput(string? CustomerId, decimal? DiscountRate, string? ServiceTypeCode, DateTime? ValidFrom, DateTime? ValidTo, string? IndirectPartnerId = null);

public sealed record SettlementView(string PartnerId, string PartnerAccountId, decimal? Rate, DateTime? EffectiveFrom);

/// <summary>
/// Discounts on list price: a partner's discount for one of its own customers (607), the operator's commercial discount
/// for any customer (605), and the settlement discount the operator gives a partner on its resale customers' consumption.
/// Granting a new discount of the same type and scope to a customer replaces the one in force (it is revoked, kept as history).
/// </summary>
public sealed class DiscountService(AppDbContext db, PartnerScope scope, AccessControl access, Revenue.IncentiveRates incentives, TimeProvider clock)
{
    public async Task<CustomerDiscount> GrantPartnerDiscountAsync(Caller caller, DiscountInput input, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, DiscountActions.Manage, input.IndirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, input.CustomerId, ct);
        // The operator's incentive policy for the program says on which services partners may discount (allow_discount).
        var policy = await incentives.InForceAsync(partner.Program, Billing.BillCycle.Containing(clock.GetUtcNow().UtcDateTime), ct);
        if (string.IsNullOrEmpty(input.ServiceTypeCode)
                ? policy.Default is { AllowDiscount: false } || policy.ByService.Values.Any(r => !r.AllowDiscount)
                : policy.For(input.ServiceTypeCode) is { AllowDiscount: false })
            throw new ServiceException(Errors.DiscountNotAllowed(string.IsNullOrEmpty(input.ServiceTypeCode) ? "every service" : input.ServiceTypeCode));
        return await GrantAsync(caller, association.CustomerAccountId, partner.AccountId, DiscountTypes.PartnerSet, input, ct);
    }

    public async Task<CustomerDiscount> GrantCommercialDiscountAsync(Caller caller, DiscountInput input, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("grant commercial discounts"));
        await access.RequireAsync(caller, DiscountActions.Manage, ct);
        var customerId = Check.MaxLength(Check.Required(input.CustomerId, "customer_id"), "customer_id", 64);
        if (!await db.Accounts.AnyAsync(a => a.Id == customerId && !a.IsOperator, ct)) throw new ServiceException(Errors.DomainNotFound());
        return await GrantAsync(caller, customerId, caller.AccountId, DiscountTypes.Commercial, input, ct);
    }

    async Task<CustomerDiscount> GrantAsync(Caller caller, string customerId, string grantedBy, int type, DiscountInput input, CancellationToken ct)
    {
        var rate = input.DiscountRate ?? throw Check.Invalid("discount_rate is required.");
        if (rate <= 0 || rate >= 1 || rate != Math.Round(rate, 4)) throw Check.Invalid("discount_rate is the share taken off list price: greater than 0, less than 1, at most 4 decimal places.");
        var service = string.IsNullOrEmpty(input.ServiceTypeCode) ? null : input.ServiceTypeCode;
        if (service is not null && !await db.ServiceTypes.AnyAsync(s => s.Code == service, ct)) throw Check.Invalid($"service_type_code {service} is not a service type of the catalog.");
        var now = clock.GetUtcNow().UtcDateTime;
        var from = input.ValidFrom is { } f ? DateTime.SpecifyKind(f.ToUniversalTime(), DateTimeKind.Utc) : now;
        DateTime? to = input.ValidTo is { } t ? DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc) : null;
        if (to is not null && to <= from) throw Check.Invalid("valid_to must be after valid_from.");
        if (to is not null && to <= now) throw Check.Invalid("valid_to must be in the future.");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var replaced = await db.CustomerDiscounts
            .Where(d => d.CustomerAccountId == customerId && d.DiscountType == type && d.ServiceTypeCode == service && d.RevokedAt == null)
            .ToListAsync(ct);
        foreach (var old in replaced)
        {
            old.RevokedAt = now;
            old.RevokedBy = caller.UserName;
        }
        var discount = new CustomerDiscount
        {
            Id = Ids.New(), CustomerAccountId = customerId, GrantedByAccountId = grantedBy, DiscountType = type, Rate = rate,
            ServiceTypeCode = service, ValidFrom = from, ValidTo = to, CreatedAt = now, CreatedBy = caller.UserName,
        };
        db.CustomerDiscounts.Add(discount);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return discount;
    }

    /// <summary>Revokes a discount: a partner its own 607 discounts, the operator commercial ones. Anyone else's is "not found".</summary>
    public async Task RevokeAsync(Caller caller, string discountId, string? indirectPartnerId = null, CancellationToken ct = default)
    {
        Check.MaxLength(discountId, "discount_id", 64);
        string grantedBy;
        if (caller.IsOperator)
        {
            await access.RequireAsync(caller, DiscountActions.Manage, ct);
            grantedBy = caller.AccountId;
        }
        else grantedBy = (await scope.ActingPartnerAsync(caller, DiscountActions.Manage, indirectPartnerId, PartnerNeed.Customers, ct)).AccountId;
        var discount = await db.CustomerDiscounts.SingleOrDefaultAsync(d => d.Id == discountId && d.GrantedByAccountId == grantedBy && d.RevokedAt == null, ct)
                       ?? throw new ServiceException(Errors.DiscountNotFound());
        discount.RevokedAt = clock.GetUtcNow().UtcDateTime;
        discount.RevokedBy = caller.UserName;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The discounts the caller granted (a partner: its 607 discounts; the operator: commercial ones), newest first,
    /// optionally for one customer; revoked ones only when asked.
    /// </summary>
    public async Task<List<CustomerDiscount>> ListGrantedAsync(Caller caller, string? customerId, bool includeRevoked, string? indirectPartnerId = null, CancellationToken ct = default)
    {
        Check.MaxLength(customerId, "customer_id", 64);
        string grantedBy;
        if (caller.IsOperator)
        {
            await access.RequireAsync(caller, DiscountActions.View, ct);
            grantedBy = caller.AccountId;
        }
        else grantedBy = (await scope.ActingPartnerAsync(caller, DiscountActions.View, indirectPartnerId, PartnerNeed.Customers, ct)).AccountId;
        return await db.CustomerDiscounts.AsNoTracking()
            .Where(d => d.GrantedByAccountId == grantedBy && (customerId == null || customerId == "" || d.CustomerAccountId == customerId) && (includeRevoked || d.RevokedAt == null))
            .OrderByDescending(d => d.CreatedAt).Take(1000).ToListAsync(ct);
    }

    /// <summary>The operator's commercial discounts (605), for the operator only.</summary>
    public Task<List<CustomerDiscount>> ListCommercialAsync(Caller caller, string? customerId, bool includeRevoked, CancellationToken ct = default) =>
        caller.IsOperator ? ListGrantedAsync(caller, customerId, includeRevoked, null, ct) : throw new ServiceException(Errors.OperatorOnly("list commercial discounts"));

    public Task RevokeCommercialAsync(Caller caller, string discountId, CancellationToken ct = default) =>
        caller.IsOperator ? RevokeAsync(caller, discountId, null, ct) : throw new ServiceException(Errors.OperatorOnly("revoke commercial discounts"));

    /// <summary>The operator sets a partner's settlement discount (0 ≤ rate &lt; 1, at most 4 decimals), effective now; earlier ones stay as history.</summary>
    public async Task SetSettlementDiscountAsync(Caller caller, string? partnerId, decimal? rate, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("set settlement discounts"));
        await access.RequireAsync(caller, DiscountActions.Manage, ct);
        Check.MaxLength(Check.Required(partnerId, "partner_id"), "partner_id", 64);
        if (rate is not { } r || r < 0 || r >= 1 || r != Math.Round(r, 4)) throw Check.Invalid("discount_rate must be 0 or more, less than 1, with at most 4 decimal places.");
        var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.PartnerId == partnerId, ct) ?? throw new ServiceException(Errors.NotAPartner());
        db.SettlementDiscounts.Add(new SettlementDiscount { PartnerAccountId = partner.AccountId, Rate = r, EffectiveFrom = clock.GetUtcNow().UtcDateTime, SetBy = caller.UserName });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A partner's settlement discount in force: a partner sees only its own (partnerId null or its own), the operator any partner's.</summary>
    public async Task<SettlementView> ShowSettlementDiscountAsync(Caller caller, string? partnerId, CancellationToken ct = default)
    {
        Partner partner;
        if (caller.IsOperator)
        {
            await access.RequireAsync(caller, DiscountActions.View, ct);
            Check.MaxLength(Check.Required(partnerId, "partner_id"), "partner_id", 64);
            partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.PartnerId == partnerId, ct) ?? throw new ServiceException(Errors.NotAPartner());
        }
        else
        {
            partner = await scope.ActingPartnerAsync(caller, DiscountActions.View, null, PartnerNeed.Customers, ct);
            if (!string.IsNullOrEmpty(partnerId) && partnerId != partner.PartnerId) throw new ServiceException(Errors.OperatorOnly("read another partner's settlement discount"));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var current = await db.SettlementDiscounts.AsNoTracking().Where(s => s.PartnerAccountId == partner.AccountId && s.EffectiveFrom <= now)
            .OrderByDescending(s => s.EffectiveFrom).ThenByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        return new SettlementView(partner.PartnerId, partner.AccountId, current?.Rate, current?.EffectiveFrom);
    }
}
