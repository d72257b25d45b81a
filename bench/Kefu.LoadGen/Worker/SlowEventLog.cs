using System.Diagnostics;
using System.Globalization;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// Writes every latency of at least <see cref="ThresholdMicros"/> with the time it started, so slow sends can be
/// lined up with what else ran on the machine then (<c>Kefu.LoadGen stalls</c> reads it with a <c>perf sched</c>
/// trace). One line per event: kind (ack, delivery, pong), start in nanoseconds of <c>CLOCK_MONOTONIC</c> (the
/// clock of <c>perf record -k CLOCK_MONOTONIC</c>), latency in microseconds.
/// </summary>
internal sealed class SlowEventLog(string path) : IDisposable
{
    public const long ThresholdMicros = 5_000;
    private readonly Lock gate = new();
    private readonly StreamWriter writer = new(path);

    public void Record(string kind, long startTicks, long micros)
    {
        if (micros < ThresholdMicros)
            return;
        // Stopwatch reads CLOCK_MONOTONIC on Linux; its ticks are converted, not assumed to be nanoseconds.
        var nanos = (long)(startTicks * (1e9 / Stopwatch.Frequency));
        lock (gate)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}\t{nanos}\t{micros}"));
    }

    public void Dispose()
    {
        lock (gate)
            writer.Dispose();
    }
}
