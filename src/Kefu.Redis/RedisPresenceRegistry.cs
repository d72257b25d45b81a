using Kefu.Core.Presence;
using StackExchange.Redis;

namespace Kefu.Redis;

/// <summary>
/// Presence in Redis: one sorted set per user, member = node id, score = the entry's expiry (unix ms from
/// the injected clock). Reads keep only unexpired members; every write also drops expired members and sets
/// the key's own TTL to one lifetime, so a user nobody holds any more leaves nothing behind in Redis.
/// Writes for many users go out pipelined in one batch. A user's chosen status is one plain key
/// (<c>{prefix}:chosen:{userId}</c>) without expiry: one short value per agent.
/// </summary>
public sealed class RedisPresenceRegistry : IPresenceRegistry
{
    private readonly IConnectionMultiplexer _redis;
    private const string ReleaseScript = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        return redis.call('ZCARD', KEYS[1])
        """;

    private readonly string _keyPrefix;
    private readonly string _chosenPrefix;
    private readonly TimeProvider _time;

    public RedisPresenceRegistry(IConnectionMultiplexer redis, RedisPresenceOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _redis = redis;
        _keyPrefix = options.KeyPrefix + ":presence:";
        _chosenPrefix = options.KeyPrefix + ":chosen:";
        _time = timeProvider;
        EntryLifetime = options.EntryLifetime;
    }

    public TimeSpan EntryLifetime { get; }

    public async Task HoldAsync(string nodeId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var expiresAt = now + (long)EntryLifetime.TotalMilliseconds;
        await Guard(() =>
        {
            var batch = _redis.GetDatabase().CreateBatch();
            var writes = new List<Task>(userIds.Count * 3);
            foreach (var userId in userIds)
            {
                var key = Key(userId);
                writes.Add(batch.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now));
                writes.Add(batch.SortedSetAddAsync(key, nodeId, expiresAt));
                writes.Add(batch.KeyExpireAsync(key, EntryLifetime));
            }
            batch.Execute();
            return Task.WhenAll(writes);
        }, cancellationToken);
    }

    public async Task<bool> ReleaseAsync(string nodeId, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(userId);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        RedisResult? left = null;
        // One script, so that of two nodes releasing the same user at once exactly one sees none left.
        await Guard(async () => left = await _redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key(userId)], [nodeId, now]), cancellationToken);
        return (long)left! == 0;
    }

    public async Task SetChosenAsync(string userId, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(status);
        await Guard(() => _redis.GetDatabase().StringSetAsync(_chosenPrefix + userId, status), cancellationToken);
    }

    public async Task<string?> ChosenOfAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        RedisValue value = default;
        await Guard(async () => value = await _redis.GetDatabase().StringGetAsync(_chosenPrefix + userId), cancellationToken);
        return value.IsNull ? null : value.ToString();
    }

    public async Task<IReadOnlyList<string>> NodesOfAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        RedisValue[] members = [];
        await Guard(async () => members = await _redis.GetDatabase().SortedSetRangeByScoreAsync(Key(userId), now, double.PositiveInfinity, Exclude.Start), cancellationToken);
        var nodes = new string[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            nodes[i] = members[i].ToString();
        }
        return nodes;
    }

    private RedisKey Key(string userId) => _keyPrefix + userId;

    /// <summary>Runs a Redis operation; with fail-fast backlog it may throw while starting as well as while running.</summary>
    private static async Task Guard(Func<Task> operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new PresenceUnavailableException("The Redis presence registry is unreachable.", exception);
        }
    }
}
