using System.Diagnostics.Metrics;

namespace Kefu.Core.Diagnostics;

/// <summary>
/// Kefu's own instruments (meter <c>Kefu</c>). Nothing is recorded unless a listener (the <c>/metrics</c>
/// exporter, <c>dotnet-counters</c>) subscribes; the hot path's instruments are recorded without tags, so each adds one atomic add
/// and allocates nothing.
/// </summary>
public static class KefuMetrics
{
    public const string MeterName = "Kefu";

    public static Meter Meter { get; } = new(MeterName);

    /// <summary>Protocol frames read from clients (every WebSocket text frame that parsed).</summary>
    public static Counter<long> FramesReceived { get; } =
        Meter.CreateCounter<long>("kefu.frames.received", "{frame}", "Protocol frames received from clients.");

    /// <summary>Frames written to client sockets.</summary>
    public static Counter<long> FramesSent { get; } =
        Meter.CreateCounter<long>("kefu.frames.sent", "{frame}", "Protocol frames sent to clients.");

    /// <summary>Messages made durable by this node's store writer.</summary>
    public static Counter<long> MessagesCommitted { get; } =
        Meter.CreateCounter<long>("kefu.messages.committed", "{message}", "Messages committed to the store by this node.");

    /// <summary>Writes (appends, receipts, assignments, …) in one group commit.</summary>
    public static Histogram<int> CommitBatchSize { get; } =
        Meter.CreateHistogram("kefu.store.commit.batch_size", "{write}", "Writes in one group commit.",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });

    /// <summary>From the start of a group commit's transaction to its durable commit.</summary>
    public static Histogram<double> CommitDuration { get; } =
        Meter.CreateHistogram("kefu.store.commit.duration", "s", "Time from the start of a group commit to its durable commit.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>
    /// A <c>send</c> on this node, from its frame being read to its <c>ack</c> being queued: validation, the wait
    /// for the writer, the group commit and the fan-out. The rest of what a client sees is network and scheduling.
    /// </summary>
    public static Histogram<double> SendDuration { get; } =
        Meter.CreateHistogram("kefu.send.duration", "s", "Time from a send frame being read to its ack being queued.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Group commits that failed (the store refused or was unreachable); their writes were refused.</summary>
    public static Counter<long> StoreErrors { get; } =
        Meter.CreateCounter<long>("kefu.store.errors", "{batch}", "Group commits that failed; their writes were refused and clients retry.");

    /// <summary>
    /// Connections refused with 503: past the sockets the open-file limit allows (<c>reason=descriptors</c>) or past
    /// the WebSocket cap (<c>reason=cap</c>).
    /// </summary>
    public static Counter<long> ConnectionsRefused { get; } =
        Meter.CreateCounter<long>("kefu.connections.refused", "{connection}", "Connections refused with 503 at this node's connection limits.");

    /// <summary>Clients disconnected because their send queue outgrew its budget (they resume).</summary>
    public static Counter<long> SendQueueDrops { get; } =
        Meter.CreateCounter<long>("kefu.send_queue.drops", "{connection}", "Clients disconnected as too slow to read their frames.");

    /// <summary>
    /// From a conversation entering the routing queue to its assignment (by routing, a claim or a transfer), recorded
    /// by the node that committed the assignment, so each wait counts once in a cluster. The start is when this node
    /// saw the conversation queued; waits already running when the node started are not recorded.
    /// </summary>
    public static Histogram<double> QueueWait { get; } =
        Meter.CreateHistogram("kefu.routing.queue.wait", "s", "Time from a conversation entering the routing queue to its assignment.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    /// <summary>Bytes of tus PATCH bodies written to storage and recorded in their upload's offset (a resumed upload counts each byte once).</summary>
    public static Counter<long> UploadBytesReceived { get; } =
        Meter.CreateCounter<long>("kefu.uploads.received", "By", "Upload bytes received and stored by this node.");

    /// <summary>Uploads whose last byte arrived on this node (and whose type the site accepts).</summary>
    public static Counter<long> UploadsCompleted { get; } =
        Meter.CreateCounter<long>("kefu.uploads.completed", "{upload}", "Uploads completed on this node.");

    /// <summary>Times the bus came back after an outage.</summary>
    public static Counter<long> BusReconnects { get; } =
        Meter.CreateCounter<long>("kefu.bus.reconnects", "{reconnect}", "Times the bus between nodes came back after an outage.");
}
