using Kefu.Core.Diagnostics;
using Kefu.Core.Messaging;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Realtime;
using Kefu.Server.Routing;
using Kefu.Server.Uploads;

namespace Kefu.Server.Conversations;

/// <summary>
/// Turns committed store changes into bus events, on the store's commit path and in commit order, so the
/// frames of one conversation leave in <c>seq</c> order. Fan-out happens only after the commit. Conversation
/// changes also go to routing, which derives queues and loads from them.
/// </summary>
internal sealed class StoreChangePublisher(IMessageBus bus, RoutingSignals routing, ActivityTracker activity, AttachmentWriter attachments, TimeProvider time) : IStoreObserver
{
    public void OnCommitted(StoreChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var c = change.Conversation;
        switch (change)
        {
            case MessageAppended appended:
                KefuMetrics.MessagesCommitted.Add(1);
                PublishMessage(c, appended.Message);
                if (c.Status == ConversationStatuses.Queued)
                {
                    // Nobody is assigned yet: agents watching the queue learn that its lastSeq moved.
                    bus.Publish(new BusEvent(c.TenantId, c.Id, 0,
                        new Audience(null, null, TenantAgents: true, ExcludeUserId: null),
                        FrameSerializer.Serialize(ConversationFrames.Snapshot(c), ProtocolJsonContext.Default.ConversationFrame)));
                }
                if (appended.Message.SenderType is SenderTypes.Visitor or SenderTypes.Agent && c.Status == ConversationStatuses.Open)
                {
                    activity.Touch(c.Id, time.GetUtcNow().ToUnixTimeMilliseconds());
                }
                break;
            case ConversationUpdated:
                if (c.Status == ConversationStatuses.Open)
                {
                    activity.Seen(c.Id, time.GetUtcNow().ToUnixTimeMilliseconds());
                }
                else
                {
                    activity.Forget(c.Id);
                }
                // Every agent of the tenant learns of queue changes; routing adds the visitor's queue position.
                routing.Committed(c, () => bus.Publish(new BusEvent(c.TenantId, c.Id, 0,
                    new Audience(c.VisitorId, c.AssigneeId, TenantAgents: true, ExcludeUserId: null),
                    FrameSerializer.Serialize(ConversationFrames.Snapshot(c), ProtocolJsonContext.Default.ConversationFrame))));
                break;
            case ReceiptAdvanced receipt:
                bus.Publish(new BusEvent(c.TenantId, c.Id, 0,
                    new Audience(c.VisitorId, c.AssigneeId, TenantAgents: false, ExcludeUserId: receipt.UserId),
                    FrameSerializer.Serialize(new ReceiptFrame(c.Id, receipt.UserId, receipt.Kind, receipt.Seq), ProtocolJsonContext.Default.ReceiptFrame)));
                break;
        }
    }

    /// <summary>
    /// A send repeated with the same <c>clientMsgId</c> announces its message again when it is still the
    /// conversation's latest. A node that dies between a commit and its publication leaves that message unheard,
    /// and when nothing follows it no gap tells the other participants; the sender, never acked, retries on
    /// another node. Connections and the sequencer drop whatever they already passed, so nobody gets it twice.
    /// </summary>
    public void AnnounceAgain(Conversation conversation, StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Seq == conversation.LastSeq)
        {
            PublishMessage(conversation, message);
        }
    }

    private void PublishMessage(Conversation c, StoredMessage message) =>
        bus.Publish(new BusEvent(c.TenantId, c.Id, message.Seq,
            new Audience(c.VisitorId, c.AssigneeId, TenantAgents: false, ExcludeUserId: null, AlsoUserId: message.SenderId),
            FrameSerializer.Message(message, attachments)));
}
