using Kefu.Core.Storage;
using Kefu.Storage.Postgres.Reading;
using Npgsql;

namespace Kefu.Storage.Postgres.Uploads;

/// <summary>Upload metadata; each write is one statement committed on its own, visible to every node at once.</summary>
internal sealed class PostgresUploadStore(PostgresReader reader) : IUploadStore
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
        await reader.SingleAsync("SELECT " + Columns + " FROM uploads WHERE id = $1;", Map, cancellationToken, id);

    public async Task SaveUploadAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await reader.ExecuteAsync(Upsert, cancellationToken, upload.Id, upload.OwnerId, upload.TenantId, upload.SiteId, upload.Length, upload.Offset, upload.Name,
            upload.ContentType, upload.Complete, upload.CreatedAt.ToUnixTimeMilliseconds(), upload.ExpiresAt.ToUnixTimeMilliseconds(),
            upload.Width, upload.Height, upload.StoredLength);
    }

    public async Task<long?> TryAddUploadWithinQuotaAsync(StoredUpload upload, long quotaBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return await reader.InTransactionAsync(async command =>
        {
            // One creation per site at a time, across nodes; the sum below (a new snapshot) sees every reservation committed before.
            await using (var lockSite = command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0));", ["kefu/upload-quota/" + upload.SiteId]))
            {
                await lockSite.ExecuteNonQueryAsync(cancellationToken);
            }
            long used;
            await using (var sum = command(SiteBytes, [upload.SiteId]))
            {
                used = Convert.ToInt64(await sum.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }
            if (used + upload.Length > quotaBytes)
            {
                return (long?)used;
            }
            await using var insert = command(Upsert, [upload.Id, upload.OwnerId, upload.TenantId, upload.SiteId, upload.Length, upload.Offset, upload.Name,
                upload.ContentType, upload.Complete, upload.CreatedAt.ToUnixTimeMilliseconds(), upload.ExpiresAt.ToUnixTimeMilliseconds(),
                upload.Width, upload.Height, upload.StoredLength]);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }, cancellationToken);
    }

    public async Task DeleteUploadAsync(string id, CancellationToken cancellationToken) =>
        await reader.ExecuteAsync(
            "WITH sent AS (DELETE FROM upload_conversations WHERE upload_id = $1) DELETE FROM uploads WHERE id = $1;", cancellationToken, id);

    public async Task<IReadOnlyList<string>> ListExpiredUploadsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT id FROM uploads WHERE NOT complete AND expires_at <= $1 ORDER BY expires_at LIMIT $2;",
            r => r.GetString(0), cancellationToken, now.ToUnixTimeMilliseconds(), limit);

    public async Task<long> SiteUploadBytesAsync(string siteId, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await reader.ScalarAsync(SiteBytes, cancellationToken, siteId),
            System.Globalization.CultureInfo.InvariantCulture);

    public async Task AddUploadConversationAsync(string uploadId, string conversationId, CancellationToken cancellationToken) =>
        await reader.ExecuteAsync(
            "INSERT INTO upload_conversations (upload_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;", cancellationToken, uploadId, conversationId);

    public async Task<IReadOnlyList<string>> ListUploadConversationsAsync(string uploadId, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM upload_conversations WHERE upload_id = $1 ORDER BY conversation_id COLLATE \"C\";",
            r => r.GetString(0), cancellationToken, uploadId);

    private static StoredUpload Map(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetString(6),
        r.GetString(7),
        r.GetBoolean(8),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        r.IsDBNull(11) ? null : r.GetInt32(11),
        r.IsDBNull(12) ? null : r.GetInt32(12),
        r.IsDBNull(13) ? null : r.GetInt64(13));
}
