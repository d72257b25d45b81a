namespace Kefu.Server.Realtime;

/// <summary>
/// Gives memory back after a surge of connections. Opening a connection allocates far more than the
/// connection keeps, and some of that garbage lives long enough to reach the oldest generation; a server
/// that then sits idle allocates nothing, so no collection ever frees it (about 4 KiB per connection).
/// Once the number of connections has moved by <c>threshold</c> since the last trim and has stayed steady
/// for a while, one compacting full collection frees it and hands the emptied memory back to the system
/// (<see cref="GCCollectionMode.Aggressive"/>: an ordinary collection keeps it committed, and an idle
/// server runs no further collection that would decommit it; about 6 KiB per connection at 19,000).
/// That collection stops the server for a quarter of a second at 19,000 connections, so it waits for the
/// clients to be quiet as well (fewer than <see cref="QuietFramesPerSecond"/> frames a second besides pings):
/// a busy server collects its old garbage in its own time, and a quarter-second stall in the middle of
/// traffic costs more than the memory. Never more often than the steady period.
/// </summary>
internal sealed partial class HeapTrimmer(int threshold, ILogger logger)
{
    public const int QuietFramesPerSecond = 100;
    private const long SteadyMs = 10_000;
    private int _countAtTrim;
    private int _lastCount;
    private long _lastChangeMs;
    private long _lastFrames;
    private long _lastTickMs;

    /// <summary>Called on the sweeper's tick with the number of open connections and of frames received besides pings.</summary>
    public void Tick(int count, long framesBesidesPings, long nowMs)
    {
        if (threshold <= 0)
        {
            return;
        }
        var frames = framesBesidesPings - _lastFrames;
        var busy = frames * 1000 > QuietFramesPerSecond * Math.Max(1, nowMs - _lastTickMs);
        _lastFrames = framesBesidesPings;
        _lastTickMs = nowMs;
        // A change of more than 1% (or 10 connections), or traffic, restarts the wait for a steady, quiet count.
        if (Math.Abs(count - _lastCount) > Math.Max(10, _lastCount / 100) || busy)
        {
            _lastCount = count;
            _lastChangeMs = nowMs;
            return;
        }
        if (Math.Abs(count - _countAtTrim) < threshold || nowMs - _lastChangeMs < SteadyMs)
        {
            return;
        }
        _countAtTrim = count;
        var beforeMiB = GC.GetTotalMemory(forceFullCollection: false) >> 20;
        var committedBeforeMiB = GC.GetGCMemoryInfo().TotalCommittedBytes >> 20;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var afterMiB = GC.GetTotalMemory(forceFullCollection: false) >> 20;
        var committedAfterMiB = GC.GetGCMemoryInfo().TotalCommittedBytes >> 20;
        LogTrimmed(logger, count, beforeMiB, afterMiB, committedBeforeMiB, committedAfterMiB);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Connections steady at {Count}: heap trimmed from {BeforeMiB} MiB to {AfterMiB} MiB, committed from {CommittedBeforeMiB} MiB to {CommittedAfterMiB} MiB")]
    private static partial void LogTrimmed(ILogger logger, int count, long beforeMiB, long afterMiB, long committedBeforeMiB, long committedAfterMiB);
}
