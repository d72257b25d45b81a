using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Agents;

/// <summary>
/// Agents' status on this node, kept per agent across its connections: online or away as the agent chose
/// while it has a connection, and for a grace period after its last one closes (it may be reconnecting),
/// then offline. Every change is signalled to routing.
/// </summary>
internal sealed partial class AgentPresence(RoutingSignals signals, IOptions<RoutingOptions> options, TimeProvider time, ILogger<AgentPresence> logger)
{
    private readonly Dictionary<string, AgentPresenceEntry> _agents = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Connected(string tenantId, string agentId)
    {
        bool changed;
        lock (_lock)
        {
            var entry = Entry(tenantId, agentId);
            var before = entry.Effective;
            entry.Connections++;
            entry.Grace?.Dispose();
            entry.Grace = null;
            changed = before != entry.Effective;
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
        }
        GoneOffline(agentId);
    }

    /// <summary>Sets the agent's chosen status; false for an unknown status.</summary>
    public bool SetStatus(string tenantId, string agentId, string status)
    {
        if (!AgentStatuses.IsKnown(status))
        {
            return false;
        }
        string before, after;
        lock (_lock)
        {
            var entry = Entry(tenantId, agentId);
            before = entry.Effective;
            entry.Chosen = status;
            after = entry.Effective;
        }
        LogStatus(logger, agentId, after);
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
            return _agents.TryGetValue(agentId, out var entry) ? entry.Effective : AgentStatuses.Offline;
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
        }
        GoneOffline(agentId);
    }

    private void GoneOffline(string agentId)
    {
        LogStatus(logger, agentId, AgentStatuses.Offline);
        signals.AgentChanged(agentId, wentOffline: true);
    }

    private AgentPresenceEntry Entry(string tenantId, string agentId)
    {
        if (!_agents.TryGetValue(agentId, out var entry))
        {
            entry = new AgentPresenceEntry(tenantId);
            _agents[agentId] = entry;
        }
        return entry;
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Agent {AgentId} is {Status}")]
    private static partial void LogStatus(ILogger logger, string agentId, string status);
}
