using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Message statements shared by the write ops.</summary>
internal static class Messages
{
    private const string Insert =
        "INSERT INTO messages (" + Rows.MessageColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        + "ON CONFLICT (sender_id, client_msg_id) DO NOTHING;";

    private const string ByClientId = "SELECT " + Rows.MessageColumns + " FROM messages WHERE sender_id = $1 AND client_msg_id = $2;";

    /// <summary>Inserts the message unless its <c>(senderId, clientMsgId)</c> is already stored; false then.</summary>
    public static async Task<bool> TryInsertAsync(WriterSession session, StoredMessage m)
    {
        return await session.ExecuteAsync(
            Insert,
            m.ConversationId,
            m.Seq,
            m.MsgId,
            m.ClientMsgId,
            m.SenderType,
            m.SenderId,
            m.SenderName,
            m.Kind,
            m.Text,
            m.AttachmentJson,
            m.MetaJson,
            Rows.Millis(m.CreatedAt)) == 1;
    }

    public static Task<StoredMessage?> FindByClientIdAsync(WriterSession session, string senderId, string clientMsgId)
        => session.QuerySingleAsync(ByClientId, Rows.Message, senderId, clientMsgId);

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
    public static async Task<StoredMessage> AppendEventAsync(WriterSession session, Conversation conversation, string metaJson)
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
        if (!await TryInsertAsync(session, stored))
        {
            throw new InvalidOperationException("A system event has no client id and cannot be a duplicate.");
        }
        return stored;
    }

    /// <summary>PostgreSQL text cannot hold U+0000; refusing it before any statement keeps the batch's transaction intact.</summary>
    public static void EnsureStorable(NewMessage m)
    {
        if (HasNul(m.ClientMsgId) || HasNul(m.SenderType) || HasNul(m.SenderId) || HasNul(m.SenderName) || HasNul(m.Kind)
            || HasNul(m.Text) || HasNul(m.AttachmentJson) || HasNul(m.MetaJson))
        {
            throw new ArgumentException("A message cannot contain the character U+0000.", nameof(m));
        }
    }

    private static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);
}
