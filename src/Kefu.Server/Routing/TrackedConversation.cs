using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>A conversation that is queued or open, as the router last saw it.</summary>
internal sealed class TrackedConversation(Conversation conversation, string teamId, IReadOnlyList<string> skills, int priority)
{
    public Conversation Conversation { get; set; } = conversation;

    public string TeamId { get; set; } = teamId;

    public IReadOnlyList<string> Skills { get; } = skills;

    public int Priority { get; } = priority;

    public string? AssigneeId { get; set; }

    public long AssignedAtMs { get; set; }

    public string? PreferredAgentId { get; set; }

    /// <summary>
    /// When this node saw the conversation enter the queue (unix ms), for the queue wait metric; null when it is not
    /// queued, or was already queued when the node started.
    /// </summary>
    public long? QueuedAtMs { get; set; }

    public (int Position, int Eta) Announced { get; set; }

    /// <summary>When <see cref="Announced"/> was last told (the node's timestamp clock, ms).</summary>
    public long AnnouncedAtMs { get; set; }
}
