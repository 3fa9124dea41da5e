using Microsoft.AspNetCore.Identity;
using PartnerCenter.Core.Common;

namespace PartnerCenter.Core.Iam;

/// <summary>Password hashing (ASP.NET Core Identity's PBKDF2) and the account's password policy.</summary>
public sealed class Passwords
{
    readonly PasswordHasher<IamUser> hasher = new();

    public string Hash(IamUser user, string password) => hasher.HashPassword(user, password);

    public bool Verify(IamUser user, string password) =>
        hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Checks a new password against the policy; throws with the first rule it breaks.</summary>
    public static void Check(SecurityPolicy policy, string? password, string userName)
    {
        if (string.IsNullOrEmpty(password)) throw new ServiceException(Errors.WeakPassword("The password is required."));
        var min = Math.Max(6, policy.MinimumPasswordLength);
        if (password.Length < min || password.Length > policy.MaximumPasswordLength)
            throw new ServiceException(Errors.WeakPassword($"The password must be {min} to {policy.MaximumPasswordLength} characters long."));
        if (password.Any(c => c < 0x21 || c > 0x7e))
            throw new ServiceException(Errors.WeakPassword("The password may only contain letters, digits and printable ASCII special characters, no spaces."));
        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
                      + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < policy.PasswordCharCombination)
            throw new ServiceException(Errors.WeakPassword($"The password must contain at least {policy.PasswordCharCombination} of: uppercase letters, lowercase letters, digits, special characters."));
        if (policy.PasswordNotUsernameOrInvert)
        {
            var reversed = new string(userName.Reverse().ToArray());
            if (password.Equals(userName, StringComparison.OrdinalIgnoreCase) || password.Equals(reversed, StringComparison.OrdinalIgnoreCase))
                throw new ServiceException(Errors.WeakPassword("The password cannot be the user name or the user name reversed."));
        }
        if (policy.MaximumConsecutiveIdenticalChars > 0)
        {
            var run = 1;
            for (var i = 1; i < password.Length; i++)
            {
                run = password[i] == password[i - 1] ? run + 1 : 1;
                if (run > policy.MaximumConsecutiveIdenticalChars)
                    throw new ServiceException(Errors.WeakPassword($"The password cannot repeat a character more than {policy.MaximumConsecutiveIdenticalChars} times in a row."));
            }
        }
    }
}
