namespace Kefu.Core.Routing;

/// <summary>
/// One team: its available agents ordered by the strategy, its whole queue in order (for positions), and the
/// queue split into groups of equal requirements (no skills, a skill set, one sticky agent), so that a
/// decision looks at each group's head only.
/// </summary>
internal sealed class TeamState(RoutingStrategy strategy)
{
    public RoutingStrategy Strategy { get; set; } = strategy;

    public bool Paused { get; set; }

    public SortedSet<AgentKey> Pool { get; } = [];

    public SortedSet<QueueKey> All { get; } = [];

    public Dictionary<string, SortedSet<QueueKey>> Groups { get; } = new(StringComparer.Ordinal);

    public AgentKey KeyOf(AgentEntry agent) =>
        new(Strategy == RoutingStrategy.LeastBusy ? agent.Load : 0, agent.LastAssignedMs, agent.Profile.AgentId);

    public void AddToGroup(string group, QueueKey key)
    {
        if (!Groups.TryGetValue(group, out var set))
        {
            set = [];
            Groups[group] = set;
        }
        set.Add(key);
    }

    public void RemoveFromGroup(string group, QueueKey key)
    {
        if (Groups.TryGetValue(group, out var set) && set.Remove(key) && set.Count == 0)
        {
            Groups.Remove(group);
        }
    }
}
