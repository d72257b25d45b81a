using System.Net;
using System.Text.Json.Nodes;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;
using Npgsql;

namespace Kefu.Server.Tests;

/// <summary>
/// The bot flow on two nodes sharing one PostgreSQL database and one Redis bus: rules and settings changed on one
/// node apply on the other at the next message, each visitor message gets exactly one bot reply (from the node
/// that committed it), and the handoff queues the conversation for both; FAQ changes on one node answer on the other
/// from the next question; an agent online on one node takes over what the bot was given on another. Skips without
/// PostgreSQL or Redis.
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

    [SkippableFact]
    public async Task An_faq_entry_added_changed_imported_or_deleted_on_one_node_answers_from_the_next_question_on_the_other()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 2);
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        var adminA = await nodeA.AdminTokenAsync();
        var adminB = await nodeB.AdminTokenAsync();
        await RoutingApi.SendAsync(nodeA, HttpMethod.Put, "api/v1/bot/settings", adminA, new { mode = "botFirst", welcome = "" });
        // Node B has looked at the site before the change, so its index is loaded and must notice the change.
        Assert.Null((string?)(await AskAsync(nodeB, adminB, "How long does delivery take?"))["faqId"]);

        var entry = await BotFlowApi.AddFaqAsync(nodeA, adminA, "How long does delivery take?", "Two to four working days.", "when will my parcel arrive");
        var id = (string)entry["id"]!;
        var asked = await AskAsync(nodeB, adminB, "when will my parcel arrive");
        Assert.Equal(id, (string?)asked["faqId"]);
        Assert.Equal("Two to four working days.", (string?)asked["answer"]);
        var (visitor, ack) = await BotFlowApi.VisitorAsync(nodeB, "how long does delivery take");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        Assert.Equal("Two to four working days.", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!))["text"]);

        await RoutingApi.SendAsync(nodeA, HttpMethod.Put, $"api/v1/bot/faq/{id}", adminA,
            new { question = "How long does delivery take?", alternates = new[] { "when will my parcel arrive" }, answer = "One to two working days." }, HttpStatusCode.OK);
        var changed = await visitor.SendTextAsync("how long does delivery take", conversationId);
        Assert.Equal("One to two working days.", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)changed["seq"]!))["text"]);
        Assert.Equal("One to two working days.", (string?)(await AskAsync(nodeB, adminB, "how long does delivery take"))["answer"]);

        using (var import = Api.Authorized(HttpMethod.Post, "api/v1/bot/faq/import?format=json", adminA))
        {
            import.Content = new StringContent(
                """[{"id":"faq-returns","siteId":"x","question":"How do I return an item?","alternates":["send something back"],"answer":"Print the return label from your orders page.","category":null}]""",
                System.Text.Encoding.UTF8, "application/json");
            using var response = await nodeA.Http.SendAsync(import);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var imported = await visitor.SendTextAsync("how do I return an item", conversationId);
        Assert.Equal("Print the return label from your orders page.", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)imported["seq"]!))["text"]);
        var listed = (await RoutingApi.SendAsync(nodeB, HttpMethod.Get, "api/v1/bot/faq", adminB)).AsArray();
        Assert.Equal(["faq-returns", id], listed.Select(e => (string)e!["id"]!).Order(StringComparer.Ordinal));

        // Deleted on A: B no longer answers it, and B can edit or delete what only A created.
        await RoutingApi.SendAsync(nodeA, HttpMethod.Delete, $"api/v1/bot/faq/{id}", adminA, expect: HttpStatusCode.NoContent);
        Assert.Null((string?)(await AskAsync(nodeB, adminB, "how long does delivery take"))["faqId"]);
        await RoutingApi.SendAsync(nodeB, HttpMethod.Delete, "api/v1/bot/faq/faq-returns", adminB, expect: HttpStatusCode.NoContent);
        Assert.Null((string?)(await AskAsync(nodeA, adminA, "how do I return an item"))["faqId"]);
        await postgres.DropDatabaseAsync(database);
    }

    [SkippableFact]
    public async Task In_bot_when_no_agent_mode_an_agent_online_on_another_node_counts_as_available()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 2, new Dictionary<string, string> { ["Kefu__Bot__AgentCheckSeconds"] = "1" });
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        var adminA = await nodeA.AdminTokenAsync();
        await RoutingApi.SendAsync(nodeA, HttpMethod.Put, "api/v1/bot/settings", adminA, new { mode = "botWhenNoAgent", welcome = "The bot, until a colleague is free." });
        var agent = await RoutingApi.AgentAsync(nodeB, adminA, "node-b-agent", 3);
        await RoutingApi.WaitForStatusAsync(nodeA, agent.Token, "online");

        // Presence is shared: node A knows the agent on node B takes conversations, so no bot steps in.
        var (visitor, ack) = await BotFlowApi.VisitorAsync(nodeA, "is anybody there?");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(nodeA, adminA, conversationId));
        Assert.False(visitor.HasQueued(BotFlowApi.IsBotMessage));
        await agent.Client!.DisposeAsync();
        await postgres.DropDatabaseAsync(database);
    }

    private static Task<JsonNode> AskAsync(ServerProcess node, string admin, string text) =>
        RoutingApi.SendAsync(node, HttpMethod.Post, "api/v1/bot/ask", admin, new { text }, HttpStatusCode.OK);

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
