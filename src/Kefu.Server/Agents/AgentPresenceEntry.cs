namespace Kefu.Server.Agents;

/// <summary>One agent's presence on this node. Guarded by the presence's lock.</summary>
internal sealed class AgentPresenceEntry(string tenantId)
{
    public string TenantId { get; } = tenantId;

    public int Connections { get; set; }

    /// <summary>What the agent chose; an agent that connects is online unless it chose away.</summary>
    public string Chosen { get; set; } = AgentStatuses.Online;

    /// <summary>True from the last disconnect until the grace period ends (or until a release the registry could not take is tried again).</summary>
    public ITimer? Grace { get; set; }

    /// <summary>Choices made here not yet written to the registry: until then the registry's older value is not taken over.</summary>
    public int ChoicesInFlight { get; set; }

    /// <summary>True while this node's entry is being released from the registry.</summary>
    public bool Releasing { get; set; }

    /// <summary>Whether this node holds the agent: connected, or in its grace period.</summary>
    public bool Held => Connections > 0 || Grace is not null;
}
