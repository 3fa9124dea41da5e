using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Usage;

namespace PartnerCenter.Core.CustomerBills;

/// <summary>A free-resource package deduction with the package it was taken from.</summary>
public sealed record FreeResourceUse(FreeResourceDeduction Deduction, FreeResourcePackage Package);

public sealed partial class CustomerBillService
{
    /// <summary>
    /// ListFreeResourcesUsageRecords: what the caller's free-resource packages covered, one record per package, resource
    /// and hour of usage as the rating run deducted it (newest first), with the package's amount before and after.
    /// </summary>
    public async Task<(IReadOnlyList<FreeResourceUse> Records, int Total)> FreeResourceUsesAsync(Caller caller, string? freeResourceId, string? productId,
        string? resourceTypeCode, string? deductTimeBegin, string? deductTimeEnd, int? offset, int? limit, CancellationToken ct = default)
    {
        var (from, size) = Page(offset, limit, 10);
        await access.RequireAsync(caller, CustomerBillActions.View, ct);
        foreach (var (value, field) in new[] { (freeResourceId, "free_resource_id"), (productId, "product_id"), (resourceTypeCode, "resource_type_code") })
            Check.MaxLength(value, field, 64);
        var begin = Instant(deductTimeBegin, "deduct_time_begin");
        var end = Instant(deductTimeEnd, "deduct_time_end");
        var customer = caller.AccountId;
        var uses = db.FreeResourceDeductions.AsNoTracking().Where(d => d.CustomerAccountId == customer);
        if (!string.IsNullOrEmpty(freeResourceId)) uses = uses.Where(d => d.FreeResourceId == freeResourceId);
        if (!string.IsNullOrEmpty(productId)) uses = uses.Where(d => d.PackageId == productId);
        if (!string.IsNullOrEmpty(resourceTypeCode)) uses = uses.Where(d => d.ResourceTypeCode == resourceTypeCode);
        if (begin is { } b) uses = uses.Where(d => d.Hour >= b);
        if (end is { } e) uses = uses.Where(d => d.Hour <= e);
        var total = await uses.CountAsync(ct);
        var page = await uses.OrderByDescending(d => d.Hour).ThenByDescending(d => d.Id).Skip(from).Take(size)
            .Join(db.FreeResourcePackages.AsNoTracking(), d => d.PackageId, p => p.Id, (d, p) => new FreeResourceUse(d, p)).ToListAsync(ct);
        return (page, total);
    }

    static DateTime? Instant(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw Check.Invalid($"{field} is a UTC time as YYYY-MM-DDTHH:mm:ssZ.");
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }
}
