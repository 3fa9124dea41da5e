using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

/// <summary>An association cannot change while a capability holds it (pending-payment orders, unpaid arrears).</summary>
public sealed class AssociationRuleTests : IAsyncLifetime
{
    sealed class PendingOrders : IAssociationChangeCheck
    {
        public static readonly HashSet<string> Customers = [];
        public Task<string?> ReasonToKeepAsync(string customerAccountId, CancellationToken ct) =>
            Task.FromResult(Customers.Contains(customerAccountId) ? "it has orders pending payment; pay or cancel them first." : null);
    }

    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync(s => s.AddSingleton<IAssociationChangeCheck, PendingOrders>());
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<Caller> CspAsync() => (await h.NewPartnerAsync()).Caller;

    [Fact]
    public async Task Dissolving_and_switching_are_refused_while_a_check_holds_the_customer_and_nothing_changes()
    {
        var csp = await CspAsync();
        var customer = (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(csp, new NewSubCustomer(null, null, null, null, null, null, null)))).Id;
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(csp, new BudgetInput(customer, 30m, null, "1", null, null)));
        PendingOrders.Customers.Add(customer);

        var dissolve = await h.FailsAsync(sp => sp.GetRequiredService<AssociationService>().DissolveAsync(csp, customer, null));
        Assert.Equal("CBC.5018", dissolve.Code);
        Assert.Contains("pending payment", dissolve.Message);
        var change = await h.FailsAsync(sp => sp.GetRequiredService<AssociationService>().ChangeTypeAsync(csp, customer, AssociationTypes.Referral, null));
        Assert.Equal("CBC.5018", change.Code);

        await using var db = h.NewDbContext();
        var association = await db.CustomerAssociations.SingleAsync(a => a.CustomerAccountId == customer);
        Assert.Equal(AssociationTypes.Resale, association.AssociationType);
        Assert.True(await db.CustomerBudgets.AnyAsync(b => b.CustomerAccountId == customer));
        Assert.False(await db.BudgetRecords.AnyAsync(r => r.CustomerAccountId == customer && r.Operation == BudgetOperation.Delete));

        PendingOrders.Customers.Remove(customer);
        await h.InScopeAsync(sp => sp.GetRequiredService<AssociationService>().DissolveAsync(csp, customer, null));
        await using var after = h.NewDbContext();
        Assert.False(await after.CustomerAssociations.AnyAsync(a => a.CustomerAccountId == customer));
        var deleted = await after.BudgetRecords.SingleAsync(r => r.CustomerAccountId == customer && r.Operation == BudgetOperation.Delete);
        Assert.Equal(("system", 30m), (deleted.Operator, deleted.BudgetAmount));
    }

    [Fact]
    public async Task A_partner_cannot_be_invited_as_a_customer()
    {
        var csp = await CspAsync();
        var other = await CspAsync();
        var error = await h.FailsAsync(sp => sp.GetRequiredService<AssociationService>().InviteAsync(csp, other.AccountName, null, null));
        Assert.Equal("CBC.5015", error.Code);
    }

    [Fact]
    public async Task A_new_customers_association_and_mobile_follow_huaweis_cooperation_type_and_mobile_phone()
    {
        var csp = await CspAsync();
        Task<PartnerCenter.Core.Accounts.Account> CreateAsync(string? cooperationType, string? mobile) => h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>()
            .CreateAsync(csp, new NewSubCustomer(null, null, null, "SG", null, null, null, MobilePhone: mobile, CooperationType: cooperationType)));
        async Task<string> AssociationTypeAsync(string customerId)
        {
            await using var db = h.NewDbContext();
            return await db.CustomerAssociations.Where(a => a.CustomerAccountId == customerId).Select(a => a.AssociationType).SingleAsync();
        }

        var referral = await CreateAsync("1", "13800000001");
        Assert.Equal((AssociationTypes.Referral, "+86-13800000001"), (await AssociationTypeAsync(referral.Id), referral.Mobile));
        var resale = await CreateAsync("2", "0065-81234567");
        Assert.Equal((AssociationTypes.Resale, "+65-81234567"), (await AssociationTypeAsync(resale.Id), resale.Mobile));
        Assert.Equal(AssociationTypes.Resale, await AssociationTypeAsync((await CreateAsync(null, null)).Id));
        Assert.Equal("CBC.30000054", (await h.FailsAsync(sp => CreateAsync(null, "+65-81234567"))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => CreateAsync(null, "12-34"))).Code);
    }
}
