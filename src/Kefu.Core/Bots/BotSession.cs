namespace Kefu.Core.Bots;

/// <summary>
/// The bot's part of one conversation: how it started (mode, team and skills chosen at entry, so a handoff on
/// any node queues it as the visitor asked), how it goes (failures in a row) and how it ended.
/// </summary>
public sealed record BotSession(
    string ConversationId,
    string TenantId,
    string SiteId,
    string? TeamId,
    BotMode Mode,
    IReadOnlyList<string> Skills,
    int Priority,
    DateTimeOffset StartedAt,
    int FailuresInARow = 0,
    DateTimeOffset? HandedOffAt = null);
