namespace Kefu.Core.Storage;

/// <summary>The sender of a message as <see cref="ConversationAccess"/> judges it.</summary>
public sealed record AppendGuard(string TenantId, string UserId, string? SiteId, bool IsAgent, bool IsAdmin)
{
    /// <summary>Null when the sender may write; otherwise <see cref="AppendOutcome.NotFound"/> (it may not even see it) or <see cref="AppendOutcome.Forbidden"/>.</summary>
    public AppendOutcome? Check(Conversation conversation)
    {
        if (!ConversationAccess.CanSee(conversation, TenantId, UserId, SiteId, IsAgent))
        {
            return AppendOutcome.NotFound;
        }
        return ConversationAccess.CanWrite(conversation, TenantId, UserId, SiteId, IsAgent, IsAdmin) ? null : AppendOutcome.Forbidden;
    }
}
