using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PartnerCenter.Server.Tests.Support;

namespace PartnerCenter.Server.Tests;

/// <summary>Service tickets over HTTP: the flow both ways, attachments, and who may see what.</summary>
public sealed class TicketsApiTests(ServerFixture s) : IClassFixture<ServerFixture>
{
    static object Ticket(string type = "billing", string? handler = null, object? bank_transfer = null) =>
        new { type, severity = 2, title = "Missing invoice", description = "The November invoice is not in the console.", handler, bank_transfer };

    async Task<string> OperatorTokenAsync() => (await s.PasswordTokenAsync("operator", "operator", ServerFixture.OperatorPassword)).Token;

    async Task<string> OpenAsync(TestAccount a, object? body = null)
    {
        var created = await s.SignedAsync(HttpMethod.Post, "/v1/tickets", a.AccessKey, a.SecretKey, body ?? Ticket());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync())["ticket_id"]!.GetValue<string>();
    }

    Task<HttpResponseMessage> UploadAsync(string token, string ticketId, string fileName, byte[] bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tickets/{ticketId}/attachments?file_name={Uri.EscapeDataString(fileName)}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.ExpectContinue = true; // a refused upload is answered before its body is sent, as a real client would want
        return s.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_customer_and_the_operator_carry_a_ticket_from_submission_to_a_rated_completion()
    {
        var customer = await s.NewAccountAsync("tk");
        var op = await OperatorTokenAsync();
        var id = await OpenAsync(customer);

        var mine = await (await s.SignedAsync(HttpMethod.Get, "/v1/tickets?status=0", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(id, mine["tickets"]![0]!["ticket_id"]!.GetValue<string>());
        Assert.Equal(("pending acceptance", "platform", false), (mine["tickets"]![0]!["status_name"]!.GetValue<string>(),
            mine["tickets"]![0]!["handler"]!.GetValue<string>(), mine["tickets"]![0]!["overdue"]!.GetValue<bool>()));

        var queue = await (await s.SendAsync(HttpMethod.Get, "/v1/tickets?side=assigned&limit=100", op)).JsonAsync();
        Assert.Contains(queue["tickets"]!.AsArray(), t => t!["ticket_id"]!.GetValue<string>() == id);

        var answered = await (await s.SendAsync(HttpMethod.Post, $"/v1/tickets/{id}/messages", op, new { message = "Re-sent to your e-mail." })).JsonAsync();
        Assert.Equal((1, "handler"), (answered["ticket"]!["status"]!.GetValue<int>(), answered["side"]!.GetValue<string>()));
        Assert.Equal(2, (await (await s.SendAsync(HttpMethod.Post, $"/v1/tickets/{id}/resolve", op)).JsonAsync())["ticket"]!["status"]!.GetValue<int>());
        var closed = await (await s.SignedAsync(HttpMethod.Post, $"/v1/tickets/{id}/close", customer.AccessKey, customer.SecretKey)).JsonAsync();
        Assert.Equal(3, closed["ticket"]!["status"]!.GetValue<int>());
        var rated = await (await s.SignedAsync(HttpMethod.Post, $"/v1/tickets/{id}/rating", customer.AccessKey, customer.SecretKey, new { score = 4 })).JsonAsync();
        Assert.Equal(4, rated["ticket"]!["satisfaction"]!.GetValue<int>());
        await (await s.SignedAsync(HttpMethod.Post, $"/v1/tickets/{id}/rating", customer.AccessKey, customer.SecretKey, new { score = 5 })).AssertErrorAsync(409, "OSM.0004");
    }

    [Fact]
    public async Task Another_account_gets_404_for_a_ticket_and_its_attachments_and_unsigned_requests_401()
    {
        var owner = await s.NewAccountAsync("tk");
        var stranger = await s.NewAccountAsync("tk");
        var id = await OpenAsync(owner);
        var uploaded = await UploadAsync(owner.Token, id, "receipt.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var attachment = (await uploaded.JsonAsync())["attachment_id"]!.GetValue<string>();

        var download = await s.SendAsync(HttpMethod.Get, $"/v1/tickets/{id}/attachments/{attachment}", owner.Token);
        Assert.Equal(("image/png", 11L), (download.Content.Headers.ContentType!.MediaType, download.Content.Headers.ContentLength));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        await (await s.SendAsync(HttpMethod.Get, $"/v1/tickets/{id}", stranger.Token)).AssertErrorAsync(404, "OSM.0001");
        await (await s.SendAsync(HttpMethod.Get, $"/v1/tickets/{id}/attachments/{attachment}", stranger.Token)).AssertErrorAsync(404, "OSM.0001");
        await (await s.SendAsync(HttpMethod.Post, $"/v1/tickets/{id}/messages", stranger.Token, new { message = "hi" })).AssertErrorAsync(404, "OSM.0001");
        await (await UploadAsync(stranger.Token, id, "x.txt", "x"u8.ToArray())).AssertErrorAsync(404, "OSM.0001");
        await (await s.SendAsync(HttpMethod.Get, "/v1/tickets", null)).AssertErrorAsync(401);
        Assert.Equal(0, (await (await s.SendAsync(HttpMethod.Get, "/v1/tickets", stranger.Token)).JsonAsync())["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Refused_uploads_and_bad_tickets_are_400_and_write_nothing()
    {
        var owner = await s.NewAccountAsync("tk");
        var id = await OpenAsync(owner);
        await (await UploadAsync(owner.Token, id, "../../../etc/passwd.txt", "root"u8.ToArray())).AssertErrorAsync(400, "CBC.0100");
        await (await UploadAsync(owner.Token, id, "run.exe", "MZ"u8.ToArray())).AssertErrorAsync(400, "CBC.0100");
        await (await UploadAsync(owner.Token, id, "fake.pdf", "MZ not a pdf"u8.ToArray())).AssertErrorAsync(400, "CBC.0100");
        await (await UploadAsync(owner.Token, id, "big.txt", new byte[10 * 1024 * 1024 + 1])).AssertErrorAsync(400, "CBC.0100");
        var detail = await (await s.SendAsync(HttpMethod.Get, $"/v1/tickets/{id}", owner.Token)).JsonAsync();
        Assert.Empty(detail["attachments"]!.AsArray());

        foreach (var bad in new object[]
                 {
                     new { type = "billing", severity = 9, title = "t", description = "d" },
                     new { type = "refund", title = "t", description = "d" },
                     new { type = "billing", title = "", description = "d" },
                     new { type = "bank_transfer", title = "t", description = "d", bank_transfer = new { amount = 10m, transferred_on = "2026-01-01", payer_name = "p", bank_reference = "r" } },
                 })
            await (await s.SignedAsync(HttpMethod.Post, "/v1/tickets", owner.AccessKey, owner.SecretKey, bad)).AssertErrorAsync(400);
        await (await s.SignedAsync(HttpMethod.Post, "/v1/tickets", owner.AccessKey, owner.SecretKey, "{\"type\": 5}")).AssertErrorAsync(400, "CBC.0100");
        await (await s.SignedAsync(HttpMethod.Get, "/v1/tickets?created_from=yesterday", owner.AccessKey, owner.SecretKey)).AssertErrorAsync(400, "CBC.0100");
        Assert.Equal(1, (await (await s.SendAsync(HttpMethod.Get, "/v1/tickets", owner.Token)).JsonAsync())["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_partner_registers_a_bank_transfer_by_ticket_with_its_receipt_and_the_operator_sees_it_in_its_queue()
    {
        var partner = await s.NewAccountAsync("tkp");
        await s.EnrollAsync(partner);
        var transfer = new { amount = 5200.75m, transferred_on = DateTime.UtcNow.ToString("yyyy-MM-dd"), payer_name = "Acme Ltd", bank_reference = "BNK-77", invoice_number = "INV-1" };
        var id = await OpenAsync(partner, Ticket("bank_transfer", bank_transfer: transfer));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\nreceipt");
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(partner.Token, id, "transfer receipt.pdf", pdf)).StatusCode);

        var op = await OperatorTokenAsync();
        var seen = await (await s.SendAsync(HttpMethod.Get, $"/v1/tickets/{id}", op)).JsonAsync();
        Assert.Equal((5200.75m, partner.Name, "INV-1"), (seen["ticket"]!["bank_transfer"]!["amount"]!.GetValue<decimal>(),
            seen["ticket"]!["bank_transfer"]!["receipt_owner"]!.GetValue<string>(), seen["ticket"]!["bank_transfer"]!["invoice_number"]!.GetValue<string>()));
        Assert.Equal("transfer receipt.pdf", seen["attachments"]![0]!["file_name"]!.GetValue<string>());
        var filtered = await (await s.SendAsync(HttpMethod.Get, "/v1/tickets?side=assigned&type=bank_transfer&limit=100", op)).JsonAsync();
        Assert.Contains(filtered["tickets"]!.AsArray(), t => t!["ticket_id"]!.GetValue<string>() == id);
        Assert.All(filtered["tickets"]!.AsArray(), t => Assert.Equal("bank_transfer", t!["type"]!.GetValue<string>()));
    }
}
