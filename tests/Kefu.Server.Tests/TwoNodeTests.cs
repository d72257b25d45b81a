using System.Net;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>
/// Two server processes sharing one store (the same SQLite file) and one Redis bus: a visitor on one node
/// and an agent on the other talk through the bus, and when the visitor's node dies hard it resumes on
/// the other node and loses nothing.
/// </summary>
public sealed class TwoNodeTests
{
    [SkippableFact]
    public async Task Clients_on_different_nodes_talk_over_redis_and_survive_a_node_kill()
    {
        var executable = RedisServer.FindExecutable();
        if (executable is null)
        {
            RedisAvailability.Unavailable("No redis-server on PATH.");
        }
        await using var redis = await RedisServer.StartAsync(executable!);
        await using var nodeA = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Bus"] = "redis",
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
        });
        await using var nodeB = await ServerProcess.StartSiblingAsync(nodeA);
        using (var ready = await nodeB.Http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var chat = await CrossNodeChat.StartAsync(nodeA, nodeB);
        await using var agentClient = chat.Agent;
        var conversationId = chat.ConversationId;
        await chat.ExchangeKillAndResumeAsync(nodeA, nodeB);

        // Both nodes share the store: the whole history is there exactly once, gapless.
        Assert.Equal(Db.Scalar(nodeB.DatabasePath, "SELECT MAX(seq) FROM messages WHERE conversation_id = $c", ("$c", conversationId)),
            Db.Scalar(nodeB.DatabasePath, "SELECT COUNT(*) FROM messages WHERE conversation_id = $c", ("$c", conversationId)));
    }

    [SkippableFact]
    public async Task After_a_redis_restart_nodes_report_degraded_then_tell_clients_lastSeq_and_nothing_is_lost()
    {
        var executable = RedisServer.FindExecutable();
        if (executable is null)
        {
            RedisAvailability.Unavailable("No redis-server on PATH.");
        }
        await using var redis = await RedisServer.StartAsync(executable!);
        await using var nodeA = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Bus"] = "redis",
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
        });
        await using var nodeB = await ServerProcess.StartSiblingAsync(nodeA);
        var chat = await CrossNodeChat.StartAsync(nodeA, nodeB);
        await using var agentClient = chat.Agent;
        await using var visitorClient = chat.Visitor;
        var (agent, visitor, conversationId) = (chat.Agent, chat.Visitor, chat.ConversationId);
        // The visitor's second tab on the same node: the refresh reads once per user and must reach every connection.
        var (secondTab, _) = await ProtocolClient.HelloAsync(nodeA.WebSocketUri, chat.Session.Token);
        await using var secondTabClient = secondTab;

        await redis.KillAsync();
        // Writes keep working (the store is the truth); node A cannot hear them while Redis is away.
        var during = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            during.Add((long)(await agent.SendTextAsync("during the outage " + i, conversationId))["seq"]!);
        }
        // And the agent's node cannot hear the visitor's.
        for (var i = 0; i < 3; i++)
        {
            during.Add((long)(await visitor.SendTextAsync("visitor during the outage " + i))["seq"]!);
        }
        await WaitForReadyStatusAsync(nodeB, "degraded");

        await redis.StartAgainAsync();
        await WaitForReadyStatusAsync(nodeA, "ready");
        // Each node tells its clients where the conversation stands (every tab of the visitor, and the agent); they heal from the store.
        var snapshot = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (long?)f["lastSeq"] >= during[^1], TimeSpan.FromSeconds(30));
        await secondTab.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (long?)f["lastSeq"] >= during[^1], TimeSpan.FromSeconds(30));
        await agent.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (long?)f["lastSeq"] >= during[^1], TimeSpan.FromSeconds(30));
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "sync", rid, conversationId, afterSeq = 0, limit = 200 });
        var history = (await visitor.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray();
        var seqs = history.Select(m => (long)m!["seq"]!).ToList();
        Assert.Equal(Enumerable.Range(1, (int)(long)snapshot["lastSeq"]!).Select(i => (long)i), seqs);
        Assert.Empty(during.Except(seqs));
    }

    private static async Task WaitForReadyStatusAsync(ServerProcess node, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await node.Http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"];
            if (last == status)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"readyz stayed '{last}', expected '{status}'");
    }
}
