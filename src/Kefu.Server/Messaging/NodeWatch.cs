using Kefu.Core.Messaging;
using Kefu.Server.Agents;

namespace Kefu.Server.Messaging;

/// <summary>
/// Notices when another node dies. A node that dies may have committed a message it never published, and the
/// message's other participants, connected to other nodes, would learn of it only from a later message. So
/// every node says on the bus that it is alive every <see cref="Interval"/>; a node not heard for
/// <see cref="SilenceLimit"/>, and that did not say it was leaving, is taken for dead, and this node sends each of
/// its clients the state of their conversations (<see cref="BusRecovery"/>): they sync what they missed from the
/// store. Only with a bus between nodes. While this node's own bus is away it judges nobody; when the bus is back,
/// every client is refreshed anyway.
/// </summary>
internal sealed partial class NodeWatch(NodeBus bus, NodeIdentity node, BusRecovery recovery, TimeProvider time, ILogger<NodeWatch> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(10);
    private static readonly BusNotice Alive = new("node-alive");
    private static readonly BusNotice Leaving = new("node-leaving");
    private readonly Dictionary<string, long> _lastHeard = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _refreshRequests;

    private bool BetweenNodes => bus.Inner is IBusConnectivity;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (BetweenNodes)
        {
            bus.Publish(Leaving.For("", node.Id));
        }
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!BetweenNodes)
        {
            return;
        }
        using var subscription = bus.Subscribe(OnEvent);
        bus.Reconnected += OnReconnected;
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                bus.Publish(Alive.For("", node.Id));
                var silent = TakeSilent();
                if (silent.Count > 0)
                {
                    LogSilent(logger, string.Join(", ", silent), (int)SilenceLimit.TotalSeconds);
                    RequestRefresh();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            bus.Reconnected -= OnReconnected;
        }
    }

    /// <summary>
    /// Refreshes every client, off the loop: a refresh reads each connection's conversations, which takes seconds
    /// with many connections, and this node must go on saying it is alive meanwhile. A request made while a
    /// refresh runs starts one more after it, since the running one may have passed some clients already.
    /// </summary>
    private void RequestRefresh()
    {
        if (Interlocked.Increment(ref _refreshRequests) == 1)
        {
            _ = Task.Run(async () =>
            {
                int handled;
                do
                {
                    handled = Volatile.Read(ref _refreshRequests);
                    await recovery.RefreshAllAsync("a node went silent");
                }
                while (Interlocked.Add(ref _refreshRequests, -handled) > 0);
            });
        }
    }

    /// <summary>Forgets and returns the nodes not heard for the silence limit.</summary>
    private List<string> TakeSilent()
    {
        var silent = new List<string>();
        if (!bus.IsConnected)
        {
            return silent;
        }
        var now = time.GetTimestamp();
        lock (_gate)
        {
            foreach (var (other, heard) in _lastHeard)
            {
                if (time.GetElapsedTime(heard, now) >= SilenceLimit)
                {
                    silent.Add(other);
                }
            }
            foreach (var other in silent)
            {
                _lastHeard.Remove(other);
            }
        }
        return silent;
    }

    private void OnEvent(BusEvent busEvent)
    {
        if (Alive.TryRead(busEvent, out var alive))
        {
            lock (_gate)
            {
                _lastHeard[alive] = time.GetTimestamp();
            }
        }
        else if (Leaving.TryRead(busEvent, out var leaving))
        {
            lock (_gate)
            {
                _lastHeard.Remove(leaving);
            }
            LogLeft(logger, leaving);
        }
    }

    /// <summary>Nothing was heard while the bus was away: the silence counts from now.</summary>
    private void OnReconnected(object? sender, EventArgs e)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            foreach (var other in _lastHeard.Keys.ToList())
            {
                _lastHeard[other] = now;
            }
        }
    }

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Node {Nodes} went silent for {Seconds} s without leaving; sending clients their conversations' state so they sync what it may have committed unannounced")]
    private static partial void LogSilent(ILogger logger, string nodes, int seconds);

    [LoggerMessage(EventId = 126, Level = LogLevel.Information, Message = "Node {Node} left")]
    private static partial void LogLeft(ILogger logger, string node);
}
