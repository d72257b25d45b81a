using Kefu.Core.Messaging;
using Kefu.Core.Presence;
using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Agents;

/// <summary>
/// Agents' status, one state across the nodes of a deployment. Each node counts the agent's connections it
/// holds: the agent is held by this node while it has one and for a grace period after its last one closes
/// (it may be reconnecting), and the presence registry records which nodes hold it. At the end of the grace
/// period this node releases its entry, and only when the registry says no node holds the agent any more
/// does it go offline (its conversations may be requeued); while the registry is unreachable the release,
/// and so the requeue, waits. The status an agent chooses (online or away) is kept in the registry, so every
/// node sees the same. Other nodes' agents are known from <see cref="PresenceNotice"/>s and the periodic look
/// of <see cref="PresenceKeeper"/>. Every change is signalled to routing.
/// </summary>
internal sealed partial class AgentPresence(
    RoutingSignals signals,
    IPresenceRegistry registry,
    NodeIdentity node,
    IMessageBus bus,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<AgentPresence> logger)
{
    /// <summary>How soon a release that met an unreachable registry is tried again.</summary>
    internal static readonly TimeSpan ReleaseRetry = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, AgentPresenceEntry> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentElsewhere> _elsewhere = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string NodeId => node.Id;

    public void Connected(string tenantId, string agentId)
    {
        bool changed, first;
        lock (_lock)
        {
            var entry = Entry(tenantId, agentId);
            var before = EffectiveLocked(agentId);
            first = entry.Connections == 0 && entry.Grace is null && !entry.Releasing;
            entry.Connections++;
            entry.Grace?.Dispose();
            entry.Grace = null;
            changed = before != EffectiveLocked(agentId);
        }
        if (first)
        {
            _ = JoinAsync(tenantId, agentId);
        }
        if (changed)
        {
            signals.AgentChanged(agentId);
        }
    }

    public void Disconnected(string agentId)
    {
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var entry) || entry.Connections == 0 || --entry.Connections > 0)
            {
                return;
            }
            var grace = TimeSpan.FromSeconds(options.Value.AgentGraceSeconds);
            if (grace > TimeSpan.Zero)
            {
                entry.Grace = time.CreateTimer(_ => GraceEnded(agentId), null, grace, Timeout.InfiniteTimeSpan);
                return;
            }
            entry.Releasing = true;
        }
        _ = LeaveAsync(agentId);
    }

    /// <summary>Sets the agent's chosen status on every node; false for an unknown status.</summary>
    public bool SetStatus(string tenantId, string agentId, string status)
    {
        if (!AgentStatuses.IsKnown(status))
        {
            return false;
        }
        string before, after;
        lock (_lock)
        {
            before = EffectiveLocked(agentId);
            var entry = Entry(tenantId, agentId);
            entry.Chosen = status;
            entry.ChoicesInFlight++;
            if (_elsewhere.TryGetValue(agentId, out var elsewhere))
            {
                _elsewhere[agentId] = elsewhere with { Chosen = status };
            }
            after = EffectiveLocked(agentId);
        }
        LogStatus(logger, agentId, after);
        _ = ShareChosenAsync(tenantId, agentId, status);
        if (before != after)
        {
            signals.AgentChanged(agentId, wentOffline: after == AgentStatuses.Offline);
        }
        return true;
    }

    public string StatusOf(string agentId)
    {
        lock (_lock)
        {
            return EffectiveLocked(agentId);
        }
    }

    public bool TakesConversations(string agentId) => StatusOf(agentId) == AgentStatuses.Online;

    /// <summary>Whether the agent's last connection on this node dropped and its grace period is running.</summary>
    public bool InGracePeriod(string agentId)
    {
        lock (_lock)
        {
            return _agents.TryGetValue(agentId, out var entry) && entry.Grace is not null;
        }
    }

    /// <summary>Agents this node holds (connected, or in their grace period), for the registry's refresh.</summary>
    public IReadOnlyList<string> Held()
    {
        lock (_lock)
        {
            return [.. _agents.Where(a => a.Value.Held).Select(a => a.Key)];
        }
    }

    /// <summary>Held agents whose chosen status is not the default, so that a registry that lost it gets it back.</summary>
    public IReadOnlyList<(string AgentId, string Chosen)> HeldChoices()
    {
        lock (_lock)
        {
            return [.. _agents.Where(a => a.Value.Held && a.Value.Chosen != AgentStatuses.Online).Select(a => (a.Key, a.Value.Chosen))];
        }
    }

    /// <summary>Agents this node believes other nodes hold.</summary>
    public IReadOnlyList<string> HeldElsewhere()
    {
        lock (_lock)
        {
            return [.. _elsewhere.Where(e => e.Value.Present).Select(e => e.Key)];
        }
    }

    /// <summary>Whether this node ever saw the agent held by another node (so its absence means it went away).</summary>
    public bool WasSeenElsewhere(string agentId)
    {
        lock (_lock)
        {
            return _elsewhere.TryGetValue(agentId, out var e) && e.SeenPresent;
        }
    }

    public bool HeldHere(string agentId)
    {
        lock (_lock)
        {
            return _agents.TryGetValue(agentId, out var entry) && entry.Held;
        }
    }

    /// <summary>
    /// Reads the agent's presence on other nodes and its chosen status from the registry and applies them;
    /// returns whether another node holds it. Throws <see cref="PresenceUnavailableException"/>.
    /// </summary>
    public async Task<bool> LookAsync(string agentId, CancellationToken cancellationToken)
    {
        var nodes = await registry.NodesOfAsync(agentId, cancellationToken);
        var chosen = await registry.ChosenOfAsync(agentId, cancellationToken);
        var present = nodes.Any(n => n != node.Id);
        string before, after;
        lock (_lock)
        {
            before = EffectiveLocked(agentId);
            var seen = present || (_elsewhere.TryGetValue(agentId, out var known) && known.SeenPresent);
            if (_agents.TryGetValue(agentId, out var entry) && entry.ChoicesInFlight > 0)
            {
                chosen = entry.Chosen; // a choice made here is on its way to the registry, which may still hold the older one
            }
            else if (chosen is not null && entry is not null)
            {
                entry.Chosen = chosen;
            }
            if (present || _elsewhere.ContainsKey(agentId) || chosen is not null)
            {
                _elsewhere[agentId] = new AgentElsewhere(present, chosen ?? AgentStatuses.Online, seen);
            }
            after = EffectiveLocked(agentId);
        }
        if (before != after)
        {
            LogStatus(logger, agentId, after);
            signals.AgentChanged(agentId);
        }
        return present;
    }

    private void GraceEnded(string agentId)
    {
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var entry) || entry.Grace is null)
            {
                return;
            }
            entry.Grace.Dispose();
            entry.Grace = null;
            if (entry.Connections > 0)
            {
                return;
            }
            entry.Releasing = true;
        }
        _ = LeaveAsync(agentId);
    }

    /// <summary>This node holds the agent now: record it, and take the status it chose on another node.</summary>
    private async Task JoinAsync(string tenantId, string agentId)
    {
        try
        {
            await registry.HoldAsync(node.Id, [agentId], CancellationToken.None);
            var chosen = await registry.ChosenOfAsync(agentId, CancellationToken.None);
            string? local = null;
            bool changed = false;
            lock (_lock)
            {
                if (_agents.TryGetValue(agentId, out var entry))
                {
                    if (chosen is null)
                    {
                        local = entry.Chosen;
                    }
                    else if (entry.Chosen != chosen && entry.ChoicesInFlight == 0)
                    {
                        entry.Chosen = chosen;
                        changed = true;
                    }
                }
            }
            if (local is not null)
            {
                await registry.SetChosenAsync(agentId, local, CancellationToken.None);
            }
            if (changed)
            {
                signals.AgentChanged(agentId);
            }
            bus.Publish(PresenceNotice.For(tenantId, agentId));
        }
        catch (PresenceUnavailableException ex)
        {
            // The keeper holds every connected agent again on its next refresh.
            LogRegistryUnavailable(logger, ex, agentId);
        }
    }

    /// <summary>
    /// The agent's last connection here closed and its grace period ended: release this node's entry, and go
    /// offline only when no node holds the agent. While the registry is unreachable, try again later.
    /// </summary>
    private async Task LeaveAsync(string agentId)
    {
        bool gone;
        try
        {
            gone = await registry.ReleaseAsync(node.Id, agentId, CancellationToken.None);
        }
        catch (PresenceUnavailableException ex)
        {
            LogRegistryUnavailable(logger, ex, agentId);
            lock (_lock)
            {
                if (_agents.TryGetValue(agentId, out var waiting) && waiting.Connections == 0)
                {
                    waiting.Grace = time.CreateTimer(_ => GraceEnded(agentId), null, ReleaseRetry, Timeout.InfiniteTimeSpan);
                }
                if (waiting is not null)
                {
                    waiting.Releasing = false;
                }
            }
            return;
        }
        string tenantId;
        lock (_lock)
        {
            if (!_agents.TryGetValue(agentId, out var entry))
            {
                return;
            }
            entry.Releasing = false;
            tenantId = entry.TenantId;
            if (entry.Connections > 0)
            {
                // Back while releasing: hold it again.
                _ = JoinAsync(tenantId, agentId);
                return;
            }
            if (gone && _elsewhere.TryGetValue(agentId, out var elsewhere))
            {
                _elsewhere[agentId] = elsewhere with { Present = false };
            }
            else if (!gone)
            {
                // The release saw another node's entry: the agent is there, with the status it chose.
                _elsewhere[agentId] = new AgentElsewhere(Present: true, entry.Chosen, SeenPresent: true);
            }
        }
        bus.Publish(PresenceNotice.For(tenantId, agentId));
        LogLeft(logger, agentId, !gone);
        if (gone)
        {
            LogStatus(logger, agentId, AgentStatuses.Offline);
            signals.AgentChanged(agentId, wentOffline: true);
        }
        else
        {
            signals.AgentChanged(agentId);
        }
    }

    private async Task ShareChosenAsync(string tenantId, string agentId, string status)
    {
        try
        {
            await registry.SetChosenAsync(agentId, status, CancellationToken.None);
            bus.Publish(PresenceNotice.For(tenantId, agentId));
        }
        catch (PresenceUnavailableException ex)
        {
            LogRegistryUnavailable(logger, ex, agentId);
        }
        finally
        {
            lock (_lock)
            {
                if (_agents.TryGetValue(agentId, out var entry))
                {
                    entry.ChoicesInFlight--;
                }
            }
        }
    }

    private string EffectiveLocked(string agentId)
    {
        if (_agents.TryGetValue(agentId, out var entry) && entry.Held)
        {
            return entry.Chosen;
        }
        return _elsewhere.TryGetValue(agentId, out var elsewhere) && elsewhere.Present ? elsewhere.Chosen : AgentStatuses.Offline;
    }

    private AgentPresenceEntry Entry(string tenantId, string agentId)
    {
        if (!_agents.TryGetValue(agentId, out var entry))
        {
            entry = new AgentPresenceEntry(tenantId)
            {
                Chosen = _elsewhere.TryGetValue(agentId, out var elsewhere) ? elsewhere.Chosen : AgentStatuses.Online,
            };
            _agents[agentId] = entry;
        }
        return entry;
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Agent {AgentId} is {Status}")]
    private static partial void LogStatus(ILogger logger, string agentId, string status);

    [LoggerMessage(EventId = 415, Level = LogLevel.Information, Message = "Agent {AgentId} left this node after its grace period; held by another node: {HeldElsewhere}")]
    private static partial void LogLeft(ILogger logger, string agentId, bool heldElsewhere);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "The presence registry is unreachable (agent {AgentId}); presence changes wait until it answers")]
    private static partial void LogRegistryUnavailable(ILogger logger, Exception exception, string agentId);
}
