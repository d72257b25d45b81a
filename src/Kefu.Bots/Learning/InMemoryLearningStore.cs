using Kefu.Core.Bots;

namespace Kefu.Bots.Learning;

/// <summary>The learning loop's store for tests and single-node trials; lost on restart.</summary>
public sealed class InMemoryLearningStore : ILearningStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UnansweredQuestion> _unansweredByConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaqSuggestion> _suggestions = new(StringComparer.Ordinal);

    public ValueTask AddUnansweredAsync(UnansweredQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        lock (_gate)
        {
            // Only the latest matters: an agent's reply answers what the visitor asked last.
            _unansweredByConversation[question.ConversationId] = question;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<UnansweredQuestion?> TakeUnansweredAsync(string conversationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_unansweredByConversation.Remove(conversationId, out var question) ? question : null);
        }
    }

    public ValueTask AddSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        lock (_gate)
        {
            _suggestions.Add(suggestion.Id, suggestion);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<FaqSuggestion?> GetSuggestionAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_suggestions.GetValueOrDefault(id));
        }
    }

    public ValueTask<bool> UpdateSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        lock (_gate)
        {
            if (!_suggestions.ContainsKey(suggestion.Id))
            {
                return ValueTask.FromResult(false);
            }
            _suggestions[suggestion.Id] = suggestion;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<IReadOnlyList<FaqSuggestion>> ListSuggestionsAsync(string siteId, SuggestionStatus? status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<FaqSuggestion> list = [.. _suggestions.Values
                .Where(s => s.SiteId == siteId && (status is null || s.Status == status))
                .OrderBy(s => s.CreatedAt)
                .ThenBy(s => s.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }
}
