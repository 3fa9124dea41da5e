using PartnerCenter.Core.Clock;
using PartnerCenter.Core.Partners;
using PartnerCenter.Server.Auth;

namespace PartnerCenter.Server.Api.Sandbox;

public sealed record ClockAdvanceRequest(long? Seconds, DateTimeOffset? To);

public sealed record SpendRequest(string? CustomerId, decimal? Amount, string? IdempotencyKey = null);

/// <summary>
/// The sandbox test clock: read business time, and (operator only, sandbox mode only) move it forward; every job period
/// due in between runs in order before the response.
/// </summary>
public static class ClockApi
{
    public static void MapClockApi(this IEndpointRouteBuilder app)
    {
        var clock = app.MapGroup("/v1/sandbox/clock").WithTags("Sandbox clock");
        clock.MapGet("", (HttpContext http, SandboxClockService service) =>
        {
            http.Caller();
            var view = service.Show();
            return Results.Ok(new { now = view.Now, offset_seconds = view.OffsetSeconds, sandbox_enabled = view.SandboxEnabled });
        }).Action(CallerAccess.AuthenticatedOnly).WithName("ShowSandboxClock");
        clock.MapPost("/advance", async (HttpContext http, SandboxClockService service, ClockAdvanceRequest body) =>
        {
            var result = await service.AdvanceAsync(http.Caller(), body.Seconds, body.To, http.RequestAborted);
            return Results.Ok(new
            {
                now = result.Now,
                offset_seconds = result.OffsetSeconds,
                jobs_run = result.JobsRun.Select(j => new { job = j.Job, period = j.Period }),
            });
        }).Action("sandbox:clock:advance").WithName("AdvanceSandboxClock")
            .WithSummary("Moves business time forward by `seconds` or to `to` (ISO 8601); runs every job due in between, in order. Operator only.");

        app.MapPost("/v1/sandbox/spends", async (HttpContext http, BudgetConsumption budgets, SpendRequest body) =>
        {
            var result = await budgets.SimulateAsync(http.Caller(), body.CustomerId, body.Amount, body.IdempotencyKey, http.RequestAborted);
            return Results.Ok(new { accepted = result.Accepted, budgeted = result.Budgeted, error_code = result.Refusal?.Code, error_msg = result.Refusal?.Message });
        }).Action("sandbox:spends:create").WithTags("Sandbox clock").WithName("RecordSandboxSpend")
            .WithSummary("Records a customer's spend at list price as a purchase will (budget check, alerts, automatic freezing). Operator only, sandbox only.");
    }
}
