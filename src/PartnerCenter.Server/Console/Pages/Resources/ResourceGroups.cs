using PartnerCenter.Core.Common;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Server.Console.Pages.Resources;

/// <summary>A main resource with the resources attached to it (a server's disks), as the resource pages list them.</summary>
public sealed record ResourceGroup(CloudResource Main, IReadOnlyList<CloudResource> Attached);

public static class ResourceGroups
{
    public const int PageSize = 10;

    /// <summary>
    /// One page of main resources (the caller's, or a partner's customer's) in the given statuses, each with its
    /// attached resources. Attached resources are bought in their main resource's order, so that order finds them.
    /// </summary>
    public static async Task<(IReadOnlyList<ResourceGroup> Groups, int Total)> LoadAsync(ResourceService resources, Caller caller, string? customerId,
        IReadOnlyList<int> statuses, int offset, CancellationToken ct)
    {
        var (mains, total) = await resources.ListAsync(caller, new ResourceFilter(null, null, 1, statuses, null, null, null, customerId, offset, PageSize), ct);
        var byOrder = new Dictionary<string, IReadOnlyList<CloudResource>>();
        var groups = new List<ResourceGroup>(mains.Count);
        foreach (var main in mains)
        {
            if (!byOrder.TryGetValue(main.OrderId, out var ofOrder))
                byOrder[main.OrderId] = ofOrder = await OfOrderAsync(resources, caller, customerId, main.OrderId, ct);
            groups.Add(new ResourceGroup(main, ofOrder.Where(r => r.ParentResourceId == main.Id).ToList()));
        }
        return (groups, total);
    }

    /// <summary>One main resource with its attached ones; null when the caller has no such resource.</summary>
    public static async Task<ResourceGroup?> FindAsync(ResourceService resources, Caller caller, string? customerId, string resourceId, CancellationToken ct)
    {
        var (found, _) = await resources.ListAsync(caller, new ResourceFilter([resourceId], null, null, null, null, null, null, customerId, 0, 1), ct);
        if (found.FirstOrDefault() is not { } resource) return null;
        var ofOrder = await OfOrderAsync(resources, caller, customerId, resource.OrderId, ct);
        return new ResourceGroup(resource, ofOrder.Where(r => r.ParentResourceId == resource.Id).ToList());
    }

    static async Task<IReadOnlyList<CloudResource>> OfOrderAsync(ResourceService resources, Caller caller, string? customerId, string orderId, CancellationToken ct)
    {
        var all = new List<CloudResource>();
        while (true)
        {
            var (items, total) = await resources.ListAsync(caller, new ResourceFilter(null, orderId, null, null, null, null, null, customerId, all.Count, 100), ct);
            all.AddRange(items);
            if (items.Count == 0 || all.Count >= total) return all;
        }
    }

    /// <summary>
    /// The order pending payment that renews <paramref name="resourceId"/>, if any: a renewal whose payment was refused
    /// stays pending, and no other renewal of the resource can be made until it is paid or cancelled.
    /// </summary>
    public static async Task<Order?> PendingRenewalAsync(OrderService orders, Caller caller, string? customerId, string resourceId, CancellationToken ct)
    {
        var (pending, _) = await orders.ListAsync(caller, new OrderFilter(null, customerId ?? caller.AccountId, null, null, null, OrderStatus.PendingPayment,
            OrderType.Renewal, null, null, "-createTime", 0, 20, null), ct);
        foreach (var o in pending)
        {
            var detailed = await orders.DetailsAsync(caller, o.Id, ct);
            if (detailed.Lines.Any(l => l.ResourceId == resourceId)) return detailed;
        }
        return null;
    }
}
