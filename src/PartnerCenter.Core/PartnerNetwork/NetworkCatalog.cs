namespace PartnerCenter.Core.PartnerNetwork;

/// <summary>An agreement of the partner network in its current version.</summary>
public sealed record Agreement(string Code, string Title, string Version);

/// <summary>
/// The fixed lists of the partner network: the agreements an applicant accepts (the HCPN agreements of the user guide's
/// appendix), the privacy statement of business information, and the industries and company sizes of the form.
/// A new version of an agreement is a new <see cref="Agreement.Version"/> here: an acceptance records the version it
/// was given to, so an applicant who read an older one is asked again.
/// </summary>
public static class NetworkCatalog
{
    public static readonly IReadOnlyList<Agreement> JoinAgreements =
    [
        new("integrity_commitment", "Partner Integrity Commitment Letter", "2024.1"),
        new("code_of_conduct", "Partner Code of Conduct", "2024.1"),
        new("order_management_rules", "Partner Order Management Rules", "2023.2"),
        new("certification_agreement", "Partner Certification Agreement", "2024.1"),
    ];

    public static readonly Agreement PrivacyStatement = new("business_info_privacy", "Privacy Statement of Business Information Qualification", "2024.1");

    public static readonly IReadOnlyDictionary<string, string> Industries = new Dictionary<string, string>
    {
        ["software"] = "Software and internet",
        ["it_services"] = "IT services and consulting",
        ["system_integration"] = "System integration",
        ["telecommunications"] = "Telecommunications",
        ["finance"] = "Finance and insurance",
        ["manufacturing"] = "Manufacturing",
        ["retail"] = "Retail and e-commerce",
        ["education"] = "Education and training",
        ["healthcare"] = "Healthcare",
        ["government"] = "Government and public sector",
        ["media"] = "Media and entertainment",
        ["energy"] = "Energy and utilities",
        ["logistics"] = "Transport and logistics",
        ["other"] = "Other",
    };

    /// <summary>Company sizes by employees.</summary>
    public static readonly IReadOnlyList<string> Sizes = ["1-49", "50-199", "200-999", "1000-9999", "10000+"];
}
