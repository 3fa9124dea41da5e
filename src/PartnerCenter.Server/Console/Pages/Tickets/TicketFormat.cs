using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Server.Console.Pages.Tickets;

/// <summary>How the console names ticket statuses and severities.</summary>
public static class TicketFormat
{
    public static string Status(TicketStatus s) => s switch
    {
        TicketStatus.PendingAcceptance => "Pending acceptance",
        TicketStatus.Processing => "Processing",
        TicketStatus.PendingConfirmation => "Pending confirmation",
        TicketStatus.Completed => "Completed",
        _ => "Cancelled",
    };

    public static string Severity(int severity) => severity switch
    {
        1 => "Critical",
        2 => "Major",
        3 => "Minor",
        _ => "Suggestion",
    };
}
