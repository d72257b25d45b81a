using Kefu.Core.Protocol;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// One timer for all connections instead of one per connection: closes those without <c>hello</c> in time
/// (4408), drops those silent for three heartbeats, and aborts those that do not finish a close. The few
/// connections still waiting for <c>hello</c> are looked at every tick; the whole set only every
/// <see cref="FullSweepTicks"/> ticks, since a pass over 19,000 connections costs milliseconds of cache misses
/// and silence is measured in heartbeats.
/// On shutdown it closes every connection with 1001 so clients move to another node. After a surge of
/// connections it lets <see cref="HeapTrimmer"/> give memory back.
/// </summary>
internal sealed partial class ConnectionSweeper(
    ConnectionRegistry registry,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ConnectionSweeper> logger)
    : BackgroundService
{
    private const long CloseGraceMs = 5_000;
    private const int TickMs = 500;
    private const int FullSweepTicks = 10;
    private readonly HeapTrimmer _trimmer = new(limits.Value.TrimHeapAfterConnections, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Drain as soon as stopping begins, while Kestrel still waits for the open requests to end.
        using var draining = lifetime.ApplicationStopping.Register(CloseAll);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(TickMs), time);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetTimestampMs();
                // While stopping, clients that do not answer the 1001 close are aborted without delay.
                var full = ++ticks % FullSweepTicks == 0 || lifetime.ApplicationStopping.IsCancellationRequested;
                Sweep(full ? registry.All : registry.AwaitingHello, now);
                _trimmer.Tick(registry.Count, registry.FramesBesidesPings, now);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void CloseAll()
    {
        var now = time.GetTimestampMs();
        var count = 0;
        foreach (var connection in registry.All)
        {
            connection.RequestClose(CloseCodes.GoingAway, "Server going away; reconnect.", now);
            count++;
        }
        LogDraining(logger, count);
    }

    private void Sweep(IEnumerable<ClientConnection> connections, long now)
    {
        var helloMs = limits.Value.HelloTimeoutSeconds * 1000L;
        var silentMs = limits.Value.HeartbeatSeconds * 3000L;
        foreach (var connection in connections)
        {
            if (connection.IsClosing)
            {
                if (now - connection.CloseRequestedAtMs > CloseGraceMs)
                {
                    connection.Abort();
                }
            }
            else if (connection.Caller is null && now - connection.ConnectedAtMs > helloMs)
            {
                connection.RequestClose(CloseCodes.HelloTimeout, "No hello in time.", now);
            }
            else if (now - connection.LastReceivedMs > silentMs)
            {
                connection.Abort();
            }
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Draining: closing {Count} connections with 1001")]
    private static partial void LogDraining(ILogger logger, int count);
}
