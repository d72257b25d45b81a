namespace Kefu.Core.Bots;

/// <summary>
/// A knowledge-base change proposed by the learning loop: the unanswered question and the agent's
/// reply. Approving adds <see cref="Question"/> as an alternate of <see cref="TargetEntryId"/> when
/// set, or a new entry otherwise.
/// </summary>
public sealed record FaqSuggestion(
    string Id,
    string SiteId,
    string Question,
    string Answer,
    string? TargetEntryId,
    SuggestionStatus Status,
    DateTimeOffset CreatedAt,
    string? ConversationId = null);
