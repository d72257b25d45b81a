using Kefu.Core.Messaging;
using Kefu.Core.Protocol;
using Kefu.Core.Routing;
using Kefu.Server.Conversations;
using Kefu.Server.Realtime;

namespace Kefu.Server.Routing;

/// <summary>
/// Tells each queued visitor its place (1 = next) and estimated wait whenever either changes. The wait is the
/// place times the team's average handling time, shared by the team's available agents.
/// </summary>
internal sealed class QueueAnnouncer(IRoutingState state, RouterBook book, RoutingSignals signals, IMessageBus bus)
{
    public void Announce(string teamId)
    {
        var average = book.HandleTimesOf(teamId).AverageSeconds;
        var agents = Math.Max(1, book.AvailableIn(teamId));
        lock (signals.AnnounceLock)
        {
            var position = 0;
            foreach (var item in state.Queue(teamId))
            {
                position++;
                var tracked = book.Find(item.ConversationId);
                if (tracked is null || !signals.IsQueued(item.ConversationId))
                {
                    continue;
                }
                var eta = (int)Math.Ceiling(position * average / agents);
                if (tracked.Announced == (position, eta))
                {
                    continue;
                }
                tracked.Announced = (position, eta);
                var c = tracked.Conversation;
                bus.Publish(new BusEvent(c.TenantId, c.Id, 0,
                    new Audience(c.VisitorId, null, TenantAgents: false, ExcludeUserId: null),
                    FrameSerializer.Serialize(ConversationFrames.Snapshot(c, position, eta), ProtocolJsonContext.Default.ConversationFrame)));
            }
        }
    }
}
