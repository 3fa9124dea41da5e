using System.Text.Json;
using PartnerCenter.Core.Demo;

namespace PartnerCenter.Server;

/// <summary>Writes DIR/demo-credentials.json exactly as the command-line contract describes.</summary>
public static class DemoCredentials
{
    public const string FileName = "demo-credentials.json";

    public static async Task WriteAsync(ServerSettings settings, IReadOnlyList<DemoAccount> world)
    {
        var apiUrl = settings.Urls.Split(';')[0].TrimEnd('/');
        var document = new
        {
            api_url = apiUrl,
            console_url = apiUrl + "/console",
            accounts = world.Select(a => new Dictionary<string, string?>
            {
                ["role"] = a.Role, ["domain_name"] = a.DomainName, ["domain_id"] = a.DomainId, ["password"] = a.Password,
                ["access_key"] = a.AccessKey, ["secret_key"] = a.SecretKey,
            }
            .Concat(a.PartnerId is null ? [] : [new("partner_id", a.PartnerId)])
            .Concat(a.Partner is null ? [] : [new("partner", a.Partner), new("association_type", a.AssociationType)])
            .ToDictionary()),
        };
        var json = JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(Path.Combine(settings.DataDir, FileName), json);
    }
}
