namespace Kefu.Server.Uploads;

/// <summary>What the server knows of one upload; persisted as a JSON sidecar next to its bytes.</summary>
/// <param name="Width">Pixel width of an image that could be read (a thumbnail exists then).</param>
/// <param name="Height">Pixel height of an image that could be read.</param>
/// <param name="StoredLength">Bytes stored when a rewrite (location metadata removed) changed them; else <c>Length</c>.</param>
/// <param name="SentIn">Conversations the file was sent in: their participants may download it.</param>
internal sealed record UploadRecord(
    string Id,
    string OwnerId,
    string TenantId,
    long Length,
    long Offset,
    string Name,
    string ContentType,
    bool Complete,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int? Width = null,
    int? Height = null,
    long? StoredLength = null,
    IReadOnlyList<string>? SentIn = null)
{
    /// <summary>The size of the file as served.</summary>
    public long Size => StoredLength ?? Length;

    /// <summary>Whether the file is an image the server decoded: it has dimensions and a thumbnail.</summary>
    public bool HasThumbnail => Width is not null && Height is not null;
}
