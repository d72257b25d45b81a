using System.Text.Json;
using Kefu.Core.Bots;
using Kefu.Storage.Sqlite.Reading;
using Kefu.Storage.Sqlite.Writing;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Bots;

/// <summary>
/// FAQ entries, written through the store's writer and read from pooled connections. Each change bumps its site's
/// revision (<c>bot_revisions</c>, scope <c>faq:&lt;siteId&gt;</c>) in the same transaction.
/// </summary>
internal sealed class SqliteFaqStore(SqliteWriter writer, SqliteReader reader, TimeProvider time) : IFaqStore
{
    private const string Columns = "id, site_id, question, alternates, answer, category";

    private const string Upsert =
        "INSERT INTO faq_entries (id, site_id, question, alternates, answer, category, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, question = excluded.question, alternates = excluded.alternates, "
        + "answer = excluded.answer, category = excluded.category, updated_at = excluded.updated_at;";

    private const string Bump =
        "INSERT INTO bot_revisions (scope, revision) VALUES ('faq:' || $1, 1) ON CONFLICT (scope) DO UPDATE SET revision = revision + 1;";

    private const string SiteOf = "SELECT site_id FROM faq_entries WHERE id = $1;";

    public async ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            siteId is null
                ? "SELECT " + Columns + " FROM faq_entries ORDER BY site_id, id;"
                : "SELECT " + Columns + " FROM faq_entries WHERE site_id = $site ORDER BY id;",
            p =>
            {
                if (siteId is not null)
                {
                    p.AddWithValue("$site", siteId);
                }
            },
            Map,
            cancellationToken);

    public async ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var alternates = JsonSerializer.Serialize(entry.Alternates, StoreJsonContext.Default.IReadOnlyListString);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s =>
                {
                    if (s.Scalar(SiteOf, entry.Id) is string before && before != entry.SiteId)
                    {
                        s.Execute(Bump, before);
                    }
                    s.Execute(Upsert, entry.Id, entry.SiteId, entry.Question, alternates, entry.Answer, entry.Category, now);
                    return s.Execute(Bump, entry.SiteId);
                },
                cancellationToken),
            cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s =>
                {
                    if (s.Scalar(SiteOf, id) is not string siteId)
                    {
                        return 0;
                    }
                    s.Execute("DELETE FROM faq_entries WHERE id = $1;", id);
                    return s.Execute(Bump, siteId);
                },
                cancellationToken),
            cancellationToken) > 0;

    public async ValueTask<long> GetRevisionAsync(string siteId, CancellationToken cancellationToken) =>
        await reader.ScalarAsync("SELECT revision FROM bot_revisions WHERE scope = 'faq:' || $site;", p => p.AddWithValue("$site", siteId), cancellationToken) is long revision
            ? revision
            : 0;

    private static FaqEntry Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        JsonSerializer.Deserialize(r.GetString(3), StoreJsonContext.Default.IReadOnlyListString) ?? [],
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5));
}
