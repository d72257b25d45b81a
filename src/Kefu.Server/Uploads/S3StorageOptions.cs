namespace Kefu.Server.Uploads;

/// <summary>Where upload bytes go when <c>Kefu:Uploads:Storage</c> is <c>s3</c> (section <c>Kefu:Uploads:S3</c>).</summary>
internal sealed class S3StorageOptions
{
    /// <summary>The service's URL for an S3-compatible server (<c>http://127.0.0.1:9000</c>); empty for AWS itself (then <see cref="Region"/> picks the endpoint).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket; it must exist (Kefu never creates buckets).</summary>
    public string? Bucket { get; set; }

    /// <summary>The region requests are signed for (<c>us-east-1</c> by default, which most S3-compatible servers accept).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The access key id; with <see cref="SecretKey"/>. Both empty: the SDK's usual sources (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret access key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Addresses the bucket as <c>{ServiceUrl}/{Bucket}/key</c> instead of <c>{Bucket}.{host}</c>: needed by most self-hosted servers.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Put before every key (for example <c>kefu/uploads/</c>), to share a bucket.</summary>
    public string Prefix { get; set; } = "uploads/";
}
