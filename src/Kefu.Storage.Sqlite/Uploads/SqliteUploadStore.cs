using Kefu.Core.Storage;
using Kefu.Storage.Sqlite.Reading;
using Kefu.Storage.Sqlite.Writing;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Uploads;

/// <summary>Upload metadata, written through the store's writer and read from pooled connections.</summary>
internal sealed class SqliteUploadStore(SqliteWriter writer, SqliteReader reader) : IUploadStore
{
    private const string Columns =
        "id, owner_id, tenant_id, site_id, length, upload_offset, name, content_type, complete, created_at, expires_at, width, height, stored_length";

    private const string Upsert =
        "INSERT INTO uploads (" + Columns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        + "ON CONFLICT (id) DO UPDATE SET length = excluded.length, upload_offset = excluded.upload_offset, name = excluded.name, "
        + "content_type = excluded.content_type, complete = excluded.complete, expires_at = excluded.expires_at, width = excluded.width, "
        + "height = excluded.height, stored_length = excluded.stored_length;";

    private const string SiteBytes = "SELECT COALESCE(SUM(COALESCE(stored_length, length)), 0) FROM uploads WHERE site_id = $1;";

    public async Task<StoredUpload?> FindUploadAsync(string id, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + Columns + " FROM uploads WHERE id = $id;", p => p.AddWithValue("$id", id), Map, cancellationToken);

    public async Task SaveUploadAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute(Upsert, upload.Id, upload.OwnerId, upload.TenantId, upload.SiteId, upload.Length, upload.Offset, upload.Name,
                upload.ContentType, upload.Complete ? 1 : 0, upload.CreatedAt.ToUnixTimeMilliseconds(), upload.ExpiresAt.ToUnixTimeMilliseconds(),
                upload.Width, upload.Height, upload.StoredLength), cancellationToken),
            cancellationToken);
    }

    public async Task<long?> TryAddUploadWithinQuotaAsync(StoredUpload upload, long quotaBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        // The writer runs one operation at a time: the sum and the insert cannot interleave with another creation.
        return await writer.EnqueueAsync(
            new SqlOp<long?>(s =>
            {
                var used = Convert.ToInt64(s.Scalar(SiteBytes, upload.SiteId), System.Globalization.CultureInfo.InvariantCulture);
                if (used + upload.Length > quotaBytes)
                {
                    return used;
                }
                s.Execute(Upsert, upload.Id, upload.OwnerId, upload.TenantId, upload.SiteId, upload.Length, upload.Offset, upload.Name,
                    upload.ContentType, upload.Complete ? 1 : 0, upload.CreatedAt.ToUnixTimeMilliseconds(), upload.ExpiresAt.ToUnixTimeMilliseconds(),
                    upload.Width, upload.Height, upload.StoredLength);
                return null;
            }, cancellationToken),
            cancellationToken);
    }

    public async Task DeleteUploadAsync(string id, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute("DELETE FROM upload_conversations WHERE upload_id = $1;", id) + s.Execute("DELETE FROM uploads WHERE id = $1;", id), cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<string>> ListExpiredUploadsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT id FROM uploads WHERE complete = 0 AND expires_at <= $now ORDER BY expires_at LIMIT $limit;",
            p =>
            {
                p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                p.AddWithValue("$limit", limit);
            },
            r => r.GetString(0),
            cancellationToken);

    public async Task<long> SiteUploadBytesAsync(string siteId, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await reader.ScalarAsync(SiteBytes, p => p.AddWithValue("$1", siteId), cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

    public async Task AddUploadConversationAsync(string uploadId, string conversationId, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute("INSERT INTO upload_conversations (upload_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;", uploadId, conversationId), cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<string>> ListUploadConversationsAsync(string uploadId, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM upload_conversations WHERE upload_id = $id ORDER BY conversation_id;",
            p => p.AddWithValue("$id", uploadId),
            r => r.GetString(0),
            cancellationToken);

    private static StoredUpload Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetString(6),
        r.GetString(7),
        r.GetInt64(8) != 0,
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        r.IsDBNull(11) ? null : r.GetInt32(11),
        r.IsDBNull(12) ? null : r.GetInt32(12),
        r.IsDBNull(13) ? null : r.GetInt64(13));
}
