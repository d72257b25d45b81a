using System.Text.Json;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>The conversation and message reads.</summary>
internal sealed class ConversationQueries(SqliteReader reader)
{
    private const string ById = "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.id = $id;";

    private const string ForVisitor =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.visitor_id = $visitor ORDER BY c.created_at DESC, c.rowid DESC LIMIT $limit;";

    private const string OpenForAgent =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.assignee_id = $agent AND c.status <> 'closed' ORDER BY c.created_at, c.rowid;";

    // Each visitor's newest rows, ranked over the visitor index (ix_conversations_visitor); the ids come as a JSON array.
    private const string ForVisitors =
        "SELECT " + Rows.ConversationColumns + " FROM (SELECT rowid AS r, visitor_id AS v, "
        + "row_number() OVER (PARTITION BY visitor_id ORDER BY created_at DESC, rowid DESC) AS n "
        + "FROM conversations WHERE visitor_id IN (SELECT value FROM json_each($visitors))) ranked "
        + "JOIN conversations c ON c.rowid = ranked.r WHERE ranked.n <= $limit ORDER BY ranked.v, ranked.n;";

    private const string OpenForAgents =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.assignee_id IN (SELECT value FROM json_each($agents)) "
        + "AND c.status <> 'closed' ORDER BY c.assignee_id, c.created_at, c.rowid;";

    private const string Queued =
        "SELECT " + Rows.ConversationColumns + " FROM conversations c WHERE c.tenant_id = $tenant AND c.status = 'queued' ORDER BY c.created_at, c.rowid LIMIT $limit;";

    private const string After =
        "SELECT " + Rows.MessageColumns + " FROM messages WHERE conversation_id = $conversation AND seq > $seq ORDER BY seq LIMIT $limit;";

    // The newest rows before the cursor, turned back to ascending order.
    private const string Before =
        "SELECT * FROM (SELECT " + Rows.MessageColumns + " FROM messages WHERE conversation_id = $conversation AND seq < $seq ORDER BY seq DESC LIMIT $limit) ORDER BY seq;";

    private const string Receipts =
        "SELECT user_id, delivered_seq, read_seq FROM receipts WHERE conversation_id = $conversation;";

    private const string ByClientId = "SELECT " + Rows.MessageColumns + " FROM messages WHERE sender_id = $sender AND client_msg_id = $client;";

    private const string Load = "SELECT COUNT(*) FROM conversations WHERE assignee_id = $agent AND status = 'open';";

    public Task<Conversation?> GetAsync(string conversationId, CancellationToken cancellationToken)
        => reader.SingleAsync(ById, p => p.AddWithValue("$id", conversationId), Rows.Conversation, cancellationToken);

    public Task<StoredMessage?> FindByClientMsgIdAsync(string senderId, string clientMsgId, CancellationToken cancellationToken)
        => reader.SingleAsync(
            ByClientId,
            p =>
            {
                p.AddWithValue("$sender", senderId);
                p.AddWithValue("$client", clientMsgId);
            },
            Rows.Message,
            cancellationToken);

    public async Task<IReadOnlyList<Conversation>> ListForVisitorAsync(string visitorId, int limit, CancellationToken cancellationToken)
        => await reader.ListAsync(
            ForVisitor,
            p =>
            {
                p.AddWithValue("$visitor", visitorId);
                p.AddWithValue("$limit", limit);
            },
            Rows.Conversation,
            cancellationToken);

    public async Task<IReadOnlyList<Conversation>> ListOpenForAgentAsync(string agentId, CancellationToken cancellationToken)
        => await reader.ListAsync(OpenForAgent, p => p.AddWithValue("$agent", agentId), Rows.Conversation, cancellationToken);

    public async Task<IReadOnlyList<Conversation>> ListForVisitorsAsync(IReadOnlyList<string> visitorIds, int limitEach, CancellationToken cancellationToken)
        => visitorIds.Count == 0
            ? []
            : await reader.ListAsync(
                ForVisitors,
                p =>
                {
                    p.AddWithValue("$visitors", JsonSerializer.Serialize(visitorIds, StoreJsonContext.Default.IReadOnlyListString));
                    p.AddWithValue("$limit", limitEach);
                },
                Rows.Conversation,
                cancellationToken);

    public async Task<IReadOnlyList<Conversation>> ListOpenForAgentsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
        => agentIds.Count == 0
            ? []
            : await reader.ListAsync(
                OpenForAgents,
                p => p.AddWithValue("$agents", JsonSerializer.Serialize(agentIds, StoreJsonContext.Default.IReadOnlyListString)),
                Rows.Conversation,
                cancellationToken);

    public async Task<IReadOnlyList<Conversation>> ListQueuedAsync(string tenantId, int limit, CancellationToken cancellationToken)
        => await reader.ListAsync(
            Queued,
            p =>
            {
                p.AddWithValue("$tenant", tenantId);
                p.AddWithValue("$limit", limit);
            },
            Rows.Conversation,
            cancellationToken);

    public async Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
        => await ReadAsync(After, conversationId, afterSeq, limit, cancellationToken);

    public async Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversationId, long beforeSeq, int limit, CancellationToken cancellationToken)
        => await ReadAsync(Before, conversationId, beforeSeq, limit, cancellationToken);

    /// <summary>For a visitor the other side is everyone else; for anyone else it is the visitor.</summary>
    public async Task<ConversationReceipts> GetReceiptsAsync(Conversation conversation, string userId, CancellationToken cancellationToken)
    {
        var rows = await reader.ListAsync(
            Receipts,
            p => p.AddWithValue("$conversation", conversation.Id),
            r => (UserId: r.GetString(0), Delivered: r.GetInt64(1), Read: r.GetInt64(2)),
            cancellationToken);
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
        var loads = new AgentLoad[agentIds.Count];
        for (var i = 0; i < agentIds.Count; i++)
        {
            var agentId = agentIds[i];
            var count = await reader.ScalarAsync(Load, p => p.AddWithValue("$agent", agentId), cancellationToken);
            loads[i] = new AgentLoad(agentId, Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture));
        }
        return loads;
    }

    private Task<List<StoredMessage>> ReadAsync(string sql, string conversationId, long seq, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return reader.ListAsync(
            sql,
            p =>
            {
                p.AddWithValue("$conversation", conversationId);
                p.AddWithValue("$seq", seq);
                p.AddWithValue("$limit", limit);
            },
            Rows.Message,
            cancellationToken);
    }
}
