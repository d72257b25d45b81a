namespace Kefu.Server.Tests.Infrastructure;

/// <summary>A server with protocol v1's default limits (and a short hello timeout to keep tests quick).</summary>
public sealed class LimitedServer : IAsyncLifetime
{
    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__HelloTimeoutSeconds"] = "2" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LimitedServerGroup : ICollectionFixture<LimitedServer>
{
    public const string Name = "limited server";
}
