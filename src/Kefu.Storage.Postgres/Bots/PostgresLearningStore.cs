using Kefu.Core.Bots;
using Kefu.Storage.Postgres.Reading;
using Npgsql;

namespace Kefu.Storage.Postgres.Bots;

/// <summary>Unanswered questions and FAQ suggestions of the bot's learning loop.</summary>
internal sealed class PostgresLearningStore(PostgresReader reader) : ILearningStore
{
    private const string SuggestionColumns = "id, site_id, question, answer, target_entry_id, status, created_at, conversation_id";
    private const string UnansweredColumns = "id, site_id, conversation_id, question, at, nearest_entry_id";

    private const string UpsertUnanswered =
        "INSERT INTO bot_unanswered (" + UnansweredColumns + ") VALUES ($1, $2, $3, $4, $5, $6) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, conversation_id = excluded.conversation_id, "
        + "question = excluded.question, at = excluded.at, nearest_entry_id = excluded.nearest_entry_id;";

    // One statement, so two nodes taking the same conversation's question never both get it.
    private const string TakeLatest =
        "DELETE FROM bot_unanswered WHERE id = (SELECT id FROM bot_unanswered WHERE conversation_id = $1 "
        + "ORDER BY at DESC, id COLLATE \"C\" DESC LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + UnansweredColumns + ";";

    public async ValueTask AddUnansweredAsync(UnansweredQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        await reader.ExecuteAsync(
            UpsertUnanswered,
            cancellationToken,
            question.Id, question.SiteId, question.ConversationId, question.Question, question.At.ToUnixTimeMilliseconds(), question.NearestEntryId);
    }

    public async ValueTask<UnansweredQuestion?> TakeUnansweredAsync(string conversationId, CancellationToken cancellationToken) =>
        await reader.SingleAsync(TakeLatest, MapUnanswered, cancellationToken, conversationId);

    public async ValueTask AddSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        await reader.ExecuteAsync(
            "INSERT INTO faq_suggestions (" + SuggestionColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            cancellationToken,
            suggestion.Id, suggestion.SiteId, suggestion.Question, suggestion.Answer, suggestion.TargetEntryId,
            (int)suggestion.Status, suggestion.CreatedAt.ToUnixTimeMilliseconds(), suggestion.ConversationId);
    }

    public async ValueTask<FaqSuggestion?> GetSuggestionAsync(string id, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SuggestionColumns + " FROM faq_suggestions WHERE id = $1;", MapSuggestion, cancellationToken, id);

    public async ValueTask<bool> UpdateSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return await reader.ExecuteAsync(
            "UPDATE faq_suggestions SET question = $2, answer = $3, target_entry_id = $4, status = $5 WHERE id = $1;",
            cancellationToken,
            suggestion.Id, suggestion.Question, suggestion.Answer, suggestion.TargetEntryId, (int)suggestion.Status) > 0;
    }

    public async ValueTask<IReadOnlyList<FaqSuggestion>> ListSuggestionsAsync(string siteId, SuggestionStatus? status, CancellationToken cancellationToken) =>
        status is null
            ? await reader.ListAsync(
                "SELECT " + SuggestionColumns + " FROM faq_suggestions WHERE site_id = $1 ORDER BY created_at, id COLLATE \"C\";",
                MapSuggestion, cancellationToken, siteId)
            : await reader.ListAsync(
                "SELECT " + SuggestionColumns + " FROM faq_suggestions WHERE site_id = $1 AND status = $2 ORDER BY created_at, id COLLATE \"C\";",
                MapSuggestion, cancellationToken, siteId, (int)status.Value);

    private static UnansweredQuestion MapUnanswered(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Rows.Time(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetString(5));

    private static FaqSuggestion MapSuggestion(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        (SuggestionStatus)r.GetInt32(5),
        Rows.Time(r.GetInt64(6)),
        r.IsDBNull(7) ? null : r.GetString(7));
}
