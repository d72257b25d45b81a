namespace Kefu.Core.Protocol;

/// <summary>
/// A file referenced by an <c>image</c>, <c>file</c> or <c>voice</c> message, as stored with the message. The
/// <c>message</c> frame adds <c>url</c> and, for images, <c>thumbnailUrl</c> (short-lived signed links) when it is built.
/// </summary>
public sealed record Attachment(
    string Id,
    string Name,
    long Size,
    string ContentType,
    int? Width = null,
    int? Height = null,
    double? DurationSeconds = null);
