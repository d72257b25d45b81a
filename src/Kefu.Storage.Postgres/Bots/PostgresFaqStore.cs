using Kefu.Core.Bots;
using Kefu.Storage.Postgres.Reading;
using Npgsql;

namespace Kefu.Storage.Postgres.Bots;

/// <summary>
/// FAQ entries; each write is one statement committed on its own, visible to every node at once, that also bumps
/// the site's revision (<c>bot_revisions</c>, scope <c>faq:&lt;siteId&gt;</c>), and the old site's when an entry moves.
/// </summary>
internal sealed class PostgresFaqStore(PostgresReader reader, TimeProvider time) : IFaqStore
{
    private const string Columns = "id, site_id, question, alternates, answer, category";

    private const string BumpSites =
        "INSERT INTO bot_revisions (scope, revision) SELECT DISTINCT 'faq:' || site_id, 1 FROM touched "
        + "ON CONFLICT (scope) DO UPDATE SET revision = bot_revisions.revision + 1";

    private const string Upsert =
        "WITH before AS (SELECT site_id FROM faq_entries WHERE id = $1), "
        + "saved AS (INSERT INTO faq_entries (id, site_id, question, alternates, answer, category, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, question = excluded.question, alternates = excluded.alternates, "
        + "answer = excluded.answer, category = excluded.category, updated_at = excluded.updated_at RETURNING site_id), "
        + "touched AS (SELECT site_id FROM saved UNION SELECT site_id FROM before) "
        + BumpSites + ";";

    private const string Delete =
        "WITH touched AS (DELETE FROM faq_entries WHERE id = $1 RETURNING site_id) " + BumpSites + ";";

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
        await reader.ExecuteAsync(Delete, cancellationToken, id) > 0;

    public async ValueTask<long> GetRevisionAsync(string siteId, CancellationToken cancellationToken) =>
        await reader.ScalarAsync("SELECT revision FROM bot_revisions WHERE scope = 'faq:' || $1;", cancellationToken, siteId) is long revision ? revision : 0;

    private static FaqEntry Map(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetFieldValue<string[]>(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5));
}
