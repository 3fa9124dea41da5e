using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

public sealed record AgencyInput(string? Name, string? DomainId, string? TrustDomainId, string? TrustDomainName, string? Description, string? Duration);

/// <summary>Agencies: an account delegates to another account, whose users then assume the agency's roles in it.</summary>
public sealed class AgencyService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public async Task<Agency> CreateAsync(Caller caller, AgencyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.CreateAgency, ct);
        if (input.DomainId is not null && input.DomainId != caller.AccountId) throw Check.Invalid("agency.domain_id must be the caller's own account.");
        var name = Check.Name(input.Name, "agency.name");
        var trusted = await TrustedAccountAsync(input.TrustDomainId, input.TrustDomainName, ct);
        if (trusted == caller.AccountId) throw Check.Invalid("An account cannot delegate to itself.");
        if (await db.Agencies.AnyAsync(a => a.AccountId == caller.AccountId && a.Name == name, ct)) throw new ServiceException(Errors.NameTaken("agency"));
        var now = clock.GetUtcNow().UtcDateTime;
        var (duration, expires) = DurationOf(input.Duration, now);
        var agency = new Agency
        {
            Id = Ids.New(), AccountId = caller.AccountId, Name = name, TrustAccountId = trusted,
            Description = Check.MaxLength(input.Description, "agency.description", 255), Duration = duration, ExpiresAt = expires, CreatedAt = now,
        };
        db.Agencies.Add(agency);
        await db.SaveChangesAsync(ct);
        return agency;
    }

    /// <summary>ListAgencies: the caller's agencies (<paramref name="domainId"/>, when given, must be its own account), filtered, one page by name.</summary>
    public async Task<List<Agency>> ListAsync(
        Caller caller, string? domainId, string? trustDomainId, string? name, int? page = null, int? perPage = null, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListAgencies, ct);
        if (!string.IsNullOrEmpty(domainId) && domainId != caller.AccountId) throw Check.Invalid("domain_id must be the caller's own account.");
        var (skip, take) = Paging.Of(page, perPage, 500);
        var q = db.Agencies.AsNoTracking().Where(a => a.AccountId == caller.AccountId);
        if (!string.IsNullOrEmpty(trustDomainId)) q = q.Where(a => a.TrustAccountId == trustDomainId);
        if (!string.IsNullOrEmpty(name)) q = q.Where(a => a.Name == name);
        return await q.OrderBy(a => a.Name).ThenBy(a => a.Id).Skip(skip).Take(take).ToListAsync(ct);
    }

    public async Task<Agency> GetAsync(Caller caller, string agencyId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GetAgency, ct);
        return await FindAsync(caller.AccountId, agencyId, ct);
    }

    public async Task<Agency> UpdateAsync(Caller caller, string agencyId, AgencyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateAgency, ct);
        var agency = await FindAsync(caller.AccountId, agencyId, ct);
        if (input.TrustDomainId is not null || input.TrustDomainName is not null)
        {
            var trusted = await TrustedAccountAsync(input.TrustDomainId, input.TrustDomainName, ct);
            if (trusted == caller.AccountId) throw Check.Invalid("An account cannot delegate to itself.");
            agency.TrustAccountId = trusted;
        }
        if (input.Description is not null) agency.Description = Check.MaxLength(input.Description, "agency.description", 255);
        if (input.Duration is not null) (agency.Duration, agency.ExpiresAt) = DurationOf(input.Duration, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return agency;
    }

    public async Task DeleteAsync(Caller caller, string agencyId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.DeleteAgency, ct);
        var agency = await FindAsync(caller.AccountId, agencyId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.AgencyRoles.Where(r => r.AccountId == caller.AccountId && r.AgencyId == agencyId).ExecuteDeleteAsync(ct);
        await db.Tokens.Where(t => t.AgencyId == agencyId).ExecuteDeleteAsync(ct);
        db.Agencies.Remove(agency);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task GrantAsync(Caller caller, string domainId, string agencyId, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.GrantAgencyRole, ct);
        await RequireAgencyAsync(caller, domainId, agencyId, ct);
        if (!await db.Roles.AnyAsync(r => r.Id == roleId && (r.AccountId == null || r.AccountId == caller.AccountId), ct)) throw new ServiceException(Errors.RoleNotFound());
        if (await db.AgencyRoles.AnyAsync(r => r.AccountId == caller.AccountId && r.AgencyId == agencyId && r.RoleId == roleId, ct)) return;
        db.AgencyRoles.Add(new AgencyRole { AccountId = caller.AccountId, AgencyId = agencyId, RoleId = roleId });
        await db.SaveChangesAsync(ct);
    }

    public async Task RevokeAsync(Caller caller, string domainId, string agencyId, string roleId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.RevokeAgencyRole, ct);
        await RequireAgencyAsync(caller, domainId, agencyId, ct);
        var removed = await db.AgencyRoles.Where(r => r.AccountId == caller.AccountId && r.AgencyId == agencyId && r.RoleId == roleId).ExecuteDeleteAsync(ct);
        if (removed == 0) throw new ServiceException(Errors.RoleNotFound());
    }

    public async Task<List<IamRole>> ListRolesAsync(Caller caller, string domainId, string agencyId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.ListAgencyRoles, ct);
        await RequireAgencyAsync(caller, domainId, agencyId, ct);
        return await db.Roles.AsNoTracking()
            .Where(r => db.AgencyRoles.Any(a => a.AccountId == caller.AccountId && a.AgencyId == agencyId && a.RoleId == r.Id))
            .OrderBy(r => r.Name).ToListAsync(ct);
    }

    /// <summary>The names of the trusted accounts of these agencies, by account id.</summary>
    public Task<Dictionary<string, string>> TrustedNamesAsync(IEnumerable<Agency> agencies, CancellationToken ct = default)
    {
        var ids = agencies.Select(a => a.TrustAccountId).Distinct().ToList();
        return db.Accounts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }

    async Task RequireAgencyAsync(Caller caller, string domainId, string agencyId, CancellationToken ct)
    {
        if (domainId != caller.AccountId || !await db.Agencies.AnyAsync(a => a.AccountId == caller.AccountId && a.Id == agencyId, ct))
            throw new ServiceException(Errors.AgencyNotFound());
    }

    async Task<string> TrustedAccountAsync(string? id, string? name, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(name)) throw Check.Invalid("agency.trust_domain_id or agency.trust_domain_name is required.");
        return await db.Accounts.Where(a => string.IsNullOrEmpty(id) ? a.Name == name : a.Id == id).Select(a => a.Id).SingleOrDefaultAsync(ct)
               ?? throw new ServiceException(Errors.DomainNotFound());
    }

    async Task<Agency> FindAsync(string accountId, string agencyId, CancellationToken ct) =>
        await db.Agencies.SingleOrDefaultAsync(a => a.AccountId == accountId && a.Id == agencyId, ct) ?? throw new ServiceException(Errors.AgencyNotFound());

    static (string, DateTime?) DurationOf(string? duration, DateTime now) => duration switch
    {
        null or "" or "FOREVER" => ("FOREVER", null),
        "ONEDAY" => ("1", now.AddDays(1)),
        _ when int.TryParse(duration, out var days) && days is >= 1 and <= 3650 => (days.ToString(), now.AddDays(days)),
        _ => throw Check.Invalid("agency.duration must be FOREVER, ONEDAY or a number of days."),
    };
}
