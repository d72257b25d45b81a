using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>Closes a conversation and appends the <c>closed</c> event, in one savepoint.</summary>
internal sealed class CloseOp(string conversationId, string byId, string byType, string? byName, CancellationToken cancellationToken)
    : WriteOp<CloseResult>(cancellationToken)
{
    private const string Update = "UPDATE conversations SET status = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1;";

    public override bool NeedsSavepoint => true;

    public override string? ConversationToLock => conversationId;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var conversation = await session.GetConversationAsync(conversationId);
        if (conversation is null)
        {
            SetResult(new CloseResult(CloseOutcome.NotFound, null));
            return;
        }
        if (conversation.Status == ConversationStatuses.Closed)
        {
            SetResult(new CloseResult(CloseOutcome.AlreadyClosed, conversation));
            return;
        }
        var now = session.Now();
        await session.ExecuteAsync(Update, conversation.Id, Rows.Millis(now));
        var closed = conversation with { Status = ConversationStatuses.Closed, ClosedAt = now };
        var stored = await Messages.AppendEventAsync(session, closed, EventMeta.Closed(byId, byType, byName));
        var after = closed with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(new CloseResult(CloseOutcome.Closed, after));
    }
}
