using HdrHistogram;

namespace Kefu.LoadGen.Worker;

/// <summary>What all connections of one worker process share.</summary>
internal sealed class WorkerContext(int workerId, int textBytes)
{
    private readonly Lock stormGate = new();
    private LongHistogram stormResume = LatencyRecorder.New();
    private int logged;

    public int WorkerId { get; } = workerId;
    public int TextBytes { get; } = textBytes;
    public Counters Counters { get; } = new();
    public LatencyRecorder Latency { get; } = new();
    public ReceivedLedger Ledger { get; } = new();
    public volatile bool Stopping;

    /// <summary>Stopwatch ticks of the last deliberate drop; closes after it are expected.</summary>
    public long StormDropTicks { get; set; }
    public int StormResumed;

    public void RecordResume(long micros)
    {
        lock (stormGate)
            stormResume.RecordValue(Math.Clamp(micros, 0, LatencyRecorder.HighestMicros));
        Interlocked.Increment(ref StormResumed);
    }

    public LongHistogram TakeResumeHistogram()
    {
        lock (stormGate)
        {
            var taken = stormResume;
            stormResume = LatencyRecorder.New();
            return taken;
        }
    }

    /// <summary>Logs the first few problems of each run to stderr; counts tell the rest.</summary>
    public void Log(string message)
    {
        if (Interlocked.Increment(ref logged) <= 40)
            Console.Error.WriteLine($"[worker {WorkerId}] {message}");
    }
}
