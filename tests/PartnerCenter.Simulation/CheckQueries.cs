using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Ledger;
using PartnerCenter.Core.Orders;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Resources;

namespace PartnerCenter.Simulation;

/// <summary>
/// The reads the incremental check makes after every step, compiled once: a LINQ query built anew each time costs EF
/// its expression work on every step (a long run makes millions of them), a compiled one only its SQL. Like Core's
/// compiled queries they belong to one model, so a process checks one database kind.
/// </summary>
static class CheckQueries
{
    public sealed record NewPosting(long Id, string EntryId, string AccountId, decimal Amount, DateTime BookedAt, string? Reference);

    /// <summary>The postings written since the watermark (the step's), in order.</summary>
    public static readonly Func<AppDbContext, long, IAsyncEnumerable<NewPosting>> PostingsAfter = EF.CompileAsyncQuery(
        (AppDbContext db, long watermark) => db.Postings.AsNoTracking().Where(p => p.Id > watermark).OrderBy(p => p.Id)
            .Select(p => new NewPosting(p.Id, p.EntryId, p.AccountId, p.Amount, p.BookedAt, p.Reference)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<JournalEntry>> Entries = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> ids) => db.JournalEntries.AsNoTracking().Where(e => ids.Contains(e.Id)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<LedgerAccount>> Accounts = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> ids) => db.LedgerAccounts.AsNoTracking().Where(a => ids.Contains(a.Id)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<Order>> Orders = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> ids) => db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<CloudResource>> Resources = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> ids) => db.CloudResources.AsNoTracking().Where(r => ids.Contains(r.Id)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<CustomerAssociation>> Associations = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> customers) => db.CustomerAssociations.AsNoTracking().Where(a => customers.Contains(a.CustomerAccountId)));

    public static readonly Func<AppDbContext, List<string>, IAsyncEnumerable<CustomerBudget>> Budgets = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> customers) => db.CustomerBudgets.AsNoTracking().Where(b => customers.Contains(b.CustomerAccountId)));

    /// <summary>
    /// The budget spends written after <paramref name="after"/> for these customers from <paramref name="month"/> on:
    /// through the (customer, month) index, so a clock step reads its own spends, not every spend of the run.
    /// </summary>
    public static readonly Func<AppDbContext, List<string>, DateTime, DateTime, IAsyncEnumerable<BudgetSpend>> SpendsAfter = EF.CompileAsyncQuery(
        (AppDbContext db, List<string> customers, DateTime month, DateTime after) =>
            db.BudgetSpends.AsNoTracking().Where(s => customers.Contains(s.CustomerAccountId) && s.Month >= month && s.SpentAt > after));
}
