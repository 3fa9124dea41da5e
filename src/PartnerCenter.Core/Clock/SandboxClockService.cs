using Microsoft.EntityFrameworkCore;
using PartnerCenter.Core.Common;
using PartnerCenter.Core.Data;

namespace PartnerCenter.Core.Clock;

public sealed record ClockView(DateTimeOffset Now, long OffsetSeconds, bool SandboxEnabled);

public sealed record ClockAdvanceResult(DateTimeOffset Now, long OffsetSeconds, IReadOnlyList<JobRunResult> JobsRun);

/// <summary>
/// The sandbox test clock: the operator moves business time forward and every job period due in between runs, in order.
/// </summary>
public sealed class SandboxClockService(AppDbContext db, SandboxClock clock, JobRunner runner, SandboxOptions options)
{
    /// <summary>Loads the persisted offset into the clock; on a new database it records the job schedule's start.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        var state = await db.ClockStates.SingleOrDefaultAsync(ct);
        if (state is null)
        {
            state = new ClockState { JobsEpoch = clock.GetUtcNow().UtcDateTime };
            db.ClockStates.Add(state);
            await db.SaveChangesAsync(ct);
        }
        clock.SetOffset(TimeSpan.FromSeconds(state.OffsetSeconds));
    }

    public ClockView Show() => new(clock.GetUtcNow(), (long)clock.Offset.TotalSeconds, options.Enabled);

    public async Task<ClockAdvanceResult> AdvanceAsync(Caller caller, long? seconds, DateTimeOffset? to, CancellationToken ct = default)
    {
        if (!caller.IsOperator) throw new ServiceException(Errors.NoPermission("sandbox:clock:advance"));
        if (!options.Enabled) throw new ServiceException(Errors.SandboxDisabled());
        if (seconds is null == to is null)
            throw new ServiceException(Errors.InvalidParameter("Give exactly one of seconds or to."));
        var step = seconds is { } s ? TimeSpan.FromSeconds(s) : to!.Value - clock.GetUtcNow();
        if (step <= TimeSpan.Zero) throw new ServiceException(Errors.ClockBackwards());
        if (step > TimeSpan.FromDays(3660)) throw new ServiceException(Errors.InvalidParameter("The clock can move at most ten years at a time."));

        var offset = clock.Offset + step;
        await db.ClockStates.ExecuteUpdateAsync(x => x.SetProperty(c => c.OffsetSeconds, (long)offset.TotalSeconds), ct);
        clock.SetOffset(TimeSpan.FromSeconds((long)offset.TotalSeconds));
        var ran = await runner.RunDueAsync(clock.GetUtcNow().UtcDateTime, ct);
        return new ClockAdvanceResult(clock.GetUtcNow(), (long)clock.Offset.TotalSeconds, ran);
    }
}

/// <summary>Whether the operator may move business time (off in production).</summary>
public sealed record SandboxOptions(bool Enabled);
