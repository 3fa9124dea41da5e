using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PartnerCenter.Core.Catalog;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Core.Orders;

public static class OrderActions
{
    public const string Create = "bss:order:create";
    public const string View = "bss:order:view";
    public const string Pay = "bss:order:pay";
    public const string Cancel = "bss:order:update";
}

/// <param name="ChargingMode">Absent or 1: yearly/monthly (this service); 3: pay-per-use (created by <see cref="Usage.OnDemandService"/>).</param>
public sealed record NewOrderLine(string? CloudServiceType, string? ResourceType, string? ResourceSpec, string? Region, decimal? ResourceSize,
    int? SizeMeasureId, int? PeriodType, int? PeriodNum, int? SubscriptionNum, int? ChargingMode = null);

/// <summary>An order to create: for the caller's own account, or (a partner) for <see cref="CustomerId"/> on its behalf.</summary>
public sealed record NewOrder(string? CustomerId, IReadOnlyList<NewOrderLine>? Lines, string? ClientToken, string? IndirectPartnerId = null);

public sealed record PayChoice(string? Id, int? Type);
public sealed record PayRequest(string? OrderId, string? UseCoupon, string? UseDiscount, IReadOnlyList<PayChoice>? CouponInfos, IReadOnlyList<PayChoice>? DiscountInfos);

public sealed record OrderFilter(string? OrderId, string? CustomerId, DateTime? CreateTimeBegin, DateTime? CreateTimeEnd, string? ServiceTypeCode,
    int? Status, int? OrderType, DateTime? PaymentTimeBegin, DateTime? PaymentTimeEnd, string? OrderBy, int? Offset, int? Limit, string? IndirectPartnerId,
    string? Method = null);

/// <summary>
/// Yearly/monthly orders: created by the customer or by its partner on its behalf, priced once by the rating engine,
/// paid by PayOrders under the funding rules, cancelled by the customer or by the payment deadline.
/// <list type="bullet">
/// <item>A resale customer's order is checked against its frozen state and its budget (at list price) and charged to its
/// partner at the settlement price, within the partner's consumption quota.</item>
/// <item>A referral or direct customer pays from its balance, cash before credit, after the one discount it chose.</item>
/// </list>
/// Creation and payment are idempotent: a retried creation (same client token) answers the same order, and paying a
/// paid order charges nothing again.
/// </summary>
public sealed class OrderService(AppDbContext db, RatingEngine rating, BudgetConsumption budgets, LedgerBook ledger, AccessControl access,
    PartnerScope partners, ResourceFulfilment fulfilment, Idempotency keys, Coupons.CouponPayment coupons, TimeProvider clock)
{
    /// <summary>How long an order waits in pending payment before it cancels itself.</summary>
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromDays(7);
    public const int MaxLines = 20;
    public const int MaxPageSize = 100;

    public async Task<Order> CreateAsync(Caller caller, NewOrder request, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct); // one connection for the request, not one from the pool per query
        var (customerId, placedBy) = await CustomerForOrderAsync(caller, request.CustomerId, request.IndirectPartnerId, ct);
        if (request.Lines is not { Count: > 0 and <= MaxLines } lines) throw Check.Invalid($"product_infos holds 1 to {MaxLines} products.");
        var products = lines.Select(Validated).ToList();
        var items = products.Select(p => new OrderItem(p, Ids.New(), true, null)).ToList();
        return await CreateOrderAsync(caller, customerId, placedBy, request.ClientToken, OrderType.NewPurchase, Attached(items), ct);
    }

    /// <summary>What one line of a new order buys or renews: the product to rate and the resource it is for.</summary>
    public sealed record OrderItem(PeriodProduct Product, string ResourceId, bool IsMain, string? ParentResourceId);

    /// <summary>
    /// Creates an order pending payment: rates every item once (the price later paid), fixes the discounts it may use
    /// and the partner's settlement price. Idempotent by client token.
    /// </summary>
    public async Task<Order> CreateOrderAsync(Caller caller, string customerId, string? placedBy, string? clientToken, int orderType,
        IReadOnlyList<OrderItem> items, CancellationToken ct = default)
    {
        var token = Check.Required(clientToken, "client_token");
        if (token.Length > 64) throw Check.Invalid("client_token is at most 64 characters.");
        // A retried creation is recognised by the unique client token when the order is saved (below), not by a read first.
        var association = await AssociationQuery(db, customerId);
        var fingerprint = Idempotency.Fingerprint(new { orderType, placedBy, products = items.Select(i => i.Product) });
        if ((BudgetConsumption.CannotTransact(association) ?? await PartnerOverdueAsync(association)) is { } frozen)
        {
            // A retry of an order created before the freeze is answered with that order, as every idempotent request is
            // (a changed request under the same key is still 409); only a new order is refused.
            if (await keys.SeenAsync(OrderKeyScope(customerId), token, fingerprint, ct) && await Existing(customerId, token, ct) is { } earlier) return earlier;
            throw new ServiceException(frozen);
        }

        var orderId = NewOrderId(clock.GetUtcNow().UtcDateTime);
        var quoted = new List<(OrderLine Line, PeriodQuote Quote)>();
        foreach (var item in items)
        {
            var product = item.Product;
            var quote = await rating.RatePeriodAsync(customerId, association, product, ct);
            quoted.Add((new OrderLine
            {
                Id = Ids.New(), OrderId = orderId, SpecId = quote.SpecId, ResourceId = item.ResourceId, IsMainResource = item.IsMain,
                ParentResourceId = item.ParentResourceId, CloudServiceType = product.CloudServiceType, ResourceType = product.ResourceType,
                ResourceSpec = product.ResourceSpec, Region = product.Region, ResourceSize = product.ResourceSize, SizeMeasureId = product.SizeMeasureId,
                PeriodType = product.PeriodType, PeriodNum = product.PeriodNum, SubscriptionNum = product.SubscriptionNum,
                ExtraDays = product.ExtraDays > 0 ? product.ExtraDays : null, OfficialAmount = quote.OfficialAmount, SettlementAmount = quote.SettlementAmount,
            }, quote));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var official = quoted.Sum(q => q.Line.OfficialAmount);
        var order = new Order
        {
            Id = orderId, CustomerAccountId = customerId, ClientToken = token, OrderType = orderType,
            SourceType = caller == Caller.System ? OrderSource.System : placedBy is null ? OrderSource.Customer : OrderSource.Partner,
            Status = OrderStatus.PendingPayment,
            ServiceTypeCode = quoted[0].Line.CloudServiceType, OfficialAmount = official, AmountAfterDiscount = official,
            SettlementAmount = quoted.Sum(q => q.Line.SettlementAmount),
            FundingPartnerAccountId = association?.AssociationType == AssociationTypes.Resale ? association.PartnerAccountId : null,
            CreatedByUserName = caller.UserName, PlacedByPartnerAccountId = placedBy, CreatedAt = now, PaymentDeadline = now + PaymentWindow,
            Lines = quoted.Select(q => q.Line).ToList(),
        };
        // A discount applies to the lines it was quoted for; the order offers each discount with its total saving.
        var options = quoted.SelectMany(q => q.Quote.Discounts).GroupBy(d => d.DiscountId).Select(g => new OrderDiscountOption
        {
            OrderId = orderId, DiscountId = g.Key, DiscountType = OrderDiscountType.FromRating(g.First().DiscountType),
            DiscountAmount = g.Sum(d => d.DiscountAmount), AmountAfterDiscount = official - g.Sum(d => d.DiscountAmount),
        }).ToList();
        var best = options.OrderByDescending(o => o.DiscountAmount).FirstOrDefault(o => o.DiscountAmount > 0);
        order.DiscountOptions.AddRange(options.Select(o => o.DiscountId == best?.DiscountId ? new OrderDiscountOption
        {
            OrderId = o.OrderId, DiscountId = o.DiscountId, DiscountType = o.DiscountType, DiscountAmount = o.DiscountAmount,
            AmountAfterDiscount = o.AmountAfterDiscount, BestOffer = true,
        } : o));

        // The order's rows go in as hot statements: SaveChanges' command building cost more than these few writes.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await keys.TakeAsync(OrderKeyScope(customerId), token, fingerprint, ct) || !await HotInsert.AddAsync(db, order, skipIfExists: true, ct))
        {
            // The same client token raced in twice: the first order wins and both requests answer it.
            await tx.RollbackAsync(ct);
            return await Existing(customerId, token, ct) ?? throw new InvalidOperationException($"Order {orderId} collided with another order's id.");
        }
        foreach (var line in order.Lines) await HotInsert.AddAsync(db, line, ct: ct);
        foreach (var option in order.DiscountOptions) await HotInsert.AddAsync(db, option, ct: ct);
        await tx.CommitAsync(ct);
        return order;
    }

    /// <summary>Orders of both charging modes share one client_token space per customer.</summary>
    public static string OrderKeyScope(string customerId) => "orders:" + customerId;

    /// <summary>Pays a pending order under the funding rules; paying a paid order again charges nothing and succeeds.</summary>
    public async Task<Order> PayAsync(Caller caller, PayRequest request, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct); // one connection for the request, not one from the pool per query
        await access.RequireAsync(caller, OrderActions.Pay, ct);
        var orderId = Check.Required(request.OrderId, "order_id");
        var useCoupon = YesNo(request.UseCoupon, "use_coupon");
        var useDiscount = YesNo(request.UseDiscount, "use_discount");
        if (useCoupon != request.CouponInfos is { Count: > 0 }) throw Check.Invalid("coupon_infos is required when use_coupon is YES and must be absent when it is NO.");
        if (useDiscount != request.DiscountInfos is { Count: > 0 }) throw Check.Invalid("discount_infos is required when use_discount is YES and must be absent when it is NO.");
        if (request.CouponInfos is { Count: > Coupons.CouponPayment.MaxCoupons }) throw Check.Invalid($"coupon_infos holds at most {Coupons.CouponPayment.MaxCoupons} coupons.");
        if (request.DiscountInfos is { Count: > 1 }) throw Check.Invalid("Exactly one discount can be used.");

        var order = await OwnOrderQuery(db, orderId, caller.AccountId) ?? await CustodyOrderAsync(caller, orderId, ct) ?? throw new ServiceException(Errors.InvalidOrder());
        // An enterprise master pays its finance-custody member's order from its own balance; coupons pay only their own account's orders.
        var payer = caller.AccountId;
        if (payer != order.CustomerAccountId && useCoupon) throw Check.Invalid("use_coupon is NO when a master pays a member's order: coupons pay only their own account's orders.");
        OrderDiscountOption? discount = null;
        if (useDiscount && order.Status == OrderStatus.PendingPayment)
        {
            var choice = request.DiscountInfos![0];
            discount = order.DiscountOptions.SingleOrDefault(d => d.DiscountId == choice.Id && (choice.Type is null || choice.Type == d.DiscountType))
                       ?? throw new ServiceException(Errors.DiscountNotApplicable());
        }
        var chosen = PaymentFingerprint(useDiscount ? request.DiscountInfos![0].Id : null, request.CouponInfos?.Select(c => c.Id).ToList());
        return await PayOrderAsync(order, discount, chosen, caller.UserName, ct, useCoupon ? request.CouponInfos : null, payer);
    }

    /// <summary>An order of a normal finance-custody member of the caller's organization, which the caller pays as its master (never a resale customer's: its partner funds it).</summary>
    async Task<Order?> CustodyOrderAsync(Caller caller, string orderId, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.DiscountOptions).Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, ct);
        return order is { FundingPartnerAccountId: null } && await Enterprise.EnterpriseBills.IsCustodyMemberAsync(db, caller.AccountId, order.CustomerAccountId, ct) ? order : null;
    }

    /// <summary>What a payment chose: the order id is its key, so paying it again with another choice is refused.</summary>
    static string PaymentFingerprint(string? discountId, List<string?>? coupons) => Idempotency.Fingerprint(new { discountId, coupons });

    static string PaymentKeyScope(string customerId) => "payments:" + customerId;

    /// <summary>
    /// Pays an order the platform pays by itself (auto-renewal, auto-pay of a renewal): with the commercial discount if
    /// there is one, otherwise the best offer.
    /// </summary>
    public async Task<Order> AutoPayAsync(string orderId, string by, CancellationToken ct = default)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.DiscountOptions).Include(o => o.Lines).SingleAsync(o => o.Id == orderId, ct);
        var discount = order.DiscountOptions.FirstOrDefault(d => d.DiscountType == OrderDiscountType.Commercial) ?? order.DiscountOptions.FirstOrDefault(d => d.BestOffer);
        return await PayOrderAsync(order, discount, PaymentFingerprint(discount?.DiscountId, null), by, ct);
    }

    async Task<Order> PayOrderAsync(Order order, OrderDiscountOption? discount, string choice, string by, CancellationToken ct, IReadOnlyList<PayChoice>? couponChoices = null,
        string? payer = null)
    {
        payer ??= order.CustomerAccountId;
        if (order.Status == OrderStatus.Completed)
        {
            // A retried payment: already paid, nothing charged again (and refused if it chose otherwise).
            await keys.SeenAsync(PaymentKeyScope(order.CustomerAccountId), order.Id, choice, ct);
            return order;
        }
        if (order.Status != OrderStatus.PendingPayment) throw new ServiceException(Errors.OrderStatusChanged());
        var now = clock.GetUtcNow().UtcDateTime;
        if (now > order.PaymentDeadline) throw new ServiceException(Errors.PaymentDeadlinePassed());
        var toPay = discount?.AmountAfterDiscount ?? order.OfficialAmount;
        // Read before the transaction, so that it holds SQLite's write lock only for the writes; a refused coupon refuses here, before anything is written.
        var funding = await FundingAsync(order, payer, ct);
        var plan = couponChoices is { Count: > 0 } ? await coupons.PlanAsync(order, couponChoices, toPay, now, ct) : Coupons.CouponPlan.None;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Only one payment of the order gets past this conditional update; a concurrent one finds it paid.
        var claimed = (await HotStatements.RunAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), ClaimPaymentSql,
        [
            ("id", order.Id), ("now", now), ("amount", (long)(toPay * Money.MicrosPerUnit)), ("coupons", (long)(plan.Total * Money.MicrosPerUnit)),
            ("discount", (object?)discount?.DiscountId ?? DBNull.Value), ("type", (object?)discount?.DiscountType ?? DBNull.Value),
        ], ct)).Changes;
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            var now2 = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id, ct);
            if (now2.Status != OrderStatus.Completed) throw new ServiceException(Errors.OrderStatusChanged());
            await keys.SeenAsync(PaymentKeyScope(order.CustomerAccountId), order.Id, choice, ct);
            return now2;
        }
        await keys.TakeAsync(PaymentKeyScope(order.CustomerAccountId), order.Id, choice, ct);
        if (payer != order.CustomerAccountId)
            await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.PaidByAccountId, payer), ct);

        decimal settlementPaid;
        try
        {
            settlementPaid = await ChargeAsync(order, funding, payer, toPay, plan, by, now, ct);
        }
        catch (ServiceException e) when (plan.Takes.Count > 0 && e.Error.Code == Errors.InsufficientBalance().Code)
        {
            // Refused for want of money: the chosen coupons stay reserved for this order until it is paid or cancelled.
            await tx.RollbackAsync(ct);
            await coupons.LockAsync(order, plan, ct);
            throw;
        }
        await fulfilment.ApplyAsync(order, order.Lines.OrderBy(l => l.IsMainResource ? 0 : 1).ThenBy(l => l.Id).ToList(), toPay - plan.Total, settlementPaid, plan.ValueAmount, now, ct);
        await tx.CommitAsync(ct);
        // The order as the conditional update left it (no second read).
        order.Status = OrderStatus.Completed;
        order.PaidAt = now;
        order.AmountAfterDiscount = toPay;
        order.DiscountId = discount?.DiscountId;
        order.DiscountType = discount?.DiscountType;
        order.CouponAmount = plan.Total;
        order.PaidByAccountId = payer == order.CustomerAccountId ? null : payer;
        return order;
    }

    /// <summary>A resale customer's partner with an overdue bill stops its customers' purchases until it repays (see <see cref="Billing.Overdue"/>).</summary>
    async Task<Error?> PartnerOverdueAsync(CustomerAssociation? association) =>
        association is { AssociationType: AssociationTypes.Resale } && await Billing.Overdue.IsOverdueAsync(db, association.PartnerAccountId, clock.GetUtcNow().UtcDateTime)
            ? Errors.PartnerOverdue() : null;

    /// <summary>Who pays an order as things stand: the customer's resale partner if it has one, else the payer's (the customer's or its master's) cash and credit.</summary>
    sealed record Funding(string? ResalePartner, decimal Cash, decimal Credit);

    async Task<Funding> FundingAsync(Order order, string payer, CancellationToken ct)
    {
        var row = await FundingQuery(db, order.CustomerAccountId, LedgerBook.CashOf(payer), LedgerBook.CreditOf(payer))
                  ?? throw new ServiceException(Errors.InvalidOrder());
        return new Funding(row.AssociationType == AssociationTypes.Resale ? row.PartnerAccountId : null, Math.Max(0, row.Cash ?? 0), Math.Max(0, row.Credit ?? 0));
    }

    /// <summary>
    /// Moves the money of a payment, in the payment's transaction: any refusal throws and the payment rolls back.
    /// Coupons pay first; a resale customer whose allocated cash covers the rest pays it (<see cref="AllocatedFunds"/>);
    /// otherwise its partner pays the settlement price less what coupons paid (the platform funds coupons, so the
    /// partner's margin stays the customer's price minus the settlement price).
    /// Returns the settlement price the stretches keep: what the partner paid, or what an allocated-cash payment carries.
    /// </summary>
    async Task<decimal> ChargeAsync(Order order, Funding funding, string payer, decimal toPay, Coupons.CouponPlan plan, string by, DateTime now, CancellationToken ct)
    {
        var entry = $"order:{order.Id}";
        var revenue = LedgerBook.Platform(LedgerAccountKind.PlatformRevenue);
        var movements = new List<Movement>();
        if (plan.Takes.Count > 0) movements.AddRange(await coupons.UseAsync(order, plan, now, ct));
        if (funding.ResalePartner is { } partner)
        {
            if (partner != order.FundingPartnerAccountId) throw new ServiceException(Errors.OrderStatusChanged());
            if (await Billing.Overdue.IsOverdueAsync(db, partner, clock.GetUtcNow().UtcDateTime)) throw new ServiceException(Errors.PartnerOverdue());
            if (AllocatedFunds.Pays(funding.Cash, toPay - plan.Total))
                return await AllocatedFunds.PayAsync(db, ledger, budgets, order, toPay - plan.Total, plan.Total, movements, by, ct);
            var spend = await budgets.SpendAsync(order.CustomerAccountId, order.OfficialAmount, entry, ct);
            if (!spend.Accepted) throw new ServiceException(spend.Refusal!);
            await ledger.EnsureAccountAsync(LedgerAccountKind.PartnerPayable, partner, ct);
            var settlement = Math.Max(0, order.SettlementAmount - plan.Total);
            if (settlement > 0) movements.Add(new Movement(LedgerBook.PayableOf(partner), revenue, settlement));
            if (movements.Count == 0) return 0;
            try
            {
                await ledger.PostAsync(entry, "OrderPayment", order.Id, $"Order {order.Id} of resale customer {order.CustomerAccountId} at settlement price", by, movements, ct);
            }
            catch (InsufficientFundsException e)
            {
                throw new ServiceException(e.AccountId == LedgerBook.PayableOf(partner) ? Errors.ConsumptionQuotaExceeded() : Errors.FundsChangedTryAgain());
            }
            return settlement;
        }
        if (order.FundingPartnerAccountId is not null) throw new ServiceException(Errors.OrderStatusChanged());
        var rest = toPay - plan.Total;

        // Cash first, then credit, as read before the transaction. A concurrent payment may have taken that cash
        // meanwhile; the floors then refuse and the customer retries, so a balance is never overspent.
        if (funding.Cash + funding.Credit < rest) throw new ServiceException(Errors.InsufficientBalance());
        var fromCash = Math.Min(funding.Cash, rest);
        if (fromCash > 0) movements.Add(new Movement(LedgerBook.CashOf(payer), revenue, fromCash));
        if (rest - fromCash > 0) movements.Add(new Movement(LedgerBook.CreditOf(payer), revenue, rest - fromCash));
        if (movements.Count == 0) return 0;
        try
        {
            await ledger.PostAsync(entry, "OrderPayment", order.Id,
                payer == order.CustomerAccountId ? $"Order {order.Id}" : $"Order {order.Id} of member {order.CustomerAccountId}, paid by its enterprise master", by, movements, ct);
        }
        catch (InsufficientFundsException)
        {
            throw new ServiceException(Errors.InsufficientBalance());
        }
        return 0;
    }

    /// <summary>CancelCustomerOrder: only a pending-payment order (CBC.99005010 otherwise), by the customer.</summary>
    public async Task CancelAsync(Caller caller, string? orderId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, OrderActions.Cancel, ct);
        var id = Check.Required(orderId, "order_id");
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.CustomerAccountId == caller.AccountId, ct)
                    ?? throw new ServiceException(Errors.InvalidOrder());
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Orders.Where(o => o.Id == order.Id && o.Status == OrderStatus.PendingPayment)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelledAt, now), ct) == 0)
            throw new ServiceException(Errors.OrderNotCancellable());
        await Coupons.CouponPayment.ReleaseAsync(db, db.Orders.Where(o => o.Id == order.Id).Select(o => o.Id), ct);
        await tx.CommitAsync(ct);
    }

    public async Task<(IReadOnlyList<Order> Orders, int Total)> ListAsync(Caller caller, OrderFilter f, CancellationToken ct = default)
    {
        var orders = f.Method == "sub_customer" ? await CustodyMembersOrdersAsync(caller, f.CustomerId, ct) : await VisibleOrdersAsync(caller, f.CustomerId, f.IndirectPartnerId, ct);
        RangeOfAYear(f.CreateTimeBegin, f.CreateTimeEnd, "create_time");
        RangeOfAYear(f.PaymentTimeBegin, f.PaymentTimeEnd, "payment_time");
        var limit = f.Limit ?? 10;
        var offset = f.Offset ?? 0;
        if (limit is < 1 or > MaxPageSize) throw Check.Invalid($"limit is 1 to {MaxPageSize}.");
        if (offset < 0) throw Check.Invalid("offset is 0 or more.");
        if (f.Status is { } st && st is not (1 or 3 or 4 or 5 or 6 or 9)) throw Check.Invalid("status is 1, 3, 4, 5, 6 or 9.");
        if (f.OrderBy is not (null or "" or "createTime" or "-createTime")) throw Check.Invalid("order_by is createTime or -createTime.");

        if (!string.IsNullOrEmpty(f.OrderId)) orders = orders.Where(o => o.Id.ToLower() == f.OrderId.ToLower());
        if (f.CreateTimeBegin is { } cb) orders = orders.Where(o => o.CreatedAt >= cb);
        if (f.CreateTimeEnd is { } ce) orders = orders.Where(o => o.CreatedAt <= ce);
        if (f.PaymentTimeBegin is { } pb) orders = orders.Where(o => o.PaidAt >= pb);
        if (f.PaymentTimeEnd is { } pe) orders = orders.Where(o => o.PaidAt <= pe);
        if (!string.IsNullOrEmpty(f.ServiceTypeCode)) orders = orders.Where(o => o.ServiceTypeCode == f.ServiceTypeCode);
        if (f.Status is { } status) orders = orders.Where(o => o.Status == status);
        if (f.OrderType is { } type) orders = orders.Where(o => o.OrderType == type);
        var total = await orders.CountAsync(ct);
        orders = f.OrderBy == "createTime" ? orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id) : orders.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id);
        return (await orders.Skip(offset).Take(limit).ToListAsync(ct), total);
    }

    /// <summary>
    /// One order with its lines, for its customer or the customer's partner (naming the customer with
    /// <paramref name="customerId"/>, a distributor its reseller with <paramref name="indirectPartnerId"/>).
    /// </summary>
    public async Task<Order> DetailsAsync(Caller caller, string? orderId, CancellationToken ct = default, string? customerId = null, string? indirectPartnerId = null)
    {
        var id = Check.Required(orderId, "order_id");
        var orders = await VisibleOrdersAsync(caller, customerId, indirectPartnerId, ct);
        return await orders.Include(o => o.Lines).Include(o => o.DiscountOptions).SingleOrDefaultAsync(o => o.Id == id, ct)
               ?? throw new ServiceException(Errors.InvalidOrder());
    }

    /// <summary>ShowCustomerOrderDetails: the order, when each line's resources start and end, and the catalog's names.</summary>
    public async Task<OrderDetails> DetailsWithTermsAsync(Caller caller, string? orderId, string? indirectPartnerId, CancellationToken ct = default)
    {
        var order = await DetailsAsync(caller, orderId, ct, null, indirectPartnerId);
        var periods = await db.ResourcePeriods.AsNoTracking().Where(p => p.OrderId == order.Id).ToListAsync(ct);
        var terms = new Dictionary<string, LineTerm>();
        foreach (var line in order.Lines)
        {
            // A line of several subscriptions bought one resource each (ResourceFulfilment.ResourceIdOf).
            var stretches = periods.Where(p => p.ResourceId == line.ResourceId || p.ResourceId.StartsWith(line.ResourceId + "-", StringComparison.Ordinal)).ToList();
            if (stretches.Count > 0) terms[line.Id] = new LineTerm(stretches.Min(p => p.Start), stretches.Max(p => p.End));
        }
        return new OrderDetails(order, terms, await CatalogNames.LoadAsync(db, ct));
    }

    /// <summary>The catalog's service and resource type names.</summary>
    public Task<CatalogNames> CatalogNamesAsync(CancellationToken ct = default) => CatalogNames.LoadAsync(db, ct);

    /// <summary>The catalog's name of one service type only (the creation answer shows no other).</summary>
    public Task<CatalogNames> ServiceTypeNameAsync(string serviceTypeCode) => CatalogNames.OfServiceTypeAsync(db, serviceTypeCode);

    /// <summary>ListOrderDiscounts: the discounts the caller's own pending order can be paid with (the order with its lines, which the discounts cover).</summary>
    public async Task<(Order Order, IReadOnlyList<OrderDiscountOption> Discounts)> DiscountsAsync(Caller caller, string? orderId, CancellationToken ct = default)
    {
        await access.RequireAsync(caller, OrderActions.View, ct);
        var id = Check.Required(orderId, "order_id");
        var order = await db.Orders.AsNoTracking().Include(o => o.DiscountOptions).Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id && o.CustomerAccountId == caller.AccountId, ct)
                    ?? throw new ServiceException(Errors.InvalidOrder());
        return (order, order.Status == OrderStatus.PendingPayment ? order.DiscountOptions : []);
    }

    /// <summary>The orders the caller may see: its own, or (a partner) its customers', narrowed to one customer on request.</summary>
    /// <summary>
    /// ListCustomerOrders with method=sub_customer, for an enterprise master: the orders it paid for its members, and its
    /// finance-custody members' orders waiting for payment (which it may pay); <paramref name="customerId"/> one member's.
    /// </summary>
    async Task<IQueryable<Order>> CustodyMembersOrdersAsync(Caller caller, string? customerId, CancellationToken ct)
    {
        await access.RequireAsync(caller, OrderActions.View, ct);
        var custody = Enterprise.EnterpriseMembership.Normal(db, caller.AccountId, custodyOnly: true).Select(m => m.MemberAccountId);
        var orders = db.Orders.AsNoTracking().Where(o => o.PaidByAccountId == caller.AccountId
            || (o.Status == OrderStatus.PendingPayment && o.FundingPartnerAccountId == null && custody.Contains(o.CustomerAccountId)));
        return string.IsNullOrEmpty(customerId) ? orders : orders.Where(o => o.CustomerAccountId == customerId);
    }

    async Task<IQueryable<Order>> VisibleOrdersAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct)
    {
        await access.RequireAsync(caller, OrderActions.View, ct);
        var own = db.Orders.AsNoTracking().Where(o => o.CustomerAccountId == caller.AccountId);
        var ownOnly = string.IsNullOrEmpty(indirectPartnerId) && (string.IsNullOrEmpty(customerId) || customerId == caller.AccountId);
        if (!await db.Partners.AnyAsync(p => p.AccountId == caller.AccountId, ct))
            return ownOnly ? own : throw new ServiceException(Errors.NotYourCustomer());
        if (ownOnly && customerId == caller.AccountId) return own;

        var partner = await partners.ActingPartnerAsync(caller, OrderActions.View, indirectPartnerId, PartnerNeed.Customers, ct);
        if (!string.IsNullOrEmpty(customerId))
        {
            await partners.CustomerOfAsync(partner, customerId, ct);
            return db.Orders.AsNoTracking().Where(o => o.CustomerAccountId == customerId);
        }
        var customers = db.CustomerAssociations.Where(a => a.PartnerAccountId == partner.AccountId).Select(a => a.CustomerAccountId);
        var theirs = db.Orders.AsNoTracking().Where(o => customers.Contains(o.CustomerAccountId));
        return ownOnly ? theirs.Union(own) : theirs;
    }

    /// <summary>Whose order it is: the caller's own, or its customer's when the caller is that customer's partner.</summary>
    async Task<(string Customer, string? PlacedByPartner)> CustomerForOrderAsync(Caller caller, string? customerId, string? indirectPartnerId, CancellationToken ct)
    {
        await access.RequireAsync(caller, OrderActions.Create, ct);
        if (string.IsNullOrEmpty(customerId) || customerId == caller.AccountId) return (caller.AccountId, null);
        var partner = await partners.ActingPartnerAsync(caller, OrderActions.Create, indirectPartnerId, PartnerNeed.Customers, ct);
        await partners.CustomerOfAsync(partner, customerId, ct);
        return (customerId, caller.AccountId);
    }

    /// <summary>
    /// Disks belong to the order's first VM and a bandwidth to its first IP, as attached resources that renew and
    /// unsubscribe with their main resource; everything else is a main resource.
    /// </summary>
    static List<OrderItem> Attached(List<OrderItem> items)
    {
        string? MainOf(string resourceType) => resourceType switch
        {
            "hws.resource.type.volume" => items.FirstOrDefault(i => i.Product.ResourceType == "hws.resource.type.vm")?.ResourceId,
            "hws.resource.type.bandwidth" => items.FirstOrDefault(i => i.Product.ResourceType == "hws.resource.type.ip")?.ResourceId,
            _ => null,
        };
        return items.Select(i => MainOf(i.Product.ResourceType) is { } main ? i with { IsMain = false, ParentResourceId = main } : i).ToList();
    }

    Task<Order?> Existing(string customerId, string token, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.DiscountOptions).SingleOrDefaultAsync(o => o.CustomerAccountId == customerId && o.ClientToken == token, ct);

    static PeriodProduct Validated(NewOrderLine l)
    {
        var service = Check.Required(l.CloudServiceType, "cloud_service_type");
        var type = Check.Required(l.ResourceType, "resource_type");
        var spec = Check.Required(l.ResourceSpec, "resource_spec");
        var region = Check.Required(l.Region, "region");
        if (l.ChargingMode is not (null or ChargeMode.Period)) throw Check.Invalid("An order is either all pay-per-use (charging_mode 3) or all yearly/monthly.");
        var (periodType, periodNum) = (l.PeriodType ?? throw Check.Invalid("period_type is required."), l.PeriodNum ?? throw Check.Invalid("period_num is required."));
        if (periodType is not (2 or 3)) throw Check.Invalid("period_type is 2 (month) or 3 (year).");
        if (periodType == 2 && periodNum is < 1 or > 11) throw Check.Invalid("A monthly period_num is 1 to 11; buy 12 months as 1 year.");
        if (periodType == 3 && periodNum is < 1 or > 3) throw Check.Invalid("A yearly period_num is 1 to 3.");
        var count = l.SubscriptionNum ?? 1;
        if (count is < 1 or > RatingEngine.MaxSubscriptionNum) throw Check.Invalid($"subscription_num is 1 to {RatingEngine.MaxSubscriptionNum}.");
        return new PeriodProduct(service, type, spec, region, l.ResourceSize, l.SizeMeasureId, periodType, periodNum, count);
    }

    static bool YesNo(string? value, string field) => value switch
    {
        "YES" => true,
        "NO" => false,
        _ => throw Check.Invalid($"{field} is YES or NO."),
    };

    static void RangeOfAYear(DateTime? begin, DateTime? end, string field)
    {
        if (begin is { } b && end is { } e && (e < b || e - b > TimeSpan.FromDays(366)))
            throw Check.Invalid($"{field}_begin and {field}_end span at most one year, begin first.");
    }

    const string ClaimPaymentSql = """
        UPDATE orders SET "Status" = 5, "PaidAt" = @now, "AmountAfterDiscount" = @amount, "CouponAmount" = @coupons, "DiscountId" = @discount, "DiscountType" = @type
        WHERE "Id" = @id AND "Status" = 6
        """;

    // The queries of every order creation and payment, compiled once (see RatingEngine for why).
    static readonly Func<AppDbContext, string, Task<CustomerAssociation?>> AssociationQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer) => db.CustomerAssociations.AsNoTracking().SingleOrDefault(a => a.CustomerAccountId == customer));

    static readonly Func<AppDbContext, string, string, Task<Order?>> OwnOrderQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string orderId, string customer) => db.Orders.AsNoTracking().Include(o => o.DiscountOptions).Include(o => o.Lines)
            .SingleOrDefault(o => o.Id == orderId && o.CustomerAccountId == customer));

    sealed record FundingRow(string? PartnerAccountId, string? AssociationType, decimal? Cash, decimal? Credit);

    /// <summary>The customer's association and balances in one round trip.</summary>
    static readonly Func<AppDbContext, string, string, string, Task<FundingRow?>> FundingQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string customer, string cash, string credit) => db.Accounts.AsNoTracking().Where(a => a.Id == customer).Select(a => new FundingRow(
            db.CustomerAssociations.Where(x => x.CustomerAccountId == customer).Select(x => x.PartnerAccountId).FirstOrDefault(),
            db.CustomerAssociations.Where(x => x.CustomerAccountId == customer).Select(x => x.AssociationType).FirstOrDefault(),
            db.LedgerAccounts.Where(l => l.Id == cash).Select(l => (decimal?)l.Balance).FirstOrDefault(),
            db.LedgerAccounts.Where(l => l.Id == credit).Select(l => (decimal?)l.Balance).FirstOrDefault())).FirstOrDefault());

    /// <summary>
    /// Huawei-shaped order ids: CS, the creation minute, eight random capitals (26⁸ per minute: thousands of orders a
    /// minute never collide; five letters did, measurably, under the benchmark).
    /// </summary>
    public static string NewOrderId(DateTime now) =>
        "CS" + now.ToString("yyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture) + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8);
}

/// <summary>Every hour: pending-payment orders past their payment deadline cancel themselves.</summary>
public sealed class OrderPaymentDeadlineJob : IIdlePeriodsJob
{
    public string Name => "orders.payment-deadline";

    public DateTime NextAfter(DateTime instant) => Schedules.HourlyAfter(instant);

    public async Task RunAsync(DateTime period, AppDbContext db, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The coupons the due orders reserved are released with their cancellation.
        await Coupons.CouponPayment.ReleaseAsync(db, db.Orders.Where(o => o.Status == OrderStatus.PendingPayment && o.PaymentDeadline <= period).Select(o => o.Id), ct);
        await db.Orders.Where(o => o.Status == OrderStatus.PendingPayment && o.PaymentDeadline <= period)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelledAt, period), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A period is idle until the first pending order's deadline.</summary>
    public async Task<int> CountIdleAsync(IReadOnlyList<DateTime> periods, AppDbContext db, CancellationToken ct) =>
        IdlePeriods.Before(periods, await db.Orders.Where(o => o.Status == OrderStatus.PendingPayment).MinAsync(o => (DateTime?)o.PaymentDeadline, ct));

    public void AddIdleRecords(IReadOnlyList<DateTime> periods, AppDbContext db) { } // an idle run writes nothing
}
