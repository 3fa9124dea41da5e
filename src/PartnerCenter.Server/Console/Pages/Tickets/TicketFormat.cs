using PartnerCenter.Core.Tickets;

namespace PartnerCenter.Server.Console.Pages.Tickets;

/// <summary>How the console names ticket statuses and severities.</summary>
public static class TicketFormat
{
    /// <summary>The status as a label: the API's words with a capital.</summary>
    public static string Status(TicketStatus s)
    {
        var name = TicketStatusNames.Of(s);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    public static string Severity(int severity) => severity switch
    {
        1 => "Critical",
        2 => "Major",
        3 => "Minor",
        _ => "Suggestion",
    };
}
