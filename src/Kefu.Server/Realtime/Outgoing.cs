namespace Kefu.Server.Realtime;

/// <summary>
/// One queued server frame, already serialized (a fan-out serializes once for all recipients).
/// <see cref="Seq"/> is set for <c>message</c> frames so a replay can drop what it already sent.
/// A non-zero <see cref="CloseCode"/> makes this a close request that goes out after the frames before it.
/// </summary>
internal readonly record struct Outgoing(ReadOnlyMemory<byte> Utf8, string? ConversationId = null, long Seq = 0, int CloseCode = 0, string? CloseReason = null)
{
    public bool IsMessage => Seq > 0;

    public static Outgoing Close(int code, string reason) => new(ReadOnlyMemory<byte>.Empty, CloseCode: code, CloseReason: reason);
}
