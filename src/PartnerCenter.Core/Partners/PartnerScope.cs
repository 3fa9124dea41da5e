using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Partners;

/// <summary>What an operation needs of the partner it acts for.</summary>
public enum PartnerNeed
{
    /// <summary>Any partner with customers: list, create (a distributor only for its resellers).</summary>
    Customers,
    /// <summary>Set budgets, freeze and unfreeze: a CSP or distributor, or a reseller the distributor delegated to.</summary>
    BudgetsAndFreezing,
}

/// <summary>
/// Works out which partner an operation acts for: the caller's own partner account, or (for a distributor passing
/// indirect_partner_id) one of its resellers. Every partner operation starts here, so the rules live in one place.
/// </summary>
public sealed class PartnerScope(AppDbContext db, AccessControl access)
{
    public async Task<Partner> ActingPartnerAsync(Caller caller, string action, string? indirectPartnerId, PartnerNeed need, CancellationToken ct)
    {
        await access.RequireAsync(caller, action, ct);
        var own = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == caller.AccountId, ct)
                  ?? throw new ServiceException(Errors.NotAPartner());
        if (string.IsNullOrEmpty(indirectPartnerId))
        {
            if (need == PartnerNeed.BudgetsAndFreezing && own.Program == PartnerProgram.Reseller && !own.CanManageBudgets)
                throw new ServiceException(Errors.ResellerPermissionMissing());
            return own;
        }
        if (indirectPartnerId.Length > 64) throw Check.Invalid("indirect_partner_id is at most 64 characters.");
        if (own.Program != PartnerProgram.Distributor) throw new ServiceException(Errors.NotYourReseller());
        var reseller = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.PartnerId == indirectPartnerId && p.DistributorAccountId == own.AccountId, ct)
                       ?? throw new ServiceException(Errors.NotYourReseller());
        if (need == PartnerNeed.BudgetsAndFreezing && reseller.CanManageBudgets) throw new ServiceException(Errors.DelegatedToReseller());
        return reseller;
    }

    /// <summary>The association of a customer of <paramref name="partner"/>, or CBC.99000035: another partner's customer is never revealed.</summary>
    public async Task<CustomerAssociation> CustomerOfAsync(Partner partner, string? customerId, CancellationToken ct, bool track = false)
    {
        if (string.IsNullOrEmpty(customerId)) throw Check.Invalid("customer_id is required.");
        if (customerId.Length > 64) throw Check.Invalid("customer_id is at most 64 characters.");
        var q = track ? db.CustomerAssociations : db.CustomerAssociations.AsNoTracking();
        return await q.SingleOrDefaultAsync(a => a.CustomerAccountId == customerId && a.PartnerAccountId == partner.AccountId, ct)
               ?? throw new ServiceException(Errors.NotYourCustomer());
    }
}
