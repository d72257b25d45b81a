using System.Net;
using System.Text.Json.Nodes;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;
using Npgsql;

namespace Kefu.Server.Tests;

/// <summary>
/// Nodes over PostgreSQL and Redis while one of the two goes away mid-run. PostgreSQL stopped: sends get
/// <c>unavailable</c>, never an <c>ack</c>, readiness says the store is unreachable, and once it is back the
/// same sends succeed and nothing acked is lost. Redis restarted (losing its data): routing between nodes
/// resumes by itself, so a visitor who came during the outage reaches an agent on another node.
/// </summary>
public sealed class ClusterOutageTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task While_postgres_is_stopped_sends_get_unavailable_and_never_an_ack_and_afterwards_nothing_acked_is_lost()
    {
        var binaries = PostgresServer.FindBinaries();
        if (binaries is null)
        {
            RedisAvailability.Unavailable("This test stops and starts PostgreSQL and needs initdb and pg_ctl; none were found.");
        }
        await using var server = await PostgresServer.StartAsync(binaries!);
        var database = await CreateDatabaseAsync(server);
        await using var cluster = await Cluster.StartAsync(database, 2);
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        var chat = await CrossNodeChat.StartAsync(nodeA, nodeB);
        await using var agentClient = chat.Agent;
        await using var visitorClient = chat.Visitor;
        var acked = new List<string> { (string)(await chat.Visitor.SendTextAsync("before the outage"))["msgId"]! };

        await server.StopAsync();
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var clientMsgId = "outage-" + i;
            var reply = await SendAsync(chat.Visitor, chat.ConversationId, clientMsgId);
            Assert.True(ProtocolClient.Type(reply) == "error", "a send while the store is down got " + reply.ToJsonString());
            Assert.Equal("unavailable", (string?)reply["code"]);
            failed.Add(clientMsgId);
        }
        using (var ready = await nodeA.Http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await server.StartAgainAsync();
        // The client retries what failed, with the same ids, until the store answers again.
        foreach (var clientMsgId in failed)
        {
            JsonObject? ack = null;
            await Eventually.HoldsAsync(async () =>
            {
                var reply = await SendAsync(chat.Visitor, chat.ConversationId, clientMsgId);
                ack = ProtocolClient.Type(reply) == "ack" ? reply : null;
                return ack is not null;
            }, "a send accepted after PostgreSQL returned", Timeout);
            acked.Add((string)ack!["msgId"]!);
        }
        acked.Add((string)(await chat.Visitor.SendTextAsync("after the outage"))["msgId"]!);
        var view = new ConversationView(chat.Agent);
        await view.RunUntilAsync(v => acked.TrueForAll(id => v.Messages.Values.Any(c => c.Values.Any(m => (string?)m["msgId"] == id))), Timeout);

        var stored = await cluster.MessagesAsync(chat.ConversationId);
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.All(acked, id => Assert.Single(stored, m => m.MsgId == id));
    }

    [SkippableFact]
    public async Task After_redis_restarts_a_visitor_who_came_during_the_outage_is_routed_to_an_agent_on_another_node()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 2);
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        var admin = await nodeA.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(nodeB, admin, "outage-agent", 3);
        await using var agentClient = agent.Client!;

        await cluster.Redis.KillAsync();
        await WaitForReadyStatusAsync(nodeA, "degraded");
        // Node A starts the conversation; node B, which has the agent, cannot hear of it yet.
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(nodeA, "anyone there?");
        await using var visitorClient = visitor;

        await cluster.Redis.StartAgainAsync();
        await WaitForReadyStatusAsync(nodeB, "ready");
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(nodeA, admin, conversationId, Timeout));
        var opened = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open", Timeout);
        Assert.Equal(agent.Id, (string?)opened["assignee"]!["id"]);
        // Delivery across nodes works again: the agent's reply reaches the visitor live.
        var reply = await agent.Client!.SendTextAsync("here I am", conversationId);
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)reply["msgId"], Timeout);
    }

    private static async Task<JsonObject> SendAsync(ProtocolClient client, string conversationId, string clientMsgId)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "send", rid, clientMsgId, conversationId, kind = "text", text = "text of " + clientMsgId });
        return await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error", Timeout);
    }

    private static async Task<string> CreateDatabaseAsync(PostgresServer server)
    {
        var name = "kefu_outage_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true }.ToString();
    }

    private static async Task WaitForReadyStatusAsync(ServerProcess node, string status)
    {
        string? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await node.Http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"];
            return last == status;
        }, "readyz " + status, Timeout);
    }
}
