namespace Kefu.Core.Routing;

/// <summary>How a team picks among its available agents.</summary>
public enum RoutingStrategy
{
    /// <summary>Fewest open conversations first; ties go to the agent idle the longest.</summary>
    LeastBusy,

    /// <summary>The agent who was given a conversation the longest ago first.</summary>
    RoundRobin,
}
