using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PartnerCenter.Core.Clock;

/// <summary>The persisted offset of the sandbox clock (one row), so every server instance and restart agrees on business time.</summary>
public sealed class ClockState
{
    public int Id { get; init; } = 1;
    public long OffsetSeconds { get; set; }
    /// <summary>When the job schedule starts: periods before it are never run.</summary>
    public DateTime JobsEpoch { get; set; }
}

/// <summary>
/// Business time: the system clock plus the sandbox offset. Every rule reads time from here
/// (registered as the one <see cref="TimeProvider"/>), so advancing the sandbox clock moves the whole business.
/// </summary>
public sealed class SandboxClock(TimeProvider system) : TimeProvider
{
    long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    /// <summary>The machine's clock, without the sandbox offset: for what must follow real time (job leases).</summary>
    public TimeProvider RealTime => system;

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    internal void SetOffset(TimeSpan offset) => Interlocked.Exchange(ref offsetTicks, offset.Ticks);
}

sealed class ClockStateConfiguration : IEntityTypeConfiguration<ClockState>, IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<ClockState> e)
    {
        e.ToTable("clock_state");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<JobRun> e)
    {
        e.ToTable("job_runs");
        e.HasKey(x => new { x.JobName, x.Period });
        e.Property(x => x.JobName).HasMaxLength(64);
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
    }
}
