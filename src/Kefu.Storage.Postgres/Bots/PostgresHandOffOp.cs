using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres.Writing;

namespace Kefu.Storage.Postgres.Bots;

/// <summary>Moves a conversation from <c>bot</c> to <c>queued</c> with a <c>handoff</c> event, and ends its bot session.</summary>
internal sealed class PostgresHandOffOp(string conversationId, string reason, CancellationToken cancellationToken)
    : WriteOp<Conversation?>(cancellationToken)
{
    private const string Update = "UPDATE conversations SET status = 'queued', updated_at = $2 WHERE id = $1;";

    private const string EndSession =
        "UPDATE bot_sessions SET handed_off_at = $2, ended = true, failures_in_a_row = 0 WHERE conversation_id = $1;";

    public override bool NeedsSavepoint => true;

    public override string? ConversationToLock => conversationId;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var conversation = await session.GetConversationAsync(conversationId);
        if (conversation is null || conversation.Status != ConversationStatuses.Bot)
        {
            SetResult(null);
            return;
        }
        var now = Rows.Millis(session.Now());
        await session.ExecuteAsync(Update, conversation.Id, now);
        await session.ExecuteAsync(EndSession, conversation.Id, now);
        var queued = conversation with { Status = ConversationStatuses.Queued };
        var stored = await Messages.AppendEventAsync(session, queued, EventMeta.Of("handoff", ("reason", reason)));
        var after = queued with { LastSeq = stored.Seq };
        session.Remember(after);
        Emit(new MessageAppended(after, stored));
        Emit(new ConversationUpdated(after));
        SetResult(after);
    }
}
