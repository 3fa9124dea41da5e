using System.Security.Cryptography;

namespace PartnerCenter.Core.Common;

/// <summary>Identifiers in the shapes Huawei Cloud uses: 32 lowercase hex digits for ids, 20 uppercase characters for access keys.</summary>
public static class Ids
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    const string AccessKeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewAccessKey() => RandomNumberGenerator.GetString(AccessKeyAlphabet, 20);
    public static string NewSecretKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);
    public static string NewToken() => "MII" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
