namespace Kefu.Server.Tests.Infrastructure;

/// <summary>A server with a small upload limit, for the upload tests.</summary>
public sealed class TusServer : IAsyncLifetime
{
    public const long MaxBytes = 1024 * 1024;

    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Uploads__MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class TusServerGroup : ICollectionFixture<TusServer>
{
    public const string Name = "tus server";
}
