using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Puts an open conversation back in a queue, unassigned, with an <c>unassigned</c> or <c>transferred</c> event; when an
/// expected assignee is given, only while the conversation is still that agent's.
/// </summary>
internal sealed class RequeueOp(string conversationId, string? teamId, string? expectedAssigneeId, RoutingActor by, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string Update =
        "UPDATE conversations SET status = 'queued', assignee_id = NULL, assignee_name = NULL, team_id = COALESCE($2, team_id), updated_at = $3 WHERE id = $1;";

    private const string TeamOfTenant = "SELECT COUNT(*) FROM teams WHERE id = $1 AND tenant_id = $2;";

    public override bool NeedsSavepoint => true;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Open
            || (expectedAssigneeId is not null && conversation.AssigneeId != expectedAssigneeId)
            || (teamId is not null && (long)session.Scalar(TeamOfTenant, teamId, conversation.TenantId)! == 0))
        {
            SetResult(null);
            return;
        }
        session.Execute(Update, conversation.Id, teamId, Rows.Millis(session.Now()));
        var queued = conversation with { Status = ConversationStatuses.Queued, AssigneeId = null, AssigneeName = null, TeamId = teamId ?? conversation.TeamId };
        var meta = teamId is null
            ? EventMeta.Of("unassigned", ("fromAgentId", conversation.AssigneeId), ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note))
            : EventMeta.Of("transferred", ("fromAgentId", conversation.AssigneeId), ("toTeam", teamId), ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note));
        var stored = Messages.AppendEvent(session, queued, meta);
        var after = queued with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
