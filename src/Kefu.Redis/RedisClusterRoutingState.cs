using Kefu.Core.Routing;
using StackExchange.Redis;

namespace Kefu.Redis;

/// <summary>
/// The shared routing state in Redis, each operation one Lua script so it is atomic across nodes. Keys:
/// <c>{prefix}:routing:built</c> (present while the state is whole; a flush or restart removes it with
/// everything else), <c>:tickets</c> (hash conversation → ticket) and <c>:next</c> (the last ticket),
/// <c>:load:{agentId}</c> (sorted set conversation → reservation expiry in unix ms from the injected clock,
/// <c>+inf</c> once confirmed) and <c>:claims</c> (hash conversation → "agentId|expiry").
/// </summary>
public sealed class RedisClusterRoutingState : IClusterRoutingState
{
    private const string TicketScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local ticket = redis.call('HGET', KEYS[2], ARGV[1])
        if ticket then return tonumber(ticket) end
        ticket = redis.call('INCR', KEYS[3])
        redis.call('HSET', KEYS[2], ARGV[1], ticket)
        return ticket
        """;

    // KEYS: built, load, claims. ARGV: agent, conversation, capacity, now, until. 1 reserved, 0 full, -2 taken, -1 lost.
    private const string ReserveScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local claim = redis.call('HGET', KEYS[3], ARGV[2])
        if claim then
          local sep = string.find(claim, '|', 1, true)
          local agent = string.sub(claim, 1, sep - 1)
          local untilMs = tonumber(string.sub(claim, sep + 1))
          if agent ~= ARGV[1] and untilMs > tonumber(ARGV[4]) then return -2 end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
        if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 1 end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[2], ARGV[1] .. '|' .. ARGV[5])
        return 1
        """;

    // KEYS: load, claims. ARGV: agent, conversation.
    private const string ConfirmScript = """
        redis.call('ZADD', KEYS[1], '+inf', ARGV[2])
        redis.call('HDEL', KEYS[2], ARGV[2])
        return 1
        """;

    private const string ReleaseScript = """
        redis.call('ZREM', KEYS[1], ARGV[2])
        local claim = redis.call('HGET', KEYS[2], ARGV[2])
        if claim and string.sub(claim, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then redis.call('HDEL', KEYS[2], ARGV[2]) end
        return 1
        """;

    // KEYS: load. ARGV: now, conversation ids...
    private const string ResetLoadScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '+inf', '+inf')
        for i = 2, #ARGV do redis.call('ZADD', KEYS[1], '+inf', ARGV[i]) end
        return 1
        """;

    private const string LoadScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        return redis.call('ZCARD', KEYS[1])
        """;

    // KEYS: built, tickets, next, claims, load keys of the agents in ARGV order.
    // ARGV: queued count, queued ids..., then per agent: count, ids..., and last the new generation.
    private const string RebuildScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
        local n = tonumber(ARGV[1])
        for i = 1, n do redis.call('HSET', KEYS[2], ARGV[1 + i], i) end
        redis.call('SET', KEYS[3], n)
        local at = 2 + n
        for k = 5, #KEYS do
          redis.call('ZREMRANGEBYSCORE', KEYS[k], '+inf', '+inf')
          local count = tonumber(ARGV[at])
          for j = 1, count do redis.call('ZADD', KEYS[k], '+inf', ARGV[at + j]) end
          at = at + count + 1
        end
        redis.call('SET', KEYS[1], ARGV[#ARGV])
        return 1
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly string _prefix;
    private readonly long _lifetimeMs;
    private readonly RedisKey _built;
    private readonly RedisKey _tickets;
    private readonly RedisKey _next;
    private readonly RedisKey _claims;

    public RedisClusterRoutingState(IConnectionMultiplexer redis, RedisRoutingStateOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _redis = redis;
        _time = timeProvider;
        _prefix = options.KeyPrefix + ":routing:";
        _lifetimeMs = (long)options.ReservationLifetime.TotalMilliseconds;
        _built = _prefix + "built";
        _tickets = _prefix + "tickets";
        _next = _prefix + "next";
        _claims = _prefix + "claims";
    }

    public async Task<long?> TicketAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var ticket = (long)await RunAsync(TicketScript, [_built, _tickets, _next], [conversationId], cancellationToken);
        return ticket < 0 ? null : ticket;
    }

    public Task DropTicketAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return Guard(() => _redis.GetDatabase().HashDeleteAsync(_tickets, conversationId), cancellationToken);
    }

    public async Task<ReservationOutcome> TryReserveAsync(string agentId, string conversationId, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        var now = Now();
        var result = (long)await RunAsync(ReserveScript, [_built, LoadKey(agentId), _claims], [agentId, conversationId, capacity, now, now + _lifetimeMs], cancellationToken);
        return result switch
        {
            1 => ReservationOutcome.Reserved,
            0 => ReservationOutcome.Full,
            -2 => ReservationOutcome.Taken,
            _ => ReservationOutcome.Lost,
        };
    }

    public Task ConfirmAsync(string agentId, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        return RunAsync(ConfirmScript, [LoadKey(agentId), _claims], [agentId, conversationId], cancellationToken);
    }

    public Task ReleaseAsync(string agentId, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        return RunAsync(ReleaseScript, [LoadKey(agentId), _claims], [agentId, conversationId], cancellationToken);
    }

    public Task ResetLoadAsync(string agentId, IReadOnlyCollection<string> openConversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(openConversationIds);
        RedisValue[] args = [Now(), .. openConversationIds.Select(id => (RedisValue)id)];
        return RunAsync(ResetLoadScript, [LoadKey(agentId)], args, cancellationToken);
    }

    public async Task<int> LoadOfAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        return (int)(long)await RunAsync(LoadScript, [LoadKey(agentId)], [Now()], cancellationToken);
    }

    public async Task<bool> RebuildAsync(RoutingSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var keys = new List<RedisKey> { _built, _tickets, _next, _claims };
        var args = new List<RedisValue> { snapshot.QueuedInOrder.Count };
        args.AddRange(snapshot.QueuedInOrder.Select(id => (RedisValue)id));
        foreach (var (agentId, open) in snapshot.OpenByAgent)
        {
            keys.Add(LoadKey(agentId));
            args.Add(open.Count);
            args.AddRange(open.Select(id => (RedisValue)id));
        }
        args.Add(Guid.NewGuid().ToString("N"));
        return (long)await RunAsync(RebuildScript, [.. keys], [.. args], cancellationToken) == 1;
    }

    public async Task<string?> GenerationAsync(CancellationToken cancellationToken)
    {
        RedisValue value = default;
        await Guard(async () => value = await _redis.GetDatabase().StringGetAsync(_built), cancellationToken);
        return value.IsNull ? null : value.ToString();
    }

    private RedisKey LoadKey(string agentId) => _prefix + "load:" + agentId;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<RedisResult> RunAsync(string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken)
    {
        RedisResult? result = null;
        await Guard(async () => result = await _redis.GetDatabase().ScriptEvaluateAsync(script, keys, args), cancellationToken);
        return result!;
    }

    /// <summary>Runs a Redis operation; with fail-fast backlog it may throw while starting as well as while running.</summary>
    private static async Task Guard(Func<Task> operation, CancellationToken cancellationToken)
    {
        try
        {
            await operation().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new SharedStateUnavailableException("The shared routing state in Redis is unreachable.", exception);
        }
    }
}
