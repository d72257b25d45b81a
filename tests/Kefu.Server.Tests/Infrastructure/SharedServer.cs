namespace Kefu.Server.Tests.Infrastructure;

/// <summary>One server for the tests that do not need a configuration of their own (send limit lifted).</summary>
public sealed class SharedServer : IAsyncLifetime
{
    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
            ["Kefu__Admin__MaxConcurrent"] = "1000",
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedServerGroup : ICollectionFixture<SharedServer>
{
    public const string Name = "shared server";
}
