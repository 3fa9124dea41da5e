using System.Runtime;
using System.Runtime.InteropServices;

namespace PartnerCenter.Server;

/// <summary>
/// Gives memory back to the operating system when the server falls idle: after the first job tick (the start's
/// migrations, seeding, demo and catch-up are over, and what they allocated is garbage) and after any later tick that
/// follows a whole tick interval without a request. A busy server is never trimmed. Trimming is a compacting,
/// decommitting collection of the managed heap and <c>malloc_trim</c> of the native heap, where glibc provides it:
/// together about 14 MiB of idle resident memory without the demo (docs/decisions.md, "Idle memory"). <c>--idle-trim false</c> turns
/// it off.
/// </summary>
public sealed class IdleMemory(bool enabled = true)
{
    public bool Enabled => enabled;

    long requests;
    long requestsAtPreviousTick = -1;
    long requestsAtTrim = -1;

    /// <summary>Called once per request; one interlocked add.</summary>
    public void NoteRequest() => Interlocked.Increment(ref requests);

    /// <summary>Called after each job tick. Returns whether it trimmed.</summary>
    public bool AfterJobTick()
    {
        var now = Interlocked.Read(ref requests);
        var first = requestsAtPreviousTick < 0;
        // Idle: the first tick, or no request since the previous one. Worth it: something ran since the last trim.
        var trim = enabled && (first || (now == requestsAtPreviousTick && now != requestsAtTrim));
        requestsAtPreviousTick = now;
        if (!trim) return false;
        requestsAtTrim = now;
        Trim();
        return true;
    }

    /// <summary>A full blocking collection that compacts the large-object heap too and decommits the free space, then the native heap's trim.</summary>
    public static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): the managed heap's part is done.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
}
