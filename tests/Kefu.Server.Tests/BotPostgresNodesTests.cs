using System.Net;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;
using Npgsql;

namespace Kefu.Server.Tests;

/// <summary>
/// The bot flow on two nodes sharing one PostgreSQL database and one Redis bus: rules and settings changed on one
/// node apply on the other at the next message, each visitor message gets exactly one bot reply (from the node
/// that committed it), and the handoff queues the conversation for both. Skips without PostgreSQL or Redis.
/// </summary>
public sealed class BotPostgresNodesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [SkippableFact]
    public async Task Rules_and_settings_saved_on_one_node_answer_on_the_other_once_per_message_and_the_handoff_queues_for_both()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 2);
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        var adminA = await nodeA.AdminTokenAsync();
        var adminB = await nodeB.AdminTokenAsync();

        await RoutingApi.SendAsync(nodeA, HttpMethod.Put, "api/v1/bot/settings", adminA, new { mode = "botFirst", welcome = "Hello from the bot.", failuresBeforeHandoff = 5 });
        Assert.Equal("Hello from the bot.", (string?)(await RoutingApi.SendAsync(nodeB, HttpMethod.Get, "api/v1/bot/settings", adminB))["welcome"]);
        var rule = await RoutingApi.SendAsync(nodeA, HttpMethod.Post, "api/v1/bot/rules", adminA,
            new { match = "keyword", patterns = new[] { "invoice" }, reply = new { text = "Invoices are under Orders." } }, HttpStatusCode.Created);

        var (visitor, ack) = await BotFlowApi.VisitorAsync(nodeB, "where is my invoice");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        Assert.Equal("Invoices are under Orders.", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!))["text"]);

        await RoutingApi.SendAsync(nodeA, HttpMethod.Put, $"api/v1/bot/rules/{rule["id"]}", adminA,
            new { match = "keyword", patterns = new[] { "invoice" }, reply = new { text = "Download invoices from your account." } }, HttpStatusCode.OK);
        var again = await visitor.SendTextAsync("invoice please", conversationId);
        Assert.Equal("Download invoices from your account.", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)again["seq"]!))["text"]);

        var human = await visitor.SendTextAsync("转人工", conversationId);
        await visitor.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));
        var queued = (await RoutingApi.SendAsync(nodeA, HttpMethod.Get, "api/v1/conversations?view=queued", adminA)).AsArray();
        Assert.Contains(queued, c => (string?)c!["conversationId"] == conversationId);

        // One reply per visitor message: the welcome, two rule answers, the handoff reply.
        Assert.Equal(4L, await ScalarAsync(database, "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND sender_type = 'bot';", conversationId));
        Assert.Equal((long)human["seq"]! + 2, await ScalarAsync(database, "SELECT MAX(seq) FROM messages WHERE conversation_id = $1;", conversationId));
        var numbers = await RoutingApi.SendAsync(nodeA, HttpMethod.Get, "api/v1/bot/numbers", adminA);
        Assert.Equal(1, (int)numbers["conversations"]!);
        Assert.Equal(1, (int)numbers["handedOff"]!);
        Assert.Equal(2, (int)numbers["answered"]!);
        await postgres.DropDatabaseAsync(database);
    }

    private static async Task<long> ScalarAsync(string database, string sql, string conversationId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = conversationId });
        return Convert.ToInt64(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture);
    }
}
