namespace Kefu.Server.Routing;

/// <summary>What the entry point asked for when a visitor's conversation starts: skills, priority, and the agent who served the visitor last.</summary>
internal sealed record RoutingHint(IReadOnlyList<string> Skills, int Priority, string? PreferredAgentId);
