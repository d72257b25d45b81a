namespace Kefu.Core.Routing;

/// <summary>What routing needs to know of an agent: its capacity, teams and skills.</summary>
public sealed record RoutingAgent(string AgentId, string TenantId, string DisplayName, int MaxConcurrent, IReadOnlyList<string> TeamIds, IReadOnlyList<string> Skills);
