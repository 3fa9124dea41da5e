using PartnerCenter.Core.Common;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Server.Console.Pages.Partners;

/// <summary>
/// Whom a Sales page acts for: the signed-in partner itself, or (for a distributor that chose one with ?reseller=) one of
/// its resellers, whose partner ID is then passed as indirect_partner_id to every call.
/// </summary>
public sealed record SalesContext(Partner Partner, IReadOnlyList<ResellerView> Resellers, ResellerView? Reseller)
{
    public bool IsDistributor => Partner.Program == PartnerProgram.Distributor;

    public string? IndirectPartnerId => Reseller?.Reseller.PartnerId;

    /// <summary>A distributor must pick a reseller: it has no customers of its own.</summary>
    public bool NeedsReseller => IsDistributor && Reseller is null;

    /// <summary>Whether budgets and freezing are this caller's to manage for the customers shown.</summary>
    public bool CanManageBudgets => IsDistributor
        ? Reseller is { Reseller.CanManageBudgets: false }
        : Partner.Program != PartnerProgram.Reseller || Partner.CanManageBudgets;

    /// <summary>Why budgets and freezing are not this caller's, when they are not.</summary>
    public string? ManageBlockedReason => CanManageBudgets ? null
        : IsDistributor ? "You delegated budgets and freezing to this reseller; revoke the delegation on the Resellers page to manage them yourself."
        : "Your distributor manages your customers' budgets and freezing.";

    /// <summary>The query string that keeps the chosen reseller on links and forms.</summary>
    public string ResellerQuery => Reseller is null ? "" : "reseller=" + Uri.EscapeDataString(Reseller.Reseller.PartnerId);

    public static async Task<SalesContext> LoadAsync(PartnerProgramService programs, IndirectPartnerService resellers, Caller caller, string? resellerId, CancellationToken ct)
    {
        var partner = (await programs.MineAsync(caller, ct)).Enrolled ?? throw new ServiceException(Errors.NotAPartner());
        if (partner.Program != PartnerProgram.Distributor) return new SalesContext(partner, [], null);
        var (items, _) = await resellers.ListAsync(caller, new ResellerFilter(null, null, null, null, 0, 100), ct);
        ResellerView? chosen = null;
        if (!string.IsNullOrEmpty(resellerId))
            chosen = items.FirstOrDefault(r => r.Reseller.PartnerId == resellerId) ?? throw new ServiceException(Errors.NotYourReseller());
        return new SalesContext(partner, items, chosen);
    }
}
