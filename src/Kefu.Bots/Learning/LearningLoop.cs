using Kefu.Bots.Faq;
using Kefu.Core.Bots;
using Kefu.Core.Ids;

namespace Kefu.Bots.Learning;

/// <summary>
/// Turns agents' answers into knowledge: the server records each question the bot could not answer;
/// when an agent then replies in that conversation, the pair becomes a pending suggestion; an admin
/// approves (the knowledge base changes at once), edits or rejects it.
/// </summary>
public sealed class LearningLoop(ILearningStore store, FaqCatalog catalog, TimeProvider time)
{
    /// <summary>Call when the chain's outcome was Unknown or Suggested for a visitor's question.</summary>
    public async ValueTask RecordUnansweredAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ConversationId is null || string.IsNullOrWhiteSpace(context.Question))
        {
            return;
        }
        // Remember the nearest entry only when plausible: approving then widens that entry instead
        // of creating a near-duplicate.
        var nearest = catalog.Index.Search(context.SiteId, context.Question, 1);
        var target = nearest.Band == FaqBand.Suggest ? nearest.Top?.Entry.Id : null;
        var question = new UnansweredQuestion(
            IdGenerator.New("unq", time.GetUtcNow()), context.SiteId, context.ConversationId, context.Question.Trim(), time.GetUtcNow(), target);
        await store.AddUnansweredAsync(question, cancellationToken);
    }

    /// <summary>Call when an agent sends a text reply; returns the suggestion made, if the conversation had an open question.</summary>
    public async ValueTask<FaqSuggestion?> OnAgentReplyAsync(string conversationId, string agentReply, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(agentReply))
        {
            return null;
        }
        var question = await store.TakeUnansweredAsync(conversationId, cancellationToken);
        if (question is null)
        {
            return null;
        }
        var suggestion = new FaqSuggestion(
            IdGenerator.New("sug", time.GetUtcNow()), question.SiteId, question.Question, agentReply.Trim(),
            question.NearestEntryId, SuggestionStatus.Pending, time.GetUtcNow(), conversationId);
        await store.AddSuggestionAsync(suggestion, cancellationToken);
        return suggestion;
    }

    /// <summary>Changes a pending suggestion's wording or target before approval.</summary>
    public async ValueTask<FaqSuggestion?> EditAsync(string id, string question, string answer, string? targetEntryId, CancellationToken cancellationToken)
    {
        var suggestion = await PendingAsync(id, cancellationToken);
        if (suggestion is null)
        {
            return null;
        }
        var edited = suggestion with { Question = question.Trim(), Answer = answer.Trim(), TargetEntryId = targetEntryId };
        return await store.UpdateSuggestionAsync(edited, cancellationToken) ? edited : null;
    }

    /// <summary>
    /// Applies the suggestion: its question becomes an alternate of the target entry (whose answer
    /// stays), or a new entry with the agent's answer when there is no target (or it was deleted).
    /// Returns the entry that now answers the question.
    /// </summary>
    public async ValueTask<FaqEntry?> ApproveAsync(string id, CancellationToken cancellationToken)
    {
        var suggestion = await PendingAsync(id, cancellationToken);
        if (suggestion is null)
        {
            return null;
        }
        FaqEntry? entry = null;
        if (suggestion.TargetEntryId is { } target)
        {
            entry = await catalog.AddAlternateAsync(target, suggestion.Question, cancellationToken);
        }
        if (entry is null)
        {
            entry = new FaqEntry(IdGenerator.New("faq", time.GetUtcNow()), suggestion.SiteId, suggestion.Question, [], suggestion.Answer);
            await catalog.UpsertAsync(entry, cancellationToken);
        }
        await store.UpdateSuggestionAsync(suggestion with { Status = SuggestionStatus.Approved, TargetEntryId = entry.Id }, cancellationToken);
        return entry;
    }

    public async ValueTask<bool> RejectAsync(string id, CancellationToken cancellationToken)
    {
        var suggestion = await PendingAsync(id, cancellationToken);
        return suggestion is not null
            && await store.UpdateSuggestionAsync(suggestion with { Status = SuggestionStatus.Rejected }, cancellationToken);
    }

    private async ValueTask<FaqSuggestion?> PendingAsync(string id, CancellationToken cancellationToken)
    {
        var suggestion = await store.GetSuggestionAsync(id, cancellationToken);
        return suggestion is { Status: SuggestionStatus.Pending } ? suggestion : null;
    }
}
