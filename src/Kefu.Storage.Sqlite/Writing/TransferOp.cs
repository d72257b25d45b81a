using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Gives a queued or open conversation to another agent with a <c>transferred</c> event. The agent's load is
/// counted inside the writer's transaction, as in <see cref="AssignOp"/>, so a transfer never exceeds capacity.
/// </summary>
internal sealed class TransferOp(string conversationId, AgentCandidate agent, RoutingActor by, CancellationToken cancellationToken)
    : WriteOp<Assignment?>(cancellationToken)
{
    private const string OpenLoad = "SELECT COUNT(*) FROM conversations WHERE assignee_id = $1 AND status = 'open';";

    private const string Update =
        "UPDATE conversations SET status = 'open', assignee_id = $2, assignee_name = $3, updated_at = $4 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(conversationId);
        if (conversation is null || conversation.Status is not (ConversationStatuses.Queued or ConversationStatuses.Open)
            || conversation.AssigneeId == agent.AgentId
            || (long)session.Scalar(OpenLoad, agent.AgentId)! >= agent.MaxConcurrent)
        {
            SetResult(null);
            return;
        }
        session.Execute(Update, conversation.Id, agent.AgentId, agent.DisplayName, Rows.Millis(session.Now()));
        var moved = conversation with { Status = ConversationStatuses.Open, AssigneeId = agent.AgentId, AssigneeName = agent.DisplayName };
        var meta = EventMeta.Of("transferred", ("fromAgentId", conversation.AssigneeId), ("agentId", agent.AgentId), ("agentName", agent.DisplayName),
            ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note));
        var stored = Messages.AppendEvent(session, moved, meta);
        var after = moved with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(new Assignment(after, stored));
    }
}
