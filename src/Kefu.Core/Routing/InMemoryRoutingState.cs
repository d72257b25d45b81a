namespace Kefu.Core.Routing;

/// <summary>
/// Routing state in one process. Choosing an agent costs O(log n) in a team's sorted pool (a skill
/// requirement walks the pool in order until an agent has the skills); finding the next conversation looks
/// at the head of each requirement group of each team with a queue, never at the whole queue.
/// Not thread-safe: the caller serializes access.
/// </summary>
public sealed class InMemoryRoutingState : IRoutingState
{
    private readonly Dictionary<string, TeamState> _teams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentEntry> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueEntry> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queuedTeams = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _expiries = new();
    private long _nowMs;

    public long? NextExpiryMs => _expiries.TryPeek(out _, out var at) ? at : null;

    public IEnumerable<string> QueuedTeams => _queuedTeams;

    public void SetTeam(string teamId, RoutingStrategy strategy)
    {
        var team = Team(teamId);
        if (team.Strategy == strategy)
        {
            return;
        }
        team.Pool.Clear();
        team.Strategy = strategy;
        foreach (var agent in _agents.Values)
        {
            if (agent.HasRoom && Contains(agent.Profile.TeamIds, teamId))
            {
                team.Pool.Add(team.KeyOf(agent));
            }
        }
    }

    public void SetTeamPaused(string teamId, bool paused) => Team(teamId).Paused = paused;

    public void UpsertAgent(RoutingAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_agents.TryGetValue(agent.AgentId, out var entry))
        {
            LeavePools(entry);
            entry.Profile = agent;
            entry.Skills = new HashSet<string>(agent.Skills, StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            entry = new AgentEntry(agent);
            _agents[agent.AgentId] = entry;
        }
        JoinPools(entry);
    }

    public void SetAvailable(string agentId, bool available) => Change(agentId, e => e.Available = available);

    public void SetLoad(string agentId, int load, long? assignedAtMs = null) => Change(agentId, e =>
    {
        e.Load = Math.Max(0, load);
        if (assignedAtMs is { } at)
        {
            e.LastAssignedMs = at;
        }
    });

    public int LoadOf(string agentId) => _agents.TryGetValue(agentId, out var e) ? e.Load : 0;

    public bool IsAvailable(string agentId) => _agents.TryGetValue(agentId, out var e) && e.Available;

    public void Enqueue(QueuedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Remove(item.ConversationId);
        var entry = new QueueEntry(item, new QueueKey(item.Priority, item.Sequence, item.ConversationId))
        {
            StickyAgentId = item.PreferredAgentId is not null && (item.PreferredUntilMs == 0 || item.PreferredUntilMs > _nowMs) ? item.PreferredAgentId : null,
            SkillsRequired = item.Skills.Count > 0 && (item.SkillsUntilMs == 0 || item.SkillsUntilMs > _nowMs),
        };
        entry.Group = GroupOf(entry);
        _queued[item.ConversationId] = entry;
        var team = Team(item.TeamId);
        team.All.Add(entry.Key);
        team.AddToGroup(entry.Group, entry.Key);
        _queuedTeams.Add(item.TeamId);
        if (entry.StickyAgentId is not null && item.PreferredUntilMs > 0)
        {
            _expiries.Enqueue(item.ConversationId, item.PreferredUntilMs);
        }
        if (entry.SkillsRequired && item.SkillsUntilMs > 0)
        {
            _expiries.Enqueue(item.ConversationId, item.SkillsUntilMs);
        }
    }

    public bool Remove(string conversationId)
    {
        if (!_queued.Remove(conversationId, out var entry))
        {
            return false;
        }
        var team = _teams[entry.Item.TeamId];
        team.All.Remove(entry.Key);
        team.RemoveFromGroup(entry.Group, entry.Key);
        if (team.All.Count == 0)
        {
            _queuedTeams.Remove(entry.Item.TeamId);
        }
        return true;
    }

    public QueuedItem? Find(string conversationId) => _queued.TryGetValue(conversationId, out var e) ? e.Item : null;

    public int Expire(long nowMs)
    {
        _nowMs = Math.Max(_nowMs, nowMs);
        var changed = 0;
        while (_expiries.TryPeek(out var conversationId, out var at) && at <= _nowMs)
        {
            _expiries.Dequeue();
            if (!_queued.TryGetValue(conversationId, out var entry))
            {
                continue;
            }
            var item = entry.Item;
            if (entry.StickyAgentId is not null && item.PreferredUntilMs > 0 && item.PreferredUntilMs <= _nowMs)
            {
                entry.StickyAgentId = null;
            }
            if (entry.SkillsRequired && item.SkillsUntilMs > 0 && item.SkillsUntilMs <= _nowMs)
            {
                entry.SkillsRequired = false;
            }
            var group = GroupOf(entry);
            if (group != entry.Group)
            {
                var team = _teams[item.TeamId];
                team.RemoveFromGroup(entry.Group, entry.Key);
                entry.Group = group;
                team.AddToGroup(group, entry.Key);
                changed++;
            }
        }
        return changed;
    }

    public RoutingMatch? NextMatch()
    {
        foreach (var teamId in _queuedTeams)
        {
            var team = _teams[teamId];
            if (team.Paused)
            {
                continue;
            }
            QueueEntry? best = null;
            string? bestAgent = null;
            foreach (var group in team.Groups.Values)
            {
                var head = _queued[group.Min.ConversationId];
                if (best is not null && head.Key > best.Key)
                {
                    continue;
                }
                var agent = Choose(team, head);
                if (agent is not null)
                {
                    best = head;
                    bestAgent = agent;
                }
            }
            if (best is not null)
            {
                return new RoutingMatch(best.Item, bestAgent!);
            }
        }
        return null;
    }

    public string? ChooseAgent(QueuedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_queued.TryGetValue(item.ConversationId, out var entry))
        {
            return Choose(_teams[item.TeamId], entry);
        }
        var probe = new QueueEntry(item, default)
        {
            StickyAgentId = item.PreferredAgentId is not null && (item.PreferredUntilMs == 0 || item.PreferredUntilMs > _nowMs) ? item.PreferredAgentId : null,
            SkillsRequired = item.Skills.Count > 0 && (item.SkillsUntilMs == 0 || item.SkillsUntilMs > _nowMs),
        };
        return Choose(Team(item.TeamId), probe);
    }

    public int QueueLength(string teamId) => _teams.TryGetValue(teamId, out var t) ? t.All.Count : 0;

    public IEnumerable<QueuedItem> Queue(string teamId)
    {
        if (!_teams.TryGetValue(teamId, out var team))
        {
            yield break;
        }
        foreach (var key in team.All)
        {
            yield return _queued[key.ConversationId].Item;
        }
    }

    public int AvailableAgents(string teamId) => _teams.TryGetValue(teamId, out var t) ? t.Pool.Count : 0;

    private string? Choose(TeamState team, QueueEntry entry)
    {
        if (entry.StickyAgentId is { } sticky)
        {
            return _agents.TryGetValue(sticky, out var preferred) && preferred.HasRoom ? sticky : null;
        }
        if (!entry.SkillsRequired)
        {
            return team.Pool.Count == 0 ? null : team.Pool.Min.AgentId;
        }
        foreach (var key in team.Pool)
        {
            if (_agents[key.AgentId].HasSkills(entry.Item.Skills))
            {
                return key.AgentId;
            }
        }
        return null;
    }

    private static string GroupOf(QueueEntry entry)
    {
        if (entry.StickyAgentId is { } sticky)
        {
            return "@" + sticky;
        }
        if (!entry.SkillsRequired)
        {
            return "";
        }
        var skills = entry.Item.Skills.Select(s => s.ToUpperInvariant()).Order(StringComparer.Ordinal);
        return "#" + string.Join(',', skills);
    }

    private void Change(string agentId, Action<AgentEntry> change)
    {
        if (!_agents.TryGetValue(agentId, out var entry))
        {
            return;
        }
        LeavePools(entry);
        change(entry);
        JoinPools(entry);
    }

    private void LeavePools(AgentEntry entry)
    {
        foreach (var teamId in entry.Profile.TeamIds)
        {
            var team = Team(teamId);
            team.Pool.Remove(team.KeyOf(entry));
        }
    }

    private void JoinPools(AgentEntry entry)
    {
        if (!entry.HasRoom)
        {
            return;
        }
        foreach (var teamId in entry.Profile.TeamIds)
        {
            var team = Team(teamId);
            team.Pool.Add(team.KeyOf(entry));
        }
    }

    private TeamState Team(string teamId)
    {
        if (!_teams.TryGetValue(teamId, out var team))
        {
            team = new TeamState(RoutingStrategy.LeastBusy);
            _teams[teamId] = team;
        }
        return team;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
