namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>
/// One Redis for a test class: the one named by <c>KEFU_TEST_REDIS</c>, else a fresh local redis-server.
/// Tests isolate themselves by a unique channel or key prefix, so they share it safely.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private string? _connectionString;
    private string? _unavailable;

    /// <summary>The connection string; skips (or under CI fails) the calling test when there is no Redis.</summary>
    public string ConnectionString
    {
        get
        {
            if (_connectionString is null)
            {
                RedisAvailability.Unavailable(_unavailable ?? "Redis was not started.");
            }
            return _connectionString!;
        }
    }

    public bool IsAvailable => _connectionString is not null;

    public async Task InitializeAsync()
    {
        if (RedisAvailability.ExternalConnectionString is { } external)
        {
            _connectionString = external;
            return;
        }
        var executable = RedisServer.FindExecutable();
        if (executable is null)
        {
            _unavailable = "redis-server is not on PATH and KEFU_TEST_REDIS is not set.";
            return;
        }
        _server = await RedisServer.StartAsync(executable);
        _connectionString = _server.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
