using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Partners;

/// <summary>The programs an account requested and the one it is enrolled in.</summary>
public sealed record PartnerPrograms(Partner? Enrolled, IReadOnlyList<PartnerApplication> Applications);

/// <summary>
/// Partner programs: an account applies to the cloud solution provider or distribution program and the
/// operator decides; an account applies to be a distributor's reseller and that distributor decides.
/// </summary>
public sealed class PartnerProgramService(AppDbContext db, AccessControl access, TimeProvider clock, PartnerNetwork.NetworkService network)
{
    public async Task<PartnerApplication> ApplyAsync(Caller caller, PartnerProgram program, string? companyName, string? distributorPartnerId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.Apply, ct);
        var company = Check.MaxLength(Check.Required(companyName, "company_name"), "company_name", 256);
        if (caller.IsOperator) throw new ServiceException(Errors.AlreadyPartner());
        if (await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct)
            || await db.PartnerApplications.AnyAsync(a => a.AccountId == caller.AccountId && a.Status == ApplicationStatus.Pending, ct)
            || await db.NetworkApplications.AnyAsync(a => a.AccountId == caller.AccountId && a.Status == PartnerNetwork.NetworkApplicationStatus.Pending, ct))
            throw new ServiceException(Errors.AlreadyPartner());
        // An enterprise master manages its own organization; the source documents keep masters and solution providers apart.
        if (await Enterprise.EnterpriseCenter.IsMasterAsync(db, caller.AccountId, ct)) throw new ServiceException(Errors.EnterpriseMasterCannotBePartner());
        if (await db.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == caller.AccountId, ct))
            throw Check.Invalid("A partner's customer cannot join the partner network; dissolve the association first.");
        string? distributor = null;
        if (program == PartnerProgram.Reseller)
        {
            if (string.IsNullOrEmpty(distributorPartnerId)) throw Check.Invalid("distributor_partner_id is required to apply as a reseller.");
            distributor = await db.Partners.Where(p => p.PartnerId == distributorPartnerId && p.Program == PartnerProgram.Distributor)
                              .Select(p => p.AccountId).SingleOrDefaultAsync(ct)
                          ?? throw Check.Invalid("distributor_partner_id is not a distributor.");
        }
        var application = new PartnerApplication
        {
            Id = Ids.New(), AccountId = caller.AccountId, Program = program, DistributorAccountId = distributor, CompanyName = company,
            Status = ApplicationStatus.Pending, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.PartnerApplications.Add(application);
        await db.SaveChangesAsync(ct);
        return application;
    }

    /// <summary>The operator decides CSP and distributor applications; a distributor decides its reseller applications.</summary>
    public async Task<PartnerApplication> DecideAsync(Caller caller, string applicationId, bool approve, string? reason, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.DecideApplications, ct);
        var application = await db.PartnerApplications.SingleOrDefaultAsync(a => a.Id == applicationId, ct) ?? throw new ServiceException(Errors.ApplicationNotFound());
        var mayDecide = application.Program == PartnerProgram.Reseller ? application.DistributorAccountId == caller.AccountId : caller.IsOperator;
        if (!mayDecide) throw new ServiceException(Errors.ApplicationNotFound());
        if (application.Status != ApplicationStatus.Pending) throw new ServiceException(Errors.ApplicationDecided());
        var now = clock.GetUtcNow().UtcDateTime;
        application.Status = approve ? ApplicationStatus.Approved : ApplicationStatus.Rejected;
        application.DecidedAt = now;
        application.DecidedBy = caller.UserName;
        application.DecisionReason = Check.MaxLength(reason, "reason", 256);
        if (approve)
        {
            db.Partners.Add(new Partner
            {
                AccountId = application.AccountId, PartnerId = Ids.New(), Program = application.Program,
                DistributorAccountId = application.DistributorAccountId, CompanyName = application.CompanyName, JoinedAt = now,
            });
            // Enrolled in a program, the account is in the partner network (joining it with this company name if it had not).
            await network.JoinThroughProgramAsync(application, caller.UserName, now, ct);
        }
        await db.SaveChangesAsync(ct);
        return application;
    }

    /// <summary>Applications the caller may decide (the operator: CSP and distributor ones; a distributor: its resellers'), or its own.</summary>
    public async Task<List<PartnerApplication>> ListApplicationsAsync(Caller caller, ApplicationStatus? status, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewPrograms, ct);
        var q = db.PartnerApplications.AsNoTracking();
        q = caller.IsOperator
            ? q.Where(a => a.Program != PartnerProgram.Reseller)
            : q.Where(a => a.AccountId == caller.AccountId || a.DistributorAccountId == caller.AccountId);
        if (status is { } s) q = q.Where(a => a.Status == s);
        return await q.OrderByDescending(a => a.CreatedAt).Take(500).ToListAsync(ct);
    }

    /// <summary>The caller's requested and enrolled programs.</summary>
    public async Task<PartnerPrograms> MineAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewPrograms, ct);
        var partner = await db.Partners.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == caller.AccountId, ct);
        var applications = await db.PartnerApplications.AsNoTracking().Where(a => a.AccountId == caller.AccountId).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
        return new PartnerPrograms(partner, applications);
    }

    public static PartnerProgram ParseProgram(string? program) => program?.ToLowerInvariant() switch
    {
        "csp" or "cloud_solution_provider" => PartnerProgram.CloudSolutionProvider,
        "distributor" or "distribution" => PartnerProgram.Distributor,
        "reseller" => PartnerProgram.Reseller,
        _ => throw Check.Invalid("program must be csp, distributor or reseller."),
    };
}
