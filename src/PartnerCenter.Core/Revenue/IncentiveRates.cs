using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Partners;

namespace PartnerCenter.Core.Revenue;

/// <summary>What the operator asks to set: a program's rate, for one service or (without it) every service.</summary>
public sealed record IncentiveRateInput(string? Program, string? ServiceTypeCode, decimal? Rate, bool? AllowDiscount, string? EffectiveFrom);

/// <summary>
/// The rates in force for one program in one month: per service where the operator set one, else the program's
/// default (null: never set, no incentive).
/// </summary>
public sealed record RatesInForce(IncentiveRate? Default, IReadOnlyDictionary<string, IncentiveRate> ByService)
{
    public IncentiveRate? For(string serviceTypeCode) => ByService.GetValueOrDefault(serviceTypeCode) ?? Default;

    public decimal RateFor(string serviceTypeCode) => For(serviceTypeCode)?.Rate ?? 0m;
}

/// <summary>
/// The referral incentive rates the operator sets per partner program (and optionally per service), effective from a
/// month, with their history. Huawei answers a month's policy as it stood at the month's last second; a rate here is
/// in force for the months from its <see cref="IncentiveRate.EffectiveFrom"/>, the newest setting winning.
/// </summary>
public sealed class IncentiveRates(AppDbContext db, TimeProvider clock)
{
    public static PartnerProgram ParseProgram(string? program) => program switch
    {
        "CloudSolutionProvider" => PartnerProgram.CloudSolutionProvider,
        "Distributor" => PartnerProgram.Distributor,
        "Reseller" => PartnerProgram.Reseller,
        _ => throw Check.Invalid("program is CloudSolutionProvider, Distributor or Reseller."),
    };

    public async Task<IncentiveRate> SetAsync(Caller caller, IncentiveRateInput input, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("set incentive rates"));
        var program = ParseProgram(input.Program);
        var service = string.IsNullOrEmpty(input.ServiceTypeCode) ? null : Check.MaxLength(input.ServiceTypeCode, "service_type_code", 64);
        if (service is not null && !await db.ServiceTypes.AnyAsync(s => s.Code == service, ct))
            throw Check.Invalid($"service_type_code {service} is not a service type of the catalog.");
        var rate = input.Rate ?? throw Check.Invalid("rate is required.");
        if (rate < 0 || rate > 1 || rate != Math.Round(rate, 4)) throw Check.Invalid("rate is the share of consumption paid: 0 to 1, at most 4 decimal places.");
        var current = BillCycle.Containing(clock.GetUtcNow().UtcDateTime);
        var from = current;
        if (!string.IsNullOrEmpty(input.EffectiveFrom) && !BillCycle.TryParse(input.EffectiveFrom, out from))
            throw Check.Invalid("effective_from is a month as YYYY-MM.");
        // A closed month's statement was downloaded and paid on: a rate may start this month or later, never rewrite the past.
        if (from < current) throw Check.Invalid($"effective_from cannot be before the current month {current}.");

        var row = new IncentiveRate
        {
            Program = program, ServiceTypeCode = service, Rate = rate, AllowDiscount = input.AllowDiscount ?? true, EffectiveFrom = from.ToString(),
            SetBy = caller.UserName, SetAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.IncentiveRates.Add(row);
        // Every partner of the program hears of it in the same transaction (a rate decides what it earns).
        var partners = await db.Partners.AsNoTracking().Where(p => p.Program == program).Select(p => p.AccountId).ToListAsync(ct);
        var what = service is null ? "every service" : service;
        foreach (var partner in partners)
            db.PartnerNotifications.Add(new PartnerNotification
            {
                PartnerAccountId = partner, CustomerAccountId = partner, Kind = "incentive.rate", CreatedAt = row.SetAt,
                Message = $"From {row.EffectiveFrom} your referral incentive on {what} is {(rate * 100).ToString("0.##", CultureInfo.InvariantCulture)}% of your referral customers' consumption.",
            });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return row;
    }

    /// <summary>Every setting, newest first (the operator's history).</summary>
    public async Task<IReadOnlyList<IncentiveRate>> HistoryAsync(Caller caller, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.OperatorOnly("view incentive rates"));
        return await db.IncentiveRates.AsNoTracking().OrderByDescending(r => r.Id).Take(500).ToListAsync(ct);
    }

    /// <summary>The rates in force for <paramref name="program"/> in <paramref name="cycle"/>.</summary>
    public async Task<RatesInForce> InForceAsync(PartnerProgram program, BillCycle cycle, CancellationToken ct = default)
    {
        var month = cycle.ToString();
        // "YYYY-MM" sorts as the months do, so the comparison runs in SQL.
        var rows = await db.IncentiveRates.AsNoTracking().Where(r => r.Program == program && string.Compare(r.EffectiveFrom, month) <= 0).ToListAsync(ct);
        var newest = rows.GroupBy(r => r.ServiceTypeCode ?? "")
            .Select(g => g.OrderByDescending(r => r.EffectiveFrom, StringComparer.Ordinal).ThenByDescending(r => r.Id).First()).ToList();
        return new RatesInForce(newest.FirstOrDefault(r => r.ServiceTypeCode is null),
            newest.Where(r => r.ServiceTypeCode is not null).ToDictionary(r => r.ServiceTypeCode!));
    }
}
