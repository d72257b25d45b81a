namespace Kefu.Core.Routing;

/// <summary>An agent's place in a team's pool: lower load first (0 for round-robin), then least recently assigned.</summary>
internal readonly record struct AgentKey(int Load, long LastAssignedMs, string AgentId) : IComparable<AgentKey>
{
    public int CompareTo(AgentKey other)
    {
        var c = Load.CompareTo(other.Load);
        if (c != 0)
        {
            return c;
        }
        c = LastAssignedMs.CompareTo(other.LastAssignedMs);
        return c != 0 ? c : string.CompareOrdinal(AgentId, other.AgentId);
    }

    public static bool operator <(AgentKey left, AgentKey right) => left.CompareTo(right) < 0;

    public static bool operator >(AgentKey left, AgentKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(AgentKey left, AgentKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(AgentKey left, AgentKey right) => left.CompareTo(right) >= 0;
}
