namespace Kefu.Core.Routing;

/// <summary>
/// A conversation waiting for an agent. Higher <see cref="Priority"/> goes first, then lower
/// <see cref="Sequence"/> (arrival order). <see cref="Skills"/> are hard requirements until
/// <see cref="SkillsUntilMs"/> (0: forever); <see cref="PreferredAgentId"/> alone may take it until
/// <see cref="PreferredUntilMs"/> (the sticky agent).
/// </summary>
public sealed record QueuedItem(
    string ConversationId,
    string TenantId,
    string TeamId,
    IReadOnlyList<string> Skills,
    int Priority,
    long Sequence,
    long SkillsUntilMs = 0,
    string? PreferredAgentId = null,
    long PreferredUntilMs = 0);
