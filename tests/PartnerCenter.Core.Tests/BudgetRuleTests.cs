using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;

namespace PartnerCenter.Core.Tests;

public sealed class BudgetRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;
    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<string> CustomerAsync(Caller partner, string? indirect = null, string type = AssociationTypes.Resale) =>
        (await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, "Cust#Pass123", "SG", null, null, indirect, type)))).Id;

    Task SetBudgetAsync(Caller partner, string customer, decimal amount, string type = "MONTHLY", int? frozenOperate = null, string cancelFrozen = "1") =>
        h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(partner, new BudgetInput(customer, amount, type, cancelFrozen, frozenOperate, null)));

    Task<SpendResult> SpendAsync(string customer, decimal amount, string? key = null) =>
        h.InScopeAsync(sp => sp.GetRequiredService<BudgetConsumption>().SpendAsync(customer, amount, key ?? Guid.NewGuid().ToString("N")));

    async Task<BudgetView> ShowAsync(Caller partner, string customer) =>
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().ShowAsync(partner, customer, null));

    /// <summary>The budget's used amount always equals the sum of its recorded spends in its period, and never exceeds the budget.</summary>
    async Task AssertBudgetInvariantsAsync(string customer)
    {
        await using var db = h.NewDbContext();
        var budget = await db.CustomerBudgets.SingleAsync(b => b.CustomerAccountId == customer);
        var spends = (await db.BudgetSpends.Where(s => s.CustomerAccountId == customer).ToListAsync())
            .Where(s => budget.BudgetType == BudgetType.Package ? s.SpentAt >= budget.PeriodStart : s.Month == budget.PeriodStart).Sum(s => s.Amount);
        Assert.Equal(spends, budget.UsedAmount);
        Assert.True(budget.UsedAmount <= budget.BudgetAmount, "used never exceeds the budget");
    }

    [Fact]
    public async Task A_freeze_that_fails_midway_leaves_neither_the_state_nor_its_record()
    {
        // Found by the simulation: the state changed in one statement and its record was saved in another, outside a transaction.
        var faults = new Simulation.FaultInjector();
        await using var faulty = await CoreHarness.StartAsync(services =>
        {
            if (PartnerCenter.Tests.Support.TestDatabase.Provider == Data.DatabaseProvider.Sqlite) services.ConfigureDbContext<Data.SqliteAppDbContext>(o => o.AddInterceptors(faults));
            else services.ConfigureDbContext<Data.PostgresAppDbContext>(o => o.AddInterceptors(faults));
        });
        var (partner, _) = await faulty.NewPartnerAsync();
        var customer = (await faulty.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, null, "SG", null, null, null, AssociationTypes.Resale)))).Id; // starts frozen
        for (var k = 1; ; k++)
        {
            await using var db = faulty.NewDbContext();
            var (frozen, records) = (await db.CustomerAssociations.SingleAsync(a => a.CustomerAccountId == customer)).IsFrozen is var f
                ? (f, await db.FreezeRecords.CountAsync(r => r.CustomerAccountId == customer)) : default;
            faults.Arm(k);
            try
            {
                await faulty.InScopeAsync(sp => frozen
                    ? sp.GetRequiredService<FreezeService>().UnfreezeAsync(partner, [customer], "test", null, null)
                    : sp.GetRequiredService<FreezeService>().FreezeAsync(partner, [customer], "test", null, null));
            }
            catch (Simulation.InjectedFault) { }
            catch (DbUpdateException e) when (e.InnerException is Simulation.InjectedFault) { }
            var fired = faults.Fired;
            faults.Disarm();
            await using var after = faulty.NewDbContext();
            var (frozenAfter, recordsAfter) = ((await after.CustomerAssociations.SingleAsync(a => a.CustomerAccountId == customer)).IsFrozen,
                await after.FreezeRecords.CountAsync(r => r.CustomerAccountId == customer));
            if (!fired)
            {
                Assert.Equal((!frozen, records + 1), (frozenAfter, recordsAfter)); // no fault left: it went through whole
                break;
            }
            Assert.Equal((frozen, records), (frozenAfter, recordsAfter));
        }
    }

    [Fact]
    public async Task A_new_resale_customer_starts_frozen_with_no_budget_and_cannot_spend()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        var budget = await ShowAsync(csp, customer);
        Assert.Equal(0m, budget.BudgetAmount);
        var (items, _) = await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().ListAsync(csp, new SubCustomerFilter(CustomerId: customer)));
        Assert.True(Assert.Single(items).Association.IsFrozen);
        var refused = await SpendAsync(customer, 1m);
        Assert.Equal("CBC.99003656", refused.Refusal!.Code);
    }

    [Fact]
    public async Task Concurrent_spends_never_exceed_the_budget()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 100.00m);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => SpendAsync(customer, 1.00m))));
        Assert.Equal(100, results.Count(r => r.Accepted));
        Assert.All(results.Where(r => !r.Accepted), r => Assert.Equal("CBC.99005041", r.Refusal!.Code));
        Assert.Equal(100.00m, (await ShowAsync(csp, customer)).UsedAmount);
        await AssertBudgetInvariantsAsync(customer);
    }

    [Fact]
    public async Task A_retried_spend_is_counted_once()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 10m);
        Assert.True((await SpendAsync(customer, 3m, "order-1")).Accepted);
        Assert.True((await SpendAsync(customer, 3m, "order-1")).Accepted);
        Assert.Equal(3m, (await ShowAsync(csp, customer)).UsedAmount);
        await AssertBudgetInvariantsAsync(customer);
    }

    [Fact]
    public async Task A_monthly_budget_is_restored_on_the_first_and_a_one_time_budget_never()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var monthly = await CustomerAsync(csp);
        var once = await CustomerAsync(csp);
        await SetBudgetAsync(csp, monthly, 50m);
        await SetBudgetAsync(csp, once, 50m, "PACKAGE");
        await SpendAsync(monthly, 40m);
        await SpendAsync(once, 40m);

        var op = await h.OperatorAsync();
        var now = h.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var nextMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddMinutes(1);
        var advanced = await h.InScopeAsync(sp => sp.GetRequiredService<SandboxClockService>().AdvanceAsync(op, null, nextMonth));
        Assert.Contains(advanced.JobsRun, j => j.Job == "budgets.monthly.reset");

        Assert.Equal(0m, (await ShowAsync(csp, monthly)).UsedAmount);
        Assert.Equal(40m, (await ShowAsync(csp, once)).UsedAmount);
        Assert.False((await SpendAsync(once, 20m)).Accepted);
        Assert.True((await SpendAsync(monthly, 45m)).Accepted);
        await AssertBudgetInvariantsAsync(monthly);
        await AssertBudgetInvariantsAsync(once);
    }

    [Fact]
    public async Task A_spend_in_a_new_month_starts_the_monthly_budget_afresh_even_before_the_reset_job_runs()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 50m);
        await SpendAsync(customer, 40m);
        var now = h.RealTime.GetUtcNow();
        h.RealTime.SetUtcNow(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddHours(1)); // no job ran
        Assert.True((await SpendAsync(customer, 45m)).Accepted);
        Assert.Equal(45m, (await ShowAsync(csp, customer)).UsedAmount);
        await AssertBudgetInvariantsAsync(customer);
    }

    [Fact]
    public async Task Automatic_freezing_freezes_the_customer_at_100_percent_after_alerts_at_75_and_90()
    {
        var (csp, partner) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 100m, frozenOperate: 1);
        await SpendAsync(customer, 76m);
        await SpendAsync(customer, 15m);
        Assert.True((await SpendAsync(customer, 9m)).Accepted);
        var refused = await SpendAsync(customer, 0.01m);
        Assert.Equal("CBC.99003656", refused.Refusal!.Code);

        await using var db = h.NewDbContext();
        var kinds = await db.PartnerNotifications.Where(n => n.PartnerAccountId == partner.AccountId).OrderBy(n => n.Id).Select(n => n.Kind).ToListAsync();
        Assert.Equal(["budget.75", "budget.90", "budget.100"], kinds);
        var freeze = await db.FreezeRecords.Where(r => r.CustomerAccountId == customer).OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(("system", FreezeAction.Freeze), (freeze.Operator, freeze.Action));
        await AssertBudgetInvariantsAsync(customer);

        // The same alerts go to the partner by e-mail through the outbox, delivered once.
        var partnerEmail = await db.Accounts.Where(a => a.Id == partner.AccountId).Select(a => a.Email).SingleAsync();
        Assert.Equal(3, await db.OutboxMessages.CountAsync(m => m.To == partnerEmail && m.SentAt == null));
        Assert.Equal(3, await h.InScopeAsync(sp => sp.GetRequiredService<Mail.OutboxDelivery>().DeliverPendingAsync()));
        Assert.Equal(0, await h.InScopeAsync(sp => sp.GetRequiredService<Mail.OutboxDelivery>().DeliverPendingAsync()));
        var files = Directory.GetFiles(h.MailDirectory, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Equal(3, files.Count);
        Assert.Contains(files, f => f.Contains("To: " + partnerEmail) && f.Contains("reached 100 %") && f.Contains("frozen automatically"));
    }

    [Fact]
    public async Task Manual_freezing_refuses_the_overspend_but_does_not_freeze()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 10m, frozenOperate: 0);
        Assert.True((await SpendAsync(customer, 10m)).Accepted);
        Assert.Equal("CBC.99005041", (await SpendAsync(customer, 1m)).Refusal!.Code);
        await using var db = h.NewDbContext();
        Assert.False((await db.CustomerAssociations.SingleAsync(a => a.CustomerAccountId == customer)).IsFrozen);
    }

    [Fact]
    public async Task Switching_the_budget_type_counts_this_months_spend()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 100m, "PACKAGE");
        await SpendAsync(customer, 30m);
        await SetBudgetAsync(csp, customer, 100m, "MONTHLY");
        var view = await ShowAsync(csp, customer);
        Assert.Equal((BudgetType.Monthly, 30m), (view.BudgetType, view.UsedAmount));
    }

    [Theory]
    [InlineData(0, "MONTHLY")]
    [InlineData(-1, "MONTHLY")]
    [InlineData(1.005, "MONTHLY")]
    [InlineData(2147483648, "MONTHLY")]
    [InlineData(10, "")]
    [InlineData(10, "WEEKLY")]
    public async Task Invalid_budgets_are_refused_and_change_nothing(decimal amount, string type)
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        var error = await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(csp, new BudgetInput(customer, amount, type, "1", null, null)));
        Assert.Equal("CBC.0100", error.Code);
        await using var db = h.NewDbContext();
        Assert.False(await db.CustomerBudgets.AnyAsync(b => b.CustomerAccountId == customer));
        Assert.False(await db.BudgetRecords.AnyAsync(b => b.CustomerAccountId == customer));
        Assert.True((await db.CustomerAssociations.SingleAsync(a => a.CustomerAccountId == customer)).IsFrozen);
    }

    [Fact]
    public async Task Another_partners_customer_is_refused_with_99000035()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var (other, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(other);
        var error = await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(csp, new BudgetInput(customer, 10m, null, null, null, null)));
        Assert.Equal(("CBC.99000035", ErrorKind.Forbidden), (error.Code, error.Kind));
    }

    [Fact]
    public async Task A_distributor_acts_on_its_resellers_customers_and_gets_99000037_for_another_reseller()
    {
        var (distributor, dist) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (_, reseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, (distributor, dist));
        var otherDistributor = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (_, foreignReseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, otherDistributor);

        var direct = await h.FailsAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(distributor, new NewSubCustomer(null, null, null, null, null, null, null)));
        Assert.Equal("CBC.50010059", direct.Code);
        var customer = await CustomerAsync(distributor, reseller.PartnerId);
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(distributor, new BudgetInput(customer, 20m, null, "1", null, reseller.PartnerId)));
        var wrong = await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(distributor, new BudgetInput(customer, 20m, null, "1", null, foreignReseller.PartnerId)));
        Assert.Equal("CBC.99000037", wrong.Code);
    }

    [Fact]
    public async Task A_reseller_sets_budgets_only_within_the_quota_its_distributor_delegated()
    {
        var (distributor, dist) = await h.NewPartnerAsync(PartnerProgram.Distributor);
        var (resellerCaller, reseller) = await h.NewPartnerAsync(PartnerProgram.Reseller, (distributor, dist));
        var customer = await CustomerAsync(resellerCaller);

        var before = await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(resellerCaller, new BudgetInput(customer, 10m, null, null, null, null)));
        Assert.Equal("CBC.18000016", before.Code);
        await h.InScopeAsync(sp => sp.GetRequiredService<IndirectPartnerService>().DelegateAsync(distributor, reseller.PartnerId, 50m, null));
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(resellerCaller, new BudgetInput(customer, 50m, null, null, null, null)));
        Assert.Equal("CBC.18000016", (await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(resellerCaller, new BudgetInput(customer, 51m, null, null, null, null)))).Code);
        Assert.Equal("CBC.18000016", (await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(resellerCaller, new BudgetInput(customer, 5m, "PACKAGE", null, null, null)))).Code);
        var delegated = await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(distributor, new BudgetInput(customer, 5m, null, null, null, reseller.PartnerId)));
        Assert.Equal("CBC.0150", delegated.Code);

        await h.InScopeAsync(sp => sp.GetRequiredService<IndirectPartnerService>().RevokeAsync(distributor, reseller.PartnerId));
        await h.InScopeAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(distributor, new BudgetInput(customer, 5m, null, null, null, reseller.PartnerId)));
        Assert.Equal(5m, (await ShowAsync(resellerCaller, customer)).BudgetAmount);
    }

    [Fact]
    public async Task Referral_customers_have_no_budget_and_are_not_frozen_by_partners()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp, type: AssociationTypes.Referral);
        Assert.Equal("CBC.5023", (await h.FailsAsync(sp => sp.GetRequiredService<BudgetService>().SetAsync(csp, new BudgetInput(customer, 10m, null, null, null, null)))).Code);
        var result = await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(csp, [customer], "test", null, null));
        Assert.Equal("CBC.5023", Assert.Single(result.Failed).Error.Code);
        Assert.False((await SpendAsync(customer, 1000m)).Budgeted);
    }

    [Fact]
    public async Task Unfreezing_needs_the_type_the_customer_was_frozen_with()
    {
        var (csp, _) = await h.NewPartnerAsync();
        var customer = await CustomerAsync(csp);
        await SetBudgetAsync(csp, customer, 10m);
        await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().FreezeAsync(csp, [customer], "overdue", "ACCOUNT_AND_RESOURCE", null));
        var wrong = await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().UnfreezeAsync(csp, [customer], "paid", "ACCOUNT", null));
        Assert.Single(wrong.Failed);
        var right = await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().UnfreezeAsync(csp, [customer], "paid", "ACCOUNT_AND_RESOURCE", null));
        Assert.Single(right.Succeeded);
        var history = await h.InScopeAsync(sp => sp.GetRequiredService<FreezeService>().HistoryAsync(csp, customer, null));
        Assert.Equal(["paid", "overdue", "Unfrozen with the budget setting (cancel_partner_frozen)"], history.Select(r => r.Reason).ToArray()[..3]);
    }

    [Fact]
    public async Task Only_the_operator_approves_csp_applications_and_a_partner_cannot_apply_twice()
    {
        var (applicant, _) = await h.NewAccountAsync();
        var (stranger, _) = await h.NewAccountAsync();
        var app = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(applicant, PartnerProgram.CloudSolutionProvider, "Acme", null));
        Assert.Equal(ErrorKind.NotFound, (await h.FailsAsync(sp => sp.GetRequiredService<PartnerProgramService>().DecideAsync(stranger, app.Id, true, null))).Kind);
        Assert.Equal("CBC.5010", (await h.FailsAsync(sp => sp.GetRequiredService<PartnerProgramService>().ApplyAsync(applicant, PartnerProgram.Distributor, "Acme", null))).Code);
        await h.InScopeAsync(async sp => await sp.GetRequiredService<PartnerProgramService>().DecideAsync(await h.OperatorAsync(), app.Id, false, "incomplete documents"));
        var mine = await h.InScopeAsync(sp => sp.GetRequiredService<PartnerProgramService>().MineAsync(applicant));
        Assert.Null(mine.Enrolled);
        Assert.Equal(ApplicationStatus.Rejected, Assert.Single(mine.Applications).Status);
    }
}
