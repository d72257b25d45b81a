namespace Kefu.Server.Uploads;

/// <summary>Resumable uploads and attachments (section <c>Kefu:Uploads</c>).</summary>
internal sealed class UploadOptions
{
    public const string Section = "Kefu:Uploads";
    public const string LocalStorage = "local";
    public const string S3Storage = "s3";

    /// <summary>Largest file accepted, in bytes (default 1 GiB); a site may only lower it.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>How long an incomplete upload lives after its last write.</summary>
    public int ExpirySeconds { get; set; } = 24 * 3600;

    /// <summary>How often expired partial uploads are swept.</summary>
    public int CleanupSeconds { get; set; } = 600;

    /// <summary>Images with more pixels than this are never decoded (no dimensions, no thumbnail): a decompression-bomb guard.</summary>
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Keep location metadata (EXIF GPS) in uploaded images; by default it is stripped.</summary>
    public bool KeepLocation { get; set; }

    /// <summary>Where the bytes live: <c>local</c> (the data folder, the default) or <c>s3</c> (see <see cref="S3"/>).</summary>
    public string Storage { get; set; } = LocalStorage;

    /// <summary>The S3-compatible store used when <see cref="Storage"/> is <c>s3</c>.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>The defaults every site gets; <see cref="Sites"/> overrides them per site key.</summary>
    public SiteUploadOptions Defaults { get; set; } = new()
    {
        QuotaBytes = 10L << 30,
    };

    /// <summary>Per site, by site key: <c>Kefu:Uploads:Sites:&lt;siteKey&gt;:QuotaBytes</c> and so on.</summary>
    public Dictionary<string, SiteUploadOptions> Sites { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Limits of one site's uploads; an unset value falls back to <c>Kefu:Uploads:Defaults</c>, then to <c>MaxBytes</c>.</summary>
internal sealed class SiteUploadOptions
{
    /// <summary>Largest file (at most <c>Kefu:Uploads:MaxBytes</c>).</summary>
    public long? MaxBytes { get; set; }

    /// <summary>Bytes all of the site's uploads may take together, partial ones counted at their full length.</summary>
    public long? QuotaBytes { get; set; }

    /// <summary>Largest file sent as kind <c>image</c>.</summary>
    public long? MaxImageBytes { get; set; }

    /// <summary>Largest file sent as kind <c>voice</c>.</summary>
    public long? MaxVoiceBytes { get; set; }

    /// <summary>Largest file sent as kind <c>file</c>.</summary>
    public long? MaxFileBytes { get; set; }

    /// <summary>Sniffed content types the site accepts (<c>image/png</c>, <c>image/*</c>, <c>application/octet-stream</c> for unknown); empty: any.</summary>
    public List<string>? AllowedTypes { get; set; }
}
