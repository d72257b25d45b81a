namespace Kefu.Core.Routing;

/// <summary>A routing decision: give <see cref="Item"/> to <see cref="AgentId"/>.</summary>
public sealed record RoutingMatch(QueuedItem Item, string AgentId);
