namespace Kefu.Core.Storage;

/// <summary>Which conversations an agent's console list shows.</summary>
public enum ConversationListView
{
    /// <summary>Waiting for an agent.</summary>
    Queued,

    /// <summary>Not closed and assigned to the viewing agent.</summary>
    Mine,

    /// <summary>Every conversation of the tenant that is not closed.</summary>
    Open,

    /// <summary>Closed conversations, newest first.</summary>
    Closed,
}

/// <summary>
/// A row of the console's conversation list: the conversation with its visitor's name, how far the viewing
/// agent has read, and the newest message.
/// </summary>
public sealed record ConversationListItem(Conversation Conversation, string? VisitorName, long ReadSeq, StoredMessage? LastMessage, DateTimeOffset UpdatedAt);
