using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Mail;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.PartnerNetwork;

/// <summary>The company and contact of a network application, as typed.</summary>
public sealed record NetworkApplicationInput(
    string? CompanyName, string? Country, string? Address, string? Website, string? Industry, string? CompanySize,
    string? ContactName, string? ContactEmail, string? ContactPhone);

/// <summary>An agreement as the applicant accepted it: its code and the version it was shown.</summary>
public sealed record AcceptedAgreement(string? Code, string? Version);

/// <summary>An application in the operator's queue, with how long it has waited.</summary>
public sealed record QueuedApplication(NetworkApplication Application, string AccountName, TimeSpan Age);

/// <summary>Where an account stands in the partner network: its membership and company, its applications and the agreements it accepted.</summary>
public sealed record NetworkStanding(NetworkMember? Member, Company? Company, bool IsCompanyMaster, IReadOnlyList<NetworkApplication> Applications,
    IReadOnlyList<AgreementAcceptance> Acceptances, IReadOnlyList<PartnerNotification> Notifications);

/// <summary>
/// Joining the partner network (HCPN): an account applies with its company, its contact and the network's agreements;
/// the operator approves (the account becomes a member of a new company, of which it is the master account) or
/// rejects with a reason. The decision reaches the applicant by e-mail and console notification in its own transaction.
/// </summary>
public sealed class NetworkService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public async Task<NetworkApplication> ApplyAsync(Caller caller, NetworkApplicationInput input, IReadOnlyList<AcceptedAgreement>? agreements, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.Apply, ct);
        if (caller.IsOperator) throw new ServiceException(Errors.NetworkJoinedOrPending());
        var company = CheckCompany(input.CompanyName, input.Country, input.Address, input.Website, input.Industry, input.CompanySize);
        var contactName = Check.MaxLength(Check.Required(input.ContactName, "contact_name").Trim(), "contact_name", 64);
        var contactEmail = Check.Email(Check.Required(input.ContactEmail, "contact_email").Trim(), "contact_email")!;
        var contactPhone = Check.Mobile(Check.Required(input.ContactPhone, "contact_phone").Trim(), "contact_phone")!;
        CheckAccepted(agreements, NetworkCatalog.JoinAgreements, "agreements");
        if (await db.NetworkMembers.AnyAsync(m => m.AccountId == caller.AccountId, ct)
            || await db.NetworkApplications.AnyAsync(a => a.AccountId == caller.AccountId && a.Status == NetworkApplicationStatus.Pending, ct))
            throw new ServiceException(Errors.NetworkJoinedOrPending());
        var now = clock.GetUtcNow().UtcDateTime;
        var application = new NetworkApplication
        {
            Id = Ids.New(), AccountId = caller.AccountId, CompanyName = company.Name, Country = company.Country, Address = company.Address,
            Website = company.Website, Industry = company.Industry, Size = company.Size, ContactName = contactName, ContactEmail = contactEmail,
            ContactPhone = contactPhone, Status = NetworkApplicationStatus.Pending, CreatedAt = now,
        };
        db.NetworkApplications.Add(application);
        foreach (var a in NetworkCatalog.JoinAgreements)
            db.AgreementAcceptances.Add(new AgreementAcceptance
            {
                AccountId = caller.AccountId, AgreementCode = a.Code, Version = a.Version, AcceptedWith = application.Id, AcceptedBy = caller.UserName, AcceptedAt = now,
            });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The partial unique index on (account, pending): a concurrent application got in first.
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.NetworkJoinedOrPending());
        }
        return application;
    }

    /// <summary>The operator approves or rejects (a rejection needs its reason); the applicant is told in the same transaction.</summary>
    public async Task<NetworkApplication> DecideAsync(Caller caller, string? applicationId, bool approve, string? reason, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.DecideApplications, ct);
        if (!caller.IsOperator) throw new ServiceException(Errors.NetworkApplicationNotFound());
        var application = await db.NetworkApplications.SingleOrDefaultAsync(a => a.Id == applicationId, ct) ?? throw new ServiceException(Errors.NetworkApplicationNotFound());
        var why = string.IsNullOrWhiteSpace(reason) ? null : Check.MaxLength(reason.Trim(), "reason", 512);
        if (!approve && why is null) throw Check.Invalid("reason is required to reject: the applicant reads it.");
        if (application.Status != NetworkApplicationStatus.Pending) throw new ServiceException(Errors.NetworkApplicationDecided());
        var now = clock.GetUtcNow().UtcDateTime;
        (application.Status, application.DecidedAt, application.DecidedBy, application.DecisionReason) =
            (approve ? NetworkApplicationStatus.Approved : NetworkApplicationStatus.Rejected, now, caller.UserName, why);
        if (approve)
        {
            var company = new CheckedCompany(application.CompanyName, application.Country, application.Address, application.Website, application.Industry, application.Size);
            AddMember(application.AccountId, company, application.ContactName, application.ContactEmail, application.ContactPhone, "network_application", caller.UserName, now);
        }
        await TellAsync(db, application.AccountId, approve ? "network.approved" : "network.rejected",
            approve ? "Welcome to the partner network" : "Your partner network application was rejected",
            approve
                ? $"Your application to join the partner network as {application.CompanyName} was approved. You can now apply to partner programs and complete your business information."
                : $"Your application to join the partner network as {application.CompanyName} was rejected: {why} You may correct it and apply again.",
            now, ct);
        await db.SaveChangesAsync(ct);
        return application;
    }

    /// <summary>The operator's review queue: oldest first, each with its age.</summary>
    public async Task<IReadOnlyList<QueuedApplication>> QueueAsync(Caller caller, NetworkApplicationStatus? status, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.DecideApplications, ct);
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("review partner network applications"));
        var q = db.NetworkApplications.AsNoTracking();
        if (status is { } s) q = q.Where(a => a.Status == s);
        var rows = await q.OrderBy(a => a.CreatedAt).Take(500)
            .Join(db.Accounts, a => a.AccountId, x => x.Id, (a, x) => new { a, x.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return rows.Select(r => new QueuedApplication(r.a, r.Name, (r.a.DecidedAt ?? now) - r.a.CreatedAt)).ToList();
    }

    public async Task<NetworkStanding> StandingAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.ViewPrograms, ct);
        var member = await db.NetworkMembers.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == caller.AccountId, ct);
        var company = member is null ? null : await db.Companies.AsNoTracking().SingleAsync(c => c.Id == member.CompanyId, ct);
        var applications = await db.NetworkApplications.AsNoTracking().Where(a => a.AccountId == caller.AccountId).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
        var acceptances = await db.AgreementAcceptances.AsNoTracking().Where(a => a.AccountId == caller.AccountId).OrderByDescending(a => a.AcceptedAt).ThenBy(a => a.Id).ToListAsync(ct);
        var notifications = await db.PartnerNotifications.AsNoTracking()
            .Where(n => n.PartnerAccountId == caller.AccountId && (n.Kind.StartsWith("network.") || n.Kind.StartsWith("business_info.")))
            .OrderByDescending(n => n.Id).Take(20).ToListAsync(ct);
        return new NetworkStanding(member, company, company?.MasterAccountId == caller.AccountId, applications, acceptances, notifications);
    }

    /// <summary>
    /// A program application approved for an account not yet in the network makes it a member with the company name the
    /// program form gave (the rest of the company is filled in later): the way accounts enrolled before joining existed
    /// stay consistent with those that joined first. Added to the caller's unit of work.
    /// </summary>
    public async Task JoinThroughProgramAsync(PartnerApplication application, string decidedBy, DateTime now, CancellationToken ct)
    {
        if (await db.NetworkMembers.AnyAsync(m => m.AccountId == application.AccountId, ct)) return;
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == application.AccountId, ct);
        AddMember(application.AccountId, new CheckedCompany(application.CompanyName, account.Country, "", null, "other", NetworkCatalog.Sizes[0]),
            account.Name, account.Email ?? "", account.Mobile ?? "", "program_application", decidedBy, now);
    }

    /// <summary>Whether the account is a member of the partner network.</summary>
    public Task<bool> IsMemberAsync(string accountId, CancellationToken ct = default) => db.NetworkMembers.AnyAsync(m => m.AccountId == accountId, ct);

    void AddMember(string accountId, CheckedCompany c, string contactName, string contactEmail, string contactPhone, string source, string by, DateTime now)
    {
        var company = new Company
        {
            Id = Ids.New(), MasterAccountId = accountId, Name = c.Name, Country = c.Country, Address = c.Address, Website = c.Website,
            Industry = c.Industry, Size = c.Size, CreatedAt = now, UpdatedAt = now,
        };
        db.Companies.Add(company);
        db.CompanyRevisions.Add(Revision(company, source, by, now));
        db.NetworkMembers.Add(new NetworkMember { AccountId = accountId, CompanyId = company.Id, ContactName = contactName, ContactEmail = contactEmail, ContactPhone = contactPhone, JoinedAt = now });
    }

    internal static CompanyRevision Revision(Company c, string source, string by, DateTime now) => new()
    {
        CompanyId = c.Id, Name = c.Name, Country = c.Country, Address = c.Address, Website = c.Website, Industry = c.Industry, Size = c.Size,
        Source = source, ChangedBy = by, ChangedAt = now,
    };

    internal sealed record CheckedCompany(string Name, string Country, string Address, string? Website, string Industry, string Size);

    internal static CheckedCompany CheckCompany(string? name, string? country, string? address, string? website, string? industry, string? size)
    {
        var n = Check.MaxLength(Check.Required(name, "company_name").Trim(), "company_name", 256);
        var c = Check.Required(country, "country").Trim().ToUpperInvariant();
        if (c.Length != 2 || !c.All(char.IsAsciiLetterUpper)) throw Check.Invalid("country is a two-letter ISO 3166 code, e.g. SG.");
        var a = Check.MaxLength(Check.Required(address, "address").Trim(), "address", 512);
        string? w = null;
        if (!string.IsNullOrWhiteSpace(website))
        {
            w = Check.MaxLength(website.Trim(), "website", 256);
            if (!Uri.TryCreate(w, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
                throw Check.Invalid("website is an http or https address, e.g. https://example.com.");
        }
        var i = Check.Required(industry, "industry").Trim();
        if (!NetworkCatalog.Industries.ContainsKey(i)) throw Check.Invalid($"industry is one of {string.Join(", ", NetworkCatalog.Industries.Keys)}.");
        var s = Check.Required(size, "company_size").Trim();
        if (!NetworkCatalog.Sizes.Contains(s)) throw Check.Invalid($"company_size is one of {string.Join(", ", NetworkCatalog.Sizes)}.");
        return new CheckedCompany(n, c, a, w, i, s);
    }

    /// <summary>Every agreement in <paramref name="required"/> must be among those accepted, in its current version.</summary>
    internal static void CheckAccepted(IReadOnlyList<AcceptedAgreement>? accepted, IReadOnlyList<Agreement> required, string field)
    {
        foreach (var a in required)
            if (accepted?.Any(x => x.Code == a.Code && x.Version == a.Version) != true)
                throw new ServiceException(Errors.AgreementNotAccepted(field, a.Title, a.Version));
    }

    /// <summary>A console notification and an e-mail for an account, added to the unit of work of the change they report.</summary>
    internal static async Task TellAsync(AppDbContext db, string accountId, string kind, string subject, string message, DateTime now, CancellationToken ct)
    {
        db.PartnerNotifications.Add(new PartnerNotification { PartnerAccountId = accountId, CustomerAccountId = accountId, Kind = kind, Message = message, CreatedAt = now });
        var email = await db.NetworkMembers.AsNoTracking().Where(m => m.AccountId == accountId).Select(m => m.ContactEmail).SingleOrDefaultAsync(ct)
                    ?? await db.NetworkApplications.AsNoTracking().Where(a => a.AccountId == accountId).OrderByDescending(a => a.CreatedAt).Select(a => a.ContactEmail).FirstOrDefaultAsync(ct)
                    ?? await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Email).SingleOrDefaultAsync(ct);
        if (!string.IsNullOrEmpty(email)) db.OutboxMessages.Add(new OutboxMessage { To = email, Subject = subject, Body = message, CreatedAt = now });
    }
}
