using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// The traffic of a cluster test. Agents (spread over the nodes) serve whatever routing assigns them: they
/// read the history, reply, wait for all of the visitor's messages and close, which frees capacity for the
/// next queued visitor. Visitors start a conversation, send their messages and wait for the close. A
/// watcher reads open conversations per agent from the store all along and notes any above capacity.
/// At the end every participant's received frames are compared with the store.
/// </summary>
internal sealed class ClusterScenario : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Cluster _cluster;
    private readonly int _capacity;
    private readonly List<(ClusterParticipant Agent, string Token)> _agents = [];
    private readonly ConcurrentBag<ClusterParticipant> _participants = [];
    private readonly ConcurrentDictionary<string, ClusterParticipant> _visitors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClusterParticipant> _assignees = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _capacityViolations = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];
    private int _perSide;

    private ClusterScenario(Cluster cluster, int capacity)
    {
        _cluster = cluster;
        _capacity = capacity;
    }

    /// <summary>Every ack: (conversationId, seq, msgId).</summary>
    public ConcurrentBag<(string ConversationId, long Seq, string MsgId)> Acks { get; } = [];

    public IReadOnlyCollection<string> CapacityViolations => _capacityViolations;

    public IEnumerable<ClusterParticipant> Participants => _participants;

    /// <summary>Creates and connects the agents (all online before any visitor comes) and starts the capacity watcher.</summary>
    public static async Task<ClusterScenario> StartAsync(Cluster cluster, int agentsPerNode, int capacity)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var scenario = new ClusterScenario(cluster, capacity);
        var admin = await cluster.Nodes[0].AdminTokenAsync();
        for (var i = 0; i < agentsPerNode * cluster.Nodes.Count; i++)
        {
            var node = cluster.Nodes[i % cluster.Nodes.Count];
            var agent = await RoutingApi.AgentAsync(cluster.Nodes[0], admin, "cluster-agent-" + i, capacity, connect: false);
            var participant = await ClusterParticipant.ConnectAsync(agent.Id, agent.Token, node, cluster.LiveNode);
            await RoutingApi.WaitForStatusAsync(node, agent.Token, "online");
            scenario._agents.Add((participant, agent.Token));
            scenario._participants.Add(participant);
        }
        foreach (var (agent, token) in scenario._agents)
        {
            scenario._background.Add(Task.Run(() => scenario.ServeAsync(agent, token)));
        }
        scenario._background.Add(Task.Run(scenario.WatchCapacityAsync));
        return scenario;
    }

    /// <summary>One visitor's whole conversation on <paramref name="node"/>; returns its id once an agent closed it.</summary>
    public async Task<string> VisitAsync(ServerProcess node, int perSide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        _perSide = perSide;
        var session = await Api.VisitorAsync(node.Http);
        var visitor = await ClusterParticipant.ConnectAsync(session.VisitorId, session.Token, node, _cluster.LiveNode);
        _participants.Add(visitor);
        var first = await visitor.SendTextAsync("hello", null);
        var conversationId = (string)first["conversationId"]!;
        visitor.Follow(conversationId);
        _visitors[conversationId] = visitor;
        Acked(first);
        for (var i = 1; i <= perSide; i++)
        {
            Acked(await visitor.SendTextAsync("visitor " + i, conversationId));
        }
        await foreach (var frame in visitor.ConversationFrames.ReadAllAsync(cancellationToken))
        {
            if ((string?)frame["conversationId"] == conversationId && (string?)frame["status"] == "closed")
            {
                return conversationId;
            }
        }
        throw new InvalidOperationException("The visitor's connection ended before its conversation closed.");
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were acked.</summary>
    public async Task WaitForAcksAsync(int count, CancellationToken cancellationToken)
    {
        while (Acks.Count < count)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Acks.Count} of {count} acks; {Describe()}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>
    /// Each visitor received every message of its conversation exactly once, in seq order; each agent received
    /// every message from its assignment on the same way; every ack names a stored message at its seq.
    /// </summary>
    public async Task AssertDeliveredExactlyOnceInOrderAsync(IEnumerable<string> conversationIds)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        Assert.Empty(_participants.SelectMany(p => p.Violations));
        var stored = new Dictionary<string, List<(long Seq, string MsgId)>>(StringComparer.Ordinal);
        foreach (var id in conversationIds)
        {
            var messages = await _cluster.MessagesAsync(id);
            stored[id] = messages;
            Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (long)i), messages.Select(m => m.Seq));
            var visitor = _visitors[id];
            var agent = _assignees.GetValueOrDefault(id);
            await Eventually.HoldsAsync(() => visitor.Received(id).Count >= messages.Count, $"the visitor of {id} received all {messages.Count}", Timeout);
            Assert.Equal(messages.Select(m => m.MsgId), visitor.Received(id).Select(f => (string)f["msgId"]!));
            Assert.NotNull(agent);
            var fromSeq = (long)agent!.Received(id)[0]["seq"]!;
            var expected = messages.Where(m => m.Seq >= fromSeq).Select(m => m.MsgId).ToList();
            await Eventually.HoldsAsync(() => agent.Received(id).Count >= expected.Count, $"the agent of {id} received all {expected.Count}", Timeout);
            Assert.Equal(expected, agent.Received(id).Select(f => (string)f["msgId"]!));
        }
        foreach (var (conversationId, seq, msgId) in Acks)
        {
            Assert.Contains((seq, msgId), stored[conversationId]);
        }
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_background).WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await Task.WhenAll(_background).WaitAsync(Timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var participant in _participants)
        {
            await participant.DisposeAsync();
        }
        _stopping.Dispose();
    }

    /// <summary>The visitors' conversation ids once all are closed; on timeout, says where each stands.</summary>
    public async Task<string[]> WhenAllClosedAsync(IReadOnlyCollection<Task<string>> visitors, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(visitors).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{visitors.Count(v => !v.IsCompleted)} visitors still waiting; {Describe()}");
        }
    }

    /// <summary>Where each conversation stands, for a failure message.</summary>
    public string Describe() => string.Join("; ", _visitors.Select(c =>
        $"{c.Key}: visitor got {c.Value.Received(c.Key).Count}, agent {_assignees.GetValueOrDefault(c.Key)?.UserId ?? "none"}"));

    private void Acked(JsonObject ack) => Acks.Add(((string)ack["conversationId"]!, (long)ack["seq"]!, (string)ack["msgId"]!));

    /// <summary>Serves every conversation routing assigns to the agent, several at once up to its capacity.</summary>
    private async Task ServeAsync(ClusterParticipant agent, string token)
    {
        var serving = new List<Task>();
        var started = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var frame in agent.ConversationFrames.ReadAllAsync(_stopping.Token))
            {
                var conversationId = (string)frame["conversationId"]!;
                if ((string?)frame["status"] == "open" && (string?)frame["assignee"]?["id"] == agent.UserId && started.Add(conversationId))
                {
                    agent.Follow(conversationId);
                    _assignees[conversationId] = agent;
                    serving.Add(Task.Run(() => AnswerAndCloseAsync(agent, token, conversationId)));
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(serving);
    }

    private async Task AnswerAndCloseAsync(ClusterParticipant agent, string token, string conversationId)
    {
        var history = await agent.SyncAllAsync(conversationId);
        for (var i = 1; i <= _perSide; i++)
        {
            Acked(await agent.SendTextAsync("agent " + i, conversationId));
        }
        await Eventually.HoldsAsync(
            () => history.Concat(agent.Received(conversationId)).Where(m => (string?)m["sender"]?["type"] == "visitor").Select(m => (string)m["msgId"]!).Distinct().Count() > _perSide,
            "all visitor messages of " + conversationId, Timeout);
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await _cluster.LiveNode().Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", token));
                Assert.True(response.IsSuccessStatusCode, $"close {conversationId}: {(int)response.StatusCode}");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "closed " + conversationId, Timeout);
    }

    private async Task WatchCapacityAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            foreach (var (agentId, open) in await _cluster.OpenPerAgentAsync())
            {
                if (open > _capacity)
                {
                    _capacityViolations.Enqueue($"{agentId} held {open} open conversations (capacity {_capacity})");
                }
            }
            await Task.Delay(50).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
