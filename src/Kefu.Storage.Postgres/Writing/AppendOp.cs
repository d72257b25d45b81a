using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Appends a message with the next seq of its (locked) conversation. A repeated <c>(senderId, clientMsgId)</c>
/// inserts nothing and returns the original message; its seq is not used up. One statement that cannot fail
/// on the database's side once the message is checked, so no savepoint.
/// </summary>
internal sealed class AppendOp(NewMessage message, CancellationToken cancellationToken) : WriteOp<AppendResult>(cancellationToken)
{
    public override bool NeedsSavepoint => false;

    public override string? ConversationToLock => message.ConversationId;

    public override async Task ExecuteAsync(WriterSession session)
    {
        Messages.EnsureStorable(message);
        var conversation = await session.GetConversationAsync(message.ConversationId);
        if (conversation is null)
        {
            SetResult(new AppendResult(AppendOutcome.NotFound, null));
            return;
        }
        if (conversation.Status == ConversationStatuses.Closed)
        {
            // A retry of a message stored before the close still gets its original ack.
            var original = message.ClientMsgId is null ? null : await Messages.FindByClientIdAsync(session, message.SenderId, message.ClientMsgId);
            SetResult(original is null ? new AppendResult(AppendOutcome.Closed, null) : new AppendResult(AppendOutcome.Duplicate, original));
            return;
        }
        var stored = Messages.Next(session, conversation, message);
        if (!await Messages.TryInsertAsync(session, stored))
        {
            var original = await Messages.FindByClientIdAsync(session, message.SenderId, message.ClientMsgId!)
                ?? throw new InvalidOperationException("A conflicting message vanished inside the writer's transaction.");
            SetResult(new AppendResult(AppendOutcome.Duplicate, original));
            return;
        }
        var after = conversation with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        SetResult(new AppendResult(AppendOutcome.Appended, stored));
    }
}
