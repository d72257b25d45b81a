namespace Kefu.Core.Bots;

/// <summary>A visitor question the bot could not answer, waiting for an agent's reply to learn from.</summary>
/// <param name="NearestEntryId">The closest FAQ entry at the time, when it was at least plausible.</param>
public sealed record UnansweredQuestion(
    string Id,
    string SiteId,
    string ConversationId,
    string Question,
    DateTimeOffset At,
    string? NearestEntryId = null);
