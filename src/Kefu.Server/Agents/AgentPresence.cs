using System.Collections.Concurrent;
using Kefu.Core.Storage;

namespace Kefu.Server.Agents;

/// <summary>
/// Which agents are online on this node (online while at least one connection is open), with what they
/// need for assignment. The routing issue's status and grace period build on this.
/// </summary>
internal sealed class AgentPresence
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, AgentCandidate>> _online = new(StringComparer.Ordinal);

    public void SetOnline(string tenantId, AgentCandidate agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _online.GetOrAdd(tenantId, _ => new ConcurrentDictionary<string, AgentCandidate>(StringComparer.Ordinal))[agent.AgentId] = agent;
    }

    public void SetOffline(string tenantId, string agentId)
    {
        if (_online.TryGetValue(tenantId, out var agents))
        {
            agents.TryRemove(agentId, out _);
        }
    }

    public AgentCandidate? Find(string tenantId, string agentId) =>
        _online.TryGetValue(tenantId, out var agents) && agents.TryGetValue(agentId, out var a) ? a : null;

    /// <summary>Online agents of a tenant, in a stable order (the store breaks load ties by this order).</summary>
    public IReadOnlyList<AgentCandidate> Online(string tenantId)
    {
        if (!_online.TryGetValue(tenantId, out var agents) || agents.IsEmpty)
        {
            return [];
        }
        var list = agents.Values.ToList();
        list.Sort(static (a, b) => string.CompareOrdinal(a.AgentId, b.AgentId));
        return list;
    }
}
