using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Auth;

namespace Kefu.Server.Uploads;

/// <summary>
/// Short-lived signed download links, so <c>&lt;img src&gt;</c>, <c>&lt;a href&gt;</c> and <c>&lt;audio src&gt;</c> work
/// without an Authorization header: <c>/api/v1/uploads/{id}[/thumbnail]?exp={unix seconds}&amp;sig={base64url}</c>
/// where <c>sig</c> is HMAC-SHA256 over <c>id</c>, the variant and <c>exp</c>, keyed from the deployment's signing key
/// (shared by every node through the store). The link is a capability: whoever holds it may fetch that one file
/// until it expires. Expiries are rounded up to a whole bucket so frames built close together carry the same links
/// (the browser's cache keeps working).
/// </summary>
internal sealed class UploadLinks(SigningKeyRing keys, TimeProvider time)
{
    public const string File = "file";
    public const string Thumbnail = "thumbnail";

    /// <summary>A link lives at least this long...</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(15);

    /// <summary>...and at most this much longer (the rounding bucket).</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(5);

    private static readonly byte[] Purpose = "kefu/upload-link/v1"u8.ToArray();
    private byte[]? _key;

    public string FileUrl(string id) => Url(id, File);

    public string ThumbnailUrl(string id) => Url(id, Thumbnail);

    private string Url(string id, string variant)
    {
        var bucket = (long)Bucket.TotalSeconds;
        var earliest = time.GetUtcNow().Add(MinLifetime).ToUnixTimeSeconds();
        var expires = (earliest + bucket - 1) / bucket * bucket;
        var path = variant == File ? $"{TusEndpoints.BasePath}/{id}" : $"{TusEndpoints.BasePath}/{id}/{variant}";
        return string.Create(CultureInfo.InvariantCulture, $"{path}?exp={expires}&sig={Sign(id, variant, expires)}");
    }

    /// <summary>Whether <paramref name="sig"/> signs this id, variant and expiry, and the expiry has not passed.</summary>
    public bool IsValid(string id, string variant, string? exp, string? sig)
    {
        if (sig is null || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }
        if (expires <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(id, variant, expires));
        var given = Encoding.ASCII.GetBytes(sig);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private string Sign(string id, string variant, long expires)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}\n{variant}\n{expires}"));
        return Base64Url.EncodeToString(HMACSHA256.HashData(Key, message));
    }

    // A key of its own, derived from the signing key, so a link can never be confused with a token.
    private byte[] Key => _key ??= HMACSHA256.HashData(keys.Key, Purpose);
}
