using System.Collections.Concurrent;
using Kefu.Core.Routing;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Routing;

/// <summary>
/// What the router knows besides the routing state: the conversations it tracks, each agent's load and
/// profile, teams' settings and handling times. Used by the router's loop only, except
/// <see cref="AgentsWithLoad"/>, which any thread may read.
/// </summary>
internal sealed class RouterBook(IRoutingState state, IDirectoryStore directory, IOptions<RoutingOptions> options)
{
    private readonly Dictionary<string, TrackedConversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentRecord> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _availableByTeam = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _defaultTeams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _skillTimeouts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _teamTenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HandleTimes> _handleTimes = new(StringComparer.Ordinal);

    public async Task EnsureTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!_defaultTeams.ContainsKey(tenantId))
        {
            await LoadTeamsAsync(tenantId, cancellationToken);
        }
    }

    public async Task LoadTeamsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var teams = await directory.ListTeamsAsync(tenantId, cancellationToken);
        _defaultTeams[tenantId] = teams.FirstOrDefault(t => t.IsDefault)?.Id ?? "";
        foreach (var team in teams)
        {
            state.SetTeam(team.Id, team.Strategy == "round-robin" ? RoutingStrategy.RoundRobin : RoutingStrategy.LeastBusy);
            _skillTimeouts[team.Id] = team.SkillTimeoutSeconds;
            _teamTenants[team.Id] = tenantId;
        }
    }

    public string TeamOf(Conversation conversation) =>
        conversation.TeamId ?? _defaultTeams.GetValueOrDefault(conversation.TenantId) ?? "";

    public TrackedConversation Track(Conversation conversation, IReadOnlyList<string> skills, int priority)
    {
        var tracked = new TrackedConversation(conversation, TeamOf(conversation), skills, priority);
        _conversations[conversation.Id] = tracked;
        return tracked;
    }

    public TrackedConversation? Find(string conversationId) => _conversations.GetValueOrDefault(conversationId);

    public void Forget(string conversationId) => _conversations.Remove(conversationId);

    public IReadOnlyList<string> OpenOf(string agentId) =>
        [.. _conversations.Values.Where(t => t.AssigneeId == agentId).Select(t => t.Conversation.Id)];

    public int LoadOf(string agentId) => _loads.GetValueOrDefault(agentId);

    /// <summary>Agents with at least one open conversation (thread-safe).</summary>
    public IReadOnlyCollection<string> AgentsWithLoad => [.. _loaded.Keys];

    public void AddLoad(string agentId, int delta, long? assignedAtMs = null)
    {
        var load = Math.Max(0, _loads.GetValueOrDefault(agentId) + delta);
        _loads[agentId] = load;
        NoteLoad(agentId, load);
        state.SetLoad(agentId, load, assignedAtMs);
    }

    public void SetLoad(string agentId, int load)
    {
        _loads[agentId] = load;
        NoteLoad(agentId, load);
        state.SetLoad(agentId, load);
    }

    private void NoteLoad(string agentId, int load)
    {
        if (load > 0)
        {
            _loaded[agentId] = true;
        }
        else
        {
            _loaded.TryRemove(agentId, out _);
        }
    }

    /// <summary>Updates an agent's profile and availability; returns the teams it was or is in.</summary>
    public IReadOnlyList<string> UpdateAgent(AgentRecord profile, bool available)
    {
        var id = profile.Agent.Id;
        var teams = new HashSet<string>(profile.TeamIds, StringComparer.Ordinal);
        if (_agents.TryGetValue(id, out var before))
        {
            teams.UnionWith(before.TeamIds);
        }
        foreach (var teamId in teams)
        {
            if (_availableByTeam.TryGetValue(teamId, out var set))
            {
                set.Remove(id);
            }
        }
        _agents[id] = profile;
        state.UpsertAgent(new RoutingAgent(id, profile.Agent.TenantId, profile.Agent.DisplayName, profile.Agent.MaxConcurrent, profile.TeamIds, profile.Skills));
        state.SetLoad(id, LoadOf(id));
        state.SetAvailable(id, available);
        if (available)
        {
            foreach (var teamId in profile.TeamIds)
            {
                if (!_availableByTeam.TryGetValue(teamId, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _availableByTeam[teamId] = set;
                }
                set.Add(id);
            }
        }
        return [.. teams];
    }

    public AgentCandidate? Candidate(string agentId) =>
        _agents.TryGetValue(agentId, out var p) ? new AgentCandidate(p.Agent.Id, p.Agent.DisplayName, p.Agent.MaxConcurrent) : null;

    /// <summary>Agents of the team that take conversations now.</summary>
    public int AvailableIn(string teamId) => _availableByTeam.TryGetValue(teamId, out var set) ? set.Count : 0;

    public string? TenantOf(string teamId) => _teamTenants.GetValueOrDefault(teamId);

    public int SkillTimeoutSecondsOf(string teamId) => _skillTimeouts.GetValueOrDefault(teamId);

    public HandleTimes HandleTimesOf(string teamId)
    {
        if (!_handleTimes.TryGetValue(teamId, out var times))
        {
            times = new HandleTimes(options.Value.HandleTimeSamples, options.Value.DefaultHandleSeconds);
            _handleTimes[teamId] = times;
        }
        return times;
    }
}
