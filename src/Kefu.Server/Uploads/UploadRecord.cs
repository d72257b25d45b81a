namespace Kefu.Server.Uploads;

/// <summary>What the server knows of one upload; persisted as a JSON sidecar next to its bytes.</summary>
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
    DateTimeOffset ExpiresAt);
