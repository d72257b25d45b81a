namespace Kefu.Core.Storage;

public sealed record Conversation(
    string Id,
    string TenantId,
    string SiteId,
    string VisitorId,
    string? TeamId,
    string Status,
    string? AssigneeId,
    string? AssigneeName,
    long LastSeq,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt);

public sealed record StoredMessage(
    string ConversationId,
    long Seq,
    string MsgId,
    string? ClientMsgId,
    string SenderType,
    string SenderId,
    string? SenderName,
    string Kind,
    string? Text,
    string? AttachmentJson,
    string? MetaJson,
    DateTimeOffset CreatedAt);

/// <summary>A message to append. The store assigns <c>seq</c>, <c>msgId</c> and the time inside the commit.</summary>
public sealed record NewMessage(
    string ConversationId,
    string SenderType,
    string SenderId,
    string? SenderName,
    string? ClientMsgId,
    string Kind,
    string? Text,
    string? AttachmentJson,
    string? MetaJson,
    AppendGuard? Guard = null);

public enum AppendOutcome
{
    Appended,
    Duplicate,
    NotFound,
    Closed,

    /// <summary>The sender may see the conversation but not write to it (an agent it is not assigned to).</summary>
    Forbidden,
}

/// <summary>
/// For <see cref="AppendOutcome.Duplicate"/>, <see cref="Message"/> is the original message (same id, seq
/// and time), so the caller answers with the original ack.
/// </summary>
public sealed record AppendResult(AppendOutcome Outcome, StoredMessage? Message);

/// <summary>A visitor's first send: reuse its open conversation on the site, or start one.</summary>
/// <remarks>
/// <see cref="Skills"/> are the conversation's required skills; a higher <see cref="Priority"/> waits less. With
/// <see cref="Bot"/> a new conversation starts in <c>bot</c> status (not queued), with the bot's welcome.
/// </remarks>
public sealed record StartConversation(
    string TenantId, string SiteId, string VisitorId, string? TeamId, string? ClientConvId, IReadOnlyList<string>? Skills = null, int Priority = 0, Bots.BotGreeting? Bot = null);

/// <summary><see cref="Started"/> is false when the visitor's open conversation (or the one with its clientConvId) already existed.</summary>
public sealed record ConversationStart(Conversation Conversation, bool Started);

public sealed record AgentCandidate(string AgentId, string DisplayName, int MaxConcurrent);

/// <summary>Result of an assignment attempt; <see cref="Event"/> is the stored <c>assigned</c> event.</summary>
public sealed record Assignment(Conversation Conversation, StoredMessage Event);

public enum CloseOutcome
{
    Closed,
    AlreadyClosed,
    NotFound,
}

public sealed record CloseResult(CloseOutcome Outcome, Conversation? Conversation);

public sealed record ReceiptState(long DeliveredSeq, long ReadSeq);

/// <summary>One participant's receipts and the best receipts of the other side of the conversation.</summary>
public sealed record ConversationReceipts(long OwnReadSeq, long PeerReadSeq, long PeerDeliveredSeq);

public sealed record AgentLoad(string AgentId, int OpenConversations);
