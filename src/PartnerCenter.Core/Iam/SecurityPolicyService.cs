using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Iam;

public sealed record PasswordPolicyInput(
    int? MaximumConsecutiveIdenticalChars, int? MinimumPasswordAge, int? MinimumPasswordLength, int? NumberOfRecentPasswordsDisallowed,
    bool? PasswordNotUsernameOrInvert, int? PasswordValidityPeriod, int? PasswordCharCombination);

public sealed record LoginPolicyInput(
    int? AccountValidityPeriod, string? CustomInfoForLogin, int? LockoutDuration, int? LoginFailedTimes,
    int? PeriodWithLoginFailures, int? SessionTimeout, bool? ShowRecentLoginInfo);

/// <summary>The account's password and login policies.</summary>
public sealed class SecurityPolicyService(AppDbContext db, AccessControl access)
{
    public async Task<SecurityPolicy> GetAsync(Caller caller, string domainId, string action, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, action, ct);
        return await FindAsync(caller, domainId, ct);
    }

    public async Task<SecurityPolicy> UpdatePasswordPolicyAsync(Caller caller, string domainId, PasswordPolicyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateSecurityPolicy, ct);
        var p = await FindAsync(caller, domainId, ct);
        if (input.MaximumConsecutiveIdenticalChars is { } mc) p.MaximumConsecutiveIdenticalChars = Range(mc, 0, 32, "maximum_consecutive_identical_chars");
        if (input.MinimumPasswordAge is { } age) p.MinimumPasswordAge = Range(age, 0, 1440, "minimum_password_age");
        if (input.MinimumPasswordLength is { } min) p.MinimumPasswordLength = Range(min, 6, 32, "minimum_password_length");
        if (input.NumberOfRecentPasswordsDisallowed is { } recent) p.NumberOfRecentPasswordsDisallowed = Range(recent, 0, 10, "number_of_recent_passwords_disallowed");
        if (input.PasswordNotUsernameOrInvert is { } inv) p.PasswordNotUsernameOrInvert = inv;
        if (input.PasswordValidityPeriod is { } validity) p.PasswordValidityPeriod = Range(validity, 0, 180, "password_validity_period");
        if (input.PasswordCharCombination is { } comb) p.PasswordCharCombination = Range(comb, 2, 4, "password_char_combination");
        await SaveAsync(p, ct);
        return p;
    }

    public async Task<SecurityPolicy> UpdateLoginPolicyAsync(Caller caller, string domainId, LoginPolicyInput input, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, IamActions.UpdateLoginPolicy, ct);
        var p = await FindAsync(caller, domainId, ct);
        if (input.AccountValidityPeriod is { } v) p.AccountValidityPeriod = Range(v, 0, 240, "account_validity_period");
        if (input.CustomInfoForLogin is { } info) p.CustomInfoForLogin = Check.MaxLength(info, "custom_info_for_login", 64);
        if (input.LockoutDuration is { } lockout) p.LockoutDuration = Range(lockout, 15, 30, "lockout_duration");
        if (input.LoginFailedTimes is { } times) p.LoginFailedTimes = Range(times, 3, 10, "login_failed_times");
        if (input.PeriodWithLoginFailures is { } period) p.PeriodWithLoginFailures = Range(period, 15, 60, "period_with_login_failures");
        if (input.SessionTimeout is { } timeout) p.SessionTimeout = Range(timeout, 15, 1440, "session_timeout");
        if (input.ShowRecentLoginInfo is { } show) p.ShowRecentLoginInfo = show;
        await SaveAsync(p, ct);
        return p;
    }

    async Task<SecurityPolicy> FindAsync(Caller caller, string domainId, CancellationToken ct)
    {
        if (domainId != caller.AccountId) throw new ServiceException(Errors.DomainNotFound());
        return await db.SecurityPolicies.SingleOrDefaultAsync(p => p.AccountId == domainId, ct) ?? new SecurityPolicy { AccountId = domainId };
    }

    async Task SaveAsync(SecurityPolicy p, CancellationToken ct)
    {
        if (db.Entry(p).State == EntityState.Detached) db.SecurityPolicies.Add(p);
        await db.SaveChangesAsync(ct);
    }

    static int Range(int value, int min, int max, string field) =>
        value < min || value > max ? throw Check.Invalid($"{field} must be between {min} and {max}.") : value;
}
