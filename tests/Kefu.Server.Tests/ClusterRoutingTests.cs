using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;
using StackExchange.Redis;

namespace Kefu.Server.Tests;

/// <summary>
/// Routing state shared by three nodes over one PostgreSQL and one Redis: an agent's presence is one state
/// across nodes (a closed tab on one node is not the agent leaving; a dead node's agents leave after the
/// presence lifetime and the grace period), capacity holds while visitors arrive on every node at once,
/// queue positions are the same line on every node, and a Redis that loses its data gets the routing state
/// rebuilt from the store. Without PostgreSQL or redis-server these skip with the reason.
/// </summary>
public sealed class ClusterRoutingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Requeue on offline, with a short grace period and presence lifetime so that leaving happens within the test.</summary>
    private static readonly Dictionary<string, string> Requeueing = new()
    {
        ["Kefu__Routing__OnAgentOffline"] = "requeue",
        ["Kefu__Routing__AgentGraceSeconds"] = "1",
        ["Kefu__Routing__PresenceSeconds"] = "3",
        ["Logging__LogLevel__Kefu.Server.Agents"] = "Information",
    };

    [SkippableFact]
    public async Task An_agent_with_tabs_on_two_nodes_keeps_its_conversations_when_one_tab_closes()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 3, Requeueing);
        var nodes = cluster.Nodes;
        var admin = await nodes[0].AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(nodes[0], admin, "two-tabs", 5);
        var (secondTab, _) = await nodes[1].HelloAsync(agent.Token);
        await using var _ = secondTab;
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(nodes[2], "hello");
        await using var __ = visitor;
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(nodes[2], admin, conversationId));

        // The first tab closes; once its node's grace period is over, that node knows the agent is held elsewhere.
        await agent.Client!.DisposeAsync();
        await Eventually.HoldsAsync(() => nodes[0].Output.Contains($"Agent {agent.Id} left this node after its grace period; held by another node: True", StringComparison.Ordinal),
            "the first tab's node released the agent", Timeout);
        var after = await RoutingApi.ConversationAsync(nodes[2], admin, conversationId);
        Assert.Equal("open", (string?)after["status"]);
        Assert.Equal(agent.Id, (string?)after["assignee"]?["id"]);
        Assert.Equal("online", (string?)(await RoutingApi.SendAsync(nodes[2], HttpMethod.Get, "api/v1/agents/me/status", agent.Token))["status"]);
        Assert.Equal(0, await cluster.CountEventsAsync(conversationId, "unassigned"));

        // The second tab closes too: now the agent has left every node and its conversation goes back to the queue.
        await secondTab.DisposeAsync();
        await Eventually.HoldsAsync(async () => (string?)(await RoutingApi.ConversationAsync(nodes[2], admin, conversationId))["status"] == "queued",
            "requeued after the last tab closed", Timeout);
        Assert.Contains($"Agent {agent.Id} left this node after its grace period; held by another node: False", nodes[1].Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task When_an_agents_node_is_killed_its_conversations_go_to_an_agent_on_another_node_after_the_presence_lifetime_and_grace()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 3, Requeueing);
        var nodes = cluster.Nodes;
        var admin = await nodes[0].AdminTokenAsync();
        var doomed = await RoutingApi.AgentAsync(nodes[2], admin, "on-doomed-node", 2);
        var visitors = new List<(ProtocolClient Client, string ConversationId)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var (client, conversationId, _) = await RoutingApi.VisitorAsync(nodes[i], "hello " + i);
                visitors.Add((client, conversationId));
                Assert.Equal(doomed.Id, await RoutingApi.AssigneeEventuallyAsync(nodes[0], admin, conversationId));
            }
            var survivor = await RoutingApi.AgentAsync(nodes[0], admin, "on-live-node", 5);
            await using var survivorClient = survivor.Client!;

            var killedAt = DateTime.UtcNow;
            cluster.Kill(nodes[2]);

            foreach (var (_, conversationId) in visitors)
            {
                Assert.Equal(survivor.Id, await ReassignedAsync(nodes[1], admin, conversationId, doomed.Id));
            }
            // Not before the dead node's entries expired (3 s) and the grace period (1 s) passed.
            Assert.True(DateTime.UtcNow - killedAt >= TimeSpan.FromSeconds(3), "requeued before the presence lifetime ended");
            foreach (var (_, conversationId) in visitors)
            {
                Assert.Equal(1, await cluster.CountEventsAsync(conversationId, "unassigned"));
            }
        }
        finally
        {
            foreach (var (client, _) in visitors)
            {
                await client.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task Visitors_arriving_on_every_node_at_once_never_push_an_agent_past_capacity_and_hear_one_line_of_positions()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 3);
        await using var storm = await Storm.StartAsync(cluster, visitorsPerNode: 8);

        await storm.SettledAsync();
        await storm.AssertWithinCapacityAsync();

        // Each close frees one seat: the head of the one line, whichever node holds it, takes it.
        await storm.CloseOneAsync();
        await storm.SettledAsync();
        await storm.AssertWithinCapacityAsync();
    }

    [SkippableFact]
    public async Task After_Redis_loses_its_data_the_routing_state_is_rebuilt_from_the_store_within_capacity_and_positions_stay_one_line()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 3);
        await using var storm = await Storm.StartAsync(cluster, visitorsPerNode: 5);
        await storm.SettledAsync();

        await using (var admin = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].FlushAllDatabasesAsync();
        }
        // More visitors arrive and seats free up while the state is gone: routing rebuilds it and goes on.
        await storm.ArriveAsync(visitorsPerNode: 2);
        await storm.CloseOneAsync();
        await storm.CloseOneAsync();

        await Eventually.HoldsAsync(async () => await storm.Redis.KeyExistsAsync("kefu:routing:built"), "routing state rebuilt in Redis", Timeout);
        await storm.SettledAsync();
        await storm.AssertWithinCapacityAsync();
    }

    /// <summary>Waits until the agent the conversation was requeued from is no longer its assignee; returns the new one.</summary>
    private static async Task<string> ReassignedAsync(IKefuServer node, string admin, string conversationId, string from)
    {
        string? assignee = from;
        await Eventually.HoldsAsync(async () =>
        {
            assignee = (string?)(await RoutingApi.ConversationAsync(node, admin, conversationId))["assignee"]?["id"];
            return assignee is not null && assignee != from;
        }, "reassigned " + conversationId, Timeout);
        return assignee!;
    }

    /// <summary>
    /// One agent per node with capacity 2 and visitors started on every node at the same moment; the
    /// agents close conversations on demand. Checks capacity in the store and in Redis, and that the queued
    /// visitors' latest positions are exactly 1..N (one line, whichever node told them).
    /// </summary>
    private sealed class Storm : IAsyncDisposable
    {
        private const int Capacity = 2;
        private readonly Cluster _cluster;
        private readonly string _admin;
        private readonly List<TestAgent> _agents;
        private readonly List<(ProtocolClient Client, string ConversationId)> _visitors = [];
        private readonly HashSet<string> _closed = new(StringComparer.Ordinal);

        private Storm(Cluster cluster, string admin, List<TestAgent> agents, IConnectionMultiplexer redis)
        {
            _cluster = cluster;
            _admin = admin;
            _agents = agents;
            Connection = redis;
        }

        public IConnectionMultiplexer Connection { get; }

        public IDatabase Redis => Connection.GetDatabase();

        public static async Task<Storm> StartAsync(Cluster cluster, int visitorsPerNode)
        {
            var admin = await cluster.Nodes[0].AdminTokenAsync();
            var agents = new List<TestAgent>();
            for (var i = 0; i < cluster.Nodes.Count; i++)
            {
                agents.Add(await RoutingApi.AgentAsync(cluster.Nodes[i], admin, "storm-agent-" + i, Capacity));
            }
            var storm = new Storm(cluster, admin, agents, await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString));
            await storm.ArriveAsync(visitorsPerNode);
            return storm;
        }

        /// <summary>Starts visitors on every node together.</summary>
        public async Task ArriveAsync(int visitorsPerNode)
        {
            var starts = Enumerable.Range(0, visitorsPerNode * _cluster.Nodes.Count)
                .Select(i => RoutingApi.VisitorAsync(_cluster.Nodes[i % _cluster.Nodes.Count], "storm " + i))
                .ToList();
            foreach (var (client, conversationId, _) in await Task.WhenAll(starts))
            {
                _visitors.Add((client, conversationId));
            }
        }

        /// <summary>Waits until every seat is taken and the queued visitors' latest positions are 1..N.</summary>
        public async Task SettledAsync()
        {
            var seats = Capacity * _agents.Count;
            var open = 0L;
            await Eventually.HoldsAsync(async () => (open = (await _cluster.OpenPerAgentAsync()).Values.Sum()) == Math.Min(seats, OpenOrQueued()), "every seat taken", Timeout);
            var told = "";
            try
            {
                await Eventually.HoldsAsync(async () =>
                {
                    var queued = new List<long>();
                    var statuses = await StatusesAsync();
                    told = string.Join(", ", _visitors.Select(v => $"{v.ConversationId}: {statuses[v.ConversationId]}, told " +
                        (RoutingApi.LastConversationFrame(v.Client) is { } f ? $"{f["status"]} {f["queuePosition"]}" : "nothing")));
                    foreach (var (client, conversationId) in _visitors)
                    {
                        if (statuses[conversationId] != "queued")
                        {
                            continue;
                        }
                        var frame = RoutingApi.LastConversationFrame(client);
                        if (frame is null || (string?)frame["status"] != "queued" || frame["queuePosition"] is null)
                        {
                            return false;
                        }
                        queued.Add((long)frame["queuePosition"]!);
                    }
                    queued.Sort();
                    return queued.SequenceEqual(Enumerable.Range(1, queued.Count).Select(p => (long)p));
                }, "queued visitors told positions 1..N", Timeout);
            }
            catch (Xunit.Sdk.FailException ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message}; {open} seats taken; {told}");
            }
        }

        public async Task AssertWithinCapacityAsync()
        {
            foreach (var (agentId, open) in await _cluster.OpenPerAgentAsync())
            {
                Assert.True(open <= Capacity, $"{agentId} holds {open} open conversations");
            }
            foreach (var agent in _agents)
            {
                var reserved = await Redis.SortedSetLengthAsync("kefu:routing:load:" + agent.Id);
                Assert.True(reserved <= Capacity, $"{agent.Id} has {reserved} places in the shared state");
            }
        }

        /// <summary>One agent with a conversation closes one.</summary>
        public async Task CloseOneAsync()
        {
            var statuses = await StatusesAsync();
            foreach (var (_, conversationId) in _visitors)
            {
                if (statuses[conversationId] != "open")
                {
                    continue;
                }
                var conversation = await RoutingApi.ConversationAsync(_cluster.Nodes[0], _admin, conversationId);
                var assignee = _agents.Single(a => a.Id == (string?)conversation["assignee"]?["id"]);
                await RoutingApi.SendAsync(_cluster.Nodes[1], HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", assignee.Token);
                _closed.Add(conversationId);
                return;
            }
            Assert.Fail("no open conversation to close");
        }

        private int OpenOrQueued() => _visitors.Count - _closed.Count;

        private async Task<Dictionary<string, string>> StatusesAsync()
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (_, conversationId) in _visitors)
            {
                result[conversationId] = (string)(await RoutingApi.ConversationAsync(_cluster.Nodes[0], _admin, conversationId))["status"]!;
            }
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (client, _) in _visitors)
            {
                await client.DisposeAsync();
            }
            foreach (var agent in _agents)
            {
                await agent.Client!.DisposeAsync();
            }
            await Connection.DisposeAsync();
        }
    }
}
