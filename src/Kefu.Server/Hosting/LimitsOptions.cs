namespace Kefu.Server.Hosting;

/// <summary>Protocol limits (section <c>Kefu:Limits</c>); defaults are protocol v1's.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Kefu:Limits";

    public int MaxFrameBytes { get; set; } = 64 * 1024;
    public int MaxTextLength { get; set; } = 4000;
    public int SendsPer10Seconds { get; set; } = 20;
    public int MaxConnectionsPerVisitor { get; set; } = 50;
    public int VisitorSessionsPerMinute { get; set; } = 300;
    public int HeartbeatSeconds { get; set; } = 30;
    public int HelloTimeoutSeconds { get; set; } = 10;

    /// <summary>Upgraded connections this process accepts; 0 derives it from the open-file limit.</summary>
    public int MaxConnections { get; set; }

    /// <summary>
    /// Frames queued for one client before it is disconnected as too slow (it will resume). A group commit
    /// can queue a burst of frames at once, so this is generous; <see cref="SendQueueBytes"/> bounds memory.
    /// </summary>
    public int SendQueueFrames { get; set; } = 8192;

    /// <summary>Bytes queued for one client before it is disconnected as too slow.</summary>
    public int SendQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a queue over its budget may go without sending anything before the client is dropped.</summary>
    public int SendQueueStallSeconds { get; set; } = 10;

    public int ErrorsPerMinute { get; set; } = 10;

    /// <summary>
    /// After the number of connections moved by this many and held steady for 10 s with the clients quiet
    /// (besides pings), one full collection frees what opening (or closing) them left behind; 0 turns it off.
    /// </summary>
    public int TrimHeapAfterConnections { get; set; } = 1000;
}
