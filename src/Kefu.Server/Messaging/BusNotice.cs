using System.Text;
using Kefu.Core.Messaging;

namespace Kefu.Server.Messaging;

/// <summary>
/// A bus event between nodes that no client receives (its audience is nobody): a kind, as a prefix no client
/// frame starts with, and one value. Only notices from other nodes are read.
/// </summary>
internal sealed class BusNotice(string kind)
{
    private static readonly Audience Nobody = new(null, null, TenantAgents: false, ExcludeUserId: null);
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes("\0" + kind + ":");

    public BusEvent For(string tenantId, string value) =>
        new(tenantId, null, 0, Nobody, (byte[])[.. _prefix, .. Encoding.UTF8.GetBytes(value)]);

    /// <summary>The value of a notice of this kind from another node.</summary>
    public bool TryRead(BusEvent busEvent, out string value)
    {
        ArgumentNullException.ThrowIfNull(busEvent);
        value = "";
        var frame = busEvent.Frame.Span;
        if (!busEvent.FromOtherNode || busEvent.ConversationId is not null || busEvent.Audience != Nobody || !frame.StartsWith(_prefix) || frame.Length == _prefix.Length)
        {
            return false;
        }
        value = Encoding.UTF8.GetString(frame[_prefix.Length..]);
        return true;
    }
}
