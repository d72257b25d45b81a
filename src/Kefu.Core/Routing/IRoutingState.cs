namespace Kefu.Core.Routing;

/// <summary>
/// Queues, agent availability and load, as routing decides on them. It is derived state: the store stays
/// the truth (an assignment commits through the store's capacity-checked write), and the state is rebuilt
/// from the store at start. One implementation lives in process; a shared one (Redis) can replace it.
/// Times are unix milliseconds passed by the caller, so implementations hold no clock.
/// Callers serialize access: implementations need not be thread-safe.
/// </summary>
public interface IRoutingState
{
    void SetTeam(string teamId, RoutingStrategy strategy);

    /// <summary>A paused team's queue gets no assignments (outside business hours); agents may still claim from it.</summary>
    void SetTeamPaused(string teamId, bool paused);

    /// <summary>Adds or updates an agent's profile (capacity, teams, skills), keeping its load and availability.</summary>
    void UpsertAgent(RoutingAgent agent);

    /// <summary>Whether the agent takes new conversations (online, not away, not disabled).</summary>
    void SetAvailable(string agentId, bool available);

    /// <summary>The agent's open conversations; <paramref name="assignedAtMs"/> (when not null) records a new assignment.</summary>
    void SetLoad(string agentId, int load, long? assignedAtMs = null);

    int LoadOf(string agentId);

    bool IsAvailable(string agentId);

    /// <summary>Queues a conversation; replaces it when already queued.</summary>
    void Enqueue(QueuedItem item);

    /// <summary>Takes a conversation out of its queue; false when it was not queued.</summary>
    bool Remove(string conversationId);

    QueuedItem? Find(string conversationId);

    /// <summary>Ends skill requirements and sticky waits that expired by <paramref name="nowMs"/>; returns how many.</summary>
    int Expire(long nowMs);

    /// <summary>The earliest time a requirement or a sticky wait expires, or null.</summary>
    long? NextExpiryMs { get; }

    /// <summary>The next assignment to make, or null when no queued conversation has an available agent.</summary>
    RoutingMatch? NextMatch();

    /// <summary>The best available agent for one queued conversation, or null.</summary>
    string? ChooseAgent(QueuedItem item);

    /// <summary>How many conversations wait in the team's queue.</summary>
    int QueueLength(string teamId);

    /// <summary>The team's queue in order (position 1 first).</summary>
    IEnumerable<QueuedItem> Queue(string teamId);

    /// <summary>Teams with at least one queued conversation.</summary>
    IEnumerable<string> QueuedTeams { get; }

    /// <summary>Available agents of a team with spare capacity.</summary>
    int AvailableAgents(string teamId);
}
