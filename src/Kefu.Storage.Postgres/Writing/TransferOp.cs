using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Gives a queued or open conversation to another agent with a <c>transferred</c> event. The agent's load is
/// counted under its advisory lock, as in <see cref="AssignOp"/>, so a transfer never exceeds capacity.
/// </summary>
internal sealed class TransferOp(string conversationId, AgentCandidate agent, RoutingActor by, CancellationToken cancellationToken)
    : WriteOp<Assignment?>(cancellationToken)
{
    public override bool NeedsSavepoint => true;

    public override string? ConversationToLock => conversationId;

    public override void AddLockKeys(List<string> keys, WriterSession session) => keys.Add(LockKeys.Agent(agent.AgentId));

    public override async Task ExecuteAsync(WriterSession session)
    {
        var conversation = await session.GetConversationAsync(conversationId);
        if (conversation is null || conversation.Status is not (ConversationStatuses.Queued or ConversationStatuses.Open)
            || conversation.AssigneeId == agent.AgentId
            || (long)(await session.ScalarAsync(AssignOp.OpenLoad, agent.AgentId))! >= agent.MaxConcurrent)
        {
            SetResult(null);
            return;
        }
        await session.ExecuteAsync(AssignOp.Update, conversation.Id, agent.AgentId, agent.DisplayName, Rows.Millis(session.Now()));
        var moved = conversation with { Status = ConversationStatuses.Open, AssigneeId = agent.AgentId, AssigneeName = agent.DisplayName };
        var meta = EventMeta.Of("transferred", ("fromAgentId", conversation.AssigneeId), ("agentId", agent.AgentId), ("agentName", agent.DisplayName),
            ("by", by.Id), ("byType", by.Type), ("byName", by.Name), ("note", by.Note));
        var stored = await Messages.AppendEventAsync(session, moved, meta);
        var after = moved with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(new Assignment(after, stored));
    }
}
