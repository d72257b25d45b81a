using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Reading;

/// <summary>The conversation and message reads.</summary>
internal sealed class ConversationQueries(PostgresReader reader)
{
    private const string ById = "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = $1;";

    private const string ForVisitor =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.visitor_id = $1 ORDER BY c.created_at DESC, c.ord DESC LIMIT $2;";

    private const string OpenForAgent =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.assignee_id = $1 AND c.status <> 'closed' ORDER BY c.created_at, c.ord;";

    // One index probe per visitor (ix_conversations_visitor), in the order of the array.
    private const string ForVisitors =
        "SELECT " + Rows.ConversationColumns + " FROM unnest($1::text[]) WITH ORDINALITY AS v(id, n) CROSS JOIN LATERAL "
        + "(SELECT * FROM conversations c WHERE c.visitor_id = v.id ORDER BY c.created_at DESC, c.ord DESC LIMIT $2) c ORDER BY v.n, c.created_at DESC, c.ord DESC;";

    private const string OpenForAgents =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.assignee_id = ANY($1) AND c.status <> 'closed' ORDER BY c.assignee_id, c.created_at, c.ord;";

    private const string Queued =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.tenant_id = $1 AND c.status = 'queued' ORDER BY c.created_at, c.ord LIMIT $2;";

    private const string After =
        "SELECT " + Rows.MessageColumns + " FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3;";

    // The newest rows before the cursor, turned back to ascending order.
    private const string Before =
        "SELECT * FROM (SELECT " + Rows.MessageColumns + " FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) newest ORDER BY seq;";

    private const string Receipts = "SELECT user_id, delivered_seq, read_seq FROM receipts WHERE conversation_id = $1;";

    private const string ByClientId = "SELECT " + Rows.MessageColumns + " FROM messages WHERE sender_id = $1 AND client_msg_id = $2;";

    private const string Loads =
        "SELECT assignee_id, COUNT(*)::integer FROM conversations WHERE assignee_id = ANY($1) AND status = 'open' GROUP BY assignee_id;";

    public Task<Conversation?> GetAsync(string conversationId, CancellationToken cancellationToken)
        => reader.SingleAsync(ById, Rows.Conversation, cancellationToken, conversationId);

    public Task<StoredMessage?> FindByClientMsgIdAsync(string senderId, string clientMsgId, CancellationToken cancellationToken)
        => reader.SingleAsync(ByClientId, Rows.Message, cancellationToken, senderId, clientMsgId);

    public async Task<IReadOnlyList<Conversation>> ListForVisitorAsync(string visitorId, int limit, CancellationToken cancellationToken)
        => await reader.ListAsync(ForVisitor, Rows.Conversation, cancellationToken, visitorId, limit);

    public async Task<IReadOnlyList<Conversation>> ListOpenForAgentAsync(string agentId, CancellationToken cancellationToken)
        => await reader.ListAsync(OpenForAgent, Rows.Conversation, cancellationToken, agentId);

    public async Task<IReadOnlyList<Conversation>> ListForVisitorsAsync(IReadOnlyList<string> visitorIds, int limitEach, CancellationToken cancellationToken)
        => visitorIds.Count == 0 ? [] : await reader.ListAsync(ForVisitors, Rows.Conversation, cancellationToken, visitorIds.ToArray(), limitEach);

    public async Task<IReadOnlyList<Conversation>> ListOpenForAgentsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
        => agentIds.Count == 0 ? [] : await reader.ListAsync(OpenForAgents, Rows.Conversation, cancellationToken, (object)agentIds.ToArray());

    public async Task<IReadOnlyList<Conversation>> ListQueuedAsync(string tenantId, int limit, CancellationToken cancellationToken)
        => await reader.ListAsync(Queued, Rows.Conversation, cancellationToken, tenantId, limit);

    public async Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await reader.ListAsync(After, Rows.Message, cancellationToken, conversationId, afterSeq, limit);
    }

    public async Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversationId, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await reader.ListAsync(Before, Rows.Message, cancellationToken, conversationId, beforeSeq, limit);
    }

    /// <summary>For a visitor the other side is everyone else; for anyone else it is the visitor.</summary>
    public async Task<ConversationReceipts> GetReceiptsAsync(Conversation conversation, string userId, CancellationToken cancellationToken)
    {
        var rows = await reader.ListAsync(
            Receipts,
            r => (UserId: r.GetString(0), Delivered: r.GetInt64(1), Read: r.GetInt64(2)),
            cancellationToken,
            conversation.Id);
        var isVisitor = userId == conversation.VisitorId;
        long ownRead = 0, peerRead = 0, peerDelivered = 0;
        foreach (var row in rows)
        {
            if (row.UserId == userId)
            {
                ownRead = row.Read;
            }
            else if (isVisitor || row.UserId == conversation.VisitorId)
            {
                peerRead = Math.Max(peerRead, row.Read);
                peerDelivered = Math.Max(peerDelivered, row.Delivered);
            }
        }
        return new ConversationReceipts(ownRead, peerRead, peerDelivered);
    }

    public async Task<IReadOnlyList<AgentLoad>> GetAgentLoadsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
    {
        var counted = await reader.ListAsync(Loads, r => (Id: r.GetString(0), Count: r.GetInt32(1)), cancellationToken, (object)agentIds.ToArray());
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, count) in counted)
        {
            byId[id] = count;
        }
        var loads = new AgentLoad[agentIds.Count];
        for (var i = 0; i < agentIds.Count; i++)
        {
            loads[i] = new AgentLoad(agentIds[i], byId.GetValueOrDefault(agentIds[i]));
        }
        return loads;
    }
}
