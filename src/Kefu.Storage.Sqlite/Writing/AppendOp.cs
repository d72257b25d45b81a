using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Appends a message with the next seq. A repeated <c>(senderId, clientMsgId)</c> inserts nothing (one
/// statement, so no savepoint) and returns the original message; its seq is not used up.
/// </summary>
internal sealed class AppendOp(NewMessage message, CancellationToken cancellationToken) : WriteOp<AppendResult>(cancellationToken)
{
    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session)
    {
        var conversation = session.GetConversation(message.ConversationId);
        if (conversation is null)
        {
            SetResult(new AppendResult(AppendOutcome.NotFound, null));
            return;
        }
        var refused = message.Guard?.Check(conversation)
            ?? (conversation.Status == ConversationStatuses.Closed ? AppendOutcome.Closed : null);
        if (refused is { } outcome)
        {
            // A retry of a message stored before the close (or a transfer) still gets its original ack.
            var original = message.ClientMsgId is null ? null : Messages.FindByClientId(session, message.SenderId, message.ClientMsgId);
            SetResult(original is null ? new AppendResult(outcome, null) : new AppendResult(AppendOutcome.Duplicate, original));
            return;
        }
        var stored = Messages.Next(session, conversation, message);
        if (!Messages.TryInsert(session, stored))
        {
            var original = Messages.FindByClientId(session, message.SenderId, message.ClientMsgId!)
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
