namespace Kefu.Server.Uploads;

/// <summary>tus 1.0 header names and values.</summary>
internal static class Tus
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,termination,expiration";
    public const string OffsetContentType = "application/offset+octet-stream";

    public const string ResumableHeader = "Tus-Resumable";
    public const string VersionHeader = "Tus-Version";
    public const string ExtensionHeader = "Tus-Extension";
    public const string MaxSizeHeader = "Tus-Max-Size";
    public const string LengthHeader = "Upload-Length";
    public const string OffsetHeader = "Upload-Offset";
    public const string MetadataHeader = "Upload-Metadata";
    public const string ExpiresHeader = "Upload-Expires";
    public const string DeferLengthHeader = "Upload-Defer-Length";
}
