using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres.Reading;

/// <summary>The agent console's conversation lists: one query per list, joined with the visitor, the agent's read receipt and the newest message.</summary>
internal sealed class ConsoleQueries(PostgresReader reader)
{
    private const int ConversationWidth = 11;

    private const string Select =
        "SELECT " + Rows.ConversationColumns + ", v.name, COALESCE(r.read_seq, 0), "
        + "lm.conversation_id, lm.seq, lm.msg_id, lm.client_msg_id, lm.sender_type, lm.sender_id, lm.sender_name, lm.kind, lm.text, lm.attachment, lm.meta, lm.created_at "
        + "FROM conversations c "
        + "JOIN visitors v ON v.id = c.visitor_id "
        + "LEFT JOIN receipts r ON r.conversation_id = c.id AND r.user_id = $2 "
        + "LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = c.last_seq "
        + "WHERE c.tenant_id = $1 AND ";

    private const string Order = " ORDER BY COALESCE(lm.created_at, c.created_at) DESC LIMIT $3;";

    public async Task<IReadOnlyList<ConversationListItem>> ListAsync(string tenantId, string agentId, ConversationListView view, int limit, CancellationToken cancellationToken)
    {
        var filter = view switch
        {
            ConversationListView.Queued => "c.status = 'queued'",
            ConversationListView.Mine => "c.status <> 'closed' AND c.assignee_id = $2",
            ConversationListView.Closed => "c.status = 'closed'",
            _ => "c.status <> 'closed'",
        };
        return await reader.ListAsync(Select + filter + Order, Map, cancellationToken, tenantId, agentId, limit);
    }

    private static ConversationListItem Map(NpgsqlDataReader r)
    {
        var conversation = Rows.Conversation(r);
        var at = ConversationWidth;
        var visitorName = Rows.NullableString(r, at);
        var readSeq = r.GetInt64(at + 1);
        var m = at + 2;
        StoredMessage? last = r.IsDBNull(m) ? null : Rows.Message(r, m);
        return new ConversationListItem(conversation, visitorName, readSeq, last, last?.CreatedAt ?? conversation.CreatedAt);
    }
}
