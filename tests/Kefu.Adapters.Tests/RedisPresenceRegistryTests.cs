using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Presence;
using Kefu.Redis;
using StackExchange.Redis;

namespace Kefu.Adapters.Tests;

/// <summary>The presence specification on Redis, plus what only Redis does: keys carry their own TTL.</summary>
public sealed class RedisPresenceRegistryTests(RedisFixture redis) : PresenceSpecification, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _keyPrefix = $"kefu-presence-{Guid.NewGuid():N}";
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

    protected override IPresenceRegistry CreateRegistry() => Registry();

    [SkippableFact]
    public async Task A_users_key_expires_in_Redis_one_lifetime_after_its_last_refresh()
    {
        var registry = Registry();

        await registry.HoldAsync("node-a", ["u_ttl"], CancellationToken.None).Within();

        var ttl = await _connection!.GetDatabase().KeyTimeToLiveAsync($"{_keyPrefix}:presence:u_ttl").Within();
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), Lifetime);
    }

    [SkippableFact]
    public async Task While_Redis_is_away_presence_calls_fail_with_PresenceUnavailableException()
    {
        await using var server = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        await using var connection = await RedisConnection.ConnectAsync(server.ConnectionString, CancellationToken.None).Within();
        var registry = new RedisPresenceRegistry(connection, new RedisPresenceOptions { KeyPrefix = _keyPrefix, EntryLifetime = Lifetime }, Time);
        await server.KillAsync();

        await Assert.ThrowsAsync<PresenceUnavailableException>(() => registry.NodesOfAsync("u_1", CancellationToken.None)).Within();
        await Assert.ThrowsAsync<PresenceUnavailableException>(() => registry.HoldAsync("node-a", ["u_1"], CancellationToken.None)).Within();
    }

    private RedisPresenceRegistry Registry()
    {
        _ = redis.ConnectionString; // skips, or fails under CI, when there is no Redis
        return new RedisPresenceRegistry(_connection!, new RedisPresenceOptions { KeyPrefix = _keyPrefix, EntryLifetime = Lifetime }, Time);
    }
}
