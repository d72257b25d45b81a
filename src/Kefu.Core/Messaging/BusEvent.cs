namespace Kefu.Core.Messaging;

/// <summary>
/// A frame for whichever nodes hold its audience. <see cref="Frame"/> is the serialized server frame, so a
/// node that holds many recipients serializes nothing. The store stays the truth: a lost event delays
/// delivery until the client syncs, it never loses a message.
/// </summary>
public sealed record BusEvent(
    string TenantId,
    string? ConversationId,
    long Seq,
    Audience Audience,
    ReadOnlyMemory<byte> Frame)
{
    /// <summary>
    /// True when another node published it (a bus between nodes says so); such a node's store changes reach
    /// this node only this way, so routing here learns of them from these events.
    /// </summary>
    public bool FromOtherNode { get; init; }
}

/// <summary>
/// Who receives a frame: the conversation's visitor, its assignee and watchers, optionally every agent of
/// the tenant, minus one user (typing is not echoed to the typist), plus one more user (a message's
/// sender, who may be neither visitor nor assignee).
/// </summary>
public sealed record Audience(string? VisitorId, string? AssigneeId, bool TenantAgents, string? ExcludeUserId, string? AlsoUserId = null);
