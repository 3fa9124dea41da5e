using Microsoft.Extensions.DependencyInjection;

namespace PartnerCenter.Server.Tests;

/// <summary>When the server gives memory back: after the start, and when it falls idle again, never while it is busy.</summary>
public sealed class IdleMemoryTests
{
    [Fact]
    public void The_first_job_tick_trims_what_the_start_left_behind()
    {
        var idle = new IdleMemory();
        idle.NoteRequest(); // the readiness probe
        Assert.True(idle.AfterJobTick());
    }

    [Fact]
    public void A_tick_after_requests_does_not_trim_while_the_server_is_busy()
    {
        var idle = new IdleMemory();
        idle.AfterJobTick();
        idle.NoteRequest();
        Assert.False(idle.AfterJobTick());
        idle.NoteRequest();
        Assert.False(idle.AfterJobTick());
    }

    [Fact]
    public void A_whole_tick_without_requests_after_some_trims_once_and_then_not_again()
    {
        var idle = new IdleMemory();
        idle.AfterJobTick();
        idle.NoteRequest();
        Assert.False(idle.AfterJobTick()); // the requests were in this interval
        Assert.True(idle.AfterJobTick()); // a whole interval without one
        Assert.False(idle.AfterJobTick()); // nothing ran since the trim
    }

    [Fact]
    public void Nothing_served_since_the_start_trim_means_no_further_trim()
    {
        var idle = new IdleMemory();
        idle.AfterJobTick();
        Assert.False(idle.AfterJobTick());
        Assert.False(idle.AfterJobTick());
    }

    [Fact]
    public void Turned_off_it_never_trims()
    {
        var idle = new IdleMemory(enabled: false);
        Assert.False(idle.AfterJobTick());
        idle.NoteRequest();
        idle.AfterJobTick();
        Assert.False(idle.AfterJobTick());
    }

    [Fact]
    public void A_trim_is_a_full_blocking_compacting_collection()
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        IdleMemory.Trim();
        var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(after.Index > before);
        Assert.True(after.Compacted);
        Assert.Equal(GC.MaxGeneration, after.Generation);
    }
}

/// <summary>The server gives idle memory back by default; <c>--idle-trim false</c> keeps it.</summary>
public sealed class IdleTrimSwitchTests
{
    public sealed class TrimOff : Support.ServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("idle-trim", "false")];
    }

    [Fact]
    public async Task The_server_trims_by_default_and_idle_trim_false_turns_it_off()
    {
        foreach (var (server, enabled) in new (Support.ServerFixture, bool)[] { (new Support.ServerFixture(), true), (new TrimOff(), false) })
        {
            await server.InitializeAsync();
            try
            {
                Assert.Equal(enabled, server.Services.GetRequiredService<IdleMemory>().Enabled);
            }
            finally
            {
                await server.DisposeAsync();
            }
        }
    }
}
