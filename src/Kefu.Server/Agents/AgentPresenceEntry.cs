namespace Kefu.Server.Agents;

/// <summary>One agent's presence on this node. Guarded by the presence's lock.</summary>
internal sealed class AgentPresenceEntry(string tenantId)
{
    public string TenantId { get; } = tenantId;

    public int Connections { get; set; }

    /// <summary>What the agent chose; an agent that connects is online unless it chose away.</summary>
    public string Chosen { get; set; } = AgentStatuses.Online;

    /// <summary>True from the last disconnect until the grace period ends.</summary>
    public ITimer? Grace { get; set; }

    public string Effective => Connections > 0 || Grace is not null ? Chosen : AgentStatuses.Offline;
}
