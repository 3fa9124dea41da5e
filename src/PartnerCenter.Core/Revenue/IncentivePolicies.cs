using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

/// <summary>Huawei's incentive_policy codes (ListIncentiveDiscountPolicies).</summary>
public static class IncentivePolicyCodes
{
    /// <summary>The program's rate for every service applies.</summary>
    public const string NonSpecificProduct = "0";
    /// <summary>A rate set for this very service applies.</summary>
    public const string SpecificProduct = "1";
    /// <summary>No rate was ever set: the service neither counts nor earns.</summary>
    public const string NoPerformanceNoRebate = "2";
    /// <summary>A rate of 0: the consumption counts towards the partner's revenue but earns no incentive.</summary>
    public const string PerformanceNoRebate = "13";
}

/// <summary>One service's policy for the caller's program in a month.</summary>
public sealed record IncentivePolicy(string ServiceTypeCode, string ServiceTypeName, string IncentivePolicyCode, bool AllowDiscount, decimal Rate);

/// <summary>
/// ListIncentiveDiscountPolicies: per catalog service, the incentive policy of the caller's program as it stands for
/// the month asked (the rates in force in it), and whether the partner may grant discounts on the service.
/// </summary>
public sealed class IncentivePolicies(AppDbContext db, PartnerScope scope, IncentiveRates rates, RevenueService revenue)
{
    public const int MaxLimit = 100;

    public async Task<(IReadOnlyList<IncentivePolicy> Policies, int Total)> ListAsync(Caller caller, string? time, string? serviceTypeCode, int? offset, int? limit,
        CancellationToken ct = default)
    {
        var cycle = string.IsNullOrEmpty(time) ? revenue.Current : ParseTime(time);
        if (serviceTypeCode is { Length: > 64 }) throw Check.Invalid("service_type_code is at most 64 characters.");
        if (offset is < 0) throw Check.Invalid("offset is 0 or more.");
        if (limit is < 1 or > MaxLimit) throw Check.Invalid($"limit is 1 to {MaxLimit}.");
        var partner = await scope.ActingPartnerAsync(caller, RevenueActions.View, null, PartnerNeed.Customers, ct);
        var inForce = await rates.InForceAsync(partner.Program, cycle, ct);

        var services = db.ServiceTypes.AsNoTracking();
        if (!string.IsNullOrEmpty(serviceTypeCode)) services = services.Where(s => s.Code == serviceTypeCode);
        var total = await services.CountAsync(ct);
        var page = await services.OrderBy(s => s.Code).Skip(offset ?? 0).Take(limit ?? 10).ToListAsync(ct);
        return (page.Select(s => PolicyOf(s.Code, s.Name, inForce)).ToList(), total);
    }

    public static IncentivePolicy PolicyOf(string code, string name, RatesInForce inForce)
    {
        var rate = inForce.For(code);
        var policy = rate switch
        {
            null => IncentivePolicyCodes.NoPerformanceNoRebate,
            { Rate: 0 } => IncentivePolicyCodes.PerformanceNoRebate,
            { ServiceTypeCode: not null } => IncentivePolicyCodes.SpecificProduct,
            _ => IncentivePolicyCodes.NonSpecificProduct,
        };
        return new IncentivePolicy(code, name, policy, rate?.AllowDiscount ?? true, rate?.Rate ?? 0m);
    }

    /// <summary>Huawei's time: the month as YYYY-MM (its policy as at the month's last second); a future month is not known yet.</summary>
    Billing.BillCycle ParseTime(string time) => revenue.ParseMonth(time, "time");
}
