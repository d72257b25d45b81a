using Kefu.Adapters.Tests.Infrastructure;
using Npgsql;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// Several Kefu nodes on loopback, each with its own data folder, over one PostgreSQL database and one Redis
/// (<c>Kefu__Store=postgres</c>, <c>Kefu__Bus=redis</c>): a deployment as the docs describe it. Nodes can be
/// killed hard; <see cref="LiveNode"/> names the next one still running, as a load balancer would.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes = [];
    private readonly HashSet<ServerProcess> _killed = [];
    private int _next;

    private Cluster(RedisServer redis, string database)
    {
        Redis = redis;
        Database = database;
    }

    public RedisServer Redis { get; }

    /// <summary>The Npgsql connection string of the deployment's database.</summary>
    public string Database { get; }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    /// <summary>Starts <paramref name="count"/> nodes; skips (under CI fails) without redis-server.</summary>
    public static async Task<Cluster> StartAsync(string database, int count, IDictionary<string, string>? settings = null)
    {
        var redis = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        var cluster = new Cluster(redis, database);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Kefu__Store"] = "postgres",
                ["ConnectionStrings__Postgres"] = database,
                ["Kefu__Bus"] = "redis",
                ["ConnectionStrings__Redis"] = redis.ConnectionString,
                ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }
            // One after the other: the first creates the schema, the others find it.
            for (var i = 0; i < count; i++)
            {
                cluster._nodes.Add(await ServerProcess.StartAsync(environment));
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills a node with SIGKILL.</summary>
    public void Kill(ServerProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        lock (_killed)
        {
            _killed.Add(node);
        }
        node.Kill();
    }

    /// <summary>The next node that was not killed, round robin.</summary>
    public ServerProcess LiveNode()
    {
        lock (_killed)
        {
            var live = _nodes.Where(n => !_killed.Contains(n)).ToList();
            return live[_next++ % live.Count];
        }
    }

    /// <summary>Open conversations per assignee, straight from the store.</summary>
    public async Task<Dictionary<string, long>> OpenPerAgentAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT assignee_id, count(*) FROM conversations WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }
        return result;
    }

    /// <summary>A conversation's messages from the store: (seq, msgId) in seq order.</summary>
    public async Task<List<(long Seq, string MsgId)>> MessagesAsync(string conversationId)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq, msg_id FROM messages WHERE conversation_id = $1 ORDER BY seq;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = conversationId });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return result;
    }

    /// <summary>How many system events named <paramref name="name"/> the conversation's history holds.</summary>
    public async Task<long> CountEventsAsync(string conversationId, string name)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM messages WHERE conversation_id = $1 AND kind = 'event' AND meta::jsonb ->> 'event' = $2;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = conversationId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Redis.DisposeAsync();
    }
}
