using System.Collections.Concurrent;
using System.Threading.Channels;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>
/// The router's inbox, and the latest committed status of each conversation. Store changes arrive here on
/// the commit path (never blocking), so the router needs no reference to the store's observer. The router
/// announces a queue position only while it holds <see cref="AnnounceLock"/> and the conversation is still
/// queued here, so a visitor never gets a position after the snapshot that took it out of the queue.
/// </summary>
internal sealed class RoutingSignals
{
    private readonly Channel<RoutingSignal> _channel = Channel.CreateUnbounded<RoutingSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, string> _status = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoutingHint> _hints = new(StringComparer.Ordinal);

    public Lock AnnounceLock { get; } = new();

    public ChannelReader<RoutingSignal> Reader => _channel.Reader;

    public void Committed(Conversation conversation, Action publishSnapshot)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(publishSnapshot);
        lock (AnnounceLock)
        {
            if (conversation.Status == ConversationStatuses.Queued)
            {
                _status[conversation.Id] = conversation.Status;
            }
            else
            {
                _status.Remove(conversation.Id);
            }
            publishSnapshot();
        }
        _channel.Writer.TryWrite(new RoutingSignal(conversation, null));
    }

    /// <summary>A change another node committed, read back from the store: routing here follows it too.</summary>
    public void CommittedElsewhere(RoutableConversation routable)
    {
        ArgumentNullException.ThrowIfNull(routable);
        var conversation = routable.Conversation;
        lock (AnnounceLock)
        {
            if (conversation.Status == ConversationStatuses.Queued)
            {
                _status[conversation.Id] = conversation.Status;
            }
            else
            {
                _status.Remove(conversation.Id);
            }
        }
        _channel.Writer.TryWrite(new RoutingSignal(conversation, null, Elsewhere: routable));
    }

    /// <summary>True when the last committed status is queued. Call while holding <see cref="AnnounceLock"/>.</summary>
    public bool IsQueued(string conversationId) => _status.ContainsKey(conversationId);

    /// <summary>
    /// Conversations whose latest committed status this node has seen is queued: its own commits and, read back from
    /// the store, other nodes'. Every node follows every queue, so in a cluster each node reports the same total, a
    /// moment apart. Counted from what the node holds anyway: a scrape costs a lock, never a round trip.
    /// </summary>
    public int QueuedCount
    {
        get
        {
            lock (AnnounceLock)
            {
                return _status.Count;
            }
        }
    }

    /// <summary>Marks a conversation found queued in the store at start.</summary>
    public void MarkQueued(string conversationId)
    {
        lock (AnnounceLock)
        {
            _status.TryAdd(conversationId, Kefu.Core.Protocol.ConversationStatuses.Queued);
        }
    }

    /// <summary>Left by the conversation start before its commit, so routing finds it with the change.</summary>
    public void SetHint(string visitorId, RoutingHint hint) => _hints[visitorId] = hint;

    public RoutingHint? TakeHint(string visitorId) => _hints.TryRemove(visitorId, out var hint) ? hint : null;

    public void AgentChanged(string agentId, bool wentOffline = false) => _channel.Writer.TryWrite(new RoutingSignal(null, agentId, wentOffline));

    public void TeamsChanged(string tenantId) => _channel.Writer.TryWrite(new RoutingSignal(null, null, TenantId: tenantId));

    /// <summary>Wakes the router (a timer expired).</summary>
    public void Kick() => _channel.Writer.TryWrite(new RoutingSignal(null, null));
}
