using System.Diagnostics;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// Open-loop pacing: message i of a stream is due at start + i / rate whatever happened to earlier ones, and its
/// latency is measured from that intended time, so a stalled server cannot slow the generator down and hide
/// its own stall (no coordinated omission).
/// </summary>
internal static class SendSchedule
{
    public static (long Visitor, long Agent) Run(
        long startTicks, double seconds, double visitorRate, IReadOnlyList<SimClient> visitors, double agentRate, IReadOnlyList<SimClient> agents)
    {
        var frequency = (double)Stopwatch.Frequency;
        var endTicks = startTicks + (long)(seconds * frequency);
        var visitorTotal = (long)(seconds * visitorRate);
        var agentTotal = (long)(seconds * agentRate);
        long visitorIndex = 0, agentIndex = 0;
        while (Stopwatch.GetTimestamp() < startTicks)
            Thread.Sleep(1);

        while (true)
        {
            var now = Math.Min(Stopwatch.GetTimestamp(), endTicks);
            var elapsed = (now - startTicks) / frequency;
            if (visitors.Count > 0 && visitorRate > 0)
            {
                // Message i is due at i / rate: by now, every i ≤ elapsed × rate (not only those below it, which
                // sent each message a whole interval late and added that to every latency).
                var due = Math.Min((long)(elapsed * visitorRate) + 1, visitorTotal);
                for (; visitorIndex < due; visitorIndex++)
                    visitors[(int)(visitorIndex % visitors.Count)].ScheduleSend(startTicks + (long)(visitorIndex / visitorRate * frequency));
            }

            if (agents.Count > 0 && agentRate > 0)
            {
                var due = Math.Min((long)(elapsed * agentRate) + 1, agentTotal);
                for (; agentIndex < due; agentIndex++)
                    agents[(int)(agentIndex % agents.Count)].ScheduleSend(startTicks + (long)(agentIndex / agentRate * frequency));
            }

            if (now >= endTicks)
                return (visitorIndex, agentIndex);
            NativeSleep.Until(Math.Min(
                NextDue(startTicks, visitorIndex, visitorRate, visitorTotal, visitors.Count, frequency),
                NextDue(startTicks, agentIndex, agentRate, agentTotal, agents.Count, frequency)));
        }
    }

    private static long NextDue(long startTicks, long index, double rate, long total, int clients, double frequency)
        => clients == 0 || rate <= 0 || index >= total ? long.MaxValue : startTicks + (long)(index / rate * frequency);
}
