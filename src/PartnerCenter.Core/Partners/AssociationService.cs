using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Partners;

/// <summary>
/// A reason a customer's association cannot change yet (pending-payment orders, unpaid arrears). Each capability that
/// can hold an association registers one; commerce and billing do.
/// </summary>
public interface IAssociationChangeCheck
{
    Task<string?> ReasonToKeepAsync(string customerAccountId, CancellationToken ct);
}

/// <summary>An invitation with the names the two sides know each other by.</summary>
public sealed record InvitationView(AssociationInvitation Invitation, string PartnerName, string CustomerName, bool Expired);

/// <summary>The customer's side: its partner, and how they are associated.</summary>
public sealed record MyPartnerView(CustomerAssociation Association, Partner Partner, string PartnerAccountName);

/// <summary>
/// How customers and partners come together and part: invitations for existing accounts, changing the association type,
/// dissolving it, the partner's account manager for a customer, and the customer's authorization for resource O&amp;M.
/// </summary>
public sealed class AssociationService(
    AppDbContext db, PartnerScope scope, AccessControl access, IEnumerable<IAssociationChangeCheck> changeChecks, PartnerAccounts.PartnerAccountService funds, Coupons.CouponService coupons,
    TimeProvider clock)
{
    /// <summary>How long an invitation link stays valid.</summary>
    public static readonly TimeSpan InvitationValidity = TimeSpan.FromDays(7);

    public async Task<AssociationInvitation> InviteAsync(Caller caller, string? accountName, string? associationType, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.CreateCustomer, indirectPartnerId, PartnerNeed.Customers, ct);
        if (partner.Program == PartnerProgram.Distributor) throw new ServiceException(Errors.DistributorCannotAssociate());
        var type = associationType ?? AssociationTypes.Resale;
        if (!AssociationTypes.IsValid(type)) throw Check.Invalid("association_type must be \"1\" (referral) or \"3\" (resale).");
        var name = Check.Required(accountName, "account_name");
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name && a.Status == AccountStatus.Active, ct)
                      ?? throw Check.Invalid("No active account has that name.");
        await RequireAssociableAsync(account, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.AssociationInvitations.AnyAsync(i => i.PartnerAccountId == partner.AccountId && i.CustomerAccountId == account.Id
                                                          && i.Status == InvitationStatus.Pending && i.ExpiresAt > now, ct))
            throw Check.Invalid("An invitation to this account is already pending.");
        var invitation = new AssociationInvitation
        {
            Id = Ids.New(), PartnerAccountId = partner.AccountId, CustomerAccountId = account.Id, AssociationType = type,
            Status = InvitationStatus.Pending, CreatedAt = now, ExpiresAt = now + InvitationValidity,
        };
        db.AssociationInvitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        return invitation;
    }

    public async Task<List<InvitationView>> ListSentAsync(Caller caller, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, indirectPartnerId, PartnerNeed.Customers, ct);
        return await ViewsAsync(db.AssociationInvitations.Where(i => i.PartnerAccountId == partner.AccountId), ct);
    }

    /// <summary>The invitations addressed to the caller's account.</summary>
    public async Task<List<InvitationView>> ListReceivedAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewMyPartner, ct);
        return await ViewsAsync(db.AssociationInvitations.Where(i => i.CustomerAccountId == caller.AccountId), ct);
    }

    /// <summary>Accepting associates the account; a resale association starts frozen with no budget, like a new resale customer.</summary>
    public async Task<CustomerAssociation> AcceptAsync(Caller caller, string invitationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var invitation = await ReceivedAsync(caller, invitationId, ct);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == caller.AccountId, ct);
        await RequireAssociableAsync(account, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        invitation.Status = InvitationStatus.Accepted;
        invitation.RespondedAt = now;
        var resale = invitation.AssociationType == AssociationTypes.Resale;
        var association = new CustomerAssociation
        {
            CustomerAccountId = caller.AccountId, PartnerAccountId = invitation.PartnerAccountId, AssociationType = invitation.AssociationType,
            AssociatedAt = now, IsFrozen = resale, FreezeType = resale ? FreezeType.Account : null,
        };
        db.CustomerAssociations.Add(association);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.AlreadyAssociated());
        }
        await tx.CommitAsync(ct);
        return association;
    }

    public async Task DeclineAsync(Caller caller, string invitationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var invitation = await ReceivedAsync(caller, invitationId, ct);
        invitation.Status = InvitationStatus.Declined;
        invitation.RespondedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The caller's partner, or null when the account has none.</summary>
    public async Task<MyPartnerView?> MyPartnerAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewMyPartner, ct);
        var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == caller.AccountId, ct);
        if (association is null) return null;
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.AccountId == association.PartnerAccountId, ct);
        var name = await db.Accounts.AsNoTracking().Where(a => a.Id == partner.AccountId).Select(a => a.Name).SingleAsync(ct);
        return new MyPartnerView(association, partner, name);
    }

    /// <summary>
    /// Switches between referral and resale. To resale: frozen with no budget until the partner sets one. To referral:
    /// the budget goes (with a DELETE record) and the customer is unfrozen, paying for itself from then on.
    /// </summary>
    public async Task<CustomerAssociation> ChangeTypeAsync(Caller caller, string customerId, string? associationType, string? indirectPartnerId, CancellationToken ct = default)
    {
        if (!AssociationTypes.IsValid(associationType)) throw Check.Invalid("association_type must be \"1\" (referral) or \"3\" (resale).");
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ManageAssociations, indirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, customerId, ct, track: true);
        if (association.AssociationType == associationType) return association;
        await RequireChangeableAsync(customerId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (associationType == AssociationTypes.Referral)
        {
            await funds.ReturnOnUnbindAsync(association, "the switch to referral", ct);
            await coupons.ReclaimOnUnbindAsync(association, ct);
            await RemoveBudgetAsync(association, partner.AccountId, caller.UserName, ct);
            association.IsFrozen = false;
            association.FreezeType = null;
        }
        else
        {
            association.IsFrozen = true;
            association.FreezeType = FreezeType.Account;
        }
        association.AssociationType = associationType!;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return association;
    }

    /// <summary>Dissolves the association, from either side. The budget is removed with a DELETE record by "system".</summary>
    public async Task DissolveAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct = default)
    {
        CustomerAssociation association;
        if (customerId is null)
        {
            RequireOwner(caller);
            association = await db.CustomerAssociations.SingleOrDefaultAsync(a => a.CustomerAccountId == caller.AccountId, ct)
                          ?? throw new ServiceException(Errors.NotYourCustomer());
        }
        else
        {
            var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ManageAssociations, indirectPartnerId, PartnerNeed.Customers, ct);
            association = await scope.CustomerOfAsync(partner, customerId, ct, track: true);
        }
        await RequireChangeableAsync(association.CustomerAccountId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await funds.ReturnOnUnbindAsync(association, "dissolving the association", ct);
        await coupons.ReclaimOnUnbindAsync(association, ct);
        await RemoveBudgetAsync(association, association.PartnerAccountId, "system", ct);
        await RevokeAgenciesAsync(association, ct);
        db.CustomerAssociations.Remove(association);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Makes one of the partner's IAM users the customer's account manager (one per customer), or clears it.</summary>
    public async Task AssignManagerAsync(Caller caller, string customerId, string? userId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ManageAssociations, indirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, customerId, ct, track: true);
        if (userId is not null && !await db.Users.AnyAsync(u => u.Id == userId && u.AccountId == partner.AccountId, ct))
            throw new ServiceException(Errors.NotAPartnerMember());
        association.AccountManagerUserId = userId;
        await db.SaveChangesAsync(ct);
    }

    public async Task<CustomerAuthorization> RequestAuthorizationAsync(Caller caller, string customerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ManageAssociations, null, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, customerId, ct);
        if (await db.CustomerAuthorizations.AnyAsync(a => a.PartnerAccountId == partner.AccountId && a.CustomerAccountId == customerId
                                                          && (a.Status == AuthorizationStatus.Pending || a.Status == AuthorizationStatus.Accepted), ct))
            throw Check.Invalid("An authorization request for this customer is already pending or accepted.");
        var partnerName = await db.Accounts.Where(a => a.Id == partner.AccountId).Select(a => a.Name).SingleAsync(ct);
        var request = new CustomerAuthorization
        {
            Id = Ids.New(), PartnerAccountId = partner.AccountId, CustomerAccountId = association.CustomerAccountId, Status = AuthorizationStatus.Pending,
            AgencyName = ("partner_" + partnerName)[..Math.Min(64, 8 + partnerName.Length)], CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.CustomerAuthorizations.Add(request);
        await db.SaveChangesAsync(ct);
        return request;
    }

    public async Task<List<CustomerAuthorization>> ListAuthorizationsAsync(Caller caller, bool asCustomer, CancellationToken ct = default)
    {
        if (asCustomer)
        {
            await access.RequireAsync(caller, PartnerActions.ViewMyPartner, ct);
            return await db.CustomerAuthorizations.AsNoTracking().Where(a => a.CustomerAccountId == caller.AccountId).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
        }
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, null, PartnerNeed.Customers, ct);
        return await db.CustomerAuthorizations.AsNoTracking().Where(a => a.PartnerAccountId == partner.AccountId).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
    }

    /// <summary>The customer accepts: an agency trusting the partner's account, with the Tenant Administrator role.</summary>
    public async Task<CustomerAuthorization> AcceptAuthorizationAsync(Caller caller, string authorizationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var request = await PendingAuthorizationAsync(caller, authorizationId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var agency = await db.Agencies.SingleOrDefaultAsync(a => a.AccountId == caller.AccountId && a.Name == request.AgencyName, ct);
        if (agency is null)
        {
            agency = new Agency
            {
                Id = Ids.New(), AccountId = caller.AccountId, Name = request.AgencyName, TrustAccountId = request.PartnerAccountId,
                Description = "Partner resource O&M authorization", CreatedAt = now,
            };
            db.Agencies.Add(agency);
            db.AgencyRoles.Add(new AgencyRole { AccountId = caller.AccountId, AgencyId = agency.Id, RoleId = SystemRoles.TenantAdministrator.Id });
        }
        request.Status = AuthorizationStatus.Accepted;
        request.AgencyId = agency.Id;
        request.RespondedAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return request;
    }

    public async Task DeclineAuthorizationAsync(Caller caller, string authorizationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var request = await PendingAuthorizationAsync(caller, authorizationId, ct);
        request.Status = AuthorizationStatus.Declined;
        request.RespondedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The customer withdraws an accepted authorization: the agency goes, and with it every token issued through it.</summary>
    public async Task RevokeAuthorizationAsync(Caller caller, string authorizationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var request = await db.CustomerAuthorizations.SingleOrDefaultAsync(a => a.Id == authorizationId && a.CustomerAccountId == caller.AccountId, ct)
                      ?? throw new ServiceException(Errors.AuthorizationNotFound());
        if (request.Status != AuthorizationStatus.Accepted) throw new ServiceException(Errors.AuthorizationClosed());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await DeleteAgencyAsync(caller.AccountId, request.AgencyId, ct);
        request.Status = AuthorizationStatus.Revoked;
        request.RespondedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<List<PartnerNotification>> NotificationsAsync(Caller caller, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, null, PartnerNeed.Customers, ct);
        return await db.PartnerNotifications.AsNoTracking().Where(n => n.PartnerAccountId == partner.AccountId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(100).ToListAsync(ct);
    }

    async Task RequireAssociableAsync(Account account, CancellationToken ct)
    {
        if (account.IsOperator || await db.Partners.AnyAsync(p => p.AccountId == account.Id, ct)) throw new ServiceException(Errors.CannotAssociatePartner());
        if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == account.Id, ct)) throw new ServiceException(Errors.AlreadyAssociated());
    }

    async Task RequireChangeableAsync(string customerId, CancellationToken ct)
    {
        foreach (var check in changeChecks)
            if (await check.ReasonToKeepAsync(customerId, ct) is { } reason)
                throw new ServiceException(Errors.AssociationChangeRefused(reason));
    }

    async Task RemoveBudgetAsync(CustomerAssociation association, string partnerId, string operatorName, CancellationToken ct)
    {
        var budget = await db.CustomerBudgets.SingleOrDefaultAsync(b => b.CustomerAccountId == association.CustomerAccountId, ct);
        if (budget is null) return;
        db.BudgetRecords.Add(new BudgetRecord
        {
            CustomerAccountId = association.CustomerAccountId, PartnerAccountId = partnerId, Operation = BudgetOperation.Delete,
            BudgetType = budget.BudgetType, BudgetAmount = budget.BudgetAmount, OperatedAt = clock.GetUtcNow().UtcDateTime, Operator = operatorName,
        });
        db.CustomerBudgets.Remove(budget);
    }

    async Task RevokeAgenciesAsync(CustomerAssociation association, CancellationToken ct)
    {
        var accepted = await db.CustomerAuthorizations.Where(a => a.CustomerAccountId == association.CustomerAccountId && a.PartnerAccountId == association.PartnerAccountId
                                                                  && a.Status == AuthorizationStatus.Accepted).ToListAsync(ct);
        foreach (var request in accepted)
        {
            await DeleteAgencyAsync(association.CustomerAccountId, request.AgencyId, ct);
            request.Status = AuthorizationStatus.Revoked;
        }
    }

    async Task DeleteAgencyAsync(string accountId, string? agencyId, CancellationToken ct)
    {
        if (agencyId is null) return;
        await db.AgencyRoles.Where(r => r.AccountId == accountId && r.AgencyId == agencyId).ExecuteDeleteAsync(ct);
        await db.Tokens.Where(t => t.AgencyId == agencyId).ExecuteDeleteAsync(ct);
        await db.Agencies.Where(a => a.AccountId == accountId && a.Id == agencyId).ExecuteDeleteAsync(ct);
    }

    async Task<AssociationInvitation> ReceivedAsync(Caller caller, string invitationId, CancellationToken ct)
    {
        var invitation = await db.AssociationInvitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.CustomerAccountId == caller.AccountId, ct)
                         ?? throw new ServiceException(Errors.InvitationNotFound());
        if (invitation.Status != InvitationStatus.Pending || invitation.ExpiresAt <= clock.GetUtcNow().UtcDateTime) throw new ServiceException(Errors.InvitationClosed());
        return invitation;
    }

    async Task<CustomerAuthorization> PendingAuthorizationAsync(Caller caller, string authorizationId, CancellationToken ct)
    {
        var request = await db.CustomerAuthorizations.SingleOrDefaultAsync(a => a.Id == authorizationId && a.CustomerAccountId == caller.AccountId, ct)
                      ?? throw new ServiceException(Errors.AuthorizationNotFound());
        return request.Status == AuthorizationStatus.Pending ? request : throw new ServiceException(Errors.AuthorizationClosed());
    }

    async Task<List<InvitationView>> ViewsAsync(IQueryable<AssociationInvitation> invitations, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (from i in invitations.AsNoTracking()
                          join p in db.Partners on i.PartnerAccountId equals p.AccountId
                          join c in db.Accounts on i.CustomerAccountId equals c.Id
                          orderby i.CreatedAt descending
                          select new { i, p.CompanyName, c.Name }).Take(200).ToListAsync(ct);
        return rows.Select(r => new InvitationView(r.i, r.CompanyName, r.Name, r.i.Status == InvitationStatus.Pending && r.i.ExpiresAt <= now)).ToList();
    }

    /// <summary>Responding to invitations and authorizations, and dissolving from the customer side, is the account's own decision.</summary>
    static void RequireOwner(Caller caller)
    {
        if (!caller.IsAccountOwner || caller.IsDelegated) throw new ServiceException(Errors.OwnerOnly());
    }
}

/// <summary>An account associated with a partner, or a partner with customers, cannot be closed.</summary>
public sealed class PartnerClosureCheck(AppDbContext db) : IAccountClosureCheck
{
    public async Task<string?> ReasonToKeepOpenAsync(string accountId, CancellationToken ct)
    {
        if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == accountId, ct)) return "it is associated with a partner; dissolve the association first.";
        if (await db.CustomerAssociations.AnyAsync(a => a.PartnerAccountId == accountId, ct)) return "it is a partner with customers.";
        return null;
    }
}
