using Kefu.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Reading;

/// <summary>The agent console's conversation lists: one query per list, joined with the visitor, the agent's read receipt and the newest message.</summary>
internal sealed class ConsoleQueries(SqliteReader reader)
{
    private const int ConversationWidth = 11;
    private const int MessageWidth = 12;

    private const string Select =
        "SELECT " + Rows.ConversationColumns + ", v.name, COALESCE(r.read_seq, 0), "
        + "lm.conversation_id, lm.seq, lm.msg_id, lm.client_msg_id, lm.sender_type, lm.sender_id, lm.sender_name, lm.kind, lm.text, lm.attachment, lm.meta, lm.created_at "
        + "FROM conversations c "
        + "JOIN visitors v ON v.id = c.visitor_id "
        + "LEFT JOIN receipts r ON r.conversation_id = c.id AND r.user_id = $agent "
        + "LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = (SELECT MAX(m2.seq) FROM messages m2 WHERE m2.conversation_id = c.id) "
        + "WHERE c.tenant_id = $tenant AND ";

    private const string Order = " ORDER BY COALESCE(lm.created_at, c.created_at) DESC LIMIT $limit;";

    public async Task<IReadOnlyList<ConversationListItem>> ListAsync(string tenantId, string agentId, ConversationListView view, int limit, CancellationToken cancellationToken)
    {
        var filter = view switch
        {
            ConversationListView.Queued => "c.status = 'queued'",
            ConversationListView.Mine => "c.status <> 'closed' AND c.assignee_id = $agent",
            ConversationListView.Closed => "c.status = 'closed'",
            _ => "c.status <> 'closed'",
        };
        return await reader.ListAsync(
            Select + filter + Order,
            p =>
            {
                p.AddWithValue("$tenant", tenantId);
                p.AddWithValue("$agent", agentId);
                p.AddWithValue("$limit", limit);
            },
            Map,
            cancellationToken);
    }

    private static ConversationListItem Map(SqliteDataReader r)
    {
        var conversation = Rows.Conversation(r);
        var at = ConversationWidth;
        var visitorName = r.IsDBNull(at) ? null : r.GetString(at);
        var readSeq = r.GetInt64(at + 1);
        var m = at + 2;
        StoredMessage? last = r.IsDBNull(m) ? null : new StoredMessage(
            r.GetString(m),
            r.GetInt64(m + 1),
            r.GetString(m + 2),
            Text(r, m + 3),
            r.GetString(m + 4),
            r.GetString(m + 5),
            Text(r, m + 6),
            r.GetString(m + 7),
            Text(r, m + 8),
            Text(r, m + 9),
            Text(r, m + 10),
            Rows.Time(r.GetInt64(m + MessageWidth - 1)));
        return new ConversationListItem(conversation, visitorName, readSeq, last, last?.CreatedAt ?? conversation.CreatedAt);
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
