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

    private List<RoutingSignal> Signals()
    {
        var signals = new List<RoutingSignal>();
        while (_signals.Reader.TryRead(out var signal))
        {
            signals.Add(signal);
        }
        return signals;
    }
}
