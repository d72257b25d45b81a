using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>
/// Three nodes over one PostgreSQL and one Redis. Visitors and agents are spread over the nodes, agents
/// have little capacity so most visitors queue, and one node is killed with SIGKILL mid-run: its clients
/// move to the others and resume. Every acked message must reach every participant once, in seq order,
/// queued visitors of every node must get agents of any node, and no agent may ever hold more open
/// conversations than its capacity. Without PostgreSQL or redis-server these skip with the reason.
/// </summary>
public sealed class ClusterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Capacity = 2;
    private const int VisitorsPerNode = 6;
    private const int PerSide = 60;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Three_nodes_deliver_every_acked_message_once_in_order_within_capacity_when_one_node_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await Cluster.StartAsync(database, 3);
        using var run = new CancellationTokenSource(Timeout);
        var scenario = await ClusterScenario.StartAsync(cluster, agentsPerNode: 1, Capacity);
        await using var _ = scenario;

        var visitors = new List<Task<string>>();
        for (var i = 0; i < VisitorsPerNode * cluster.Nodes.Count; i++)
        {
            visitors.Add(scenario.VisitAsync(cluster.Nodes[i % cluster.Nodes.Count], PerSide, run.Token));
        }
        var expectedAcks = VisitorsPerNode * cluster.Nodes.Count * ((2 * PerSide) + 1);
        await scenario.WaitForAcksAsync(expectedAcks * 2 / 5, run.Token);
        cluster.Kill(cluster.Nodes[2]);

        var conversations = await scenario.WhenAllClosedAsync(visitors, run.Token);
        await scenario.StopAsync();

        Assert.Empty(scenario.CapacityViolations);
        Assert.All(await cluster.OpenPerAgentAsync(), load => Assert.True(load.Value <= Capacity, $"{load.Key} holds {load.Value}"));
        Assert.True(scenario.Acks.Count >= expectedAcks, $"{scenario.Acks.Count} acks, expected at least {expectedAcks}");
        Assert.Contains(scenario.Participants, p => p.Reconnections > 0);
        await scenario.AssertDeliveredExactlyOnceInOrderAsync(conversations);
    }
}
