using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Partners;

/// <summary>The outcome of a batch operation: the ids it was done for, and per-id failures.</summary>
public sealed record BatchResult(IReadOnlyList<string> Succeeded, IReadOnlyList<(string Id, Error Error)> Failed);

/// <summary>Freezing and unfreezing resale customers (at most 10 per call), with a record of who, why and when.</summary>
public sealed class FreezeService(AppDbContext db, PartnerScope scope, TimeProvider clock)
{
    public async Task<BatchResult> FreezeAsync(Caller caller, IReadOnlyList<string>? customerIds, string? reason, string? freezeType, string? indirectPartnerId, CancellationToken ct = default) =>
        await BatchAsync(caller, customerIds, reason, freezeType, "freeze_type", indirectPartnerId, FreezeAction.Freeze, ct);

    public async Task<BatchResult> UnfreezeAsync(Caller caller, IReadOnlyList<string>? customerIds, string? reason, string? unfreezeType, string? indirectPartnerId, CancellationToken ct = default) =>
        await BatchAsync(caller, customerIds, reason, unfreezeType, "unfreeze_type", indirectPartnerId, FreezeAction.Unfreeze, ct);

    async Task<BatchResult> BatchAsync(Caller caller, IReadOnlyList<string>? customerIds, string? reason, string? typeText, string typeField,
        string? indirectPartnerId, FreezeAction action, CancellationToken ct)
    {
        if (customerIds is null || customerIds.Count is < 1 or > 10) throw Check.Invalid("customer_ids must hold 1 to 10 ids.");
        if (customerIds.Any(id => string.IsNullOrEmpty(id) || id.Length > 64)) throw Check.Invalid("each customer id is 1 to 64 characters.");
        var why = Check.Required(reason, "reason");
        if (why.Length > 256) throw Check.Invalid("reason is at most 256 characters.");
        var type = typeText switch
        {
            null => FreezeType.Account,
            "ACCOUNT" => FreezeType.Account,
            "ACCOUNT_AND_RESOURCE" => FreezeType.AccountAndResource,
            _ => throw Check.Invalid($"{typeField} must be ACCOUNT or ACCOUNT_AND_RESOURCE."),
        };
        var partner = await scope.ActingPartnerAsync(caller, action == FreezeAction.Freeze ? PartnerActions.Freeze : PartnerActions.Unfreeze,
            indirectPartnerId, PartnerNeed.BudgetsAndFreezing, ct);

        var succeeded = new List<string>();
        var failed = new List<(string, Error)>();
        foreach (var id in customerIds.Distinct())
        {
            var association = await db.CustomerAssociations.AsNoTracking().SingleOrDefaultAsync(a => a.CustomerAccountId == id && a.PartnerAccountId == partner.AccountId, ct);
            if (association is null) { failed.Add((id, Errors.NotYourCustomer())); continue; }
            if (association.AssociationType != AssociationTypes.Resale) { failed.Add((id, Errors.WrongAssociationType())); continue; }
            if (action == FreezeAction.Unfreeze && association.IsFrozen && association.FreezeType != type) { failed.Add((id, Errors.UnfreezeTypeMismatch())); continue; }
            // The state and its record together: a freeze that fails midway leaves neither (found by the simulation).
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (action == FreezeAction.Freeze) await FreezeOneAsync(id, partner.AccountId, type, why, caller.UserName, ct);
            else await UnfreezeOneAsync(id, partner.AccountId, type, why, caller.UserName, ct);
            await tx.CommitAsync(ct);
            succeeded.Add(id);
        }
        return new BatchResult(succeeded, failed);
    }

    /// <summary>Freezes one customer and records it; freezing a frozen customer again only records the new type.</summary>
    internal async Task FreezeOneAsync(string customerId, string partnerId, FreezeType type, string reason, string operatorName, CancellationToken ct)
    {
        var changed = await db.CustomerAssociations.Where(a => a.CustomerAccountId == customerId && (!a.IsFrozen || a.FreezeType != type))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsFrozen, true).SetProperty(a => a.FreezeType, type), ct);
        if (changed == 0) return;
        await RecordAsync(customerId, partnerId, FreezeAction.Freeze, type, reason, operatorName, ct);
    }

    internal async Task UnfreezeOneAsync(string customerId, string partnerId, FreezeType type, string reason, string operatorName, CancellationToken ct)
    {
        var changed = await db.CustomerAssociations.Where(a => a.CustomerAccountId == customerId && a.IsFrozen)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsFrozen, false).SetProperty(a => a.FreezeType, (FreezeType?)null), ct);
        if (changed == 0) return;
        await RecordAsync(customerId, partnerId, FreezeAction.Unfreeze, type, reason, operatorName, ct);
    }

    async Task RecordAsync(string customerId, string partnerId, FreezeAction action, FreezeType type, string reason, string operatorName, CancellationToken ct)
    {
        db.FreezeRecords.Add(new FreezeRecord
        {
            CustomerAccountId = customerId, PartnerAccountId = partnerId, Action = action, Type = type, Reason = reason,
            Operator = operatorName, At = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A customer's freeze history, newest first, for its partner.</summary>
    public async Task<List<FreezeRecord>> HistoryAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var partner = await scope.ActingPartnerAsync(caller, PartnerActions.ListCustomers, indirectPartnerId, PartnerNeed.Customers, ct);
        var association = await scope.CustomerOfAsync(partner, customerId, ct);
        return await db.FreezeRecords.AsNoTracking().Where(r => r.CustomerAccountId == association.CustomerAccountId)
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(100).ToListAsync(ct);
    }
}
