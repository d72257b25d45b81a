using StackExchange.Redis;

namespace Kefu.Redis;

/// <summary>
/// Opens the multiplexer that a node's bus, presence registry and routing state share. It starts even while
/// Redis is away and reconnects forever; while disconnected, commands fail at once instead of queueing, so
/// the bus drops (the store is the truth) rather than replaying stale events later.
/// </summary>
public static class RedisConnection
{
    public static ConfigurationOptions Configure(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 5_000);
        return options;
    }

    public static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString, CancellationToken cancellationToken)
        => await ConnectionMultiplexer.ConnectAsync(Configure(connectionString)).WaitAsync(cancellationToken);
}
