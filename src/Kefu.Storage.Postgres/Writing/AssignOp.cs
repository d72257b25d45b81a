using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Assigns a queued conversation to the least-loaded candidate with room. The batch holds an advisory lock
/// per candidate, so no other node's batch can assign to them until this one commits: the loads counted here
/// stay true and concurrent attempts never exceed a candidate's capacity.
/// </summary>
internal sealed class AssignOp(string conversationId, IReadOnlyList<AgentCandidate> candidates, CancellationToken cancellationToken)
    : WriteOp<Assignment?>(cancellationToken)
{
    internal const string OpenLoad = "SELECT COUNT(*) FROM conversations WHERE assignee_id = $1 AND status = 'open';";

    internal const string Update =
        "UPDATE conversations SET status = 'open', assignee_id = $2, assignee_name = $3, updated_at = $4 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override string? ConversationToLock => conversationId;

    public override void AddLockKeys(List<string> keys, WriterSession session)
    {
        foreach (var candidate in candidates)
        {
            keys.Add(LockKeys.Agent(candidate.AgentId));
        }
    }

    public override async Task ExecuteAsync(WriterSession session)
    {
        var conversation = await session.GetConversationAsync(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Queued)
        {
            SetResult(null);
            return;
        }
        AgentCandidate? chosen = null;
        var chosenLoad = long.MaxValue;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var load = (long)(await session.ScalarAsync(OpenLoad, candidate.AgentId))!;
            // Strictly less: ties go to the earlier candidate.
            if (load < candidate.MaxConcurrent && load < chosenLoad)
            {
                chosen = candidate;
                chosenLoad = load;
            }
        }
        if (chosen is null)
        {
            SetResult(null);
            return;
        }
        var now = session.Now();
        await session.ExecuteAsync(Update, conversation.Id, chosen.AgentId, chosen.DisplayName, Rows.Millis(now));
        var assigned = conversation with { Status = ConversationStatuses.Open, AssigneeId = chosen.AgentId, AssigneeName = chosen.DisplayName };
        var stored = await Messages.AppendEventAsync(session, assigned, EventMeta.Assigned(chosen.AgentId, chosen.DisplayName));
        var after = assigned with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(new Assignment(after, stored));
    }
}
