using Kefu.Core.Bots;
using Kefu.Storage.Postgres.Reading;
using Npgsql;

namespace Kefu.Storage.Postgres.Bots;

/// <summary>FAQ entries; each write is one statement committed on its own, visible to every node at once.</summary>
internal sealed class PostgresFaqStore(PostgresReader reader, TimeProvider time) : IFaqStore
{
    private const string Columns = "id, site_id, question, alternates, answer, category";

    private const string Upsert =
        "INSERT INTO faq_entries (id, site_id, question, alternates, answer, category, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, question = excluded.question, alternates = excluded.alternates, "
        + "answer = excluded.answer, category = excluded.category, updated_at = excluded.updated_at;";

    public async ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken) =>
        siteId is null
            ? await reader.ListAsync("SELECT " + Columns + " FROM faq_entries ORDER BY site_id COLLATE \"C\", id COLLATE \"C\";", Map, cancellationToken)
            : await reader.ListAsync("SELECT " + Columns + " FROM faq_entries WHERE site_id = $1 ORDER BY id COLLATE \"C\";", Map, cancellationToken, siteId);

    public async ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string[] alternates = [.. entry.Alternates];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await reader.ExecuteAsync(Upsert, cancellationToken, entry.Id, entry.SiteId, entry.Question, alternates, entry.Answer, entry.Category, now);
    }

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await reader.ExecuteAsync("DELETE FROM faq_entries WHERE id = $1;", cancellationToken, id) > 0;

    private static FaqEntry Map(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetFieldValue<string[]>(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5));
}
