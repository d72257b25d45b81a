using Kefu.Core.Messaging;
using Kefu.Core.Presence;
using Kefu.Server.Agents;
using Kefu.Server.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingPresenceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly RoutingSignals _signals = new();
    private readonly AgentPresence _presence;

    public RoutingPresenceTests() =>
        _presence = new AgentPresence(
            _signals,
            new InProcessPresenceRegistry(_clock, TimeSpan.FromSeconds(30)),
            new NodeIdentity(),
            new InProcessBus(),
            Options.Create(new RoutingOptions { AgentGraceSeconds = 30 }),
            _clock,
            NullLogger<AgentPresence>.Instance);

    [Fact]
    public void An_agent_stays_online_through_the_grace_period_after_its_last_connection_and_goes_offline_at_its_end()
    {
        _presence.Connected("t", "a");
        _presence.Connected("t", "a");
        _presence.Disconnected("a");
        _presence.Disconnected("a");
        Assert.Equal(AgentStatuses.Online, _presence.StatusOf("a"));
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(AgentStatuses.Online, _presence.StatusOf("a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AgentStatuses.Offline, _presence.StatusOf("a"));
        Assert.Contains(Signals(), s => s.AgentId == "a" && s.AgentWentOffline);
    }

    [Fact]
    public void A_reconnect_within_the_grace_period_keeps_the_agent_online_without_an_offline_signal()
    {
        _presence.Connected("t", "a");
        _presence.Disconnected("a");
        _clock.Advance(TimeSpan.FromSeconds(10));
        _presence.Connected("t", "a");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(AgentStatuses.Online, _presence.StatusOf("a"));
        Assert.DoesNotContain(Signals(), s => s.AgentWentOffline);
    }

    [Fact]
    public void Away_is_the_agents_choice_and_survives_reconnects_and_the_grace_period()
    {
        _presence.Connected("t", "a");
        Assert.True(_presence.SetStatus("t", "a", AgentStatuses.Away));
        Assert.False(_presence.TakesConversations("a"));
        _presence.Disconnected("a");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(AgentStatuses.Offline, _presence.StatusOf("a"));
        _presence.Connected("t", "a");
        Assert.Equal(AgentStatuses.Away, _presence.StatusOf("a"));
        Assert.False(_presence.SetStatus("t", "a", "busy"));
    }

    [Fact]
    public async Task With_two_nodes_sharing_one_registry_only_the_last_node_to_let_the_agent_go_takes_it_offline()
    {
        // Entries outlive the test: no keeper refreshes them here.
        var registry = new InProcessPresenceRegistry(_clock, TimeSpan.FromMinutes(10));
        var signalsA = new RoutingSignals();
        var signalsB = new RoutingSignals();
        var nodeA = Node(signalsA, registry);
        var nodeB = Node(signalsB, registry);
        nodeA.Connected("t", "a");
        nodeB.Connected("t", "a");
        Assert.Equal(["a"], nodeA.Held());

        nodeA.Disconnected("a");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Drain(signalsA), s => s.AgentWentOffline);
        Assert.Equal(AgentStatuses.Online, nodeA.StatusOf("a"));
        Assert.Single(await registry.NodesOfAsync("a", CancellationToken.None));

        // Away chosen on one node is the agent's status everywhere.
        Assert.True(nodeB.SetStatus("t", "a", AgentStatuses.Away));
        await nodeA.LookAsync("a", CancellationToken.None);
        Assert.Equal(AgentStatuses.Away, nodeA.StatusOf("a"));

        nodeB.Disconnected("a");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Contains(Drain(signalsB), s => s.AgentId == "a" && s.AgentWentOffline);
        Assert.Empty(await registry.NodesOfAsync("a", CancellationToken.None));
    }

    private AgentPresence Node(RoutingSignals signals, IPresenceRegistry registry) => new(
        signals, registry, new NodeIdentity(), new InProcessBus(), Options.Create(new RoutingOptions { AgentGraceSeconds = 30 }), _clock, NullLogger<AgentPresence>.Instance);

    private static List<RoutingSignal> Drain(RoutingSignals signals)
    {
        var list = new List<RoutingSignal>();
        while (signals.Reader.TryRead(out var signal))
        {
            list.Add(signal);
        }
        return list;
    }

    private List<RoutingSignal> Signals() => Drain(_signals);
}
