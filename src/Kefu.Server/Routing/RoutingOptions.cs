namespace Kefu.Server.Routing;

/// <summary>Routing settings (section <c>Kefu:Routing</c>).</summary>
internal sealed class RoutingOptions
{
    public const string Section = "Kefu:Routing";

    /// <summary>How long an agent whose last connection dropped stays online (it may be reconnecting).</summary>
    public double AgentGraceSeconds { get; set; } = 30;

    /// <summary>
    /// How long a node's presence entry for an agent lives unless the node refreshes it (every third of it):
    /// an agent whose node died counts as gone this long after the node's last refresh, then the grace period applies.
    /// </summary>
    public double PresenceSeconds { get; set; } = 30;

    /// <summary>What happens to an agent's open conversations when it goes offline: <c>keep</c> or <c>requeue</c>.</summary>
    public string OnAgentOffline { get; set; } = "keep";

    /// <summary>How long a returning visitor waits for the agent who served it last; 0 turns sticky routing off.</summary>
    public double StickyWaitSeconds { get; set; } = 30;

    /// <summary>The handling time assumed for wait estimates until conversations have been closed.</summary>
    public double DefaultHandleSeconds { get; set; } = 180;

    /// <summary>How many recent handling times the wait estimate averages.</summary>
    public int HandleTimeSamples { get; set; } = 20;

    /// <summary>Priority given to visitors with a verified identity (VIP first); 0 treats them like everyone.</summary>
    public int IdentifiedPriority { get; set; } = 1;

    /// <summary>
    /// Whether a new conversation with nobody of its team online (within business hours) gets an <c>agentsAway</c>
    /// system event, so the visitor learns that agents are away and may leave contact details while it waits.
    /// </summary>
    public bool AnnounceAgentsAway { get; set; } = true;

    public bool RequeueOnOffline => string.Equals(OnAgentOffline, "requeue", StringComparison.OrdinalIgnoreCase);
}
