using System.Text.Json;
using System.Text.Json.Serialization;

// The constant "type" of each frame is an instance property so that it is serialized.
#pragma warning disable CA1822

namespace Kefu.Core.Protocol;

public sealed record WelcomeFrame(
    string Rid,
    string SessionId,
    string Role,
    string UserId,
    DateTimeOffset ServerTime,
    int HeartbeatSeconds,
    Limits Limits,
    IReadOnlyList<ConversationSummary> Conversations)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Welcome;
}

public sealed record Limits(int MaxTextLength, int SendsPer10Seconds, int MaxFrameBytes);

public sealed record ConversationSummary(
    string ConversationId,
    string Status,
    long LastSeq,
    Participant? Assignee,
    long ReadSeq,
    long PeerReadSeq,
    long PeerDeliveredSeq);

public sealed record Participant(string Id, string? Name);

public sealed record Sender(string Type, string Id, string? Name);

public sealed record AckFrame(string? Rid, string ClientMsgId, string ConversationId, string MsgId, long Seq, DateTimeOffset CreatedAt)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Ack;
}

public sealed record MessageFrame(
    string ConversationId,
    long Seq,
    string MsgId,
    string? ClientMsgId,
    Sender? Sender,
    string Kind,
    string? Text,
    JsonElement? Attachment,
    JsonElement? Meta,
    DateTimeOffset? CreatedAt)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Message;
}

public sealed record MessagesFrame(string? Rid, string ConversationId, IReadOnlyList<MessageFrame> Items, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Messages;
}

public sealed record ConversationFrame(
    string ConversationId,
    string Status,
    long LastSeq,
    Participant? Assignee,
    string? Team,
    int? QueuePosition,
    int? EstimatedWaitSeconds)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Conversation;
}

public sealed record ReceiptFrame(string ConversationId, string UserId, string Kind, long Seq)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Receipt;
}

public sealed record TypingFrame(string ConversationId, string UserId, bool Active)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Typing;
}

/// <summary>Extension frame: a visitor moved to another page; agents show it in the visitor panel.</summary>
public sealed record PageFrame(string ConversationId, string VisitorId, JsonElement Context)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Page;
}

public sealed record PongFrame(string? Rid, DateTimeOffset ServerTime)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Pong;
}

public sealed record ErrorFrame(string? Rid, string Code, string Message)
{
    [JsonPropertyOrder(-1)]
    public string Type => FrameTypes.Error;
}
