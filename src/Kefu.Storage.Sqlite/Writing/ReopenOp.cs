using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Reopens a closed conversation for an agent and appends the <c>reopened</c> event, in one savepoint. The
/// visitor's other open conversation, if any, wins: the partial unique index refuses the update.
/// </summary>
internal sealed class ReopenOp(string conversationId, AgentCandidate agent, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string OtherOpen =
        "SELECT COUNT(*) FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed' AND id <> $3;";

    private const string Update =
        "UPDATE conversations SET status = 'open', assignee_id = $2, assignee_name = $3, closed_at = NULL, updated_at = $4 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Closed
            || Convert.ToInt64(session.Scalar(OtherOpen, conversation.SiteId, conversation.VisitorId, conversation.Id), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            SetResult(null);
            return;
        }
        var now = session.Now();
        session.Execute(Update, conversation.Id, agent.AgentId, agent.DisplayName, Rows.Millis(now));
        var reopened = conversation with { Status = ConversationStatuses.Open, AssigneeId = agent.AgentId, AssigneeName = agent.DisplayName, ClosedAt = null };
        var stored = Messages.AppendEvent(session, reopened, EventMeta.Reopened(agent.AgentId, agent.DisplayName));
        var after = reopened with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
