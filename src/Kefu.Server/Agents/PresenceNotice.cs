using Kefu.Core.Messaging;
using Kefu.Server.Messaging;

namespace Kefu.Server.Agents;

/// <summary>A bus notice telling the other nodes that an agent's presence or chosen status changed, so they look it up in the presence registry.</summary>
internal static class PresenceNotice
{
    private static readonly BusNotice Notice = new("agent-presence");

    public static BusEvent For(string tenantId, string agentId) => Notice.For(tenantId, agentId);

    /// <summary>The agent a notice from another node is about.</summary>
    public static bool TryRead(BusEvent busEvent, out string agentId) => Notice.TryRead(busEvent, out agentId);
}
