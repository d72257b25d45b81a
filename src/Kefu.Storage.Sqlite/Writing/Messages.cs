using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>Message statements shared by the write ops.</summary>
internal static class Messages
{
    private const string Insert =
        "INSERT INTO messages (" + Rows.MessageColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        + "ON CONFLICT (sender_id, client_msg_id) DO NOTHING;";

    private const string ByClientId = "SELECT " + Rows.MessageColumns + " FROM messages WHERE sender_id = $1 AND client_msg_id = $2;";

    /// <summary>Inserts the message unless its <c>(senderId, clientMsgId)</c> is already stored; false then.</summary>
    public static bool TryInsert(WriterSession session, StoredMessage m)
    {
        var insert = session.Statement(Insert);
        insert.Bind(1, m.ConversationId);
        insert.Bind(2, m.Seq);
        insert.Bind(3, m.MsgId);
        insert.Bind(4, m.ClientMsgId);
        insert.Bind(5, m.SenderType);
        insert.Bind(6, m.SenderId);
        insert.Bind(7, m.SenderName);
        insert.Bind(8, m.Kind);
        insert.Bind(9, m.Text);
        insert.Bind(10, m.AttachmentJson);
        insert.Bind(11, m.MetaJson);
        insert.Bind(12, Rows.Millis(m.CreatedAt));
        return insert.Execute() == 1;
    }

    public static StoredMessage? FindByClientId(WriterSession session, string senderId, string clientMsgId)
        => session.QuerySingle(ByClientId, Rows.Message, senderId, clientMsgId);

    /// <summary>Builds the next message of <paramref name="conversation"/>: the following seq, a new id, now.</summary>
    public static StoredMessage Next(WriterSession session, Conversation conversation, NewMessage message)
    {
        var now = session.Now();
        return new StoredMessage(
            conversation.Id,
            conversation.LastSeq + 1,
            IdGenerator.New("m", now),
            message.ClientMsgId,
            message.SenderType,
            message.SenderId,
            message.SenderName,
            message.Kind,
            message.Text,
            message.AttachmentJson,
            message.MetaJson,
            now);
    }

    /// <summary>Appends a system <c>event</c> message (it takes a seq and replays like any message).</summary>
    public static StoredMessage AppendEvent(WriterSession session, Conversation conversation, string metaJson)
    {
        var now = session.Now();
        var stored = new StoredMessage(
            conversation.Id,
            conversation.LastSeq + 1,
            IdGenerator.New("m", now),
            null,
            SenderTypes.System,
            SenderTypes.System,
            null,
            MessageKinds.Event,
            null,
            null,
            metaJson,
            now);
        if (!TryInsert(session, stored))
        {
            throw new InvalidOperationException("A system event has no client id and cannot be a duplicate.");
        }
        return stored;
    }
}
