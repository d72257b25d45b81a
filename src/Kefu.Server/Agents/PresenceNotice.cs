using System.Text;
using Kefu.Core.Messaging;

namespace Kefu.Server.Agents;

/// <summary>
/// A bus event telling the other nodes that an agent's presence or chosen status changed, so they look it up
/// in the presence registry. Its audience is nobody: it is never delivered to a client.
/// </summary>
internal static class PresenceNotice
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes("\0agent-presence:");
    private static readonly Audience Nobody = new(null, null, TenantAgents: false, ExcludeUserId: null);

    public static BusEvent For(string tenantId, string agentId) =>
        new(tenantId, null, 0, Nobody, (byte[])[.. Prefix, .. Encoding.UTF8.GetBytes(agentId)]);

    /// <summary>The agent a notice from another node is about.</summary>
    public static bool TryRead(BusEvent busEvent, out string agentId)
    {
        ArgumentNullException.ThrowIfNull(busEvent);
        agentId = "";
        var frame = busEvent.Frame.Span;
        if (!busEvent.FromOtherNode || busEvent.ConversationId is not null || busEvent.Audience != Nobody || !frame.StartsWith(Prefix) || frame.Length == Prefix.Length)
        {
            return false;
        }
        agentId = Encoding.UTF8.GetString(frame[Prefix.Length..]);
        return true;
    }
}
