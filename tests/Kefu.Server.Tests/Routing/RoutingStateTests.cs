using Kefu.Core.Routing;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingStateTests
{
    private readonly InMemoryRoutingState _state = new();
    private long _sequence;

    [Fact]
    public void Least_busy_picks_the_agent_with_fewest_conversations_and_breaks_ties_by_longest_idle()
    {
        Agent("a", 3);
        Agent("b", 3);
        Agent("c", 3);
        _state.SetLoad("a", 1, assignedAtMs: 100);
        _state.SetLoad("b", 0, assignedAtMs: 300);
        _state.SetLoad("c", 0, assignedAtMs: 200);
        Assert.Equal("c", Take("x1"));
        Assert.Equal("b", Take("x2"));
        Assert.Equal("a", Take("x3"));
    }

    [Fact]
    public void Round_robin_takes_agents_in_turn_whatever_their_load()
    {
        _state.SetTeam("t", RoutingStrategy.RoundRobin);
        Agent("a", 5);
        Agent("b", 5);
        _state.SetLoad("a", 4, assignedAtMs: 1);
        _state.SetLoad("b", 0, assignedAtMs: 2);
        Assert.Equal("a", Take("x1", now: 10));
        Assert.Equal("b", Take("x2", now: 11));
        Assert.Equal("b", Take("x3", now: 12)); // a is full now
    }

    [Fact]
    public void Nobody_gets_more_than_capacity_and_away_agents_get_nothing()
    {
        Agent("a", 1);
        Agent("b", 1);
        _state.SetAvailable("b", false);
        Assert.Equal("a", Take("x1"));
        Enqueue("x2");
        Assert.Null(_state.NextMatch());
        _state.SetAvailable("b", true);
        Assert.Equal("b", _state.NextMatch()!.AgentId);
    }

    [Fact]
    public void Priority_goes_first_then_arrival_order()
    {
        Enqueue("first");
        Enqueue("second");
        Enqueue("vip", priority: 1);
        Assert.Equal(["vip", "first", "second"], _state.Queue("t").Select(i => i.ConversationId));
        Agent("a", 3);
        Assert.Equal("vip", _state.NextMatch()!.Item.ConversationId);
    }

    [Fact]
    public void Skills_are_hard_requirements_until_the_timeout_then_any_agent_of_the_team_may_take_it()
    {
        Agent("plain", 3);
        Enqueue("zh", skills: ["zh"], skillsUntil: 1_000);
        Assert.Null(_state.NextMatch());
        Agent("speaker", 3, skills: ["ZH"]);
        Assert.Equal("speaker", _state.NextMatch()!.AgentId);
        _state.SetAvailable("speaker", false);
        Assert.Null(_state.NextMatch());
        Assert.Equal(1, _state.Expire(1_000));
        Assert.Equal("plain", _state.NextMatch()!.AgentId);
    }

    [Fact]
    public void A_conversation_waiting_on_skills_does_not_hold_up_the_ones_behind_it()
    {
        Agent("plain", 3);
        Enqueue("vip-only", skills: ["vip"]);
        Enqueue("anyone");
        var match = _state.NextMatch()!;
        Assert.Equal(("anyone", "plain"), (match.Item.ConversationId, match.AgentId));
    }

    [Fact]
    public void A_sticky_conversation_waits_for_its_agent_then_falls_back_to_the_team()
    {
        Agent("last", 1);
        Agent("other", 1);
        _state.SetLoad("last", 1);
        Enqueue("back", preferred: "last", preferredUntil: 5_000);
        Assert.Null(_state.NextMatch());
        _state.SetLoad("last", 0);
        Assert.Equal("last", _state.NextMatch()!.AgentId);
        _state.SetLoad("last", 1);
        _state.Expire(5_000);
        Assert.Equal("other", _state.NextMatch()!.AgentId);
    }

    [Fact]
    public void Teams_keep_their_own_queues_and_agents()
    {
        Agent("sales-agent", 1, team: "sales");
        Enqueue("support-visitor");
        Assert.Null(_state.NextMatch());
        Enqueue("sales-visitor", team: "sales");
        Assert.Equal(("sales-visitor", "sales-agent"), (_state.NextMatch()!.Item.ConversationId, _state.NextMatch()!.AgentId));
        Assert.Equal(1, _state.QueueLength("t"));
    }

    [Fact]
    public void A_paused_team_gets_no_assignments_until_it_opens_again()
    {
        Agent("a", 3);
        Enqueue("night");
        _state.SetTeamPaused("t", true);
        Assert.Null(_state.NextMatch());
        _state.SetTeamPaused("t", false);
        Assert.Equal("night", _state.NextMatch()!.Item.ConversationId);
    }

    private void Agent(string id, int max, string team = "t", string[]? skills = null)
    {
        _state.UpsertAgent(new RoutingAgent(id, "tenant", id, max, [team], skills ?? []));
        _state.SetAvailable(id, true);
    }

    private void Enqueue(string id, string team = "t", int priority = 0, string[]? skills = null, long skillsUntil = 0, string? preferred = null, long preferredUntil = 0)
        => _state.Enqueue(new QueuedItem(id, "tenant", team, skills ?? [], priority, ++_sequence, skillsUntil, preferred, preferredUntil));

    /// <summary>Queues a conversation, lets routing decide, and applies the decision as the router would after the store's commit.</summary>
    private string Take(string id, long now = 0)
    {
        Enqueue(id);
        var match = _state.NextMatch()!;
        Assert.Equal(id, match.Item.ConversationId);
        _state.Remove(id);
        _state.SetLoad(match.AgentId, _state.LoadOf(match.AgentId) + 1, assignedAtMs: now == 0 ? null : now);
        return match.AgentId;
    }
}
