using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Reopens a closed conversation into its team's queue (the visitor wrote again within the reopen window),
/// unassigned, with a <c>reopened</c> event. The visitor's other open conversation, if any, wins.
/// </summary>
internal sealed class ReopenQueuedOp(string conversationId, RoutingActor by, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string OtherOpen =
        "SELECT COUNT(*) FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed' AND id <> $3;";

    private const string Update =
        "UPDATE conversations SET status = 'queued', assignee_id = NULL, assignee_name = NULL, closed_at = NULL, updated_at = $2 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Closed
            || (long)session.Scalar(OtherOpen, conversation.SiteId, conversation.VisitorId, conversation.Id)! > 0)
        {
            SetResult(null);
            return;
        }
        session.Execute(Update, conversation.Id, Rows.Millis(session.Now()));
        var queued = conversation with { Status = ConversationStatuses.Queued, AssigneeId = null, AssigneeName = null, ClosedAt = null };
        var stored = Messages.AppendEvent(session, queued, EventMeta.Of("reopened", ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note)));
        var after = queued with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
