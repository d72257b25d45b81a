using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Advances a cumulative receipt, clamped to the conversation's last seq. It never lowers a value, and
/// reports a change only when the value moved.
/// </summary>
internal sealed class ReceiptOp(string conversationId, string userId, string kind, long seq, CancellationToken cancellationToken)
    : WriteOp<ReceiptState>(cancellationToken)
{
    private const string Current = "SELECT delivered_seq, read_seq FROM receipts WHERE conversation_id = $1 AND user_id = $2;";

    private const string Upsert =
        "INSERT INTO receipts (conversation_id, user_id, delivered_seq, read_seq) VALUES ($1, $2, $3, $4) "
        + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET "
        + "delivered_seq = MAX(delivered_seq, excluded.delivered_seq), read_seq = MAX(read_seq, excluded.read_seq);";

    public override bool NeedsSavepoint => false;

    public override void Execute(WriterSession session)
    {
        var isRead = kind == ReceiptKinds.Read;
        var state = session.QuerySingle(Current, r => new ReceiptState(r.GetInt64(0), r.GetInt64(1)), conversationId, userId)
            ?? new ReceiptState(0, 0);
        var conversation = session.GetConversation(conversationId);
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
        session.Execute(Upsert, conversationId, userId, after.DeliveredSeq, after.ReadSeq);
        Emit(new ReceiptAdvanced(conversation, userId, kind, target));
        SetResult(after);
    }
}
