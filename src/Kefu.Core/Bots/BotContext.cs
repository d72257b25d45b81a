namespace Kefu.Core.Bots;

/// <summary>What a bot gets to answer one visitor question.</summary>
/// <param name="TeamId">The team the conversation is routed to, when known; rules may be scoped to it.</param>
/// <param name="History">Recent messages, oldest first, without the current question.</param>
public sealed record BotContext(
    string TenantId,
    string SiteId,
    string VisitorId,
    string? VisitorName,
    IReadOnlyList<BotTurn> History,
    string Question,
    string? TeamId = null,
    string? ConversationId = null);
