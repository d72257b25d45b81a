using Kefu.Core.Bots;
using Kefu.Storage.Sqlite.Reading;
using Kefu.Storage.Sqlite.Writing;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Bots;

/// <summary>Unanswered questions and FAQ suggestions of the bot's learning loop.</summary>
internal sealed class SqliteLearningStore(SqliteWriter writer, SqliteReader reader) : ILearningStore
{
    private const string SuggestionColumns = "id, site_id, question, answer, target_entry_id, status, created_at, conversation_id";
    private const string UnansweredColumns = "id, site_id, conversation_id, question, at, nearest_entry_id";

    public async ValueTask AddUnansweredAsync(UnansweredQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s => s.Execute(
                    "INSERT OR REPLACE INTO bot_unanswered (" + UnansweredColumns + ") VALUES ($1, $2, $3, $4, $5, $6);",
                    question.Id, question.SiteId, question.ConversationId, question.Question, question.At.ToUnixTimeMilliseconds(), question.NearestEntryId),
                cancellationToken),
            cancellationToken);
    }

    public async ValueTask<UnansweredQuestion?> TakeUnansweredAsync(string conversationId, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<UnansweredQuestion?>(
                s =>
                {
                    var latest = s.QuerySingle(
                        "SELECT " + UnansweredColumns + " FROM bot_unanswered WHERE conversation_id = $1 ORDER BY at DESC, id DESC LIMIT 1;",
                        MapUnanswered,
                        conversationId);
                    if (latest is not null)
                    {
                        s.Execute("DELETE FROM bot_unanswered WHERE id = $1;", latest.Id);
                    }
                    return latest;
                },
                cancellationToken),
            cancellationToken);

    public async ValueTask AddSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken) =>
        await WriteSuggestionAsync("INSERT INTO", suggestion, cancellationToken);

    public async ValueTask<FaqSuggestion?> GetSuggestionAsync(string id, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SuggestionColumns + " FROM faq_suggestions WHERE id = $id;", p => p.AddWithValue("$id", id), MapSuggestion, cancellationToken);

    public async ValueTask<bool> UpdateSuggestionAsync(FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return await writer.EnqueueAsync(
            new SqlOp<int>(
                s => s.Execute(
                    "UPDATE faq_suggestions SET question = $2, answer = $3, target_entry_id = $4, status = $5 WHERE id = $1;",
                    suggestion.Id, suggestion.Question, suggestion.Answer, suggestion.TargetEntryId, (int)suggestion.Status),
                cancellationToken),
            cancellationToken) > 0;
    }

    public async ValueTask<IReadOnlyList<FaqSuggestion>> ListSuggestionsAsync(string siteId, SuggestionStatus? status, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT " + SuggestionColumns + " FROM faq_suggestions WHERE site_id = $site AND ($status IS NULL OR status = $status) ORDER BY created_at, id;",
            p =>
            {
                p.AddWithValue("$site", siteId);
                p.AddWithValue("$status", status is null ? DBNull.Value : (int)status.Value);
            },
            MapSuggestion,
            cancellationToken);

    private async ValueTask WriteSuggestionAsync(string verb, FaqSuggestion suggestion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s => s.Execute(
                    verb + " faq_suggestions (" + SuggestionColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
                    suggestion.Id, suggestion.SiteId, suggestion.Question, suggestion.Answer, suggestion.TargetEntryId,
                    (int)suggestion.Status, suggestion.CreatedAt.ToUnixTimeMilliseconds(), suggestion.ConversationId),
                cancellationToken),
            cancellationToken);
    }

    private static UnansweredQuestion MapUnanswered(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetString(5));

    private static FaqSuggestion MapSuggestion(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        (SuggestionStatus)r.GetInt32(5),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
        r.IsDBNull(7) ? null : r.GetString(7));
}
