using Kefu.Core.Leases;
using Kefu.Core.Messaging;
using Kefu.Core.Presence;
using Kefu.Server.Messaging;
using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Agents;

/// <summary>
/// Keeps this node's presence entries alive and its view of other nodes' agents current. Every third of an
/// entry's lifetime it refreshes the entries of the agents it holds (a node that stops refreshing, because
/// it died, loses them one lifetime later), and looks up the agents it believes other nodes hold and the
/// agents with open conversations. A notice from another node, or the bus coming back, makes it look at once.
/// The node holding the <c>agent-presence</c> job lease also finds agents that vanished without a release
/// (their node died): absent from every node for the grace period (and at least one and a half refresh
/// periods, so a registry that lost its data is refilled first), they go offline and routing may requeue
/// their conversations. While the registry is unreachable nobody is found absent.
/// </summary>
internal sealed partial class PresenceKeeper(
    AgentPresence presence,
    IPresenceRegistry registry,
    NodeBus bus,
    RouterBook book,
    RoutingSignals signals,
    IJobLease lease,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<PresenceKeeper> logger) : BackgroundService
{
    private const string Job = "agent-presence";
    private readonly System.Threading.Channels.Channel<string?> _look = System.Threading.Channels.Channel.CreateUnbounded<string?>(new() { SingleReader = true });
    private readonly Dictionary<string, long> _absentSince = new(StringComparer.Ordinal);
    private bool _unavailable;

    /// <summary>How often entries are refreshed and other nodes' agents looked at.</summary>
    public TimeSpan Interval => registry.EntryLifetime / 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe(OnEvent);
        bus.Reconnected += OnReconnected;
        using var timer = time.CreateTimer(_ => _look.Writer.TryWrite(null), null, TimeSpan.Zero, Interval);
        try
        {
            var reader = _look.Reader;
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var everything = false;
                var agents = new HashSet<string>(StringComparer.Ordinal);
                while (reader.TryRead(out var agentId))
                {
                    if (agentId is null)
                    {
                        everything = true;
                    }
                    else
                    {
                        agents.Add(agentId);
                    }
                }
                try
                {
                    if (everything)
                    {
                        await RefreshAsync(stoppingToken);
                    }
                    foreach (var agentId in agents)
                    {
                        await presence.LookAsync(agentId, stoppingToken);
                    }
                    if (_unavailable)
                    {
                        _unavailable = false;
                        LogRegistryBack(logger);
                    }
                }
                catch (PresenceUnavailableException ex)
                {
                    _absentSince.Clear();
                    if (!_unavailable)
                    {
                        _unavailable = true;
                        LogRegistryUnavailable(logger, ex);
                    }
                }
            }
        }
        finally
        {
            bus.Reconnected -= OnReconnected;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await registry.HoldAsync(presence.NodeId, presence.Held(), cancellationToken);
        foreach (var (agentId, chosen) in presence.HeldChoices())
        {
            if (await registry.ChosenOfAsync(agentId, cancellationToken) is null)
            {
                await registry.SetChosenAsync(agentId, chosen, cancellationToken);
            }
        }
        var watched = new HashSet<string>(presence.HeldElsewhere(), StringComparer.Ordinal);
        var loaded = book.AgentsWithLoad;
        watched.UnionWith(loaded);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agentId in watched)
        {
            if (presence.HeldHere(agentId) || await presence.LookAsync(agentId, cancellationToken))
            {
                present.Add(agentId);
            }
        }
        await FindVanishedAsync(loaded, present, cancellationToken);
    }

    /// <summary>On the lease holder: agents with open conversations that no node has held for long enough go offline.</summary>
    private async Task FindVanishedAsync(IReadOnlyCollection<string> loaded, HashSet<string> present, CancellationToken cancellationToken)
    {
        if (!await lease.HoldAsync(Job, cancellationToken))
        {
            _absentSince.Clear();
            return;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var required = (long)Math.Max(options.Value.AgentGraceSeconds * 1000, Interval.TotalMilliseconds * 1.5);
        foreach (var agentId in _absentSince.Keys.Where(a => present.Contains(a) || !loaded.Contains(a)).ToList())
        {
            _absentSince.Remove(agentId);
        }
        foreach (var agentId in loaded)
        {
            if (present.Contains(agentId) || !presence.WasSeenElsewhere(agentId))
            {
                continue;
            }
            if (!_absentSince.TryGetValue(agentId, out var since))
            {
                _absentSince[agentId] = now;
            }
            else if (now - since >= required)
            {
                _absentSince.Remove(agentId);
                LogVanished(logger, agentId);
                signals.AgentChanged(agentId, wentOffline: true);
            }
        }
    }

    private void OnEvent(BusEvent busEvent)
    {
        if (PresenceNotice.TryRead(busEvent, out var agentId))
        {
            _look.Writer.TryWrite(agentId);
        }
    }

    private void OnReconnected(object? sender, EventArgs e) => _look.Writer.TryWrite(null);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "The presence registry is unreachable; entries are refreshed and absences judged again when it answers")]
    private static partial void LogRegistryUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "The presence registry answers again")]
    private static partial void LogRegistryBack(ILogger logger);

    [LoggerMessage(EventId = 414, Level = LogLevel.Information, Message = "Agent {AgentId} is held by no node any more (its node stopped refreshing); it is offline")]
    private static partial void LogVanished(ILogger logger, string agentId);
}
