using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Iam;
using PartnerCenter.Core.Partners;
using PartnerCenter.Core.Tests.Support;
using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Core.Tests;

public class TicketRuleTests : IAsyncLifetime
{
    CoreHarness h = null!;

    public async Task InitializeAsync() => h = await CoreHarness.StartAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static TicketService Tickets(IServiceProvider sp) => sp.GetRequiredService<TicketService>();

    Task<Ticket> OpenAsync(Caller c, string type = "billing", string? handler = null, BankTransferDetails? transfer = null) =>
        h.InScopeAsync(sp => Tickets(sp).CreateAsync(c, new NewTicket(type, 2, "Invoice question", "Where is my invoice?", handler, BankTransfer: transfer)));

    Task<TicketView> DoAsync(Func<TicketService, Task<TicketView>> work) => h.InScopeAsync(sp => work(Tickets(sp)));

    async Task<Caller> ResaleCustomerOfAsync(Caller partner)
    {
        var customer = await h.InScopeAsync(sp => sp.GetRequiredService<SubCustomerService>().CreateAsync(partner,
            new NewSubCustomer(null, null, "Resale#Pass123", "SG", null, null, null, AssociationTypes.Resale)));
        return await h.InScopeAsync(async sp =>
        {
            var (user, account) = await sp.GetRequiredService<AuthService>().SignInAsync(customer.Name, customer.Name, "Resale#Pass123");
            return AuthService.CallerOf(user, account, null, null);
        });
    }

    [Fact]
    public async Task A_ticket_goes_from_pending_acceptance_through_processing_and_confirmation_to_completed_and_is_rated_once()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var ticket = await OpenAsync(customer);
        Assert.Equal(TicketStatus.PendingAcceptance, ticket.Status);
        Assert.Null(ticket.HandlerAccountId);

        Assert.Equal(TicketStatus.Processing, (await DoAsync(t => t.AcceptAsync(op, ticket.Id))).Ticket.Status);
        var answered = await DoAsync(t => t.AddMessageAsync(op, ticket.Id, "Sent again to your e-mail."));
        Assert.True(Assert.Single(answered.Messages).FromHandler);
        Assert.Equal(TicketStatus.PendingConfirmation, (await DoAsync(t => t.ResolveAsync(op, ticket.Id))).Ticket.Status);
        var closed = await DoAsync(t => t.CloseAsync(customer, ticket.Id));
        Assert.Equal(TicketStatus.Completed, closed.Ticket.Status);
        Assert.NotNull(closed.Ticket.ClosedAt);

        Assert.Equal(5, (await DoAsync(t => t.RateAsync(customer, ticket.Id, 5, "Quick."))).Ticket.Satisfaction);
        Assert.Equal("OSM.0004", (await h.FailsAsync(sp => Tickets(sp).RateAsync(customer, ticket.Id, 1, null))).Code);
        Assert.Equal("OSM.0002", (await h.FailsAsync(sp => Tickets(sp).AddMessageAsync(customer, ticket.Id, "one more thing"))).Code);
    }

    [Fact]
    public async Task The_submitters_answer_to_a_proposed_solution_puts_the_ticket_back_in_processing()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var ticket = await OpenAsync(customer);
        // The handler's first message takes the ticket.
        Assert.Equal(TicketStatus.Processing, (await DoAsync(t => t.AddMessageAsync(op, ticket.Id, "Looking."))).Ticket.Status);
        await DoAsync(t => t.ResolveAsync(op, ticket.Id));
        var reopened = await DoAsync(t => t.AddMessageAsync(customer, ticket.Id, "Still missing."));
        Assert.Equal(TicketStatus.Processing, reopened.Ticket.Status);
        Assert.Equal([true, false], reopened.Messages.Select(m => m.FromHandler));
    }

    [Fact]
    public async Task Only_a_ticket_nobody_took_can_be_cancelled_and_only_by_its_own_account()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var first = await OpenAsync(customer);
        Assert.Equal("OSM.0009", (await h.FailsAsync(sp => Tickets(sp).CancelAsync(op, first.Id))).Code);
        Assert.Equal(TicketStatus.Cancelled, (await DoAsync(t => t.CancelAsync(customer, first.Id))).Ticket.Status);

        var second = await OpenAsync(customer);
        await DoAsync(t => t.AcceptAsync(op, second.Id));
        Assert.Equal("OSM.0002", (await h.FailsAsync(sp => Tickets(sp).CancelAsync(customer, second.Id))).Code);
        Assert.Equal("OSM.0009", (await h.FailsAsync(sp => Tickets(sp).AcceptAsync(customer, second.Id))).Code);
    }

    [Fact]
    public async Task A_ticket_can_be_urged_once_an_hour_while_it_waits_for_the_handler()
    {
        var (customer, _) = await h.NewAccountAsync();
        var ticket = await OpenAsync(customer);
        Assert.Equal(1, (await DoAsync(t => t.UrgeAsync(customer, ticket.Id))).Ticket.UrgeCount);
        Assert.Equal("OSM.0003", (await h.FailsAsync(sp => Tickets(sp).UrgeAsync(customer, ticket.Id))).Code);
        h.RealTime.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(2, (await DoAsync(t => t.UrgeAsync(customer, ticket.Id))).Ticket.UrgeCount);
    }

    [Theory]
    [InlineData("2026-12-04T02:00:00Z", "2026-12-09T02:00:00Z")] // Friday 10:00 Beijing → Wednesday 10:00
    [InlineData("2026-12-05T04:00:00Z", "2026-12-09T16:00:00Z")] // Saturday → counted from Monday 00:00: Thursday 00:00 Beijing
    [InlineData("2026-12-07T01:00:00Z", "2026-12-10T01:00:00Z")] // Monday 09:00 → Thursday 09:00
    public void Three_working_days_skip_the_weekend_in_Beijing_time(string opened, string due) =>
        Assert.Equal(DateTime.Parse(due).ToUniversalTime(), WorkingDays.Add(DateTime.Parse(opened).ToUniversalTime(), 3));

    [Fact]
    public async Task The_operators_queue_shows_a_ticket_overdue_once_three_working_days_passed_without_an_answer()
    {
        var (customer, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var ticket = await OpenAsync(customer);
        var overdue = new TicketFilter(Side: "assigned", Overdue: true);
        Assert.DoesNotContain(ticket.Id, (await h.InScopeAsync(sp => Tickets(sp).ListAsync(op, overdue))).Tickets.Select(t => t.Id));

        h.RealTime.Advance(TimeSpan.FromDays(6)); // any 6 days hold at least 3 working days
        var late = await h.InScopeAsync(sp => Tickets(sp).ListAsync(op, overdue));
        Assert.Contains(ticket.Id, late.Tickets.Select(t => t.Id));

        // Proposing a solution stops the clock: the ticket now waits for the customer.
        await DoAsync(t => t.ResolveAsync(op, ticket.Id));
        Assert.DoesNotContain(ticket.Id, (await h.InScopeAsync(sp => Tickets(sp).ListAsync(op, overdue))).Tickets.Select(t => t.Id));
    }

    [Fact]
    public async Task A_customer_may_address_its_partner_who_serves_it_while_the_operator_and_other_accounts_see_nothing()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var customer = await ResaleCustomerOfAsync(partner);
        var (stranger, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var ticket = await OpenAsync(customer, handler: "partner");
        Assert.Equal(partner.AccountId, ticket.HandlerAccountId);

        var assigned = await h.InScopeAsync(sp => Tickets(sp).ListAsync(partner, new TicketFilter(Side: "assigned")));
        Assert.Equal([ticket.Id], assigned.Tickets.Select(t => t.Id));
        Assert.Equal(TicketSide.Handler, (await DoAsync(t => t.AcceptAsync(partner, ticket.Id))).Side);

        Assert.Equal("OSM.0001", (await h.FailsAsync(sp => Tickets(sp).GetAsync(op, ticket.Id))).Code);
        Assert.Equal("OSM.0001", (await h.FailsAsync(sp => Tickets(sp).GetAsync(stranger, ticket.Id))).Code);
        Assert.Empty((await h.InScopeAsync(sp => Tickets(sp).ListAsync(op, new TicketFilter(Side: "assigned")))).Tickets);
        Assert.Empty((await h.InScopeAsync(sp => Tickets(sp).ListAsync(stranger, new TicketFilter()))).Tickets);

        // An account with no partner cannot address one.
        Assert.Equal("OSM.0006", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(stranger, new NewTicket("other", 3, "t", "d", "partner")))).Code);
    }

    [Fact]
    public async Task An_iam_user_needs_the_ticket_permissions_of_its_account()
    {
        var (owner, _) = await h.NewAccountAsync();
        var user = await h.NewIamUserAsync(owner);
        var ticket = await OpenAsync(owner);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(user, new NewTicket("other", 3, "t", "d")))).Code);
        Assert.Equal("CBC.0150", (await h.FailsAsync(sp => Tickets(sp).GetAsync(user, ticket.Id))).Code);
    }

    [Theory]
    [InlineData(null, "billing", 3, "t", "d", "type is required")]
    [InlineData(null, "refund-me", 3, "t", "d", "type is one of")]
    [InlineData(null, "billing", 0, "t", "d", "severity")]
    [InlineData(null, "billing", 3, " ", "d", "title is required")]
    [InlineData(null, "billing", 3, "t", "", "description is required")]
    [InlineData("nobody", "billing", 3, "t", "d", "handler is platform or partner")]
    public async Task A_ticket_with_a_missing_or_wrong_field_is_refused_naming_the_field(string? handler, string type, int severity, string title, string description, string message)
    {
        var (customer, _) = await h.NewAccountAsync();
        var input = new NewTicket(message == "type is required" ? null : type, severity, title, description, handler);
        var e = await h.FailsAsync(sp => Tickets(sp).CreateAsync(customer, input));
        Assert.Equal("CBC.0100", e.Code);
        Assert.Contains(message, e.Message);
        await using var db = h.NewDbContext();
        Assert.Equal(0, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task A_bank_transfer_ticket_is_a_partners_and_records_the_receipt_under_the_signed_in_user_unless_it_names_another()
    {
        var (partner, _) = await h.NewPartnerAsync();
        var (customer, _) = await h.NewAccountAsync();
        var today = h.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var transfer = new BankTransferDetails(1250.50m, today.ToString("yyyy-MM-dd"), "Acme Ltd", "TRX-001", "INV-2026-11", null);
        Assert.Equal("OSM.0007", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(customer, new NewTicket("bank_transfer", 3, "t", "d", BankTransfer: transfer)))).Code);

        var ticket = await OpenAsync(partner, "bank_transfer", transfer: transfer);
        Assert.Equal((1250.50m, partner.UserName, "INV-2026-11"), (ticket.TransferAmount, ticket.ReceiptOwner, ticket.InvoiceNumber));

        var colleague = await h.NewIamUserAsync(partner);
        var named = await OpenAsync(partner, "bank_transfer", transfer: transfer with { ReceiptOwner = colleague.UserName });
        Assert.Equal(colleague.UserName, named.ReceiptOwner);
        Assert.Contains("receipt_owner", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(partner,
            new NewTicket("bank_transfer", 3, "t", "d", BankTransfer: transfer with { ReceiptOwner = "someone-else" })))).Message);

        foreach (var bad in new[] { transfer with { Amount = 0m }, transfer with { Amount = 1.001m }, transfer with { TransferredOn = "06/12/2026" },
                     transfer with { TransferredOn = today.AddDays(5).ToString("yyyy-MM-dd") }, transfer with { BankReference = "" } })
            Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(partner, new NewTicket("bank_transfer", 3, "t", "d", BankTransfer: bad)))).Code);
        Assert.Equal("CBC.0100", (await h.FailsAsync(sp => Tickets(sp).CreateAsync(partner, new NewTicket("billing", 3, "t", "d", BankTransfer: transfer)))).Code);
    }

    static Stream Bytes(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    int FilesOnDisk() => Directory.Exists(h.AttachmentDirectory) ? Directory.GetFiles(h.AttachmentDirectory, "*", SearchOption.AllDirectories).Length : 0;

    [Fact]
    public async Task An_attachment_is_kept_under_a_server_made_name_and_read_only_by_the_ticket_and_its_handler()
    {
        var (customer, _) = await h.NewAccountAsync();
        var (stranger, _) = await h.NewAccountAsync();
        var op = await h.OperatorAsync();
        var ticket = await OpenAsync(customer);
        var pdf = await h.InScopeAsync(sp => Tickets(sp).AddAttachmentAsync(customer, ticket.Id, "receipt.pdf", Bytes("%PDF-1.4 receipt")));
        Assert.Equal(("application/pdf", 16L), (pdf.ContentType, pdf.Size));
        Assert.DoesNotContain("receipt", pdf.StoredName);

        var (_, content) = await h.InScopeAsync(sp => Tickets(sp).OpenAttachmentAsync(op, ticket.Id, pdf.Id));
        await using (content) Assert.Equal("%PDF-1.4 receipt", await new StreamReader(content).ReadToEndAsync());
        Assert.Equal("OSM.0001", (await h.FailsAsync(sp => Tickets(sp).OpenAttachmentAsync(stranger, ticket.Id, pdf.Id))).Code);
        Assert.Equal("OSM.0010", (await h.FailsAsync(sp => Tickets(sp).OpenAttachmentAsync(customer, ticket.Id, "0123abcd"))).Code);
    }

    [Theory]
    [InlineData("../../etc/passwd.txt", "hello", "plain file name")]
    [InlineData("a/b.pdf", "%PDF-1", "plain file name")]
    [InlineData("tool.exe", "MZ", "must end in one of")]
    [InlineData("receipt.pdf", "MZ this is no pdf", "not a application/pdf file")]
    [InlineData("notes.txt", "", "empty")]
    public async Task A_refused_attachment_leaves_nothing_behind(string name, string body, string message)
    {
        var (customer, _) = await h.NewAccountAsync();
        var ticket = await OpenAsync(customer);
        var e = await h.FailsAsync(sp => Tickets(sp).AddAttachmentAsync(customer, ticket.Id, name, Bytes(body)));
        Assert.Contains(message, e.Message);
        Assert.Equal(0, FilesOnDisk());
        await using var db = h.NewDbContext();
        Assert.Equal(0, await db.TicketAttachments.CountAsync());
    }

    [Fact]
    public async Task An_oversize_attachment_is_refused_while_it_streams_and_a_ticket_takes_at_most_ten()
    {
        var (customer, _) = await h.NewAccountAsync();
        var ticket = await OpenAsync(customer);
        var big = new MemoryStream(new byte[TicketAttachments.MaxBytes + 1]);
        Assert.Contains("larger than", (await h.FailsAsync(sp => Tickets(sp).AddAttachmentAsync(customer, ticket.Id, "big.txt", big))).Message);
        Assert.Equal(0, FilesOnDisk());

        for (var i = 0; i < TicketAttachments.MaxPerTicket; i++)
            await h.InScopeAsync(sp => Tickets(sp).AddAttachmentAsync(customer, ticket.Id, $"n{i}.txt", Bytes("note")));
        Assert.Equal("OSM.0005", (await h.FailsAsync(sp => Tickets(sp).AddAttachmentAsync(customer, ticket.Id, "one-more.txt", Bytes("note")))).Code);
        Assert.Equal(TicketAttachments.MaxPerTicket, FilesOnDisk());
    }
}
