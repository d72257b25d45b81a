using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Server.Conversations;

internal sealed record VisitorRef(string Id, string? Name);

internal sealed record LastMessageDto(string Kind, string? Text, string SenderType, DateTimeOffset CreatedAt);

/// <summary>A conversation as the console lists it; <see cref="Unread"/> counts messages after the agent's read receipt.</summary>
internal sealed record ConversationItem(
    string ConversationId,
    string Status,
    VisitorRef Visitor,
    Participant? Assignee,
    string? Team,
    long LastSeq,
    long ReadSeq,
    long Unread,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    LastMessageDto? LastMessage)
{
    public static ConversationItem From(ConversationListItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var c = item.Conversation;
        var last = item.LastMessage;
        return new ConversationItem(
            c.Id,
            c.Status,
            new VisitorRef(c.VisitorId, item.VisitorName),
            c.AssigneeId is null ? null : new Participant(c.AssigneeId, c.AssigneeName),
            c.TeamId,
            c.LastSeq,
            item.ReadSeq,
            Math.Max(0, c.LastSeq - item.ReadSeq),
            c.CreatedAt,
            item.UpdatedAt,
            last is null ? null : new LastMessageDto(last.Kind, last.Text, last.SenderType, last.CreatedAt));
    }
}
