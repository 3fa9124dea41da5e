using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Billing;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;
using PartnerCenter.Core.Iam;

namespace PartnerCenter.Core.Exports;

/// <summary>One invoice (ListInvoices): a finalized partner bill, issued by the bill run that made it.</summary>
/// <param name="InvoiceNo">The bill id, the number the Bank Transfer tab asks to quote.</param>
public sealed record Invoice(string InvoiceNo, string BillCycle, string Title, string? Email, decimal Amount, decimal TaxRate, decimal TaxAmount, DateTime IssuedAt);

/// <summary>
/// ListInvoices answered from the partner bills: one invoice per finalized bill, issued when the bill is made (its
/// application time is the bill's), for the bill amount, with the bill's tax. Paging as Huawei documents it: offset is
/// the page number from 1 and limit the page size (1 to 100).
/// </summary>
public sealed class Invoices(AppDbContext db, AccessControl access)
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public async Task<(IReadOnlyList<Invoice> Invoices, int Total)> ListAsync(Caller caller, string? domainId, string? startTime, string? endTime,
        int? offset, int? limit, CancellationToken ct = default)
    {
        Check.MaxLength(Check.Required(domainId, "domain_id"), "domain_id", 64);
        var from = Time(startTime, "start_time");
        var to = Time(endTime, "end_time");
        if (to < from) throw Check.Invalid("end_time is not before start_time.");
        if (offset is < 1 or > 99999) throw Check.Invalid("offset is the page number, 1 to 99999.");
        if (limit is < 1 or > 100) throw Check.Invalid("limit is 1 to 100.");
        var (page, size) = (offset ?? 1, limit ?? 10);
        if (domainId != caller.AccountId) throw new ServiceException(Errors.NotYourDomain());
        await access.RequireAsync(caller, BillingActions.View, ct);

        var bills = db.PartnerBills.AsNoTracking()
            .Where(b => b.PartnerAccountId == caller.AccountId && b.Status == BillStatus.Finalized && b.CreatedAt >= from && b.CreatedAt <= to);
        var list = await bills.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == caller.AccountId).Select(a => new { a.Name, a.Email }).SingleAsync(ct);
        return (list.Select(b => new Invoice(b.Id, b.Cycle, account.Name, account.Email, b.InitialAmountDue, b.TaxRate, b.TaxAmount, b.CreatedAt)).ToList(),
            await bills.CountAsync(ct));
    }

    static DateTime Time(string? text, string field) =>
        DateTime.TryParseExact(Check.Required(text, field), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : throw Check.Invalid($"{field} is a UTC time as yyyy-MM-ddTHH:mm:ssZ.");
}
