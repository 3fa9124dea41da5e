using System.Text.RegularExpressions;

namespace PartnerCenter.Core.Common;

/// <summary>Input checks shared by every operation; each throws a 400 naming the field.</summary>
public static partial class Check
{
    [GeneratedRegex(@"^[A-Za-z_.\- ][A-Za-z0-9_.\- ]*$")]
    private static partial Regex IamName();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();

    [GeneratedRegex(@"^\+?[0-9]{1,4}-?[0-9]{5,15}$")]
    private static partial Regex MobileShape();

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"{field} is required.") : value;

    /// <summary>User, group and agency names: letters, digits, space, - _ . ; not starting with a digit.</summary>
    public static string Name(string? value, string field, int max = 64)
    {
        Required(value, field);
        if (value!.Length > max || !IamName().IsMatch(value))
            throw Invalid($"{field} must be 1 to {max} letters, digits, spaces, hyphens, underscores or periods, not starting with a digit.");
        return value;
    }

    public static string? Email(string? value, string field = "email")
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > 255 || !EmailShape().IsMatch(value)) throw Invalid($"{field} is not a valid email address.");
        return value;
    }

    public static string? Mobile(string? value, string field = "mobile")
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (!MobileShape().IsMatch(value)) throw Invalid($"{field} is not a valid mobile number (+country code-number).");
        return value;
    }

    public static string MaxLength(string? value, string field, int max)
    {
        value ??= "";
        return value.Length > max ? throw Invalid($"{field} is at most {max} characters.") : value;
    }

    public static ServiceException Invalid(string message) => new(Errors.InvalidParameter(message));
}
