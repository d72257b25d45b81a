using System.Collections.Concurrent;

namespace Kefu.Server.Realtime;

/// <summary>
/// Empty send queues kept for reuse. A connection holds a queue only while it has frames to send, so an idle
/// connection holds none; without the pool a busy server created and dropped a queue (and grew its array) for
/// nearly every frame it sent, about half a KiB of garbage per message.
/// </summary>
internal static class SendQueuePool
{
    private const int MaxPooled = 1024;
    private const int MaxPooledCapacity = 64;
    private static readonly ConcurrentQueue<Queue<Outgoing>> Pooled = new();
    private static int s_count;

    public static Queue<Outgoing> Rent()
    {
        if (Pooled.TryDequeue(out var queue))
        {
            Interlocked.Decrement(ref s_count);
            return queue;
        }
        return new Queue<Outgoing>(4);
    }

    /// <summary>Takes back a drained queue; one that grew large in a burst is left to the collector.</summary>
    public static void Return(Queue<Outgoing> queue)
    {
        if (queue.Count != 0 || queue.Capacity > MaxPooledCapacity)
        {
            return;
        }
        if (Interlocked.Increment(ref s_count) > MaxPooled)
        {
            Interlocked.Decrement(ref s_count);
            return;
        }
        Pooled.Enqueue(queue);
    }
}
