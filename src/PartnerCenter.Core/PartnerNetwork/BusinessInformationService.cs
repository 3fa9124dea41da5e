using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Core.PartnerNetwork;

public static class BusinessInfoActions
{
    public const string View = "bss:partner:viewBusinessInfo";
    public const string Update = "bss:partner:updateBusinessInfo";
}

/// <summary>Step 1 of business information: the company, its tax registration and its financial contact.</summary>
public sealed record BusinessCompanyInput(string? CompanyName, string? RegistrationNumber, string? RegisteredAddress, string? TaxId,
    string? FinanceContactName, string? FinanceContactEmail, string? FinanceContactPhone);

/// <summary>Step 2: the bank account incentives are paid into, with an optional intermediary bank for international transfers.</summary>
public sealed record BankInput(string? BankName, string? BankBranch, string? AccountName, string? AccountNumber, string? SwiftCode,
    string? IntermediaryBankName, string? IntermediarySwiftCode);

/// <summary>
/// A partner's business information: the approved one in force, the latest submission, the rejections in a row that
/// count towards the block, and whether the block is on (three in a row, no business_information ticket since).
/// </summary>
public sealed record BusinessInfoStanding(BusinessInfoSubmission? Approved, BusinessInfoSubmission? Latest, int RejectionsInARow, bool Blocked,
    IReadOnlyList<BusinessInfoSubmission> History)
{
    public bool UnderReview => Latest?.Status == BusinessInfoStatus.UnderReview;
}

public sealed record QueuedBusinessInfo(BusinessInfoSubmission Submission, string AccountName, TimeSpan Age);

/// <summary>
/// Business information authentication: a network member submits its company, tax and financial contact, then its
/// bank (the account name must be the company name) and accepts the privacy statement; the operator approves or
/// rejects with a reason. Three rejections in a row block resubmission until the partner opens a service ticket of
/// type <c>business_information</c>; while a submission is under review the partner's incentives are not settled
/// (see <see cref="Revenue.IncentiveSettlement"/>).
/// </summary>
public sealed partial class BusinessInformationService(AppDbContext db, AccessControl access, TimeProvider clock)
{
    public const int RejectionsThatBlock = 3;

    [GeneratedRegex("^[A-Za-z0-9]{4,34}$")]
    private static partial Regex AccountNumberShape();

    [GeneratedRegex("^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$")]
    private static partial Regex SwiftShape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    public async Task<BusinessInfoSubmission> SubmitAsync(Caller caller, BusinessCompanyInput company, BankInput? bank, IReadOnlyList<AcceptedAgreement>? accepted, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, BusinessInfoActions.Update, ct);
        var member = await db.NetworkMembers.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == caller.AccountId, ct) ?? throw new ServiceException(Errors.NotInNetwork());
        var name = Check.MaxLength(Check.Required(company.CompanyName, "company.company_name").Trim(), "company.company_name", 256);
        var registration = Check.MaxLength(Check.Required(company.RegistrationNumber, "company.registration_number").Trim(), "company.registration_number", 64);
        var address = Check.MaxLength(Check.Required(company.RegisteredAddress, "company.registered_address").Trim(), "company.registered_address", 512);
        var taxId = Check.MaxLength(Check.Required(company.TaxId, "company.tax_id").Trim(), "company.tax_id", 64);
        var contact = Check.MaxLength(Check.Required(company.FinanceContactName, "company.finance_contact_name").Trim(), "company.finance_contact_name", 64);
        var email = Check.Email(Check.Required(company.FinanceContactEmail, "company.finance_contact_email").Trim(), "company.finance_contact_email")!;
        var phone = Check.Mobile(Check.Required(company.FinanceContactPhone, "company.finance_contact_phone").Trim(), "company.finance_contact_phone")!;
        var b = bank ?? throw Check.Invalid("bank is required (step 2: the bank account).");
        var bankName = Check.MaxLength(Check.Required(b.BankName, "bank.bank_name").Trim(), "bank.bank_name", 128);
        var branch = Check.MaxLength(Check.Required(b.BankBranch, "bank.bank_branch").Trim(), "bank.bank_branch", 128);
        var accountName = Check.MaxLength(Check.Required(b.AccountName, "bank.account_name").Trim(), "bank.account_name", 256);
        var number = Check.Required(b.AccountNumber, "bank.account_number").Replace(" ", "");
        if (!AccountNumberShape().IsMatch(number)) throw Check.Invalid("bank.account_number is 4 to 34 letters and digits (an IBAN or a local account number).");
        var swift = Swift(b.SwiftCode, "bank.swift_code") ?? throw Check.Invalid("bank.swift_code is required.");
        string? intermediaryName = string.IsNullOrWhiteSpace(b.IntermediaryBankName) ? null : Check.MaxLength(b.IntermediaryBankName.Trim(), "bank.intermediary_bank_name", 128);
        var intermediarySwift = Swift(b.IntermediarySwiftCode, "bank.intermediary_swift_code");
        if ((intermediaryName is null) != (intermediarySwift is null))
            throw Check.Invalid("bank.intermediary_bank_name and bank.intermediary_swift_code go together: give both or neither.");
        // Compared without case and runs of spaces: "ACME  Ltd" holds the account of "Acme Ltd".
        if (!string.Equals(Spaces().Replace(accountName, " "), Spaces().Replace(name, " "), StringComparison.OrdinalIgnoreCase))
            throw new ServiceException(Errors.BankAccountNameMismatch(accountName, name));
        NetworkService.CheckAccepted(accepted, [NetworkCatalog.PrivacyStatement], "privacy_statement");

        var standing = await StandingOfAsync(caller.AccountId, ct);
        if (standing.UnderReview) throw new ServiceException(Errors.BusinessInfoUnderReview());
        if (standing.Blocked) throw new ServiceException(Errors.BusinessInfoBlocked());
        var now = clock.GetUtcNow().UtcDateTime;
        var submission = new BusinessInfoSubmission
        {
            Id = Ids.New(), AccountId = caller.AccountId, CompanyId = member.CompanyId, CompanyName = name, RegistrationNumber = registration,
            RegisteredAddress = address, TaxId = taxId, FinanceContactName = contact, FinanceContactEmail = email, FinanceContactPhone = phone,
            BankName = bankName, BankBranch = branch, AccountName = accountName, AccountNumber = number.ToUpperInvariant(), SwiftCode = swift,
            IntermediaryBankName = intermediaryName, IntermediarySwiftCode = intermediarySwift,
            Status = BusinessInfoStatus.UnderReview, SubmittedAt = now, SubmittedBy = caller.UserName,
        };
        db.BusinessInfoSubmissions.Add(submission);
        db.AgreementAcceptances.Add(new AgreementAcceptance
        {
            AccountId = caller.AccountId, AgreementCode = NetworkCatalog.PrivacyStatement.Code, Version = NetworkCatalog.PrivacyStatement.Version,
            AcceptedWith = submission.Id, AcceptedBy = caller.UserName, AcceptedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The partial unique index on (account, under review): a concurrent submission got in first.
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.BusinessInfoUnderReview());
        }
        return submission;
    }

    /// <summary>The operator's decision: a rejection needs its reason; the partner is told by e-mail and notification in the same transaction.</summary>
    public async Task<BusinessInfoSubmission> DecideAsync(Caller caller, string? submissionId, bool approve, string? reason, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.DecideApplications, ct);
        if (!caller.IsOperator) throw new ServiceException(Errors.BusinessInfoNotFound());
        var submission = await db.BusinessInfoSubmissions.SingleOrDefaultAsync(s => s.Id == submissionId, ct) ?? throw new ServiceException(Errors.BusinessInfoNotFound());
        var why = string.IsNullOrWhiteSpace(reason) ? null : Check.MaxLength(reason.Trim(), "reason", 512);
        if (!approve && why is null) throw Check.Invalid("reason is required to reject: the partner reads it.");
        if (submission.Status != BusinessInfoStatus.UnderReview) throw new ServiceException(Errors.BusinessInfoDecided());
        var now = clock.GetUtcNow().UtcDateTime;
        (submission.Status, submission.DecidedAt, submission.DecidedBy, submission.DecisionReason) =
            (approve ? BusinessInfoStatus.Approved : BusinessInfoStatus.Rejected, now, caller.UserName, why);
        string message;
        if (approve)
        {
            // The authenticated legal name becomes the company's name; the change is kept in the company's history.
            var company = await db.Companies.SingleAsync(c => c.Id == submission.CompanyId, ct);
            if (company.Name != submission.CompanyName)
            {
                (company.Name, company.UpdatedAt) = (submission.CompanyName, now);
                db.CompanyRevisions.Add(NetworkService.Revision(company, "business_information", caller.UserName, now));
            }
            message = "Your business information was approved. Incentive settlement uses the bank account ending " + Last4(submission.AccountNumber) + ".";
        }
        else
        {
            var inARow = (await StandingOfAsync(submission.AccountId, ct)).RejectionsInARow + 1;
            message = $"Your business information was rejected: {why}" + (inARow >= RejectionsThatBlock
                ? $" It was rejected {inARow} times in a row: open a service ticket of type business_information before you submit again."
                : " Correct it and submit again.");
        }
        await NetworkService.TellAsync(db, submission.AccountId, approve ? "business_info.approved" : "business_info.rejected",
            approve ? "Business information approved" : "Business information rejected", message, now, ct);
        await db.SaveChangesAsync(ct);
        return submission;
    }

    public async Task<BusinessInfoStanding> StandingAsync(Caller caller, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, BusinessInfoActions.View, ct);
        if (!await db.NetworkMembers.AnyAsync(m => m.AccountId == caller.AccountId, ct)) throw new ServiceException(Errors.NotInNetwork());
        return await StandingOfAsync(caller.AccountId, ct);
    }

    /// <summary>
    /// The rejections in a row are counted back from the latest submission, among those submitted after the account's
    /// latest business_information ticket: opening one lifts the block and starts the count again.
    /// </summary>
    internal async Task<BusinessInfoStanding> StandingOfAsync(string accountId, CancellationToken ct)
    {
        var history = await db.BusinessInfoSubmissions.AsNoTracking().Where(s => s.AccountId == accountId).OrderByDescending(s => s.SubmittedAt).Take(100).ToListAsync(ct);
        var lastTicket = await db.Tickets.AsNoTracking().Where(t => t.AccountId == accountId && t.Type == TicketTypes.BusinessInformation)
            .OrderByDescending(t => t.CreatedAt).Select(t => (DateTime?)t.CreatedAt).FirstOrDefaultAsync(ct);
        var inARow = history.TakeWhile(s => s.Status == BusinessInfoStatus.Rejected && (lastTicket is null || s.SubmittedAt > lastTicket)).Count();
        return new BusinessInfoStanding(history.FirstOrDefault(s => s.Status == BusinessInfoStatus.Approved), history.FirstOrDefault(), inARow,
            inARow >= RejectionsThatBlock, history);
    }

    /// <summary>The operator's review queue, oldest first, each with its age.</summary>
    public async Task<IReadOnlyList<QueuedBusinessInfo>> QueueAsync(Caller caller, BusinessInfoStatus? status, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, PartnerActions.DecideApplications, ct);
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("review business information"));
        var q = db.BusinessInfoSubmissions.AsNoTracking();
        if (status is { } s) q = q.Where(x => x.Status == s);
        var rows = await q.OrderBy(x => x.SubmittedAt).Take(500).Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x, a.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return rows.Select(r => new QueuedBusinessInfo(r.x, r.Name, (r.x.DecidedAt ?? now) - r.x.SubmittedAt)).ToList();
    }

    /// <summary>The partners among <paramref name="accountIds"/> with a submission under review.</summary>
    public async Task<HashSet<string>> UnderReviewAsync(IReadOnlyCollection<string> accountIds, CancellationToken ct) =>
        (await db.BusinessInfoSubmissions.AsNoTracking().Where(s => s.Status == BusinessInfoStatus.UnderReview && accountIds.Contains(s.AccountId))
            .Select(s => s.AccountId).Distinct().ToListAsync(ct)).ToHashSet();

    static string? Swift(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim().ToUpperInvariant();
        return SwiftShape().IsMatch(v) ? v : throw Check.Invalid($"{field} is a SWIFT/BIC code of 8 or 11 letters and digits, e.g. DBSSSGSG.");
    }

    static string Last4(string number) => number.Length <= 4 ? number : number[^4..];
}
