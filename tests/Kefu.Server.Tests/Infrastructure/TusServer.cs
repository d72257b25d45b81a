using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Hosting;
using Kefu.Server.Uploads;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>A server with a small upload limit, for the upload tests; its bytes on the local disk.</summary>
public class TusServer : IAsyncLifetime
{
    public const long MaxBytes = 1024 * 1024;
    private ServerProcess? _server;
    private string? _unavailable;

    /// <summary>The server; skips (under CI fails) the calling test when the storage it needs cannot run here.</summary>
    internal ServerProcess Server
    {
        get
        {
            if (_unavailable is not null)
            {
                if (RedisAvailability.IsCi)
                {
                    Assert.Fail($"{_unavailable} CI=true requires s3rver: it is a devDependency in web/package.json (npm ci in web/).");
                }
                Skip.If(true, $"{_unavailable} Run npm ci in web/ (s3rver is a devDependency there) to run the S3 storage tests.");
            }
            return _server!;
        }
    }

    /// <summary>The settings that pick the storage (none: local disk).</summary>
    internal virtual Dictionary<string, string> StorageSettings => [];

    public virtual async Task InitializeAsync() => await StartServerAsync();

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The storage the server uses, built on <paramref name="dataDir"/>, for tests that drive it directly.</summary>
    internal virtual IFileStorage CreateStorage(string dataDir) => new LocalFileStorage(Paths(dataDir));

    /// <summary>Whether the storage holds any bytes of the upload.</summary>
    internal virtual bool HasBytes(string dataDir, string id) => File.Exists(Paths(dataDir).Data(id));

    internal static UploadPaths Paths(string dataDir) => new(Options.Create(new StorageOptions { DataDir = dataDir }));

    protected async Task StartServerAsync()
    {
        var settings = new Dictionary<string, string>(StorageSettings)
        {
            ["Kefu__Uploads__MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _server = await ServerProcess.StartAsync(settings);
    }

    protected void MarkUnavailable(string reason) => _unavailable = reason;
}

/// <summary>The same server with its bytes in a real S3-compatible server (s3rver).</summary>
public sealed class S3TusServer : TusServer
{
    internal S3rverServer? S3 { get; private set; }

    internal override Dictionary<string, string> StorageSettings => S3!.KefuSettings();

    public override async Task InitializeAsync()
    {
        var (s3, why) = await S3rverServer.TryStartAsync();
        if (s3 is null)
        {
            MarkUnavailable(why);
            return;
        }
        S3 = s3;
        await StartServerAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (S3 is not null)
        {
            await S3.DisposeAsync();
        }
    }

    internal override IFileStorage CreateStorage(string dataDir) => new S3FileStorage(Options.Create(new UploadOptions
    {
        Storage = UploadOptions.S3Storage,
        S3 = new S3StorageOptions
        {
            ServiceUrl = $"http://127.0.0.1:{S3!.Port}",
            Bucket = S3rverServer.Bucket,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
            ForcePathStyle = true,
        },
    }), Paths(dataDir));

    internal override bool HasBytes(string dataDir, string id) => S3!.Keys($"uploads/{id}/").Count > 0;
}

[CollectionDefinition(Name)]
public sealed class TusServerGroup : ICollectionFixture<TusServer>
{
    public const string Name = "tus server";
}

[CollectionDefinition(Name)]
public sealed class S3TusServerGroup : ICollectionFixture<S3TusServer>
{
    public const string Name = "tus server on s3";
}
