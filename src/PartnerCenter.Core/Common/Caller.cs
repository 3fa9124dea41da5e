namespace PartnerCenter.Core.Common;

/// <summary>
/// Who makes a request: the IAM user, the account it acts in, and how it authenticated.
/// <see cref="AccountId"/> is the account whose data the caller may touch: for an agency token it is the delegating account.
/// </summary>
public sealed record Caller(
    string AccountId,
    string AccountName,
    string UserId,
    string UserName,
    bool IsAccountOwner,
    bool IsOperator,
    string? AgencyId = null,
    string? ProjectId = null,
    string? SessionPolicyJson = null)
{
    /// <summary>The sign-in is a delegated one: an agency token scoped to another account.</summary>
    public bool IsDelegated => AgencyId is not null;

    // SessionPolicyJson: a temporary access key's session policy, which narrows what the caller may do (AccessControl).

    public static Caller System { get; } = new("system", "system", "system", "system", true, true);
}
