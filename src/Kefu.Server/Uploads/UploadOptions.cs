namespace Kefu.Server.Uploads;

/// <summary>Resumable uploads (section <c>Kefu:Uploads</c>).</summary>
internal sealed class UploadOptions
{
    public const string Section = "Kefu:Uploads";

    /// <summary>Largest file accepted, in bytes (default 1 GiB).</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>How long an incomplete upload lives after its last write.</summary>
    public int ExpirySeconds { get; set; } = 24 * 3600;

    /// <summary>How often expired partial uploads are swept.</summary>
    public int CleanupSeconds { get; set; } = 600;

    /// <summary>Images with more pixels than this are never decoded (no dimensions, no thumbnail): a decompression-bomb guard.</summary>
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Keep location metadata (EXIF GPS) in uploaded images; by default it is stripped.</summary>
    public bool KeepLocation { get; set; }
}
