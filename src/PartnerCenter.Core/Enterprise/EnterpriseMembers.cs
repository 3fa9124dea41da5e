using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Enterprise;

/// <summary>CreateSubEnterpriseAccount's fields, as the SDK names them.</summary>
public sealed record NewEnterpriseMember(
    string? PartyId, string? DisplayName, int? SubCustomerAssociationType, IReadOnlyList<string?>? PermissionIds, int? FinancialCustody,
    string? CustomerName, string? MobilePhone, string? UsePriMobilePhone, string? Password, string? VerificationCode);

/// <summary>ListEnterpriseSubCustomers' filters: names exact, or contained when <c>fuzzy_query</c> is 1.</summary>
public sealed record MemberFilter(string? AccountName, string? DisplayName, int? FuzzyQuery, string? OrgId, int? Offset, int? Limit);

/// <summary>A member with its account and unit, as the master lists it.</summary>
public sealed record MemberView(EnterpriseMember Member, string AccountName, string UnitName, int Status);

/// <summary>An invitation with the names both sides know each other by; <c>Expired</c> for a pending one past its date.</summary>
public sealed record EnterpriseInvitationView(EnterpriseInvitation Invitation, string MasterName, string InviteeName, string UnitName, bool Expired);

/// <summary>
/// A reason a member cannot leave its organization yet. Each capability that can hold a member registers one (money or
/// coupons transferred and not retrieved, custody charges unpaid); <see cref="CustodyOrdersCheck"/> is this folder's.
/// </summary>
public interface IEnterpriseMemberRemovalCheck
{
    Task<string?> ReasonToKeepAsync(string masterAccountId, string memberAccountId, CancellationToken ct);
}

/// <summary>
/// A master's members: created as new accounts of the same legal entity (with an SMS code), or existing accounts that
/// accept an invitation; moved between units; removed, after which the account carries on independent.
/// </summary>
public sealed partial class EnterpriseMembers(
    AppDbContext db, AccessControl access, EnterpriseCenter center, EnterpriseOrganization organization, EnterpriseSmsCodes smsCodes,
    AccountService accounts, IEnumerable<IEnterpriseMemberRemovalCheck> removalChecks, TimeProvider clock)
{
    /// <summary>How long an invitation can be answered.</summary>
    public static readonly TimeSpan InvitationValidity = TimeSpan.FromDays(15);

    /// <summary>What an invited account must be, checked when it is invited and again when it accepts (shown with the invitation).</summary>
    public static readonly IReadOnlyList<string> JoinRequirements =
    [
        "an enterprise account (not an individual one)",
        "not an enterprise master account, and not a member of another organization",
        "not a partner, and without a partner program application pending",
        "not a customer of a partner",
    ];

    /// <summary>The permission ids a member can grant its master; financial custody grants exactly these.</summary>
    static readonly HashSet<string> KnownPermissions = [.. EnterpriseCodes.CustodyPermissions];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{4,31}$")]
    private static partial Regex AccountName();

    /// <summary>
    /// CreateSubEnterpriseAccount: a new enterprise account in the master's country (the same legal entity, the only
    /// kind documented) with its own root user, a member of <c>party_id</c> at once (status 1).
    /// </summary>
    public async Task<Account> CreateAsync(Caller caller, NewEnterpriseMember input, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        if (input.SubCustomerAssociationType is not (null or EnterpriseCodes.SameLegalEntity))
            throw Check.Invalid("sub_customer_association_type must be 1 (the same legal entity).");
        var custody = Custody(input.FinancialCustody);
        var permissions = custody ? EnterpriseCodes.CustodyPermissions : Permissions(input.PermissionIds);
        var name = Check.Required(input.CustomerName, "new_sub_customer.customer_name");
        if (!AccountName().IsMatch(name)) throw Check.Invalid("new_sub_customer.customer_name must be 5 to 32 letters, digits, hyphens or underscores, starting with a letter.");
        var displayName = DisplayName(input.DisplayName, name);
        Passwords.Check(new SecurityPolicy { AccountId = "" }, input.Password, name);
        var masterAccount = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == master.AccountId, ct);
        var usePrimary = input.UsePriMobilePhone switch
        {
            "Y" => true,
            null or "" or "N" => false,
            _ => throw Check.Invalid("new_sub_customer.use_pri_mobile_phone must be Y or N."),
        };
        // With use_pri_mobile_phone the code goes to the master's own number and the member keeps none (a number belongs to one account).
        var codeMobile = usePrimary
            ? masterAccount.Mobile ?? throw Check.Invalid("new_sub_customer.use_pri_mobile_phone is Y but the master account has no mobile number.")
            : EnterpriseSmsCodes.Mobile(Check.Required(input.MobilePhone, "new_sub_customer.mobile_phone"), "new_sub_customer.mobile_phone");
        var unit = await organization.UnitAsync(master, input.PartyId, "party_id", ct);
        if (await db.Accounts.AnyAsync(a => a.Name == name, ct)) throw new ServiceException(Errors.AccountNameTaken());
        if (!usePrimary && await db.Accounts.AnyAsync(a => a.Mobile == codeMobile, ct)) throw new ServiceException(Errors.MobileTaken());
        var codeId = await smsCodes.VerifyAsync(master.AccountId, codeMobile, input.VerificationCode, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await smsCodes.ConsumeAsync(codeId, ct);
        var account = await accounts.CreateValidatedAsync(name, input.Password, null, usePrimary ? null : codeMobile, AccountType.Enterprise, masterAccount.Country, false, ct, save: false);
        db.EnterpriseMembers.Add(new EnterpriseMember
        {
            MemberAccountId = account.Id, MasterAccountId = master.AccountId, UnitId = unit.Id, Status = EnterpriseCodes.Normal, Origin = MemberOrigin.Created,
            FinancialCustody = custody, Permissions = string.Join(' ', permissions), JoinedAt = now, DisplayName = displayName,
        });
        await EnterpriseEvents.AddAsync(db, master.AccountId, master.AccountId, "member.created", $"Member {name} created",
            $"The member account {name} was created in {unit.Name}{(custody ? ", under financial custody" : "")}.", now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent registration took the name or number between the checks and the insert.
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.AccountNameTaken());
        }
        await tx.CommitAsync(ct);
        return account;
    }

    /// <summary>Invites an existing account to a unit; the requirements are checked now and again when it accepts.</summary>
    public async Task<EnterpriseInvitation> InviteAsync(Caller caller, string? accountName, string? unitId, bool financialCustody, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        var name = Check.Required(accountName, "account_name");
        var unit = await organization.UnitAsync(master, string.IsNullOrEmpty(unitId) ? master.RootUnitId : unitId, "unit_id", ct);
        var invitee = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name, ct) ?? throw Check.Invalid("account_name is not an account.");
        if (invitee.Id == master.AccountId) throw new ServiceException(Errors.EnterpriseCannotJoin("a master cannot invite its own account."));
        await RequireJoinableAsync(invitee, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.EnterpriseInvitations.AnyAsync(i => i.MasterAccountId == master.AccountId && i.InviteeAccountId == invitee.Id
                                                         && i.Status == InvitationStatus.Pending && i.ExpiresAt > now, ct))
            throw Check.Invalid("An invitation to this account is already pending.");
        var invitation = new EnterpriseInvitation
        {
            Id = Ids.New(), MasterAccountId = master.AccountId, UnitId = unit.Id, InviteeAccountId = invitee.Id, FinancialCustody = financialCustody,
            Status = InvitationStatus.Pending, CreatedAt = now, ExpiresAt = now + InvitationValidity,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EnterpriseInvitations.Add(invitation);
        await EnterpriseEvents.AddAsync(db, invitee.Id, master.AccountId, "member.invited", $"{caller.AccountName} invites you to its organization",
            $"{caller.AccountName} invites your account to join its enterprise organization (unit {unit.Name}{(financialCustody ? ", under financial custody" : "")}). " +
            $"Accept or decline it in Enterprise Center > My organization before {now + InvitationValidity:yyyy-MM-dd HH:mm} UTC.", now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return invitation;
    }

    /// <summary>The master's invitations, newest first.</summary>
    public async Task<List<EnterpriseInvitationView>> SentInvitationsAsync(Caller caller, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.View, ct);
        return await InvitationViewsAsync(db.EnterpriseInvitations.Where(i => i.MasterAccountId == master.AccountId), ct);
    }

    /// <summary>The invitations addressed to the caller's account, newest first.</summary>
    public async Task<List<EnterpriseInvitationView>> ReceivedInvitationsAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseActions.ViewMyOrganization, ct);
        return await InvitationViewsAsync(db.EnterpriseInvitations.Where(i => i.InviteeAccountId == caller.AccountId), ct);
    }

    /// <summary>The account joins: the requirements hold again now, and the unit (if it went meanwhile: the root) takes it.</summary>
    public async Task<EnterpriseMember> AcceptAsync(Caller caller, string invitationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var invitation = await PendingReceivedAsync(caller, invitationId, ct);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == caller.AccountId, ct);
        await RequireJoinableAsync(account, ct);
        var master = await db.EnterpriseMasters.AsNoTracking().SingleAsync(m => m.AccountId == invitation.MasterAccountId, ct);
        var unitId = await db.EnterpriseUnits.AnyAsync(u => u.Id == invitation.UnitId, ct) ? invitation.UnitId : master.RootUnitId;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ClosePendingAsync(invitation.Id, InvitationStatus.Accepted, now, ct);
        var member = new EnterpriseMember
        {
            MemberAccountId = account.Id, MasterAccountId = master.AccountId, UnitId = unitId, Status = EnterpriseCodes.Normal, Origin = MemberOrigin.Invited,
            FinancialCustody = invitation.FinancialCustody, Permissions = invitation.FinancialCustody ? string.Join(' ', EnterpriseCodes.CustodyPermissions) : "",
            JoinedAt = now, DisplayName = account.Name,
        };
        db.EnterpriseMembers.Add(member);
        await EnterpriseEvents.AddAsync(db, master.AccountId, master.AccountId, "invitation.accepted", $"{account.Name} joined your organization",
            $"{account.Name} accepted your invitation and is now a member of your organization.", now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // It accepted another organization's invitation at the same moment (the member row's key).
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.EnterpriseCannotJoin("it is already a member of an organization."));
        }
        await tx.CommitAsync(ct);
        return member;
    }

    /// <summary>Declining leaves the account as it was, independent.</summary>
    public async Task DeclineAsync(Caller caller, string invitationId, CancellationToken ct = default)
    {
        RequireOwner(caller);
        var invitation = await PendingReceivedAsync(caller, invitationId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ClosePendingAsync(invitation.Id, InvitationStatus.Declined, now, ct);
        await EnterpriseEvents.AddAsync(db, invitation.MasterAccountId, invitation.MasterAccountId, "invitation.declined", $"{caller.AccountName} declined your invitation",
            $"{caller.AccountName} declined your invitation to join your organization.", now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The master withdraws an invitation it sent that is still open (not answered, not expired); the invitee is told and
    /// its My organization no longer offers it. Another master's invitation is not found.
    /// </summary>
    public async Task<EnterpriseInvitation> CancelInvitationAsync(Caller caller, string? invitationId, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        var id = Check.MaxLength(Check.Required(invitationId, "enterprise_invitation_id"), "enterprise_invitation_id", 32);
        var invitation = await db.EnterpriseInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.MasterAccountId == master.AccountId, ct)
                         ?? throw new ServiceException(Errors.EnterpriseInvitationNotFound());
        var now = clock.GetUtcNow().UtcDateTime;
        if (invitation.Status != InvitationStatus.Pending || invitation.ExpiresAt <= now) throw new ServiceException(Errors.EnterpriseInvitationClosed());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ClosePendingAsync(invitation.Id, InvitationStatus.Cancelled, now, ct);
        await EnterpriseEvents.AddAsync(db, invitation.InviteeAccountId, master.AccountId, "invitation.cancelled", $"{caller.AccountName} withdrew its invitation",
            $"{caller.AccountName} withdrew its invitation to join its organization; your account stays as it is.", now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        invitation.Status = InvitationStatus.Cancelled;
        invitation.AnsweredAt = now;
        return invitation;
    }

    public async Task<EnterpriseMember> MoveAsync(Caller caller, string memberId, string? unitId, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        var member = await MemberAsync(master, memberId, ct);
        var unit = await organization.UnitAsync(master, unitId, "unit_id", ct);
        if (member.UnitId == unit.Id) return member;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        member.UnitId = unit.Id;
        await EnterpriseEvents.AddAsync(db, member.MemberAccountId, master.AccountId, "member.moved", "Your account moved to another unit",
            $"{caller.AccountName} moved your account to the unit {unit.Name} of its organization.", now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return member;
    }

    /// <summary>
    /// Removes a member, refused while any capability holds it (see <see cref="IEnterpriseMemberRemovalCheck"/>). The
    /// account, created or invited, carries on as an independent enterprise account with everything it owns.
    /// </summary>
    public async Task RemoveAsync(Caller caller, string memberId, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.ManageMembers, ct);
        var member = await MemberAsync(master, memberId, ct);
        foreach (var check in removalChecks)
            if (await check.ReasonToKeepAsync(master.AccountId, member.MemberAccountId, ct) is { } reason)
                throw new ServiceException(Errors.EnterpriseMemberKept(reason));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.EnterpriseMembers.Remove(member);
        await EnterpriseEvents.AddAsync(db, member.MemberAccountId, master.AccountId, "member.removed", "Your account left an organization",
            $"{caller.AccountName} removed your account from its organization; it is an independent account now.", now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>ListEnterpriseSubCustomers: <c>offset</c> 0 or more (default 0), <c>limit</c> 1–100 (default 10), oldest member first.</summary>
    public async Task<(List<MemberView> Items, int Total)> ListAsync(Caller caller, MemberFilter f, CancellationToken ct = default)
    {
        var master = await center.MasterAsync(caller, EnterpriseActions.View, ct);
        if (f.FuzzyQuery is not (null or 0 or 1)) throw Check.Invalid("fuzzy_query must be 0 or 1.");
        var offset = f.Offset ?? 0;
        var limit = f.Limit ?? 10;
        if (offset < 0) throw Check.Invalid("offset must be 0 or more.");
        if (limit is < 1 or > 100) throw Check.Invalid("limit must be 1 to 100.");
        Check.MaxLength(f.AccountName, "sub_customer_account_name", 64);
        Check.MaxLength(f.DisplayName, "sub_customer_display_name", 64);
        var q = from m in db.EnterpriseMembers.AsNoTracking()
                join a in db.Accounts.AsNoTracking() on m.MemberAccountId equals a.Id
                join u in db.EnterpriseUnits.AsNoTracking() on m.UnitId equals u.Id
                where m.MasterAccountId == master.AccountId
                select new { m, a.Name, a.Status, UnitName = u.Name };
        var fuzzy = f.FuzzyQuery == 1;
        if (!string.IsNullOrEmpty(f.AccountName)) q = fuzzy ? q.Where(x => x.Name.Contains(f.AccountName)) : q.Where(x => x.Name == f.AccountName);
        if (!string.IsNullOrEmpty(f.DisplayName)) q = fuzzy ? q.Where(x => x.m.DisplayName.Contains(f.DisplayName)) : q.Where(x => x.m.DisplayName == f.DisplayName);
        if (!string.IsNullOrEmpty(f.OrgId))
        {
            var unit = await organization.UnitAsync(master, f.OrgId, "org_id", ct);
            q = q.Where(x => x.m.UnitId == unit.Id);
        }
        var total = await q.CountAsync(ct);
        var page = await q.OrderBy(x => x.m.JoinedAt).ThenBy(x => x.m.MemberAccountId).Skip(offset).Take(limit).ToListAsync(ct);
        // A closed account reads as closed (4), whatever its membership row says.
        return (page.Select(x => new MemberView(x.m, x.Name, x.UnitName, x.Status == AccountStatus.Closed ? EnterpriseCodes.Closed : x.m.Status)).ToList(), total);
    }

    /// <summary>The events for the caller's account (a master's organization events, a member's own), newest first.</summary>
    public async Task<List<EnterpriseEvent>> EventsAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, EnterpriseActions.ViewMyOrganization, ct);
        return await db.EnterpriseEvents.AsNoTracking().Where(e => e.AccountId == caller.AccountId)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(100).ToListAsync(ct);
    }

    async Task RequireJoinableAsync(Account account, CancellationToken ct)
    {
        string? reason = null;
        if (account.Status == AccountStatus.Closed) reason = "the account is closed.";
        else if (account.IsOperator) reason = "the platform operator's account cannot join.";
        else if (account.Type != AccountType.Enterprise) reason = "it is an individual account; only an enterprise account can join.";
        else if (await EnterpriseCenter.IsMasterAsync(db, account.Id, ct)) reason = "it is an enterprise master account itself.";
        else if (await db.EnterpriseMembers.AnyAsync(m => m.MemberAccountId == account.Id, ct)) reason = "it is already a member of an organization.";
        else if (await EnterpriseCenter.IsPartnerOrApplyingAsync(db, account.Id, ct)) reason = "it is a partner account or has a partner program application pending.";
        else if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == account.Id, ct)) reason = "it is a customer of a partner; that association must be dissolved first.";
        if (reason is not null) throw new ServiceException(Errors.EnterpriseCannotJoin(reason));
    }

    async Task<EnterpriseMember> MemberAsync(EnterpriseMaster master, string? memberId, CancellationToken ct)
    {
        var id = Check.Required(memberId, "sub_customer_id");
        if (id.Length > 64) throw Check.Invalid("sub_customer_id is at most 64 characters.");
        return await EnterpriseMembership.All(db, master.AccountId).SingleOrDefaultAsync(m => m.MemberAccountId == id, ct)
               ?? throw new ServiceException(Errors.EnterpriseMemberNotFound());
    }

    async Task<EnterpriseInvitation> PendingReceivedAsync(Caller caller, string invitationId, CancellationToken ct)
    {
        var invitation = await db.EnterpriseInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId && i.InviteeAccountId == caller.AccountId, ct)
                         ?? throw new ServiceException(Errors.EnterpriseInvitationNotFound());
        if (invitation.Status != InvitationStatus.Pending || invitation.ExpiresAt <= clock.GetUtcNow().UtcDateTime) throw new ServiceException(Errors.EnterpriseInvitationClosed());
        return invitation;
    }

    /// <summary>
    /// Ends a pending invitation with a conditional update, so of an accept, a decline and a cancel racing for it exactly
    /// one wins; the others are told it was answered meanwhile and roll back.
    /// </summary>
    async Task ClosePendingAsync(string invitationId, InvitationStatus status, DateTime now, CancellationToken ct)
    {
        if (await db.EnterpriseInvitations.Where(i => i.Id == invitationId && i.Status == InvitationStatus.Pending && i.ExpiresAt > now)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, status).SetProperty(i => i.AnsweredAt, now), ct) == 0)
            throw new ServiceException(Errors.EnterpriseInvitationClosed());
    }

    async Task<List<EnterpriseInvitationView>> InvitationViewsAsync(IQueryable<EnterpriseInvitation> invitations, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (from i in invitations.AsNoTracking()
                          join m in db.Accounts on i.MasterAccountId equals m.Id
                          join a in db.Accounts on i.InviteeAccountId equals a.Id
                          join u in db.EnterpriseUnits on i.UnitId equals u.Id into units
                          from u in units.DefaultIfEmpty()
                          orderby i.CreatedAt descending
                          select new { i, Master = m.Name, Invitee = a.Name, Unit = u == null ? null : u.Name }).Take(200).ToListAsync(ct);
        return rows.Select(r => new EnterpriseInvitationView(r.i, r.Master, r.Invitee, r.Unit ?? "(deleted unit)", r.i.Status == InvitationStatus.Pending && r.i.ExpiresAt <= now)).ToList();
    }

    static bool Custody(int? value) => value switch
    {
        null or 0 => false,
        1 => true,
        _ => throw Check.Invalid("financial_custody must be 0 or 1."),
    };

    static string[] Permissions(IReadOnlyList<string?>? ids)
    {
        if (ids is null) return [];
        if (ids.Any(id => id is null || !KnownPermissions.Contains(id)))
            throw Check.Invalid("permission_ids holds only " + string.Join(", ", EnterpriseCodes.CustodyPermissions) + ".");
        return ids.Select(id => id!).Distinct().ToArray();
    }

    static string DisplayName(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        var trimmed = value.Trim();
        return trimmed.Length > 64 || trimmed.Any(char.IsControl) ? throw Check.Invalid("display_name must be 1 to 64 characters, without control characters.") : trimmed;
    }

    /// <summary>Answering an invitation is the account's own decision.</summary>
    static void RequireOwner(Caller caller)
    {
        if (!caller.IsAccountOwner || caller.IsDelegated) throw new ServiceException(Errors.OwnerOnly());
    }
}

/// <summary>A member under financial custody with orders waiting for payment stays until they are paid or cancelled: its master pays them.</summary>
public sealed class CustodyOrdersCheck(AppDbContext db) : IEnterpriseMemberRemovalCheck
{
    public async Task<string?> ReasonToKeepAsync(string masterAccountId, string memberAccountId, CancellationToken ct) =>
        await db.EnterpriseMembers.AnyAsync(m => m.MemberAccountId == memberAccountId && m.FinancialCustody, ct)
        && await db.Orders.AnyAsync(o => o.CustomerAccountId == memberAccountId && o.Status == Orders.OrderStatus.PendingPayment, ct)
            ? "it is under financial custody and has orders pending payment; pay or cancel them first."
            : null;
}
