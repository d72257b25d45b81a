using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A server for the attachment tests: a known signing key (so a test can sign a link that is valid but expired)
/// and a low image-pixel limit (so a modest image stands in for a decompression bomb).
/// </summary>
public sealed class AttachmentServer : IAsyncLifetime
{
    public const string SigningKey = "attachment-tests-signing-key-0123456789";
    public const long MaxImagePixels = 1_000_000;

    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Auth__SigningKey"] = SigningKey,
            ["Kefu__Uploads__MaxImagePixels"] = MaxImagePixels.ToString(CultureInfo.InvariantCulture),
            ["Kefu__Uploads__MaxBytes"] = (4 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
            ["Kefu__Limits__ErrorsPerMinute"] = "1000",
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A link signed the way the server documents it (docs/uploads.md), for any expiry.</summary>
    public static string SignedPath(string id, string variant, long expires)
    {
        var key = HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(SigningKey)), "kefu/upload-link/v1"u8.ToArray());
        var sig = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}\n{variant}\n{expires}"))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var path = variant == "file" ? $"api/v1/uploads/{id}" : $"api/v1/uploads/{id}/{variant}";
        return string.Create(CultureInfo.InvariantCulture, $"{path}?exp={expires}&sig={sig}");
    }
}

[CollectionDefinition(Name)]
public sealed class AttachmentServerGroup : ICollectionFixture<AttachmentServer>
{
    public const string Name = "attachment server";
}
