namespace Kefu.Core.Storage;

/// <summary>
/// Who may see and write a conversation. The store checks a message's <see cref="AppendGuard"/> against the
/// conversation inside the write, where it has the row at hand, so a send needs no read before it and the rule
/// holds against a transfer or close committed a moment earlier.
/// </summary>
public static class ConversationAccess
{
    /// <summary>Agents see their tenant's conversations; a visitor sees its own on its site.</summary>
    public static bool CanSee(Conversation conversation, string tenantId, string userId, string? siteId, bool isAgent)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return conversation.TenantId == tenantId
            && (isAgent || (conversation.VisitorId == userId && conversation.SiteId == siteId));
    }

    /// <summary>A visitor writes to what it sees; an agent only to what is assigned to it, unless it is an admin.</summary>
    public static bool CanWrite(Conversation conversation, string tenantId, string userId, string? siteId, bool isAgent, bool isAdmin) =>
        CanSee(conversation, tenantId, userId, siteId, isAgent) && (!isAgent || isAdmin || conversation.AssigneeId == userId);
}
