namespace Kefu.Core.Storage;

/// <summary>
/// What the server knows of one upload (its bytes live in file storage). Shared by every node through the store,
/// so any node can resume, serve or check an upload.
/// </summary>
/// <param name="SiteId">The visitor's site; null for an agent's upload.</param>
/// <param name="Offset">Bytes received so far (tus <c>Upload-Offset</c>).</param>
/// <param name="Width">Pixel width of an image the server decoded (it has a thumbnail then).</param>
/// <param name="StoredLength">Bytes stored when a rewrite (location metadata removed) changed them; else <c>Length</c>.</param>
public sealed record StoredUpload(
    string Id,
    string OwnerId,
    string TenantId,
    string? SiteId,
    long Length,
    long Offset,
    string Name,
    string ContentType,
    bool Complete,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int? Width = null,
    int? Height = null,
    long? StoredLength = null)
{
    /// <summary>Whether the file is an image the server decoded: it has dimensions and a thumbnail.</summary>
    public bool HasThumbnail => Width is not null && Height is not null;

    /// <summary>The size of the file as served.</summary>
    public long Size => StoredLength ?? Length;
}

/// <summary>Upload metadata and where each upload was sent. Thread-safe.</summary>
public interface IUploadStore
{
    Task<StoredUpload?> FindUploadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds the upload or replaces the one with the same id.</summary>
    Task SaveUploadAsync(StoredUpload upload, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a new upload of a site only if the site's bytes (as <see cref="SiteUploadBytesAsync"/> counts them) plus its
    /// length stay within <paramref name="quotaBytes"/>, as one atomic step: uploads created at the same moment, on any
    /// node, cannot together go past the quota. Returns null when added, else the bytes in use that refused it.
    /// </summary>
    Task<long?> TryAddUploadWithinQuotaAsync(StoredUpload upload, long quotaBytes, CancellationToken cancellationToken);

    /// <summary>Removes the upload and the record of where it was sent.</summary>
    Task DeleteUploadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ids of incomplete uploads whose expiry is at or before <paramref name="now"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListExpiredUploadsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Bytes a site's uploads take or have reserved (an incomplete upload counts its full length).</summary>
    Task<long> SiteUploadBytesAsync(string siteId, CancellationToken cancellationToken);

    /// <summary>Records that the upload was sent in the conversation (idempotent).</summary>
    Task AddUploadConversationAsync(string uploadId, string conversationId, CancellationToken cancellationToken);

    /// <summary>The conversations the upload was sent in.</summary>
    Task<IReadOnlyList<string>> ListUploadConversationsAsync(string uploadId, CancellationToken cancellationToken);
}
