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
    private readonly ConcurrentDictionary<string, bool> _closeHeard = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serveFailures = new();
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
                _closeHeard[conversationId] = true;
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
    /// Each visitor got every message of its conversation, each agent every message from its assignment on:
    /// live frames in rising seq order (checked as they arrived), each live frame the stored message of its
    /// seq, and whatever was not live (a message that overtook another between nodes by more than the
    /// reorder wait) filled from the store by <c>sync</c>, as a client does, so every message is had once.
    /// Every ack names a stored message at its seq. Returns how many messages participants had to sync.
    /// </summary>
    public async Task<int> AssertDeliveredExactlyOnceInOrderAsync(IEnumerable<string> conversationIds)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        Assert.Empty(_participants.SelectMany(p => p.Violations));
        var stored = new Dictionary<string, List<(long Seq, string MsgId)>>(StringComparer.Ordinal);
        var synced = 0;
        foreach (var id in conversationIds)
        {
            var messages = await _cluster.MessagesAsync(id);
            stored[id] = messages;
            Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (long)i), messages.Select(m => m.Seq));
            Assert.True(_assignees.TryGetValue(id, out var agent), "no agent served " + id);
            synced += await AssertHadAllAsync(_visitors[id], id, messages);
            var fromSeq = (long)agent!.Received(id)[0]["seq"]!;
            synced += await AssertHadAllAsync(agent, id, messages.Where(m => m.Seq >= fromSeq).ToList());
        }
        foreach (var (conversationId, seq, msgId) in Acks)
        {
            Assert.Contains((seq, msgId), stored[conversationId]);
        }
        return synced;
    }

    private static async Task<int> AssertHadAllAsync(ClusterParticipant participant, string conversationId, List<(long Seq, string MsgId)> expected)
    {
        // The last message arrives live, or (when its node died between commit and publication) a conversation
        // snapshot tells of it, as the close's does: the participant then knows of the gap and syncs.
        var lastSeq = expected[^1].Seq;
        await Eventually.HoldsAsync(
            () => (participant.Received(conversationId) is { Count: > 0 } live && (long)live[^1]["seq"]! == lastSeq)
                || participant.ToldLastSeq(conversationId) >= lastSeq,
            $"{participant.UserId} received the last message of {conversationId} live or was told of it", Timeout);
        var live = participant.Received(conversationId).ToDictionary(f => (long)f["seq"]!, f => (string)f["msgId"]!);
        Assert.All(live, f => Assert.Contains((f.Key, f.Value), expected));
        var missing = expected.Where(m => !live.ContainsKey(m.Seq)).ToList();
        if (missing.Count > 0)
        {
            var history = (await participant.SyncAllAsync(conversationId)).ToDictionary(m => (long)m["seq"]!, m => (string)m["msgId"]!);
            Assert.All(missing, m => Assert.Equal(m.MsgId, history.GetValueOrDefault(m.Seq)));
        }
        return missing.Count;
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
            throw new TimeoutException($"{_visitors.Count - _closeHeard.Count} visitors never heard of their close; " +
                $"agents that gave up: [{string.Join("; ", _serveFailures)}]; {Describe()}");
        }
    }

    /// <summary>Where each conversation stands, for a failure message.</summary>
    public string Describe() => string.Join("; ", _visitors.Select(c =>
        $"{c.Key}: visitor got {c.Value.Received(c.Key).Count} (moved {c.Value.Reconnections}x, close {(_closeHeard.ContainsKey(c.Key) ? "heard" : "not heard")}), " +
        $"agent {_assignees.GetValueOrDefault(c.Key)?.UserId ?? "none"}"));

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
                    serving.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await AnswerAndCloseAsync(agent, token, conversationId);
                        }
                        catch (Exception ex)
                        {
                            _serveFailures.Enqueue($"{agent.UserId} on {conversationId}: {ex.Message}");
                            throw;
                        }
                    }));
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
        await Eventually.HoldsAsync(async () =>
        {
            if (VisitorMessages(history, agent.Received(conversationId)) > _perSide)
            {
                return true;
            }
            // A message committed on the killed node just before it could publish it never arrives live: a later
            // message (or a snapshot's lastSeq) shows the gap, and the agent syncs, as the console does.
            if (HasGap(history, agent.Received(conversationId), agent.ToldLastSeq(conversationId)))
            {
                history = await agent.SyncAllAsync(conversationId);
            }
            return VisitorMessages(history, agent.Received(conversationId)) > _perSide;
        }, "all visitor messages of " + conversationId, Timeout);
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

    private static int VisitorMessages(List<JsonObject> history, IReadOnlyList<JsonObject> live) =>
        history.Concat(live).Where(m => (string?)m["sender"]?["type"] == "visitor").Select(m => (string)m["msgId"]!).Distinct().Count();

    /// <summary>Whether a seq below the highest one known (seqs run 1, 2, 3, ...) is missing from what the participant has.</summary>
    private static bool HasGap(List<JsonObject> history, IReadOnlyList<JsonObject> live, long toldLastSeq)
    {
        var seqs = history.Concat(live).Select(m => (long)m["seq"]!).ToHashSet();
        return seqs.Count < Math.Max(seqs.Count == 0 ? 0 : seqs.Max(), toldLastSeq);
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
