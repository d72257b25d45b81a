using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Appends a message with the next seq of its (locked) conversation. A repeated <c>(senderId, clientMsgId)</c>
/// inserts nothing and returns the original message; its seq is not used up. The batch runs its appends
/// together (see <see cref="AppendGroup"/>); run alone, an append is a group of one.
/// </summary>
internal sealed class AppendOp(NewMessage message, CancellationToken cancellationToken) : WriteOp<AppendResult>(cancellationToken)
{
    // Its only statement runs inside a savepoint of its own (AppendGroup), and a message that cannot be stored is refused before it.
    public override bool NeedsSavepoint => false;

    public override string? ConversationToLock => message.ConversationId;

    public NewMessage Message => message;

    /// <summary>False when PostgreSQL could not store the message (text cannot hold U+0000); it then fails alone, before any statement.</summary>
    public bool IsStorable => Messages.IsStorable(message);

    public override async Task ExecuteAsync(WriterSession session)
    {
        if (!IsStorable)
        {
            throw new ArgumentException("A message cannot contain the character U+0000.");
        }
        if (await AppendGroup.TryRunAsync(session, [this]) is { } refusal)
        {
            throw new InvalidOperationException("The database refused the message.", refusal);
        }
    }

    /// <summary>
    /// Settles the append from what the batch knows: its conversation (locked; null when there is none) and the
    /// stored message with the same client id (null when there is none). Returns the message to insert, or null
    /// when the answer needs no insert.
    /// </summary>
    public StoredMessage? Decide(WriterSession session, Conversation? conversation, StoredMessage? original)
    {
        if (conversation is null)
        {
            SetResult(new AppendResult(AppendOutcome.NotFound, null));
            return null;
        }
        if (original is not null)
        {
            // Also for a closed conversation: a retry of a message stored before the close still gets its original ack.
            SetResult(new AppendResult(AppendOutcome.Duplicate, original));
            return null;
        }
        if (message.Guard?.Check(conversation) is { } refused)
        {
            SetResult(new AppendResult(refused, null));
            return null;
        }
        if (conversation.Status == ConversationStatuses.Closed)
        {
            SetResult(new AppendResult(AppendOutcome.Closed, null));
            return null;
        }
        var stored = Messages.Next(session, conversation, message);
        var after = conversation with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        SetResult(new AppendResult(AppendOutcome.Appended, stored));
        return stored;
    }
}
