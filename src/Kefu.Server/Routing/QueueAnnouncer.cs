using Kefu.Core.Messaging;
using Kefu.Core.Protocol;
using Kefu.Core.Routing;
using Kefu.Server.Conversations;
using Kefu.Server.Realtime;

namespace Kefu.Server.Routing;

/// <summary>
/// Tells each queued visitor its place (1 = next) and estimated wait whenever either changes. The wait is the
/// place times the team's average handling time, shared by the team's available agents. With several nodes
/// every node follows every queue, and only the node holding the visitor's connection tells it, so the
/// visitor hears one voice rather than one per node.
/// </summary>
internal sealed class QueueAnnouncer(IRoutingState state, RouterBook book, RoutingSignals signals, IMessageBus bus, ConnectionRegistry connections, TimeProvider time)
{
    private const long RefreshMs = 10_000;

    /// <param name="teamId">The queue to announce.</param>
    /// <param name="refresh">
    /// With several nodes: also repeats an unchanged place after a while, so a visitor whose last frame was
    /// overtaken on the way between nodes hears the right place again.
    /// </param>
    public void Announce(string teamId, bool refresh = false)
    {
        var now = time.GetTimestampMs();
        var average = book.HandleTimesOf(teamId).AverageSeconds;
        var agents = Math.Max(1, book.AvailableIn(teamId));
        var position = 0;
        foreach (var item in state.Queue(teamId))
        {
            position++;
            var tracked = book.Find(item.ConversationId);
            var eta = (int)Math.Ceiling(position * average / agents);
            if (tracked is null
                || (tracked.Announced == (position, eta) && (!refresh || now - tracked.AnnouncedAtMs < RefreshMs))
                || connections.OfUser(tracked.Conversation.VisitorId).Length == 0)
            {
                continue;
            }
            var c = tracked.Conversation;
            var frame = FrameSerializer.Serialize(ConversationFrames.Snapshot(c, position, eta), ProtocolJsonContext.Default.ConversationFrame);
            // Per conversation, so the store's commit path never waits for a whole queue's announcements.
            lock (signals.AnnounceLock)
            {
                if (!signals.IsQueued(item.ConversationId))
                {
                    continue;
                }
                bus.Publish(new BusEvent(c.TenantId, c.Id, 0, new Audience(c.VisitorId, null, TenantAgents: false, ExcludeUserId: null), frame));
            }
            tracked.Announced = (position, eta);
            tracked.AnnouncedAtMs = now;
        }
    }
}
