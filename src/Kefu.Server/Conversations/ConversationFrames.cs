using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Server.Conversations;

internal static class ConversationFrames
{
    public static ConversationFrame Snapshot(Conversation c, int? queuePosition = null, int? estimatedWaitSeconds = null) =>
        new(c.Id, c.Status, c.LastSeq, c.AssigneeId is null ? null : new Participant(c.AssigneeId, c.AssigneeName), c.TeamId, queuePosition, estimatedWaitSeconds);
}
