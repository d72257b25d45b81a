using System.Net;
using System.Text.Json.Nodes;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;
using Npgsql;

namespace Kefu.Server.Tests;

/// <summary>
/// Server processes on PostgreSQL (<c>Kefu__Store=postgres</c>): two nodes with separate data folders share
/// one database and one Redis bus, a node killed hard loses nothing, and the bot's FAQ and business hours
/// live in PostgreSQL too. Without PostgreSQL these skip with the reason (under CI=true they fail).
/// </summary>
public sealed class PostgresNodesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Two_nodes_on_one_database_talk_over_redis_and_a_visitor_resumes_after_its_node_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync();
        var executable = RedisServer.FindExecutable();
        if (executable is null)
        {
            RedisAvailability.Unavailable("No redis-server on PATH.");
        }
        await using var redis = await RedisServer.StartAsync(executable!);
        var settings = new Dictionary<string, string>
        {
            ["Kefu__Store"] = "postgres",
            ["ConnectionStrings__Postgres"] = database,
            ["Kefu__Bus"] = "redis",
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
        };
        await using var nodeA = await ServerProcess.StartAsync(settings);
        // Its own data folder: nothing another node needs lives there.
        await using var nodeB = await ServerProcess.StartAsync(settings);
        using (var ready = await nodeB.Http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var chat = await CrossNodeChat.StartAsync(nodeA, nodeB);
        await using var agentClient = chat.Agent;
        var lastSeq = await chat.ExchangeKillAndResumeAsync(nodeA, nodeB);

        // Both nodes wrote into one database: the whole history is there exactly once, gapless.
        var (maxSeq, count) = await SeqStatsAsync(database, chat.ConversationId);
        Assert.Equal(lastSeq, maxSeq);
        Assert.Equal(maxSeq, count);
        await postgres.DropDatabaseAsync(database);
    }

    [SkippableFact]
    public async Task A_message_a_node_committed_but_never_announced_reaches_the_others_once_that_node_falls_silent()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 2);
        var (live, dying) = (cluster.Nodes[0], cluster.Nodes[1]);
        var admin = await live.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(live, admin, "watch-agent", 5);
        await using var agentClient = agent.Client!;
        var session = await Api.VisitorAsync(live.Http);
        var (visitor, _) = await ProtocolClient.HelloAsync(live.WebSocketUri, session.Token);
        await using var visitorClient = visitor;
        var conversationId = (string)(await visitor.SendTextAsync("hello"))["conversationId"]!;
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(live, admin, conversationId));

        // What the dying node wrote in its last moment: committed, never published (it died first).
        long seq;
        await using (var db = new NpgsqlConnection(cluster.Database))
        {
            await db.OpenAsync();
            await using var write = new NpgsqlCommand(
                """
                WITH bumped AS (UPDATE conversations SET last_seq = last_seq + 1 WHERE id = @id RETURNING id, last_seq, visitor_id)
                INSERT INTO messages (conversation_id, seq, msg_id, client_msg_id, sender_type, sender_id, kind, text, created_at)
                SELECT id, last_seq, 'm-unannounced', 'c-unannounced', 'visitor', visitor_id, 'text', 'are you there?',
                       (extract(epoch FROM now()) * 1000)::bigint
                FROM bumped RETURNING seq
                """, db);
            write.Parameters.AddWithValue("id", conversationId);
            seq = (long)(await write.ExecuteScalarAsync())!;
        }
        cluster.Kill(dying);

        // The live node notices the silence and tells its clients the conversation's last seq; they sync from it.
        bool ShowsIt(JsonObject f) => ProtocolClient.Type(f) == "conversation" && (string?)f["conversationId"] == conversationId && (long)f["lastSeq"]! >= seq;
        await agentClient.WaitForAsync(ShowsIt, Timeout);
        await visitor.WaitForAsync(ShowsIt, Timeout);
        Assert.Contains("went silent", live.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_bot_faq_and_business_hours_are_kept_in_postgres_and_served_through_the_api()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Store"] = "postgres",
            ["ConnectionStrings__Postgres"] = database,
        }))
        {
            var admin = await server.AdminTokenAsync();
            var created = await SendAsync(server, HttpMethod.Post, "api/v1/bot/faq", admin,
                new { question = "How long does shipping take?", alternates = new[] { "When will my parcel arrive?" }, answer = "Three to five working days.", category = "shipping" },
                HttpStatusCode.Created);
            var answer = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "How long does shipping take?", siteKey = "default" }, HttpStatusCode.OK);
            Assert.Equal((string?)created["id"], (string?)answer["faqId"]);
            Assert.Equal("Three to five working days.", (string?)answer["answer"]);

            var team = (await SendAsync(server, HttpMethod.Get, "api/v1/teams", admin, null, HttpStatusCode.OK)).AsArray().Single(t => (bool)t!["isDefault"]!)!;
            var teamId = (string)team["id"]!;
            await SendAsync(server, HttpMethod.Put, $"api/v1/business-hours/{teamId}", admin,
                new { timeZone = "UTC", weekly = new { mon = new[] { new[] { "09:00", "18:00" } } } }, HttpStatusCode.NoContent);
            var hours = (await SendAsync(server, HttpMethod.Get, "api/v1/business-hours", admin, null, HttpStatusCode.OK)).AsArray();
            Assert.Equal(teamId, (string?)Assert.Single(hours)!["scopeId"]);
            Assert.Equal("UTC", (string?)hours[0]!["schedule"]!["timeZone"]);
        }

        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM faq_entries;"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM business_hours;"));
        await postgres.DropDatabaseAsync(database);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Host=127.0.0.1;NoSuchKeyword=1")]
    public async Task A_postgres_store_without_a_valid_connection_string_stops_the_server_naming_the_key(string? connectionString)
    {
        var settings = new Dictionary<string, string>
        {
            ["Kefu__DataDir"] = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N")),
            ["Kefu__Store"] = "postgres",
        };
        if (connectionString is not null)
        {
            settings["ConnectionStrings__Postgres"] = connectionString;
        }
        var (exitCode, output) = await ServerProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings:Postgres", output, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> SendAsync(ServerProcess server, HttpMethod method, string path, string token, object? body, HttpStatusCode expected)
    {
        using var response = await server.Http.SendAsync(Api.Authorized(method, path, token, body)).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<(long MaxSeq, long Count)> SeqStatsAsync(string database, string conversationId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand("SELECT MAX(seq), COUNT(*) FROM messages WHERE conversation_id = $1;", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = conversationId });
        await using var reader = await command.ExecuteReaderAsync(timeout.Token);
        Assert.True(await reader.ReadAsync(timeout.Token));
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(timeout.Token))!;
    }
}
