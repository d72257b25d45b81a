using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Message statements shared by the write ops.</summary>
internal static class Messages
{
    private const string Insert =
        "INSERT INTO messages (" + Rows.MessageColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        + "ON CONFLICT (sender_id, client_msg_id) DO NOTHING;";

    private const string InsertAll =
        "INSERT INTO messages (" + Rows.MessageColumns + ") SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
        + "$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[]);";

    private const string ByClientIds =
        "SELECT " + Rows.MessageColumns + " FROM messages WHERE (sender_id, client_msg_id) IN "
        + "(SELECT * FROM unnest($1::text[], $2::text[]));";

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

    /// <summary>
    /// Stores the messages with one statement, inside a savepoint; null when done, else the database's refusal
    /// (nothing of them kept, the transaction still usable). Their client ids must not be stored yet.
    /// </summary>
    public static Task<PostgresException?> TryInsertAllAsync(WriterSession session, List<StoredMessage> messages)
    {
        var count = messages.Count;
        var conversationIds = new string[count];
        var seqs = new long[count];
        var msgIds = new string[count];
        var clientMsgIds = new string?[count];
        var senderTypes = new string[count];
        var senderIds = new string[count];
        var senderNames = new string?[count];
        var kinds = new string[count];
        var texts = new string?[count];
        var attachments = new string?[count];
        var metas = new string?[count];
        var createdAts = new long[count];
        for (var i = 0; i < count; i++)
        {
            var m = messages[i];
            (conversationIds[i], seqs[i], msgIds[i], clientMsgIds[i], senderTypes[i], senderIds[i]) =
                (m.ConversationId, m.Seq, m.MsgId, m.ClientMsgId, m.SenderType, m.SenderId);
            (senderNames[i], kinds[i], texts[i], attachments[i], metas[i], createdAts[i]) =
                (m.SenderName, m.Kind, m.Text, m.AttachmentJson, m.MetaJson, Rows.Millis(m.CreatedAt));
        }
        return session.TryExecuteInSavepointAsync(
            InsertAll, conversationIds, seqs, msgIds, clientMsgIds, senderTypes, senderIds, senderNames, kinds, texts, attachments, metas, createdAts);
    }

    /// <summary>The stored messages with the client ids of <paramref name="messages"/>, by sender and client id.</summary>
    public static async Task<Dictionary<(string SenderId, string? ClientMsgId), StoredMessage>> FindByClientIdsAsync(
        WriterSession session, IEnumerable<NewMessage> messages)
    {
        var senders = new List<string>();
        var clientMsgIds = new List<string>();
        foreach (var message in messages)
        {
            if (message.ClientMsgId is not null)
            {
                senders.Add(message.SenderId);
                clientMsgIds.Add(message.ClientMsgId);
            }
        }
        var found = new Dictionary<(string SenderId, string? ClientMsgId), StoredMessage>();
        if (senders.Count > 0)
        {
            foreach (var original in await session.QueryAsync(ByClientIds, Rows.Message, senders.ToArray(), clientMsgIds.ToArray()))
            {
                found[(original.SenderId, original.ClientMsgId)] = original;
            }
        }
        return found;
    }

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

    /// <summary>False when a field holds U+0000, which PostgreSQL text cannot: refused before any statement, the batch's transaction stays intact.</summary>
    public static bool IsStorable(NewMessage m)
        => !(HasNul(m.ClientMsgId) || HasNul(m.SenderType) || HasNul(m.SenderId) || HasNul(m.SenderName) || HasNul(m.Kind)
            || HasNul(m.Text) || HasNul(m.AttachmentJson) || HasNul(m.MetaJson));

    private static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);
}
