using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Routing;
using Kefu.Redis;
using StackExchange.Redis;

namespace Kefu.Adapters.Tests;

/// <summary>The shared routing state specification on Redis, plus what only Redis does: failing while Redis is away.</summary>
public sealed class RedisClusterRoutingStateTests(RedisFixture redis) : ClusterRoutingStateSpecification, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _keyPrefix = $"kefu-routing-{Guid.NewGuid():N}";
    private IConnectionMultiplexer? _connection;

    public async Task InitializeAsync()
    {
        if (redis.IsAvailable)
        {
            _connection = await RedisConnection.ConnectAsync(redis.ConnectionString, CancellationToken.None).Within();
        }
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    protected override IClusterRoutingState CreateState()
    {
        _ = redis.ConnectionString; // skips, or fails under CI, when there is no Redis
        return new RedisClusterRoutingState(_connection!, new RedisRoutingStateOptions { KeyPrefix = _keyPrefix, ReservationLifetime = ReservationLifetime }, Time);
    }

    /// <summary>Deletes the test's keys: what FLUSHALL does to them, without touching other tests' keys.</summary>
    protected override async Task LoseAsync(IClusterRoutingState state)
    {
        var server = _connection!.GetServers()[0];
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _keyPrefix + ":*"))
        {
            keys.Add(key);
        }
        await _connection.GetDatabase().KeyDeleteAsync([.. keys]).Within();
    }

    [SkippableFact]
    public async Task While_Redis_is_away_calls_fail_with_SharedStateUnavailableException()
    {
        await using var server = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        await using var connection = await RedisConnection.ConnectAsync(server.ConnectionString, CancellationToken.None).Within();
        var state = new RedisClusterRoutingState(connection, new RedisRoutingStateOptions { KeyPrefix = _keyPrefix }, Time);
        await server.KillAsync();

        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.TicketAsync("c_1", CancellationToken.None)).Within();
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None)).Within();
    }
}
