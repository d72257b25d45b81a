using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Advances a cumulative receipt, clamped to the conversation's last seq. It never lowers a value (GREATEST
/// in the upsert, also against another node's concurrent receipt), and reports a change only when it moved.
/// </summary>
internal sealed class ReceiptOp(string conversationId, string userId, string kind, long seq, CancellationToken cancellationToken)
    : WriteOp<ReceiptState>(cancellationToken)
{
    private const string Current = "SELECT delivered_seq, read_seq FROM receipts WHERE conversation_id = $1 AND user_id = $2;";

    private const string Upsert =
        "INSERT INTO receipts AS r (conversation_id, user_id, delivered_seq, read_seq) VALUES ($1, $2, $3, $4) "
        + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET "
        + "delivered_seq = GREATEST(r.delivered_seq, excluded.delivered_seq), read_seq = GREATEST(r.read_seq, excluded.read_seq);";

    public override bool NeedsSavepoint => true;

    public override async Task ExecuteAsync(WriterSession session)
    {
        var isRead = kind == ReceiptKinds.Read;
        var state = await session.QuerySingleAsync(Current, r => new ReceiptState(r.GetInt64(0), r.GetInt64(1)), conversationId, userId)
            ?? new ReceiptState(0, 0);
        var conversation = await session.ReadConversationAsync(conversationId);
        if (conversation is null)
        {
            SetResult(state);
            return;
        }
        var target = Math.Clamp(seq, 0, conversation.LastSeq);
        var current = isRead ? state.ReadSeq : state.DeliveredSeq;
        if (target <= current)
        {
            SetResult(state);
            return;
        }
        var after = isRead ? state with { ReadSeq = target } : state with { DeliveredSeq = target };
        await session.ExecuteAsync(Upsert, conversationId, userId, after.DeliveredSeq, after.ReadSeq);
        Emit(new ReceiptAdvanced(conversation, userId, kind, target));
        SetResult(after);
    }
}
