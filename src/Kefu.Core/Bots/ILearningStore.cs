namespace Kefu.Core.Bots;

/// <summary>
/// Persistence for the bot's learning loop. Kefu.Bots ships an in-memory one; the server provides
/// one on its store. Implementations must be thread-safe.
/// </summary>
public interface ILearningStore
{
    ValueTask AddUnansweredAsync(UnansweredQuestion question, CancellationToken cancellationToken);

    /// <summary>Removes and returns the latest unanswered question of a conversation, if any.</summary>
    ValueTask<UnansweredQuestion?> TakeUnansweredAsync(string conversationId, CancellationToken cancellationToken);

    ValueTask AddSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken);

    ValueTask<FaqSuggestion?> GetSuggestionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the suggestion with the same id; false when there is none.</summary>
    ValueTask<bool> UpdateSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken);

    /// <summary>Suggestions of a site, oldest first; all statuses when <paramref name="status"/> is null.</summary>
    ValueTask<IReadOnlyList<FaqSuggestion>> ListSuggestionsAsync(string siteId, SuggestionStatus? status, CancellationToken cancellationToken);
}
