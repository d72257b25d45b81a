using Kefu.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>What one server node holds of Redis in these tests: its own connection and its bus.</summary>
public sealed class RedisNode : IAsyncDisposable
{
    private RedisNode(IConnectionMultiplexer connection, RedisBus bus)
    {
        Connection = connection;
        Bus = bus;
    }

    public IConnectionMultiplexer Connection { get; }

    public RedisBus Bus { get; }

    public static async Task<RedisNode> StartAsync(string connectionString, string channelPrefix)
    {
        var connection = await RedisConnection.ConnectAsync(connectionString, CancellationToken.None).Within();
        var options = new RedisBusOptions { ChannelPrefix = channelPrefix, ProbeInterval = TimeSpan.FromMilliseconds(200) };
        var bus = await RedisBus.StartAsync(connection, options, TimeProvider.System, NullLogger<RedisBus>.Instance, CancellationToken.None).Within();
        return new RedisNode(connection, bus);
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync().AsTask().Within();
        await Connection.DisposeAsync();
    }
}
