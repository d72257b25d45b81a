using Kefu.Core.Bots;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Storage.Sqlite.Writing;

namespace Kefu.Storage.Sqlite.Bots;

/// <summary>
/// Reopens a closed conversation the bot served and never handed off back to the bot (<c>bot</c> status, a
/// <c>reopened</c> event), and resumes its bot session. Null when it is not closed, was handed off, or the visitor
/// has another conversation open.
/// </summary>
internal sealed class SqliteReopenToBotOp(string conversationId, BotMode mode, RoutingActor by, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string OtherOpen =
        "SELECT COUNT(*) FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed' AND id <> $3;";

    private const string BotServed = "SELECT COUNT(*) FROM bot_sessions WHERE conversation_id = $1 AND handed_off_at IS NULL;";

    private const string Update =
        "UPDATE conversations SET status = 'bot', assignee_id = NULL, assignee_name = NULL, closed_at = NULL, updated_at = $2 WHERE id = $1;";

    private const string Resume =
        "UPDATE bot_sessions SET ended = 0, failures_in_a_row = 0, mode = $3, last_activity_at = $2 WHERE conversation_id = $1;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Closed
            || (long)session.Scalar(BotServed, conversation.Id)! == 0
            || (long)session.Scalar(OtherOpen, conversation.SiteId, conversation.VisitorId, conversation.Id)! > 0)
        {
            SetResult(null);
            return;
        }
        var now = Rows.Millis(session.Now());
        session.Execute(Update, conversation.Id, now);
        session.Execute(Resume, conversation.Id, now, BotModes.ToWire(mode));
        var served = conversation with { Status = ConversationStatuses.Bot, AssigneeId = null, AssigneeName = null, ClosedAt = null };
        var stored = Messages.AppendEvent(session, served, EventMeta.Of("reopened", ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note)));
        var after = served with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
