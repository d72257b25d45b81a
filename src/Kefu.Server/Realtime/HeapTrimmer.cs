namespace Kefu.Server.Realtime;

/// <summary>
/// Gives memory back after a surge of connections. Opening a connection allocates far more than the
/// connection keeps, and some of that garbage lives long enough to reach the oldest generation; a server
/// that then sits idle allocates nothing, so no collection ever frees it (about 4 KiB per connection).
/// Once the number of connections has moved by <c>threshold</c> since the last trim and has stayed steady
/// for a while, one compacting full collection frees it and hands the emptied memory back to the system
/// (<see cref="GCCollectionMode.Aggressive"/>: an ordinary collection keeps it committed, and an idle
/// server runs no further collection that would decommit it; about 6 KiB per connection at 19,000).
/// Never more often than the steady period.
/// </summary>
internal sealed partial class HeapTrimmer(int threshold, ILogger logger)
{
    private const long SteadyMs = 10_000;
    private int _countAtTrim;
    private int _lastCount;
    private long _lastChangeMs;

    /// <summary>Called on the sweeper's tick with the number of open connections.</summary>
    public void Tick(int count, long nowMs)
    {
        if (threshold <= 0)
        {
            return;
        }
        // A change of more than 1% (or 10 connections) restarts the wait for a steady count.
        if (Math.Abs(count - _lastCount) > Math.Max(10, _lastCount / 100))
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
