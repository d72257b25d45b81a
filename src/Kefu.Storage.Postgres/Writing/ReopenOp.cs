using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Reopens a closed conversation for an agent and appends the <c>reopened</c> event, in one savepoint. The
/// visitor's advisory lock makes the "no other open conversation" check hold against other nodes.
/// </summary>
internal sealed class ReopenOp(string conversationId, AgentCandidate agent, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string OtherOpen =
        "SELECT COUNT(*) FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed' AND id <> $3;";

    private const string Update =
        "UPDATE conversations SET status = 'open', assignee_id = $2, assignee_name = $3, closed_at = NULL, updated_at = $4 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override string? ConversationToLock => conversationId;

    public override void AddLockKeys(List<string> keys, WriterSession session)
    {
        if (session.Locked(conversationId) is { } conversation)
        {
            keys.Add(LockKeys.Visitor(conversation.VisitorId));
        }
    }

    public override async Task ExecuteAsync(WriterSession session)
    {
        var conversation = await session.GetConversationAsync(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Closed
            || (long)(await session.ScalarAsync(OtherOpen, conversation.SiteId, conversation.VisitorId, conversation.Id))! > 0)
        {
            SetResult(null);
            return;
        }
        var now = session.Now();
        await session.ExecuteAsync(Update, conversation.Id, agent.AgentId, agent.DisplayName, Rows.Millis(now));
        var reopened = conversation with { Status = ConversationStatuses.Open, AssigneeId = agent.AgentId, AssigneeName = agent.DisplayName, ClosedAt = null };
        var stored = await Messages.AppendEventAsync(session, reopened, EventMeta.Reopened(agent.AgentId, agent.DisplayName));
        var after = reopened with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
