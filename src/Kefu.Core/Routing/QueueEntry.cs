namespace Kefu.Core.Routing;

/// <summary>A queued conversation with its key and the group it currently waits in.</summary>
internal sealed class QueueEntry(QueuedItem item, QueueKey key)
{
    public QueuedItem Item { get; } = item;

    public QueueKey Key { get; } = key;

    public string Group { get; set; } = "";

    /// <summary>The sticky agent while it alone may take the conversation.</summary>
    public string? StickyAgentId { get; set; }

    /// <summary>True while the item's skills are hard requirements.</summary>
    public bool SkillsRequired { get; set; }
}
