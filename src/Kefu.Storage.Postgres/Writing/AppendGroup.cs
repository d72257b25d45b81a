using Npgsql;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Runs a batch's appends together in two round trips, whatever their number: one query finds the messages
/// already stored under their client ids, then, with seqs counted on from the locked conversations, one
/// multi-row insert (inside a savepoint) stores all the new ones. Duplicates within the group answer with the
/// group's first message of that client id, so no seq is used up and none is skipped.
/// </summary>
internal static class AppendGroup
{
    /// <summary>
    /// Settles every op; null when done. When the database refuses the insert (another node stored one of the
    /// client ids in a conversation this batch does not lock, a value it cannot take), the insert is rolled
    /// back, the transaction stays usable and the refusal is returned: the caller undoes the group's effects.
    /// </summary>
    public static async Task<PostgresException?> TryRunAsync(WriterSession session, IReadOnlyList<AppendOp> ops)
    {
        var originals = await Messages.FindByClientIdsAsync(session, ops.Select(op => op.Message));
        var inserts = new List<Core.Storage.StoredMessage>(ops.Count);
        foreach (var op in ops)
        {
            var message = op.Message;
            var conversation = await session.GetConversationAsync(message.ConversationId);
            var key = (message.SenderId, message.ClientMsgId);
            var stored = op.Decide(session, conversation, message.ClientMsgId is null ? null : originals.GetValueOrDefault(key));
            if (stored is not null)
            {
                inserts.Add(stored);
                if (message.ClientMsgId is not null)
                {
                    originals[key] = stored;
                }
            }
        }
        return inserts.Count == 0 ? null : await Messages.TryInsertAllAsync(session, inserts);
    }
}
