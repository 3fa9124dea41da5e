using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Accounts;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Partners;

public sealed record NewSubCustomer(
    string? DomainName, string? Email, string? Password, string? DomainArea, string? XAccountId, string? XAccountType,
    string? IndirectPartnerId, string? AssociationType = null, string? Label = null, string? MobilePhone = null, string? CooperationType = null);

public sealed record SubCustomerFilter(
    string? AccountName = null, string? Customer = null, string? Label = null, string? AssociationType = null,
    DateTime? AssociatedOnBegin = null, DateTime? AssociatedOnEnd = null, string? CustomerId = null, string? IndirectPartnerId = null,
    int? Offset = null, int? Limit = null, string? AccountManagerId = null);

/// <summary>A customer as the partner sees it.</summary>
public sealed record SubCustomerView(CustomerAssociation Association, Account Account, string? AccountManagerName);

/// <summary>A partner's customers: create (a new account associated to the partner), check names, list.</summary>
public sealed partial class SubCustomerService(AppDbContext db, PartnerScope scope, AccountService accounts, TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z-][A-Za-z0-9_-]{4,31}$")]
    private static partial Regex DomainNameShape();

    [GeneratedRegex(@"^\d{4}-\d+$")]
    private static partial Regex MobileShape();

    /// <summary>
    /// CreateSubCustomer: a new account bound to the partner (or, for a distributor, to its reseller). A resale customer
    /// starts frozen with no budget, so it cannot buy until the partner sets a budget and unfreezes it.
    /// </summary>
    public async Task<Account> CreateAsync(Caller caller, NewSubCustomer input, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.CreateCustomer, input.IndirectPartnerId, PartnerNeed.Customers, ct);
        if (partner.Program == PartnerProgram.Distributor) throw new ServiceException(Errors.DistributorCannotAssociate());
        // Huawei's cooperation_type "1" asks for a referral customer and any other value for resale; our association_type, when given, decides.
        var associationType = input.AssociationType ?? (input.CooperationType == AssociationTypes.Referral ? AssociationTypes.Referral : AssociationTypes.Resale);
        if (!AssociationTypes.IsValid(associationType)) throw Check.Invalid("association_type must be \"1\" (referral) or \"3\" (resale).");

        var name = string.IsNullOrEmpty(input.DomainName) ? "c" + Ids.New()[..31] : input.DomainName;
        if (NameProblem(name) is { } problem) throw new ServiceException(Errors.BadLoginName(problem));
        var email = input.Email is null or "" ? null : input.Email.Contains('@') && input.Email.Length <= 255 ? input.Email : throw Check.Invalid("email must be a complete email address.");
        var mobile = CustomerMobile(input.MobilePhone);
        if (input.Password is not null && PasswordProblem(input.Password, name, email) is { } weak) throw new ServiceException(Errors.BadSubCustomerPassword(weak));
        var country = string.IsNullOrEmpty(input.DomainArea) ? "SG" : input.DomainArea.ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)) throw Check.Invalid("domain_area must be a two-letter ISO 3166 code.");
        if (input.XAccountId?.Length > 64 || input.XAccountType?.Length > 64) throw Check.Invalid("xaccount_id and xaccount_type are at most 64 characters.");
        var xType = string.IsNullOrEmpty(input.XAccountType) ? "partner_" + partner.PartnerId[..8] : input.XAccountType;
        var xId = string.IsNullOrEmpty(input.XAccountId) ? Ids.New() : input.XAccountId;
        if (await db.CustomerAssociations.AnyAsync(a => a.XAccountType == xType && a.XAccountId == xId, ct)) throw new ServiceException(Errors.DuplicateXAccount());
        if (await db.Accounts.AnyAsync(a => a.Name == name, ct)) throw new ServiceException(Errors.LoginNameTaken());
        if (mobile is not null && await db.Accounts.AnyAsync(a => a.Mobile == mobile, ct)) throw new ServiceException(Errors.MobileTaken());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var account = await accounts.CreateValidatedAsync(name, input.Password, email, mobile, AccountType.Individual, country, false, ct, save: false);
        var resale = associationType == AssociationTypes.Resale;
        db.CustomerAssociations.Add(new CustomerAssociation
        {
            CustomerAccountId = account.Id, PartnerAccountId = partner.AccountId, AssociationType = associationType,
            AssociatedAt = clock.GetUtcNow().UtcDateTime, XAccountId = xId, XAccountType = xType, Label = Check.MaxLength(input.Label, "label", 64),
            IsFrozen = resale, FreezeType = resale ? FreezeType.Account : null,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new ServiceException(Errors.LoginNameTaken());
        }
        await tx.CommitAsync(ct);
        return account;
    }

    /// <summary>CheckUserIdentity: whether a name, email or mobile is still free for a new customer.</summary>
    public async Task<(bool Available, int? MobileRemaining)> CheckIdentityAsync(Caller caller, string? searchType, string? searchValue, CancellationToken ct = default)
    {
        await scope.ActingPartnerAsync(caller, PartnerActions.CheckIdentity, null, PartnerNeed.Customers, ct);
        var value = Check.Required(searchValue, "search_value");
        if (value.Length > 64) throw Check.Invalid("search_value is at most 64 characters.");
        switch (searchType)
        {
            case "name":
                if (NameProblem(value) is { } problem) throw new ServiceException(Errors.BadLoginName(problem));
                return (!await db.Accounts.AnyAsync(a => a.Name == value, ct), null);
            case "email":
                if (!value.Contains('@')) throw Check.Invalid("search_value must be a complete email address.");
                return (!await db.Accounts.AnyAsync(a => a.Email == value, ct), null);
            case "mobile":
                if (!MobileShape().IsMatch(value) || !value.StartsWith("00")) throw Check.Invalid("A mobile number is written as country code and number, e.g. 0065-81234567.");
                const int perNumber = 5;
                var normalized = "+" + value[2..].TrimStart('0');
                var used = await db.Accounts.CountAsync(a => a.Mobile == normalized, ct);
                return (used < perNumber, Math.Max(0, perNumber - used));
            default:
                throw Check.Invalid("search_type must be email, mobile or name.");
        }
    }

    /// <summary>ListSubCustomers with every documented filter; <c>limit</c> 1–100 (default 10), <c>offset</c> 0–40,000,000.</summary>
    public async Task<(List<SubCustomerView> Items, int Count)> ListAsync(Caller caller, SubCustomerFilter f, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, f.IndirectPartnerId, PartnerNeed.Customers, ct);
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > 100) throw Check.Invalid("limit must be 1 to 100.");
        if (offset is < 0 or > 40_000_000) throw Check.Invalid("offset must be 0 to 40000000.");
        if (!string.IsNullOrEmpty(f.AssociationType) && !AssociationTypes.IsValid(f.AssociationType)) throw Check.Invalid("association_type must be \"1\" or \"3\".");
        if (f.AccountName?.Contains(' ') == true) throw Check.Invalid("account_name cannot contain spaces.");

        var q = from a in db.CustomerAssociations.AsNoTracking()
                join acc in db.Accounts.AsNoTracking() on a.CustomerAccountId equals acc.Id
                where a.PartnerAccountId == partner.AccountId
                select new { a, acc };
        if (!string.IsNullOrEmpty(f.AccountName)) q = q.Where(x => x.acc.Name.Contains(f.AccountName));
        if (!string.IsNullOrEmpty(f.Customer)) q = q.Where(x => x.acc.Name.Contains(f.Customer));
        if (!string.IsNullOrEmpty(f.Label)) q = q.Where(x => x.a.Label.Contains(f.Label));
        if (!string.IsNullOrEmpty(f.AssociationType)) q = q.Where(x => x.a.AssociationType == f.AssociationType);
        if (f.AssociatedOnBegin is { } begin) q = q.Where(x => x.a.AssociatedAt >= begin);
        if (f.AssociatedOnEnd is { } end) q = q.Where(x => x.a.AssociatedAt <= end);
        if (!string.IsNullOrEmpty(f.CustomerId)) q = q.Where(x => x.a.CustomerAccountId == f.CustomerId);
        if (!string.IsNullOrEmpty(f.AccountManagerId)) q = q.Where(x => x.a.AccountManagerUserId == f.AccountManagerId);
        var count = await q.CountAsync(ct);
        var page = await q.OrderByDescending(x => x.a.AssociatedAt).ThenBy(x => x.a.CustomerAccountId).Skip(offset).Take(limit).ToListAsync(ct);
        var managerIds = page.Select(x => x.a.AccountManagerUserId).OfType<string>().Distinct().ToList();
        var managers = await db.Users.AsNoTracking().Where(u => managerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return (page.Select(x => new SubCustomerView(x.a, x.acc, x.a.AccountManagerUserId is { } m ? managers.GetValueOrDefault(m) : null)).ToList(), count);
    }

    /// <summary>
    /// A new customer's mobile_phone as stored (+country code-number). Huawei's China API takes a bare Chinese mobile
    /// number (11 digits starting with 1); the forms 0065-81234567 and +65-81234567 name any country.
    /// </summary>
    static string? CustomerMobile(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length == 11 && value[0] == '1' && value.All(char.IsAsciiDigit)) return "+86-" + value;
        if (value.StartsWith("00") && MobileShape().IsMatch(value)) value = "+" + value[2..].TrimStart('0');
        return Check.Mobile(value, "mobile_phone");
    }

    static string? NameProblem(string name)
    {
        if (name.StartsWith("op_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("shadow_", StringComparison.OrdinalIgnoreCase)) return "it cannot start with op_ or shadow_.";
        if (name.All(char.IsAsciiDigit)) return "it cannot be all digits.";
        if (!DomainNameShape().IsMatch(name)) return "it must be 5 to 32 characters, start with a letter or -, and hold only letters, digits, _ and -.";
        return null;
    }

    static string? PasswordProblem(string password, string name, string? email)
    {
        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
                      + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (password.Length is < 8 or > 32) return "it must be 8 to 32 characters.";
        if (classes < 2) return "it needs at least two of uppercase letters, lowercase letters, digits and special characters.";
        if (password.Equals(name, StringComparison.OrdinalIgnoreCase) || password.Equals(new string(name.Reverse().ToArray()), StringComparison.OrdinalIgnoreCase))
            return "it cannot be the account name or the account name reversed.";
        if (email is not null && password.Contains(email, StringComparison.OrdinalIgnoreCase)) return "it cannot contain the email address.";
        return null;
    }
}
